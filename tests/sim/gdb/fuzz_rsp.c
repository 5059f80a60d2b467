/* libFuzzer: the GDB packet parser on any byte stream, and the hex and
 * number helpers on every packet it completes (tests/sim/gdb). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gdb_rsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct gdb_rsp r;
    static char frame[2 * GDB_PACKET_MAX + 8];
    static uint8_t bytes[GDB_PACKET_MAX];
    gdb_rsp_init(&r);
    for (size_t i = 0; i < size; i++) {
        if (gdb_rsp_feed(&r, data[i]) != GDB_RSP_PACKET)
            continue;
        if (r.len > GDB_PACKET_MAX || r.buf[r.len] != '\0')
            __builtin_trap();
        size_t len = r.len;
        char copy[GDB_PACKET_MAX + 1];
        memcpy(copy, r.buf, len + 1);
        gdb_hex_decode(copy, strlen(copy) & ~(size_t)1, bytes);
        const char *p = copy;
        uint32_t v;
        while (*p && gdb_parse_u32(&p, &v) != 0)
            p++;
        /* Framing what was parsed and parsing it again gives it back. */
        size_t n = gdb_rsp_frame(copy, len, frame, sizeof frame);
        if (!n)
            __builtin_trap();
        struct gdb_rsp again;
        gdb_rsp_init(&again);
        enum gdb_rsp_event e = GDB_RSP_NONE;
        for (size_t k = 0; k < n; k++)
            e = gdb_rsp_feed(&again, (uint8_t)frame[k]);
        if (e != GDB_RSP_PACKET || again.len != len || memcmp(again.buf, copy, len) != 0)
            __builtin_trap();
    }
    return 0;
}
