/*
 * GDB remote serial protocol framing (GDB manual, appendix E "Overview"):
 * `$payload#cs` packets, '+'/'-' acknowledgements, the 0x03 interrupt
 * byte, '}' escapes. Pure functions without I/O, so that a fuzzer can run
 * them (tests/sim/gdb/fuzz_rsp.c).
 */
#ifndef QSIM_FRONTEND_GDB_RSP_H
#define QSIM_FRONTEND_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 4096 /* PacketSize in qSupported, hex digits included */

enum gdb_rsp_event {
    GDB_RSP_NONE,      /* byte taken, nothing complete yet */
    GDB_RSP_PACKET,    /* a packet with a good checksum: payload in buf[0..len) */
    GDB_RSP_BAD,       /* a packet with a bad checksum or too long: answer '-' */
    GDB_RSP_INTERRUPT, /* 0x03 between packets */
};

struct gdb_rsp {
    char buf[GDB_PACKET_MAX + 1]; /* NUL-terminated payload (may hold NULs from escapes) */
    size_t len;
    int state;
    uint8_t sum;
    uint8_t given;
    bool overflow, escape;
};

void gdb_rsp_init(struct gdb_rsp *r);
enum gdb_rsp_event gdb_rsp_feed(struct gdb_rsp *r, uint8_t c);

/* `$payload#cs` into out (escaping '#', '$', '}' and '*'); the length, or 0
 * when out is too small. */
size_t gdb_rsp_frame(const char *payload, size_t len, char *out, size_t outlen);

/* Hex helpers: 0 or -EINVAL (odd length, a non-hex digit, overflow). */
int gdb_hex_decode(const char *hex, size_t digits, uint8_t *out);
void gdb_hex_encode(const uint8_t *data, size_t len, char *out); /* 2*len digits + NUL */
/* A hex number at *p up to the first non-hex character, *p moved past it;
 * -EINVAL without a digit or past 32 bits. */
int gdb_parse_u32(const char **p, uint32_t *value);

#endif
