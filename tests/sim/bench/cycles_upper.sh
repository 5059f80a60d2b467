#!/bin/sh
# cycles_upper.sh FW_DIR HOST_DIR
# quartz-sim's pessimistic cycle model (--cycles upper, docs/simulator.md)
# adds exactly what it defines, on two figures whose code is known:
#   lock_unlock_cycles (kernel bench image, FLASH LATENCY 1): the lock and
#     the unlock are one MSR BASEPRI each, 1 -> 2 cycles, straight-line: +2;
#   pend_to_task_cycles (same image): no MSR/MRS; entry reads the vector
#     (+1) and fetches the dispatcher (+1); its `beq` falls through
#     (sequential, +0); its tail call `b.w` into the task is taken (+1): +3;
#   tick_isr_cycles (stopwatch, 48 MHz, LATENCY 1): no MSR in the TIM2
#     handler; entry reads the vector from flash (+1) and fetches the
#     handler (+1), return fetches the interrupted code (+1): +3.
# And the default model stays what it was (the budgets hold it too).
set -eu
fw=$1 host=$2
sim=$host/sim/quartz-sim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
fig() { tr -d '\r' <"$1" | awk -v k="$2" '$1 == k { print $2; exit }'; }

"$sim" --until 1s --console "$tmp/default.txt" "$fw/tests/sim/kernel/kernel_bench.elf" >/dev/null
"$sim" --cycles upper --until 1s --console "$tmp/upper.txt" "$fw/tests/sim/kernel/kernel_bench.elf" >/dev/null
d=$(fig "$tmp/default.txt" lock_unlock_cycles) u=$(fig "$tmp/upper.txt" lock_unlock_cycles)
echo "lock_unlock_cycles: default $d, upper $u"
[ "$d" = 4 ] || { echo "FAIL: default model moved (4 expected)"; fail=1; }
[ "$u" = $((d + 2)) ] || { echo "FAIL: upper model is not default + 2 MSR cycles"; fail=1; }
d=$(fig "$tmp/default.txt" pend_to_task_cycles) u=$(fig "$tmp/upper.txt" pend_to_task_cycles)
echo "pend_to_task_cycles: default $d, upper $u"
[ "$d" = 40 ] || { echo "FAIL: default model moved (40 expected)"; fail=1; }
[ "$u" = $((d + 3)) ] || { echo "FAIL: upper model is not default + 3 fetch wait states"; fail=1; }

bench=$host/tests/sim/stopwatch/bench_stopwatch
elf=$fw/apps/stopwatch/stopwatch.elf
d=$("$bench" "$elf" 2>/dev/null | awk '$1 == "tick_isr_cycles" { print $2 }')
u=$("$bench" --cycles=upper "$elf" 2>/dev/null | awk '$1 == "tick_isr_cycles_upper" { print $2 }')
echo "tick_isr_cycles: default $d, upper $u"
[ "$d" = 33 ] || { echo "FAIL: default model moved (33 expected)"; fail=1; }
[ "$u" = $((d + 3)) ] || { echo "FAIL: upper model is not default + 3 fetch wait states"; fail=1; }

if "$sim" --cycles fast --until 1ms "$elf" >/dev/null 2>"$tmp/err"; then
    echo "FAIL: --cycles fast accepted"; fail=1
fi
[ $fail -eq 0 ] && echo "cycles_upper: ok"
exit $fail
