#!/bin/sh
# perf-listing.sh BENCH.elf [QUARTZ-SIM] > docs/performance-kernel.md
# Writes the kernel performance page with the code paths disassembled from
# the bench image, so the listings always match the code measured. With
# quartz-sim given, the figures are measured now and written into the page.
set -eu
elf=$1
sim=${2:-}
D() { arm-none-eabi-objdump -d --no-show-raw-insn "$elf" | awk "/<$1>:/,/^\$/" | grep -v '^$' | grep -v '\.word'; }
fig() { echo "needs quartz-sim"; }
up() { echo "needs quartz-sim"; }
if [ -n "$sim" ]; then
    out=$(mktemp)
    trap 'rm -f "$out" "$out.upper"' EXIT
    "$sim" --until 1s --console "$out" "$elf" >/dev/null
    "$sim" --cycles upper --until 1s --console "$out.upper" "$elf" >/dev/null
    # The median of the rounds, as tools/bench judges them.
    median() { tr -d '\r' <"$2" | awk -v k="$1" '$1 == k { print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    fig() { median "$1" "$out"; }
    up() { median "$1" "$out.upper"; }
fi
cat <<EOF
# Kernel performance: figures and the code paths behind them

Budgets from issue 5. Cycle figures are DWT CYCCNT differences measured by
\`tests/sim/kernel/bench.c\` on quartz-sim's cycle model (QEMU's CYCCNT is
not a cycle count; the model is described, with its Cortex-M4 TRM sources,
in [simulator.md](simulator.md#cycle-model-and-virtual-time)). Sizes come
from the kernel objects and the bench image.

| metric | budget | measured | upper model | interval |
|---|---|---|---|---|
| \`lock_unlock_cycles\` | <= 4 | $(fig lock_unlock_cycles) | $(up lock_unlock_cycles) | an empty \`sched_lock\` of a resource above the task: lock and unlock |
| \`pend_to_task_cycles\` | <= 40 | $(fig pend_to_task_cycles) | $(up pend_to_task_cycles) | from the STIR store that pends the dispatcher (with the DSB + ISB that \`kcpu_pend\` adds) to the first instruction of the software task |
| \`wake_to_poll_cycles\` | <= 80 | $(fig wake_to_poll_cycles) | $(up wake_to_poll_cycles) | from the call of \`async_wake\` in an interrupt handler to the first instruction of the task's poll, thread-mode executor asleep in WFI |
| \`kernel_flash_bytes\` | <= 4096 | see \`make bench\` | - | whole kernel objects (scheduler, executor, TIM5 monotonic) + code generated in the bench image |
| \`kernel_ram_bytes\` | <= 512 | see \`make bench\` | - | kernel objects' static data + the ready queues (\`sched_rq_*\`) and timer queues (\`sched_timer_*\`, \`sched_tfree_*\`) generated in the bench image; the tasks' message rings and resources excluded |

"upper model" is the same image on quartz-sim's pessimistic cycle model
(\`--cycles upper\`: MSR/MRS/CPSID/CPSIE at 2, ACR.LATENCY wait states on
every non-sequential fetch from flash; simulator.md). The bench image runs
at the 16 MHz reset clock but sets FLASH_ACR.LATENCY to 1, the wait state
the applications need at 48 MHz (RM0390 3.4.1, table 5), so the bound is
the one for the kernel in those applications. pend -> task: +1 for the
vector read, +1 for the dispatcher's first fetch, +1 for its \`b.w\` into
the task (the \`beq\` falls through: sequential, nothing).

Also printed: \`wake_to_poll_irq_cycles\` $(fig wake_to_poll_irq_cycles) (upper model $(up wake_to_poll_irq_cycles); executor bound
to an interrupt below the waker: the wake pends it, the NVIC tail-chains
into it), and the two measurement overheads below.

Commands: \`make bench\` (or \`FW_DIR=build/fw HOST_DIR=build/host sh
tools/bench.d/kernel.sh\`); this page: \`sh tests/sim/kernel/perf-listing.sh
build/fw/tests/sim/kernel/kernel_bench.elf build/host/sim/quartz-sim >
docs/performance-kernel.md\`.

## How the figures are measured

quartz-sim charges a translated block's cycles when the block starts, so a
CYCCNT load sees the cost of its whole block. Every read in bench.c is one
asm statement, \`movw/movt rA, CYCCNT; isb; ldr rX, [rA]; isb\`: the first
ISB ends the block before it, the second leaves the load alone with it in
its own block. Between two reads CYCCNT then advances by the cost of the
code in between plus one read sequence (\`movw\` 1 + \`movt\` 1 + \`isb\` 2 +
\`ldr\` 2 + \`isb\` 2). The empty bracket measures that read sequence
(\`cyccnt_read_cycles\` $(fig cyccnt_read_cycles)), and it is what is subtracted
from every figure: the standard practice of removing the instrument's own
cost. The wake handler must also store its timestamp for the poll to read
(one \`str\`, \`timestamp_store_cycles\` $(fig timestamp_store_cycles), measured
the same way and subtracted from the two wake figures). Nothing else is
subtracted: every other instruction between the two reads, the spawner's
STIR/DSB/ISB, exception entry and return, and the address loads of the code
measured, is counted. Each figure is printed for each of 8 rounds and
judged on their median (\`make bench\` keeps min and max beside it); all
rounds give the same value in the simulator.

The model's choices that matter here (simulator.md): MRS/MSR/CPSID/CPSIE
are "1 or 2" in TRM Table 3-1 and counted 1; branches 1 + P with P = 1;
a conditional branch is counted taken (2) even when it falls through (1 on
silicon), and an instruction skipped inside an IT block costs as if it ran.
The listings below are annotated with the cost of each instruction as the
model counts it; their sums are the figures. With MSR at 2, lock + unlock
would be 6; with the not-taken \`beq\` and the skipped \`ldrne\` at their
silicon cost of 1, pend -> task would be 38.

The listings are \`arm-none-eabi-objdump -d\` of
\`build/fw/tests/sim/kernel/kernel_bench.elf\` (MinSizeRel, GCC 12.2).

## Lock + unlock: two MSRs of constants

\`sched_lock(ctx, res, r) {}\` in \`measure\` (priority 1; \`res\` has ceiling
2, hardware 0xE0). Between the two CYCCNT reads, nothing else:

\`\`\`
EOF
D sched_body_measure | awk '/movs\t.*#224/ { on = 1 } on { print; n++ } n == 4 { exit }'
cat <<'EOF'
```

`movs` 1 + `msr` 1, twice: 4. The old value is not read: the task's
priority is a compile-time constant (as in RTIC), so unlock writes the
hardware value of the ceiling it returns to (here priority 1, 0xF0; in
thread mode 0). That masks nothing more than running at that priority
already does, and the vector that runs a task which may lock puts back the
BASEPRI it found on entry (docs/concurrency.md, "Locks"). A lock whose
ceiling is not above the current one emits nothing.

## Pend -> software task: the dispatcher

The spawner's pend, as `kcpu_pend` does it (in `measure`, right after the
first read): `movs` 1, `str` 1, `dsb` 1, `isb` 2 = 5; then exception entry,
12 (hardware stacking and vector fetch). The dispatcher of priority 2 (one
software task there, so no id ring and no switch): the message ring's tail
and head, the message copied out, the entry freed, the vector pended again
only if more are queued, and a tail call into the task, 23:

```
EOF
D CAN1_RX0_IRQHandler
cat <<'EOF'
```

`ldr` literal 2, `ldr` 2 (its base was just loaded), `ldr` 1 (pipelined
after a load, TRM 3.3.2), `cmp` 1, `beq` 2, `and` 1, `ldr` 3 (register
offset 2, +1: its index was written by the instruction before), `adds` 1,
`cmp` 1, `str` 1, `ittt` 1, the three skipped instructions 2 + 1 + 1, `movs`
1, `b.w` 2. 5 + 12 + 23 = 40. The task's first instruction is the first of
the read sequence:

```
EOF
D sched_body_target
cat <<'EOF'
```

Ring sizes are powers of two with free-running 32-bit indices, so an index
is one `and`. A priority with several software tasks adds a ring of task
ids and a `switch`; a dispatcher whose tasks may lock above their priority
adds one MRS before the call and one MSR after it.

## Spawn

For reference (not in a budget): lock at the spawn ceiling with
BASEPRI_MAX, refuse with -ENOSPC (`mvn r0, #27`) when the reservations
reach the capacity, store the message at the ring's head, unlock, pend the
dispatcher with STIR; DSB + ISB make a more urgent dispatcher run before
`sched_spawn` returns.

```
EOF
D sched_spawn_target_
cat <<'EOF'
```

## Async wake -> poll

The interval starts at the waker's call. In the interrupt handler, after
the timestamp: the tail call into `async_wake`, `b.w` 2:

```
EOF
D CAN2_TX_IRQHandler
cat <<'EOF'
```

`async_wake` is a leaf without a stack frame, so its `bx lr` is the
exception return: 24 for the body (`ldr` 2, `mrs` 1, `cpsid` 1, `ldrb` 2,
`ands` 1, `bne` 2, `str` 1, `ldr` 2, `str` 1, `movs` 1, `str` 1, `strb` 1,
`msr` 1, `ldr` 2, `cmp` 1, `blt` 2, `bx` 2), then exception return, 10. The
list push is three stores through a pointer to the last `next`, no branch:

```
EOF
D async_wake
cat <<'EOF'
```

The thread-mode executor was in the `wfi` with PRIMASK set; the interrupt
ran between `cpsie` and the `mrs` that starts the next lock. From that
`mrs` to the `blx` into the poll, 20: `mrs` 1 (the one lock,
`cpu_irq_lock`, saves PRIMASK so locks nest), `cpsid` 1, `b` 2, `ldr` 2,
`cbnz` 2, `ldr` 2, `str` 1, `cbnz` 2, `str` 1, `strb` 1, `cpsie` 1, `ldr`
2, `blx` 2. 2 + 24 + 10 + 20 = 56 (55 before the executor used the one
lock).

```
EOF
D async_run
cat <<'EOF'
```

What Embassy's 79 measures: the figure comes from the description of
embassy-rs/embassy pull request #2189 ("executor: add faster ARM-specific
impl. Does a wake+poll in 79 cycles in nrf52840"), which does not publish
its bracket; it is one wake and the poll it causes on a Cortex-M4F.
`wake_to_poll_cycles` is the comparable interval taken whole: the waker's
own work, the return from the waker's interrupt and the executor's way
back to the poll, from the first cycle of the wake call to the first
instruction of the poll. The poll's own body is not included (it is the
application's), nor the interrupt's entry before the wake is called.
EOF
