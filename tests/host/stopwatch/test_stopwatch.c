#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "debounce.h"
#include "messages.h"
#include "quartz/fmt.h"
#include "quartz/gfx.h"
#include "stopwatch.h"
#include "view.h"

#define MIN_MS (60ull * 1000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static const char *dur(uint64_t ms)
{
    static char buf[FMT_DURATION_MAX];
    assert_true(fmt_duration_ms(buf, sizeof buf, ms) > 0);
    return buf;
}

static void test_format_basic(void **state)
{
    (void)state;
    assert_string_equal(dur(0), "00:00.000");
    assert_string_equal(dur(1234), "00:01.234");
    assert_string_equal(dur(59999), "00:59.999");
    assert_string_equal(dur(60000), "01:00.000");
    assert_string_equal(dur(10 * MIN_MS + 5), "10:00.005");
}

static void test_format_hour_boundary(void **state)
{
    (void)state;
    assert_string_equal(dur(HOUR_MS - 1), "59:59.999");
    assert_string_equal(dur(HOUR_MS), "1:00:00.000");
    assert_string_equal(dur(61 * MIN_MS + 2345), "1:01:02.345");
    /* the original panicked after 1000 minutes */
    assert_string_equal(dur(1000 * MIN_MS), "16:40:00.000");
    assert_string_equal(dur(100 * HOUR_MS - 1), "99:59:59.999");
    assert_string_equal(dur(100 * HOUR_MS), "100:00:00.000");
}

static void test_format_49_days(void **state)
{
    (void)state;
    assert_string_equal(dur(49 * DAY_MS), "1176:00:00.000");
    /* 2^32 ms is where a 32-bit count wraps: 49 d 17 h 2 min 47.296 s */
    assert_string_equal(dur(UINT32_MAX), "1193:02:47.295");
    assert_string_equal(dur((uint64_t)UINT32_MAX + 1), "1193:02:47.296");
    assert_string_equal(dur(UINT64_MAX), "5124095576030:25:51.615");
}

static void test_format_small_buffer(void **state)
{
    (void)state;
    char buf[9];
    assert_int_equal(fmt_duration_ms(buf, sizeof buf, 0), 0); /* needs 10 with the NUL */
    assert_string_equal(buf, "");
    char ok[10];
    assert_int_equal(fmt_duration_ms(ok, sizeof ok, 1234), 9);
    assert_string_equal(ok, "00:01.234");
}

static void test_state_machine(void **state)
{
    (void)state;
    struct stopwatch sw;
    sw_init(&sw);
    assert_int_equal(sw.state, SW_READY);
    assert_int_equal(sw_press(&sw), SW_START);
    assert_int_equal(sw.state, SW_RUNNING);
    assert_int_equal(sw_press(&sw), SW_STOP);
    assert_int_equal(sw.state, SW_STOPPED);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sw_press(&sw), SW_NONE); /* no lap, no reset */
        assert_int_equal(sw.state, SW_STOPPED);
    }
    assert_string_equal(msg_state_word(SW_READY), "Ready");
    assert_string_equal(msg_state_word(SW_RUNNING), "Running");
    assert_string_equal(msg_state_word(SW_STOPPED), "Stopped");
}

static void test_elapsed_extends_past_32_bits(void **state)
{
    (void)state;
    struct stopwatch sw;
    sw_init(&sw);
    sw_press(&sw);
    assert_int_equal(sw_elapsed(&sw, 0), 0);
    assert_int_equal(sw_elapsed(&sw, 1234), 1234);
    assert_int_equal(sw_elapsed(&sw, UINT32_MAX - 10), UINT32_MAX - 10);
    /* the 32-bit count wrapped between two refreshes */
    assert_int_equal(sw_elapsed(&sw, 40), (uint64_t)UINT32_MAX + 41);
    assert_int_equal(sw_elapsed(&sw, 40), (uint64_t)UINT32_MAX + 41);
    assert_string_equal(dur(sw_elapsed(&sw, 4000)), "1193:02:51.296");
    /* 60 days of refreshes every 50 ms keep the count right */
    sw_init(&sw);
    sw_press(&sw);
    uint64_t t = 0;
    for (uint64_t i = 0; i < 60 * DAY_MS / (50 * 997); i++) {
        t += 50 * 997;
        assert_int_equal(sw_elapsed(&sw, (uint32_t)t), t);
    }
    assert_true(t > 59 * DAY_MS);
}

static void test_log_lines(void **state)
{
    (void)state;
    char line[MSG_LINE_MAX];
    assert_int_equal(msg_stopped(line, sizeof line, 1234), strlen("stopped 00:01.234\r\n"));
    assert_string_equal(line, "stopped 00:01.234\r\n");
    msg_stopped(line, sizeof line, HOUR_MS);
    assert_string_equal(line, "stopped 1:00:00.000\r\n");
    msg_stopped(line, sizeof line, UINT64_MAX);
    assert_string_equal(line, "stopped 5124095576030:25:51.615\r\n");
    msg_error(line, sizeof line, MSG_DISPLAY_DOWN, -6);
    assert_string_equal(line, "display: no answer, retrying: -6\r\n");
    char tiny[8];
    assert_int_equal(msg_stopped(tiny, sizeof tiny, 0), 0);
    assert_string_equal(tiny, "");
}

/* ---- debounce --------------------------------------------------------- */

/* A bouncy button: edges at the given times, samples every 10 ms (SysTick). */
struct bouncy {
    struct debounce d;
    struct stopwatch sw;
    uint64_t first_action_ms[4];
    int actions;
};

static void edge(struct bouncy *b, uint64_t t)
{
    if (debounce_edge(&b->d, t) && sw_press(&b->sw) != SW_NONE)
        b->first_action_ms[b->actions++] = t;
}

static void samples(struct bouncy *b, uint64_t from, uint64_t to, bool pressed)
{
    for (uint64_t t = (from + 9) / 10 * 10; t < to; t += 10)
        debounce_sample(&b->d, t, pressed);
}

/* Press at t with 5 bounce edges in 2 ms, hold, release at r with 5 bounce edges. */
static void bouncy_press(struct bouncy *b, uint64_t t, uint64_t r)
{
    edge(b, t);
    for (int i = 1; i <= 5; i++)
        edge(b, t + (uint64_t)i * 400 / 1000); /* falling edges inside the 2 ms chatter */
    samples(b, t, r, true);
    for (int i = 0; i < 5; i++)
        edge(b, r + (uint64_t)i * 400 / 1000); /* release chatter also makes falling edges */
    samples(b, r + 2, r + 500, false);
}

static void test_debounce_bouncy_press_starts_once(void **state)
{
    (void)state;
    struct bouncy b = { 0 };
    debounce_init(&b.d);
    sw_init(&b.sw);
    bouncy_press(&b, 100, 180);
    assert_int_equal(b.actions, 1);
    assert_int_equal(b.sw.state, SW_RUNNING);
    assert_int_equal(b.first_action_ms[0], 100); /* the first edge, not delayed */
    assert_int_equal(b.d.presses, 1);
    assert_int_equal(b.d.ignored, 10);
    bouncy_press(&b, 1334, 1400);
    assert_int_equal(b.actions, 2);
    assert_int_equal(b.first_action_ms[1], 1334);
    assert_int_equal(b.sw.state, SW_STOPPED);
    bouncy_press(&b, 2000, 2100);
    assert_int_equal(b.actions, 2); /* third press: nothing */
    assert_int_equal(b.d.presses, 3);
}

static void test_debounce_rearms_only_after_stable_release(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d);
    assert_true(debounce_edge(&d, 0));
    /* held: samples say pressed, edges are bounce */
    debounce_sample(&d, 10, true);
    debounce_sample(&d, 20, true);
    assert_false(debounce_edge(&d, 25));
    /* released at 30, but a bounce edge at 45 restarts the release window */
    debounce_sample(&d, 30, false);
    debounce_sample(&d, 40, false);
    assert_false(debounce_edge(&d, 45));
    debounce_sample(&d, 50, false);
    debounce_sample(&d, 60, false);
    assert_false(debounce_edge(&d, 61)); /* 50..60 is only 10 ms released */
    debounce_sample(&d, 70, false);
    debounce_sample(&d, 80, false);
    debounce_sample(&d, 90, false);
    assert_true(debounce_edge(&d, 95)); /* released 70..90 (20 ms), 95 ms after the first press */
}

static void test_debounce_lockout(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d);
    assert_true(debounce_edge(&d, 1000));
    /* a very short press: released at once, stable for 20 ms, but the lockout holds */
    debounce_sample(&d, 1001, false);
    debounce_sample(&d, 1021, false);
    debounce_sample(&d, 1031, false);
    assert_false(debounce_edge(&d, 1035));
    debounce_sample(&d, 1040, false);
    debounce_sample(&d, 1060, false);
    assert_true(debounce_edge(&d, 1061));
}

/* ---- view --------------------------------------------------------------- */

static uint8_t screen[8][128];
static unsigned puts_count;

static void screen_put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    (void)ctx;
    assert_true(x < 128 && page < 8);
    screen[page][x] = bits;
    puts_count++;
}

static const struct gfx_canvas canvas = { 128, 8, screen_put, NULL, NULL, NULL };

/* Read text drawn at column x on `page` with `font` by matching glyphs. */
static void decode(const struct gfx_font *f, int x, unsigned page, char *out, size_t n)
{
    size_t k = 0;
    while (k + 1 < n && x < 128) {
        char found = 0;
        for (const char *c = f->chars; *c && !found; c++) {
            const uint8_t *bits;
            unsigned w = gfx_glyph(f, *c, &bits);
            if (x + (int)w > 128)
                continue;
            bool same = true;
            for (unsigned p = 0; p < f->pages && same; p++)
                for (unsigned col = 0; col < w && same; col++)
                    same = screen[page + p][x + (int)col] == bits[p * w + col];
            if (same && *c != ' ') {
                found = *c;
                x += (int)(w + f->spacing);
            }
        }
        if (!found)
            break;
        out[k++] = found;
    }
    out[k] = '\0';
}

static void test_view_layout(void **state)
{
    (void)state;
    char text[32];
    int x;
    memset(screen, 0xAA, sizeof screen);
    view_draw(&canvas, SW_READY, 0);
    const struct gfx_font *f = view_time_font(128, 0, &x);
    assert_ptr_equal(f, &gfx_font_large);
    decode(f, x, VIEW_TIME_PAGE, text, sizeof text);
    assert_string_equal(text, "00:00.000");
    /* "Ready" centred in the small font */
    int wx = (128 - (int)(gfx_text_width(&gfx_font_small, "Ready") - 1)) / 2;
    decode(&gfx_font_small, wx, VIEW_STATE_PAGE, text, sizeof text);
    assert_string_equal(text, "Ready");
    /* everything else on those pages was cleared */
    assert_int_equal(screen[VIEW_STATE_PAGE][0], 0);
    assert_int_equal(screen[VIEW_TIME_PAGE + 1][127], 0);

    view_draw(&canvas, SW_RUNNING, 61 * MIN_MS + 2345);
    f = view_time_font(128, 61 * MIN_MS + 2345, &x);
    assert_ptr_equal(f, &gfx_font_large);
    decode(f, x, VIEW_TIME_PAGE, text, sizeof text);
    assert_string_equal(text, "1:01:02.345");
    assert_int_equal(screen[VIEW_TIME_PAGE][x - 1], 0);

    view_draw(&canvas, SW_STOPPED, 49 * DAY_MS + 7);
    f = view_time_font(128, 49 * DAY_MS + 7, &x);
    assert_ptr_equal(f, &gfx_font_small); /* too wide for the large digits */
    decode(f, x, VIEW_TIME_PAGE, text, sizeof text);
    assert_string_equal(text, "1176:00:00.007");
    assert_int_equal(screen[VIEW_TIME_PAGE + 1][64], 0); /* the large font's lower page cleared */
}

static void test_view_update_matches_full_draw(void **state)
{
    (void)state;
    static uint8_t full[8][128];
    struct view v;
    view_init(&v);
    memset(screen, 0, sizeof screen);
    const uint64_t times[] = { 0, 0, 40, 80, 999, 1000, 59999, 60000, 60040,
                               HOUR_MS - 1, HOUR_MS, HOUR_MS + 40, 100 * HOUR_MS,
                               100 * HOUR_MS + 1, 5 };
    const enum sw_state states[] = { SW_READY, SW_RUNNING, SW_RUNNING, SW_RUNNING, SW_RUNNING,
                                     SW_RUNNING, SW_RUNNING, SW_RUNNING, SW_RUNNING, SW_RUNNING,
                                     SW_RUNNING, SW_RUNNING, SW_RUNNING, SW_STOPPED, SW_STOPPED };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        puts_count = 0;
        view_update(&v, &canvas, states[i], times[i]);
        unsigned incremental = puts_count;
        memcpy(full, screen, sizeof full);
        view_draw(&canvas, states[i], times[i]);
        assert_memory_equal(full, screen, sizeof full);
        if (i == 3) /* 00:00.040 -> 00:00.080: one digit redrawn, its columns only */
            assert_int_equal(incremental, 2 * 10);
    }
}

static unsigned rows_count;

static void screen_put_row(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned n)
{
    (void)ctx;
    assert_true(x + n <= 128 && page < 8);
    memcpy(&screen[page][x], bits, n);
    rows_count++;
}

/* Refreshes as the stopwatch makes them (every 40 ms, and odd steps that
 * change every digit position), on a canvas with row writes: after each
 * incremental update the screen is exactly what a full draw gives. */
static void test_view_update_sweep_matches_full_draw(void **state)
{
    (void)state;
    static const struct gfx_canvas rows = { 128, 8, screen_put, NULL, screen_put_row, NULL };
    static uint8_t full[8][128];
    struct view v;
    view_init(&v);
    memset(screen, 0, sizeof screen);
    const uint64_t from[] = { 0, 0, 59 * 60000 - 3000, HOUR_MS - 3000, 10 * HOUR_MS - 3000 };
    const uint64_t step[] = { 40, 7, 13, 41, 997 };
    rows_count = 0;
    for (size_t k = 0; k < sizeof from / sizeof from[0]; k++) {
        for (uint64_t t = from[k]; t < from[k] + 2000 * step[k]; t += step[k]) {
            view_update(&v, &rows, SW_RUNNING, t);
            memcpy(full, screen, sizeof full);
            view_draw(&rows, SW_RUNNING, t);
            assert_memory_equal(full, screen, sizeof full);
        }
    }
    assert_true(rows_count > 0); /* the row path ran */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_basic),
        cmocka_unit_test(test_format_hour_boundary),
        cmocka_unit_test(test_format_49_days),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_elapsed_extends_past_32_bits),
        cmocka_unit_test(test_log_lines),
        cmocka_unit_test(test_debounce_bouncy_press_starts_once),
        cmocka_unit_test(test_debounce_rearms_only_after_stable_release),
        cmocka_unit_test(test_debounce_lockout),
        cmocka_unit_test(test_view_layout),
        cmocka_unit_test(test_view_update_matches_full_draw),
        cmocka_unit_test(test_view_update_sweep_matches_full_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
