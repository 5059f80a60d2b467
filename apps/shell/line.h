/*
 * The shell's input line: editing (line_feed) and splitting into words
 * (shell_parse). Pure functions on caller-owned state, so the host fuzzes
 * them (tests/host/shell).
 */
#ifndef SHELL_LINE_H
#define SHELL_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_MAX 72u
#define LINE_ECHO_MAX (3u * LINE_MAX + 8u) /* the longest echo of one byte (Ctrl-U of a full line) */
#define SHELL_ARGS 8u

struct line {
    char buf[LINE_MAX + 1u];
    uint8_t len;
    bool overflow; /* more than LINE_MAX characters since the last end of line */
    bool after_cr; /* a '\n' right after '\r' ends nothing */
    uint8_t esc;   /* inside an escape sequence (arrow keys): 1 after ESC, 2 after ESC [ */
};

enum line_event {
    LINE_MORE,     /* keep feeding */
    LINE_DONE,     /* buf holds a line, NUL-terminated */
    LINE_CANCEL,   /* Ctrl-C: the line is dropped */
    LINE_TOO_LONG, /* the line was longer than LINE_MAX: dropped */
};

void line_reset(struct line *l);

/*
 * One received byte. Printable ASCII goes into the line; backspace/DEL
 * removes one, Ctrl-U the whole line, Ctrl-C cancels it, CR or LF ends it;
 * escape sequences and every other byte are ignored. What the terminal
 * should show back goes into echo (at most LINE_ECHO_MAX bytes).
 */
enum line_event line_feed(struct line *l, uint8_t c, char *echo, size_t *echo_len);

struct shell_cmd {
    unsigned argc;
    char *argv[SHELL_ARGS];
    char *redirect; /* the file after '>', or NULL */
};

/* Splits `line` in place on blanks; "WORDS > FILE" sets redirect.
 * 0, -E2BIG (more than SHELL_ARGS words) or -EINVAL (a '>' without one
 * file after it, or a second '>'). */
int shell_parse(char *line, struct shell_cmd *cmd);

#endif
