/*
 * Every text the stopwatch shows or logs, in one place. Console lines end
 * with CRLF for serial terminals.
 */
#ifndef STOPWATCH_MESSAGES_H
#define STOPWATCH_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "stopwatch.h"

#define MSG_EOL "\r\n"
#define MSG_BANNER "quartz stopwatch on Nucleo-F446RE: B1 starts, B1 stops, reset starts over"
#define MSG_READY "ready"
#define MSG_RUNNING "running"
#define MSG_STOPPED "stopped "
#define MSG_DISPLAY_DOWN "display: no answer, retrying"
#define MSG_DISPLAY_UP "display: back"

/* Longest console line built by msg_*() including CRLF and NUL. */
#define MSG_LINE_MAX 48

/* State word shown on the OLED: "Ready", "Running", "Stopped". */
const char *msg_state_word(enum sw_state state);

/* "stopped 00:01.234\r\n"; returns the length (0 if it does not fit). */
size_t msg_stopped(char *buf, size_t size, uint64_t elapsed_ms);

/* "<text>: <errno>\r\n" e.g. "display: no answer, retrying: -6"; returns the length. */
size_t msg_error(char *buf, size_t size, const char *text, int err);

#endif
