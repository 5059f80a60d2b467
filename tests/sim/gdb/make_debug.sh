#!/bin/sh
# `make debug` end to end (tools/debug-sim): GDB must come up connected and
# stopped at main, see the firmware's registers, and quitting GDB must end
# the simulator. GDB reads its commands from a pipe, as from a user.
#   make_debug.sh DEBUG_SIM QUARTZ_SIM ELF
set -u
debug_sim=$1 sim=$2 elf=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$elf" "$work/app.elf"
# A port of our own (the script refuses a taken one): retry on another.
for try in 1 2 3; do
    port=$((20000 + ($$ * 7 + try * 131) % 20000))
    printf 'print $pc\ninfo symbol $pc\nquit\n' |
        QUARTZ_GDB_PORT=$port timeout 60 sh "$debug_sim" "$sim" "$work/app.elf" >"$work/out" 2>&1
    rc=$?
    grep -q "is taken" "$work/out" || break
done
fail() { echo "FAIL: $1"; sed 's/^/    /' "$work/out"; exit 1; }
[ $rc -eq 0 ] || fail "debug-sim exited $rc"
grep -Eq "Breakpoint 1, (0x[0-9a-f]+ in )?main " "$work/out" || fail "GDB did not stop at main"
grep -Eq "^\(gdb\) \\\$1 = .*<main\+[0-9]+>" "$work/out" || fail "the PC is not in main"
grep -q "console: $work/debug-console.txt" "$work/out" || fail "the console file is not named"
# Quitting GDB ends the simulator (the script's trap); give it a bounded moment.
i=0
while pgrep -f -- "--gdb $port " >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 50 ] && fail "quartz-sim still runs after GDB quit"
    sleep 0.1
done
echo "make debug: stopped at main, quit ended the simulator (port $port)"
