#!/bin/sh
# The kernel layer's figures (issue 14, kernel/sys, docs/os.md).
# Sizes: the quartz_sys objects whole (before the link drops anything).
# sys_ram_bytes is the kernel's own state (process table, fd tables, wait
# queues, fault records, scheduler, console receive buffer, button queue);
# the device data, the SSD1306 driver instance behind /dev/oled0 (its 1 KB
# frame), the BME280 driver instance behind /dev/temp0.. (calibration,
# sample) and the /dev/log0 ring, are reported apart as
# sys_dev_buffer_bytes; process regions (stacks and data, the sensor
# worker's too) are the processes'.
# Cycles: tests/sim/os/fw/bench.c on quartz-sim (one line per round;
# tools/bench judges the median), then the same on the pessimistic model
# (--cycles upper, reported beside, not gated).
set -eu
dir=$FW_DIR/kernel/CMakeFiles/quartz_sys.dir
elf=$FW_DIR/tests/sim/os/os-bench.elf
sim=$HOST_DIR/sim/quartz-sim
if [ ! -d "$dir" ] || [ ! -f "$elf" ]; then
    echo "os.sh: no $dir or $elf (firmware tree not built)" >&2
    exit 1
fi
objs=$(find "$dir" -name '*.obj' | sort)
text=$(arm-none-eabi-size $objs | awk 'NR > 1 { text += $1 } END { print text }')
# objdump -t: "addr flags O section size name"; data and bss objects only.
for o in $objs; do arm-none-eabi-objdump -t "$o"; done | awk -v text="$text" '
    function hex(h,    i, v) {
        v = 0
        for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
        return v
    }
    / O / {
        sec = $(NF - 2); size = hex($(NF - 1)); name = $NF
        if (sec ~ /^\.sys_proc/) next                                 # a process region (the sensor worker)
        if (sec !~ /^\.(bss|data)/) next
        if (name == "oled" || name == "log_ring" || name == "bme") dev += size; else ram += size
    }
    END {
        printf "sys_flash_bytes %d bytes 8192 le\n", text
        printf "sys_ram_bytes %d bytes 1024 le\n", ram
        printf "sys_dev_buffer_bytes %d bytes - -\n", dev
    }'
if [ ! -x "$sim" ]; then
    echo "os.sh: $sim not built: the cycle figures need quartz-sim" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for model in default upper; do
    "$sim" --cycles "$model" --until 1s --console "$out" "$elf" >/dev/null
    grep -q '^END' "$out" || { echo "os.sh: bench image did not finish ($model model):" >&2; cat "$out" >&2; exit 1; }
    tr -d '\r' <"$out" | awk -v model="$model" '
        function line(budget) {
            if (model == "upper") print $1 "_upper", $2, "cycles - -"
            else print $1, $2, "cycles", budget, (budget == "-" ? "-" : "le")
        }
        $1 == "syscall_null_cycles" { line(80) }
        $1 == "ctx_switch_cycles" { line(150) }
        $1 == "syscall_null_fp_cycles" || $1 == "ctx_switch_fp_cycles" { line("-") }
        $1 == "yield_switch_cycles" || $1 == "yield_switch_fp_cycles" { line("-") }
    '
done
