/*
 * The memev image on quartz-sim: bit-band aliases (ARMv7-M A3.7, PM0214
 * 2.2.5), SYST_CALIB (RM0390 10.1.2), WFE/SEV and the event register
 * (ARMv7-M B1.5.18), an EXTI event line waking WFE (RM0390 10.2.3) and the
 * debug pins' reset values (RM0390 7.4.1-7.4.4). Times are TIM5 counts at
 * 16 MHz measured by the firmware (fw.c), and the simulator's own clock for
 * the EXTI wake-up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"
#include "sim_results.h"
#include "results.h"

#define MS 1000000ull
#define HCLK_HZ 16000000u
/* A WFE that returns at once, with the TIM5 reads and the TIM2 set-up around it. */
#define QUICK_MAX 100u

struct watch {
    uint32_t min_hclk, max_hclk;
};

/* A wake-up by an interrupt or an event `n` counts after the WFE was armed:
 * n, less the set-up between arming and the WFE, plus the handler and reads. */
static void assert_woken_at(uint32_t counts, uint32_t n)
{
    assert_in_range(counts, n - 100u, n + 200u);
}

static bool results(const struct qsim *s, struct memev_results *r)
{
    return sim_results_find(s, MEMEV_MAGIC0, MEMEV_MAGIC1, r, sizeof *r);
}

static bool armed(struct qsim *s, void *ctx)
{
    struct watch *w = ctx;
    uint32_t hz = qsim_hclk_hz(s);
    if (hz < w->min_hclk)
        w->min_hclk = hz;
    if (hz > w->max_hclk)
        w->max_hclk = hz;
    struct memev_results r;
    return results(s, &r) && r.armed;
}

static bool woke(struct qsim *s, void *ctx)
{
    (void)ctx;
    struct memev_results r;
    return results(s, &r) && r.exti_woke;
}

static struct qsim *boot(void)
{
    struct qsim *s = qsim_create(NULL);
    assert_non_null(s);
    char err[256] = "";
    if (qsim_load_elf(s, MEMEV_ELF, err, sizeof err))
        fail_msg("load %s: %s", MEMEV_ELF, err);
    return s;
}

static void check_bitband(const struct memev_results *r)
{
    /* SRAM: bit 3 set, bit 20 cleared by a value whose bit 0 is 0 */
    assert_int_equal(r->sram_word, 0x00E00008u);
    assert_int_equal(r->sram_bits, 0x5u); /* bit 21 = 1, bit 0 = 0, bit 3 = 1 */
    /* byte and halfword alias accesses reach the same bit */
    assert_int_equal(r->sram_half_read, 1);
    assert_int_equal(r->sram_word_after_byte, 0x80E00008u);
    /* code in SRAM changed through the alias runs as changed */
    assert_int_equal(r->code_before, 0x10);
    assert_int_equal(r->code_after, 0x11);
    /* the alias past 128 KB of SRAM: precise BusFault at the alias address */
    assert_int_equal(r->bus_faults, 1);
    assert_int_equal(r->bus_cfsr & 0xFF00u, 0x8200u); /* BFARVALID | PRECISERR */
    assert_int_equal(r->bus_bfar, 0x22400000u);

    /* peripherals: the RCC enable written through the alias clocks GPIOA */
    assert_int_equal(r->gpioa_moder_gated, 0);
    assert_int_equal(r->gpioa_moder_clocked, 0xA8000000u);
    assert_int_equal(r->odr_after_set, 1u << 5);
    assert_int_equal(r->idr5_high, 1);
    assert_int_equal(r->idr5_low, 0);
    assert_int_equal(r->odr_after_byte, 1u << 9);
    /* TIM2: UG and CC1G through write-only EGR, UIF read and cleared, CC1IF kept */
    assert_int_equal(r->uif_set, 1);
    assert_int_equal(r->uif_clear, 0);
    assert_int_equal(r->tim_sr_after, 1u << 1);
    /* a bit-band read of USART2_DR bit 0 ('Q' = 0x51) reads DR: RXNE cleared */
    assert_int_equal(r->rxne_before, 1);
    assert_int_equal(r->dr_bit0, 1);
    assert_int_equal(r->rxne_after, 0);
    assert_int_equal(r->dr_after, 'Q');
    /* EXTI_PR (rc_w1): the read-modify-write clears every pending line */
    assert_int_equal(r->exti_pr_before, 0x6u);
    assert_int_equal(r->exti_pr_after_bitband, 0);
}

static void check_reset_and_calib(const struct memev_results *r, const struct watch *w)
{
    /* RM0390 7.4.1, 7.4.3, 7.4.4: the debug pins after AHB1RSTR GPIOARST/GPIOBRST */
    assert_int_equal(r->gpioa_rst[0], 0xA8000000u);
    assert_int_equal(r->gpioa_rst[1], 0x0C000000u);
    assert_int_equal(r->gpioa_rst[2], 0x64000000u);
    assert_int_equal(r->gpiob_rst[0], 0x00000280u);
    assert_int_equal(r->gpiob_rst[1], 0x000000C0u);
    assert_int_equal(r->gpiob_rst[2], 0x00000100u);
    /* SYST_CALIB: SKEW, TENMS 18750, at HCLK 16 MHz and at 8 MHz */
    assert_int_equal(r->cfgr_hpre, 8);
    assert_int_equal(w->min_hclk, HCLK_HZ / 2);
    assert_int_equal(w->max_hclk, HCLK_HZ);
    assert_int_equal(r->calib_16mhz, 0x4000493Eu);
    assert_int_equal(r->calib_8mhz, 0x4000493Eu);
}

static void check_wfe(const struct memev_results *r, const struct qsim *s)
{
    /* SEV then WFE: returns at once */
    assert_true(r->sev_wfe < QUICK_MAX);
    /* SEV.W then WFE.W (after two YIELDs, NOPs): at once; the next WFE.W sleeps */
    assert_true(r->sev_wfe_w < QUICK_MAX);
    assert_woken_at(r->second_wfe_w, 16000u);
    /* the event used up: the next WFE sleeps until TIM2 (16000 counts),
     * and CYCCNT does not count the sleep (RM0390 5.3: no CPU clock) */
    assert_woken_at(r->second_wfe, 16000u);
    assert_true(r->second_wfe_cyccnt < 1000u);
    /* an exception return sets the event register */
    assert_true(r->after_return_wfe < QUICK_MAX);
    /* SEVONPEND: TIM3 pending after 8000 counts wakes WFE, disabled or masked */
    assert_woken_at(r->sevonpend_disabled, 8000u);
    assert_woken_at(r->sevonpend_masked, 8000u);
    assert_int_equal(r->masked_taken_after_unmask, 1);
    /* without SEVONPEND only the backstop (32000) does */
    assert_woken_at(r->no_sevonpend, 32000u);
    /* TIM2 woke three WFEs (the second WFE.W, the second WFE, the control);
     * the backstops armed around WFEs that return at once never fired */
    assert_int_equal(r->backstops, 3);
    print_message("WFE: sev %u, second %u (cyccnt %u), after return %u, sevonpend disabled %u masked %u, "
                  "without %u; sleep_cycles %llu\n", r->sev_wfe, r->second_wfe, r->second_wfe_cyccnt,
                  r->after_return_wfe, r->sevonpend_disabled, r->sevonpend_masked, r->no_sevonpend,
                  (unsigned long long)qsim_sleep_cycles(s));
    /* WFE sleep is sleep in the report, as WFI's */
    uint64_t slept = (uint64_t)r->second_wfe_w + r->second_wfe + r->sevonpend_disabled + r->sevonpend_masked +
                     r->no_sevonpend;
    assert_true(qsim_sleep_cycles(s) >= slept - 5 * 200u);
}

static void test_memev(void **state)
{
    (void)state;
    struct qsim *s = boot();
    struct watch w = {UINT32_MAX, 0};
    assert_int_equal(qsim_rx_at(s, "Q", 1, 1 * MS), 0);
    assert_int_equal(qsim_run_until(s, 200 * MS, armed, &w), 1);
    struct memev_results r;
    assert_true(results(s, &r));
    assert_int_equal(r.done, 1);
    check_bitband(&r);
    check_reset_and_calib(&r, &w);
    check_wfe(&r, s);
    assert_int_equal(qsim_fault_count(s), 1); /* the BusFault above, nothing else */

    /* EXTI line 13 as an event (EMR set, IMR clear): B1 pressed at T wakes
     * the WFE at the first cycle at or after T, not TIM3's interrupt that
     * PRIMASK holds back (pending since 0.5 ms after `armed`); the two
     * instructions after the WFE (`str`, `wfi`: 1 + 1 cycles; the WFI returns
     * at once for TIM3) end the slice at T + 2 cycles. */
    uint64_t t = (qsim_time_ns(s) / 1000 + 1000) * 1000;
    assert_int_equal(qsim_press_at(s, t, 0), 0);
    assert_int_equal(qsim_run_until(s, t + 5 * MS, woke, NULL), 1);
    /* at 16 MHz: woken within 62.5 ns of T, then 2 cycles = 125 ns */
    print_message("EXTI event: pressed at %llu ns, slice ended at %llu ns\n", (unsigned long long)t,
                  (unsigned long long)qsim_time_ns(s));
    assert_in_range(qsim_time_ns(s), t + 125, t + 187);
    /* no pending bit, no interrupt for an event line */
    assert_int_equal(qsim_run_until(s, t + 20 * MS, NULL, NULL), 0);
    assert_true(results(s, &r));
    assert_int_equal(r.exti_done, 1);
    assert_int_equal(r.exti_pr_after, 0);
    assert_int_equal(r.primask_held, 1);
    assert_int_equal(qsim_irq_count(s, "EXTI15_10"), 0);
    qsim_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memev),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
