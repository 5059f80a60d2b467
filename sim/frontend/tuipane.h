/*
 * The interactive board's side pane (`quartz-sim --interactive --pane FILE`):
 * the last lines of a file or a FIFO that another program writes, shown
 * beside the board. `make run APP=sensor-node` points it at what
 * mosquitto_sub prints, so the messages the node publishes appear as they
 * reach the broker (tools/run-sensor-node).
 *
 * Two parts: where everything goes on a terminal of a given size
 * (tui_layout, also without a pane), and the pane's text (tui_pane_text);
 * both pure, for tests. The reader (tui_pane_open/poll) follows the file
 * like `tail -f`, without blocking the frame loop.
 */
#ifndef QSIM_FRONTEND_TUIPANE_H
#define QSIM_FRONTEND_TUIPANE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tuidraw.h"

#define TUI_PANE_MIN_COLS 30 /* narrower than this beside the OLED: the pane goes below */
#define TUI_PANE_KEEP 16384  /* bytes of the file's end kept in memory */

/* Rows and columns are 0-based; a region's first row is its header. */
struct tui_layout {
    bool too_small;          /* smaller than 66x22: only a message is shown */
    enum tui_oled_mode mode;
    int status_row;          /* LD2 and the status line, under the OLED box */
    int console_row;         /* "console (USART2)", then console_rows - 1 lines */
    int console_rows;
    bool pane_shown;         /* asked for and there is room (at least a header and a line) */
    int pane_row, pane_col, pane_rows, pane_cols;
};

/*
 * Where the title, the OLED box (rows 1 .. 2 + OLED rows, columns 0 ..
 * OLED columns + 1), the status line, the console and the pane go on a
 * `cols` x `rows` terminal. Without a pane: half blocks from 130x40,
 * Braille below that, the console under the status line. With a pane, it
 * sits beside the OLED box (one blank column between) when at least
 * TUI_PANE_MIN_COLS columns are left there, with half blocks only if they
 * leave that much; otherwise it shares the rows under the status line with
 * the console (the console above, the pane getting the odd row). At 80x24:
 * Braille, the console and the pane each a header and one line.
 */
void tui_layout(int cols, int rows, bool pane, struct tui_layout *l);

/*
 * The pane's rows: the newest whole lines of `text[len]` that fit in
 * `rows` rows of `width` columns, oldest first, each line wrapped
 * (continuation rows indented by two spaces) and made printable as
 * tui_console_line does (a bare CR restarts the line; control and
 * non-ASCII bytes become '?'). The newest line alone longer than all rows
 * shows its beginning. Row i is written NUL-ended at out + i * stride
 * (stride > width). Returns the rows written (0 for no text).
 */
int tui_pane_text(const char *text, size_t len, int width, int rows, char *out, size_t stride);

/* The followed file: the last TUI_PANE_KEEP bytes, cut at a line start. */
struct tui_pane {
    int fd;
    bool regular; /* a regular file (can be truncated and re-read); else a FIFO or a device */
    off_t offset; /* of a regular file: the next byte to read */
    size_t len;
    char text[TUI_PANE_KEEP];
};

/*
 * Opens `path` for reading without blocking (a FIFO needs no writer yet).
 * A regular file is read from its last TUI_PANE_KEEP bytes. Returns 0 and
 * a new pane in *out, or -errno.
 */
int tui_pane_open(struct tui_pane **out, const char *path);

/*
 * Reads what was written since the last call, at most 256 KB (the rest at
 * the next call). A regular file that shrank (truncated, rewritten) is read
 * again from its start. Returns true when the text changed.
 */
bool tui_pane_poll(struct tui_pane *p);

void tui_pane_close(struct tui_pane *p);

#endif
