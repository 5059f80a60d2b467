#!/bin/sh
# MQTT client sizes (issue 15), for the firmware build of lib/mqtt.
# Flash: every function and constant of the quartz_mqtt objects, before the
# link drops what an image does not use (an upper bound; newlib's memcpy,
# memmove, memset and strlen, which it calls, are not counted).
# RAM: the objects' static data plus one struct mqtt_client (the client's
# state, which the application places), measured by compiling one with the
# firmware compiler. The receive, transmit and store buffers are the
# application's (rx_len + tx_len + store_len) and are not counted.
set -eu
objdir=$FW_DIR/lib/CMakeFiles/quartz_mqtt.dir
objs=$(find "$objdir" -name '*.obj' 2>/dev/null | sort)
if [ -z "$objs" ]; then
    echo "mqtt.sh: no objects in $objdir (firmware tree not built)" >&2
    exit 1
fi
# shellcheck disable=SC2086
set -- $(arm-none-eabi-size $objs | awk 'NR > 1 { text += $1; ram += $2 + $3 } END { print text, ram }')
flash=$1 static_ram=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "quartz/mqtt.h"\nstruct mqtt_client mqtt_size_probe;\n' >"$tmp/probe.c"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -fno-common \
    -I"$SRC_DIR/lib/include" -I"$SRC_DIR/include" -c "$tmp/probe.c" -o "$tmp/probe.o"
client=$(arm-none-eabi-nm -S -t d "$tmp/probe.o" | awk '$4 == "mqtt_size_probe" { print $2 + 0 }')
echo "mqtt_flash_bytes $flash bytes 6144 le"
echo "mqtt_ram_bytes $((static_ram + client)) bytes 256 le"
