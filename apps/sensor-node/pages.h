/*
 * The OLED pages of the sensor node, drawn into a 128x64 frame in the
 * application's RAM (SSD1306 order: byte x + 128 * page) with lib/gfx;
 * the app writes the frame to /dev/oled0 and flushes (only changed
 * columns go out). Pure: no syscalls, host-testable.
 */
#ifndef SENSOR_NODE_PAGES_H
#define SENSOR_NODE_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "reading.h"

#define PAGES_FRAME_BYTES 1024u

enum pages_page { PAGE_READINGS, PAGE_NETWORK, PAGE_MINMAX, PAGE_COUNT };

struct pages_minmax {
    bool any;
    int32_t t_min, t_max;   /* mC */
    uint32_t h_min, h_max;  /* m% */
    uint32_t p_min, p_max;  /* mPa */
};

struct pages_view {
    const char *id;
    const struct reading *last; /* NULL before the first */
    const struct pages_minmax *mm;
    unsigned state;     /* NODE_STATE_* */
    unsigned buffered;
    const char *net_text; /* /dev/net's lines (the network page) */
};

#define PAGES_BANDS 8u
#define PAGES_LINE_MAX 22u /* 21 characters of 6 columns, and the NUL */

/* What each band (8 rows) of the frame shows: a band is drawn again only
 * when its text changed (drawing text costs far more than comparing it). */
struct pages_cache {
    char lines[PAGES_BANDS][PAGES_LINE_MAX + 1u]; /* a leading '\x01': large digits over two bands */
    bool valid;
};

void pages_minmax_add(struct pages_minmax *mm, const struct reading *r);
/* Draws page `page` into `frame`; returns a bit per band that changed. */
unsigned pages_draw(uint8_t frame[PAGES_FRAME_BYTES], struct pages_cache *cache, enum pages_page page,
                    const struct pages_view *v);
const char *pages_name(enum pages_page page);

#endif
