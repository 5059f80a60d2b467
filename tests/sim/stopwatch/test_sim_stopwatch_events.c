/*
 * The stopwatch ELF on quartz-sim around boot and display outages (issue 9
 * items 1 and 2): the whole console log, which must be the same for the
 * three images (apps/stopwatch, stopwatch-rtic, stopwatch-async).
 * usage: test_sim_stopwatch_events <image.elf>
 *
 *  - A press at 1, 10 or 44 ms after power-up or after a reset, while the
 *    firmware is still bringing the display up, is timed from its edge.
 *  - A press whose edge comes before the firmware has armed B1 (B1 down at
 *    power-up or held through a reset) counts from the arming, a few hundred
 *    microseconds after reset (docs/stopwatch.md "Presses during boot").
 *  - Every display outage is logged once when it starts and once when it
 *    ends, whether flushes are refused at the start (SDA held low: -EBUSY)
 *    or fail on the bus (the OLED unplugged: no acknowledge).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "messages.h"
#include "quartzsim.h"

#define MS 1000000ull
#define S (1000 * MS)
#define B MSG_BANNER MSG_EOL
#define L(text) text MSG_EOL

static const char *elf;
/* What a flush started while SDA is stuck returns (quartz/hal/i2c.h): from
 * thread context the driver tries the bus recovery first, which fails while
 * SDA stays low (-ETIMEDOUT, "-116"); from an interrupt handler (the RTIC
 * variant's ui runs in a task) recovery may not run, so it is -EBUSY ("-16"). */
static const char *stuck_errno;

static struct qsim *boot(void)
{
    struct qsim *s = qsim_create(&(struct qsim_options){ 0 });
    assert_non_null(s);
    char err[256] = "";
    if (qsim_load_elf(s, elf, err, sizeof err) != 0)
        fail_msg("cannot load %s: %s", elf, err);
    qsim_reset(s);
    return s;
}

/* Run to t_ns and return the console so far (the sim is destroyed by the caller). */
static const char *console_at(struct qsim *s, uint64_t t_ns)
{
    static char buf[4096];
    int rc = qsim_run_until(s, t_ns, NULL, NULL);
    if (rc != 0) {
        qsim_write_report(s, stderr);
        fail_msg("run_until %llu ns: %d", (unsigned long long)t_ns, rc);
    }
    assert_int_equal(qsim_fault_count(s), 0);
    size_t len;
    const char *c = qsim_console(s, &len);
    assert_true(len < sizeof buf);
    memcpy(buf, c, len);
    buf[len] = '\0';
    return buf;
}

static void expect_console(struct qsim *s, uint64_t t_ns, const char *expected)
{
    const char *got = console_at(s, t_ns);
    if (strcmp(got, expected) != 0)
        fail_msg("console at %.3f s:\n%s\nexpected:\n%s", t_ns / 1e9, got, expected);
    qsim_destroy(s);
}

/* ---- presses during boot ------------------------------------------------- */

static void press_at_power_up(uint64_t after_ms, const char *stopped)
{
    struct qsim *s = boot();
    qsim_press_at(s, after_ms * MS, 0);
    qsim_press_at(s, 2 * S, 0);
    char want[512];
    snprintf(want, sizeof want, B L(MSG_READY) L(MSG_RUNNING) L("%s"), stopped);
    expect_console(s, 2500 * MS, want);
}

static void test_press_1ms_after_power_up(void **state)
{
    (void)state;
    press_at_power_up(1, "stopped 00:01.999");
}

static void test_press_10ms_after_power_up(void **state)
{
    (void)state;
    press_at_power_up(10, "stopped 00:01.990");
}

static void test_press_44ms_after_power_up(void **state)
{
    (void)state;
    press_at_power_up(44, "stopped 00:01.956");
}

/* Running since 500 ms, reset at 3 s: a press `after_ms` later starts it again. */
static void press_after_reset(uint64_t after_ms, const char *stopped)
{
    struct qsim *s = boot();
    qsim_press_at(s, 500 * MS, 0);
    qsim_reset_at(s, 3 * S);
    qsim_press_at(s, 3 * S + after_ms * MS, 0);
    qsim_press_at(s, 5 * S, 0);
    char want[512];
    snprintf(want, sizeof want, B L(MSG_READY) L(MSG_RUNNING) B L(MSG_READY) L(MSG_RUNNING) L("%s"),
             stopped);
    expect_console(s, 5500 * MS, want);
}

static void test_press_1ms_after_reset(void **state)
{
    (void)state;
    press_after_reset(1, "stopped 00:01.999");
}

static void test_press_10ms_after_reset(void **state)
{
    (void)state;
    press_after_reset(10, "stopped 00:01.990");
}

static void test_press_44ms_after_reset(void **state)
{
    (void)state;
    press_after_reset(44, "stopped 00:01.956");
}

/* "stopped mm:ss.mmm" in the log, as ms; -1 if none. */
static long stopped_ms(const char *log)
{
    const char *p = strstr(log, MSG_STOPPED);
    unsigned m, sec, ms;
    if (!p || sscanf(p + strlen(MSG_STOPPED), "%u:%u.%u", &m, &sec, &ms) != 3)
        return -1;
    return (long)(m * 60000u + sec * 1000u + ms);
}

/* B1 down before the firmware runs: no edge after arming; counted from the arming. */
static void test_b1_down_at_power_up(void **state)
{
    (void)state;
    struct qsim *s = boot();
    qsim_press_at(s, 0, 0);
    qsim_press_at(s, 2 * S, 0);
    const char *c = console_at(s, 2500 * MS);
    assert_true(strncmp(c, B L(MSG_READY) L(MSG_RUNNING), strlen(B L(MSG_READY) L(MSG_RUNNING))) == 0);
    long ms = stopped_ms(c);
    print_message("B1 down from 0 s, stop at 2 s: %ld ms\n", ms);
    assert_true(ms >= 1998 && ms <= 2000); /* armed within 2 ms of reset */
    qsim_destroy(s);
}

static void test_b1_held_through_reset(void **state)
{
    (void)state;
    struct qsim *s = boot();
    qsim_press_at(s, 2900 * MS, 300 * MS);
    qsim_reset_at(s, 3 * S);
    qsim_press_at(s, 5 * S, 0);
    const char *c = console_at(s, 5500 * MS);
    const char *want = B L(MSG_READY) L(MSG_RUNNING) B L(MSG_READY) L(MSG_RUNNING);
    assert_true(strncmp(c, want, strlen(want)) == 0);
    long ms = stopped_ms(c + strlen(want));
    assert_true(ms >= 1998 && ms <= 2000);
    qsim_destroy(s);
}

/* ---- display outages ----------------------------------------------------- */

/* SDA held low from before the start's redraw: that flush and the next are
 * refused (see stuck_errno). */
static void test_sda_stuck_when_flush_starts(void **state)
{
    (void)state;
    struct qsim *s = boot();
    assert_int_equal(qsim_stuck_sda_at(s, 1, 900 * MS, 300 * MS), 0);
    qsim_press_at(s, 1 * S, 0);
    qsim_press_at(s, 3 * S, 0);
    char want[512];
    snprintf(want, sizeof want, "%s%s: %s%s%s", B L(MSG_READY) L(MSG_RUNNING), MSG_DISPLAY_DOWN,
             stuck_errno, MSG_EOL, L(MSG_DISPLAY_UP) L("stopped 00:02.000"));
    expect_console(s, 3500 * MS, want);
}

/* Stuck across the stop: refused while running, then the retries while stopped. */
static void test_sda_stuck_across_the_stop(void **state)
{
    (void)state;
    struct qsim *s = boot();
    qsim_press_at(s, 100 * MS, 0);
    assert_int_equal(qsim_stuck_sda_at(s, 1, 950 * MS, 1200 * MS), 0);
    qsim_press_at(s, 1 * S, 0);
    char want[512];
    snprintf(want, sizeof want, "%s%s: %s%s%s", B L(MSG_READY) L(MSG_RUNNING), MSG_DISPLAY_DOWN,
             stuck_errno, MSG_EOL, L("stopped 00:00.900") L(MSG_DISPLAY_UP));
    expect_console(s, 3 * S, want);
}

/* Unplugged while running: the flushes fail on the bus (no acknowledge). */
static void test_unplugged_while_running(void **state)
{
    (void)state;
    struct qsim *s = boot();
    qsim_press_at(s, 100 * MS, 0);
    qsim_oled_detach_at(s, 1000 * MS);
    qsim_oled_attach_at(s, 2000 * MS);
    qsim_press_at(s, 3 * S, 0);
    expect_console(s, 3500 * MS,
                   B L(MSG_READY) L(MSG_RUNNING) L(MSG_DISPLAY_DOWN ": -6") L(MSG_DISPLAY_UP)
                       L("stopped 00:02.900"));
}

/* No display at boot: logged before "ready", back at a retry. */
static void test_no_display_at_boot(void **state)
{
    (void)state;
    struct qsim *s = boot();
    qsim_oled_detach_at(s, 0);
    qsim_oled_attach_at(s, 1 * S);
    expect_console(s, 2 * S, B L(MSG_DISPLAY_DOWN ": -6") L(MSG_READY) L(MSG_DISPLAY_UP));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <image.elf> <errno of a flush refused on a stuck bus>\n", argv[0]);
        return 2;
    }
    elf = argv[1];
    stuck_errno = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_press_1ms_after_power_up),
        cmocka_unit_test(test_press_10ms_after_power_up),
        cmocka_unit_test(test_press_44ms_after_power_up),
        cmocka_unit_test(test_press_1ms_after_reset),
        cmocka_unit_test(test_press_10ms_after_reset),
        cmocka_unit_test(test_press_44ms_after_reset),
        cmocka_unit_test(test_b1_down_at_power_up),
        cmocka_unit_test(test_b1_held_through_reset),
        cmocka_unit_test(test_sda_stuck_when_flush_starts),
        cmocka_unit_test(test_sda_stuck_across_the_stop),
        cmocka_unit_test(test_unplugged_while_running),
        cmocka_unit_test(test_no_display_at_boot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
