#!/usr/bin/env python3
"""Per-function totals of a profile_stopwatch output (docs/performance.md,
"Third pass"): each address is charged to the function symbol that holds
it (arm-none-eabi-nm -S of the same ELF).

usage: profile_syms.py ELF PROFILE [N]   (the N largest, default 30)
"""
import bisect
import collections
import subprocess
import sys


def functions(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-n", "-S", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[2] in "tTwW":
            syms.append((int(f[0], 16), int(f[1], 16), f[3]))
    return sorted(syms)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    syms = functions(sys.argv[1])
    starts = [s[0] for s in syms]
    total = collections.Counter()
    for line in open(sys.argv[2]):
        addr, cycles = line.split()
        a = int(addr, 16)
        i = bisect.bisect_right(starts, a) - 1
        name = syms[i][2] if i >= 0 and a < syms[i][0] + max(syms[i][1], 2) else "?%x" % a
        total[name] += int(cycles)
    print("total awake cycles", sum(total.values()))
    for name, cycles in total.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 30):
        print("%9d %s" % (cycles, name))


if __name__ == "__main__":
    main()
