#include <string.h>

#include "messages.h"
#include "quartz/fmt.h"

const char *msg_state_word(enum sw_state state)
{
    switch (state) {
    case SW_RUNNING:
        return "Running";
    case SW_STOPPED:
        return "Stopped";
    default:
        return "Ready";
    }
}

static size_t append(char *buf, size_t size, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n + 1 > size)
        return 0;
    memcpy(buf + at, s, n + 1);
    return at + n;
}

size_t msg_stopped(char *buf, size_t size, uint64_t elapsed_ms)
{
    char t[FMT_DURATION_MAX];
    fmt_duration_ms(t, sizeof t, elapsed_ms);
    size_t n = append(buf, size, 0, MSG_STOPPED);
    n = n ? append(buf, size, n, t) : 0;
    n = n ? append(buf, size, n, MSG_EOL) : 0;
    if (n == 0 && size > 0)
        buf[0] = '\0';
    return n;
}

size_t msg_error(char *buf, size_t size, const char *text, int err)
{
    char num[12];
    uint64_t mag = err < 0 ? (uint64_t)(-(int64_t)err) : (uint64_t)err;
    num[0] = '-';
    fmt_u64(err < 0 ? num + 1 : num, sizeof num - 1, mag);
    size_t n = append(buf, size, 0, text);
    n = n ? append(buf, size, n, ": ") : 0;
    n = n ? append(buf, size, n, num) : 0;
    n = n ? append(buf, size, n, MSG_EOL) : 0;
    if (n == 0 && size > 0)
        buf[0] = '\0';
    return n;
}
