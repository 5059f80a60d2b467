/*
 * Results of the memev image (bit-band, SYST_CALIB, WFE/SEV, debug-pin reset
 * values), shared by the firmware and the host test: the firmware fills a
 * `struct memev_results` in SRAM, the host finds it by its magic words.
 */
#ifndef MEMEV_RESULTS_H
#define MEMEV_RESULTS_H

#include <stdint.h>

#define MEMEV_MAGIC0 0x3E3E0B17u
#define MEMEV_MAGIC1 0xB17BA4D5u

struct memev_results {
    uint32_t magic0, magic1;
    uint32_t done;  /* every section before the EXTI one has run */
    uint32_t armed; /* the EXTI section is about to sleep in WFE */
    uint32_t exti_woke;
    uint32_t exti_pr_after, exti_done;
    uint32_t primask_held; /* TIM3 handler runs at the unmask after the EXTI wake-up */
    /* bit-band, SRAM */
    uint32_t sram_word, sram_bits, sram_half_read, sram_word_after_byte;
    uint32_t code_before, code_after;
    uint32_t bus_cfsr, bus_bfar, bus_faults;
    /* bit-band, peripherals */
    uint32_t gpioa_moder_gated, gpioa_moder_clocked;
    uint32_t odr_after_set, idr5_high, idr5_low, odr_after_byte;
    uint32_t uif_set, uif_clear, tim_sr_after;
    uint32_t exti_pr_before, exti_pr_after_bitband;
    uint32_t rxne_before, dr_bit0, rxne_after, dr_after;
    /* debug-pin reset values after an RCC reset pulse (RM0390 7.4.1-7.4.4) */
    uint32_t gpioa_rst[3], gpiob_rst[3]; /* MODER, OSPEEDR, PUPDR */
    /* SYST_CALIB at HCLK 16 MHz and 8 MHz (HPRE /2) */
    uint32_t calib_16mhz, calib_8mhz, cfgr_hpre;
    /* WFE: TIM5 cycles (16 MHz) from before to after the WFE */
    uint32_t sev_wfe, sev_wfe_w, second_wfe_w, second_wfe, second_wfe_cyccnt, after_return_wfe;
    uint32_t sevonpend_disabled, sevonpend_masked, no_sevonpend;
    uint32_t masked_taken_after_unmask;
    uint32_t backstops;
};

#endif
