#!/bin/sh
# Process switches cost quartz-sim no change of Unicorn's memory map once
# the pages that move are mapped (sim/core/mpu_map.c, mmio_page): each such
# change flushes Unicorn's whole TLB, some 0.2-5 ms of host time, and a
# fleet of sensor nodes switching processes every sample paid it on every
# switch. The sensor-node image (four processes, MPU regions 2 and 3 set
# at each switch) runs 10 s and 40 s of virtual time: the report's
# PendSV count grows, its mpu_map_commits must not.
# Usage: switch_commits.sh QUARTZ_SIM SENSOR_NODE_ELF
set -eu
sim=$1 elf=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["irq_counts"].get("PendSV", 0) if sys.argv[2] == "pendsv" else d["mpu_map_commits"])' "$1" "$2"; }
for t in 10 40; do
    "$sim" --until "${t}s" --console /dev/null --report "$work/$t.json" "$elf" >/dev/null
done
p10=$(field "$work/10.json" pendsv) p40=$(field "$work/40.json" pendsv)
c10=$(field "$work/10.json" commits) c40=$(field "$work/40.json" commits)
echo "switch_commits: PendSV $p10 -> $p40, mpu_map_commits $c10 -> $c40"
[ $((p40 - p10)) -ge 10 ] || { echo "switch_commits: too few switches to tell" >&2; exit 1; }
[ "$c40" -eq "$c10" ] || { echo "switch_commits: $((c40 - c10)) map changes for $((p40 - p10)) switches" >&2; exit 1; }
