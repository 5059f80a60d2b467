/*
 * The check behind every pointer a process hands the kernel (Zephyr's
 * k_usermode_from_copy checks, Tock's process buffer validation): pure, so
 * the host fuzzes it (tests/host/sys/fuzz_span.c).
 */
#ifndef SYS_SPAN_H
#define SYS_SPAN_H

#include <stddef.h>
#include <stdint.h>

struct sys_span {
    uint32_t base;
    uint32_t size; /* bytes; base + size may be 2^32 exactly, never more */
};

/*
 * 0 when [addr, addr + len) lies whole inside one of `spans` (touching two
 * adjacent spans counts as straddling: each is checked alone), else
 * -EFAULT: addr 0 (NULL, whatever len), addr + len past 2^32 (wrap), or
 * outside every span. len 0 touches nothing: any non-NULL addr passes.
 */
int sys_span_check(const struct sys_span *spans, size_t n, uint32_t addr, uint32_t len);

#endif
