/*
 * The same reset-value check as test_reset_values.c, without a CPU: the
 * models run on the fake core of tests/sim/periph and the probe sequence of
 * fw.c is replayed through their register ops. It needs no firmware tree
 * and catches a wrong C table before the ELF test runs.
 */
#include <stdio.h>
#include <string.h>

#include "board/nucleo.h"
#include "fake_sim.h"
#include "probes.h"
#include "facts.h"

uint32_t expected_value(const struct probe *p, uint32_t svd);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s stm32f446.facts\n", argv[0]);
        return 2;
    }
    struct facts chip;
    char err[512];
    if (facts_load(&chip, argv[1], err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        facts_free(&chip);
        return 1;
    }
    sim_t *s = fake_sim_new();
    struct nucleo *b = nucleo_create(s);
    static uint32_t values[PROBE_COUNT];
    for (size_t i = 0; i < PROBE_RCC_COUNT; i++)
        values[i] = fake_read(s, probes[i].address);
    fake_write(s, 0x40023830u, fake_read(s, 0x40023830u) | 0xFFu);
    fake_write(s, 0x40023840u, fake_read(s, 0x40023840u) | (0xFu | (0xFu << 17) | (7u << 21) | (1u << 28)));
    fake_write(s, 0x40023844u, fake_read(s, 0x40023844u) | ((1u << 4) | (1u << 5) | (7u << 8) | (1u << 14)));
    for (size_t i = PROBE_RCC_COUNT; i < PROBE_COUNT; i++)
        values[i] = fake_read(s, probes[i].address);
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
        if (values[i] != want) {
            printf("%s.%s: model 0x%08x, expected 0x%08x (SVD 0x%08x)\n", probes[i].peripheral, probes[i].reg,
                   values[i], want, svd_value);
            bad++;
        }
    }
    printf("%zu registers checked, %u mismatches, %u unmodeled accesses, %u gated\n", (size_t)PROBE_COUNT, bad,
           fake(s)->unmodeled, fake(s)->gated);
    int rc = bad || fake(s)->unmodeled || fake(s)->gated ? 1 : 0;
    nucleo_destroy(b);
    fake_sim_free(s);
    facts_free(&chip);
    return rc;
}
