/*
 * The three OLED pages (pages.h). Readings: the air temperature in large
 * digits, humidity, pressure and die temperature, the node id, the
 * network state (L link, D DHCP lease, B broker: + or -) and the count of
 * buffered readings. Network: /dev/net's lines. Min/max since boot.
 */
#include <string.h>

#include "node_abi.h"
#include "pages.h"
#include "quartz/gfx.h"
#include "text.h"

#define LINE_CHARS 22u

static void put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    ((uint8_t *)ctx)[x + 128u * page] = bits;
}

static void line(const struct gfx_canvas *c, unsigned page, const char *s)
{
    int end = gfx_text(c, &gfx_font_small, 0, page, s);
    gfx_fill(c, end, c->width, page, 1, 0);
}

void pages_minmax_add(struct pages_minmax *mm, const struct reading *r)
{
    if (!(r->flags & READING_SENSOR_OK))
        return;
    if (!mm->any) {
        mm->any = true;
        mm->t_min = mm->t_max = r->t_mc;
        mm->h_min = mm->h_max = r->h_mpct;
        mm->p_min = mm->p_max = r->p_mpa;
        return;
    }
    if (r->t_mc < mm->t_min) mm->t_min = r->t_mc;
    if (r->t_mc > mm->t_max) mm->t_max = r->t_mc;
    if (r->h_mpct < mm->h_min) mm->h_min = r->h_mpct;
    if (r->h_mpct > mm->h_max) mm->h_max = r->h_mpct;
    if (r->p_mpa < mm->p_min) mm->p_min = r->p_mpa;
    if (r->p_mpa > mm->p_max) mm->p_max = r->p_mpa;
}

const char *pages_name(enum pages_page page)
{
    static const char *const names[PAGE_COUNT] = { "readings", "network", "minmax" };
    return page < PAGE_COUNT ? names[page] : "?";
}

static void readings(const struct gfx_canvas *c, const struct pages_view *v)
{
    char s[LINE_CHARS];
    struct text t = text_on(s, sizeof s);
    const struct reading *r = v->last;
    gfx_fill(c, 0, c->width, 0, 2, 0);
    if (r && (r->flags & READING_SENSOR_OK)) {
        text_milli(&t, r->t_mc, 2);
        int end = gfx_text(c, &gfx_font_large, 0, 0, s);
        gfx_text(c, &gfx_font_small, end + 2, 0, "C");
        t = text_on(s, sizeof s);
        text_s(&t, "H ");
        text_milli(&t, r->h_mpct, 1);
        text_s(&t, " P ");
        text_u(&t, (r->p_mpa + 500u) / 1000u);
        line(c, 2, s);
    } else {
        line(c, 0, r ? "sensor missing" : "no reading yet");
        line(c, 2, "");
    }
    t = text_on(s, sizeof s);
    if (r && (r->flags & READING_DIE_OK)) {
        text_s(&t, "die ");
        text_milli(&t, r->die_mc, 1);
        text_s(&t, " ");
    }
    if (r) {
        text_s(&t, "seq ");
        text_u(&t, r->seq);
    }
    line(c, 3, s);
    line(c, 4, "");
    line(c, 5, v->id);
    t = text_on(s, sizeof s);
    text_s(&t, v->state & NODE_STATE_LINK ? "L+ " : "L- ");
    text_s(&t, v->state & NODE_STATE_DHCP ? "D+ " : "D- ");
    text_s(&t, v->state & NODE_STATE_BROKER ? "B+ " : v->state & NODE_STATE_REFUSED ? "B! " : "B- ");
    text_s(&t, "buf ");
    text_u(&t, v->buffered);
    line(c, 6, s);
    line(c, 7, "");
}

static void network(const struct gfx_canvas *c, const struct pages_view *v)
{
    const char *p = v->net_text ? v->net_text : "";
    for (unsigned page = 0; page < 8u; page++) {
        char s[LINE_CHARS];
        size_t n = 0;
        while (*p && *p != '\n') {
            if (n + 1u < sizeof s)
                s[n++] = *p;
            p++;
        }
        if (*p == '\n')
            p++;
        s[n] = '\0';
        line(c, page, s);
    }
}

static void range(struct text *t, int64_t lo, int64_t hi, unsigned decimals)
{
    if (decimals) {
        text_milli(t, lo, decimals);
        text_s(t, " ");
        text_milli(t, hi, decimals);
    } else {
        text_i(t, (lo + 500) / 1000);
        text_s(t, " ");
        text_i(t, (hi + 500) / 1000);
    }
}

static void minmax(const struct gfx_canvas *c, const struct pages_view *v)
{
    const struct pages_minmax *mm = v->mm;
    line(c, 0, "min max since boot");
    for (unsigned page = 1; page < 8u; page++)
        line(c, page, "");
    if (!mm || !mm->any) {
        line(c, 2, "no reading yet");
        return;
    }
    char s[LINE_CHARS];
    struct text t = text_on(s, sizeof s);
    text_s(&t, "T ");
    range(&t, mm->t_min, mm->t_max, 2);
    line(c, 2, s);
    t = text_on(s, sizeof s);
    text_s(&t, "H ");
    range(&t, mm->h_min, mm->h_max, 1);
    line(c, 3, s);
    t = text_on(s, sizeof s);
    text_s(&t, "P ");
    range(&t, mm->p_min, mm->p_max, 0);
    line(c, 4, s);
    line(c, 6, v->id);
}

void pages_draw(uint8_t frame[PAGES_FRAME_BYTES], enum pages_page page, const struct pages_view *v)
{
    const struct gfx_canvas c = { .width = 128, .pages = 8, .put = put, .ctx = frame };
    switch (page) {
    case PAGE_NETWORK:
        network(&c, v);
        break;
    case PAGE_MINMAX:
        minmax(&c, v);
        break;
    default:
        readings(&c, v);
        break;
    }
}
