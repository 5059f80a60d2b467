/* See tuidraw.h. */
#include "tuidraw.h"

#include <stdio.h>
#include <string.h>

int tui_oled_cols(enum tui_oled_mode mode)
{
    return mode == TUI_OLED_HALF ? TUI_OLED_W : TUI_OLED_W / 2;
}

int tui_oled_rows(enum tui_oled_mode mode)
{
    return mode == TUI_OLED_HALF ? TUI_OLED_H / 2 : TUI_OLED_H / 4;
}

static size_t tui_put_utf8(char *buf, size_t at, size_t size, unsigned code)
{
    if (code < 0x80) {
        if (at + 1 < size)
            buf[at++] = (char)code;
        return at;
    }
    /* Everything drawn here is in U+0800..U+FFFF: three bytes. */
    if (at + 3 < size) {
        buf[at++] = (char)(0xE0 | code >> 12);
        buf[at++] = (char)(0x80 | (code >> 6 & 0x3F));
        buf[at++] = (char)(0x80 | (code & 0x3F));
    }
    return at;
}

size_t tui_oled_row(char *buf, size_t size, enum tui_oled_mode mode, int row,
                    tui_pixel_fn pixel, const void *ctx)
{
    size_t at = 0;
    if (size == 0)
        return 0;
    for (int col = 0; col < tui_oled_cols(mode); col++) {
        unsigned code;
        if (mode == TUI_OLED_HALF) {
            bool top = pixel(ctx, col, 2 * row);
            bool bottom = pixel(ctx, col, 2 * row + 1);
            code = top && bottom ? 0x2588 /* full block */
                 : top           ? 0x2580 /* upper half block */
                 : bottom        ? 0x2584 /* lower half block */
                                 : ' ';
        } else {
            /* Braille dots 1-2-3-7 are the left column top to bottom, 4-5-6-8 the right. */
            static const unsigned dot[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };
            unsigned bits = 0;
            for (int dy = 0; dy < 4; dy++)
                for (int dx = 0; dx < 2; dx++)
                    if (pixel(ctx, 2 * col + dx, 4 * row + dy))
                        bits |= dot[dy][dx];
            code = bits ? 0x2800 + bits : ' ';
        }
        at = tui_put_utf8(buf, at, size, code);
    }
    buf[at] = '\0';
    return at;
}

int tui_console_tail(const char *text, size_t len, int max, const char **start, size_t *length)
{
    if (max <= 0 || !text)
        return 0;
    size_t end = len;
    if (end > 0 && text[end - 1] == '\n')
        end--; /* a final newline does not open an empty line */
    int found = 0;
    while (found < max && (end > 0 || (found == 0 && len > 0))) {
        size_t begin = end;
        while (begin > 0 && text[begin - 1] != '\n')
            begin--;
        found++;
        /* Collected newest first; shifted into place below. */
        start[max - found] = text + begin;
        length[max - found] = end - begin;
        if (begin == 0)
            break;
        end = begin - 1;
    }
    memmove(start, start + (max - found), (size_t)found * sizeof *start);
    memmove(length, length + (max - found), (size_t)found * sizeof *length);
    return found;
}

size_t tui_console_line(char *buf, size_t size, const char *line, size_t len, int width)
{
    if (size == 0)
        return 0;
    while (len > 0 && line[len - 1] == '\r')
        len--;
    for (size_t i = len; i > 0; i--) {
        if (line[i - 1] == '\r') { /* carriage return: the rest overwrites the line */
            line += i;
            len -= i;
            break;
        }
    }
    size_t at = 0;
    for (size_t i = 0; i < len && at + 1 < size && (int)at < width; i++) {
        unsigned char c = (unsigned char)line[i];
        buf[at++] = c == '\t' ? ' ' : (c < 0x20 || c > 0x7e) ? '?' : (char)c;
    }
    buf[at] = '\0';
    return at;
}

size_t tui_status_line(char *buf, size_t size, const struct tui_status *st, int width)
{
    char speed[16] = "--", wfi[16] = "--";
    if (st->speed >= 0)
        snprintf(speed, sizeof speed, "%.2fx", st->speed);
    if (st->wfi_share >= 0)
        snprintf(wfi, sizeof wfi, "%.1f%%", 100.0 * st->wfi_share);
    uint64_t ms = st->virtual_ns / 1000000u;
    char env[64] = "";
    if (st->env_shown) {
        /* fixed point, as the scenario gives it: 0.01 C, 0.01 hPa, 0.1 %RH */
        int32_t t = st->env_t_mc / 10;
        snprintf(env, sizeof env, " | %s%d.%02d C %d.%02d hPa %d.%d %%RH", t < 0 ? "-" : "", (t < 0 ? -t : t) / 100,
                 (t < 0 ? -t : t) % 100, st->env_p_mpa / 100000, st->env_p_mpa / 1000 % 100, st->env_h_mpct / 1000,
                 st->env_h_mpct / 100 % 10);
    }
    char line[320];
    int n = snprintf(line, sizeof line, "t %llu.%03llu s | speed %s | WFI %s | HCLK %.1f MHz | LD2 %s | %s%s%s%s%s%s",
                     (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000), speed, wfi,
                     st->hclk_hz / 1e6, st->led ? "on" : "off",
                     st->console_keys ? "KEYS TO CONSOLE (Tab: board)" : "keys: board (Tab: console)",
                     st->compact ? " | compact view (Braille 2x4)" : "",
                     st->locked_up ? " | LOCKED UP: r resets" : "",
                     st->stopped ? " | --until reached" : "",
                     st->gdb_halted ? " | halted by GDB" : "", env);
    if (n < 0)
        n = 0;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (width >= 0 && len > (size_t)width)
        len = (size_t)width;
    if (len >= size)
        len = size - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    return len;
}
