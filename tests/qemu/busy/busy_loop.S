/*
 * uint32_t busy_loop(uint32_t iterations, const uint32_t *data)
 * Five instructions per iteration (a load, two ALU operations, the counter
 * decrement, the branch), in assembly so that the count does not depend on
 * the compiler; tools/bench.d/qemu.sh counts them in the disassembly.
 * iterations must be at least 1.
 */
    .syntax unified
    .thumb
    .text
    .global busy_loop
    .type busy_loop, %function
    .thumb_func
busy_loop:
    movs r2, #0
1:
    ldr r3, [r1]
    add r2, r2, r3
    eor r2, r2, r0
    subs r0, r0, #1
    bne 1b
    mov r0, r2
    bx lr
    .size busy_loop, . - busy_loop
