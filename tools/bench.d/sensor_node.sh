#!/bin/sh
# apps/sensor-node (issue 16): flash and RAM (stacks, process regions and
# buffers included) against 96 KB / 48 KB, and the WFI share in steady
# state at a 1 s and a 10 s interval on quartz-sim against a local
# mosquitto (tests/sim/sensor-node-smoke/bench.sh). Virtual time.
set -eu
elf=$FW_DIR/apps/sensor-node/sensor-node.elf
sim=$HOST_DIR/sim/quartz-sim
[ -f "$elf" ] || { echo "sensor_node.sh: no $elf (firmware tree not built)" >&2; exit 1; }
[ -x "$sim" ] || { echo "sensor_node.sh: no $sim (quartz-sim not built)" >&2; exit 1; }
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] ||
    { echo "sensor_node.sh: no mosquitto (tools/bootstrap installs it)" >&2; exit 1; }
exec bash "$SRC_DIR/tests/sim/sensor-node-smoke/bench.sh" "$sim" "$elf"
