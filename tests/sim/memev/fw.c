/*
 * memev test image (issue 10: memory map, SysTick and events, reset values):
 *   - bit-band aliases of SRAM and of peripherals (ARMv7-M A3.7, PM0214
 *     2.2.5): word, halfword and byte alias accesses, code in SRAM changed
 *     through the alias, the alias past SRAM (precise BusFault), peripheral
 *     read-modify-writes with their side effects;
 *   - the debug pins' reset values after an RCC reset pulse (RM0390 7.4);
 *   - SYST_CALIB at two HCLK settings (RM0390 10.1.2, PM0214 4.5.4);
 *   - WFE and SEV (ARMv7-M B1.5.18): SEV, an exception return, SEVONPEND
 *     with a disabled and with a masked interrupt, an interrupt, and last an
 *     EXTI event line on PC13 (RM0390 10.2.3) that the host presses.
 * Times are TIM5 counts at 16 MHz (HCLK = PCLK1, timer clock = HCLK).
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"
#include "stm32f446/regs.h"

#define SRAM_BASE_ADDR 0x20000000u
#define SRAM_ALIAS 0x22000000u
#define PERIPH_BASE_ADDR 0x40000000u
#define PERIPH_ALIAS 0x42000000u
#define SRAM_BYTES (128u * 1024u)

/* The alias word of bit `bit` of the byte at `addr` (A3.7.2). */
#define BB_SRAM(addr, bit) \
    ((volatile uint32_t *)(SRAM_ALIAS + ((uint32_t)(addr) - SRAM_BASE_ADDR) * 32u + (uint32_t)(bit) * 4u))
#define BB_PERIPH(addr, bit) \
    ((volatile uint32_t *)(PERIPH_ALIAS + ((uint32_t)(addr) - PERIPH_BASE_ADDR) * 32u + (uint32_t)(bit) * 4u))

#define HPRE_DIV2 8u        /* RCC_CFGR HPRE 1000: SYSCLK / 2 (RM0390 6.3.3) */
#define EXTICR_PORT_C 2u    /* SYSCFG_EXTICRx: 0010 = PC[x] (RM0390 8.2.6) */
#define MOVS_R0_0X10 0x2010u /* Thumb MOVS r0, #0x10 */
#define BX_LR 0x4770u
#define SYSTICK_WRAP 100u
#define USART2_BRR_115200 0x8Bu /* 16 MHz / (16 * 8.6875) (RM0390 25.4.4) */
#define RX_POLL_LIMIT 200000u   /* > 25 ms of polling: the byte arrives at ~1.1 ms */
#define PRIO_TIM2 0x40u
#define PRIO_TIM3 0xC0u

volatile struct memev_results res;
static volatile uint32_t bb_word = 0x00F00000u;
/* Code in SRAM, alone on its 1 KB page: Unicorn 2.0.1 leaks the
 * self-modifying-code bitmap it allocates when a store hits a page that
 * holds translated code (docs/simulator.md, Unicorn notes). */
#define RAM_CODE_PAGE 1024u
static volatile uint16_t ram_code[RAM_CODE_PAGE / 2] __attribute__((aligned(RAM_CODE_PAGE)));
static volatile uint32_t tim3_runs;

/* ---- faults: the bit-band alias past SRAM is a precise BusFault -------- */

void bus_c(uint32_t *frame);
void bus_c(uint32_t *frame)
{
    res.bus_cfsr = SCB->CFSR;
    res.bus_bfar = SCB->BFAR;
    res.bus_faults++;
    SCB->CFSR = SCB->CFSR;
    frame[6] += 2; /* the 16-bit load below */
}

__attribute__((naked)) void BusFault_Handler(void)
{
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b bus_c\n");
}

/* ---- timers: TIM5 free-running clock, TIM2 the backstop wake-up --------- */

void TIM2_IRQHandler(void)
{
    TIM2->SR = ~TIM_SR_UIF;
    TIM2->CR1 = 0;
    res.backstops++;
}

void TIM3_IRQHandler(void)
{
    TIM3->SR = ~TIM_SR_UIF;
    TIM3->CR1 = 0;
    tim3_runs++;
}

void CAN1_TX_IRQHandler(void)
{
}

static void irq_enable(int irq, uint8_t prio)
{
    NVIC->IPR[irq] = prio;
    NVIC->ISER[irq / 32] = 1u << (irq % 32);
}

static void irq_disable(int irq)
{
    NVIC->ICER[irq / 32] = 1u << (irq % 32);
    NVIC->ICPR[irq / 32] = 1u << (irq % 32);
    __DSB();
    __ISB();
}

/* One update event of `tim` after `cycles` timer clocks, interrupt enabled in the timer. */
static void one_shot(struct stm32_tim *tim, uint32_t cycles)
{
    tim->CR1 = 0;
    tim->PSC = 0;
    tim->CNT = 0;
    tim->ARR = cycles - 1u;
    tim->SR = 0;
    tim->DIER = TIM_DIER_UIE;
    tim->CR1 = TIM_CR1_CEN;
}

static void stop(struct stm32_tim *tim, int irq)
{
    tim->CR1 = 0;
    tim->DIER = 0;
    tim->SR = 0;
    NVIC->ICPR[irq / 32] = 1u << (irq % 32);
    __DSB();
    __ISB();
}

/* Clears the event register (SEV, then a WFE that returns at once), with
 * the backstop bounding the WFE should SEV not set it. */
static void clear_event(void)
{
    one_shot(TIM2, 1600u);
    __SEV();
    __WFE();
    stop(TIM2, TIM2_IRQn);
}

/* TIM5 counts across one WFE, the TIM2 interrupt as a backstop after `backstop` counts. */
static uint32_t timed_wfe(uint32_t backstop)
{
    one_shot(TIM2, backstop);
    uint32_t t0 = TIM5->CNT;
    __WFE();
    uint32_t t1 = TIM5->CNT;
    stop(TIM2, TIM2_IRQn);
    return t1 - t0;
}

/* The same with the 32-bit encoding, WFE.W. */
static uint32_t timed_wfe_w(uint32_t backstop)
{
    one_shot(TIM2, backstop);
    uint32_t t0 = TIM5->CNT;
    __asm volatile("wfe.w" ::: "memory");
    uint32_t t1 = TIM5->CNT;
    stop(TIM2, TIM2_IRQn);
    return t1 - t0;
}

/* ---- sections ------------------------------------------------------------ */

static void bitband_sram(void)
{
    *BB_SRAM(&bb_word, 3) = 1u;           /* set bit 3 */
    *BB_SRAM(&bb_word, 20) = 0xFFFFFFFEu; /* bit 0 of the value is 0: clear bit 20 */
    res.sram_word = bb_word;
    res.sram_bits = *BB_SRAM(&bb_word, 21) | *BB_SRAM(&bb_word, 0) << 1 | *BB_SRAM(&bb_word, 3) << 2;
    *(volatile uint8_t *)BB_SRAM(&bb_word, 31) = 1u; /* byte alias access */
    res.sram_half_read = *(volatile uint16_t *)BB_SRAM(&bb_word, 31);
    res.sram_word_after_byte = bb_word;

    /* Code in SRAM, changed through the alias between two calls. */
    ram_code[0] = MOVS_R0_0X10;
    ram_code[1] = BX_LR;
    __DSB();
    __ISB();
    uint32_t (*code)(void) = (uint32_t (*)(void))((uint32_t)ram_code | 1u);
    res.code_before = code();
    *BB_SRAM(&ram_code[0], 0) = 1u; /* MOVS r0, #0x11 */
    __DSB();
    __ISB();
    res.code_after = code();

    /* The alias of the first byte past SRAM. */
    SCB->SHCSR |= SCB_SHCSR_BUSFAULTENA;
    volatile uint32_t *past = BB_SRAM(SRAM_BASE_ADDR + SRAM_BYTES, 0);
    uint32_t v;
    __asm volatile("ldr %0, [%1]" : "=l"(v) : "l"(past) : "memory");
    (void)v;
}

static void bitband_periph(void)
{
    res.gpioa_moder_gated = GPIOA->MODER;
    *BB_PERIPH(&RCC->AHB1ENR, RCC_AHB1ENR_GPIOAEN_Pos) = 1u; /* the clock, through the alias */
    (void)RCC->AHB1ENR;
    res.gpioa_moder_clocked = GPIOA->MODER;

    GPIOA->MODER = (GPIOA->MODER & ~(3u << 10)) | (1u << 10); /* PA5 output (LD2) */
    *BB_PERIPH(&GPIOA->ODR, 5) = 1u;
    res.odr_after_set = GPIOA->ODR;
    res.idr5_high = *BB_PERIPH(&GPIOA->IDR, 5);
    *BB_PERIPH(&GPIOA->ODR, 5) = 0u;
    res.idr5_low = *BB_PERIPH(&GPIOA->IDR, 5);
    *(volatile uint8_t *)BB_PERIPH(&GPIOA->ODR, 9) = 1u; /* byte alias: RMW of ODR's byte 1 */
    res.odr_after_byte = GPIOA->ODR;

    /* Flags: UG and CC1G through EGR (write-only, reads 0), UIF read and
     * cleared (rc_w0: the RMW writes CC1IF back as 1, which keeps it). */
    *BB_PERIPH(&RCC->APB1ENR, RCC_APB1ENR_TIM2EN_Pos) = 1u;
    (void)RCC->APB1ENR;
    *BB_PERIPH(&TIM2->EGR, 0) = 1u;
    *BB_PERIPH(&TIM2->EGR, 1) = 1u;
    res.uif_set = *BB_PERIPH(&TIM2->SR, 0);
    *BB_PERIPH(&TIM2->SR, 0) = 0u;
    res.uif_clear = *BB_PERIPH(&TIM2->SR, 0);
    res.tim_sr_after = TIM2->SR;
    TIM2->SR = 0;

    /* A read through the alias is a read of the register, side effects
     * included: reading a bit of USART2_DR takes the received byte and
     * clears RXNE (RM0390 25.6.1). The host sends one byte at 1 ms. */
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN;
    (void)RCC->APB1ENR;
    GPIOA->MODER = (GPIOA->MODER & ~GPIO_MODER_MODER3) | (2u << GPIO_MODER_MODER3_Pos); /* PA3: AF */
    GPIOA->AFRL = (GPIOA->AFRL & ~GPIO_AFRL_AFRL3) | (7u << GPIO_AFRL_AFRL3_Pos);      /* AF7: USART2_RX */
    USART2->BRR = USART2_BRR_115200;
    USART2->CR1 = USART_CR1_UE | USART_CR1_RE;
    for (uint32_t i = 0; i < RX_POLL_LIMIT && !(USART2->SR & USART_SR_RXNE); i++) {
    }
    res.rxne_before = (USART2->SR & USART_SR_RXNE) != 0;
    res.dr_bit0 = *BB_PERIPH(&USART2->DR, 0);
    res.rxne_after = (USART2->SR & USART_SR_RXNE) != 0;
    res.dr_after = USART2->DR;
    USART2->CR1 = 0;

    /* EXTI_PR is rc_w1: a bit-band write of 1 to PR1 writes back every bit
     * that read as 1, so it clears PR2 too (as on silicon). */
    EXTI->IMR |= EXTI_IMR_MR1 | EXTI_IMR_MR2;
    EXTI->SWIER = EXTI_SWIER_SWIER1 | EXTI_SWIER_SWIER2;
    res.exti_pr_before = EXTI->PR;
    *BB_PERIPH(&EXTI->PR, 1) = 1u;
    res.exti_pr_after_bitband = EXTI->PR;
    EXTI->IMR &= ~(EXTI_IMR_MR1 | EXTI_IMR_MR2);
}

static void read_port(const struct stm32_gpio *g, volatile uint32_t *out)
{
    out[0] = g->MODER;
    out[1] = g->OSPEEDR;
    out[2] = g->PUPDR;
}

static void debug_pin_reset(void)
{
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOBEN;
    (void)RCC->AHB1ENR;
    GPIOA->MODER = 0;
    GPIOA->OSPEEDR = 0;
    GPIOA->PUPDR = 0;
    GPIOB->MODER = 0;
    GPIOB->OSPEEDR = 0;
    GPIOB->PUPDR = 0;
    *BB_PERIPH(&RCC->AHB1RSTR, RCC_AHB1RSTR_GPIOARST_Pos) = 1u;
    *BB_PERIPH(&RCC->AHB1RSTR, RCC_AHB1RSTR_GPIOBRST_Pos) = 1u;
    *BB_PERIPH(&RCC->AHB1RSTR, RCC_AHB1RSTR_GPIOARST_Pos) = 0u;
    *BB_PERIPH(&RCC->AHB1RSTR, RCC_AHB1RSTR_GPIOBRST_Pos) = 0u;
    read_port(GPIOA, res.gpioa_rst);
    read_port(GPIOB, res.gpiob_rst);
}

static void systick_calib(void)
{
    res.calib_16mhz = SysTick->CALIB;
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_HPRE) | (HPRE_DIV2 << RCC_CFGR_HPRE_Pos);
    res.cfgr_hpre = (RCC->CFGR & RCC_CFGR_HPRE) >> RCC_CFGR_HPRE_Pos;
    res.calib_8mhz = SysTick->CALIB;
    /* Let SysTick wrap once at 8 MHz (the host sees that HCLK). */
    SysTick->LOAD = SYSTICK_WRAP - 1u;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_ENABLE | SysTick_CTRL_CLKSOURCE;
    for (uint32_t i = 0; i < SYSTICK_WRAP && !(SysTick->CTRL & SysTick_CTRL_COUNTFLAG); i++) {
    }
    SysTick->CTRL = 0;
    RCC->CFGR &= ~RCC_CFGR_HPRE;
}

static void wfe_events(void)
{
    RCC->APB1ENR |= RCC_APB1ENR_TIM3EN | RCC_APB1ENR_TIM5EN;
    (void)RCC->APB1ENR;
    TIM5->PSC = 0;
    TIM5->ARR = 0xFFFFFFFFu;
    TIM5->CR1 = TIM_CR1_CEN;
    irq_enable(TIM2_IRQn, PRIO_TIM2);
    irq_enable(CAN1_TX_IRQn, PRIO_TIM3);
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA_Msk;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA;

    /* SEV sets the event register: WFE returns at once. */
    clear_event();
    __SEV();
    res.sev_wfe = timed_wfe(16000u);
    __asm volatile("yield\n yield.w\n sev.w" ::: "memory"); /* YIELD: a NOP on one core */
    res.sev_wfe_w = timed_wfe_w(16000u);
    res.second_wfe_w = timed_wfe_w(16000u);

    /* The first WFE uses up the event; the second sleeps until the TIM2
     * interrupt (1 ms); CYCCNT does not count the sleep. */
    __SEV();
    __WFE();
    uint32_t c0 = DWT->CYCCNT;
    res.second_wfe = timed_wfe(16000u);
    res.second_wfe_cyccnt = DWT->CYCCNT - c0;

    /* An exception return sets the event register. */
    clear_event();
    NVIC->ISPR[CAN1_TX_IRQn / 32] = 1u << (CAN1_TX_IRQn % 32);
    __DSB();
    __ISB();
    res.after_return_wfe = timed_wfe(16000u);

    /* SEVONPEND: TIM3's interrupt becomes pending after 0.5 ms while
     * disabled in the NVIC, then while enabled but masked by BASEPRI;
     * without SEVONPEND only the backstop (2 ms) wakes the WFE. */
    SCB->SCR |= SCB_SCR_SEVONPEND;
    clear_event();
    one_shot(TIM3, 8000u);
    res.sevonpend_disabled = timed_wfe(32000u);
    stop(TIM3, TIM3_IRQn);

    irq_enable(TIM3_IRQn, PRIO_TIM3);
    __set_BASEPRI(PRIO_TIM2 + 0x10u);
    __ISB();
    clear_event();
    one_shot(TIM3, 8000u);
    res.sevonpend_masked = timed_wfe(32000u);
    __set_BASEPRI(0);
    __ISB();
    res.masked_taken_after_unmask = tim3_runs;
    irq_disable(TIM3_IRQn);

    SCB->SCR &= ~SCB_SCR_SEVONPEND;
    clear_event();
    one_shot(TIM3, 8000u);
    res.no_sevonpend = timed_wfe(32000u);
    stop(TIM3, TIM3_IRQn);
}

/* Last: an event on EXTI line 13 (PC13, B1 pressed = falling edge), event
 * unmasked, interrupt masked. The host stops at `armed`, presses B1, and
 * stops again at the WFI right after the wake-up. Before the press, TIM3's
 * interrupt becomes pending, enabled but masked by PRIMASK: it must not end
 * the WFE (PM0214 2.5.2: WFE wakes on an exception "with sufficient
 * priority to cause exception entry"; only WFI wakes for one that PRIMASK
 * alone holds back), and it makes the WFI after the wake-up return. */
static void exti_event(void)
{
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOCEN;
    RCC->APB2ENR |= RCC_APB2ENR_SYSCFGEN;
    (void)RCC->APB2ENR;
    SYSCFG->EXTICR[3] = (SYSCFG->EXTICR[3] & ~SYSCFG_EXTICR4_EXTI13) | (EXTICR_PORT_C << SYSCFG_EXTICR4_EXTI13_Pos);
    EXTI->FTSR |= EXTI_FTSR_TR13;
    EXTI->IMR &= ~EXTI_IMR_MR13;
    EXTI->EMR |= EXTI_EMR_MR13;
    irq_enable(TIM3_IRQn, PRIO_TIM3);
    __disable_irq();
    clear_event();
    res.done = 1;
    res.armed = 1;
    one_shot(TIM2, 160000u); /* 10 ms: a bound, after the host's press */
    one_shot(TIM3, 8000u);   /* 0.5 ms: before the press */
    __asm volatile("sev\n wfe\n wfe\n str %1, [%0]\n wfi\n" : : "l"(&res.exti_woke), "l"(1u) : "memory");
    res.exti_pr_after = EXTI->PR;
    uint32_t runs = tim3_runs;
    __enable_irq();
    __ISB();
    res.primask_held = tim3_runs - runs;
    stop(TIM2, TIM2_IRQn);
    res.exti_done = 1;
}

int main(void)
{
    res.magic0 = MEMEV_MAGIC0;
    res.magic1 = MEMEV_MAGIC1;
    bitband_sram();
    bitband_periph();
    debug_pin_reset();
    systick_calib();
    wfe_events();
    exti_event();
    for (;;)
        __WFI();
}
