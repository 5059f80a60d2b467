/*
 * quartz-sim core self-tests: exceptions, faults, lock-up, determinism and
 * ELF load errors, on the images built from fw/ (ARMv7-M B1.5 for the
 * expected values).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"
#include "sim_results.h"
#include "results.h"

#define MS 1000000ull

static struct qsim *boot(const char *image)
{
    struct qsim *s = qsim_create(NULL);
    assert_non_null(s);
    char err[256] = "";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CORE_FW_DIR, image);
    int rc = qsim_load_elf(s, path, err, sizeof err);
    if (rc)
        fail_msg("load %s: %s", path, err);
    return s;
}

/* The firmware's result block: found in SRAM by its two magic words. */
static bool results(const struct qsim *s, struct core_results *r)
{
    return sim_results_find(s, RESULTS_MAGIC0, RESULTS_MAGIC1, r, sizeof *r);
}

static bool done(struct qsim *s, void *ctx)
{
    struct core_results r;
    (void)ctx;
    return results(s, &r) && r.done;
}

static void test_exceptions(void **state)
{
    (void)state;
    struct qsim *s = boot("core-exc.elf");
    int rc = qsim_run_until(s, 200 * MS, done, NULL);
    struct core_results r;
    assert_true(results(s, &r));
    assert_int_equal(rc, 1);

    /* SVC: r0 and the return address stacked, SVC number from the opcode */
    assert_int_equal(r.svc_r0, 0x1234);
    assert_int_equal(r.svc_pc, r.svc_expected_pc);
    assert_int_equal(r.svc_number, 7);
    /* frames: basic from MSP in thread mode, then FP-extended */
    assert_int_equal(r.lr_basic, 0xFFFFFFF9u);
    assert_int_equal(r.lr_fp, 0xFFFFFFE9u);
    assert_int_equal(r.fp_s0, r.fp_s0_expected);
    /* SP was 4 mod 8: the frame is realigned and xPSR bit 9 says so */
    assert_true(r.sp_aligned);
    assert_int_equal(r.xpsr_align_bit, 1);
    /* order: PendSV twice; priority order B A C then PendSV after
     * PRIMASK clears; B preempts A, C waits; BASEPRI holds A back */
    char log[RESULTS_LOG + 1] = "";
    memcpy(log, r.log, r.log_len);
    assert_string_equal(log, "PPBAaCP|ABaC|BAa");
    assert_int_equal(r.basepri_after, 0);
    assert_int_equal(r.masked_runs, 1);
    assert_int_equal(r.unmasked_runs, 1);
    assert_int_equal(r.vectactive, 16 + 19);
    /* 100 NOPs: 100 cycles, plus the ISBs and the CYCCNT load (a read sees
     * the cycles of its whole block, which the ISBs keep short) */
    assert_in_range(r.nop_cycles, 100, 106);
    /* SysTick: 16000 HCLK cycles per period, busy loop so CYCCNT sees all */
    for (int i = 1; i < 4; i++)
        assert_in_range(r.tick_cycles[i] - r.tick_cycles[i - 1], 16000 - 3, 16000 + 3);
    assert_int_equal(qsim_irq_count(s, "SVCall"), 1);
    assert_int_equal(qsim_irq_count(s, "PendSV"), 3);
    assert_int_equal(qsim_irq_count(s, "CAN1_TX"), 3);
    assert_true(qsim_irq_count(s, "SysTick") >= 5);
    assert_int_equal(qsim_fault_count(s), 0);
    qsim_destroy(s);
}

static char *report(struct qsim *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(qsim_write_report(s, f), 0);
    fclose(f);
    return buf;
}

static void test_faults_and_lockup(void **state)
{
    (void)state;
    struct qsim *s = boot("core-fault.elf");
    int rc = qsim_run_until(s, 200 * MS, NULL, NULL);
    assert_int_equal(rc, -14 /* -EFAULT: locked up */);
    assert_true(qsim_time_ns(s) < 200 * MS);
    struct core_results r;
    assert_true(results(s, &r));
    assert_int_equal(r.done, 1);
    /* precise BusFault: PRECISERR | BFARVALID, BFAR, stacked PC at the load */
    assert_int_equal(r.bus_cfsr & 0xFF00u, 0x8200u);
    assert_int_equal(r.bus_bfar, 0x30000000u);
    assert_int_equal(r.bus_pc, r.bus_expected_pc);
    /* UNDEFINSTR with the UDF's address */
    assert_int_equal(r.udf_cfsr, 1u << 16);
    assert_int_equal(r.udf_pc, r.udf_expected_pc);
    /* NOCP once, then the retry succeeds */
    assert_int_equal(r.nocp_cfsr, 1u << 19);
    assert_int_equal(r.nocp_count, 1);
    char *json = report(s);
    assert_non_null(strstr(json, "\"kind\":\"lockup\""));
    assert_non_null(strstr(json, "\"bfar\":\"0x30000004\""));
    assert_non_null(strstr(json, "\"locked_up\":true"));
    free(json);
    /* further runs do not resume a locked-up core */
    assert_int_equal(qsim_run_until(s, 300 * MS, NULL, NULL), -14);
    qsim_destroy(s);
}

static void test_determinism(void **state)
{
    (void)state;
    char *first = NULL;
    for (int i = 0; i < 2; i++) {
        struct qsim *s = boot("core-exc.elf");
        qsim_press_at(s, 3 * MS, 5 * MS);
        assert_int_equal(qsim_run_until(s, 30 * MS, NULL, NULL), 0);
        char *json = report(s);
        if (!first)
            first = json;
        else {
            assert_string_equal(first, json);
            free(json);
        }
        qsim_destroy(s);
    }
    free(first);
}

/*
 * Scripted inputs "now": qsim_time_ns() truncates the picosecond clock, so
 * a press at qsim_time_ns() lies up to 999 ps before the true now. It must
 * be taken as now (the interactive board presses B1 this way), and a time
 * a whole nanosecond in the past must be refused.
 */
static void test_input_now(void **state)
{
    (void)state;
    struct qsim *s = boot("core-exc.elf");
    /* Stop at instants that are not whole nanoseconds at 16 MHz (62.5 ns). */
    for (uint64_t t = 1000; t < 1000 + 7 * 3; t += 7) {
        assert_int_equal(qsim_run_until(s, t * 1000 + 1, NULL, NULL), 0);
        uint64_t now = qsim_time_ns(s);
        assert_int_equal(qsim_press_at(s, now, 5), 0);
        assert_int_equal(qsim_rx_at(s, "x", 1, now), 0);
        assert_true(qsim_press_at(s, now - 1, 5) < 0);
    }
    qsim_destroy(s);
}

static void test_load_errors(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(NULL);
    char err[256];
    assert_true(qsim_load_elf(s, "/nonexistent/fw.elf", err, sizeof err) < 0);
    assert_non_null(strstr(err, "No such file"));
    assert_true(qsim_load_elf(s, CORE_FW_DIR "/../../../images.txt", err, sizeof err) < 0);
    assert_non_null(strstr(err, "not an ELF"));
    assert_true(qsim_load_elf(s, "/proc/self/exe", err, sizeof err) < 0);
    assert_non_null(strstr(err, "ELF32"));
    assert_int_equal(qsim_run_until(s, MS, NULL, NULL), -8 /* -ENOEXEC: nothing loaded */);
    qsim_destroy(s);
}

static void expect_latency(struct qsim *s, const char *name, uint64_t count, uint64_t worst, uint64_t total)
{
    uint64_t c = 0, w = 0, t = 0;
    assert_int_equal(qsim_irq_latency(s, name, &c, &w, &t), 0);
    print_message("%s: %llu entries, worst %llu, total %llu cycles\n", name, (unsigned long long)c,
                  (unsigned long long)w, (unsigned long long)t);
    assert_int_equal(c, count);
    assert_int_equal(w, worst);
    assert_int_equal(t, total);
}

/* irq_latency (fw/latency.c): entry from thread mode 12 cycles, a
 * tail-chain after the pending handler's remaining 12 cycles 6 more (18),
 * SysTick from WFI 12; the report carries the same figures. */
static void test_irq_latency(void **state)
{
    (void)state;
    struct qsim *s = boot("core-latency.elf");
    assert_int_equal(qsim_run_until(s, 5 * MS, NULL, NULL), 0);
    expect_latency(s, "CAN1_TX", 1, 12, 12);
    expect_latency(s, "CAN1_RX0", 1, 18, 18);
    expect_latency(s, "SysTick", 3, 12, 36);
    uint64_t c, w, t;
    assert_int_equal(qsim_irq_latency(s, "NoSuchIRQ", &c, &w, &t), -ENOENT);
    char *r = report(s);
    assert_non_null(strstr(r, "\"irq_latency\":{"));
    assert_non_null(strstr(r, "\"CAN1_RX0\":{\"count\":1,\"max_cycles\":18,\"mean_cycles\":18.00}"));
    free(r);
    qsim_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_faults_and_lockup),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_input_now),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_irq_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
