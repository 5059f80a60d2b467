/*
 * The GDB server's parts below the socket: packet framing (gdb_rsp.c), the
 * packets on a real simulator (gdb_target.c), debugger reads without side
 * effects, and breakpoints and steps in the core (sim/core/debug.c).
 * argv[1]: the stopwatch image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gdb.h"
#include "gdb_rsp.h"
#include "quartzsim.h"

#define MS 1000000ull
#define I2C1_SR1 0x40005414u
#define I2C1_SR2 0x40005418u
#define I2C1_DR 0x40005410u
#define I2C_SR1_ADDR (1u << 1)
#define USART2_SR 0x40004400u
#define USART2_DR 0x40004404u
#define USART_SR_RXNE (1u << 5)
#define SYST_CSR 0xE000E010u

static const char *image;

static struct qsim *load(void)
{
    struct qsim_options o = {0};
    struct qsim *s = qsim_create(&o);
    assert_non_null(s);
    char err[256] = "";
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    return s;
}

static enum gdb_rsp_event feed(struct gdb_rsp *r, const char *bytes)
{
    enum gdb_rsp_event e = GDB_RSP_NONE;
    for (; *bytes; bytes++)
        e = gdb_rsp_feed(r, (uint8_t)*bytes);
    return e;
}

static void test_framing(void **state)
{
    (void)state;
    struct gdb_rsp r;
    gdb_rsp_init(&r);
    assert_int_equal(feed(&r, "+$m0,4#fd"), GDB_RSP_PACKET);
    assert_string_equal(r.buf, "m0,4");
    assert_int_equal(feed(&r, "$m0,4#fe"), GDB_RSP_BAD);  /* checksum off by one */
    assert_int_equal(feed(&r, "$m0,4#0z"), GDB_RSP_BAD);  /* not hex */
    assert_int_equal(gdb_rsp_feed(&r, 0x03), GDB_RSP_INTERRUPT);
    /* A frame of a payload with every special byte reads back the same. */
    const char payload[] = "a#b$c}d*e";
    char frame[64];
    size_t n = gdb_rsp_frame(payload, strlen(payload), frame, sizeof frame);
    assert_true(n > 0);
    frame[n] = '\0';
    assert_null(strchr(frame + 1, '$'));
    assert_int_equal(feed(&r, frame), GDB_RSP_PACKET);
    assert_int_equal(r.len, strlen(payload));
    assert_string_equal(r.buf, payload);
    assert_int_equal(gdb_rsp_frame(payload, strlen(payload), frame, 8), 0); /* too small */
    /* Too long for PacketSize: refused, and the next packet is fine. */
    gdb_rsp_feed(&r, '$');
    for (int i = 0; i < GDB_PACKET_MAX + 10; i++)
        gdb_rsp_feed(&r, 'a');
    assert_int_equal(feed(&r, "#00"), GDB_RSP_BAD);
    assert_int_equal(feed(&r, "$?#3f"), GDB_RSP_PACKET);
    uint8_t b[2];
    assert_int_equal(gdb_hex_decode("1", 1, b), -22);
    assert_int_equal(gdb_hex_decode("g0", 2, b), -22);
    const char *p = "123456789";
    uint32_t v;
    assert_int_equal(gdb_parse_u32(&p, &v), -22); /* past 32 bits */
}

static char reply[GDB_PACKET_MAX + 1];

static const char *handle(struct gdb_target *t, const char *pkt)
{
    enum gdb_action a = gdb_target_handle(t, pkt, strlen(pkt), reply);
    assert_int_equal(a, GDB_REPLY);
    return reply;
}

static void test_packets(void **state)
{
    (void)state;
    struct qsim *s = load();
    struct gdb_target t = {.s = s, .signal = 5};
    assert_string_equal(handle(&t, "?"), "T05");
    assert_non_null(strstr(handle(&t, "qSupported:multiprocess+;xmlRegisters=arm"), "qXfer:features:read+"));
    assert_non_null(strstr(reply, "PacketSize="));
    handle(&t, "qXfer:features:read:target.xml:0,fff");
    assert_true(reply[0] == 'l');
    assert_non_null(strstr(reply, "org.gnu.gdb.arm.m-profile"));
    assert_non_null(strstr(reply, "org.gnu.gdb.arm.m-system"));
    assert_non_null(strstr(reply, "org.gnu.gdb.arm.vfp"));
    handle(&t, "qXfer:features:read:target.xml:0,10");
    assert_true(reply[0] == 'm' && strlen(reply) == 1 + 0x10);
    /* g: 23 32-bit registers, 16 doubles, fpscr. */
    assert_int_equal(strlen(handle(&t, "g")), 2 * (23 * 4 + 16 * 8 + 4));
    assert_string_equal(handle(&t, "P0=78563412"), "OK");
    assert_string_equal(handle(&t, "p0"), "78563412");
    assert_string_equal(handle(&t, "P17=0011223344556677"), "OK"); /* d0 */
    assert_string_equal(handle(&t, "p17"), "0011223344556677");
    /* Bad packets: an error reply, never a crash. */
    assert_string_equal(handle(&t, "p99"), "E01");
    assert_string_equal(handle(&t, "P0=123"), "E01");
    assert_string_equal(handle(&t, "mffffff00,4"), "E01");      /* outside the map */
    assert_string_equal(handle(&t, "m2001fffe,4"), "E01");      /* runs off the end of SRAM */
    assert_string_equal(handle(&t, "m2000000g,4"), "E01");      /* malformed address */
    assert_string_equal(handle(&t, "m20000000"), "E01");        /* no length */
    assert_string_equal(handle(&t, "m20000000,ffffff"), "E01"); /* too long for a reply */
    assert_string_equal(handle(&t, "M20000000,2:zz12"), "E01");
    assert_string_equal(handle(&t, "M20000000,2:12"), "E01");   /* fewer bytes than said */
    assert_string_equal(handle(&t, "Z7,8000000,2"), "E01");
    assert_string_equal(handle(&t, "Z2,20000000"), "E01");
    assert_string_equal(handle(&t, "M20000000,2:beef"), "OK");
    assert_string_equal(handle(&t, "m20000000,2"), "beef");
    assert_string_equal(handle(&t, "m08000000,4"), "00080020"); /* the initial SP, 0x20000800 */
    assert_string_equal(handle(&t, "Z0,8000100,2"), "OK");
    assert_string_equal(handle(&t, "z0,8000100,2"), "OK");
    /* monitor time: hex of the text. */
    char hex[64];
    gdb_hex_encode((const uint8_t *)"time", 4, hex);
    char pkt[80];
    snprintf(pkt, sizeof pkt, "qRcmd,%s", hex);
    handle(&t, pkt);
    uint8_t text[256] = {0};
    assert_int_equal(gdb_hex_decode(reply, strlen(reply), text), 0);
    assert_non_null(strstr((char *)text, "ms virtual"));
    assert_int_equal(gdb_target_handle(&t, "c", 1, reply), GDB_CONTINUE);
    assert_int_equal(gdb_target_handle(&t, "s", 1, reply), GDB_STEP);
    assert_int_equal(gdb_target_handle(&t, "k", 1, reply), GDB_KILL);
    assert_string_equal(handle(&t, "vCont?"), "vCont;c;C;s;S");
    assert_int_equal(gdb_target_handle(&t, "vCont;c", 7, reply), GDB_CONTINUE);
    assert_int_equal(gdb_target_handle(&t, "vCont;C05", 9, reply), GDB_CONTINUE);
    assert_int_equal(gdb_target_handle(&t, "vCont;s:1;c", 11, reply), GDB_STEP);
    assert_int_equal(gdb_target_handle(&t, "vCont;S0b:p1.1", 14, reply), GDB_STEP);
    assert_string_equal(handle(&t, "vCont;x"), "E01");
    assert_string_equal(handle(&t, "vCont;Czz"), "E01");
    assert_string_equal(handle(&t, "vMustReplyEmpty"), "");
    qsim_destroy(s);
}

/*
 * Debugger reads at every event and exception of a run: the flags the
 * firmware waits for are still there after the reads, and the run ends
 * exactly as one without them (console, cycles, interrupts, OLED updates).
 */
struct peeks {
    unsigned addr_seen, rxne_seen, countflag_seen;
};

static uint32_t peek32(struct qsim *s, uint32_t address)
{
    uint32_t v = 0;
    assert_int_equal(qsim_debug_read(s, address, &v, 4), 0);
    return v;
}

static bool peek_everything(struct qsim *s, void *ctx)
{
    struct peeks *p = ctx;
    uint32_t sr1 = peek32(s, I2C1_SR1);
    peek32(s, I2C1_SR2); /* SR1 then SR2: what clears ADDR on a CPU read */
    peek32(s, I2C1_DR);
    if (sr1 & I2C_SR1_ADDR) {
        p->addr_seen++;
        assert_true(peek32(s, I2C1_SR1) & I2C_SR1_ADDR);
    }
    uint32_t sr = peek32(s, USART2_SR);
    peek32(s, USART2_DR);
    if (sr & USART_SR_RXNE) {
        p->rxne_seen++;
        assert_true(peek32(s, USART2_SR) & USART_SR_RXNE);
    }
    if (peek32(s, SYST_CSR) & (1u << 16)) {
        p->countflag_seen++;
        assert_true(peek32(s, SYST_CSR) & (1u << 16));
    }
    return false;
}

struct outcome {
    char console[512];
    uint64_t cycles, systick, i2c, usart;
    unsigned oled;
};

static void run_stopwatch(struct outcome *o, qsim_stop_fn fn, void *ctx)
{
    struct qsim *s = load();
    assert_int_equal(qsim_press_at(s, 300 * MS, 80 * MS), 0);
    assert_int_equal(qsim_rx_at(s, "hello\r", 6, 200 * MS), 0);
    assert_int_equal(qsim_run_until(s, 600 * MS, fn, ctx), 0);
    size_t len = 0;
    const char *text = qsim_console(s, &len);
    snprintf(o->console, sizeof o->console, "%.*s", (int)len, text);
    o->cycles = qsim_cycles(s);
    o->systick = qsim_irq_count(s, "SysTick");
    o->i2c = qsim_irq_count(s, "I2C1_EV");
    o->usart = qsim_irq_count(s, "USART2");
    o->oled = qsim_oled_update_count(s);
    qsim_destroy(s);
}

static void test_debugger_reads_have_no_side_effects(void **state)
{
    (void)state;
    struct outcome plain, peeked;
    struct peeks p = {0};
    run_stopwatch(&plain, NULL, NULL);
    run_stopwatch(&peeked, peek_everything, &p);
    assert_true(p.addr_seen > 0);
    assert_true(p.rxne_seen > 0);
    assert_true(p.countflag_seen > 0);
    assert_string_equal(peeked.console, plain.console);
    assert_non_null(strstr(plain.console, "running"));
    assert_true(plain.oled > 0);
    assert_int_equal(peeked.oled, plain.oled);
    assert_int_equal(peeked.cycles, plain.cycles);
    assert_int_equal(peeked.systick, plain.systick);
    assert_int_equal(peeked.i2c, plain.i2c);
    assert_int_equal(peeked.usart, plain.usart);
}

/*
 * Breakpoints on code that has run (and is translated) many times: the
 * SysTick handler, at its entry and two bytes in (inside its first block);
 * then single steps. Virtual time stands still while halted, and the run
 * ends with the same cycle count as one without a debugger.
 */
static void test_breakpoints_and_steps(void **state)
{
    (void)state;
    struct qsim *ref = load();
    assert_int_equal(qsim_run_until(ref, 100 * MS, NULL, NULL), 0);
    uint64_t ref_cycles = qsim_cycles(ref);
    qsim_destroy(ref);

    struct qsim *s = load();
    uint32_t vector = 0;
    assert_int_equal(qsim_debug_read(s, 0x0800003Cu, &vector, 4), 0); /* SysTick, exception 15 */
    uint32_t handler = vector & ~1u;
    assert_int_equal(qsim_run_until(s, 50 * MS, NULL, NULL), 0);
    assert_true(qsim_irq_count(s, "SysTick") >= 4); /* 10 ms ticks: the handler has run and is translated */

    assert_int_equal(qsim_break_insert(s, handler), 0);
    assert_int_equal(qsim_run_until(s, 100 * MS, NULL, NULL), QSIM_RUN_HALTED);
    uint64_t pc = 0;
    qsim_reg_read(s, QSIM_REG_PC, &pc);
    assert_int_equal(pc, handler);
    uint64_t t = qsim_time_ns(s);
    assert_true(t < 52 * MS);
    assert_int_equal(qsim_time_ns(s), t);

    /* Inside the first block of the handler. */
    assert_int_equal(qsim_break_remove(s, handler), 0);
    assert_int_equal(qsim_break_insert(s, handler + 2), 0);
    assert_int_equal(qsim_run_until(s, 100 * MS, NULL, NULL), QSIM_RUN_HALTED);
    qsim_reg_read(s, QSIM_REG_PC, &pc);
    assert_int_equal(pc, handler + 2);
    assert_int_equal(qsim_break_remove(s, handler + 2), 0);
    assert_int_equal(qsim_break_remove(s, handler + 2), -2);

    /* Steps: one instruction each (16- or 32-bit, or a branch). */
    for (int i = 0; i < 3; i++) {
        uint64_t before = 0, after = 0;
        qsim_reg_read(s, QSIM_REG_PC, &before);
        qsim_step(s);
        assert_int_equal(qsim_run_until(s, 100 * MS, NULL, NULL), QSIM_RUN_HALTED);
        qsim_reg_read(s, QSIM_REG_PC, &after);
        assert_true(after != before);
        assert_true(after - before <= 4 || after < handler || after > handler + 0x40);
    }
    assert_int_equal(qsim_run_until(s, 100 * MS, NULL, NULL), 0);
    assert_int_equal(qsim_cycles(s), ref_cycles);
    qsim_destroy(s);
}

/* The debugger reads and writes MSP, PSP and the masks whatever the
 * privilege of the code: after CONTROL.nPRIV is set (unprivileged Thread
 * mode, where an MRS reads 0 and an MSR is ignored, ARMv7-M B5.2.3), GDB
 * still sees and changes them. */
static void test_special_registers_when_unprivileged(void **state)
{
    (void)state;
    struct qsim *s = load();
    assert_int_equal(qsim_run_until(s, 100 * MS, NULL, NULL), 0); /* in main's loop, privileged */
    uint64_t msp = 0, control = 0, primask = 0, psp = 0;
    assert_int_equal(qsim_reg_read(s, QSIM_REG_MSP, &msp), 0);
    assert_true(msp >= 0x20000000u && msp <= 0x20020000u);
    assert_int_equal(qsim_reg_write(s, QSIM_REG_PSP, 0x20001000u), 0);
    assert_int_equal(qsim_reg_write(s, QSIM_REG_CONTROL, 1u), 0); /* nPRIV, MSP */
    assert_int_equal(qsim_reg_read(s, QSIM_REG_CONTROL, &control), 0);
    assert_int_equal(control, 1u);
    uint64_t again = 0;
    assert_int_equal(qsim_reg_read(s, QSIM_REG_MSP, &again), 0);
    assert_int_equal(again, msp);
    assert_int_equal(qsim_reg_write(s, QSIM_REG_PRIMASK, 1u), 0);
    assert_int_equal(qsim_reg_read(s, QSIM_REG_PRIMASK, &primask), 0);
    assert_int_equal(primask, 1u);
    assert_int_equal(qsim_reg_read(s, QSIM_REG_PSP, &psp), 0);
    assert_int_equal(psp, 0x20001000u);
    assert_int_equal(qsim_reg_read(s, QSIM_REG_CONTROL, &control), 0);
    assert_int_equal(control, 1u); /* still unprivileged after the accesses */
    assert_int_equal(qsim_reg_write(s, QSIM_REG_CONTROL, 0u), 0); /* and back */
    assert_int_equal(qsim_reg_read(s, QSIM_REG_CONTROL, &control), 0);
    assert_int_equal(control, 0u);
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s stopwatch.elf\n", argv[0]);
        return 2;
    }
    image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing),
        cmocka_unit_test(test_packets),
        cmocka_unit_test(test_debugger_reads_have_no_side_effects),
        cmocka_unit_test(test_breakpoints_and_steps),
        cmocka_unit_test(test_special_registers_when_unprivileged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
