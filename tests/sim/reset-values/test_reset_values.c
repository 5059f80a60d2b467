/*
 * Boots tests/sim/reset-values/reset-values.elf on quartz-sim and checks
 * each value it read against the SVD's resetValue (chip/stm32f446/
 * stm32f446.facts). Deliberate exceptions, where RM0390 or the board
 * decides instead of the SVD, are in expected_value() (expected.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* cmocka after the standard headers */
#include <cmocka.h>

#include "probes.h"
#include "quartzsim.h"
#include "facts.h"

#define SRAM_BASE 0x20000000u
#define SRAM_SIZE 0x20000u

static const char *elf_path, *facts_path;

uint32_t expected_value(const struct probe *p, uint32_t svd);

static bool probe_done(struct qsim *s, void *ctx)
{
    uint32_t *addr = ctx, done = 0;
    return *addr && qsim_read_mem(s, *addr + offsetof(struct probe_results, done), &done, 4) == 0 && done;
}

static uint32_t find_results(struct qsim *s)
{
    static uint32_t chunk[1024];
    for (uint32_t a = SRAM_BASE; a < SRAM_BASE + SRAM_SIZE; a += sizeof chunk) {
        if (qsim_read_mem(s, a, chunk, sizeof chunk) != 0)
            continue;
        for (size_t i = 0; i + 1 < sizeof chunk / 4; i++)
            if (chunk[i] == PROBE_MAGIC && chunk[i + 1] == PROBE_COUNT)
                return a + (uint32_t)(i * 4);
    }
    return 0;
}

static void reset_values_match_svd(void **state)
{
    (void)state;
    struct facts chip;
    char err[512] = "";
    if (facts_load(&chip, facts_path, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct qsim_options opt = {0};
    struct qsim *s = qsim_create(&opt);
    assert_non_null(s);
    assert_int_equal(qsim_load_elf(s, elf_path, err, sizeof err), 0);

    /* The block is zero until main() sets the magic; look for it after a first slice. */
    uint32_t addr = 0;
    qsim_run_until(s, 1000000, NULL, NULL); /* 1 ms */
    addr = find_results(s);
    assert_int_not_equal(addr, 0);
    qsim_run_until(s, 100000000, probe_done, &addr); /* at most 100 ms */
    assert_true(probe_done(s, &addr));

    static struct probe_results r;
    assert_int_equal(qsim_read_mem(s, addr, &r, sizeof r), 0);
    unsigned bad = 0;
    for (size_t i = 0; i < PROBE_COUNT; i++) {
        const struct facts_reg *reg = facts_reg(facts_periph(&chip, probes[i].peripheral), probes[i].reg);
        if (!reg) {
            printf("%s.%s: not in the SVD's facts\n", probes[i].peripheral, probes[i].reg);
            bad++;
            continue;
        }
        uint32_t svd_value = reg->reset;
        uint32_t want = expected_value(&probes[i], svd_value);
        if (r.values[i] != want) {
            printf("%s.%s @0x%08x: read 0x%08x, expected 0x%08x (SVD 0x%08x)\n", probes[i].peripheral,
                   probes[i].reg, probes[i].address, r.values[i], want, svd_value);
            bad++;
        }
    }
    printf("%zu registers checked, %u mismatches\n", (size_t)PROBE_COUNT, bad);
    assert_int_equal(bad, 0);
    qsim_destroy(s);
    facts_free(&chip);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s reset-values.elf stm32f446.facts\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    facts_path = argv[2];
    const struct CMUnitTest tests[] = {cmocka_unit_test(reset_values_match_svd)};
    return cmocka_run_group_tests_name("reset_values", tests, NULL, NULL);
}
