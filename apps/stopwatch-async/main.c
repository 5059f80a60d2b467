/*
 * The stopwatch of seeds/004 on the Embassy-style executor (kernel/async):
 * the same behaviour, console log and OLED as apps/stopwatch, from the same
 * portable core (apps/stopwatch/core), as three tasks on one thread-mode
 * executor. They never preempt one another, so the ui state below needs no
 * lock; interrupts reach them only through a GPIO-edge signal and the
 * display-flush signal. The executor sleeps in WFI when nothing is woken.
 *
 *   button  awaits a falling edge of B1: debounce, start/stop the
 *           millisecond timer, log, light LD2
 *   tick    every 10 ms (previous release + period): button sampling,
 *           refresh while running, display retry
 *   flush   awaits the end of each display flush
 */
#include <stdbool.h>
#include <stdint.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/async_hal.h>
#include <quartz/kernel/mono.h>

#include "debounce.h"
#include "log.h"
#include "quartz/assert.h"
#include "messages.h"
#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/timer.h"
#include "ssd1306/ssd1306.h"
#include "stopwatch.h"
#include "view.h"

#define REFRESH_MS 40u  /* while running, as apps/stopwatch */
#define RETRY_MS 500u   /* display unplugged while not running */
#define SAMPLE_MS 10u   /* button level samples for the debounce re-arm */
#define POWERUP_MS 20u  /* SSD1306 module reset RC and charge pump start */
#define TICK_US 10000u  /* the tick task's period */
#define MONO_PRIO 3     /* TIM5 alarm; any priority 1..15 serves one executor */

static struct ssd1306 oled;
static struct ssd1306_config oled_cfg;
static struct gfx_canvas canvas;

/* Owned by the executor's tasks. */
static struct stopwatch sw;
static struct debounce button;
static uint32_t final_count;
static struct view view;
static bool display_up, flushing, redraw;
static uint64_t next_refresh, next_sample, next_retry;

static struct async_executor ex = ASYNC_EXECUTOR_THREAD;
static struct async_edge b1_edge;
static struct async_signal flush_done;

static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    async_signal_raise(&flush_done, (uint32_t)status);
}

static uint64_t elapsed_now(void)
{
    uint32_t count = sw.state == SW_RUNNING ? timer_ms_count() : final_count;
    return sw_elapsed(&sw, count);
}

/* The tail of apps/stopwatch's main loop: refresh, retry, redraw. */
static void ui_step(uint64_t now)
{
    if (sw.state == SW_RUNNING && now >= next_refresh)
        redraw = true;
    if (!display_up && sw.state != SW_RUNNING && now >= next_retry) {
        next_retry = now + RETRY_MS;
        redraw = true;
    }
    if (redraw && !flushing) {
        redraw = false;
        next_refresh = now + REFRESH_MS;
        view_update(&view, &canvas, sw.state, elapsed_now());
        int rc = ssd1306_flush_async(&oled, on_flushed, NULL);
        if (rc == 0)
            flushing = true;
        else if (rc < 0)
            display_up = false;
    }
}

static void button_poll(struct async_task *t)
{
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_EDGE(t, &b1_edge);
        if (!debounce_edge(&button, clock_uptime_ms()))
            continue;
        switch (sw_press(&sw)) {
        case SW_START:
            timer_ms_start();
            gpio_write(board_led, true);
            log_line(MSG_RUNNING);
            redraw = true;
            break;
        case SW_STOP: {
            final_count = timer_ms_stop();
            gpio_write(board_led, false);
            char line[MSG_LINE_MAX];
            if (msg_stopped(line, sizeof line, elapsed_now()) > 0)
                serial_puts(line);
            redraw = true;
            break;
        }
        default:
            break;
        }
        ui_step(clock_uptime_ms());
    }
    ASYNC_END(t);
}

static void flush_poll(struct async_task *t)
{
    static uint32_t status;
    ASYNC_BEGIN(t);
    for (;;) {
        ASYNC_AWAIT_SIGNAL(t, &flush_done, &status);
        int rc = (int)status;
        flushing = false;
        if (rc < 0 && display_up)
            log_error(MSG_DISPLAY_DOWN, rc);
        else if (rc == 0 && !display_up)
            log_line(MSG_DISPLAY_UP);
        display_up = rc == 0;
        ui_step(clock_uptime_ms());
    }
    ASYNC_END(t);
}

static void tick_poll(struct async_task *t)
{
    static uint64_t release;
    ASYNC_BEGIN(t);
    release = mono_now();
    for (;;) {
        uint64_t now = clock_uptime_ms();
        if (now >= next_sample) {
            next_sample = now + SAMPLE_MS;
            debounce_sample(&button, now, !gpio_read(board_button));
        }
        ui_step(now);
        release += TICK_US;
        ASYNC_AWAIT_UNTIL(t, release);
    }
    ASYNC_END(t);
}

static struct async_task button_task = ASYNC_TASK_INIT(button_poll);
static struct async_task flush_task = ASYNC_TASK_INIT(flush_poll);
static struct async_task tick_task = ASYNC_TASK_INIT(tick_poll);

int main(void)
{
    sw_init(&sw);
    debounce_init(&button);
    log_line(MSG_BANNER);

    timer_ms_init();
    int edge_rc = async_edge_init(&b1_edge, board_button, GPIO_EDGE_FALLING);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */

    oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, POWERUP_MS, 3 };
    ssd1306_setup(&oled, &oled_cfg);
    canvas = ssd1306_canvas(&oled);
    view_draw(&canvas, SW_READY, 0);
    int rc = ssd1306_init(&oled); /* GDDRAM gets this frame before display-on */
    display_up = rc == 0;
    if (!display_up)
        log_error(MSG_DISPLAY_DOWN, rc);
    log_line(MSG_READY);
    view_init(&view);
    redraw = true;

    int mono_rc = mono_init(MONO_PRIO);
    QUARTZ_ASSERT(mono_rc == 0); /* only a clock plan TIM5 cannot divide to 1 MHz: a bug */
    async_spawn(&ex, &button_task);
    async_spawn(&ex, &flush_task);
    async_spawn(&ex, &tick_task);
    async_run(&ex);
}
