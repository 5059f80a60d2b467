#include "log.h"

#include "messages.h"
#include "quartz/hal/serial.h"

void log_line(const char *text)
{
    serial_puts(text);
    serial_puts(MSG_EOL);
}

void log_error(const char *what, int err)
{
    char line[MSG_LINE_MAX];
    if (msg_error(line, sizeof line, what, err) > 0)
        serial_puts(line);
}

void log_stopped(uint64_t elapsed_ms)
{
    char line[MSG_LINE_MAX];
    if (msg_stopped(line, sizeof line, elapsed_ms) > 0)
        serial_puts(line);
}
