#!/bin/bash
# The sensor node's bench figures (tools/bench.d/sensor_node.sh):
#   sensor_node_flash_bytes  .isr_vector + .text + .rodata + .ARM.exidx + .data
#   sensor_node_ram_bytes    the RAM the image spans, stacks and process
#                            regions with their alignment gaps included
#   sensor_node_wfi_share_1s, _10s  the sleep share of the CPU's cycles in
#                            steady state at a 1 s and a 10 s interval: from
#                            two runs of the same script against a local
#                            mosquitto, (sleep cycles between T1 and T2) /
#                            (cycles between T1 and T2), so the boot (DHCP,
#                            the first connection) is left out. Virtual
#                            time, deterministic up to the broker's answers.
# usage: bench.sh QUARTZ_SIM ELF
set -u
sim=$1 elf=$2
PATH=/usr/sbin:/sbin:$PATH
. "$(dirname "$0")/with_broker.sh"
work=$(mktemp -d)
trap 'broker_stop; rm -rf "$work"' EXIT

arm-none-eabi-size -A "$elf" | awk '
    $1 == ".isr_vector" || $1 == ".text" || $1 == ".rodata" || $1 == ".ARM.exidx" { flash += $2 }
    $3 >= 536870912 && $3 < 805306368 && $2 > 0 { if ($3 + $2 > ram_end) ram_end = $3 + $2 }
    $1 == ".data" { flash += $2 }
    END {
        printf "sensor_node_flash_bytes %d bytes 98304 le\n", flash
        printf "sensor_node_ram_bytes %d bytes 49152 le\n", ram_end - 536870912
    }'

broker_start || exit 1
field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"; }
share() { # metric budget t1 t2 sim-options...
    local metric=$1 budget=$2 t1=$3 t2=$4
    shift 4
    for t in "$t1" "$t2"; do
        "$sim" --w5500 --net-forward "10.0.2.2:1883=127.0.0.1:$BROKER_PORT" --until "$t" \
            --report "$work/$t.json" "$@" "$elf" >"$work/$t.console" 2>&1 || return 1
    done
    local c1 s1 c2 s2
    c1=$(field "$work/$t1.json" cycles) s1=$(field "$work/$t1.json" sleep_cycles)
    c2=$(field "$work/$t2.json" cycles) s2=$(field "$work/$t2.json" sleep_cycles)
    grep -q '^mqtt: connected' "$work/$t2.console" || { echo "bench.sh: $metric: the node never connected" >&2; return 1; }
    awk -v m="$metric" -v b="$budget" -v c="$((c2 - c1))" -v s="$((s2 - s1))" \
        'BEGIN { printf "%s %.5f ratio %s ge\n", m, s / c, b }'
}
# 1 s: set from the console (and saved) at 1 s; 60 samples measured.
share sensor_node_wfi_share_1s 0.99 30s 90s --rx 'set interval 1\r@1s' --rx 'save\r@1500ms' || exit 1
# 10 s: the default; 6 samples measured.
share sensor_node_wfi_share_10s 0.998 30s 90s || exit 1
