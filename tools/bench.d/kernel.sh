#!/bin/sh
# Kernel figures (issue 5). Cycle costs come from the bench image
# (tests/sim/kernel/bench.c: DWT CYCCNT deltas printed on USART2) run on
# quartz-sim, whose cycle model makes them meaningful (QEMU's CYCCNT is not).
# Sizes: the kernel object libraries whole (scheduler, executor, monotonic
# time and its TIM5 port) plus the code sched_app.h generates in the bench image; RAM is
# the kernel's own static data (the tasks' queues and resources are the
# application's and are not counted).
set -eu
elf=$FW_DIR/tests/sim/kernel/kernel_bench.elf
sim=$HOST_DIR/sim/quartz-sim
if [ ! -f "$elf" ]; then
    echo "kernel.sh: no $elf (firmware tree not built)" >&2
    exit 1
fi

# Library part: every function and variable of the kernel objects, before
# the link drops what an image does not use (an upper bound for any image).
objs=$(find "$FW_DIR/kernel/CMakeFiles/quartz_sched.dir" "$FW_DIR/kernel/CMakeFiles/quartz_async.dir" \
            "$FW_DIR/kernel/CMakeFiles/quartz_mono.dir" \
            "$FW_DIR/chip/stm32f446/hal/CMakeFiles/quartz_mono_port.dir" -name '*.obj' | sort)
lib=$(arm-none-eabi-size $objs | awk 'NR > 1 { text += $1; ram += $2 + $3 } END { print text, ram }')
# Generated part: what sched_app.h expands to in the bench image (spawn
# functions, timer callbacks, init, the dispatcher vectors), without the
# application's task bodies, queues and resources.
dispatchers='CAN1_TX_IRQHandler|CAN1_RX0_IRQHandler'
gen=$(arm-none-eabi-nm -S -t d "$elf" | awk -v disp="^($dispatchers)\$" '
    NF == 4 && $3 ~ /^[tT]$/ && ($4 ~ /^sched_(spawn_|spawn_at_|fire_|init$|start$)/ || $4 ~ disp) { text += $2 }
    END { print text + 0 }')
echo "$lib $gen" | awk '{
    printf "kernel_flash_bytes %d bytes 4096 le\n", $1 + $3
    printf "kernel_ram_bytes %d bytes 512 le\n", $2
}'

if [ ! -x "$sim" ]; then
    echo "kernel.sh: $sim not built: lock_unlock_cycles, pend_to_task_cycles and wake_to_poll_cycles need quartz-sim" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$sim" --until 1s --console "$out" "$elf" >/dev/null
grep -q '^END' "$out" || { echo "kernel.sh: bench image did not finish:" >&2; cat "$out" >&2; exit 1; }
awk '
    $1 == "lock_unlock_cycles" { print $1, $2, "cycles 4 le" }
    $1 == "pend_to_task_cycles" { print $1, $2, "cycles 40 le" }
    $1 == "wake_to_poll_cycles" { print $1, $2, "cycles 80 le" }
' "$out"
