#!/bin/sh
# apps/env-monitor (issue 13): image size against its budget, as size.sh
# counts it (flash = .isr_vector + .text + .rodata + .ARM.exidx + .data,
# RAM = .noinit + .data + .bss, stack apart), and env_monitor_wfi_share,
# the sleep share while it samples once a second on quartz-sim
# (tests/sim/env-monitor/bench_env_monitor.c). Virtual time, deterministic.
set -eu
elf=$FW_DIR/apps/env-monitor/env-monitor.elf
bench=$HOST_DIR/tests/sim/env-monitor/bench_env_monitor
[ -f "$elf" ] || { echo "env_monitor.sh: no $elf (firmware tree not built)" >&2; exit 1; }
[ -x "$bench" ] || { echo "env_monitor.sh: no $bench (quartz-sim not built)" >&2; exit 1; }
arm-none-eabi-size -A "$elf" | awk '
    $1 == ".isr_vector" || $1 == ".text" || $1 == ".rodata" || $1 == ".ARM.exidx" { flash += $2 }
    $1 == ".data" { flash += $2; ram += $2 }
    $1 == ".bss" || $1 == ".noinit" { ram += $2 }
    END {
        printf "env_monitor_flash_bytes %d bytes 24576 le\n", flash
        printf "env_monitor_ram_bytes %d bytes 4096 le\n", ram
    }'
"$bench" "$elf"
