#!/bin/sh
# Kernel figures (issue 5). Cycle costs come from the bench image
# (tests/sim/kernel/bench.c: DWT CYCCNT deltas printed on USART2) run on
# quartz-sim, whose cycle model makes them meaningful (QEMU's CYCCNT is not).
# Sizes: the kernel object libraries whole (scheduler, executor,
# monotonic time and its TIM5 port) plus the code sched_app.h generates in the bench image; RAM is
# the kernel objects' static data plus the ready queues (sched_rq_*) and
# timer queues (sched_timer_*, and their free lists sched_tfree_*) that
# sched_app.h generates in the bench image. The tasks' message rings
# (sched_q_*) and resources (sched_res_*) are sized by the application and
# are not counted. tests/sim/bench/kernel_ram.sh checks the RAM figure.
# Cycle figures: one line per round of the bench image (tools/bench judges
# the median), then the same image on the pessimistic cycle model
# (--cycles upper): the *_upper figures, reported beside, not gated.
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
nm=$(arm-none-eabi-nm -S -t d "$elf")
gen=$(echo "$nm" | awk -v disp="^($dispatchers)\$" '
    NF == 4 && $3 ~ /^[tT]$/ && ($4 ~ /^sched_(spawn_|spawn_at_|fire_|init$|start$)/ || $4 ~ disp) { text += $2 }
    END { print text + 0 }')
gen_ram=$(echo "$nm" | awk '
    NF == 4 && $3 ~ /^[bBdD]$/ && $4 ~ /^sched_(rq|timer|tfree)_/ { ram += $2 }
    END { print ram + 0 }')
echo "$lib $gen $gen_ram" | awk '{
    printf "kernel_flash_bytes %d bytes 4096 le\n", $1 + $3
    printf "kernel_ram_bytes %d bytes 512 le\n", $2 + $4
}'

if [ ! -x "$sim" ]; then
    echo "kernel.sh: $sim not built: lock_unlock_cycles, pend_to_task_cycles and wake_to_poll_cycles need quartz-sim" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for model in default upper; do
    "$sim" --cycles "$model" --until 1s --console "$out" "$elf" >/dev/null
    grep -q '^END' "$out" || { echo "kernel.sh: bench image did not finish ($model model):" >&2; cat "$out" >&2; exit 1; }
    tr -d '\r' <"$out" | awk -v model="$model" '
        function line(budget) {
            if (model == "upper") print $1 "_upper", $2, "cycles - -"
            else print $1, $2, "cycles", budget, (budget == "-" ? "-" : "le")
        }
        $1 == "lock_unlock_cycles" { line(4) }
        $1 == "pend_to_task_cycles" { line(40) }
        $1 == "wake_to_poll_cycles" { line(80) }
        $1 == "wake_to_poll_irq_cycles" { line("-") }
    '
done
