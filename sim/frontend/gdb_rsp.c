/*
 * GDB remote serial protocol framing (GDB manual E.1 "Overview": packets,
 * checksums, acknowledgement, E.9 "Interrupts": the 0x03 byte).
 */
#include <errno.h>
#include <string.h>

#include "gdb_rsp.h"

enum { WAIT_START, IN_PACKET, SUM1, SUM2 };

void gdb_rsp_init(struct gdb_rsp *r)
{
    memset(r, 0, sizeof *r);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum gdb_rsp_event gdb_rsp_feed(struct gdb_rsp *r, uint8_t c)
{
    switch (r->state) {
    case WAIT_START:
        if (c == '$') {
            r->len = 0;
            r->sum = 0;
            r->overflow = r->escape = false;
            r->state = IN_PACKET;
        } else if (c == 0x03) {
            return GDB_RSP_INTERRUPT;
        }
        return GDB_RSP_NONE; /* '+', '-' and noise between packets */
    case IN_PACKET:
        if (c == '#') {
            r->state = SUM1;
            return GDB_RSP_NONE;
        }
        r->sum = (uint8_t)(r->sum + c);
        if (r->escape) { /* E.1: '}' then the byte XOR 0x20 */
            c ^= 0x20;
            r->escape = false;
        } else if (c == '}') {
            r->escape = true;
            return GDB_RSP_NONE;
        }
        if (r->len < GDB_PACKET_MAX)
            r->buf[r->len++] = (char)c;
        else
            r->overflow = true;
        return GDB_RSP_NONE;
    case SUM1: {
        int v = hexval(c);
        r->given = (uint8_t)(v < 0 ? 0 : v << 4);
        r->state = v < 0 ? WAIT_START : SUM2;
        return v < 0 ? GDB_RSP_BAD : GDB_RSP_NONE;
    }
    default: {
        int v = hexval(c);
        r->state = WAIT_START;
        if (v < 0 || (uint8_t)(r->given | v) != r->sum || r->overflow)
            return GDB_RSP_BAD;
        r->buf[r->len] = '\0';
        return GDB_RSP_PACKET;
    }
    }
}

size_t gdb_rsp_frame(const char *payload, size_t len, char *out, size_t outlen)
{
    size_t n = 0;
    uint8_t sum = 0;
    if (outlen < 4)
        return 0;
    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)payload[i];
        bool esc = c == '#' || c == '$' || c == '}' || c == '*';
        if (n + (esc ? 2 : 1) + 3 > outlen)
            return 0;
        if (esc) {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            c ^= 0x20;
        }
        out[n++] = (char)c;
        sum = (uint8_t)(sum + c);
    }
    static const char digits[] = "0123456789abcdef";
    out[n++] = '#';
    out[n++] = digits[sum >> 4];
    out[n++] = digits[sum & 15];
    return n;
}

int gdb_hex_decode(const char *hex, size_t digits, uint8_t *out)
{
    if (digits % 2)
        return -EINVAL;
    for (size_t i = 0; i < digits; i += 2) {
        int hi = hexval((unsigned char)hex[i]), lo = hexval((unsigned char)hex[i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

void gdb_hex_encode(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

int gdb_parse_u32(const char **p, uint32_t *value)
{
    const char *q = *p;
    uint64_t v = 0;
    int d;
    if (hexval((unsigned char)*q) < 0)
        return -EINVAL;
    while ((d = hexval((unsigned char)*q)) >= 0) {
        v = v << 4 | (unsigned)d;
        if (v > UINT32_MAX)
            return -EINVAL;
        q++;
    }
    *value = (uint32_t)v;
    *p = q;
    return 0;
}
