/* Console log of the stopwatch (all three variants): one line per event. */
#ifndef STOPWATCH_LOG_H
#define STOPWATCH_LOG_H

void log_line(const char *text);            /* text + MSG_EOL */
void log_error(const char *what, int err);  /* msg_error() line */

#endif
