/* The device nodes of the registry (dev.c). */
#ifndef SYS_DEV_H
#define SYS_DEV_H

#include "sys_impl.h"

#define SYS_DEV_MAX 24u /* both tables together (the `ls /dev` text) */

extern const struct sys_dev_ops sys_dev_dir_ops, sys_dev_console_ops, sys_dev_null_ops, sys_dev_uptime_ops,
    sys_dev_led_ops, sys_dev_button_ops, sys_dev_oled_ops, sys_dev_log_ops, sys_dev_dietemp_ops,
    sys_dev_temp_ops, sys_dev_press_ops, sys_dev_hum_ops;
extern struct sys_waitq sys_console_wq, sys_button_wq, sys_oled_wq, sys_sensor_wq;

/* Thread mode, before the first process: what needs blocking bring-up. */
void sys_devs_init(void);
void sys_dev_button_init(void);
void sys_dev_oled_init(void);
void sys_dev_sensor_init(void);
/* A flush or command of the OLED is on the bus (I2C1, shared with the BME280). */
bool sys_oled_busy(void);
/* Move received console bytes in and wake a reader. */
void sys_dev_console_poll(void);
/* The console's receive hook (serial_on_receive): set when a byte came, so
 * an idle kernel polls the console only then (sched.c). */
void sys_dev_console_init(void);
extern volatile bool sys_console_rx_seen;

#endif
