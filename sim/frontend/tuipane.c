/*
 * The side pane's reader, see tuipane.h: follows a file or a FIFO like
 * `tail -f`, with non-blocking reads once per frame.
 */
#include "tuipane.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TUI_PANE_CHUNK 4096
#define TUI_PANE_MAX_CHUNKS 64 /* 256 KB a frame at most */

/* Appends, dropping the oldest bytes beyond TUI_PANE_KEEP up to a line start (a cut line
 * would show as a message of its own). A chunk is smaller than the kept text. */
_Static_assert(TUI_PANE_CHUNK < TUI_PANE_KEEP, "a chunk fits beside what is kept");
static void tui_pane_append(struct tui_pane *p, const char *data, size_t n)
{
    if (p->len + n > TUI_PANE_KEEP) {
        size_t drop = p->len + n - TUI_PANE_KEEP; /* < p->len */
        const char *nl = memchr(p->text + drop, '\n', p->len - drop);
        drop = nl ? (size_t)(nl - p->text) + 1 : p->len;
        memmove(p->text, p->text + drop, p->len - drop);
        p->len -= drop;
    }
    memcpy(p->text + p->len, data, n);
    p->len += n;
}

int tui_pane_open(struct tui_pane **out, const char *path)
{
    *out = NULL;
    struct tui_pane *p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    p->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (p->fd < 0 || fstat(p->fd, &st) != 0) {
        int rc = -errno;
        if (p->fd >= 0)
            close(p->fd);
        free(p);
        return rc;
    }
    if (S_ISDIR(st.st_mode)) {
        close(p->fd);
        free(p);
        return -EISDIR;
    }
    p->regular = S_ISREG(st.st_mode);
    if (p->regular && st.st_size > TUI_PANE_KEEP) {
        /* Only the end is shown: start at a line within the last bytes. */
        p->offset = st.st_size - TUI_PANE_KEEP;
        char c;
        while (pread(p->fd, &c, 1, p->offset) == 1 && p->offset < st.st_size) {
            p->offset++;
            if (c == '\n')
                break;
        }
    }
    *out = p;
    return 0;
}

bool tui_pane_poll(struct tui_pane *p)
{
    bool changed = false;
    if (p->regular) {
        struct stat st;
        if (fstat(p->fd, &st) == 0 && st.st_size < p->offset) {
            p->offset = 0; /* truncated or rewritten: read it again */
            p->len = 0;
            changed = true;
        }
    }
    char chunk[TUI_PANE_CHUNK];
    for (int i = 0; i < TUI_PANE_MAX_CHUNKS; i++) {
        ssize_t n = p->regular ? pread(p->fd, chunk, sizeof chunk, p->offset) : read(p->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* end of file, no writer yet, or nothing new (EAGAIN) */
        if (p->regular)
            p->offset += n;
        tui_pane_append(p, chunk, (size_t)n);
        changed = true;
    }
    return changed;
}

void tui_pane_close(struct tui_pane *p)
{
    if (!p)
        return;
    close(p->fd);
    free(p);
}
