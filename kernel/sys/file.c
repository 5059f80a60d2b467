/*
 * Per-process file descriptors on the const /dev registry (dev.c), NuttX's
 * file_operations without run-time registration.
 */
#include <errno.h>
#include <string.h>

#include "sys_impl.h"

int sys_file_open(struct sys_proc *p, const char *path, uint32_t flags)
{
    if (flags & ~SYS_O_NONBLOCK)
        return -EINVAL;
    const struct sys_dev *dev = NULL;
    for (unsigned i = 0; i < sys_dev_total() && dev == NULL; i++)
        if (strcmp(sys_dev_at(i)->path, path) == 0)
            dev = sys_dev_at(i);
    if (dev == NULL)
        return -ENOENT;
    for (unsigned fd = 0; fd < SYS_FD_MAX; fd++) {
        struct sys_file *f = &p->files[fd];
        if (f->dev != NULL)
            continue;
        f->pos = 0;
        f->flags = flags;
        int rc = dev->ops->open != NULL ? dev->ops->open(f) : 0;
        if (rc < 0)
            return rc;
        f->dev = dev;
        return (int)fd;
    }
    return -EMFILE;
}

struct sys_file *sys_file_get(struct sys_proc *p, int32_t fd)
{
    if (fd < 0 || (uint32_t)fd >= SYS_FD_MAX || p->files[fd].dev == NULL)
        return NULL;
    return &p->files[fd];
}

void sys_files_close_all(struct sys_proc *p)
{
    for (unsigned fd = 0; fd < SYS_FD_MAX; fd++) {
        struct sys_file *f = &p->files[fd];
        if (f->dev != NULL && f->dev->ops->close != NULL)
            f->dev->ops->close(f);
        f->dev = NULL;
    }
}

int sys_dev_text(struct sys_file *f, uint8_t *buf, size_t len, const char *text, size_t n)
{
    if (f->pos >= n)
        return 0;
    size_t k = n - f->pos;
    if (k > len)
        k = len;
    memcpy(buf, text + f->pos, k);
    f->pos += (uint32_t)k;
    return (int)k;
}
