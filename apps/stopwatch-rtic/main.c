/*
 * The stopwatch of seeds/004 on the RTIC-style scheduler (kernel/sched):
 * the same behaviour, console log and OLED as apps/stopwatch, from the same
 * portable core (apps/stopwatch/core), arranged as tasks and resources
 * (app.h) instead of a main loop. Idle sleeps in WFI.
 */
#include <stdbool.h>
#include <stdint.h>

#define SCHED_APP_IMPL
#include "app.h"

#include <quartz/kernel/mono.h>

#include "log.h"
#include "quartz/assert.h"
#include "messages.h"
#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/timer.h"
#include "ssd1306/ssd1306.h"

#define REFRESH_MS 40u  /* while running, as apps/stopwatch */
#define RETRY_MS 500u   /* display unplugged while not running */
#define SAMPLE_MS 10u   /* button level samples for the debounce re-arm */
#define POWERUP_MS 20u  /* SSD1306 module reset RC and charge pump start */
#define TICK_US 10000u  /* the tick task's period */

static struct ssd1306 oled;
static struct ssd1306_config oled_cfg;
static struct gfx_canvas canvas;

/* ---- priority 8: HAL callbacks ------------------------------------------ */
static void on_button(void *arg)
{
    struct sched_ctx_button *ctx = SCHED_EXT_CTX(button);
    (void)arg;
    enum sw_action action = SW_NONE;
    sched_lock(ctx, input, in) { /* at the ceiling already: no code */
        if (!debounce_edge(&in->button, clock_uptime_ms()))
            break;
        action = sw_press(&in->sw);
        if (action == SW_START)
            timer_ms_start();
        else if (action == SW_STOP)
            in->final_count = timer_ms_stop();
    }
    int rc = 0;
    if (action == SW_START)
        rc = sched_spawn(ctx, event, ((app_event){APP_EV_STARTED, 0}));
    else if (action == SW_STOP)
        rc = sched_spawn(ctx, event, ((app_event){APP_EV_STOPPED, 0}));
    QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
}

static void on_flushed(void *arg, int status)
{
    struct sched_ctx_flushed *ctx = SCHED_EXT_CTX(flushed);
    (void)arg;
    int rc = sched_spawn(ctx, event, ((app_event){APP_EV_FLUSHED, status}));
    QUARTZ_ASSERT(rc == 0); /* -ENOSPC: app.h sized the event queue too small */
}

/* ---- priority 2: the ui, as the main loop of apps/stopwatch ------------- */
struct snapshot {
    enum sw_state state;
    uint64_t elapsed;
};

static struct snapshot take(struct app_input *in)
{
    struct snapshot s;
    s.state = in->sw.state;
    uint32_t count = s.state == SW_RUNNING ? timer_ms_count() : in->final_count;
    s.elapsed = sw_elapsed(&in->sw, count);
    return s;
}

/* Periodic work and the redraw, for both tasks (same priority: one runs at a time). */
static void ui_step(struct app_ui *ui, struct snapshot s, uint64_t now)
{
    if (s.state == SW_RUNNING && now >= ui->next_refresh)
        ui->redraw = true;
    if (!ui->display_up && s.state != SW_RUNNING && now >= ui->next_retry) {
        ui->next_retry = now + RETRY_MS;
        ui->redraw = true;
    }
    if (ui->redraw && !ui->flushing) {
        ui->redraw = false;
        ui->next_refresh = now + REFRESH_MS;
        view_update(&ui->view, &canvas, s.state, s.elapsed);
        int rc = ssd1306_flush_async(&oled, on_flushed, NULL);
        if (rc == 0)
            ui->flushing = true;
        else if (rc < 0)
            ui->display_up = false;
    }
}

SCHED_SW_TASK(event, ev)
{
    struct snapshot s = {SW_READY, 0};
    sched_lock(ctx, input, in) {
        s = take(in);
    }
    sched_lock(ctx, ui, ui) {
        switch (ev.kind) {
        case APP_EV_STARTED:
            gpio_write(board_led, true);
            log_line(MSG_RUNNING);
            ui->redraw = true;
            break;
        case APP_EV_STOPPED: {
            gpio_write(board_led, false);
            char line[MSG_LINE_MAX];
            if (msg_stopped(line, sizeof line, s.elapsed) > 0)
                serial_puts(line);
            ui->redraw = true;
            break;
        }
        case APP_EV_FLUSHED:
            ui->flushing = false;
            if (ev.status < 0 && ui->display_up)
                log_error(MSG_DISPLAY_DOWN, ev.status);
            else if (ev.status == 0 && !ui->display_up)
                log_line(MSG_DISPLAY_UP);
            ui->display_up = ev.status == 0;
            break;
        }
        ui_step(ui, s, clock_uptime_ms());
    }
}

SCHED_SW_TASK(tick, release)
{
    uint64_t now = clock_uptime_ms();
    struct snapshot s = {SW_READY, 0};
    bool sample = false;
    sched_lock(ctx, ui, ui) {
        if (now >= ui->next_sample) {
            ui->next_sample = now + SAMPLE_MS;
            sample = true;
        }
    }
    bool pressed = sample && !gpio_read(board_button);
    sched_lock(ctx, input, in) {
        if (sample)
            debounce_sample(&in->button, now, pressed);
        s = take(in);
    }
    sched_lock(ctx, ui, ui) {
        ui_step(ui, s, now);
    }
    int rc = sched_spawn_at(ctx, tick, release + TICK_US, release + TICK_US);
    QUARTZ_ASSERT(rc == 0); /* its one slot is free: this instance is running */
}

int main(void)
{
    struct sched_ctx_init *ctx = SCHED_INIT_CTX;
    sw_init(&sched_res_input.sw);
    debounce_init(&sched_res_input.button);
    log_line(MSG_BANNER);

    timer_ms_init();

    /* The display's power-up is blocking and needs the I2C interrupts:
     * before sched_init masks them. */
    oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, POWERUP_MS, 3 };
    ssd1306_setup(&oled, &oled_cfg);
    canvas = ssd1306_canvas(&oled);
    view_draw(&canvas, SW_READY, 0);
    int rc = ssd1306_init(&oled);
    sched_res_ui.display_up = rc == 0;
    if (rc != 0)
        log_error(MSG_DISPLAY_DOWN, rc);
    log_line(MSG_READY);
    view_init(&sched_res_ui.view);
    sched_res_ui.redraw = true;

    sched_init();
    int mono_rc = mono_init(APP_MONO_PRIO);
    QUARTZ_ASSERT(mono_rc == 0); /* only a clock plan TIM5 cannot divide to 1 MHz: a bug */
    int edge_rc = gpio_irq_enable(board_button, GPIO_EDGE_FALLING, on_button, NULL);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */
    int tick_rc = sched_spawn_at(ctx, tick, mono_now(), mono_now());
    QUARTZ_ASSERT(tick_rc == 0);
    sched_start();
    sched_idle();
}
