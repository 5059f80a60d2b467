/*
 * The interactive terminal board (`quartz-sim --interactive`, `make run`):
 * the OLED, LD2, the USART2 console and a status line, the simulation
 * paced to the wall clock. Keys: space presses B1 (released 100 ms later),
 * r resets the board, q (or Ctrl-C) quits. The terminal is restored on
 * every way out: q, Ctrl-C, SIGTERM, SIGHUP, exit().
 */
#ifndef QSIM_FRONTEND_TUI_H
#define QSIM_FRONTEND_TUI_H

#include <stdint.h>

#include "quartzsim.h"

struct gdb_server;
struct tui_pane;

/*
 * Run until the user quits. `until_ns` (0 = none) stops the simulation at
 * that virtual time and keeps showing the board. `gdb` (NULL: none): a GDB
 * server (--gdb) that drives the run meanwhile; the board keeps drawing,
 * and stands still while GDB holds the target; GDB's kill quits. Returns 0,
 * -ENOTTY when stdin or stdout is not a terminal, or -errno for a terminal
 * error. `pane` (NULL: none; tuipane.h, --pane): a followed file shown
 * beside the board under the header `pane_title`.
 */
int tui_run(struct qsim *s, const char *firmware, uint64_t until_ns, struct gdb_server *gdb,
            struct tui_pane *pane, const char *pane_title);

#endif
