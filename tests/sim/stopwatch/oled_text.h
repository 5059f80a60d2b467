/* Read text back from the SSD1306 GDDRAM with the firmware's own font tables. */
#ifndef OLED_TEXT_H
#define OLED_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "quartz/gfx.h"

/*
 * The longest run of glyphs of `font` found on pages [page, page + font
 * pages) of `gddram` (1024 bytes, page-major, 128 columns), into `out`.
 */
void oled_text(const uint8_t *gddram, const struct gfx_font *font, unsigned page, char *out,
               size_t size);

#endif
