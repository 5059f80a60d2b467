/*
 * QEMU / quartz-sim cross-check probe for bit-band aliases (ARMv7-M A3.7,
 * PM0214 2.2.5), SYST_CALIB (RM0390 10.1.2) and WFE/SEV (ARMv7-M B1.5.18).
 * Prints values and the order of events, never times. Lines tagged
 * "[dev:<name>]" depend on a QEMU 7.2 deviation from the manuals
 * (docs/qemu-crosscheck.md); expected.txt holds what the manuals say.
 */
#include <stdint.h>

#include "console.h"
#include "probe.h"
#include "stm32f446/regs.h"

#define SRAM_BASE_ADDR 0x20000000U
#define SRAM_ALIAS 0x22000000U
#define PERIPH_BASE_ADDR 0x40000000U
#define PERIPH_ALIAS 0x42000000U
#define BB_SRAM(addr, bit) \
    ((volatile uint32_t *)(SRAM_ALIAS + ((uint32_t)(addr) - SRAM_BASE_ADDR) * 32U + (uint32_t)(bit) * 4U))
#define BB_PERIPH(addr, bit) \
    ((volatile uint32_t *)(PERIPH_ALIAS + ((uint32_t)(addr) - PERIPH_BASE_ADDR) * 32U + (uint32_t)(bit) * 4U))

#define MOVS_R0_0X10 0x2010U /* Thumb MOVS r0, #0x10 */
#define BX_LR 0x4770U
#define TIM2_PERIOD 1000U    /* timer clocks: one update after 1000 counts */
#define WAIT_LIMIT 1000U

static volatile uint32_t bb_word = 0x00F00000U;
/* Code in SRAM, alone on its 1 KB page: Unicorn 2.0.1 leaks the
 * self-modifying-code bitmap it allocates when a store hits a page that
 * holds translated code (docs/simulator.md, Unicorn notes). */
#define RAM_CODE_PAGE 1024U
static volatile uint16_t ram_code[RAM_CODE_PAGE / 2] __attribute__((aligned(RAM_CODE_PAGE)));
static volatile uint32_t tim2_updates;
static volatile uint32_t can_runs;

void TIM2_IRQHandler(void)
{
    TIM2->SR = ~TIM_SR_UIF;
    TIM2->CR1 = 0U;
    tim2_updates = tim2_updates + 1U;
    log_event("[dev:wfe-sleep] TIM2_IRQHandler");
}

void CAN1_TX_IRQHandler(void)
{
    can_runs = can_runs + 1U;
    log_event("CAN1_TX_IRQHandler");
}

/* Sleeps (WFI, PRIMASK set around the test) until *counter reaches target; bounded. */
static void wait_for(volatile uint32_t *counter, uint32_t target)
{
    __disable_irq();
    for (uint32_t i = 0; i < WAIT_LIMIT && *counter < target; i++) {
        __WFI();
        irq_unmask();
        __disable_irq();
    }
    irq_unmask();
}

static void section(const char *title)
{
    log_flush();
    console_puts("== ");
    console_puts(title);
    console_puts("\n");
}

static void test_bitband_sram(void)
{
    section("bit-band sram");
    *BB_SRAM(&bb_word, 3) = 1U;
    *BB_SRAM(&bb_word, 20) = 0xFFFFFFFEU;
    log_hex("thread: word after alias set bit 3, clear bit 20=", bb_word);
    log_value("thread: alias read bit 21=", *BB_SRAM(&bb_word, 21));
    log_value("thread: alias read bit 0=", *BB_SRAM(&bb_word, 0));
    *(volatile uint8_t *)BB_SRAM(&bb_word, 31) = 1U;
    log_value("thread: halfword alias read bit 31 after a byte alias write=", *(volatile uint16_t *)BB_SRAM(&bb_word, 31));
    log_hex("thread: word=", bb_word);

    ram_code[0] = MOVS_R0_0X10;
    ram_code[1] = BX_LR;
    __DSB();
    __ISB();
    uint32_t (*code)(void) = (uint32_t (*)(void))((uint32_t)ram_code | 1U);
    log_hex("thread: code in SRAM returns ", code());
    *BB_SRAM(&ram_code[0], 0) = 1U;
    __DSB();
    __ISB();
    log_hex("thread: after an alias write to its immediate, it returns ", code());
}

static void test_bitband_periph(void)
{
    section("bit-band peripherals");
    RCC->APB1ENR |= RCC_APB1ENR_TIM2EN;
    (void)RCC->APB1ENR;
    TIM2->ARR = 0x1000U;
    *BB_PERIPH(&TIM2->ARR, 0) = 1U;
    *BB_PERIPH(&TIM2->ARR, 12) = 0U;
    log_hex("thread: TIM2 ARR after alias set bit 0, clear bit 12=", TIM2->ARR);
    log_value("thread: alias read ARR bit 0=", *BB_PERIPH(&TIM2->ARR, 0));
    log_value("thread: alias read ARR bit 12=", *BB_PERIPH(&TIM2->ARR, 12));
    EXTI->IMR = 0U;
    *BB_PERIPH(&EXTI->IMR, 1) = 1U;
    log_hex("thread: EXTI IMR after alias set bit 1=", EXTI->IMR);
    EXTI->IMR = 0U;
}

static void test_systick_calib(void)
{
    section("systick calibration");
    log_hex("[dev:systick-calib] thread: SYST_CALIB=", SysTick->CALIB);
}

static void tim2_one_update(void)
{
    TIM2->CR1 = 0U;
    TIM2->PSC = 0U;
    TIM2->CNT = 0U;
    TIM2->ARR = TIM2_PERIOD - 1U;
    TIM2->SR = 0U;
    TIM2->DIER = TIM_DIER_UIE;
    TIM2->CR1 = TIM_CR1_CEN;
}

static void test_wfe(void)
{
    section("wfe and sev");
    __SEV();
    __WFE();
    log_event("thread: SEV then WFE returned");

    /* An exception return sets the event register. */
    irq_setup(CAN1_TX_IRQn, PRIO_MID);
    __SEV();
    __WFE();
    irq_pend(CAN1_TX_IRQn);
    __WFE();
    log_event("thread: WFE after an exception return returned");
    irq_off(CAN1_TX_IRQn);

    /* The event used up, WFE sleeps until the TIM2 interrupt. */
    irq_setup(TIM2_IRQn, PRIO_MID);
    __SEV();
    __WFE();
    tim2_one_update();
    __WFE();
    log_event("[dev:wfe-sleep] thread: after the second WFE");
    wait_for(&tim2_updates, 1U);
    irq_off(TIM2_IRQn);

    /* SEVONPEND: TIM2's interrupt, disabled in the NVIC, becomes pending
     * and wakes the WFE; it stays pending, not taken. */
    SCB->SCR |= SCB_SCR_SEVONPEND;
    __SEV();
    __WFE();
    tim2_one_update();
    __WFE();
    log_value("[dev:wfe-sleep] thread: WFE woke with TIM2 pending=", irq_pending(TIM2_IRQn));
    for (uint32_t i = 0; i < WAIT_LIMIT * 100U && !irq_pending(TIM2_IRQn); i++) {
    }
    log_value("thread: TIM2 handler runs while disabled=", tim2_updates - 1U);
    SCB->SCR &= ~SCB_SCR_SEVONPEND;
    TIM2->CR1 = 0U;
    TIM2->DIER = 0U;
    TIM2->SR = 0U;
    irq_off(TIM2_IRQn);
}

int main(void)
{
    console_init();
    console_puts("quartz cross-check memev 1\n");
    test_bitband_sram();
    test_bitband_periph();
    test_systick_calib();
    test_wfe();
    log_flush();
    console_puts("END\n");
    console_drain();
    for (;;) {
        __WFI();
    }
}
