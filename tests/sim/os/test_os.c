/*
 * quartz's kernel layer on quartz-sim (issue 14, docs/os.md): the os-test
 * image (fw/main.c) runs every syscall check in process 0 and leaves the
 * results in its RAM; two spinners share the CPU in time slices; an
 * intruder faults once per start. One run for all tests; B1 is pressed at
 * 400 ms for 100 ms for the blocking read.
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
#include "results.h"
#include "sim_results.h"

#define MS 1000000ull

#define CFSR_DACCVIOL 0x02u
#define CFSR_MSTKERR 0x10u
#define CFSR_MMARVALID 0x80u

static struct os_abi_results abi;
static struct os_spin_results spin_a, spin_b;
static uint32_t abi_addr;
static struct qsim *sim;
static char *console;

static bool find_abi(const struct qsim *s)
{
    for (uint32_t a = SIM_RESULTS_SRAM_BASE; a < SIM_RESULTS_SRAM_END - sizeof abi; a += 4) {
        uint32_t m[2];
        if (qsim_read_mem(s, a, m, sizeof m) == 0 && m[0] == OS_MAGIC0 && m[1] == OS_ABI_MAGIC1) {
            abi_addr = a;
            return qsim_read_mem(s, a, &abi, sizeof abi) == 0;
        }
    }
    return false;
}

static bool done(struct qsim *s, void *ctx)
{
    (void)ctx;
    return find_abi(s) && abi.done;
}

static int setup(void **state)
{
    (void)state;
    sim = qsim_create(NULL);
    if (!sim)
        return -1;
    char err[256] = "";
    if (qsim_load_elf(sim, OS_FW_DIR "/os-test.elf", err, sizeof err)) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    if (qsim_press_at(sim, 400 * MS, 100 * MS))
        return -1;
    (void)qsim_run_until(sim, 2000 * MS, done, NULL);
    /* a little longer: the spinners count on */
    (void)qsim_run_until(sim, 1500 * MS, NULL, NULL);
    if (!find_abi(sim))
        memset(&abi, 0, sizeof abi);
    if (!sim_results_find(sim, OS_MAGIC0, OS_SPIN_MAGIC1, &spin_a, sizeof spin_a))
        memset(&spin_a, 0, sizeof spin_a);
    if (!sim_results_find(sim, OS_MAGIC0, OS_SPIN_MAGIC1 + 1, &spin_b, sizeof spin_b))
        memset(&spin_b, 0, sizeof spin_b);
    size_t len;
    const char *c = qsim_console(sim, &len);
    console = strndup(c != NULL ? c : "", len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(console);
    qsim_destroy(sim);
    return 0;
}

static unsigned count_of(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The ABI: svc #0, number in r12, result in r0; an unknown number is -ENOSYS. */
static void test_abi(void **state)
{
    (void)state;
    assert_int_equal(abi.done, 1);
    assert_int_equal(abi.getpid, 0);
    assert_int_equal(abi.null_rc, 0);
    assert_true(abi.enosys < 0);
    assert_int_equal(abi.nosys, abi.enosys);
    assert_true(abi.uptime1 > abi.uptime0);
    /* booted once: no process fault reset the board */
    assert_int_equal(count_of(console, "os-test: start"), 1);
}

/* Every pointer the kernel would touch is the caller's own: NULL, kernel
 * memory, another process, straddling the end of its region, addr + len
 * wrapping, its own stack guard, flash as a destination -> -EFAULT. */
static void test_efault(void **state)
{
    (void)state;
    const int32_t cases[] = {
        abi.read_null, abi.read_kernel, abi.read_other, abi.read_straddle, abi.read_wrap, abi.read_guard,
        abi.read_flash, abi.write_null, abi.write_kernel, abi.write_other, abi.open_null, abi.open_kernel,
        abi.open_unterminated, abi.info_kernel,
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case %zu\n", i);
        assert_int_equal(cases[i], -EFAULT);
    }
    assert_int_equal(abi.write_flash_ok, 11); /* flash is readable: string constants */
}

static void test_errors(void **state)
{
    (void)state;
    assert_int_equal(abi.badf_neg, -EBADF);
    assert_int_equal(abi.badf_unopened, -EBADF);
    assert_int_equal(abi.badf_close, -EBADF);
    assert_int_equal(abi.enotty, -ENOTTY);
    assert_int_equal(abi.einval_contrast, -EINVAL);
    assert_int_equal(abi.einval_led, -EINVAL);
    assert_int_equal(abi.enoent, -ENOENT);
    assert_int_equal(abi.eacces_uptime, -EACCES);
    assert_int_equal(abi.eacces_button, -EACCES);
    assert_int_equal(abi.einval_flags, -EINVAL);
}

/* Four fds per process (SYS_FD_MAX): the fifth open is -EMFILE; all four close. */
static void test_fd_exhaustion(void **state)
{
    (void)state;
    assert_int_equal(abi.fds_opened, 4);
    assert_int_equal(abi.emfile, -EMFILE);
    assert_int_equal(abi.closes_ok, 4);
}

static void test_nodes(void **state)
{
    (void)state;
    assert_int_equal(abi.null_read, 0);
    assert_int_equal(abi.null_write, 5);
    assert_true(abi.uptime_len >= 2);
    assert_true(abi.uptime_value <= abi.uptime_now && abi.uptime_now - abi.uptime_value <= 2);
    assert_int_equal(abi.led_on_rc, 2);
    assert_int_equal(abi.led_read_on, '1');
    assert_int_equal(abi.led_off_rc, 1);
    assert_int_equal(abi.led_read_off, '0');
    assert_int_equal(abi.console_rc, 23);
    assert_non_null(strstr(console, "abi: hello from pid 0\r\n"));
    assert_int_equal(abi.oled_seek, 0);
    assert_int_equal(abi.oled_write, 4);
    assert_int_equal(abi.oled_flush, 0);
    assert_int_equal(abi.oled_readback_ok, 1);
    assert_int_equal(abi.oled_contrast, 0);
    assert_int_equal(abi.oled_invert, 0);
    assert_int_equal(abi.oled_invert_off, 0);
    assert_int_equal(abi.oled_power, 0);
    assert_int_equal(abi.oled_past_end, -ENOSPC);
    /* the sim's default die temperature is 30 C */
    assert_true(abi.dietemp_len >= 5);
    assert_in_range(abi.dietemp_centi, 2900, 3100);
    assert_int_equal(abi.log_write, 4);
    assert_int_equal(abi.log_read, 4);
    assert_int_equal(abi.log_found, 1);
    assert_int_equal(abi.dir_has_oled, 1);
    /* the BME280 nodes need the kernel's sensor worker in sys_procs (the
     * shell image has it: tests/sim/os/shell.expected); newlib's ENODEV is 19 */
    assert_int_equal(abi.temp_no_worker, -19);
}

/* The pattern written at offset 2 * 128 + 10 reached the display: page 2,
 * columns 10..13 (the report's OLED frame, 1024 bytes in hex). */
static void test_oled_frame(void **state)
{
    (void)state;
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    assert_non_null(f);
    assert_int_equal(qsim_write_report(sim, f), 0);
    fclose(f);
    const char *frame = strstr(json, "\"frame\"");
    assert_non_null(frame);
    frame = strchr(frame + 7, '"');
    assert_non_null(frame);
    frame++;
    assert_memory_equal(frame + 2 * (2 * 128 + 10), "ff8181ff", 8);
    free(json);
}

/* A read of /dev/button0 with nothing queued sleeps until the EXTI
 * interrupt wakes it; non-blocking gives -EAGAIN; poll times out. */
static void test_blocking(void **state)
{
    (void)state;
    assert_int_equal(abi.button_nonblock, -EAGAIN);
    assert_int_equal(abi.poll_timeout_rc, 0);
    assert_in_range(abi.poll_waited_ms, 50, 52);
    assert_int_equal(abi.button_read_rc, 8); /* struct sys_button_event */
    assert_int_equal(abi.button_pressed, 1);
    /* kernel time counts from the system tick's start in board_init, which
     * on quartz-sim is about 1 ms after reset: the press at 400 ms reads 399 */
    assert_in_range(abi.button_ms, 398, 401);
    assert_true(abi.button_blocked_from + 100 < abi.button_ms); /* it waited */
    assert_in_range(abi.button_blocked_until, abi.button_ms, abi.button_ms + 2);
    assert_int_equal(abi.release_rc, 8);
    assert_int_equal(abi.release_pressed, 0);
    assert_in_range(abi.sleep_elapsed_ms, 20, 21); /* woken on time with two spinners busy */
}

/* The intruder: each start one fault, each ending only the intruder. */
static void test_isolation(void **state)
{
    (void)state;
    assert_int_equal(abi.canary, 0xC0FFEE42u);
    assert_int_equal(abi.fault_count, OS_FAULTS);
    assert_int_equal(abi.fault_none, -ENOENT);
    for (int i = 0; i < OS_FAULTS; i++) {
        assert_int_equal(abi.faults[i].pid, 3);
        assert_int_equal(abi.faults[i].restarted, 1);
    }
    /* another process's memory: abi's canary */
    assert_int_equal(abi.faults[0].exception, 4);
    assert_int_equal(abi.faults[0].cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(abi.faults[0].mmfar, abi_addr + offsetof(struct os_abi_results, canary));
    assert_true(abi.faults[0].pc >= 0x08000000u && abi.faults[0].pc < 0x08080000u);
    assert_int_equal(abi.faults[0].stack_overflow, 0);
    /* the kernel's */
    assert_int_equal(abi.faults[1].cfsr & 0xFFu, CFSR_DACCVIOL | CFSR_MMARVALID);
    assert_int_equal(abi.faults[1].mmfar, abi.kernel_addr);
    assert_int_equal(abi.faults[1].stack_overflow, 0);
    /* pushes into the guard: the fault handler's own frame cannot be
     * stacked either, so it escalates (HardFault, MSTKERR beside DACCVIOL) */
    assert_int_equal(abi.faults[2].stack_overflow, 1);
    assert_true(abi.faults[2].cfsr & CFSR_DACCVIOL);
    assert_int_equal(abi.faults[2].mmfar & 0x3FFu, abi.faults[2].mmfar & 0x1Fu); /* inside the 32-byte guard */
    /* an SVC whose frame would land in the guard: MSTKERR */
    assert_int_equal(abi.faults[3].exception, 4);
    assert_int_equal(abi.faults[3].stack_overflow, 1);
    assert_int_equal(abi.faults[3].cfsr & 0xFFu, CFSR_MSTKERR);
    /* reported on the console */
    assert_int_equal(count_of(console, "kernel: pid 3 (intruder) "), 4);
    assert_int_equal(count_of(console, "stack overflow"), 2);
    assert_int_equal(count_of(console, "killed, restarted"), 4);
}

/* Equal priorities share the CPU in slices; FP registers survive switches. */
static void test_time_slices(void **state)
{
    (void)state;
    print_message("spin_a %u spin_b %u\n", spin_a.count, spin_b.count);
    assert_true(spin_a.count > 0x20000u && spin_b.count > 0x20000u);
    double ratio = (double)spin_a.count / spin_b.count;
    assert_true(ratio > 0.8 && ratio < 1.25);
    assert_int_equal(spin_a.fp_errors, 0);
    assert_int_equal(spin_b.fp_errors, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abi),         cmocka_unit_test(test_efault),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fd_exhaustion), cmocka_unit_test(test_nodes),  cmocka_unit_test(test_oled_frame),
        cmocka_unit_test(test_blocking),    cmocka_unit_test(test_isolation), cmocka_unit_test(test_time_slices),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
