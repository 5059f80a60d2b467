/* The board's layout and the side pane's text, see tuipane.h. */
#include "tuipane.h"

#include <string.h>

#define TUI_MAX_PANE_LINES 200 /* one row each at least; tui.c has at most 200 rows */
#define TUI_PANE_LINE 1024     /* a message longer than this is cut */

/* Title, the OLED box, the status line: the rows above the console. */
static int tui_rows_above_console(enum tui_oled_mode mode)
{
    return 1 + tui_oled_rows(mode) + 2 + 1;
}

void tui_layout(int cols, int rows, bool pane, struct tui_layout *l)
{
    *l = (struct tui_layout){ 0 };
    int half_box = tui_oled_cols(TUI_OLED_HALF) + 2;
    bool half_fits = cols >= 130 && rows >= 40;
    if (pane)
        half_fits = half_fits && cols - half_box - 1 >= TUI_PANE_MIN_COLS;
    l->mode = half_fits ? TUI_OLED_HALF : TUI_OLED_BRAILLE;
    int box = tui_oled_cols(l->mode) + 2;
    l->status_row = tui_rows_above_console(l->mode) - 1;
    l->console_row = l->status_row + 1;
    l->console_rows = rows - l->console_row;
    /* At least the console's header and one line (66x22 in Braille). */
    if (cols < box || l->console_rows < 2) {
        l->too_small = true;
        return;
    }
    if (!pane)
        return;
    if (cols - box - 1 >= TUI_PANE_MIN_COLS) {
        l->pane_shown = true;
        l->pane_row = 1;
        l->pane_col = box + 1;
        l->pane_rows = tui_oled_rows(l->mode) + 2;
        l->pane_cols = cols - l->pane_col;
        return;
    }
    if (l->console_rows < 4)
        return; /* no room for two headers and two lines: the console alone */
    int console = l->console_rows / 2;
    l->pane_shown = true;
    l->pane_row = l->console_row + console;
    l->pane_col = 0;
    l->pane_rows = l->console_rows - console;
    l->pane_cols = cols;
    l->console_rows = console;
}

/*
 * How much of line[at..k) goes on a row of `room` columns: all of it if it
 * fits, else up to the last ',' or ' ' in the row's second half (JSON
 * breaks between members), else `room`.
 */
static size_t tui_wrap_take(const char *line, size_t at, size_t k, size_t room)
{
    if (k - at <= room)
        return k - at;
    for (size_t i = room; i > room / 2; i--)
        if (line[at + i - 1] == ',' || line[at + i - 1] == ' ')
            return i;
    return room;
}

/* Rows a printable line of `k` columns takes wrapped at `width` (continuations indented by 2). */
static int tui_wrapped_rows(const char *line, size_t k, int width)
{
    size_t indent = width > 2 ? 2 : 0, at = 0;
    int rows = 0;
    do {
        at += tui_wrap_take(line, at, k, (size_t)width - (rows ? indent : 0));
        rows++;
    } while (at < k && rows < TUI_MAX_PANE_LINES);
    return rows;
}

int tui_pane_text(const char *text, size_t len, int width, int rows, char *out, size_t stride)
{
    if (width <= 0 || rows <= 0 || stride <= (size_t)width || !text)
        return 0;
    if (rows > TUI_MAX_PANE_LINES)
        rows = TUI_MAX_PANE_LINES;
    const char *start[TUI_MAX_PANE_LINES];
    size_t length[TUI_MAX_PANE_LINES];
    int n = tui_console_tail(text, len, rows, start, length);
    char line[TUI_PANE_LINE];
    /* Newest first: the whole lines that fit; the newest at least. */
    int first = n, used = 0;
    while (first > 0) {
        size_t k = tui_console_line(line, sizeof line, start[first - 1], length[first - 1], TUI_PANE_LINE);
        int need = tui_wrapped_rows(line, k, width);
        if (used + need > rows && first < n)
            break;
        used += need;
        first--;
        if (used >= rows)
            break;
    }
    int indent = width > 2 ? 2 : 0;
    int r = 0;
    for (int i = first; i < n && r < rows; i++) {
        size_t k = tui_console_line(line, sizeof line, start[i], length[i], TUI_PANE_LINE);
        size_t at = 0;
        do {
            char *row = out + (size_t)r * stride;
            size_t pad = at ? (size_t)indent : 0;
            size_t take = tui_wrap_take(line, at, k, (size_t)width - pad);
            memset(row, ' ', pad);
            memcpy(row + pad, line + at, take);
            row[pad + take] = '\0';
            at += take;
            r++;
        } while (at < k && r < rows);
    }
    return r;
}
