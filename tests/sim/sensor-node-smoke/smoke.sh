#!/bin/bash
# apps/sensor-node on quartz-sim against a real mosquitto (issue 16,
# milestone 1): DHCP, the connection, quartz/<id>/status "online"
# (retained) and quartz/<id>/env at QoS 1 with seq 0, 1, 2, 3 at the
# default 10 s interval; the id on the console is the one in the topics.
# Run twice: the default UID and --uid (a fleet node's), whose id differs.
# usage: smoke.sh QUARTZ_SIM ELF
set -u
sim=$1 elf=$2
PATH=/usr/sbin:/sbin:$PATH
. "$(dirname "$0")/with_broker.sh"
work=$(mktemp -d)
trap 'broker_stop; rm -rf "$work"' EXIT
broker_start || exit 1
fail=0
check() { # what, condition result
    if [ "$2" != 0 ]; then
        echo "FAIL: $1" >&2
        fail=1
    else
        echo "ok: $1"
    fi
}

run() { # label, extra sim options...
    local label=$1
    shift
    # 5 messages: status online and env seq 0..3 (samples at 0, 10, 20, 30 s);
    # -R: not the retained status an earlier run left.
    mosquitto_sub -p "$BROKER_PORT" -t 'quartz/+/status' -t 'quartz/+/env' -v -q 1 -R -C 5 -W 120 \
        >"$work/$label.sub" 2>&1 &
    local sub=$!
    sleep 0.3
    "$sim" --w5500 --net-forward "10.0.2.2:1883=127.0.0.1:$BROKER_PORT" --until 32s "$@" "$elf" \
        >"$work/$label.console" 2>&1
    wait $sub
    local id
    id=$(sed -n 's/^node: \(quartz-[0-9a-f]\{6\}\) .*/\1/p' "$work/$label.console" | head -1)
    check "$label: id on the console ($id)" "$([ -n "$id" ]; echo $?)"
    check "$label: dhcp lease" "$(grep -q '^net: dhcp 10\.0\.2\.' "$work/$label.console"; echo $?)"
    check "$label: connected" "$(grep -q "^mqtt: connected 10.0.2.2:1883 as $id" "$work/$label.console"; echo $?)"
    check "$label: status online" "$(grep -qx "quartz/$id/status online" "$work/$label.sub"; echo $?)"
    local seqs
    seqs=$(sed -n "s|^quartz/$id/env {\"seq\":\([0-9]*\),\"uptime_ms\":[0-9]*,\"t\":[0-9.]*,\"p\":[0-9]*,\"h\":[0-9.]*,\"die_t\":[0-9.]*}\$|\1|p" \
        "$work/$label.sub" | tr '\n' ' ')
    check "$label: env seq 0 1 2 3 in order ($seqs)" "$([ "$seqs" = "0 1 2 3 " ]; echo $?)"
    echo "$id" >"$work/$label.id"
}

run default
run uid --uid 0123456789abcdef01234567
id1=$(cat "$work/default.id") id2=$(cat "$work/uid.id")
check "the UID makes the id ($id1, $id2)" "$([ -n "$id1" ] && [ -n "$id2" ] && [ "$id1" != "$id2" ]; echo $?)"
if [ $fail != 0 ]; then
    for f in "$work"/*; do echo "--- $f"; cat "$f"; done >&2
fi
exit $fail
