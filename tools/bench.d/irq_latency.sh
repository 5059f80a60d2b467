#!/bin/sh
# irq_latency_tick_max_cycles (issue 12): the worst cycles from TIM2
# pending to its handler's first instruction (the report's irq_latency,
# docs/simulator.md) in the stopwatch while it runs, so while its OLED
# flushes go out by I2C1 DMA (DMA1 stream 7; checked in the same report).
# Virtual time, deterministic: one run is the figure.
set -eu
sim=$HOST_DIR/sim/quartz-sim
elf=$FW_DIR/apps/stopwatch/stopwatch.elf
if [ ! -x "$sim" ] || [ ! -f "$elf" ]; then
    echo "irq_latency.sh: no $sim or $elf (tree not built)" >&2
    exit 1
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$sim" --until 3s --press B1@100ms --report "$report" "$elf" >/dev/null
dma1=$(sed 's/.*"dma":{"DMA1":{\(.*\)},"DMA2".*/\1/' "$report")
if ! echo "$dma1" | grep -q '"S7":{"transfers":[1-9]'; then
    echo "irq_latency.sh: the OLED flush did not go by DMA1 stream 7" >&2
    exit 1
fi
max=$(grep -o '"TIM2":{"count":[0-9]*,"max_cycles":[0-9]*' "$report" | sed 's/.*://')
[ -n "$max" ] || { echo "irq_latency.sh: no TIM2 in irq_latency" >&2; exit 1; }
echo "irq_latency_tick_max_cycles $max cycles 40 le"
