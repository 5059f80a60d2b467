#include "read_text.h"

#include "quartz/sys.h"

int read_text(const char *path, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    int fd = sys_open(path, 0);
    if (fd < 0)
        return fd;
    size_t n = 0;
    int rc = 0;
    while (n + 1u < cap && (rc = sys_read(fd, buf + n, cap - 1u - n)) > 0)
        n += (size_t)rc;
    (void)sys_close(fd);
    buf[n] = '\0';
    return rc < 0 ? rc : (int)n;
}
