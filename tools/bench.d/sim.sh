#!/bin/sh
# quartz-sim speed (issue 3, "Speed"): the stopwatch image headless and
# running (B1 pressed at 100 ms starts it), virtual time / wall time.
# Wall time is the whole quartz-sim process (start-up, ELF load, run,
# report), measured with date around it. Best (fastest) of $runs runs: on a
# shared machine the least disturbed run is the closest to the simulator's
# own speed; all runs and the median go to stderr.
set -eu
elf=$FW_DIR/apps/stopwatch/stopwatch.elf
sim=$HOST_DIR/sim/quartz-sim
[ -f "$elf" ] || { echo "sim.sh: no $elf (firmware tree not built)" >&2; exit 1; }
[ -x "$sim" ] || { echo "sim.sh: no $sim (host tree not built)" >&2; exit 1; }

virtual_s=20
runs=3
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

sort -n "$tmp/wall_ns" | awk -v v="$virtual_s" -v n="$runs" '
    { ns[NR] = $1 }
    END {
        best = ns[1]; median = ns[int((n + 1) / 2)]
        printf "sim.sh: %d s virtual in", v > "/dev/stderr"
        for (i = 1; i <= NR; i++) printf " %d", ns[i] / 1e6 > "/dev/stderr"
        printf " ms; best %.1fx, median %.1fx\n", v / (best / 1e9), v / (median / 1e9) > "/dev/stderr"
        printf "sim_speed_x %.1f x 50 ge\n", v / (best / 1e9)
    }'
