/*
 * os-bench: the kernel layer's cycle figures (tools/bench.d/os.sh). A
 * process cannot read the DWT (the PPB is privileged, ARMv7-M B3.1), so it
 * asks SYS_CYCLES: (0) the cycle counter, (1) the cycles of the last
 * process switch, which PendSV brackets itself (DWT CYCCNT at its first
 * instruction and before its return; switch.S).
 *
 *   syscall_null_cycles   T(cycles; null; cycles) - T(cycles; cycles): svc
 *                         from the process into the kernel and back, exception
 *                         entry and return included
 *   ctx_switch_cycles     PendSV switching the partner out and this process
 *                         in (save, CPU time, MPU regions 2 and 3, restore);
 *                         the hardware's tail-chain (6) and return (10) are
 *                         outside the bracket
 *   yield_switch_cycles   what a process pays for a yield that runs another:
 *                         (T(cycles; yield, the partner yields back; cycles)
 *                         - T(cycles; null; cycles) - null) / 2, i.e. one
 *                         switch with its syscall and scheduling, not gated
 *   *_fp_*                the same with both processes' FP context active
 *                         (lazy FP frames, s16-s31 saved and restored)
 * One line per figure and round; the bench takes the median.
 */
#include <stdint.h>

#include "quartz/fmt.h"
#include "quartz/hal/serial.h"
#include "quartz/kernel/proc.h"
#include "quartz/sys.h"

#define ROUNDS 9

struct bench {
    uint8_t stack[1536];
    int con;
    char line[48];
    volatile float fp;
};

struct partner {
    uint8_t stack[1536];
    volatile float fp;
};

SYS_PROC_RAM(struct bench, bench_ram, 2048);
SYS_PROC_RAM(struct partner, partner_ram, 2048);
SYS_PROC_RAM(struct partner, partner_fp_ram, 2048);

static inline uint32_t cycles(uint32_t which)
{
    return (uint32_t)sys_call4(SYS_CYCLES, which, 0, 0, 0);
}

static void put(const char *name, int32_t v)
{
    struct bench *b = &bench_ram.v;
    size_t n = 0;
    while (*name != '\0')
        b->line[n++] = *name++;
    b->line[n++] = ' ';
    if (v < 0) {
        b->line[n++] = '-';
        v = -v;
    }
    n += fmt_u64(b->line + n, sizeof b->line - n - 2u, (uint64_t)v);
    b->line[n++] = '\r';
    b->line[n++] = '\n';
    for (size_t off = 0; off < n;) {
        int rc = sys_write(b->con, b->line + off, n - off);
        if (rc <= 0)
            break;
        off += (size_t)rc;
    }
}

/* Differences modulo 2^31 (SYS_CYCLES drops the top bit). */
static uint32_t d31(uint32_t a, uint32_t b)
{
    return (b - a) & 0x7FFFFFFFu;
}

static void rounds(const char *null_name, const char *switch_name, const char *yield_name)
{
    for (int i = 0; i < ROUNDS; i++) {
        (void)sys_sleep_ms(1); /* each round just after a wake-up: no slice tick inside */
        uint32_t a = cycles(0);
        uint32_t b = cycles(0);
        uint32_t c = cycles(0);
        (void)sys_call4(SYS_NULL, 0, 0, 0, 0);
        uint32_t d = cycles(0);
        uint32_t e = cycles(0);
        (void)sys_yield(); /* to the partner, which yields back */
        uint32_t f = cycles(0);
        uint32_t sw = cycles(1);
        uint32_t empty = d31(a, b), null = d31(c, d) - empty, pair = d31(e, f);
        put(null_name, (int32_t)null);
        put(switch_name, (int32_t)sw);
        put(yield_name, (int32_t)((pair - empty - 2u * null) / 2u));
    }
}

static void bench_main(uint32_t starts)
{
    (void)starts;
    struct bench *b = &bench_ram.v;
    b->con = sys_open("/dev/console", 0);
    rounds("syscall_null_cycles", "ctx_switch_cycles", "yield_switch_cycles");
    /* the same with FP contexts: this process uses the FPU from now on
     * (CONTROL.FPCA), and so does the other partner */
    (void)sys_kill(1);
    (void)sys_restart(2);
    b->fp = 1.5f;
    b->fp = b->fp * 2.0f;
    rounds("syscall_null_fp_cycles", "ctx_switch_fp_cycles", "yield_switch_fp_cycles");
    (void)sys_write(b->con, "END\r\n", 5);
    for (;;)
        (void)sys_sleep_ms(1000);
}

static void partner_main(uint32_t starts)
{
    (void)starts;
    for (;;)
        (void)sys_yield();
}

static void partner_fp_main(uint32_t starts)
{
    (void)starts;
    partner_fp_ram.v.fp = 2.5f;
    partner_fp_ram.v.fp = partner_fp_ram.v.fp * 2.0f;
    for (;;)
        (void)sys_yield();
}

static const struct sys_proc_desc bench = {
    .name = "bench", .entry = bench_main, .ram = &bench_ram, .ram_size = sizeof bench_ram,
    .stack_size = 1536, .prio = 2,
};
static const struct sys_proc_desc partner = {
    .name = "partner", .entry = partner_main, .ram = &partner_ram, .ram_size = sizeof partner_ram,
    .stack_size = 1536, .prio = 2,
};
static const struct sys_proc_desc partner_fp = {
    .name = "partner_fp", .entry = partner_fp_main, .ram = &partner_fp_ram, .ram_size = sizeof partner_fp_ram,
    .stack_size = 1536, .prio = 2, .flags = SYS_PROC_STOPPED,
};

const struct sys_proc_desc *const sys_procs[] = { &bench, &partner, &partner_fp };
const unsigned sys_proc_count = sizeof sys_procs / sizeof sys_procs[0];

int main(void)
{
    (void)serial_puts("os-bench\r\n");
    sys_start();
}
