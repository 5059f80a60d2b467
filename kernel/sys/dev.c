/*
 * The /dev registry: every node the kernel has, as const data. To add a
 * node: write its ops (dev_*.c), declare them in dev.h, add a line here
 * (docs/os.md, "Adding a device node"). Index 0 is the console.
 */
#include "dev.h"

const struct sys_dev sys_devs[] = {
    { "/dev/console", &sys_dev_console_ops, &sys_console_wq },
    { "/dev/null", &sys_dev_null_ops, NULL },
    { "/dev/uptime", &sys_dev_uptime_ops, NULL },
    { "/dev/led0", &sys_dev_led_ops, NULL },
    { "/dev/button0", &sys_dev_button_ops, &sys_button_wq },
    { "/dev/oled0", &sys_dev_oled_ops, &sys_oled_wq },
    { "/dev/log0", &sys_dev_log_ops, NULL },
    { "/dev/dietemp0", &sys_dev_dietemp_ops, NULL },
    { "/dev/temp0", &sys_dev_temp_ops, &sys_sensor_wq },
    { "/dev/press0", &sys_dev_press_ops, &sys_sensor_wq },
    { "/dev/hum0", &sys_dev_hum_ops, &sys_sensor_wq },
    { "/dev", &sys_dev_dir_ops, NULL },
};
_Static_assert(sizeof sys_devs / sizeof sys_devs[0] <= SYS_DEV_MAX, "raise SYS_DEV_MAX (dev.h)");
const unsigned sys_dev_count = sizeof sys_devs / sizeof sys_devs[0];

/* An image may add nodes of its own kernel code (apps/sensor-node: the
 * network worker's nodes) as a second const table; weak references, so an
 * image without one has none (the addresses are 0). */
extern const struct sys_dev sys_image_devs[] __attribute__((weak));
extern const unsigned sys_image_dev_count __attribute__((weak));
extern void sys_image_devs_init(void) __attribute__((weak));

unsigned sys_dev_total(void)
{
    return sys_dev_count + (&sys_image_dev_count != NULL ? sys_image_dev_count : 0u);
}

const struct sys_dev *sys_dev_at(unsigned i)
{
    if (i < sys_dev_count)
        return &sys_devs[i];
    return i < sys_dev_total() ? &sys_image_devs[i - sys_dev_count] : NULL;
}

void sys_devs_init(void)
{
    sys_dev_console_init();
    sys_dev_button_init();
    sys_dev_oled_init();
    sys_dev_sensor_init();
    if (sys_image_devs_init != NULL)
        sys_image_devs_init();
}

void sys_poll_devices(void)
{
    sys_dev_console_poll();
}
