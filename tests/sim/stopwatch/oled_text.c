#include <stdbool.h>
#include <string.h>

#include "oled_text.h"

static size_t decode_at(const uint8_t *g, const struct gfx_font *f, unsigned page, int x,
                        char *out, size_t size)
{
    size_t k = 0;
    while (k + 1 < size && x < 128) {
        char found = 0;
        unsigned fw = 0;
        for (const char *c = f->chars; *c && !found; c++) {
            const uint8_t *bits;
            unsigned w = gfx_glyph(f, *c, &bits);
            if (*c == ' ' || x + (int)w > 128)
                continue;
            bool same = true;
            for (unsigned p = 0; p < f->pages && same; p++)
                for (unsigned col = 0; col < w && same; col++)
                    same = g[(page + p) * 128 + (unsigned)x + col] == bits[p * w + col];
            if (same) {
                found = *c;
                fw = w;
            }
        }
        if (!found)
            break;
        out[k++] = found;
        x += (int)(fw + f->spacing);
    }
    out[k] = '\0';
    return k;
}

void oled_text(const uint8_t *gddram, const struct gfx_font *font, unsigned page, char *out,
               size_t size)
{
    char best[64] = "", cur[64];
    for (int x = 0; x < 128; x++)
        if (decode_at(gddram, font, page, x, cur, sizeof cur) > strlen(best))
            strcpy(best, cur);
    strncpy(out, best, size - 1);
    out[size - 1] = '\0';
}
