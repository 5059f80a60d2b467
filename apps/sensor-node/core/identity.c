/* The node id (identity.h). */
#include "identity.h"

#include <errno.h>
#include <string.h>

#define FNV32_OFFSET 0x811C9DC5u /* FNV-1a 32-bit offset basis */
#define FNV32_PRIME 0x01000193u  /* 2^24 + 2^8 + 0x93 */

uint32_t identity_fnv1a32(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t h = FNV32_OFFSET;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV32_PRIME;
    }
    return h;
}

int identity_node_id(const uint8_t uid[IDENTITY_UID_BYTES], char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (cap <= IDENTITY_LEN) {
        if (cap > 0)
            buf[0] = '\0';
        return -ENOSPC;
    }
    uint32_t h = identity_fnv1a32(uid, IDENTITY_UID_BYTES);
    size_t n = sizeof IDENTITY_PREFIX - 1u;
    memcpy(buf, IDENTITY_PREFIX, n);
    for (int shift = 20; shift >= 0; shift -= 4)
        buf[n++] = hex[(h >> shift) & 0xFu];
    buf[n] = '\0';
    return (int)n;
}
