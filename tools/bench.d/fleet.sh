#!/bin/sh
# tools/fleet (issue 16): wall-clock figures of a fleet of sensor nodes on
# quartz-sim against a private mosquitto. Minutes long, so left out of
# make test's quick bench (BENCH_QUICK=1) and run once, not BENCH_RUNS
# times. docs/sensor-node.md, "Running a fleet".
#
# fleet_nodes_realtime: the most nodes kept at real-time pacing for
#   FLEET_BENCH_SECONDS (300) at a 1 s interval: the fleet is run with
#   N = each of FLEET_BENCH_STEPS in turn until one fails; a run passes when
#   no node was more than 1 s behind (summary nodes_behind 0: the lag of each
#   reading, its arrival minus the node's start and its uptime_ms, and each
#   silence longer than the interval, after a 15 s warm-up) and nothing was
#   lost. Budget 100 (target 500).
# fleet_msgs_lost: seqs lost across the fault script below with
#   FLEET_LOSS_NODES (20) nodes: a broker restart, 30 % of the links down
#   for 40 s, 10 % of the nodes reset. Must be 0.
# fleet_cpu_ms_per_node_s_procs / _threads: CPU time per node and second of
#   real time, 20 nodes for 30 s, as quartz-sim processes and as boards in
#   one process on 2 threads (tools/fleet.d/scale.c): the choice.
set -eu
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    echo "fleet.sh: minutes of wall clock, not in the quick bench" >&2
    exit 0
fi
fleet=$HOST_DIR/tools/fleet.d/quartz-fleet
scale=$HOST_DIR/tools/fleet.d/fleet-scale
sim=$HOST_DIR/sim/quartz-sim
elf=$FW_DIR/apps/sensor-node/sensor-node.elf
for f in "$fleet" "$scale" "$sim" "$elf"; do
    [ -e "$f" ] || { echo "fleet.sh: no $f (tree not built)" >&2; exit 1; }
done
PATH=/usr/sbin:/sbin:$PATH
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { sed -n "s/.*\"$2\":\([^,]*\),.*/\1/p" "$1" | head -1; }

# Processes against threads.
port=$("$scale" port)
mosquitto -p "$port" >/dev/null 2>&1 &
broker=$!
sleep 0.5
for id in $("$scale" ids 20); do
    mosquitto_pub -p "$port" -q 1 -r -t "quartz/$id/cmd" -m '{"interval_s":1}'
done
for mode in procs threads; do
    "$scale" $mode "$sim" "$elf" 20 30 "$port" 2 >"$work/$mode" || true
    echo "fleet.sh: $(cat "$work/$mode")" >&2
    v=$(sed -n 's/.*cpu_ms_per_node_s \([0-9.]*\).*/\1/p' "$work/$mode")
    [ -n "$v" ] && echo "fleet_cpu_ms_per_node_s_$mode $v ms - le wall"
done
kill "$broker"
wait "$broker" 2>/dev/null || true

# Losses across the fault script.
printf '%s\n' 'at 30s broker-restart down=10s' 'at 60s link-down nodes=30% for=40s' 'at 110s reset nodes=10%' \
    >"$work/faults"
status=0
"$fleet" "${FLEET_LOSS_NODES:-20}" --sim "$sim" --elf "$elf" --duration 150s --scenario "$work/faults" \
    --out "$work/loss" --no-table >&2 || status=$?
lost=$(field "$work/loss/summary.json" lost)
[ -n "$lost" ] || { echo "fleet.sh: no summary from the fault run" >&2; exit 1; }
echo "fleet_msgs_lost $lost msgs 0 le wall"
[ "$status" = 0 ] || echo "fleet.sh: the fault run failed (status $status; silent or undrained nodes?)" >&2

# The most nodes at real time.
best=0
for n in ${FLEET_BENCH_STEPS:-10 25 50 75 100 150 200 300 400 500}; do
    ok=1
    "$fleet" "$n" --sim "$sim" --elf "$elf" --duration "${FLEET_BENCH_SECONDS:-300}s" --out "$work/rt$n" \
        --no-table >"$work/rt$n.log" 2>&1 || ok=0
    behind=$(field "$work/rt$n/summary.json" nodes_behind)
    lag=$(field "$work/rt$n/summary.json" max_lag_ms)
    echo "fleet.sh: $n nodes: $(tail -n 2 "$work/rt$n.log" | head -n 1)" >&2
    [ "${behind:-1}" = 0 ] || ok=0
    [ $ok = 1 ] || break
    best=$n
done
echo "fleet_nodes_realtime $best nodes 100 ge wall"
