/*
 * Privilege test image (ARMv7-M B1.4.4 CONTROL, B1.5.6-B1.5.8 entry and
 * return, B3.2 "unprivileged access" to the SCS). main() drops to
 * unprivileged Thread mode on the process stack, then from there:
 *   - SVC #1, a SysTick interrupt (started by SVC #3) and a UDF fault are
 *     taken and return to unprivileged code on PSP;
 *   - SCS and DWT accesses BusFault (PRECISERR, BFAR) and are ignored,
 *     except STIR while CCR.USERSETMPEND = 1 (cleared again by SVC #4);
 *   - SVC #2 clears CONTROL.nPRIV: the rest runs privileged.
 * CAN1_TX (IRQ 19) is the STIR target: nothing on the board raises it.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"

#define IRQ_STIR 19 /* CAN1_TX */
#define SPIN_LIMIT 100000u

volatile struct priv_results res;
static uint64_t psp_stack[128]; /* 8-byte aligned */
static volatile uint32_t irq_seen;
static volatile uint32_t last_cfsr, last_bfar, last_pc;

static uint32_t insn_len(uint32_t pc)
{
    uint16_t hw = *(const uint16_t *)pc;
    return (hw >> 11) >= 0x1D ? 4 : 2;
}

static void record(volatile struct priv_entry *e, const uint32_t *frame, uint32_t exc_return)
{
    e->exc_return = exc_return;
    e->frame = (uint32_t)frame;
    e->stacked_r0 = frame[0];
    e->stacked_pc = frame[6];
    e->handler_control = __get_CONTROL();
}

void svc_c(uint32_t *frame, uint32_t exc_return);
void svc_c(uint32_t *frame, uint32_t exc_return)
{
    switch (((const uint8_t *)frame[6])[-2]) {
    case 1: record(&res.svc, frame, exc_return); break;
    case 2: __set_CONTROL(__get_CONTROL() & ~1u); break; /* privileged Thread mode */
    case 3:                                              /* SysTick in 200 cycles */
        SysTick->LOAD = 199;
        SysTick->VAL = 0;
        SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
        break;
    case 4: SCB->CCR &= ~SCB_CCR_USERSETMPEND_Msk; break;
    default: break;
    }
}

void systick_c(uint32_t *frame, uint32_t exc_return);
void systick_c(uint32_t *frame, uint32_t exc_return)
{
    SysTick->CTRL = 0;
    record(&res.irq, frame, exc_return);
    irq_seen = 1;
}

void usage_c(uint32_t *frame, uint32_t exc_return);
void usage_c(uint32_t *frame, uint32_t exc_return)
{
    record(&res.fault, frame, exc_return);
    res.fault_cfsr = SCB->CFSR;
    SCB->CFSR = SCB->CFSR;
    frame[6] += insn_len(frame[6]);
}

void bus_c(uint32_t *frame);
void bus_c(uint32_t *frame)
{
    last_cfsr = SCB->CFSR;
    last_bfar = SCB->BFAR;
    last_pc = frame[6];
    res.bus_faults++;
    SCB->CFSR = SCB->CFSR;
    frame[6] += insn_len(frame[6]);
}

#define FRAME_TO(fn) "tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n mov r1, lr\n b " fn "\n"
__attribute__((naked)) void SVC_Handler(void) { __asm volatile(FRAME_TO("svc_c")); }
__attribute__((naked)) void SysTick_Handler(void) { __asm volatile(FRAME_TO("systick_c")); }
__attribute__((naked)) void UsageFault_Handler(void) { __asm volatile(FRAME_TO("usage_c")); }
__attribute__((naked)) void BusFault_Handler(void) { __asm volatile(FRAME_TO("bus_c")); }

void CAN1_TX_IRQHandler(void)
{
    res.stir_runs++;
}

static uint32_t sp_now(void)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

static void after(volatile struct priv_entry *e)
{
    e->control_after = __get_CONTROL();
    e->sp_after = sp_now();
}

/* An unprivileged load or store of one word, and the fault it raised. */
static uint32_t try_read(volatile uint32_t *reg, volatile uint32_t *cfsr)
{
    uint32_t v = 0xAAAAAAAAu;
    last_cfsr = 0;
    __asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(reg) : "memory");
    *cfsr = last_cfsr;
    return v;
}

static void try_write(volatile uint32_t *reg, uint32_t value, volatile uint32_t *cfsr)
{
    last_cfsr = 0;
    __asm volatile("str %0, [%1]\n dsb" : : "r"(value), "r"(reg) : "memory");
    *cfsr = last_cfsr;
}

void unprivileged_main(void);
void unprivileged_main(void)
{
    /* SVC with r0 = 0x55; the frame goes to PSP */
    register uint32_t r0 __asm("r0") = 0x55;
    uint32_t sp;
    __asm volatile("mov %1, sp\n svc #1\n.global svc_ret\nsvc_ret:\n" : "+r"(r0), "=&r"(sp) : : "memory");
    extern const char svc_ret[];
    res.svc.psp_before = sp;
    res.svc.expected_pc = (uint32_t)svc_ret & ~1u;
    after(&res.svc);

    /* an interrupt taken from unprivileged code */
    res.irq.psp_before = sp_now();
    __asm volatile("svc #3" ::: "memory");
    for (uint32_t i = 0; !irq_seen && i < SPIN_LIMIT; i++) {
    }
    after(&res.irq);

    /* a fault: UDF */
    res.fault.psp_before = sp_now();
    __asm volatile(".global udf_at\nudf_at:\n udf #1\n" ::: "memory");
    extern const char udf_at[];
    res.fault.expected_pc = (uint32_t)udf_at & ~1u;
    after(&res.fault);
    res.unpriv_done = 1;

    /* SCS: CPUID read, VTOR write, NVIC and SysTick; the PPB's DWT */
    uint32_t v = 0xAAAAAAAAu;
    last_cfsr = 0;
    __asm volatile(".global cpuid_at\ncpuid_at:\n ldr %0, [%1]\n" : "+r"(v) : "r"(&SCB->CPUID) : "memory");
    extern const char cpuid_at[];
    res.cpuid_value = v;
    res.cpuid_cfsr = last_cfsr;
    res.cpuid_bfar = last_bfar;
    res.cpuid_pc = last_pc;
    res.cpuid_expected_pc = (uint32_t)cpuid_at & ~1u;
    try_write(&SCB->VTOR, 0x20000000u, &res.vtor_cfsr);
    res.vtor_bfar = last_bfar;
    try_write(&NVIC->ISER[0], 1UL << IRQ_STIR, &res.iser_cfsr);
    (void)try_read(&SysTick->VAL, &res.syst_cfsr);
    (void)try_read(&DWT->CYCCNT, &res.dwt_cfsr);

    /* STIR: allowed with CCR.USERSETMPEND = 1, a BusFault without */
    NVIC->STIR = IRQ_STIR;
    __DSB();
    __ISB();
    __asm volatile("svc #4" ::: "memory");
    try_write(&NVIC->STIR, IRQ_STIR, &res.stir_denied_cfsr);
    __ISB();
    res.stir_denied_runs = res.stir_runs;

    /* back to privileged Thread mode (still on PSP) */
    __asm volatile("svc #2" ::: "memory");
    __ISB();
    res.privileged_after = __get_CONTROL();
    res.vtor_after = SCB->VTOR;
    res.done = 1;
    for (;;)
        __WFI();
}

int main(void)
{
    res.magic0 = PRIV_MAGIC0;
    res.magic1 = PRIV_MAGIC1;
    res.psp_bottom = (uint32_t)&psp_stack[0];
    res.psp_top = (uint32_t)&psp_stack[128];
    res.vtor_before = SCB->VTOR;
    SCB->SHCSR |= SCB_SHCSR_USGFAULTENA_Msk | SCB_SHCSR_BUSFAULTENA_Msk;
    SCB->CCR |= SCB_CCR_USERSETMPEND_Msk;
    NVIC->IPR[IRQ_STIR] = 0x80;
    NVIC->ISER[IRQ_STIR / 32] = 1UL << (IRQ_STIR % 32);
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA_Msk;

    /* CONTROL = SPSEL | nPRIV: unprivileged, on PSP (B1.4.4); one asm
     * statement, so the compiler keeps nothing on the stack it leaves */
    __asm volatile("msr psp, %0\n"
                   "movs r1, #3\n"
                   "msr control, r1\n"
                   "isb\n"
                   "bl unprivileged_main\n"
                   "1: b 1b\n"
                   :
                   : "r"(res.psp_top)
                   : "r1", "lr", "memory");
    return 0;
}
