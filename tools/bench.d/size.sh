#!/bin/sh
# Stopwatch image size against its budget (docs/performance.md):
# flash = .isr_vector + .text + .rodata + .ARM.exidx + .data, RAM = .noinit + .data + .bss
# (stack apart). Prints nothing until the stopwatch image exists.
set -eu
LIST="$FW_DIR/images.txt"
[ -f "$LIST" ] || exit 0
elf=$(awk '$1 == "stopwatch" { print $2 }' "$LIST")
[ -n "$elf" ] && [ -f "$elf" ] || exit 0
arm-none-eabi-size -A "$elf" | awk '
    $1 == ".isr_vector" || $1 == ".text" || $1 == ".rodata" || $1 == ".ARM.exidx" { flash += $2 }
    $1 == ".data" { flash += $2; ram += $2 }
    $1 == ".bss" || $1 == ".noinit" { ram += $2 }
    END {
        printf "stopwatch_flash_bytes %d bytes 16384 le\n", flash
        printf "stopwatch_ram_bytes %d bytes 4096 le\n", ram
    }'
