/*
 * Environment monitor (issue 13): a BME280 on I2C1 at 0x76, sharing the bus
 * with the SSD1306 at 0x3C (docs/hardware.md), and the MCU's die
 * temperature, both through the portable sensor interface (quartz/sensor.h).
 *
 * Once a second: a forced conversion at x1 oversampling (the datasheet's
 * lowest-power weather setting, 3.5.1), the die temperature, one CSV line
 * on the console (env.h: uptime_ms,t_mC,p_Pa,h_mpct,die_mC; a reading the
 * sensor did not give is an empty field), the OLED redrawn. B1 switches the
 * OLED between the readings and their minimum and maximum. When the BME280
 * stops answering, the console says so once ("# bme280: ...") and the OLED
 * shows it; sampling goes on and the readings come back with the sensor
 * (the driver finds and configures it again).
 *
 * Three tasks on the thread-mode async executor (kernel/async), which
 * sleeps in WFI whenever none is ready; the conversion time is slept too:
 *   sample  every second on the monotonic grid: start, await the
 *           measurement time (bme280_measure_time_us), read, log, draw
 *   button  awaits B1's falling edge (EXTI), changes page, debounces
 *   flush   awaits the end of each OLED flush
 * The tasks never preempt one another, so the state below needs no lock.
 * The bus: the OLED flushes without blocking (I2C interrupts) and the
 * BME280 driver's transfers block, so the sample task awaits the end of a
 * flush in flight before it touches the bus (`flushing`), and no flush
 * starts while it does (it does not yield in a transfer).
 */
#include <stdint.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/async_hal.h>
#include <quartz/kernel/mono.h>

#include "bme280/bme280.h"
#include "die_temp/die_temp.h"
#include "env.h"
#include "quartz/assert.h"
#include "quartz/board.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/serial.h"
#include "ssd1306/ssd1306.h"

#define MONO_PRIO 3          /* TIM5 alarm; any priority 1..15 serves one executor */
#define SAMPLE_PERIOD_MS 1000u
#define DEBOUNCE_MS 50u      /* B1 bounces for a few ms; presses are far slower */
#define OLED_POWERUP_MS 20u
#define OLED_INIT_TRIES 3u

static struct ssd1306 oled;
static struct ssd1306_config oled_cfg;
static struct gfx_canvas canvas;
static struct bme280 bme;
static struct bme280_config bme_cfg;
static struct die_temp die;

static struct env_sample last;
static struct env_stats stats;
static enum env_page page = ENV_PAGE_READINGS;
static bool sensor_ok = true; /* what the console and the OLED say about the BME280 */
static bool flushing, redraw;

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
static struct async_signal flush_done;
static struct async_edge button;
static void sample_poll(struct async_task *t);
static struct async_task sample_task = ASYNC_TASK_INIT(sample_poll);

static uint64_t ms_to_ticks(uint32_t ms)
{
    return (uint64_t)ms * mono_tick_hz() / 1000u;
}

static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    async_signal_raise(&flush_done, (uint32_t)status);
}

/* Start a flush of what changed, unless one is in flight (then its end
 * starts the next). A flush refused at its start leaves the frame dirty:
 * the next sample tries again. */
static void flush_kick(void)
{
    if (flushing || !redraw)
        return;
    redraw = false;
    if (ssd1306_flush_async(&oled, on_flushed, NULL) == 0)
        flushing = true;
}

static void show(void)
{
    env_draw(&canvas, page, &last, &stats, sensor_ok);
    redraw = true;
    flush_kick();
}

static void log_sensor(int rc)
{
    char line[64] = "# bme280: sensor back\r\n";
    if (rc < 0) {
        char e[12];
        fmt_u64(e, sizeof e, (uint64_t)(-(int64_t)rc));
        line[0] = '\0';
        size_t n = 0;
        const char *parts[] = { "# bme280: no answer (error -", e, "), sampling goes on\r\n" };
        for (unsigned i = 0; i < 3; i++)
            for (const char *p = parts[i]; *p && n + 1 < sizeof line; p++)
                line[n++] = *p;
        line[n] = '\0';
    }
    serial_puts(line);
}

static void get(struct sensor *s, enum sensor_channel chan, int32_t *dst, uint8_t bit)
{
    int32_t v;
    if (sensor_channel_get(s, chan, &v) == 0) {
        *dst = v;
        last.have |= bit;
    }
}

/* One sample taken (bme_rc: the BME280's result): log, keep, draw. */
static void sample_done(int bme_rc, uint64_t uptime_ms)
{
    last.uptime_ms = uptime_ms;
    last.have = 0;
    if (bme_rc == 0) {
        get(&bme.sensor, SENSOR_CHAN_AMBIENT_TEMP_MILLI_C, &last.t_mc, ENV_HAVE_T);
        get(&bme.sensor, SENSOR_CHAN_PRESS_PA, &last.p_pa, ENV_HAVE_P);
        get(&bme.sensor, SENSOR_CHAN_HUMIDITY_MILLI_PCT, &last.h_mpct, ENV_HAVE_H);
    }
    if (sensor_sample_fetch(&die.sensor) == 0)
        get(&die.sensor, SENSOR_CHAN_DIE_TEMP_MILLI_C, &last.die_mc, ENV_HAVE_DIE);
    if ((bme_rc == 0) != sensor_ok) { /* an outage starts or ends: one line each */
        sensor_ok = bme_rc == 0;
        log_sensor(bme_rc);
    }
    char line[ENV_CSV_MAX];
    env_csv(line, sizeof line, &last);
    serial_puts(line);
    env_stats_add(&stats, &last);
    show();
}

static void sample_poll(struct async_task *t)
{
    static uint64_t at, started_ms;
    static int rc;
    ASYNC_BEGIN(t);
    at = mono_now();
    for (;;) {
        started_ms = clock_uptime_ms(); /* the CSV's time: the grid point, not the end */
        ASYNC_AWAIT_ARMED(t, (void)0, !flushing); /* the bus is ours until the next await */
        rc = bme280_start(&bme);
        if (rc == 0) {
            ASYNC_AWAIT_AFTER(t, (uint64_t)bme280_measure_time_us(&bme.settings) * mono_tick_hz() / 1000000u);
            ASYNC_AWAIT_ARMED(t, (void)0, !flushing);
            rc = bme280_read(&bme);
        }
        sample_done(rc, started_ms);
        at += ms_to_ticks(SAMPLE_PERIOD_MS);
        ASYNC_AWAIT_UNTIL(t, at);
    }
    ASYNC_END(t);
}

static void button_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_EDGE(t, &button);
        page = (enum env_page)((page + 1) % ENV_PAGES);
        show();
        ASYNC_AWAIT_AFTER(t, ms_to_ticks(DEBOUNCE_MS));
        (void)async_signal_take_(&button.sig, t, NULL); /* the bounces of this press */
    }
    ASYNC_END(t);
}

static void flush_poll(struct async_task *t)
{
    static uint32_t status;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &flush_done, &status);
        flushing = false;
        flush_kick();
        if (!flushing)
            async_wake(&sample_task); /* it may be waiting for the bus */
    }
    ASYNC_END(t);
}

static struct async_task button_task = ASYNC_TASK_INIT(button_poll);
static struct async_task flush_task = ASYNC_TASK_INIT(flush_poll);

int main(void)
{
    serial_puts("# env-monitor: BME280 at I2C1 0x76, die temperature, one sample a second\r\n");
    serial_puts(ENV_CSV_HEADER "\r\n");

    oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, OLED_POWERUP_MS,
                                        OLED_INIT_TRIES };
    ssd1306_setup(&oled, &oled_cfg);
    canvas = ssd1306_canvas(&oled);
    env_stats_init(&stats);
    env_draw(&canvas, page, &last, &stats, sensor_ok);
    if (ssd1306_init(&oled) < 0) /* retried by every flush */
        serial_puts("# oled: no answer\r\n");

    bme_cfg = (struct bme280_config){
        .io = &bme280_io_i2c,
        .i2c = board_display_bus(), /* the same I2C1 */
        .i2c_addr = BME280_I2C_ADDR_PRIMARY,
        .settings = { BME280_OS_X1, BME280_OS_X1, BME280_OS_X1, BME280_FILTER_OFF,
                      BME280_STANDBY_1000_MS, BME280_MODE_FORCED },
    };
    bme280_setup(&bme, &bme_cfg);
    if (die_temp_init(&die) < 0)
        serial_puts("# die temperature: ADC did not start\r\n");

    int edge_rc = async_edge_init(&button, board_button, GPIO_EDGE_FALLING);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */
    int mono_rc = mono_init(MONO_PRIO);
    QUARTZ_ASSERT(mono_rc == 0); /* only a clock plan TIM5 cannot divide to 1 MHz: a bug */
    async_spawn(&ex, &sample_task);
    async_spawn(&ex, &button_task);
    async_spawn(&ex, &flush_task);
    async_run(&ex);
}
