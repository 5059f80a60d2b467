/*
 * quartz/hal/backup.h on the STM32F446's 4 KB backup SRAM (RM0390 5.1.2
 * "Battery backup domain", 2.3 memory map: 0x40024000).
 *
 * Access (RM0390 5.1.2, "Backup SRAM"): the PWR interface clock
 * (RCC_APB1ENR.PWREN, 6.3.13), then PWR_CR.DBP to lift the backup
 * domain's write protection (5.4.1), then the SRAM's own clock
 * (RCC_AHB1ENR.BKPSRAMEN, 6.3.10). DBP stays set: the node writes the RAM
 * all the time, and a write with DBP clear is silently ignored.
 *
 * Retention in VBAT mode needs the backup regulator: PWR_CSR.BRE (in the
 * backup domain, so writable only with DBP set), then BRR once it is ready
 * (5.4.2). The datasheet gives no start-up time for it; ST's own HAL allows
 * 1 s (PWR_BKPREG_TIMEOUT_VALUE), and so does this bound, counted in core
 * cycles so that it holds before the tick runs.
 */
#include <errno.h>
#include <stdint.h>

#include "cortex_m/core.h"
#include "quartz/hal/backup.h"
#include "quartz/hal/clock.h"
#include "stm32f446/regs.h"

#define BKPSRAM_BASE 0x40024000u
#define BKPSRAM_SIZE 4096u
#define BRR_MAX_MS 1000u

/* BRR within the bound; a poll counts at least a cycle (a stopped counter). */
static int wait_brr(void)
{
    uint64_t budget = (uint64_t)BRR_MAX_MS * (clock_hclk_hz() / 1000u), spent = 0;
    uint32_t last = DWT->CYCCNT;
    while (!(PWR->CSR & PWR_CSR_BRR)) {
        uint32_t now = DWT->CYCCNT, step = now - last;
        last = now;
        spent += step ? step : 1u;
        if (spent > budget)
            return -ETIMEDOUT;
    }
    return 0;
}

int backup_ram_enable(struct backup_ram *out)
{
    RCC->APB1ENR |= RCC_APB1ENR_PWREN;
    (void)RCC->APB1ENR; /* read back: the clock runs before PWR is written */
    PWR->CR |= PWR_CR_DBP;
    RCC->AHB1ENR |= RCC_AHB1ENR_BKPSRAMEN;
    (void)RCC->AHB1ENR;
    PWR->CSR |= PWR_CSR_BRE;
    out->base = (void *)BKPSRAM_BASE;
    out->size = BKPSRAM_SIZE;
    return wait_brr();
}
