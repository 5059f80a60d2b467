#!/bin/sh
# bme280_compensate_cycles (issue 13): T + P + H compensation of one BME280
# sample (drivers/bme280/bme280_compensate.c), cycles of the M4 model,
# measured with DWT CYCCNT in the bench image (tests/sim/bme280-driver/
# bench_compensate.c); one line per round, tools/bench judges the median.
# Then the same image on the pessimistic model: bme280_compensate_cycles_upper,
# reported beside, not gated. Virtual time, deterministic.
set -eu
elf=$FW_DIR/tests/sim/bme280-driver/bme280_bench.elf
sim=$HOST_DIR/sim/quartz-sim
[ -f "$elf" ] || { echo "bme280.sh: no $elf (firmware tree not built)" >&2; exit 1; }
[ -x "$sim" ] || { echo "bme280.sh: no $sim (host tree not built)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for model in default upper; do
    "$sim" --cycles "$model" --until 1s --console "$out" "$elf" >/dev/null
    grep -q '^END' "$out" || { echo "bme280.sh: bench image did not finish ($model model):" >&2; cat "$out" >&2; exit 1; }
    if grep -q 'wrong result' "$out"; then
        echo "bme280.sh: the bench image computed a wrong sample" >&2
        exit 1
    fi
    tr -d '\r' <"$out" | awk -v model="$model" '
        $1 == "bme280_compensate_cycles" {
            if (model == "upper") print $1 "_upper", $2, "cycles - -"
            else print $1, $2, "cycles 2000 le"
        }'
done
