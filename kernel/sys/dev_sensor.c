/*
 * /dev/temp0, /dev/press0, /dev/hum0: the BME280 (drivers/bme280, on I2C1
 * at 0x76 beside the SSD1306) through the portable sensor interface
 * (quartz/sensor.h). A read gives "21.53\n" (C), "1013.25\n" (hPa) or
 * "45.20\n" (%RH) from a sample at most SAMPLE_MAX_AGE_MS old, or a
 * negative errno (-ENXIO: no sensor answers).
 *
 * The driver's transfers block and must run in thread mode (the I2C HAL
 * refuses a blocking transfer from a handler, and a syscall runs in the
 * SVC handler). So samples are taken by the sensor worker: a kernel
 * process (SYS_PROC_KERNEL: privileged, thread mode, its own stack) that
 * sleeps until a reader wants a sample, waits for a flush of the OLED in
 * flight (the same bus), starts a forced conversion, sleeps through the
 * measurement time, reads, and wakes the readers, whose read runs again.
 * An image that lists no worker in sys_procs gets -ENODEV.
 */
#include <errno.h>
#include <string.h>

#include "bme280/bme280.h"
#include "dev.h"
#include "quartz/board.h"
#include "quartz/cpu.h"
#include "quartz/fmt.h"
#include "quartz/sensor.h"

#define SAMPLE_MAX_AGE_MS 500u
#define WORKER_STACK 1024u

struct sys_waitq sys_sensor_wq;   /* readers waiting for a sample */
static struct sys_waitq worker_wq; /* the worker waiting for a reader */

static struct bme280 bme;
static struct bme280_config bme_cfg;
static bool want;          /* a reader waits for a sample */
static bool have;          /* a sample (or its error) was taken */
static uint32_t sample_ms; /* when */
static int sample_rc;
static int32_t value[3];   /* mC, Pa, m%RH */

struct worker {
    uint8_t stack[WORKER_STACK];
};
SYS_PROC_RAM(struct worker, worker_ram, 2048);

static bool wanted(void *ctx)
{
    (void)ctx;
    return want;
}

static bool bus_free(void *ctx)
{
    (void)ctx;
    return !sys_oled_busy();
}

static int take_sample(void)
{
    sys_kwait(&sys_oled_wq, bus_free, NULL);
    int rc = bme280_start(&bme);
    if (rc == 0) {
        sys_ksleep_us(bme280_measure_time_us(&bme.settings));
        sys_kwait(&sys_oled_wq, bus_free, NULL);
        rc = bme280_read(&bme);
    }
    static const enum sensor_channel chans[3] = {
        SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, SENSOR_CHAN_PRESS_PA, SENSOR_CHAN_HUMIDITY_MILLI_PCT,
    };
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = sensor_channel_get(&bme.sensor, chans[i], &value[i]);
    return rc;
}

static void worker_main(uint32_t starts)
{
    (void)starts;
    for (;;) {
        sys_kwait(&worker_wq, wanted, NULL);
        int rc = take_sample();
        uint32_t key = cpu_irq_lock();
        sample_rc = rc;
        sample_ms = sys_ms();
        have = true;
        want = false;
        cpu_irq_unlock(key);
        sys_wake_all(&sys_sensor_wq);
    }
}

const struct sys_proc_desc sys_sensor_worker = {
    .name = "sensord",
    .entry = worker_main,
    .ram = &worker_ram,
    .ram_size = sizeof worker_ram,
    .stack_size = WORKER_STACK,
    .prio = SYS_PRIO_MAX,
    .flags = SYS_PROC_KERNEL | SYS_PROC_RESTART,
};

void sys_dev_sensor_init(void)
{
    bme_cfg = (struct bme280_config){
        .io = &bme280_io_i2c,
        .i2c = board_display_bus(), /* I2C1, with the OLED */
        .i2c_addr = BME280_I2C_ADDR_PRIMARY,
        .settings = { BME280_OS_X1, BME280_OS_X1, BME280_OS_X1, BME280_FILTER_OFF, BME280_STANDBY_1000_MS,
                      BME280_MODE_FORCED },
    };
    bme280_setup(&bme, &bme_cfg); /* found and configured by the first sample */
}

static bool worker_listed(void)
{
    for (unsigned i = 0; i < sys_proc_count; i++)
        if (sys_procs[i] == &sys_sensor_worker)
            return true;
    return false;
}

/* "value / div" with two decimals: 21530 mC, 10 -> "21.53" */
static size_t fixed2(char *buf, int32_t v, int32_t div)
{
    size_t n = 0;
    uint32_t mag = (uint32_t)(v < 0 ? -v : v) / (uint32_t)div;
    if (v < 0)
        buf[n++] = '-';
    n += fmt_u64(buf + n, 12, mag / 100u);
    buf[n++] = '.';
    buf[n++] = (char)('0' + mag / 10u % 10u);
    buf[n++] = (char)('0' + mag % 10u);
    buf[n++] = '\n';
    return n;
}

static int sensor_read(struct sys_file *f, uint8_t *buf, size_t len, unsigned which)
{
    if (f->pos != 0)
        return 0;
    if (!worker_listed())
        return -ENODEV;
    uint32_t key = cpu_irq_lock();
    bool fresh = have && sys_ms() - sample_ms <= SAMPLE_MAX_AGE_MS;
    if (!fresh)
        want = true;
    cpu_irq_unlock(key);
    if (!fresh) {
        sys_wake_all(&worker_wq);
        return -EAGAIN; /* on sys_sensor_wq until the worker has taken it */
    }
    if (sample_rc < 0)
        return sample_rc;
    static const int32_t div[3] = { 10, 1, 10 }; /* to 0.01 C, 0.01 hPa, 0.01 %RH */
    char text[20];
    size_t n = fixed2(text, value[which], div[which]);
    return sys_dev_text(f, buf, len, text, n);
}

static int temp_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    return sensor_read(f, buf, len, 0);
}

static int press_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    return sensor_read(f, buf, len, 1);
}

static int hum_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    return sensor_read(f, buf, len, 2);
}

const struct sys_dev_ops sys_dev_temp_ops = { .read = temp_read };
const struct sys_dev_ops sys_dev_press_ops = { .read = press_read };
const struct sys_dev_ops sys_dev_hum_ops = { .read = hum_read };
