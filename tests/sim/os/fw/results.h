/*
 * What the os-test image's processes leave in their RAM regions for
 * test_os.c: each block starts with two magic words (sim_results.h).
 */
#ifndef OS_RESULTS_H
#define OS_RESULTS_H

#include <stdint.h>

#define OS_MAGIC0 0x05CA11ED
#define OS_ABI_MAGIC1 0x0000AB10
#define OS_SPIN_MAGIC1 0x00005B1A /* + 0 for spin_a, + 1 for spin_b */

#define OS_FAULTS 4

struct os_fault {
    uint32_t pid, pc, cfsr, mmfar, exception, stack_overflow, restarted;
};

struct os_abi_results {
    uint32_t magic0, magic1;
    int32_t getpid, null_rc, nosys, enosys;
    uint32_t uptime0, uptime1;
    /* -EFAULT cases */
    int32_t read_null, read_kernel, read_other, read_straddle, read_wrap, read_guard, read_flash;
    int32_t write_null, write_kernel, write_other, write_flash_ok;
    int32_t open_null, open_kernel, open_unterminated, info_kernel;
    /* other errors */
    int32_t badf_neg, badf_unopened, badf_close, enotty, einval_contrast, einval_led, enoent, eacces_uptime,
        eacces_button, einval_flags;
    int32_t fds_opened, emfile, closes_ok;
    /* nodes */
    int32_t null_read, null_write, uptime_len;
    uint32_t uptime_value, uptime_now;
    int32_t led_on_rc, led_read_on, led_off_rc, led_read_off;
    int32_t console_rc;
    int32_t oled_seek, oled_write, oled_flush, oled_readback_ok, oled_contrast, oled_invert, oled_invert_off,
        oled_power, oled_past_end;
    int32_t dietemp_len;
    int32_t dietemp_centi;
    int32_t log_write, log_read, log_found;
    int32_t dir_has_oled;
    int32_t temp_no_worker; /* /dev/temp0 in an image without the sensor worker */
    /* blocking and time */
    int32_t button_nonblock, poll_timeout_rc;
    uint32_t poll_waited_ms;
    int32_t button_read_rc, button_pressed;
    uint32_t button_ms, button_blocked_from, button_blocked_until;
    int32_t release_rc, release_pressed;
    uint32_t sleep_elapsed_ms;
    /* isolation */
    uint32_t canary;
    int32_t fault_count;
    struct os_fault faults[OS_FAULTS]; /* oldest first */
    int32_t fault_none; /* sys_fault_info past the last: -ENOENT */
    uint32_t peer_ram, kernel_addr;
    uint32_t done;
};

struct os_spin_results {
    uint32_t magic0, magic1;
    uint32_t count;
    uint32_t fp_errors; /* its float sums went wrong across switches */
    uint32_t switches;  /* times it saw its count jump (preempted) */
};

#endif
