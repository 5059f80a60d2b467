/*
 * Common entry of HardFault, MemManage, BusFault, UsageFault and every
 * exception that has no handler (chip vectors.c points them all here).
 *
 * The faulting stack may be unusable: after a stack overflow the main
 * stack pointer is below SRAM (stack at the bottom of RAM, see
 * docs/architecture.md), so nothing is pushed before SP is moved back into
 * the stack region. EXC_RETURN bit 2 tells which stack holds the frame
 * (ARMv7-M B1.5.8). SP becomes the frame address when the frame lies at
 * least 256 bytes above the bottom of the main stack (the C code below it
 * cannot reach the frame or run off the region), otherwise the top of the
 * main stack (the frame is then near the bottom, elsewhere or nowhere).
 * fault_save() in fault.c never returns: it records and resets.
 */
    .syntax unified
    .thumb

    .section .text.fault_entry, "ax", %progbits
    .global fault_entry
    .type fault_entry, %function
    .thumb_func
fault_entry:
    tst     lr, #4
    ite     eq
    mrseq   r0, msp
    mrsne   r0, psp
    mov     r1, lr
    ldr     r2, =__stack_start + 256
    ldr     r3, =__stack_top
    cmp     r0, r2
    blo     1f
    cmp     r0, r3
    bhs     1f
    bic     r3, r0, #7          /* AAPCS: SP 8-byte aligned at a call */
1:  mov     sp, r3
    b       fault_save
    .size fault_entry, . - fault_entry
    .ltorg
