/*
 * libFuzzer: the shell's line editor and word splitter (apps/shell/line.c)
 * on any byte stream. Checked after every byte: the line stays within
 * LINE_MAX printable characters, the echo within LINE_ECHO_MAX; after
 * every finished line: the words lie inside the line, NUL-terminated,
 * without blanks or '>', at most SHELL_ARGS of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"

static void check_parse(const struct line *l)
{
    char copy[LINE_MAX + 1];
    memcpy(copy, l->buf, sizeof copy);
    struct shell_cmd c;
    int rc = shell_parse(copy, &c);
    if (rc != 0 && rc != -E2BIG && rc != -EINVAL)
        abort();
    if (rc != 0)
        return;
    if (c.argc > SHELL_ARGS)
        abort();
    for (unsigned i = 0; i <= c.argc; i++) {
        const char *w = i < c.argc ? c.argv[i] : c.redirect;
        if (w == NULL)
            continue;
        if (w < copy || w >= copy + sizeof copy || *w == '\0')
            abort();
        size_t k = strnlen(w, (size_t)(copy + sizeof copy - w));
        if (w + k >= copy + sizeof copy || strpbrk(w, " \t>") != NULL)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct line l;
    char echo[LINE_ECHO_MAX];
    line_reset(&l);
    for (size_t i = 0; i < size; i++) {
        size_t n = 0;
        enum line_event ev = line_feed(&l, data[i], echo, &n);
        if (n > LINE_ECHO_MAX || l.len > LINE_MAX)
            abort();
        for (unsigned k = 0; k < l.len; k++)
            if (l.buf[k] < 0x20 || l.buf[k] > 0x7E)
                abort();
        if (ev == LINE_DONE) {
            if (strlen(l.buf) != l.len)
                abort();
            check_parse(&l);
            l.len = 0;
        }
    }
    return 0;
}
