/*
 * What the OLED shows: the state word in the small font and the elapsed
 * time in the large font, both centred. Drawing always renders the whole
 * view; the display driver keeps only the bytes that changed, so a refresh
 * sends just the digits that moved.
 */
#ifndef STOPWATCH_VIEW_H
#define STOPWATCH_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/fmt.h"

#include "quartz/gfx.h"
#include "stopwatch.h"

#define VIEW_STATE_PAGE 1 /* state word: page 1 (rows 8..15) */
#define VIEW_TIME_PAGE 4  /* time: pages 4..5 (rows 32..47) */

void view_draw(const struct gfx_canvas *c, enum sw_state state, uint64_t elapsed_ms);

/*
 * The same picture as view_draw(), drawn incrementally: remembers what it
 * drew last and redraws only the state word when it changed and only the
 * time characters that changed (all of it when the text's length or font
 * changes), at the columns noted when the layout was drawn. Keeps a
 * refresh at a few hundred CPU cycles plus the changed glyphs.
 */
struct view {
    bool valid;
    bool large;                   /* the time is in the large font */
    enum sw_state state;
    char time[FMT_DURATION_MAX];  /* as drawn */
    uint8_t len;                  /* strlen(time) */
    int16_t col[FMT_DURATION_MAX]; /* left column of each character of `time` */
    const uint8_t *digit[10];     /* the time font's glyphs of '0'..'9' */
    uint8_t digit_w;              /* their width (every digit of a font is as wide) */
};

void view_init(struct view *v);
void view_update(struct view *v, const struct gfx_canvas *c, enum sw_state state,
                 uint64_t elapsed_ms);

/*
 * Where view_draw() puts the time for `elapsed_ms` on a canvas `width` wide:
 * the font and left column (the large font, or the small one when the text
 * is wider than the screen).
 */
const struct gfx_font *view_time_font(unsigned width, uint64_t elapsed_ms, int *x);

#endif
