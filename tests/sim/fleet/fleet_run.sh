#!/bin/sh
# tools/fleet end to end (ctest sim.fleet): 3 sensor nodes on quartz-sim
# --realtime against a private mosquitto for 30 s, the broker restarted at
# 10 s (down 3 s) and one node reset at 18 s. Checks the summary: every
# node heard, at least 25 readings each, the broker restart seen by every
# node (a reconnect), the reset node back with its seq kept, every node
# drained and no seq lost.
# usage: fleet_run.sh QUARTZ_FLEET QUARTZ_SIM SENSOR_NODE.elf
set -u
fleet=$1 sim=$2 elf=$3
PATH=/usr/sbin:/sbin:$PATH
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' '# one broker restart, one reset' 'at 10s broker-restart down=3s' 'at 18s reset nodes=1' >"$work/faults"
"$fleet" 3 --sim "$sim" --elf "$elf" --duration 30s --warmup 10s --drain 40s --scenario "$work/faults" \
    --out "$work/out" --no-table
status=$?
fail=0
check() { # what, command...
    what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fail=1; fi
}
summary=$work/out/summary.json
field() { sed -n "s/.*\"$1\":\([^,]*\),.*/\1/p" "$summary" | head -1; }
check "fleet exit status 0 ($status)" [ "$status" = 0 ]
check "summary written" [ -s "$summary" ]
check "lost 0 ($(field lost))" [ "$(field lost)" = 0 ]
check "no silent node ($(field silent_nodes))" [ "$(field silent_nodes)" = 0 ]
check "drained ($(field drained))" [ "$(field drained)" = true ]
check "broker restarted once ($(field broker_restarts))" [ "$(field broker_restarts)" = 1 ]
check "no malformed payload ($(field malformed))" [ "$(field malformed)" = 0 ]
# Per node: readings >= 25 (30 s at 1 s, the first after DHCP), reconnects >= 1.
nodes=$(grep -c '^{"id":"quartz-' "$summary")
check "3 nodes in the summary ($nodes)" [ "$nodes" = 3 ]
grep '^{"id":"quartz-' "$summary" | while read -r line; do
    id=$(echo "$line" | sed 's/.*"id":"\([^"]*\)".*/\1/')
    n=$(echo "$line" | sed 's/.*"readings":\([0-9]*\).*/\1/')
    rc=$(echo "$line" | sed 's/.*"reconnects":\([0-9]*\).*/\1/')
    [ "$n" -ge 25 ] || { echo "FAIL: $id: $n readings" >&2; exit 1; }
    [ "$rc" -ge 1 ] || { echo "FAIL: $id: no reconnect after the broker restart" >&2; exit 1; }
    echo "ok: $id: $n readings, $rc reconnects"
done || fail=1
first=$(sed -n 's/.*"id":"\(quartz-[0-9a-f]*\)".*/\1/p' "$summary" | head -1)
check "node 0 was reset and kept its seq" grep -q '^node: quartz-.* record kept, next seq [1-9]' "$work/out/nodes/$first.log"
check "a temperature chart" [ -s "$work/out/temperature.png" ]
if [ $fail != 0 ]; then
    cat "$summary" >&2
    tail -n 30 "$work"/out/nodes/*.log >&2
fi
exit $fail
