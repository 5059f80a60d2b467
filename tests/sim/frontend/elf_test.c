/*
 * The firmware loader through the library (qsim_load_elf): header checks,
 * segment checks and what lands in memory, on ELF files made byte by byte
 * (elfmake.h). The loader is the only ELF checker: the program's exit 2 for
 * a bad ELF is its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfmake.h"
#include "quartzsim.h"

#define FLASH 0x08000000u
#define SRAM 0x20000000u
#define KB 1024u

static char dir[] = "/tmp/qsim-elf-XXXXXX";
static char path[128];
static struct qsim *sim;
static char err[512];

static int load_segs(const struct elfmake_seg *segs, unsigned n)
{
    assert_int_equal(elfmake_file(path, segs, n), 0);
    err[0] = '\0';
    return qsim_load_elf(sim, path, err, sizeof err);
}

static int load_bytes(const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    err[0] = '\0';
    return qsim_load_elf(sim, path, err, sizeof err);
}

static void expect(int rc, int want, const char *part)
{
    if (rc != want || !strstr(err, part) || strchr(err, '\n') || !strstr(err, path))
        fail_msg("rc %d, message '%s' (expected %d, '%s', naming %s)", rc, err, want, part, path);
}

static void test_header(void **state)
{
    (void)state;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.elf", dir);
    assert_int_equal(qsim_load_elf(sim, missing, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "missing.elf"));
    assert_int_equal(qsim_load_elf(sim, dir, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "not a regular file"));

    expect(load_bytes((const uint8_t *)"this is not firmware\n", 21), -ENOEXEC, "not an ELF file");
    size_t len;
    const struct elfmake_seg seg = { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 };
    uint8_t *good = elfmake(&seg, 1, &len);
    assert_int_equal(load_bytes(good, len), 0);
    uint8_t *d = malloc(len);
    memcpy(d, good, len);
    d[16] = 1; /* ET_REL: an object file */
    expect(load_bytes(d, len), -ENOEXEC, "not an executable");
    memcpy(d, good, len);
    d[5] = 2; /* big-endian */
    d[18] = 0;
    d[19] = 40;
    expect(load_bytes(d, len), -ENOEXEC, "big-endian");
    memcpy(d, good, len);
    d[4] = 2; /* ELF64, x86-64 */
    d[18] = 62;
    expect(load_bytes(d, len), -ENOEXEC, "64-bit");
    assert_non_null(strstr(err, "x86-64"));
    memcpy(d, good, len);
    d[44] = 0; /* e_phnum */
    expect(load_bytes(d, len), -ENOEXEC, "no program headers");
    memcpy(d, good, len);
    d[44] = 3; /* program headers past the end of the file */
    expect(load_bytes(d, 52 + 32 + 8), -ENOEXEC, "truncated");
    memcpy(d, good, len);
    expect(load_bytes(d, len - 1), -ENOEXEC, "truncated: segment 0"); /* segment bytes cut short */
    free(d);
    free(good);

    /* The host's own binaries are ELF for another machine. */
    if (access("/bin/true", R_OK) == 0) {
        assert_int_equal(qsim_load_elf(sim, "/bin/true", err, sizeof err), -ENOEXEC);
        assert_non_null(strstr(err, "not a 32-bit little-endian ARM"));
    }
}

/*
 * Issue 9.9: a file of 16..51 bytes (a header cut short) gets the same
 * message whatever its length, never a verdict on fields it does not hold.
 */
static void test_short_header(void **state)
{
    (void)state;
    size_t len;
    const struct elfmake_seg seg = { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 };
    uint8_t *good = elfmake(&seg, 1, &len);
    for (size_t n = 16; n < 52; n++) {
        expect(load_bytes(good, n), -ENOEXEC, "truncated ELF header");
        char want[64];
        snprintf(want, sizeof want, "(%zu of 52 bytes)", n);
        if (!strstr(err, want))
            fail_msg("%zu bytes: '%s'", n, err);
    }
    free(good);
}

/* Issue 9.6: nothing loadable at the start of flash is a bad image, not a lock-up at 0 ms. */
static void test_no_vector_table(void **state)
{
    (void)state;
    const struct elfmake_seg empty[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 0, 0 },
        { ELFMAKE_PT_LOAD, SRAM, SRAM, 0, 0 },
    };
    expect(load_segs(empty, 2), -ENOEXEC, "no vector table at 0x08000000");
    const struct elfmake_seg sram_only = { ELFMAKE_PT_LOAD, SRAM, SRAM, 256, 256 };
    expect(load_segs(&sram_only, 1), -ENOEXEC, "no vector table at 0x08000000");
    const struct elfmake_seg late = { ELFMAKE_PT_LOAD, FLASH + 0x100, FLASH + 0x100, 256, 256 };
    expect(load_segs(&late, 1), -ENOEXEC, "no vector table at 0x08000000");
    const struct elfmake_seg not_load = { 4 /* PT_NOTE */, FLASH, FLASH, 256, 256 };
    expect(load_segs(&not_load, 1), -ENOEXEC, "no vector table at 0x08000000");
    const struct elfmake_seg tiny = { ELFMAKE_PT_LOAD, FLASH, FLASH, 4, 4 }; /* SP, no reset vector */
    expect(load_segs(&tiny, 1), -ENOEXEC, "no vector table at 0x08000000");
    /* Two segments that meet at byte 4 make a whole vector table. */
    const struct elfmake_seg halves[] = {
        { ELFMAKE_PT_LOAD, FLASH + 4, FLASH + 4, 60, 60 },
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 4, 4 },
    };
    assert_int_equal(load_segs(halves, 2), 0);
}

/* Issue 9.7: a segment's memory size must fit its region, not only its file size. */
static void test_memory_size(void **state)
{
    (void)state;
    const struct elfmake_seg big_bss[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 },
        { ELFMAKE_PT_LOAD, SRAM, SRAM, 0, 1024 * KB }, /* 1 MB of .bss */
    };
    expect(load_segs(big_bss, 2), -EFBIG, "does not fit the 128 KB SRAM");
    const struct elfmake_seg big_data[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 },
        { ELFMAKE_PT_LOAD, SRAM + 64 * KB, FLASH + 64, 16, 65 * KB }, /* .data past the end of SRAM */
    };
    expect(load_segs(big_data, 2), -EFBIG, "does not fit the 128 KB SRAM");
    const struct elfmake_seg big_text = { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 600 * KB };
    expect(load_segs(&big_text, 1), -EFBIG, "does not fit the 512 KB flash");
    const struct elfmake_seg nowhere[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 },
        { ELFMAKE_PT_LOAD, 0x40000000u, 0x40000000u, 0, 16 },
    };
    expect(load_segs(nowhere, 2), -EFBIG, "outside flash");
    const struct elfmake_seg more_file = { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 32 };
    expect(load_segs(&more_file, 1), -ENOEXEC, "64 file bytes in 32 bytes of memory");
    /* Exactly full: all of SRAM as .bss, the last byte of flash loaded. */
    const struct elfmake_seg full[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 },
        { ELFMAKE_PT_LOAD, SRAM, SRAM, 0, 128 * KB },
        { ELFMAKE_PT_LOAD, FLASH + 512 * KB - 1, FLASH + 512 * KB - 1, 1, 1 },
    };
    assert_int_equal(load_segs(full, 3), 0);
}

/* Issue 9.8: overlapping segments are refused as such, not counted twice against flash. */
static void test_overlap(void **state)
{
    (void)state;
    const struct elfmake_seg twice[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 288 * KB, 288 * KB },
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 288 * KB, 288 * KB },
    };
    expect(load_segs(twice, 2), -ENOEXEC, "segments 0 and 1 both load 0x08000000");
    assert_null(strstr(err, "589824"));
    const struct elfmake_seg alias[] = { /* the same flash through the boot alias at 0 */
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 64, 64 },
        { ELFMAKE_PT_LOAD, 32, 32, 64, 64 },
    };
    expect(load_segs(alias, 2), -ENOEXEC, "overlapping");
    /* 400 KB in two adjacent segments fits (the old sum check would have passed too). */
    const struct elfmake_seg adjacent[] = {
        { ELFMAKE_PT_LOAD, FLASH + 200 * KB, FLASH + 200 * KB, 200 * KB, 200 * KB },
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 200 * KB, 200 * KB },
    };
    assert_int_equal(load_segs(adjacent, 2), 0);
}

/* A typical image: vectors and code in flash, .data loaded from flash, .bss in SRAM. */
static void test_contents(void **state)
{
    (void)state;
    const struct elfmake_seg segs[] = {
        { ELFMAKE_PT_LOAD, FLASH, FLASH, 1000, 1000 },
        { ELFMAKE_PT_LOAD, SRAM, FLASH + 1000, 24, 24 },   /* .data: runs in SRAM, stored in flash */
        { ELFMAKE_PT_LOAD, SRAM + 24, SRAM + 24, 0, 4096 }, /* .bss */
        { 0x70000001u, 0, 0, 16, 16 },                       /* ARM_EXIDX-like: not loaded */
    };
    assert_int_equal(load_segs(segs, 4), 0);
    uint8_t got[1024];
    assert_int_equal(qsim_read_mem(sim, FLASH, got, 1024), 0);
    for (uint32_t k = 0; k < 1024; k++) {
        uint8_t want = k < 1000 ? elfmake_byte(0, k) : elfmake_byte(1, k - 1000);
        if (got[k] != want)
            fail_msg("flash byte %u: 0x%02x, expected 0x%02x", k, got[k], want);
    }
    assert_int_equal(qsim_read_mem(sim, FLASH + 1024, got, 1), 0);
    assert_int_equal(got[0], 0xFF); /* erased flash */
    assert_int_equal(qsim_read_mem(sim, 0, got, 8), 0);
    assert_int_equal(got[0], elfmake_byte(0, 0)); /* the boot alias */
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/test.elf", dir);
    sim = qsim_create(&(struct qsim_options){ 0 });
    return sim ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    qsim_destroy(sim);
    unlink(path);
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),          cmocka_unit_test(test_short_header),
        cmocka_unit_test(test_no_vector_table), cmocka_unit_test(test_memory_size),
        cmocka_unit_test(test_overlap),         cmocka_unit_test(test_contents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
