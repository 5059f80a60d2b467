/*
 * Checks every firmware image listed in QUARTZ_FW_DIR/images.txt (argv[1]):
 * the vector table is at the start of flash with 16 core + 97 STM32F446
 * entries, the initial SP is inside SRAM, the reset vector is a Thumb
 * address in flash, and every other entry is a Thumb address in flash
 * except the reserved positions, which must be 0 (ARMv7-M B1.5.3,
 * RM0390 section 10.2 Table 38).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "elf32.h"

#define FLASH_START 0x08000000U
#define FLASH_END (FLASH_START + 512U * 1024U)
#define SRAM_START 0x20000000U
#define SRAM_END (SRAM_START + 128U * 1024U)
#define VECTORS (16U + 97U)

static const char *images_txt;
static int failures;

static void report(const char *image, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const char *image, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", image);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

/* Vector positions that must be 0: core 7-10 and 13, device interrupts
 * with no source on the STM32F446. */
static bool reserved(unsigned v)
{
    static const unsigned irqs[] = {61, 62, 79, 80, 82, 83, 85, 86, 88, 89, 90};
    if (v == 7 || v == 8 || v == 9 || v == 10 || v == 13)
        return true;
    for (size_t i = 0; i < sizeof irqs / sizeof irqs[0]; i++)
        if (v == 16 + irqs[i])
            return true;
    return false;
}

static bool thumb_in_flash(uint32_t a)
{
    return (a & 1U) && (a & ~1U) >= FLASH_START && (a & ~1U) < FLASH_END;
}

static void check_image(const char *name, const char *path)
{
    struct elf32 e;
    char err[256];
    if (elf32_open(&e, path, err, sizeof err) != 0) {
        report(name, "%s", err);
        return;
    }
    const Elf32_Shdr *vt = elf32_section(&e, ".isr_vector");
    uint32_t v[VECTORS];
    if (!vt) {
        report(name, "no .isr_vector section");
    } else if (vt->sh_addr != FLASH_START) {
        report(name, ".isr_vector at 0x%08X, must be at the start of flash 0x%08X", vt->sh_addr, FLASH_START);
    } else if (vt->sh_size != VECTORS * 4U) {
        report(name, ".isr_vector is %u bytes, 16 + 97 vectors are %u", vt->sh_size, VECTORS * 4U);
    } else if (elf32_read(&e, vt->sh_addr, v, sizeof v) != 0) {
        report(name, ".isr_vector has no contents");
    } else {
        if (v[0] < SRAM_START || v[0] > SRAM_END || (v[0] & 7U))
            report(name, "initial SP 0x%08X not an 8-byte aligned address in SRAM 0x%08X..0x%08X", v[0],
                 SRAM_START, SRAM_END);
        uint32_t reset;
        if (!thumb_in_flash(v[1]))
            report(name, "reset vector 0x%08X is not an odd (Thumb) address in flash", v[1]);
        else if (elf32_symbol(&e, "Reset_Handler", &reset) == 0 && (reset | 1U) != v[1])
            report(name, "reset vector 0x%08X is not Reset_Handler 0x%08X", v[1], reset);
        for (unsigned i = 2; i < VECTORS; i++) {
            if (reserved(i) && v[i] != 0)
                report(name, "vector %u is reserved and must be 0, is 0x%08X", i, v[i]);
            else if (!reserved(i) && !thumb_in_flash(v[i]))
                report(name, "vector %u (%s %u) = 0x%08X is not an odd address in flash", i,
                     i < 16 ? "exception" : "IRQ", i < 16 ? i : i - 16, v[i]);
        }
    }
    elf32_close(&e);
}

static void test_images(void **state)
{
    (void)state;
    FILE *f = fopen(images_txt, "r");
    if (!f)
        report(images_txt, "cannot open (build the firmware first: make firmware)");
    assert_non_null(f);
    char line[1024];
    int images = 0;
    failures = 0;
    while (fgets(line, sizeof line, f)) {
        char name[128], path[768];
        if (line[0] == '#' || sscanf(line, "%127s %767s", name, path) != 2)
            continue;
        check_image(name, path);
        images++;
    }
    fclose(f);
    printf("checked %d firmware images\n", images);
    assert_true(images > 0);
    assert_int_equal(failures, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FW_DIR/images.txt\n", argv[0]);
        return 2;
    }
    images_txt = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_images)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
