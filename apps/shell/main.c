/*
 * The shell image: quartz's kernel layer (kernel/sys, docs/os.md) with
 * three processes: the shell on /dev/console, the sampler writing
 * /dev/log0 once a second, and the crash demo; and the kernel's sensor
 * worker behind /dev/temp0, /dev/press0, /dev/hum0. board_init() has run
 * (clocks, pins, console); the kernel takes over from here.
 */
#include "procs.h"
#include "quartz/hal/serial.h"

const struct sys_proc_desc *const sys_procs[] = { &shell_proc, &sampler_proc, &crash_proc, &sys_sensor_worker };
const unsigned sys_proc_count = sizeof sys_procs / sizeof sys_procs[0];

int main(void)
{
    (void)serial_puts("quartz: kernel starting 3 processes and the sensor worker\r\n");
    sys_start();
}
