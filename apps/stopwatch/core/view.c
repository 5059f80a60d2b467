#include <string.h>

#include "view.h"
#include "messages.h"
#include "quartz/fmt.h"

static int centred(const struct gfx_canvas *c, const struct gfx_font *f, const char *s)
{
    int w = (int)gfx_text_width(f, s) - f->spacing;
    return ((int)c->width - w) / 2;
}

/* Text centred on its pages, the rest of those pages blank. */
static void line(const struct gfx_canvas *c, const struct gfx_font *f, unsigned page,
                 unsigned pages, const char *s)
{
    int x = centred(c, f, s);
    gfx_fill(c, 0, x, page, pages, 0);
    int end = gfx_text(c, f, x, page, s);
    gfx_fill(c, end, c->width, page, pages, 0);
    if (pages > f->pages)
        gfx_fill(c, x, end, page + f->pages, pages - f->pages, 0);
}

const struct gfx_font *view_time_font(unsigned width, uint64_t elapsed_ms, int *x)
{
    char t[FMT_DURATION_MAX];
    fmt_duration_ms(t, sizeof t, elapsed_ms);
    const struct gfx_font *f = &gfx_font_large;
    if (gfx_text_width(f, t) - f->spacing > width)
        f = &gfx_font_small; /* hundreds of hours: still exact, in the small font */
    *x = ((int)width - ((int)gfx_text_width(f, t) - f->spacing)) / 2;
    return f;
}

void view_draw(const struct gfx_canvas *c, enum sw_state state, uint64_t elapsed_ms)
{
    char t[FMT_DURATION_MAX];
    int x;
    fmt_duration_ms(t, sizeof t, elapsed_ms);
    const struct gfx_font *f = view_time_font(c->width, elapsed_ms, &x);
    line(c, &gfx_font_small, VIEW_STATE_PAGE, 1, msg_state_word(state));
    line(c, f, VIEW_TIME_PAGE, gfx_font_large.pages, t);
}

void view_init(struct view *v)
{
    v->valid = false;
}

void view_update(struct view *v, const struct gfx_canvas *c, enum sw_state state,
                 uint64_t elapsed_ms)
{
    char t[FMT_DURATION_MAX];
    size_t n = fmt_duration_ms(t, sizeof t, elapsed_ms);
    if (!v->valid || state != v->state)
        line(c, &gfx_font_small, VIEW_STATE_PAGE, 1, msg_state_word(state));
    int x;
    const struct gfx_font *f = view_time_font(c->width, elapsed_ms, &x);
    if (!v->valid || strlen(v->time) != n || f != &gfx_font_large) {
        line(c, f, VIEW_TIME_PAGE, gfx_font_large.pages, t);
    } else {
        /* same layout: redraw just the characters that differ */
        for (size_t i = 0; i < n; i++) {
            const uint8_t *bits;
            unsigned w = gfx_glyph(f, t[i], &bits);
            if (t[i] != v->time[i]) {
                char one[2] = { t[i], '\0' };
                gfx_text(c, f, x, VIEW_TIME_PAGE, one);
            }
            x += (int)((w ? w : f->width) + f->spacing);
        }
    }
    v->valid = true;
    v->state = state;
    memcpy(v->time, t, n + 1);
}
