/*
 * libFuzzer: the syscall pointer check (kernel/sys/span.c) against a
 * reference in 64-bit arithmetic, where nothing wraps. Input: up to four
 * spans (base, size) and an (addr, len), little-endian words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "span.h"

static uint32_t word(const uint8_t *d)
{
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static int reference(const struct sys_span *s, size_t n, uint32_t addr, uint32_t len)
{
    uint64_t end = (uint64_t)addr + len;
    if (addr == 0 || end > (1ull << 32))
        return -1;
    if (len == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (addr >= s[i].base && end <= (uint64_t)s[i].base + s[i].size)
            return 0;
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint32_t addr = word(data), len = word(data + 4);
    data += 8;
    size -= 8;
    struct sys_span spans[4];
    size_t n = 0;
    for (; n < 4 && size >= 8; n++, data += 8, size -= 8) {
        spans[n].base = word(data);
        spans[n].size = word(data + 4);
        /* the contract: a span ends at 2^32 at the latest */
        if ((uint64_t)spans[n].base + spans[n].size > (1ull << 32))
            spans[n].size = (uint32_t)((1ull << 32) - spans[n].base);
    }
    int got = sys_span_check(spans, n, addr, len);
    int want = reference(spans, n, addr, len);
    if ((got == 0) != (want == 0))
        abort();
    return 0;
}
