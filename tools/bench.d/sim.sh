#!/bin/sh
# quartz-sim speed (issue 3, "Speed"): the stopwatch image headless and
# running (B1 pressed at 100 ms starts it), virtual time / wall time.
# Wall time is the whole quartz-sim process (start-up, ELF load, run,
# report), measured with date around it. One line per run (BENCH_RUNS,
# default 5): tools/bench judges the median and keeps min and max beside it.
set -eu
elf=$FW_DIR/apps/stopwatch/stopwatch.elf
sim=$HOST_DIR/sim/quartz-sim
[ -f "$elf" ] || { echo "sim.sh: no $elf (firmware tree not built)" >&2; exit 1; }
[ -x "$sim" ] || { echo "sim.sh: no $sim (host tree not built)" >&2; exit 1; }

virtual_s=20
runs=${BENCH_RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for i in $(seq "$runs"); do
    t0=$(date +%s%N)
    timeout 120 "$sim" --press B1@100ms --until "${virtual_s}s" --console "$tmp/console.txt" \
        --report "$tmp/report.json" "$elf"
    t1=$(date +%s%N)
    # The run must have reached its end in the Running state.
    grep -q "\"virtual_ms\":${virtual_s}000\." "$tmp/report.json" ||
        { echo "sim.sh: run $i did not reach ${virtual_s} s" >&2; exit 1; }
    tr -d '\r' <"$tmp/console.txt" | grep -qx running ||
        { echo "sim.sh: the stopwatch did not start (no \"running\" on the console)" >&2; exit 1; }
    echo $((t1 - t0)) >>"$tmp/wall_ns"
done

awk -v v="$virtual_s" '
    { printf "sim_speed_x %.1f x 50 ge wall\n", v / ($1 / 1e9)
      printf "sim.sh: %d s virtual in %d ms\n", v, $1 / 1e6 > "/dev/stderr" }' "$tmp/wall_ns"
