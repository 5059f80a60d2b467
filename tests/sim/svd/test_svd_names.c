/*
 * quartz-sim names unmodeled registers without any SVD file: from the
 * STM32F446 facts built into libquartzsim. With --svd, from that SVD
 * instead (tools/svd-facts/test/mini.svd here); with ST's SVD (when there
 * is one) every name equals the built-in one. And the hand-written table
 * of unmodeled peripherals has the SVD's bases.
 *   test_svd_names stm32f446.facts mini.svd [STM32F446.svd]
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* cmocka after the standard headers */
#include <cmocka.h>

#include "core/core.h"
#include "facts.h"
#include "stm32f446/f446.h"

static const char *facts_path, *mini_svd, *st_svd;

static const char *name(const struct svd_names *n, uint32_t address)
{
    static char buf[96];
    const char *s = core_svd_name(n, address, buf, sizeof buf);
    return s ? s : "(null)";
}

/* Addresses from RM0390 table 1 and the register maps of its chapters. */
static void builtin_facts_name_registers(void **state)
{
    (void)state;
    struct svd_names *n = core_svd_load(NULL);
    assert_non_null(n);
    assert_string_equal(name(n, 0x40001000u), "TIM6.CR1");      /* 19.4.1 */
    assert_string_equal(name(n, 0x40001002u), "TIM6.CR1");      /* inside the word */
    assert_string_equal(name(n, 0x40013010u), "SPI1.CRCPR");    /* 26.7.5 */
    assert_string_equal(name(n, 0x40003810u), "SPI2.CRCPR");    /* derivedFrom SPI1 */
    assert_string_equal(name(n, 0x40021C00u), "GPIOH.MODER");   /* 7.4.1 */
    assert_string_equal(name(n, 0x40020800u), "GPIOC.MODER");   /* derivedFrom GPIOH */
    assert_string_equal(name(n, 0x400017FCu), "TIM7+0x3fc");    /* no register there */
    assert_string_equal(name(n, 0x10000000u), "(null)");        /* no peripheral */
    core_svd_free(n);
}

static void svd_option_replaces_the_builtin_facts(void **state)
{
    (void)state;
    struct svd_names *n = core_svd_load(mini_svd);
    assert_non_null(n);
    assert_string_equal(name(n, 0x40001404u), "UARTB.DR");
    assert_string_equal(name(n, 0x40001000u), "UARTA.SR");
    assert_string_equal(name(n, 0x40021C00u), "(null)");
    core_svd_free(n);
    assert_null(core_svd_load("/nonexistent/STM32F446.svd"));
}

static void st_svd_gives_the_builtin_names(void **state)
{
    (void)state;
    if (!st_svd)
        skip();
    struct svd_names *svd = core_svd_load(st_svd), *builtin = core_svd_load(NULL);
    assert_non_null(svd);
    assert_non_null(builtin);
    unsigned checked = 0;
    for (uint32_t a = 0x40000000u; a < 0x40080000u; a += 4, checked++) {
        char want[96];
        snprintf(want, sizeof want, "%s", name(svd, a));
        if (strcmp(want, name(builtin, a)) != 0)
            fail_msg("0x%08x: SVD %s, built in %s", a, want, name(builtin, a));
    }
    printf("%u addresses named alike\n", checked);
    core_svd_free(svd);
    core_svd_free(builtin);
}

/* sim/stm32f446/unmodeled.c maps whole peripherals by hand: each at the
 * SVD's base. The OTG cores are one block each (RM0390 table 1), at the
 * base of the SVD's OTG_xS_GLOBAL. */
static void unmodeled_table_has_the_svd_bases(void **state)
{
    (void)state;
    struct facts chip;
    char err[256];
    assert_int_equal(facts_load(&chip, facts_path, err, sizeof err), 0);
    for (size_t i = 0; i < f446_unmodeled_count; i++) {
        const struct f446_unmodeled *u = &f446_unmodeled_table[i];
        char name[32];
        snprintf(name, sizeof name, "%s%s", u->name, strncmp(u->name, "OTG_", 4) ? "" : "_GLOBAL");
        const struct facts_periph *p = facts_periph(&chip, name);
        if (!p)
            fail_msg("unmodeled %s: no peripheral %s in the facts", u->name, name);
        if (p->base != u->base)
            fail_msg("unmodeled %s: base 0x%08x, SVD 0x%08x", u->name, u->base, p->base);
    }
    facts_free(&chip);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s stm32f446.facts mini.svd [STM32F446.svd]\n", argv[0]);
        return 2;
    }
    facts_path = argv[1];
    mini_svd = argv[2];
    st_svd = argc == 4 ? argv[3] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_facts_name_registers),
        cmocka_unit_test(svd_option_replaces_the_builtin_facts),
        cmocka_unit_test(st_svd_gives_the_builtin_names),
        cmocka_unit_test(unmodeled_table_has_the_svd_bases),
    };
    return cmocka_run_group_tests_name("svd_names", tests, NULL, NULL);
}
