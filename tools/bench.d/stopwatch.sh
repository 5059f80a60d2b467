#!/bin/sh
# Stopwatch timing figures (issue 4), measured by running the real ELF on
# quartz-sim: see tests/sim/stopwatch/bench_stopwatch.c. (Image sizes: size.sh.)
# Then the TIM2 tick again on the pessimistic cycle model: tick_isr_cycles_upper,
# and the two variants' WFI share and refresh cost (--variant).
# reported beside tick_isr_cycles, not gated (docs/simulator.md, "Cycle model").
set -eu
elf="$FW_DIR/apps/stopwatch/stopwatch.elf"
bench="$HOST_DIR/tests/sim/stopwatch/bench_stopwatch"
[ -f "$elf" ] || { echo "stopwatch.sh: no $elf" >&2; exit 1; }
[ -x "$bench" ] || { echo "stopwatch.sh: no $bench (quartz-sim not built)" >&2; exit 1; }
"$bench" "$elf"
"$bench" --cycles=upper "$elf"
# The RTIC-style and async variants: their WFI share and refresh cost (issue 12).
for v in rtic async; do
    velf="$FW_DIR/apps/stopwatch-$v/stopwatch-$v.elf"
    [ -f "$velf" ] || { echo "stopwatch.sh: no $velf" >&2; exit 1; }
    "$bench" --variant="$v" "$velf"
done
