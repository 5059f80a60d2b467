/*
 * core_fault_pc_find (sim/core/faultpc.c) on hand-encoded Thumb-2 blocks
 * (ARMv7-M A5.2, A5.3, A6.4 encodings): which instruction of a block made
 * a refused access, from the registers at the stop, the access direction
 * and the bad address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"

#define BLOCK 0x08000100u
#define BAD 0x20020000u /* just past SRAM */

static uint8_t sram[CORE_SRAM_SIZE];

/* The instruction (its offset in the block) blamed for `bad`. */
static uint32_t blamed(const uint16_t *code, unsigned halfwords, const uint32_t *regs, uint32_t bad,
                       enum core_fault_access type)
{
    struct core_fault_site f = {.code = code, .halfwords = halfwords, .block = BLOCK, .sram = sram,
                                .bad = bad, .type = type};
    memcpy(f.regs, regs, sizeof f.regs);
    return core_fault_pc_find(&f) - BLOCK;
}

static void put_word(uint32_t addr, uint32_t v)
{
    memcpy(&sram[addr - CORE_SRAM_BASE], &v, 4);
}

/* ldr r1, [r3], #4; str r1, [r0]: a load cannot make the refused write. */
static void test_load_then_store(void **state)
{
    (void)state;
    static const uint16_t code[] = {0xF853, 0x1B04, 0x6001};
    uint32_t regs[15] = {[0] = BAD, [1] = 0x5A5A5A5Au, [3] = BAD}; /* r1: not the SRAM word, so only the direction tells */
    assert_int_equal(blamed(code, 3, regs, BAD, CORE_ACCESS_WRITE), 4);
}

/* vldmia r2!, {s0-s3}; vstr s0, [r0]; and vpush {s0-s1} after it */
static void test_fp_forms(void **state)
{
    (void)state;
    static const uint16_t code[] = {0xECB2, 0x0A04, 0xED80, 0x0A00};
    uint32_t regs[15] = {[0] = BAD, [2] = BAD};
    assert_int_equal(blamed(code, 4, regs, BAD, CORE_ACCESS_WRITE), 4);
    /* vldmia r2!, {s0-s3}; vpush {s0-s1}: SP - 8 is the bad address */
    static const uint16_t push[] = {0xECB2, 0x0A04, 0xED2D, 0x0A02};
    uint32_t regs2[15] = {[2] = BAD, [13] = BAD + 8};
    assert_int_equal(blamed(push, 4, regs2, BAD, CORE_ACCESS_WRITE), 4);
}

/*
 * ldr r1, [r0], #4; ldr r2, [r0], #4 stepping past the end of SRAM: the
 * second faulted when r1 holds the last SRAM word (the first ran), the
 * first when it does not (the second never ran).
 */
static void test_stepping_loads(void **state)
{
    (void)state;
    static const uint16_t code[] = {0xF850, 0x1B04, 0xF850, 0x2B04};
    put_word(BAD - 4, 0xCAFEF00Du);
    uint32_t ran[15] = {[0] = BAD, [1] = 0xCAFEF00Du};
    assert_int_equal(blamed(code, 4, ran, BAD, CORE_ACCESS_READ), 4);
    uint32_t first[15] = {[0] = BAD, [1] = 0x12345678u};
    assert_int_equal(blamed(code, 4, first, BAD, CORE_ACCESS_READ), 0);
    /* the same target twice: the faulting load has not written it yet */
    static const uint16_t same[] = {0xF850, 0x1B04, 0xF850, 0x1B04};
    assert_int_equal(blamed(same, 4, ran, BAD, CORE_ACCESS_READ), 4);
}

/* ldr r1, [r0]; ldr r2, [r0]: the second would not be reached. */
static void test_same_address_twice(void **state)
{
    (void)state;
    static const uint16_t code[] = {0x6801, 0x6802};
    uint32_t regs[15] = {[0] = BAD};
    assert_int_equal(blamed(code, 2, regs, BAD, CORE_ACCESS_READ), 0);
}

/*
 * ldr r3, [r3]; ldr r3, [pc, #0]; ldr r2, [r3]: the pointer reloaded from
 * a literal makes both loads read the bad address; the first would have
 * faulted, nothing says it ran.
 */
static void test_reloaded_pointer(void **state)
{
    (void)state;
    static const uint16_t code[] = {0x681B, 0x4B00, 0x681A};
    uint32_t regs[15] = {[3] = BAD};
    assert_int_equal(blamed(code, 3, regs, BAD, CORE_ACCESS_READ), 0);
}

/* ldrex r1, [r2]; strex r3, r1, [r0]; tbb [r4, r5] after adds r4, #8 */
static void test_exclusive_and_table(void **state)
{
    (void)state;
    static const uint16_t code[] = {0xE852, 0x1F00, 0xE840, 0x1300};
    uint32_t regs[15] = {[0] = BAD, [2] = BAD};
    assert_int_equal(blamed(code, 4, regs, BAD, CORE_ACCESS_WRITE), 4);
    /* ldrb r1, [r4]; adds r4, #8; tbb [r4, r5]: r4 + r5 is the bad address */
    static const uint16_t tbb[] = {0x7821, 0x3408, 0xE8D4, 0xF005};
    uint32_t regs2[15] = {[4] = BAD - 8, [5] = 8};
    assert_int_equal(blamed(tbb, 4, regs2, BAD, CORE_ACCESS_READ), 4);
}

/* sub sp, #8; push {r4, lr}: 16-bit PUSH after an SP adjustment */
static void test_push_after_sp_adjust(void **state)
{
    (void)state;
    /* str r1, [sp, #0]; push {r4, lr} with SP at the stop = BAD + 8:
     * the store went to BAD + 8, the push faults at BAD */
    static const uint16_t code[] = {0xB082, 0x9100, 0xB510};
    uint32_t regs[15] = {[13] = BAD + 8};
    assert_int_equal(blamed(code, 3, regs, BAD, CORE_ACCESS_WRITE), 4);
}

/*
 * One load or store after a NOP: the instruction at offset 2 is blamed
 * only if its address, length and direction are decoded right.
 */
static void test_forms(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint16_t hw1, hw2;
        uint8_t r1, r2;      /* registers given values */
        uint32_t v1, v2;
        uint32_t bad;
        enum core_fault_access type;
    } forms[] = {
        {"strb r1, [r2, r3]", 0x54D1, 0, 2, 3, BAD - 4, 4, BAD, CORE_ACCESS_WRITE},
        {"ldrsh r1, [r2, r3]", 0x5ED1, 0, 2, 3, BAD - 4, 4, BAD + 1, CORE_ACCESS_READ},
        {"ldr r1, [sp, #8]", 0x9902, 0, 13, 0, BAD - 8, 0, BAD, CORE_ACCESS_READ},
        {"ldr r1, [pc, #8]", 0x4902, 0, 0, 0, 0, 0, BLOCK + 4 + 8, CORE_ACCESS_READ},
        {"pop {r4, pc}", 0xBD10, 0, 13, 0, BAD - 4, 0, BAD, CORE_ACCESS_READ},
        {"ldrt r1, [r2, #4]", 0xF852, 0x1E04, 2, 0, BAD - 4, 0, BAD, CORE_ACCESS_READ},
        {"str r1, [r2, #-4]", 0xF842, 0x1C04, 2, 0, BAD + 4, 0, BAD, CORE_ACCESS_WRITE},
        {"str r1, [r2, #4]!", 0xF842, 0x1F04, 2, 0, BAD - 4, 0, BAD, CORE_ACCESS_WRITE},
        {"ldr.w r1, [r2, r3, lsl #2]", 0xF852, 0x1023, 2, 3, BAD - 8, 2, BAD, CORE_ACCESS_READ},
        {"ldrsb.w r1, [r2, #4]", 0xF992, 0x1004, 2, 0, BAD - 4, 0, BAD, CORE_ACCESS_READ},
        {"strh.w r1, [r2, #6]", 0xF8A2, 0x1006, 2, 0, BAD - 6, 0, BAD, CORE_ACCESS_WRITE},
        {"stmdb r2!, {r1, r3}", 0xE922, 0x000A, 2, 0, BAD + 8, 0, BAD + 4, CORE_ACCESS_WRITE},
        {"ldrd r1, r2, [r3, #-8]", 0xE953, 0x1202, 3, 0, BAD + 8, 0, BAD + 4, CORE_ACCESS_READ},
        {"vstmdb r2!, {d0-d1}", 0xED22, 0x0B04, 2, 0, BAD + 16, 0, BAD + 12, CORE_ACCESS_WRITE},
        {"vldr d0, [r2, #-8]", 0xED12, 0x0B02, 2, 0, BAD + 8, 0, BAD + 4, CORE_ACCESS_READ},
        {"ldrexb r1, [r2]", 0xE8D2, 0x1F4F, 2, 0, BAD, 0, BAD, CORE_ACCESS_READ},
        {"strexh r4, r1, [r2]", 0xE8C2, 0x1F54, 2, 0, BAD, 0, BAD, CORE_ACCESS_WRITE},
        {"tbh [r2, r3, lsl #1]", 0xE8D2, 0xF013, 2, 3, BAD - 4, 2, BAD, CORE_ACCESS_READ},
    };
    for (unsigned k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        uint16_t code[3] = {0xBF00, forms[k].hw1, forms[k].hw2}; /* NOP first */
        uint32_t regs[15] = {0};
        regs[forms[k].r1] = forms[k].v1;
        regs[forms[k].r2] = forms[k].v2 ? forms[k].v2 : regs[forms[k].r2];
        unsigned n = forms[k].hw2 || forms[k].hw1 >= 0xE800u ? 3 : 2;
        uint32_t at = blamed(code, n, regs, forms[k].bad, forms[k].type);
        if (at != 2)
            fail_msg("%s: blamed offset %u", forms[k].what, at);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_load_then_store),
        cmocka_unit_test(test_fp_forms),
        cmocka_unit_test(test_stepping_loads),
        cmocka_unit_test(test_same_address_twice),
        cmocka_unit_test(test_reloaded_pointer),
        cmocka_unit_test(test_exclusive_and_table),
        cmocka_unit_test(test_push_after_sp_adjust),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
