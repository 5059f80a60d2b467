/* Console log of the stopwatch (all three variants): one line per event. */
#ifndef STOPWATCH_LOG_H
#define STOPWATCH_LOG_H

#include <stdint.h>

void log_line(const char *text);            /* text + MSG_EOL */
void log_error(const char *what, int err);  /* msg_error() line */
void log_stopped(uint64_t elapsed_ms);      /* msg_stopped() line */

#endif
