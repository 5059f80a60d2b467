#include "quartz/gfx.h"

unsigned gfx_glyph(const struct gfx_font *font, char ch, const uint8_t **bits)
{
    size_t i = 0;
    while (font->chars[i] != ch) {
        if (font->chars[i] == '\0')
            return 0;
        i++;
    }
    if (ch == '\0')
        return 0;
    if (font->widths == NULL) { /* fixed width: the offset is a product */
        *bits = font->bitmap + i * font->width * font->pages;
        return font->width;
    }
    size_t columns = 0;
    for (size_t j = 0; j < i; j++)
        columns += font->widths[j];
    *bits = font->bitmap + columns * font->pages;
    return font->widths[i];
}

static unsigned advance(const struct gfx_font *font, char ch)
{
    const uint8_t *bits;
    unsigned w = gfx_glyph(font, ch, &bits);
    return (w ? w : font->width) + font->spacing;
}

unsigned gfx_text_width(const struct gfx_font *font, const char *s)
{
    unsigned w = 0;
    for (; *s != '\0'; s++)
        w += advance(font, *s);
    return w;
}

static void put(const struct gfx_canvas *c, int x, unsigned page, uint8_t bits)
{
    if (x >= 0 && x < (int)c->width && page < c->pages)
        c->put(c->ctx, (unsigned)x, page, bits);
}

void gfx_fill(const struct gfx_canvas *c, int x0, int x1, unsigned page, unsigned pages,
              uint8_t bits)
{
    for (unsigned p = page; p < page + pages; p++)
        for (int x = x0; x < x1; x++)
            put(c, x, p, bits);
}

/* A glyph's columns, clipped to the canvas: per byte, or one row per page. */
void gfx_blit(const struct gfx_canvas *c, int x, unsigned page, const uint8_t *bits, unsigned w,
              unsigned pages)
{
    if (!c->put_row) {
        for (unsigned p = 0; p < pages; p++)
            for (unsigned col = 0; col < w; col++)
                put(c, x + (int)col, page + p, bits[p * w + col]);
        return;
    }
    int from = x < 0 ? -x : 0;
    int to = x + (int)w > (int)c->width ? (int)c->width - x : (int)w;
    for (unsigned p = 0; p < pages && page + p < c->pages && from < to; p++)
        c->put_row(c->ctx, (unsigned)(x + from), page + p, bits + p * w + from, (unsigned)(to - from));
}

int gfx_text(const struct gfx_canvas *c, const struct gfx_font *font, int x, unsigned page,
             const char *s)
{
    for (; *s != '\0'; s++) {
        const uint8_t *bits = NULL;
        unsigned w = gfx_glyph(font, *s, &bits);
        if (w == 0) {
            gfx_fill(c, x, x + font->width, page, font->pages, 0);
            w = font->width;
        } else {
            gfx_blit(c, x, page, bits, w, font->pages);
        }
        /* The spacing as a blank glyph: one row call per page, not a put per byte. */
        static const uint8_t blank[16];
        if ((unsigned)font->spacing * font->pages <= sizeof blank)
            gfx_blit(c, x + (int)w, page, blank, font->spacing, font->pages);
        else
            gfx_fill(c, x + (int)w, x + (int)w + font->spacing, page, font->pages, 0);
        x += (int)(w + font->spacing);
    }
    return x;
}
