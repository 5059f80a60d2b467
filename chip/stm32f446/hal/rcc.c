/* Clock tree setup, RM0390 section 6.3 (RCC registers) and 3.4 (flash wait states). */
#include <errno.h>

#include "stm32_hal.h"
#include "stm32f446/flash.h"
#include "stm32f446/rcc.h"

/* RM0390 6.3.3 RCC_CFGR: SW/SWS encodings and APB prescaler codes (0xx = /1, 100 = /2 ...). */
#define SW_HSI 0x0U
#define SW_PLL 0x2U
#define PLLSRC_HSE 1U

/* Polls of a ready flag before giving up: > 10 ms at 16 MHz HSI (a loop is >= 4 cycles);
 * HSE bypass is ready within a few clocks, the PLL locks in about 100 us (DS10693 table 37). */
#define READY_POLLS 50000U

static struct stm32_clocks clocks = {
    16000000, 16000000, 16000000, 16000000, 16000000, STM32_CLOCK_HSI,
};

const struct stm32_clocks *stm32_clocks(void)
{
    return &clocks;
}

uint32_t clock_hclk_hz(void)
{
    return clocks.hclk;
}

static bool wait_set(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
    for (uint32_t i = 0; i < READY_POLLS; i++)
        if ((*reg & mask) == value)
            return true;
    return false;
}

static uint32_t ppre_code(uint8_t div)
{
    switch (div) {
    case 2: return 4;
    case 4: return 5;
    case 8: return 6;
    case 16: return 7;
    default: return 0;
    }
}

static bool start_hse(void)
{
    /* HSEBYP may only change while HSE is off (RM0390 6.3.1). The Nucleo feeds
     * 8 MHz from the ST-LINK's MCO into OSC_IN (UM1724 6.7.1). */
    RCC->CR &= ~RCC_CR_HSEON;
    RCC->CR |= RCC_CR_HSEBYP;
    RCC->CR |= RCC_CR_HSEON;
    if (wait_set(&RCC->CR, RCC_CR_HSERDY, RCC_CR_HSERDY))
        return true;
    RCC->CR &= ~RCC_CR_HSEON;
    RCC->CR &= ~RCC_CR_HSEBYP;
    return false;
}

static void run_on_hsi(void)
{
    RCC->CFGR = (RCC->CFGR & ~(RCC_CFGR_SW_Msk | RCC_CFGR_HPRE_Msk | RCC_CFGR_PPRE1_Msk |
                               RCC_CFGR_PPRE2_Msk)) | (SW_HSI << RCC_CFGR_SW_Pos);
    (void)wait_set(&RCC->CFGR, RCC_CFGR_SWS_Msk, SW_HSI << RCC_CFGR_SWS_Pos);
    RCC->CR &= ~RCC_CR_PLLON;
    FLASH->ACR = FLASH_ACR_ICEN | FLASH_ACR_DCEN | FLASH_ACR_PRFTEN; /* 0 WS up to 30 MHz */
    clocks = (struct stm32_clocks){ 16000000, 16000000, 16000000, 16000000, 16000000,
                                    STM32_CLOCK_HSI };
}

int stm32_clock_setup(const struct stm32_clock_plan *plan)
{
    RCC->CR |= RCC_CR_HSION;
    if (!wait_set(&RCC->CR, RCC_CR_HSIRDY, RCC_CR_HSIRDY))
        return -ETIMEDOUT; /* cannot happen after reset: we run on HSI */

    bool hse = plan->hse_hz != 0 && start_hse();
    uint32_t pll_in = hse ? plan->hse_hz / plan->pllm_hse : 16000000U / plan->pllm_hsi;

    /* The PLL must be off while it is configured (RM0390 6.3.2). */
    RCC->CR &= ~RCC_CR_PLLON;
    if (!wait_set(&RCC->CR, RCC_CR_PLLRDY, 0)) {
        run_on_hsi();
        return -ETIMEDOUT;
    }
    uint32_t cfg = RCC->PLLCFGR & ~(RCC_PLLCFGR_PLLM_Msk | RCC_PLLCFGR_PLLN_Msk |
                                    RCC_PLLCFGR_PLLP_Msk | RCC_PLLCFGR_PLLQ_Msk |
                                    RCC_PLLCFGR_PLLSRC_Msk);
    cfg |= (uint32_t)(hse ? plan->pllm_hse : plan->pllm_hsi) << RCC_PLLCFGR_PLLM_Pos;
    cfg |= (uint32_t)plan->plln << RCC_PLLCFGR_PLLN_Pos;
    cfg |= (uint32_t)(plan->pllp / 2U - 1U) << RCC_PLLCFGR_PLLP_Pos; /* 00: /2, 01: /4 ... */
    cfg |= (uint32_t)plan->pllq << RCC_PLLCFGR_PLLQ_Pos;
    cfg |= (hse ? PLLSRC_HSE : 0U) << RCC_PLLCFGR_PLLSRC_Pos;
    RCC->PLLCFGR = cfg;
    RCC->CR |= RCC_CR_PLLON;
    if (!wait_set(&RCC->CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY)) {
        run_on_hsi();
        return -ETIMEDOUT;
    }

    /* Wait states before the faster clock (RM0390 3.4.1, Table 5: 1 WS for
     * 30 < HCLK <= 60 MHz at 2.7-3.6 V), and read back that they took effect. */
    FLASH->ACR = ((uint32_t)plan->flash_ws << FLASH_ACR_LATENCY_Pos) | FLASH_ACR_ICEN |
                 FLASH_ACR_DCEN | FLASH_ACR_PRFTEN;
    if ((FLASH->ACR & FLASH_ACR_LATENCY_Msk) != ((uint32_t)plan->flash_ws << FLASH_ACR_LATENCY_Pos)) {
        run_on_hsi();
        return -ETIMEDOUT;
    }

    RCC->CFGR = (RCC->CFGR & ~(RCC_CFGR_HPRE_Msk | RCC_CFGR_PPRE1_Msk | RCC_CFGR_PPRE2_Msk)) |
                (ppre_code(plan->apb1_div) << RCC_CFGR_PPRE1_Pos) |
                (ppre_code(plan->apb2_div) << RCC_CFGR_PPRE2_Pos);
    RCC->CFGR = (RCC->CFGR & ~RCC_CFGR_SW_Msk) | (SW_PLL << RCC_CFGR_SW_Pos);
    if (!wait_set(&RCC->CFGR, RCC_CFGR_SWS_Msk, SW_PLL << RCC_CFGR_SWS_Pos)) {
        run_on_hsi();
        return -ETIMEDOUT;
    }

    uint32_t sys = pll_in * plan->plln / plan->pllp;
    clocks.sysclk = sys;
    clocks.hclk = sys;
    clocks.pclk1 = sys / plan->apb1_div;
    clocks.pclk2 = sys / plan->apb2_div;
    clocks.tim_apb1 = plan->apb1_div == 1 ? clocks.pclk1 : 2U * clocks.pclk1;
    clocks.source = hse ? STM32_CLOCK_PLL_HSE : STM32_CLOCK_PLL_HSI;
    return 0;
}
