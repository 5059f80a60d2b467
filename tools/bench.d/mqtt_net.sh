#!/bin/sh
# MQTT over the W5500 on quartz-sim against a real mosquitto on loopback
# (issue 15; tests/sim/mqtt-net): 64 QoS 1 publishes of 64 bytes, one at a
# time, by tests/sim/mqtt-net/client.c.
# mqtt_publish_cpu_cycles: the median of the CPU's awake cycles (DWT
# CYCCNT, which stops in sleep) from mqtt_publish to the PUBACK handled,
# SPI and DMA waits included (the SPI port polls): deterministic, gated.
# net_msgs_per_s: publishes per second of virtual time (TIM5 at 1 MHz),
# which holds while the broker answers within quartz-sim's real-time bound
# (docs/simulator.md); a real broker is in the loop, so it is marked wall.
set -eu
test=$HOST_DIR/tests/sim/mqtt-net/test_mqtt_net
elf=$FW_DIR/tests/sim/mqtt-net/mqtt-net-client.elf
if [ ! -x "$test" ] || [ ! -f "$elf" ]; then
    echo "mqtt_net.sh: no $test or $elf (tree not built, or no mosquitto)" >&2
    exit 1
fi
PATH=/usr/sbin:/sbin:$PATH
export PATH
i=0
while [ $i -lt "$BENCH_RUNS" ]; do
    i=$((i + 1))
    "$test" "$elf" --bench
done
