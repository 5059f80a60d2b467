/* The shell's line editor and word splitter (line.h). */
#include "line.h"

#include <errno.h>
#include <string.h>

#define CTRL_C 0x03u
#define BACKSPACE 0x08u
#define CTRL_U 0x15u
#define ESC 0x1Bu
#define DEL 0x7Fu

void line_reset(struct line *l)
{
    memset(l, 0, sizeof *l);
}

static void put(char *echo, size_t *n, const char *s)
{
    size_t k = strlen(s);
    memcpy(echo + *n, s, k);
    *n += k;
}

enum line_event line_feed(struct line *l, uint8_t c, char *echo, size_t *echo_len)
{
    *echo_len = 0;
    bool after_cr = l->after_cr;
    l->after_cr = false;
    if (l->esc != 0) {
        /* ESC [ params final (ECMA-48 5.4): the final byte is 0x40..0x7E. */
        if (l->esc == 1 && c == '[')
            l->esc = 2;
        else if (l->esc == 1 || (c >= 0x40u && c <= 0x7Eu) || c < 0x20u)
            l->esc = 0;
        return LINE_MORE;
    }
    switch (c) {
    case '\r':
    case '\n': {
        if (c == '\n' && after_cr)
            return LINE_MORE;
        l->after_cr = c == '\r';
        put(echo, echo_len, "\r\n");
        bool overflow = l->overflow;
        l->buf[l->len] = '\0';
        if (overflow) {
            l->len = 0;
            l->overflow = false;
            return LINE_TOO_LONG;
        }
        return LINE_DONE;
    }
    case BACKSPACE:
    case DEL:
        if (l->len > 0 && !l->overflow) {
            l->len--;
            put(echo, echo_len, "\b \b");
        }
        return LINE_MORE;
    case CTRL_U:
        while (l->len > 0) {
            l->len--;
            put(echo, echo_len, "\b \b");
        }
        l->overflow = false;
        return LINE_MORE;
    case CTRL_C:
        put(echo, echo_len, "^C\r\n");
        l->len = 0;
        l->overflow = false;
        return LINE_CANCEL;
    case ESC:
        l->esc = 1;
        return LINE_MORE;
    default:
        if (c < 0x20u || c > 0x7Eu)
            return LINE_MORE; /* binary garbage */
        if (l->len >= LINE_MAX) {
            l->overflow = true;
            return LINE_MORE;
        }
        l->buf[l->len++] = (char)c;
        echo[(*echo_len)++] = (char)c;
        return LINE_MORE;
    }
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

int shell_parse(char *line, struct shell_cmd *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    char *p = line;
    bool in_redirect = false;
    for (;;) {
        while (blank(*p))
            *p++ = '\0';
        if (*p == '\0')
            break;
        if (*p == '>') {
            if (in_redirect)
                return -EINVAL;
            in_redirect = true;
            *p++ = '\0';
            continue;
        }
        char *word = p;
        while (*p != '\0' && !blank(*p) && *p != '>')
            p++;
        if (in_redirect) {
            if (cmd->redirect != NULL)
                return -EINVAL; /* two files after '>' */
            cmd->redirect = word;
        } else {
            if (cmd->argc == SHELL_ARGS)
                return -E2BIG;
            cmd->argv[cmd->argc++] = word;
        }
        if (*p == '>')
            continue; /* "a>b": the '>' is read next round, not overwritten */
    }
    if (in_redirect && cmd->redirect == NULL)
        return -EINVAL;
    return 0;
}
