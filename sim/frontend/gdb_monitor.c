/*
 * `monitor` commands (qRcmd, GDB manual E.4): board inputs and what the
 * simulator knows that the firmware cannot show. The output is text for
 * GDB's console, cut to fit one reply.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdb.h"

#define PRESS_DEFAULT_MS 80u
/* SCB fault status and address registers (ARMv7-M B3.2.2, table B3-4). */
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_MMFAR 0xE000ED34u
#define SCB_BFAR 0xE000ED38u
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)
#define HFSR_VECTTBL (1u << 1)
#define HFSR_FORCED (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)

void gdb_monitor(struct gdb_target *t, const char *cmd, char *out, size_t outlen);

static void fault_regs(struct gdb_target *t, char *out, size_t outlen)
{
    /* SCB fault status and address registers (ARMv7-M B3.2.15-B3.2.18). */
    uint32_t cfsr = 0, hfsr = 0, mmfar = 0, bfar = 0;
    qsim_debug_read(t->s, SCB_CFSR, &cfsr, 4);
    qsim_debug_read(t->s, SCB_HFSR, &hfsr, 4);
    qsim_debug_read(t->s, SCB_MMFAR, &mmfar, 4);
    qsim_debug_read(t->s, SCB_BFAR, &bfar, 4);
    static const struct { uint32_t bit; const char *name; } bits[] = {
        {1u << 0, "IACCVIOL"}, {1u << 1, "DACCVIOL"}, {1u << 3, "MUNSTKERR"}, {1u << 4, "MSTKERR"},
        {1u << 5, "MLSPERR"}, {1u << 7, "MMARVALID"}, {1u << 8, "IBUSERR"}, {1u << 9, "PRECISERR"},
        {1u << 10, "IMPRECISERR"}, {1u << 11, "UNSTKERR"}, {1u << 12, "STKERR"}, {1u << 13, "LSPERR"},
        {1u << 15, "BFARVALID"}, {1u << 16, "UNDEFINSTR"}, {1u << 17, "INVSTATE"}, {1u << 18, "INVPC"},
        {1u << 19, "NOCP"}, {1u << 24, "UNALIGNED"}, {1u << 25, "DIVBYZERO"},
    };
    size_t n = (size_t)snprintf(out, outlen, "CFSR  0x%08" PRIx32 " ", cfsr);
    for (size_t i = 0; i < sizeof bits / sizeof bits[0] && n < outlen; i++)
        if (cfsr & bits[i].bit)
            n += (size_t)snprintf(out + n, outlen - n, " %s", bits[i].name);
    if (n < outlen)
        n += (size_t)snprintf(out + n, outlen - n, "\nHFSR  0x%08" PRIx32 " %s%s%s\nMMFAR 0x%08" PRIx32
                              "%s\nBFAR  0x%08" PRIx32 "%s\n", hfsr, hfsr & HFSR_VECTTBL ? " VECTTBL" : "",
                              hfsr & HFSR_FORCED ? " FORCED" : "", hfsr & HFSR_DEBUGEVT ? " DEBUGEVT" : "",
                              mmfar, cfsr & CFSR_MMARVALID ? "" : " (not valid)", bfar,
                              cfsr & CFSR_BFARVALID ? "" : " (not valid)");
}

static void irq_counts(struct gdb_target *t, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (int exc = 1; exc < 16 + 97 && n < outlen; exc++) {
        const char *name = qsim_exc_name(exc);
        uint64_t count = strcmp(name, "?") ? qsim_irq_count(t->s, name) : 0;
        if (count)
            n += (size_t)snprintf(out + n, outlen - n, "%-20s %" PRIu64 "\n", name, count);
    }
    if (!out[0])
        snprintf(out, outlen, "no exception taken yet\n");
}

static void report(struct gdb_target *t, char *out, size_t outlen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(out, outlen, "report: out of memory\n");
        return;
    }
    qsim_write_report(t->s, f);
    fclose(f);
    /* Cut to one reply (`monitor report` shows the start; --report FILE has it whole). */
    size_t n = text ? strlen(text) : 0;
    if (n > outlen - 2)
        n = outlen - 2;
    memcpy(out, text ? text : "", n);
    if (!n || out[n - 1] != '\n')
        out[n++] = '\n';
    out[n] = '\0';
    free(text);
}

void gdb_monitor(struct gdb_target *t, const char *cmd, char *out, size_t outlen)
{
    char word[16] = "", arg[16] = "";
    unsigned ms = PRESS_DEFAULT_MS;
    int fields = sscanf(cmd, "%15s %15s %u", word, arg, &ms);
    uint64_t now = qsim_time_ns(t->s);
    out[0] = '\0';
    if (fields >= 1 && strcmp(word, "reset") == 0) {
        qsim_reset(t->s);
        snprintf(out, outlen, "board reset\n");
    } else if (fields >= 2 && strcmp(word, "press") == 0 && strcmp(arg, "B1") == 0) {
        int rc = qsim_press_at(t->s, now, (uint64_t)ms * 1000000u);
        snprintf(out, outlen, rc ? "press: %s\n" : "B1 pressed for %s%u ms (runs when the target runs)\n",
                 rc ? strerror(-rc) : "", ms);
    } else if (fields >= 1 && strcmp(word, "time") == 0) {
        snprintf(out, outlen, "%" PRIu64 ".%06" PRIu64 " ms virtual, %" PRIu64 " cycles\n", now / 1000000u,
                 now % 1000000u, qsim_cycles(t->s));
    } else if (fields >= 1 && strcmp(word, "report") == 0) {
        report(t, out, outlen);
    } else if (fields >= 1 && strcmp(word, "irq") == 0) {
        irq_counts(t, out, outlen);
    } else if (fields >= 1 && strcmp(word, "fault") == 0) {
        fault_regs(t, out, outlen);
    } else {
        snprintf(out, outlen, "monitor commands: reset, press B1 [ms], time, report, irq, fault\n");
    }
}
