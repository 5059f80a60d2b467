/*
 * The three OLED pages (pages.h). Readings: the air temperature in large
 * digits, humidity, pressure and die temperature, the node id, the
 * network state ("net LDB": L link up, D DHCP lease, B broker connected,
 * "-" for each that is not, "!" for a broker that refused the credentials)
 * and the count of buffered readings. Network: /dev/net's lines. Min/max
 * since boot. Each page is first composed as 8 lines of text, one per
 * band, and only the bands whose text changed are drawn.
 */
#include <string.h>

#include "node_abi.h"
#include "pages.h"
#include "quartz/gfx.h"
#include "text.h"

#define LARGE '\x01' /* the line is large digits over this band and the next */

typedef char lines_t[PAGES_BANDS][PAGES_LINE_MAX + 1u];

static void put(void *ctx, unsigned x, unsigned page, uint8_t bits)
{
    ((uint8_t *)ctx)[x + 128u * page] = bits;
}

static void put_row(void *ctx, unsigned x, unsigned page, const uint8_t *bits, unsigned n)
{
    memcpy((uint8_t *)ctx + x + 128u * page, bits, n);
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

static struct text line(lines_t l, unsigned band)
{
    return text_on(l[band], sizeof l[band]);
}

static void readings(lines_t l, const struct pages_view *v)
{
    const struct reading *r = v->last;
    struct text t;
    if (r && (r->flags & READING_SENSOR_OK)) {
        t = line(l, 0);
        text_s(&t, "\x01");
        text_milli(&t, r->t_mc, 2);
        t = line(l, 2);
        text_s(&t, "H ");
        text_milli(&t, r->h_mpct, 1);
        text_s(&t, " P ");
        text_u(&t, (r->p_mpa + 500u) / 1000u);
    } else {
        t = line(l, 0);
        text_s(&t, r ? "sensor missing" : "no reading yet");
    }
    t = line(l, 3);
    if (r && (r->flags & READING_DIE_OK)) {
        text_s(&t, "die ");
        text_milli(&t, r->die_mc, 1);
        text_s(&t, " ");
    }
    if (r) {
        text_s(&t, "seq ");
        text_u(&t, r->seq);
    }
    t = line(l, 5);
    text_s(&t, v->id);
    t = line(l, 6);
    text_s(&t, "net ");
    text_s(&t, v->state & NODE_STATE_LINK ? "L" : "-");
    text_s(&t, v->state & NODE_STATE_DHCP ? "D" : "-");
    text_s(&t, v->state & NODE_STATE_BROKER ? "B" : v->state & NODE_STATE_REFUSED ? "!" : "-");
    text_s(&t, " buf ");
    text_u(&t, v->buffered);
}

static void network(lines_t l, const struct pages_view *v)
{
    const char *p = v->net_text ? v->net_text : "";
    for (unsigned band = 0; band < PAGES_BANDS && *p; band++) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        struct text t = line(l, band);
        text_n(&t, p, n);
        p += n + (e ? 1u : 0u);
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

static void minmax(lines_t l, const struct pages_view *v)
{
    const struct pages_minmax *mm = v->mm;
    struct text t = line(l, 0);
    text_s(&t, "min max since boot");
    if (!mm || !mm->any) {
        t = line(l, 2);
        text_s(&t, "no reading yet");
        return;
    }
    t = line(l, 2);
    text_s(&t, "T ");
    range(&t, mm->t_min, mm->t_max, 2);
    t = line(l, 3);
    text_s(&t, "H ");
    range(&t, mm->h_min, mm->h_max, 1);
    t = line(l, 4);
    text_s(&t, "P ");
    range(&t, mm->p_min, mm->p_max, 0);
    t = line(l, 6);
    text_s(&t, v->id);
}

unsigned pages_draw(uint8_t frame[PAGES_FRAME_BYTES], struct pages_cache *cache, enum pages_page page,
                    const struct pages_view *v)
{
    const struct gfx_canvas c = { .width = 128, .pages = 8, .put = put, .ctx = frame, .put_row = put_row };
    lines_t l;
    memset(l, 0, sizeof l);
    switch (page) {
    case PAGE_NETWORK:
        network(l, v);
        break;
    case PAGE_MINMAX:
        minmax(l, v);
        break;
    default:
        readings(l, v);
        break;
    }
    /* The band under large digits is theirs: its line says so, so it
     * compares equal while they stay and differs when they go. */
    for (unsigned band = 0; band + 1u < PAGES_BANDS; band++)
        if (l[band][0] == LARGE)
            strcpy(l[band + 1u], "\x02");
    unsigned changed = 0;
    for (unsigned band = 0; band < PAGES_BANDS; band++) {
        if (cache->valid && strcmp(l[band], cache->lines[band]) == 0)
            continue;
        strcpy(cache->lines[band], l[band]);
        changed |= 1u << band;
        if (l[band][0] == '\x02')
            continue; /* drawn with the band above */
        memset(frame + 128u * band, 0, 128u);
        if (l[band][0] == LARGE) {
            memset(frame + 128u * (band + 1u), 0, 128u);
            int end = gfx_text(&c, &gfx_font_large, 0, band, l[band] + 1);
            (void)gfx_text(&c, &gfx_font_small, end + 2, band, "C");
            changed |= 2u << band;
        } else {
            (void)gfx_text(&c, &gfx_font_small, 0, band, l[band]);
        }
    }
    cache->valid = true;
    return changed & 0xFFu;
}
