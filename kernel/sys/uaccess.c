/*
 * What a process may hand the kernel: its RAM region above the stack
 * guard (read and write) and the image's flash (read: string constants,
 * tables). The same rights its MPU regions give it (proc.c), so the kernel
 * never touches for a process what the process could not touch itself.
 */
#include <errno.h>

#include "span.h"
#include "sys_impl.h"

/* From arch/cortex-m/sections.ld */
extern const uint8_t __isr_vector_start[];
extern const uint8_t __flash_end[];

static struct sys_span ram_span(const struct sys_proc *p)
{
    const struct sys_proc_desc *d = sys_procs[p->pid];
    return (struct sys_span){ (uint32_t)d->ram + SYS_GUARD_BYTES, d->ram_size - SYS_GUARD_BYTES };
}

int sys_user_writable(const struct sys_proc *p, uint32_t addr, uint32_t len)
{
    struct sys_span s = ram_span(p);
    return sys_span_check(&s, 1, addr, len);
}

int sys_user_readable(const struct sys_proc *p, uint32_t addr, uint32_t len)
{
    struct sys_span s[2] = {
        ram_span(p),
        { (uint32_t)__isr_vector_start, (uint32_t)(__flash_end - __isr_vector_start) },
    };
    return sys_span_check(s, 2, addr, len);
}

int sys_user_string(const struct sys_proc *p, uint32_t addr, uint32_t max, uint32_t *len)
{
    /* Byte by byte: each byte is checked before it is read, so a string
     * that runs off the end of its region is -EFAULT, not a kernel fault. */
    for (uint32_t n = 0; n < max; n++) {
        if (sys_user_readable(p, addr + n, 1) != 0)
            return -EFAULT;
        if (((const char *)addr)[n] == '\0') {
            *len = n;
            return 0;
        }
    }
    return -ENAMETOOLONG;
}
