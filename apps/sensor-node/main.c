/*
 * The sensor node image (issue 16, docs/sensor-node.md): quartz's kernel
 * layer (kernel/sys) with four processes:
 *
 *   netd     kernel worker: W5500, DHCP, MQTT, the backup-SRAM ring (netd.c)
 *   sensord  kernel worker: the BME280 behind /dev/temp0.. (kernel/sys/dev_sensor.c)
 *   app      process: sampling, OLED pages, B1, LED, commands (app.c)
 *   console  process: the shell on /dev/console (console.c)
 *
 * TIM2 counts milliseconds from here on (1 kHz update interrupt,
 * quartz/hal/timer.h): the run report's missed-tick count is taken on it.
 */
#include "config.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/timer.h"
#include "quartz/kernel/proc.h"

extern const struct sys_proc_desc netd_proc, app_proc, console_proc;

const struct sys_proc_desc *const sys_procs[] = { &netd_proc, &sys_sensor_worker, &app_proc, &console_proc };
const unsigned sys_proc_count = sizeof sys_procs / sizeof sys_procs[0];

/* The board's defaults, until `save` keeps others in flash: quartz-sim's
 * gateway (the host) on the MQTT port, anonymous, a reading every 10 s. */
const struct config node_defaults = {
    .broker_ip = { 10, 0, 2, 2 },
    .broker_port = 1883,
    .interval_s = 10,
    .user = "",
    .password = "",
    .name = "sensor-node",
};

int main(void)
{
    timer_ms_init();
    timer_ms_start();
    (void)serial_puts("quartz sensor-node: netd, sensord, app, console\r\n");
    sys_start();
}
