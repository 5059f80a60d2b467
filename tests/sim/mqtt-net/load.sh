#!/bin/sh
# sim_mqtt_net N times (default 20) while two busy loops keep both cores of
# the development machine loaded; prints passes and failures, exits 1 on
# any failure. Not part of `make test` (about 20 s a run under load):
#   tests/sim/mqtt-net/load.sh build/host [N]
set -u
HOST=${1:?usage: load.sh HOST_BUILD_DIR [N]}
N=${2:-20}
spin() { while :; do :; done; }
spin & a=$!
spin & b=$!
trap 'kill $a $b 2>/dev/null' EXIT INT TERM
pass=0 fail=0
i=0
start=$(date +%s)
while [ $i -lt "$N" ]; do
    i=$((i + 1))
    if (cd "$HOST" && ctest -R '^sim_mqtt_net$' --output-on-failure >"/tmp/sim_mqtt_net_load.$i.log" 2>&1); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "run $i failed: /tmp/sim_mqtt_net_load.$i.log"
    fi
done
echo "sim_mqtt_net under load: $pass of $N passed in $(($(date +%s) - start)) s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$fail" -eq 0 ]
