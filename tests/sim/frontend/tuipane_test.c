/* The interactive board's layout and its side pane (--pane): text and file reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tuipane.h"

static void test_layout_without_pane(void **state)
{
    (void)state;
    struct tui_layout l;
    tui_layout(80, 24, false, &l);
    assert_false(l.too_small);
    assert_int_equal(l.mode, TUI_OLED_BRAILLE);
    assert_int_equal(l.status_row, 19); /* title, rule, 16 Braille rows, rule */
    assert_int_equal(l.console_row, 20);
    assert_int_equal(l.console_rows, 4);
    assert_false(l.pane_shown);
    tui_layout(130, 40, false, &l);
    assert_int_equal(l.mode, TUI_OLED_HALF);
    assert_int_equal(l.status_row, 35);
    tui_layout(66, 22, false, &l);
    assert_false(l.too_small);
    tui_layout(65, 22, false, &l);
    assert_true(l.too_small);
    tui_layout(66, 21, false, &l);
    assert_true(l.too_small);
}

static void test_layout_pane_80x24(void **state)
{
    (void)state;
    struct tui_layout l;
    tui_layout(80, 24, true, &l);
    assert_false(l.too_small);
    assert_int_equal(l.mode, TUI_OLED_BRAILLE);
    /* 14 columns beside the box are too few: console and pane share rows 20..23. */
    assert_true(l.pane_shown);
    assert_int_equal(l.console_row, 20);
    assert_int_equal(l.console_rows, 2);
    assert_int_equal(l.pane_row, 22);
    assert_int_equal(l.pane_rows, 2);
    assert_int_equal(l.pane_col, 0);
    assert_int_equal(l.pane_cols, 80);
    /* 66x22: room for the console only. */
    tui_layout(66, 22, true, &l);
    assert_false(l.too_small);
    assert_false(l.pane_shown);
    assert_int_equal(l.console_rows, 2);
}

static void test_layout_pane_beside(void **state)
{
    (void)state;
    struct tui_layout l;
    tui_layout(97, 24, true, &l); /* 66 + 1 + 30 */
    assert_true(l.pane_shown);
    assert_int_equal(l.mode, TUI_OLED_BRAILLE);
    assert_int_equal(l.pane_row, 1);
    assert_int_equal(l.pane_col, 67);
    assert_int_equal(l.pane_cols, 30);
    assert_int_equal(l.pane_rows, 18);
    assert_int_equal(l.console_rows, 4); /* the console keeps its rows */
    tui_layout(96, 24, true, &l);
    assert_int_equal(l.pane_col, 0); /* one column short: below */
    /* 160x50: half blocks would leave 29 columns: Braille and the pane beside. */
    tui_layout(160, 50, true, &l);
    assert_int_equal(l.mode, TUI_OLED_BRAILLE);
    assert_int_equal(l.pane_col, 67);
    assert_int_equal(l.pane_cols, 93);
    tui_layout(161, 50, true, &l);
    assert_int_equal(l.mode, TUI_OLED_HALF);
    assert_int_equal(l.pane_col, 131);
    assert_int_equal(l.pane_rows, 34);
}

/* Over many sizes: every region on the screen, no two overlap, the console keeps a line. */
static void test_layout_sweep(void **state)
{
    (void)state;
    for (int cols = 20; cols <= 260; cols++) {
        for (int rows = 10; rows <= 80; rows++) {
            struct tui_layout l;
            tui_layout(cols, rows, true, &l);
            struct tui_layout bare;
            tui_layout(cols, rows, false, &bare);
            assert_int_equal(l.too_small, bare.too_small);
            if (l.too_small)
                continue;
            int box_cols = tui_oled_cols(l.mode) + 2, box_end = 1 + tui_oled_rows(l.mode) + 2;
            assert_true(box_cols <= cols);
            assert_int_equal(l.status_row, box_end);
            assert_true(l.console_rows >= 2);
            assert_true(l.console_row + l.console_rows <= rows);
            if (!l.pane_shown) {
                assert_true(cols - box_cols - 1 < TUI_PANE_MIN_COLS);
                continue;
            }
            assert_true(l.pane_rows >= 2);
            assert_true(l.pane_row + l.pane_rows <= rows);
            assert_true(l.pane_col + l.pane_cols <= cols);
            if (l.pane_col > 0) { /* beside the box: right of it, above the status line */
                assert_true(l.pane_col > box_cols);
                assert_true(l.pane_cols >= TUI_PANE_MIN_COLS);
                assert_true(l.pane_row + l.pane_rows <= l.status_row);
            } else { /* below: after the console */
                assert_int_equal(l.pane_row, l.console_row + l.console_rows);
                assert_int_equal(l.pane_cols, cols);
            }
        }
    }
}

#define W 24
static char rows_out[40][W + 8];

static int pane(const char *text, int width, int rows)
{
    memset(rows_out, 'x', sizeof rows_out);
    return tui_pane_text(text, strlen(text), width, rows, rows_out[0], sizeof rows_out[0]);
}

static void test_pane_text(void **state)
{
    (void)state;
    /* Short lines: the newest that fit, oldest first. */
    assert_int_equal(pane("a 1\nb 2\nc 3\n", W, 2), 2);
    assert_string_equal(rows_out[0], "b 2");
    assert_string_equal(rows_out[1], "c 3");
    /* A message wider than the pane wraps, continuations indented, after a ',' or ' ' when
     * one is in the row's second half. */
    const char *msg = "quartz/quartz-3f09a2/env {\"seq\":7,\"t\":21.53,\"p\":101325}\n";
    assert_int_equal(pane(msg, W, 5), 3);
    assert_string_equal(rows_out[0], "quartz/quartz-3f09a2/env"); /* 24 columns, no break in 12..23 */
    assert_string_equal(rows_out[1], "   {\"seq\":7,\"t\":21.53,");
    assert_string_equal(rows_out[2], "  \"p\":101325}");
    /* No break character: cut at the width. */
    assert_int_equal(pane("abcdefghijklmnopqrstuvwxyz0123456789\n", 10, 9), 5);
    assert_string_equal(rows_out[0], "abcdefghij");
    assert_string_equal(rows_out[1], "  klmnopqr");
    assert_string_equal(rows_out[3], "  01234567");
    assert_string_equal(rows_out[4], "  89");
    /* Whole messages only: "old" does not fit beside the 3-row message in 3 rows. */
    char two[128];
    snprintf(two, sizeof two, "old\n%s", msg);
    assert_int_equal(pane(two, W, 3), 3);
    assert_string_equal(rows_out[0], "quartz/quartz-3f09a2/env");
    assert_int_equal(pane(two, W, 4), 4);
    assert_string_equal(rows_out[0], "old");
    /* The newest alone longer than the pane: its beginning. */
    assert_int_equal(pane(msg, W, 1), 1);
    assert_string_equal(rows_out[0], "quartz/quartz-3f09a2/env");
    /* Control bytes, an unfinished last line, CR. */
    assert_int_equal(pane("t\x1b[2Jp\nhalf\rnew", W, 4), 2);
    assert_string_equal(rows_out[0], "t?[2Jp");
    assert_string_equal(rows_out[1], "new");
    assert_int_equal(pane("", W, 4), 0);
    assert_int_equal(pane("a\n", 0, 4), 0);
}

static char dir[] = "/tmp/qsim-pane-XXXXXX";

static void append(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_reader_follows_a_file(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s/msgs", dir);
    struct tui_pane *p;
    assert_int_equal(tui_pane_open(&p, path), -ENOENT);
    append(path, "quartz/a/status online\n");
    assert_int_equal(tui_pane_open(&p, path), 0);
    assert_true(tui_pane_poll(p));
    assert_int_equal(p->len, 23);
    assert_false(tui_pane_poll(p)); /* nothing new */
    append(path, "quartz/a/env {\"seq\":0}\n");
    assert_true(tui_pane_poll(p));
    assert_memory_equal(p->text, "quartz/a/status online\nquartz/a/env {\"seq\":0}\n", p->len);
    /* Truncated and rewritten: read again from the start. */
    assert_int_equal(truncate(path, 0), 0);
    append(path, "new\n");
    assert_true(tui_pane_poll(p));
    assert_int_equal(p->len, 4);
    assert_memory_equal(p->text, "new\n", 4);
    tui_pane_close(p);
    unlink(path);
    assert_int_equal(tui_pane_open(&p, dir), -EISDIR);
}

/* More than TUI_PANE_KEEP bytes: the end is kept, starting at a whole line. */
static void test_reader_keeps_the_end(void **state)
{
    (void)state;
    char path[64], line[64];
    snprintf(path, sizeof path, "%s/big", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "quartz/n/env {\"seq\":%d}\n", i); /* 24..27 bytes a line */
    assert_int_equal(fclose(f), 0);
    for (int opened_late = 0; opened_late < 2; opened_late++) {
        struct tui_pane *p;
        if (!opened_late) { /* opened empty, the file grows while followed */
            assert_int_equal(truncate(path, 0), 0);
            assert_int_equal(tui_pane_open(&p, path), 0);
            tui_pane_poll(p);
            f = fopen(path, "w");
            for (int i = 0; i < 2000; i++)
                fprintf(f, "quartz/n/env {\"seq\":%d}\n", i);
            fclose(f);
        } else {
            assert_int_equal(tui_pane_open(&p, path), 0);
        }
        assert_true(tui_pane_poll(p));
        assert_true(p->len <= TUI_PANE_KEEP && p->len > TUI_PANE_KEEP - 64);
        assert_memory_equal(p->text, "quartz/n/env", 12);
        snprintf(line, sizeof line, "quartz/n/env {\"seq\":1999}\n");
        assert_memory_equal(p->text + p->len - strlen(line), line, strlen(line));
        tui_pane_close(p);
    }
    unlink(path);
}

static void test_reader_fifo(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct tui_pane *p;
    assert_int_equal(tui_pane_open(&p, path), 0); /* no writer yet: no blocking */
    assert_false(tui_pane_poll(p));
    int w = open(path, O_WRONLY | O_NONBLOCK);
    assert_true(w >= 0);
    assert_false(tui_pane_poll(p)); /* a writer, nothing written: EAGAIN */
    assert_int_equal(write(w, "quartz/a/env 1\n", 15), 15);
    assert_true(tui_pane_poll(p));
    assert_int_equal(p->len, 15);
    close(w);
    tui_pane_close(p);
    unlink(path);
}

int main(void)
{
    assert_non_null(mkdtemp(dir));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_without_pane), cmocka_unit_test(test_layout_pane_80x24),
        cmocka_unit_test(test_layout_pane_beside),  cmocka_unit_test(test_layout_sweep),
        cmocka_unit_test(test_pane_text),           cmocka_unit_test(test_reader_follows_a_file),
        cmocka_unit_test(test_reader_keeps_the_end), cmocka_unit_test(test_reader_fifo),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return failed;
}
