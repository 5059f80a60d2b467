/*
 * The kernel's exception entries: PendSV (the process switch), SVC (the
 * syscall entry), the process fault entries, and the first start.
 * ARMv7-M DDI 0403E: exception entry and return B1.5.6-B1.5.8, the FP
 * extension's lazy context B1.5.7 and B3.2.21 (FPCCR), MPU alias
 * registers B3.5.4, DWT CYCCNT C1.8.
 *
 * FP context: lazy stacking (FPCCR.ASPEN and LSPEN, the reset values, kept).
 * A process that never used the FPU has FType = 1 in its EXC_RETURN and
 * the switch saves nothing for it; one that did has a frame with room for
 * s0-s15 and FPSCR, which the core fills only when the next FP instruction
 * runs: here that is the VSTMDB of s16-s31, so a switch costs the 33 FP
 * words only for processes that use the FPU, and never for the kernel
 * (which uses no FP). Eager saving would cost them on every switch.
 */
    .syntax unified
    .thumb
    .fpu fpv4-sp-d16

    .equ ICSR, 0xE000ED04
    .equ ICSR_PENDSVSET, 1 << 28
    .equ MPU_RBAR, 0xE000ED9C   /* RBAR, RASR, RBAR_A1, RASR_A1 follow each other */
    .equ DWT_CYCCNT, 0xE0001004
    .equ PROC_CONTROL, 20       /* offsetof(struct sys_proc, control), sys_impl.h */
    .equ PROC_CYCLES, 32        /* offsetof(struct sys_proc, cycles) */

/*
 * The switch to sys_next, which the scheduler chose when it pended PendSV
 * (sched.c). PendSV has the lowest priority: it runs after every other
 * handler, tail-chained, never inside a syscall.
 */
    .section .text.PendSV_Handler, "ax", %progbits
    .global PendSV_Handler
    .type PendSV_Handler, %function
    .thumb_func
PendSV_Handler:
    ldr     r12, =DWT_CYCCNT
    ldr     r12, [r12]          /* now: for its CPU time and sys_switch_cycles */
    ldr     r3, =sys_cur
    ldr     r2, [r3]            /* the process that ran, or NULL (idle, or it died) */
    cbz     r2, 2f
    mrs     r0, psp
    tst     lr, #0x10           /* EXC_RETURN.FType 0: it has an FP context */
    bne     1f
    vstmdb  r0!, {s16-s31}      /* (and the core's lazy save of s0-s15, FPSCR) */
1:  stmdb   r0!, {r4-r11, lr}
    str     r0, [r2]            /* sys_proc.sp */
    ldr     r5, =sys_last_cycles /* its CPU time: cycles since the last switch */
    ldr     r6, [r5]
    str     r12, [r5]
    sub     r4, r12, r6
    ldrd    r6, r7, [r2, #PROC_CYCLES]
    adds    r6, r6, r4
    adc     r7, r7, #0
    strd    r6, r7, [r2, #PROC_CYCLES]
    b       3f
2:  ldr     r5, =sys_last_cycles
    str     r12, [r5]
3:  ldr     r1, =sys_next
    ldr     r0, [r1]
    cbnz    r0, 4f
    bl      sys_idle            /* nothing ready: sleeps until something is (r0: it) */
    ldr     r3, =sys_cur
    ldr     r12, =DWT_CYCCNT    /* the switch's own time starts again after the wait */
    ldr     r12, [r12]
    ldr     r5, =sys_last_cycles /* and idle time is nobody's */
    str     r12, [r5]
4:  str     r0, [r3]
    adds    r1, r0, #4
    ldmia   r1, {r4-r7}         /* its RBAR/RASR pairs for regions 2 and 3 */
    ldr     r1, =MPU_RBAR
    stmia   r1, {r4-r7}         /* RBAR (VALID selects the region), RASR, RBAR_A1, RASR_A1 */
    ldr     r2, [r0, #PROC_CONTROL]
    ldr     r0, [r0]
    ldmia   r0!, {r4-r11, lr}
    tst     lr, #0x10
    bne     5f
    vldmia  r0!, {s16-s31}
5:  msr     psp, r0
    msr     control, r2         /* nPRIV of the thread mode it returns to (B1.4.4): 1 for a process */
    ldr     r1, =DWT_CYCCNT     /* sys_switch_cycles: this switch, first instruction to here */
    ldr     r1, [r1]
    sub     r1, r1, r12
    ldr     r2, =sys_switch_cycles
    str     r1, [r2]
    dsb                         /* the new regions apply before the return (B3.5.1) */
    isb
    bx      lr
    .size PendSV_Handler, . - PendSV_Handler
    .ltorg

/* Syscall entry: the frame on the process stack holds r0-r3 (the
 * arguments) and r12 (the number); sys_svc reads them there, because a
 * higher-priority handler that ran first (late arrival, tail-chaining)
 * may have changed the registers themselves. */
    .section .text.SVC_Handler, "ax", %progbits
    .global SVC_Handler
    .type SVC_Handler, %function
    .thumb_func
SVC_Handler:
    mrs     r0, psp
    b       sys_svc
    .size SVC_Handler, . - SVC_Handler

/* MemManage, BusFault, UsageFault, and HardFault: from a process (thread
 * mode on the process stack, EXC_RETURN bit 2) the kernel ends it; from
 * the kernel they go to the runtime's record-and-reset
 * (arch/cortex-m/fault_entry.S). A process's fault reaches HardFault when
 * its MemManage cannot be entered: after a push into the guard, the
 * MemManage frame would land in the guard too (MSTKERR on the entry of a
 * fault handler escalates, B1.5.15). */
    .macro proc_fault name
    .section .text.\name, "ax", %progbits
    .global \name
    .type \name, %function
    .thumb_func
\name:
    tst     lr, #4
    bne     1f
    b       fault_entry
1:  mrs     r0, psp
    mov     r1, lr
    b       sys_fault_proc
    .size \name, . - \name
    .endm
    proc_fault MemManage_Handler
    proc_fault BusFault_Handler
    proc_fault UsageFault_Handler
    proc_fault HardFault_Handler

/* The first switch: the main stack starts over (handlers only from now
 * on) and PendSV runs the first process. Thread mode becomes unprivileged
 * in PendSV (above), not here: an unprivileged thread could neither pend
 * PendSV nor unmask interrupts (CPS is ignored there, B5.2.1), and an SVC
 * from it would stack on the kernel's main stack, which the MPU refuses
 * it (MSTKERR). */
    .section .text.sys_start_first, "ax", %progbits
    .global sys_start_first
    .type sys_start_first, %function
    .thumb_func
sys_start_first:
    ldr     r0, =__stack_top
    msr     msp, r0
    ldr     r0, =ICSR
    ldr     r1, =ICSR_PENDSVSET
    str     r1, [r0]
    cpsie   i
    isb
2:  b       2b
    .size sys_start_first, . - sys_start_first
    .ltorg

/* Where a process's entry returns to: sys_exit(0), unprivileged. */
    .section .text.sys_proc_return, "ax", %progbits
    .global sys_proc_return
    .type sys_proc_return, %function
    .thumb_func
sys_proc_return:
    movs    r0, #0
    movs    r1, #10             /* SYS_EXIT (quartz/sys.h) */
    mov     r12, r1
    svc     #0
3:  b       3b
    .size sys_proc_return, . - sys_proc_return
