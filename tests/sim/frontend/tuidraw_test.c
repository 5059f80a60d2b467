/* Interactive board rendering: OLED cells, console tail, status line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tuidraw.h"

/* Lit: column 0 top half of every row pair, x == 1 full, x == 2 bottom only. */
static bool stripes(const void *ctx, int x, int y)
{
    (void)ctx;
    assert_true(x >= 0 && x < TUI_OLED_W && y >= 0 && y < TUI_OLED_H);
    return (x == 0 && y % 2 == 0) || x == 1 || (x == 2 && y % 2 == 1);
}

static void test_half_blocks(void **state)
{
    (void)state;
    char row[3 * TUI_OLED_W + 1];
    assert_int_equal(tui_oled_cols(TUI_OLED_HALF), 128);
    assert_int_equal(tui_oled_rows(TUI_OLED_HALF), 32);
    size_t n = tui_oled_row(row, sizeof row, TUI_OLED_HALF, 5, stripes, NULL);
    assert_int_equal(n, 9 + 125); /* three 3-byte blocks, 125 spaces */
    assert_memory_equal(row, "\u2580\u2588\u2584", 9);
    for (size_t i = 9; i < n; i++)
        assert_int_equal(row[i], ' ');
    assert_int_equal(row[n], '\0');
}

/* One lit pixel at (px, py). */
static int px, py;
static bool one_pixel(const void *ctx, int x, int y)
{
    (void)ctx;
    return x == px && y == py;
}

static void test_braille(void **state)
{
    (void)state;
    char row[3 * TUI_OLED_W + 1];
    assert_int_equal(tui_oled_cols(TUI_OLED_BRAILLE), 64);
    assert_int_equal(tui_oled_rows(TUI_OLED_BRAILLE), 16);
    /* Unicode Braille: dot 1 (0,0) = bit 0 ... dot 8 (1,3) = bit 7. */
    static const struct {
        int x, y;
        unsigned bit;
    } dots[] = { { 0, 0, 0x01 }, { 0, 1, 0x02 }, { 0, 2, 0x04 }, { 1, 0, 0x08 },
                 { 1, 1, 0x10 }, { 1, 2, 0x20 }, { 0, 3, 0x40 }, { 1, 3, 0x80 } };
    for (size_t i = 0; i < 8; i++) {
        px = 10 + dots[i].x; /* cell column 5 */
        py = 12 + dots[i].y; /* cell row 3 */
        size_t n = tui_oled_row(row, sizeof row, TUI_OLED_BRAILLE, 3, one_pixel, NULL);
        assert_int_equal(n, 63 + 3);
        unsigned code = 0x2800 + dots[i].bit;
        const char expect[3] = { (char)(0xE0 | code >> 12), (char)(0x80 | (code >> 6 & 0x3F)),
                                 (char)(0x80 | (code & 0x3F)) };
        assert_memory_equal(row + 5, expect, 3);
        n = tui_oled_row(row, sizeof row, TUI_OLED_BRAILLE, 2, one_pixel, NULL);
        assert_int_equal(n, 64); /* other rows: blank */
    }
}

static void test_console_tail(void **state)
{
    (void)state;
    const char *start[4];
    size_t len[4];
    const char *text = "one\ntwo\nthree\nfour\nfive\n";
    int n = tui_console_tail(text, strlen(text), 3, start, len);
    assert_int_equal(n, 3);
    assert_memory_equal(start[0], "three", len[0]);
    assert_memory_equal(start[2], "five", len[2]);
    assert_int_equal(len[2], 4);

    text = "a\nunfinished";
    n = tui_console_tail(text, strlen(text), 4, start, len);
    assert_int_equal(n, 2);
    assert_int_equal(len[1], 10);
    assert_int_equal(tui_console_tail("", 0, 4, start, len), 0);

    char line[16];
    assert_int_equal(tui_console_line(line, sizeof line, "12:00\r12:01\r", 12, 80), 5);
    assert_string_equal(line, "12:01");
    assert_int_equal(tui_console_line(line, sizeof line, "a\tb\x01\xc3", 5, 80), 5);
    assert_string_equal(line, "a b??");
    assert_int_equal(tui_console_line(line, sizeof line, "abcdefghijklmnopqrstuvwxyz", 26, 80), 15);
    assert_int_equal(tui_console_line(line, sizeof line, "abcdef", 6, 3), 3);
    assert_string_equal(line, "abc");
}

static void test_status(void **state)
{
    (void)state;
    struct tui_status st = { .virtual_ns = 12345678901ull, .speed = 1.0, .wfi_share = 0.9912,
                             .hclk_hz = 48000000, .led = true, .compact = true };
    char line[256];
    tui_status_line(line, sizeof line, &st, 200);
    assert_non_null(strstr(line, "t 12.345 s"));
    assert_non_null(strstr(line, "speed 1.00x"));
    assert_non_null(strstr(line, "WFI 99.1%"));
    assert_non_null(strstr(line, "HCLK 48.0 MHz"));
    assert_non_null(strstr(line, "LD2 on"));
    assert_non_null(strstr(line, "compact view"));
    assert_non_null(strstr(line, "keys: board (Tab: console)"));
    assert_int_equal(tui_status_line(line, sizeof line, &st, 20), 20);
    st.console_keys = true;
    tui_status_line(line, sizeof line, &st, 200);
    assert_non_null(strstr(line, "KEYS TO CONSOLE (Tab: board)"));

    st = (struct tui_status){ .speed = -1, .wfi_share = -1, .locked_up = true };
    tui_status_line(line, sizeof line, &st, 200);
    assert_non_null(strstr(line, "speed --"));
    assert_non_null(strstr(line, "LOCKED UP"));
    assert_null(strstr(line, "hPa"));

    /* with a BME280: the scripted air */
    st = (struct tui_status){ .env_shown = true, .env_t_mc = -10250, .env_p_mpa = 101325000, .env_h_mpct = 45500 };
    tui_status_line(line, sizeof line, &st, 200);
    assert_non_null(strstr(line, "| -10.25 C 1013.25 hPa 45.5 %RH"));
    st.env_t_mc = 5;
    tui_status_line(line, sizeof line, &st, 200);
    assert_non_null(strstr(line, "| 0.00 C"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_blocks), cmocka_unit_test(test_braille),
        cmocka_unit_test(test_console_tail), cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
