/* Pointer-and-length check (span.h). */
#include "span.h"

#include <errno.h>

int sys_span_check(const struct sys_span *spans, size_t n, uint32_t addr, uint32_t len)
{
    if (addr == 0U || len > UINT32_MAX - addr + 1U)
        return -EFAULT; /* NULL, or addr + len wraps past 2^32 */
    if (len == 0U)
        return 0;
    for (size_t i = 0; i < n; i++) {
        /* Offsets from the span's base, so nothing here can wrap. */
        uint32_t off = addr - spans[i].base;
        if (addr >= spans[i].base && off < spans[i].size && len <= spans[i].size - off)
            return 0;
    }
    return -EFAULT;
}
