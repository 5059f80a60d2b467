/*
 * The stopwatch's ui policy (apps/stopwatch/core/ui.c) and input
 * (core/input.c) on the host: the real SSD1306 driver on a fake I2C bus,
 * the console log, LD2, B1, the clock and the millisecond timer as fakes
 * behind their HAL headers (the link-time seam). Mainly the outage rule:
 * every display outage is one "display: no answer" line when it starts and
 * one "display: back" when it ends, however the flushes fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "input.h"
#include "log.h"
#include "messages.h"
#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"
#include "ui.h"

/* ---- fakes: console log ------------------------------------------------ */

static char logged[16][128];
static int nlogged;

static void log_add(const char *text)
{
    assert_true(nlogged < 16);
    snprintf(logged[nlogged++], sizeof logged[0], "%s", text);
}

void log_line(const char *text) { log_add(text); }

void log_error(const char *what, int err)
{
    char line[MSG_LINE_MAX + 16];
    snprintf(line, sizeof line, "%s: %d", what, err);
    log_add(line);
}

void log_stopped(uint64_t elapsed_ms)
{
    char line[MSG_LINE_MAX];
    assert_true(msg_stopped(line, sizeof line, elapsed_ms) > 0);
    line[strlen(line) - strlen(MSG_EOL)] = '\0';
    log_add(line);
}

static int count_logged(const char *prefix)
{
    int n = 0;
    for (int i = 0; i < nlogged; i++)
        n += strncmp(logged[i], prefix, strlen(prefix)) == 0;
    return n;
}

/* ---- fakes: board, GPIO, clock, timer, CPU ------------------------------ */

const char board_name[] = "fake";
const struct gpio_pin board_led = { 'A', 5 };
const struct gpio_pin board_button = { 'C', 13 };

static bool led, b1_down, irq_armed;
uint32_t fake_primask; /* PRIMASK of the host quartz_arch/cpu.h (tests/host/kernel/fake) */
static uint64_t now_ms;
static unsigned timer_starts, timer_stops;

void gpio_write(struct gpio_pin pin, bool level)
{
    assert_memory_equal(&pin, &board_led, sizeof pin);
    led = level;
}

bool gpio_read(struct gpio_pin pin)
{
    assert_memory_equal(&pin, &board_button, sizeof pin);
    return !b1_down; /* active low */
}

int gpio_irq_enable(struct gpio_pin pin, enum gpio_edge edge, gpio_irq_fn handler, void *ctx)
{
    (void)handler;
    (void)ctx;
    assert_memory_equal(&pin, &board_button, sizeof pin);
    assert_int_equal(edge, GPIO_EDGE_FALLING);
    irq_armed = true;
    return 0;
}


uint64_t clock_uptime_ms(void) { return now_ms; }
void clock_delay_us(uint32_t us) { (void)us; }

void timer_ms_start(void) { timer_starts++; }
uint32_t timer_ms_stop(void) { timer_stops++; return 1990; }
uint32_t timer_ms_count(void) { return 0; }

/* ---- fake I2C bus ------------------------------------------------------- */

static struct {
    struct i2c_bus bus;
    int refuse;      /* transfer_async returns this (0: starts) */
    int fail_at;     /* this started transaction completes with `fail` (-1: none) */
    int fail;
    int blocking;    /* status of every blocking transfer (ssd1306_init) */
    unsigned started; /* async transactions started */
    unsigned refused;
    i2c_done_fn done; /* the one in flight */
    void *ctx;
    int status;
} bus;

static int fake_transfer(struct i2c_bus *b, const struct i2c_msg *msgs, size_t n)
{
    (void)b;
    (void)msgs;
    (void)n;
    return bus.blocking;
}

static int fake_transfer_async(struct i2c_bus *b, const struct i2c_msg *msgs, size_t n,
                               i2c_done_fn done, void *ctx)
{
    (void)b;
    (void)msgs;
    (void)n;
    assert_null(bus.done); /* never two in flight */
    if (bus.refuse < 0) {
        bus.refused++;
        return bus.refuse;
    }
    bus.status = (int)bus.started == bus.fail_at ? bus.fail : 0;
    bus.started++;
    bus.done = done;
    bus.ctx = ctx;
    return 0;
}

static const struct i2c_bus_ops fake_ops = { fake_transfer, fake_transfer_async };

struct i2c_bus *board_display_bus(void) { return &bus.bus; }

/* ---- the variant's side, as apps/stopwatch's main loop ------------------ */

static struct ui ui;
static int flush_ends, flush_status;

static void on_flushed(void *ctx, int status)
{
    assert_ptr_equal(ctx, &ui);
    flush_ends++;
    flush_status = status;
}

/* The I2C interrupts of the flush in flight, to its end; then the thread's ui_flushed(). */
static void finish_flush(void)
{
    int before = flush_ends;
    while (bus.done) {
        i2c_done_fn done = bus.done;
        bus.done = NULL;
        done(bus.ctx, bus.status);
    }
    assert_int_equal(flush_ends, before + 1);
    ui_flushed(&ui, flush_status);
}

static void update(enum sw_state state, uint64_t t_ms)
{
    now_ms = t_ms;
    ui_update(&ui, (struct input_snapshot){ state, t_ms }, t_ms);
}

static int setup(void **state)
{
    (void)state;
    memset(&bus, 0, sizeof bus);
    bus.bus.ops = &fake_ops;
    bus.fail_at = -1;
    nlogged = 0;
    led = b1_down = irq_armed = false;
    fake_primask = 0;
    now_ms = 0;
    timer_starts = timer_stops = 0;
    flush_ends = 0;
    return 0;
}

static void start_ui(void)
{
    ui_start(&ui, on_flushed, &ui);
    assert_int_equal(count_logged(MSG_BANNER), 1);
    assert_string_equal(logged[nlogged - 1], MSG_READY);
    nlogged = 0;
}

/* ---- tests: display outages --------------------------------------------- */

static void test_refused_flush_is_one_outage(void **state)
{
    (void)state;
    start_ui();
    bus.refuse = -EBUSY; /* SDA held low when the flush starts */
    update(SW_RUNNING, 100);
    assert_int_equal(bus.refused, 1);
    uint64_t t = 110;
    for (; t < 1000; t += 10)
        update(SW_RUNNING, t); /* refused at every refresh, UI_REFRESH_MS apart */
    assert_int_equal(bus.refused, 1 + 900 / UI_REFRESH_MS);
    bus.refuse = 0;
    for (; t < 1100; t += 10) {
        update(SW_RUNNING, t);
        if (bus.done)
            finish_flush();
    }
    assert_true(bus.started > 0);
    assert_int_equal(nlogged, 3);
    assert_string_equal(logged[0], MSG_RUNNING);
    assert_string_equal(logged[1], MSG_DISPLAY_DOWN ": -16");
    assert_string_equal(logged[2], MSG_DISPLAY_UP);
}

static void test_nack_mid_flush_is_one_outage(void **state)
{
    (void)state;
    start_ui();
    bus.fail_at = 1; /* the first transaction goes out, the second is not acknowledged */
    bus.fail = -ENXIO;
    update(SW_RUNNING, 100);
    finish_flush();
    assert_int_equal(flush_status, -ENXIO);
    bus.fail_at = (int)bus.started; /* every later flush: no answer at its first byte */
    uint64_t t = 140;
    for (; t < 600; t += UI_REFRESH_MS) {
        update(SW_RUNNING, t);
        finish_flush();
        bus.fail_at = (int)bus.started;
    }
    bus.fail_at = -1;
    update(SW_RUNNING, t);
    finish_flush();
    assert_int_equal(flush_status, 0);
    assert_int_equal(nlogged, 3);
    assert_string_equal(logged[1], MSG_DISPLAY_DOWN ": -6");
    assert_string_equal(logged[2], MSG_DISPLAY_UP);
}

static void test_refused_then_failing_is_one_outage(void **state)
{
    (void)state;
    start_ui();
    update(SW_RUNNING, 100);
    finish_flush();
    bus.refuse = -EBUSY;
    update(SW_STOPPED, 200); /* the stop's redraw is refused */
    assert_int_equal(bus.refused, 1);
    bus.refuse = 0;
    bus.fail_at = (int)bus.started;
    bus.fail = -ETIMEDOUT;
    update(SW_STOPPED, 210); /* stopped: the first retry at once, then every UI_RETRY_MS */
    finish_flush();
    assert_int_equal(flush_status, -ETIMEDOUT);
    bus.fail_at = -1;
    update(SW_STOPPED, 210 + UI_RETRY_MS - 1); /* not yet */
    assert_null(bus.done);
    update(SW_STOPPED, 210 + UI_RETRY_MS);
    finish_flush();
    assert_int_equal(nlogged, 4);
    assert_string_equal(logged[1], "stopped 00:00.200");
    assert_string_equal(logged[2], MSG_DISPLAY_DOWN ": -16");
    assert_string_equal(logged[3], MSG_DISPLAY_UP);
}

static void test_boot_without_display(void **state)
{
    (void)state;
    bus.blocking = -ENXIO;
    ui_start(&ui, on_flushed, &ui);
    assert_int_equal(nlogged, 3);
    assert_string_equal(logged[1], MSG_DISPLAY_DOWN ": -6");
    assert_string_equal(logged[2], MSG_READY);
    bus.fail_at = 0;
    bus.fail = -ENXIO;
    update(SW_READY, 30);
    finish_flush(); /* the first retry: still unplugged, not logged again */
    bus.fail_at = -1;
    update(SW_READY, 30 + UI_RETRY_MS - 1);
    assert_null(bus.done);
    update(SW_READY, 30 + UI_RETRY_MS);
    finish_flush();
    assert_int_equal(nlogged, 4);
    assert_string_equal(logged[3], MSG_DISPLAY_UP);
}

/* ---- tests: what the log and LD2 show ----------------------------------- */

static void test_press_during_boot_is_reported(void **state)
{
    (void)state;
    start_ui();
    /* the stopwatch started and stopped before the first update */
    update(SW_STOPPED, 2100);
    assert_int_equal(nlogged, 2);
    assert_string_equal(logged[0], MSG_RUNNING);
    assert_string_equal(logged[1], "stopped 00:02.100");
    assert_false(led);
    update(SW_STOPPED, 2200);
    assert_int_equal(nlogged, 2); /* once */
}

static void test_refresh_while_running(void **state)
{
    (void)state;
    start_ui();
    update(SW_RUNNING, 100);
    assert_true(led);
    finish_flush();
    unsigned started = bus.started;
    update(SW_RUNNING, 100 + UI_REFRESH_MS - 1);
    assert_int_equal(bus.started, started);
    update(SW_RUNNING, 100 + UI_REFRESH_MS);
    assert_true(bus.started > started);
    finish_flush();
}

/* The flush note (ui_flush_note): while running with the display up, a
 * good result waits for the next refresh without a wake; an error, a
 * redraw waiting for the flush, a display that is down and a stopped
 * stopwatch want it at once. */
static void test_flush_note_wakes_only_when_wanted(void **state)
{
    (void)state;
    struct ui_flush_note note = { 0 };
    start_ui();
    assert_int_equal(ui_flush_note_take(&note), 1); /* nothing waits */
    update(SW_RUNNING, 100);                        /* a refresh starts a flush */
    assert_false(ui_flush_note_arm(&note, &ui));
    while (bus.done) {
        i2c_done_fn done = bus.done;
        bus.done = NULL;
        done(bus.ctx, bus.status);
    }
    assert_false(ui_flush_note_put(&note, flush_status)); /* good, running: no wake */
    assert_false(ui_flush_note_arm(&note, &ui));          /* and none wanted before the refresh */
    assert_int_equal(ui_flush_note_take(&note), 0);       /* the refresh takes it */
    assert_int_equal(ui_flush_note_take(&note), 1);
    ui_flushed(&ui, 0);
    assert_true(ui_flush_note_put(&note, -ENXIO)); /* an error: at once */
    assert_int_equal(ui_flush_note_take(&note), -ENXIO);

    update(SW_RUNNING, 100 + UI_REFRESH_MS);
    assert_true(bus.done != NULL);
    update(SW_STOPPED, 100 + UI_REFRESH_MS + 1); /* the stop's redraw waits for the flush */
    assert_false(ui_flush_note_arm(&note, &ui));
    assert_true(note.urgent);
    assert_true(ui_flush_note_put(&note, 0));
    assert_true(ui_flush_note_arm(&note, &ui)); /* waiting and wanted: do not sleep */
    assert_int_equal(ui_flush_note_take(&note), 0);
    assert_int_equal(nlogged, 2); /* running, stopped */
}

/* ui_next_due() is what lets the schedulers sleep over ticks: an update
 * before it does nothing (no flush tried, nothing logged), through a run,
 * display outages while running and stopped (retries) and a stop. */
static void test_next_due_bounds_the_idle_updates(void **state)
{
    (void)state;
    start_ui();
    assert_int_equal(ui_next_due(&ui, SW_READY), 0); /* the first update draws the view */
    update(SW_READY, 50);
    if (bus.done)
        finish_flush();
    assert_int_equal(ui_next_due(&ui, SW_READY), UINT64_MAX); /* display up, nothing shown late */
    assert_int_equal(ui_next_due(&ui, SW_RUNNING), 0);        /* a state not reported yet */
    unsigned skipped = 0, acted = 0;
    for (uint64_t t = 100; t < 2600; t += 10) {
        enum sw_state st = t < 1000 ? SW_RUNNING : SW_STOPPED;
        bool down = (t >= 300 && t < 600) || (t >= 950 && t < 2100); /* down at the stop: retries */
        bus.refuse = down ? -EBUSY : 0;
        uint64_t due = ui_next_due(&ui, st);
        unsigned tries = bus.started + bus.refused, logs = nlogged;
        update(st, t);
        if (t < due) {
            assert_int_equal(bus.started + bus.refused, tries);
            assert_int_equal(nlogged, logs);
            skipped++;
        } else if (bus.started + bus.refused != tries) {
            acted++;
        }
        if (bus.done)
            finish_flush();
    }
    assert_true(skipped > 150); /* most ticks had nothing to do */
    assert_true(acted >= 20); /* 22 refreshes in 900 ms running, the retries stopped */
    assert_int_equal(ui_next_due(&ui, SW_STOPPED), UINT64_MAX); /* stopped, display back up */
}

/* ---- tests: input ------------------------------------------------------- */

static struct input in;
static unsigned edges;

static void on_edge(void *ctx)
{
    assert_ptr_equal(ctx, &in);
    edges++;
    input_edge(&in);
}

static void test_arm_takes_a_press_already_down(void **state)
{
    (void)state;
    input_init(&in);
    edges = 0;
    b1_down = true; /* its edge came before the interrupt was armed */
    now_ms = 1;
    assert_int_equal(input_arm(on_edge, &in), 0);
    assert_true(irq_armed);
    assert_int_equal(fake_primask, 0);
    assert_int_equal(edges, 1);
    assert_int_equal(timer_starts, 1);
    assert_int_equal(input_take(&in).state, SW_RUNNING);
    /* the same press's edge, pending while masked: bounce, ignored */
    assert_int_equal(input_edge(&in), SW_NONE);
    assert_int_equal(timer_starts, 1);
}

static void test_arm_with_b1_up_waits_for_the_edge(void **state)
{
    (void)state;
    input_init(&in);
    edges = 0;
    assert_int_equal(input_arm(on_edge, &in), 0);
    assert_int_equal(edges, 0);
    assert_int_equal(timer_starts, 0);
    now_ms = 10;
    assert_int_equal(input_edge(&in), SW_START);
    assert_int_equal(timer_starts, 1);
    struct input_snapshot s = input_take(&in);
    assert_int_equal(s.state, SW_RUNNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_refused_flush_is_one_outage, setup),
        cmocka_unit_test_setup(test_next_due_bounds_the_idle_updates, setup),
        cmocka_unit_test_setup(test_nack_mid_flush_is_one_outage, setup),
        cmocka_unit_test_setup(test_refused_then_failing_is_one_outage, setup),
        cmocka_unit_test_setup(test_boot_without_display, setup),
        cmocka_unit_test_setup(test_press_during_boot_is_reported, setup),
        cmocka_unit_test_setup(test_refresh_while_running, setup),
        cmocka_unit_test_setup(test_flush_note_wakes_only_when_wanted, setup),
        cmocka_unit_test_setup(test_arm_takes_a_press_already_down, setup),
        cmocka_unit_test_setup(test_arm_with_b1_up_waits_for_the_edge, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
