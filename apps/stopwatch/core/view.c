#include <string.h>

#include "view.h"
#include "messages.h"
#include "quartz/fmt.h"

static int centred(const struct gfx_canvas *c, const struct gfx_font *f, const char *s)
{
    int w = (int)gfx_text_width(f, s) - f->spacing;
    return ((int)c->width - w) / 2;
}

/* Four characters equal? (One word compare each: LDR takes unaligned
 * addresses on ARMv7-M, A3.2.1.) */
static inline bool same4(const char *a, const char *b)
{
    uint32_t x, y;
    __builtin_memcpy(&x, a, 4);
    __builtin_memcpy(&y, b, 4);
    return x == y;
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

/* Font and left column of the time text `t` (see view_time_font). */
static const struct gfx_font *time_layout(unsigned width, const char *t, int *x)
{
    const struct gfx_font *f = &gfx_font_large;
    if (gfx_text_width(f, t) - f->spacing > width)
        f = &gfx_font_small; /* hundreds of hours: still exact, in the small font */
    *x = ((int)width - ((int)gfx_text_width(f, t) - f->spacing)) / 2;
    return f;
}

const struct gfx_font *view_time_font(unsigned width, uint64_t elapsed_ms, int *x)
{
    char t[FMT_DURATION_MAX];
    fmt_duration_ms(t, sizeof t, elapsed_ms);
    return time_layout(width, t, x);
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

__attribute__((optimize("O2"))) void view_update(struct view *v, const struct gfx_canvas *c, enum sw_state state,
                 uint64_t elapsed_ms)
{
    char t[FMT_DURATION_MAX];
    size_t n = fmt_duration_ms(t, sizeof t, elapsed_ms);
    if (!v->valid || state != v->state)
        line(c, &gfx_font_small, VIEW_STATE_PAGE, 1, msg_state_word(state));
    if (!v->valid || v->len != n) {
        /* new layout (first draw, or the text got longer): draw it all, note the columns */
        int x;
        const struct gfx_font *f = time_layout(c->width, t, &x);
        line(c, f, VIEW_TIME_PAGE, gfx_font_large.pages, t);
        v->large = f == &gfx_font_large;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *bits;
            unsigned w = gfx_glyph(f, t[i], &bits);
            v->col[i] = (int16_t)x;
            x += (int)((w ? w : f->width) + f->spacing);
        }
        for (unsigned d = 0; d < 10; d++)
            v->digit_w = (uint8_t)gfx_glyph(f, (char)('0' + d), &v->digit[d]);
    } else {
        /* Same length, so the same layout: the separators stay where they
         * are and every digit of a font is equally wide (lib/gfx/fonts).
         * Only digits change; each is drawn over the one before at its
         * noted column, its own columns only: the spacing around it is
         * blank since the layout was drawn. */
        const struct gfx_font *f = v->large ? &gfx_font_large : &gfx_font_small;
        size_t i = 0;
        while (i + 4u <= n && same4(&t[i], &v->time[i]))
            i += 4u; /* the leading characters rarely change: four at a time */
        for (; i < n; i++) {
            if (t[i] == v->time[i])
                continue;
            v->time[i] = t[i];
            unsigned d = (unsigned)(t[i] - '0');
            if (d < 10 && v->digit_w != 0) {
                gfx_blit_changed(c, v->col[i], VIEW_TIME_PAGE, v->digit[d], v->digit_w, f->pages);
            } else {
                char one[2] = { t[i], '\0' };
                gfx_text(c, f, v->col[i], VIEW_TIME_PAGE, one);
            }
        }
    }
    if (!v->valid || v->len != n)
        memcpy(v->time, t, n + 1); /* a new layout; otherwise the digits loop kept it */
    v->valid = true;
    v->state = state;
    v->len = (uint8_t)n;
}
