/*
 * The GDB packets on the simulated target (GDB manual E.2 "Packets", E.4
 * "General Query Packets", G.5 "ARM Features"). The register numbers of the
 * target description are those of `enum qsim_reg`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb.h"
#include "gdb_rsp.h"

/* GDB manual G.5.1: the M-profile core registers, the system registers
 * and the VFP registers d0-d15 with fpscr. */
static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\">\n"
    "<architecture>arm</architecture>\n"
    "<feature name=\"org.gnu.gdb.arm.m-profile\">\n"
    "<reg name=\"r0\" bitsize=\"32\" regnum=\"0\"/>\n"
    "<reg name=\"r1\" bitsize=\"32\"/>\n<reg name=\"r2\" bitsize=\"32\"/>\n"
    "<reg name=\"r3\" bitsize=\"32\"/>\n<reg name=\"r4\" bitsize=\"32\"/>\n"
    "<reg name=\"r5\" bitsize=\"32\"/>\n<reg name=\"r6\" bitsize=\"32\"/>\n"
    "<reg name=\"r7\" bitsize=\"32\"/>\n<reg name=\"r8\" bitsize=\"32\"/>\n"
    "<reg name=\"r9\" bitsize=\"32\"/>\n<reg name=\"r10\" bitsize=\"32\"/>\n"
    "<reg name=\"r11\" bitsize=\"32\"/>\n<reg name=\"r12\" bitsize=\"32\"/>\n"
    "<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
    "<reg name=\"lr\" bitsize=\"32\"/>\n"
    "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n"
    "<reg name=\"xpsr\" bitsize=\"32\"/>\n"
    "</feature>\n"
    "<feature name=\"org.gnu.gdb.arm.m-system\">\n"
    "<reg name=\"msp\" bitsize=\"32\" type=\"data_ptr\" regnum=\"17\"/>\n"
    "<reg name=\"psp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
    "<reg name=\"primask\" bitsize=\"32\"/>\n<reg name=\"basepri\" bitsize=\"32\"/>\n"
    "<reg name=\"faultmask\" bitsize=\"32\"/>\n<reg name=\"control\" bitsize=\"32\"/>\n"
    "</feature>\n"
    "<feature name=\"org.gnu.gdb.arm.vfp\">\n"
    "<reg name=\"d0\" bitsize=\"64\" type=\"ieee_double\" regnum=\"23\"/>\n"
    "<reg name=\"d1\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d2\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d3\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d4\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d5\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d6\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d7\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d8\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d9\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d10\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d11\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d12\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d13\" bitsize=\"64\" type=\"ieee_double\"/>\n<reg name=\"d14\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"d15\" bitsize=\"64\" type=\"ieee_double\"/>\n"
    "<reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "</feature>\n"
    "</target>\n";

#define MAX_MEM ((GDB_PACKET_MAX - 8) / 2) /* bytes of one `m` reply */

static unsigned reg_bytes(int reg)
{
    return reg >= QSIM_REG_D0 && reg <= QSIM_REG_D15 ? 8 : 4;
}

static void put_reg(struct gdb_target *t, int reg, char *out)
{
    uint64_t v = 0;
    uint8_t b[8];
    qsim_reg_read(t->s, reg, &v);
    for (unsigned i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    gdb_hex_encode(b, reg_bytes(reg), out);
}

static int get_reg(struct gdb_target *t, int reg, const char *hex, size_t digits)
{
    uint8_t b[8] = {0};
    if (digits != 2 * reg_bytes(reg) || gdb_hex_decode(hex, digits, b))
        return -EINVAL;
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return qsim_reg_write(t->s, reg, v);
}

static const char *err(char *reply)
{
    strcpy(reply, "E01");
    return reply;
}

/* "addr,len" then `end` (or the end of the packet with end = 0). */
static int addr_len(const char **p, uint32_t *addr, uint32_t *len, char end)
{
    if (gdb_parse_u32(p, addr) || **p != ',')
        return -EINVAL;
    (*p)++;
    if (gdb_parse_u32(p, len) || **p != end)
        return -EINVAL;
    if (end)
        (*p)++;
    return 0;
}

static void read_mem(struct gdb_target *t, const char *p, char *reply)
{
    uint32_t addr, len;
    uint8_t buf[MAX_MEM];
    if (addr_len(&p, &addr, &len, '\0') || len > MAX_MEM || qsim_debug_read(t->s, addr, buf, len))
        err(reply);
    else
        gdb_hex_encode(buf, len, reply);
}

static void write_mem(struct gdb_target *t, const char *p, size_t avail, char *reply)
{
    uint32_t addr, len;
    uint8_t buf[MAX_MEM];
    const char *start = p;
    if (addr_len(&p, &addr, &len, ':') || len > MAX_MEM || (size_t)(p - start) + 2 * (size_t)len != avail ||
        gdb_hex_decode(p, 2 * (size_t)len, buf) || qsim_debug_write(t->s, addr, buf, len))
        err(reply);
    else
        strcpy(reply, "OK");
}

/* Z0/Z1 breakpoints (one kind: the core needs no instruction written),
 * Z2/Z3/Z4 write, read and access watchpoints (GDB manual E.2). */
static void breakpoint(struct gdb_target *t, const char *p, bool insert, char *reply)
{
    uint32_t addr, kind;
    char type = p[0];
    p += 1;
    if (type < '0' || type > '4' || *p++ != ',' || addr_len(&p, &addr, &kind, '\0')) {
        err(reply);
        return;
    }
    int rc;
    if (type <= '1') {
        rc = insert ? qsim_break_insert(t->s, addr) : qsim_break_remove(t->s, addr);
    } else {
        enum qsim_watch w = type == '2' ? QSIM_WATCH_WRITE : type == '3' ? QSIM_WATCH_READ : QSIM_WATCH_ACCESS;
        rc = insert ? qsim_watch_insert(t->s, addr, kind, w) : qsim_watch_remove(t->s, addr, kind, w);
    }
    strcpy(reply, rc == 0 || (!insert && rc == -ENOENT) ? "OK" : "E01");
}

static void xfer_features(const char *p, char *reply)
{
    uint32_t off, len;
    if (strncmp(p, "target.xml:", 11) != 0) {
        strcpy(reply, "E00");
        return;
    }
    p += 11;
    if (addr_len(&p, &off, &len, '\0')) {
        err(reply);
        return;
    }
    size_t total = sizeof target_xml - 1;
    if (off > total) {
        err(reply);
        return;
    }
    size_t n = total - off;
    if (len > GDB_PACKET_MAX / 2 - 1)
        len = GDB_PACKET_MAX / 2 - 1; /* room for escapes in the frame */
    if (n > len)
        n = len;
    reply[0] = off + n < total ? 'm' : 'l';
    memcpy(reply + 1, target_xml + off, n);
    reply[1 + n] = '\0';
}

void gdb_monitor(struct gdb_target *t, const char *cmd, char *out, size_t outlen); /* gdb_monitor.c */

static void monitor(struct gdb_target *t, const char *hex, char *reply)
{
    size_t digits = strlen(hex);
    char cmd[256], text[GDB_PACKET_MAX / 2];
    if (digits / 2 >= sizeof cmd || gdb_hex_decode(hex, digits, (uint8_t *)cmd)) {
        err(reply);
        return;
    }
    cmd[digits / 2] = '\0';
    gdb_monitor(t, cmd, text, sizeof text);
    if (!text[0])
        strcpy(reply, "OK");
    else
        gdb_hex_encode((const uint8_t *)text, strlen(text), reply);
}

void gdb_target_stop_reply(const struct gdb_target *t, char *reply)
{
    uint32_t addr;
    enum qsim_watch kind;
    if (t->signal == 5 && qsim_watch_hit(t->s, &addr, &kind)) {
        const char *name = kind == QSIM_WATCH_WRITE ? "watch" : kind == QSIM_WATCH_READ ? "rwatch" : "awatch";
        snprintf(reply, 40, "T05%s:%08x;", name, (unsigned)addr);
        return;
    }
    snprintf(reply, 8, "T%02x", (unsigned)t->signal & 0xFFu);
}

static void query(struct gdb_target *t, const char *p, char *reply)
{
    if (strncmp(p, "qSupported", 10) == 0)
        snprintf(reply, GDB_PACKET_MAX, "PacketSize=%x;qXfer:features:read+;vContSupported+", GDB_PACKET_MAX);
    else if (strncmp(p, "qXfer:features:read:", 20) == 0)
        xfer_features(p + 20, reply);
    else if (strcmp(p, "qAttached") == 0)
        strcpy(reply, "1");
    else if (strncmp(p, "qRcmd,", 6) == 0)
        monitor(t, p + 6, reply);
    else
        reply[0] = '\0'; /* unknown: an empty reply (E.2) */
}

/* vCont (GDB manual E.2): one thread, so the first action is the one;
 * a signal to deliver (C, S) is not: the firmware has no signals. */
static enum gdb_action vcont(const char *pkt, char *reply)
{
    if (strcmp(pkt, "vCont?") == 0) {
        strcpy(reply, "vCont;c;C;s;S");
        return GDB_REPLY;
    }
    if (strncmp(pkt, "vCont;", 6) != 0)
        return GDB_REPLY; /* vMustReplyEmpty and others: the empty reply */
    char action = pkt[6];
    const char *p = pkt + 7;
    uint32_t sig;
    if ((action == 'C' || action == 'S') && gdb_parse_u32(&p, &sig)) {
        err(reply);
        return GDB_REPLY;
    }
    if (*p && *p != ':' && *p != ';') {
        err(reply);
        return GDB_REPLY;
    }
    if (action == 'c' || action == 'C')
        return GDB_CONTINUE;
    if (action == 's' || action == 'S')
        return GDB_STEP;
    err(reply);
    return GDB_REPLY;
}

enum gdb_action gdb_target_handle(struct gdb_target *t, const char *pkt, size_t len, char *reply)
{
    reply[0] = '\0';
    if (len == 0 || strlen(pkt) != len) { /* an escaped NUL is in no packet we take */
        err(reply);
        return GDB_REPLY;
    }
    switch (pkt[0]) {
    case '?':
        gdb_target_stop_reply(t, reply);
        break;
    case '!': /* extended mode (target extended-remote) */
    case 'H': /* one thread: any selection is fine */
        strcpy(reply, "OK");
        break;
    case 'g':
        for (int r = 0; r < QSIM_REG_COUNT; r++)
            put_reg(t, r, reply + strlen(reply));
        break;
    case 'G': {
        const char *p = pkt + 1;
        size_t left = len - 1;
        for (int r = 0; r < QSIM_REG_COUNT; r++) {
            size_t d = 2 * reg_bytes(r);
            if (left < d || get_reg(t, r, p, d)) {
                err(reply);
                return GDB_REPLY;
            }
            p += d;
            left -= d;
        }
        strcpy(reply, left ? "E01" : "OK");
        break;
    }
    case 'p': {
        const char *p = pkt + 1;
        uint32_t r;
        if (gdb_parse_u32(&p, &r) || *p || r >= QSIM_REG_COUNT)
            err(reply);
        else
            put_reg(t, (int)r, reply);
        break;
    }
    case 'P': {
        const char *p = pkt + 1;
        uint32_t r;
        if (gdb_parse_u32(&p, &r) || *p != '=' || r >= QSIM_REG_COUNT || get_reg(t, (int)r, p + 1, strlen(p + 1)))
            err(reply);
        else
            strcpy(reply, "OK");
        break;
    }
    case 'm':
        read_mem(t, pkt + 1, reply);
        break;
    case 'M':
        write_mem(t, pkt + 1, len - 1, reply);
        break;
    case 'Z':
    case 'z':
        breakpoint(t, pkt + 1, pkt[0] == 'Z', reply);
        break;
    case 'c':
    case 's': {
        if (len > 1) { /* an address to resume at */
            const char *p = pkt + 1;
            uint32_t addr;
            if (gdb_parse_u32(&p, &addr) || *p) {
                err(reply);
                return GDB_REPLY;
            }
            qsim_reg_write(t->s, QSIM_REG_PC, addr);
        }
        return pkt[0] == 'c' ? GDB_CONTINUE : GDB_STEP;
    }
    case 'D':
        strcpy(reply, "OK");
        return GDB_DETACH;
    case 'k':
        return GDB_KILL;
    case 'q':
        query(t, pkt, reply);
        break;
    case 'v':
        return vcont(pkt, reply);
    default:
        break; /* unsupported: empty reply */
    }
    return GDB_REPLY;
}
