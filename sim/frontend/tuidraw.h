/*
 * Text rendering for the interactive board (tui.c), free of terminal I/O so
 * that it can be tested: the OLED as Unicode half-blocks (1x2 pixels per
 * cell, 128x32 cells) or, for terminals narrower than 130 columns or
 * shorter than 42 rows, Braille patterns (2x4 pixels per cell, 64x16 cells,
 * still every pixel), the console tail, the status line.
 */
#ifndef QSIM_FRONTEND_TUIDRAW_H
#define QSIM_FRONTEND_TUIDRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TUI_OLED_W 128
#define TUI_OLED_H 64

enum tui_oled_mode { TUI_OLED_HALF, TUI_OLED_BRAILLE };

typedef bool (*tui_pixel_fn)(const void *ctx, int x, int y);

int tui_oled_cols(enum tui_oled_mode mode);
int tui_oled_rows(enum tui_oled_mode mode);

/*
 * Cell row `row` of the OLED as UTF-8 (no escapes, no newline, NUL-ended).
 * `size` >= 3 * cols + 1 always suffices. Returns the byte count.
 */
size_t tui_oled_row(char *buf, size_t size, enum tui_oled_mode mode, int row,
                    tui_pixel_fn pixel, const void *ctx);

/*
 * The last `max` lines of console output `text[len]`, oldest first (an
 * unfinished last line counts). Returns how many were found.
 */
int tui_console_tail(const char *text, size_t len, int max, const char **start, size_t *length);

/*
 * One console line made printable in `width` columns: text after a bare
 * CR replaces what came before (as on a terminal), a tab becomes a space,
 * other control or non-ASCII bytes become '?'. Returns the byte count.
 */
size_t tui_console_line(char *buf, size_t size, const char *line, size_t len, int width);

struct tui_status {
    uint64_t virtual_ns;
    double speed;      /* virtual time / wall time over the last second; < 0: not known yet */
    double wfi_share;  /* sleep cycles / cycles over the last second; < 0: not known yet */
    uint32_t hclk_hz;
    bool led;
    bool compact;      /* Braille view */
    bool locked_up;
    bool stopped;      /* reached --until */
    bool gdb_halted;   /* GDB (--gdb) holds the target */
    bool console_keys; /* keys go to the console's RX (Tab toggles), not to B1/reset/quit */
    bool env_shown;    /* a BME280 is there: the air the scenario sets (--env, --env-csv) */
    int32_t env_t_mc, env_p_mpa, env_h_mpct;
};

/* The status line without colours, at most `width` columns. */
size_t tui_status_line(char *buf, size_t size, const struct tui_status *st, int width);

#endif
