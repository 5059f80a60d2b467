/*
 * The config record (config.c) on a fake flash behind quartz/hal/flash.h
 * that behaves as the chip's does: programming only clears bits (AND),
 * only a sector erase sets them, x32 words, and a program that cannot
 * reach its value reads back wrong and fails. And the shell commands
 * (config_shell.c): each form, each refusal leaving the config as it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "quartz/hal/flash.h"

/* ---- the fake flash ------------------------------------------------------ */

#define BASE 0x08000000u
#define KB 1024u
static const struct flash_sector sectors[] = { { BASE, 16 * KB }, { BASE + 16 * KB, 2 * KB } };
static const struct flash_layout layout = { sectors, 2, 4, 0xFF };
static uint8_t cells[18 * KB];
static unsigned erases, programs;
static jmp_buf cut;
static long words_left = -1; /* words until the "reset"; < 0: none */

const struct flash_layout *flash_layout(void)
{
    return &layout;
}

int flash_erase_sector(unsigned sector)
{
    if (sector >= layout.count)
        return -EINVAL;
    memset(cells + (sectors[sector].addr - BASE), 0xFF, sectors[sector].size);
    erases++;
    return 0;
}

int flash_program(uint32_t addr, const void *data, size_t len)
{
    if ((addr | len) % 4 != 0 || addr < BASE || addr - BASE > sizeof cells || len > sizeof cells - (addr - BASE))
        return -EINVAL;
    const uint8_t *src = data;
    for (size_t i = 0; i < len; i += 4) {
        if (words_left == 0)
            longjmp(cut, 1);
        if (words_left > 0)
            words_left--;
        for (size_t b = 0; b < 4; b++)
            cells[addr - BASE + i + b] &= src[i + b]; /* 1 -> 0 only */
        programs++;
    }
    return memcmp(cells + (addr - BASE), data, len) == 0 ? 0 : -EIO;
}

int flash_read(uint32_t addr, void *buf, size_t len)
{
    if (addr < BASE || addr - BASE > sizeof cells || len > sizeof cells - (addr - BASE))
        return -EINVAL;
    memcpy(buf, cells + (addr - BASE), len);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    memset(cells, 0xFF, sizeof cells);
    erases = programs = 0;
    words_left = -1;
    return 0;
}

static const struct config defaults = {
    .broker_ip = { 10, 0, 2, 2 }, .broker_port = 1883, .interval_s = 10, .user = "", .password = "", .name = "node",
};

static struct config example(uint16_t interval)
{
    struct config c = defaults;
    c.broker_ip[3] = 7;
    c.broker_port = 8883;
    c.interval_s = interval;
    strcpy(c.user, "quartz");
    strcpy(c.password, "s3cr3t!");
    strcpy(c.name, "kitchen-1");
    return c;
}

static void assert_config_equal(const struct config *a, const struct config *b)
{
    assert_memory_equal(a->broker_ip, b->broker_ip, 4);
    assert_int_equal(a->broker_port, b->broker_port);
    assert_int_equal(a->interval_s, b->interval_s);
    assert_string_equal(a->user, b->user);
    assert_string_equal(a->password, b->password);
    assert_string_equal(a->name, b->name);
}

/* ---- record ------------------------------------------------------------------ */

static void test_fake_flash_is_flash(void **state)
{
    (void)state;
    uint32_t w = 0x0F0F0F0Fu, over = 0xF0F0F0F0u, back;
    assert_int_equal(flash_program(BASE, &w, 4), 0);
    assert_int_equal(flash_program(BASE, &over, 4), -EIO); /* 1s over 0s */
    flash_read(BASE, &back, 4);
    assert_int_equal(back, 0);
    assert_int_equal(flash_program(BASE + 2, &w, 4), -EINVAL);
}

static void test_defaults_when_empty(void **state)
{
    (void)state;
    struct config c;
    assert_int_equal(config_load(&c, &defaults, 1), 1);
    assert_config_equal(&c, &defaults);
    assert_int_equal(config_load(&c, &defaults, 2), -EINVAL);
}

static void test_save_then_load(void **state)
{
    (void)state;
    struct config want = example(60), got;
    assert_int_equal(config_save(&want, 1), 0);
    assert_int_equal(config_load(&got, &defaults, 1), 0);
    assert_config_equal(&got, &want);
    unsigned before = programs;
    assert_int_equal(config_save(&want, 1), 0); /* unchanged: nothing written */
    assert_int_equal(programs, before);
    want.interval_s = 5;
    assert_int_equal(config_save(&want, 1), 0);
    assert_int_equal(config_load(&got, &defaults, 1), 0);
    assert_int_equal(got.interval_s, 5); /* the newer record wins */
    assert_int_equal(erases, 0);
}

static void test_full_sector_is_erased_once(void **state)
{
    (void)state;
    unsigned slots = sectors[1].size / CONFIG_SLOT_BYTES; /* 8 */
    struct config got;
    for (unsigned i = 0; i < slots; i++) {
        struct config c = example((uint16_t)(100 + i));
        assert_int_equal(config_save(&c, 1), 0);
    }
    assert_int_equal(erases, 0);
    struct config c = example(999);
    assert_int_equal(config_save(&c, 1), 0); /* no slot left: erase, then slot 0 */
    assert_int_equal(erases, 1);
    assert_int_equal(config_load(&got, &defaults, 1), 0);
    assert_int_equal(got.interval_s, 999);
    c = example(1000);
    assert_int_equal(config_save(&c, 1), 0);
    assert_int_equal(erases, 1);
    assert_int_equal(config_load(&got, &defaults, 1), 0);
    assert_int_equal(got.interval_s, 1000);
}

static void test_invalid_config_not_saved(void **state)
{
    (void)state;
    struct config c = example(10);
    c.interval_s = 0;
    assert_int_equal(config_save(&c, 1), -EINVAL);
    c = example(10);
    c.broker_port = 0;
    assert_int_equal(config_save(&c, 1), -EINVAL);
    c = example(10);
    c.user[0] = '\0'; /* a password without a user */
    assert_int_equal(config_save(&c, 1), -EINVAL);
    c = example(10);
    strcpy(c.name, "kitchen 1");
    assert_int_equal(config_save(&c, 1), -EINVAL);
    c = example(10);
    memset(c.name, 'n', sizeof c.name); /* no NUL */
    assert_int_equal(config_save(&c, 1), -EINVAL);
    assert_int_equal(programs, 0);
}

static void test_corrupt_record_skipped(void **state)
{
    (void)state;
    struct config a = example(20), b = example(30), got;
    assert_int_equal(config_save(&a, 1), 0);
    assert_int_equal(config_save(&b, 1), 0);
    cells[16 * KB + CONFIG_SLOT_BYTES + 20] &= 0xFE; /* a bit of the newer record lost: "quartz" -> "puartz" */
    assert_int_equal(config_load(&got, &defaults, 1), 0);
    assert_int_equal(got.interval_s, 20);
}

/* A save cut after every word it programs: load gives the old record or
 * the new one, never anything else, and the next save works. */
static void test_torn_saves(void **state)
{
    (void)state;
    struct config old = example(20), new = example(40), got;
    unsigned slots = sectors[1].size / CONFIG_SLOT_BYTES;
    for (int full = 0; full < 2; full++) {
        for (long n = 0;; n++) {
            setup(NULL);
            assert_int_equal(config_save(&old, 1), 0);
            for (unsigned i = 1; full && i < slots; i++) { /* fill: the next save erases first */
                struct config c = example((uint16_t)(200 + i));
                assert_int_equal(config_save(&c, 1), 0);
            }
            struct config last;
            config_load(&last, &defaults, 1);
            words_left = n;
            volatile bool finished = false;
            if (setjmp(cut) == 0) {
                assert_int_equal(config_save(&new, 1), 0);
                finished = true;
            }
            words_left = -1;
            int rc = config_load(&got, &defaults, 1);
            if (finished) {
                assert_int_equal(rc, 0);
                assert_config_equal(&got, &new);
                break;
            }
            if (full && rc == 1) {
                assert_config_equal(&got, &defaults); /* cut right after the erase: documented */
            } else {
                assert_int_equal(rc, 0);
                assert_config_equal(&got, &last);
            }
            assert_int_equal(config_save(&new, 1), 0); /* next to the torn slot */
            assert_int_equal(config_load(&got, &defaults, 1), 0);
            assert_config_equal(&got, &new);
        }
    }
}

/* ---- shell ------------------------------------------------------------------- */

static void test_shell_set_show_save(void **state)
{
    (void)state;
    struct config c = defaults;
    char out[256];
    assert_int_equal(config_shell(&c, "set broker 192.168.1.20:1884", out, sizeof out), 0);
    assert_string_equal(out, "ok");
    assert_int_equal(config_shell(&c, "  set   user quartz ", out, sizeof out), 0);
    assert_int_equal(config_shell(&c, "set password pa$$:w0rd", out, sizeof out), 0);
    assert_int_equal(config_shell(&c, "set name lab.node_2", out, sizeof out), 0);
    assert_int_equal(config_shell(&c, "set interval 3600", out, sizeof out), 0);
    assert_int_equal(config_shell(&c, "show", out, sizeof out), 0);
    assert_string_equal(out, "broker 192.168.1.20:1884\nuser quartz\npassword (set)\nname lab.node_2\ninterval 3600 s");
    assert_int_equal(config_shell(&c, "save", out, sizeof out), CONFIG_SHELL_SAVE);
    assert_int_equal(config_shell(&c, "set anonymous", out, sizeof out), 0);
    assert_string_equal(c.user, "");
    assert_string_equal(c.password, "");
    assert_int_equal(config_shell(&c, "set broker 0.0.0.0:1", out, sizeof out), 0);
    assert_int_equal(config_shell(&c, "set broker 255.255.255.255:65535", out, sizeof out), 0);
    char small[8];
    assert_int_equal(config_shell(&c, "show", small, sizeof small), 0);
    assert_string_equal(small, "broker "); /* cut to the buffer */
}

static void shell_refused(const char *line)
{
    struct config c = example(10), before = c;
    char out[128];
    int rc = config_shell(&c, line, out, sizeof out);
    if (rc != -EINVAL)
        fail_msg("\"%s\" gave %d (%s)", line, rc, out);
    assert_true(strncmp(out, "error: ", 7) == 0);
    assert_config_equal(&c, &before);
}

static void test_shell_refusals(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "", "   ", "shw", "show all", "save now", "set", "set broker", "set colour red",
        "set broker 10.0.2.2", "set broker 10.0.2.2:", "set broker 10.0.2.2:0", "set broker 10.0.2.2:65536",
        "set broker 10.0.2:1883", "set broker 10.0.2.2.1:1883", "set broker 256.0.0.1:1883",
        "set broker 010.0.2.2:1883", "set broker 10.0.2.2:01883", "set broker 10.0.2.2:1883x",
        "set broker -1.0.0.1:1883", "set broker 10.0.2.2 1883", "set broker 10.0.2.2:1883 extra",
        "set broker 1000.0.0.1:1", "set broker 10:0:2:2:1883", "set broker 10.0.2.2.1883",
        "set interval 0", "set interval 3601", "set interval 10s", "set interval 010",
        "set interval -5", "set interval 99999", "set name kitchen/1", "set name 123456789012345678901234567890123",
        "set user a\tb", "set password \x7f", "set user \xc3\xa9t\xc3\xa9",
        "set name a b", "set password 123456789012345678901234567890123",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        shell_refused(lines[i]);
    struct config c = defaults; /* no user */
    char out[128];
    assert_int_equal(config_shell(&c, "set password abc", out, sizeof out), -EINVAL);
    assert_string_equal(c.password, "");
    char longline[CONFIG_SHELL_LINE_MAX + 2];
    memset(longline, ' ', sizeof longline);
    memcpy(longline, "show", 4);
    longline[CONFIG_SHELL_LINE_MAX + 1] = '\0';
    shell_refused(longline);
    longline[CONFIG_SHELL_LINE_MAX] = '\0';
    c = defaults;
    assert_int_equal(config_shell(&c, longline, out, sizeof out), 0); /* at the limit */
    c.interval_s = 0;
    assert_int_equal(config_shell(&c, "save", out, sizeof out), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fake_flash_is_flash, setup),
        cmocka_unit_test_setup(test_defaults_when_empty, setup),
        cmocka_unit_test_setup(test_save_then_load, setup),
        cmocka_unit_test_setup(test_full_sector_is_erased_once, setup),
        cmocka_unit_test_setup(test_invalid_config_not_saved, setup),
        cmocka_unit_test_setup(test_corrupt_record_skipped, setup),
        cmocka_unit_test_setup(test_torn_saves, setup),
        cmocka_unit_test_setup(test_shell_set_show_save, setup),
        cmocka_unit_test_setup(test_shell_refusals, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
