/*
 * The stopwatch of seeds/004 on the Nucleo-F446RE: interrupt handlers and
 * the main loop around the portable logic in core/ (shared with the
 * RTIC-style and async variants).
 *
 * Shared state -- one mechanism. Everything the interrupt handlers and the
 * main loop both touch lives in `shared`. The handlers (button edge, I2C
 * completion) run at the HAL's single interrupt priority and never preempt
 * each other (quartz/hal/cpu.h), so inside a handler `shared` is theirs;
 * the main loop touches it only between cpu_irq_lock() and
 * cpu_irq_unlock(), and holds the lock for a few dozen cycles.
 *
 * Timing: the button handler starts and stops the millisecond timer at the
 * first edge of a press (core/debounce.h); the timer's own handler only
 * counts. The main loop logs, lights LD2, and redraws every REFRESH_MS
 * while running with a non-blocking flush of the changed digits; between
 * these it sleeps in WFI.
 */
#include <stdbool.h>
#include <stdint.h>

#include "debounce.h"
#include "log.h"
#include "quartz/assert.h"
#include "messages.h"
#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/timer.h"
#include "ssd1306/ssd1306.h"
#include "stopwatch.h"
#include "view.h"

#define REFRESH_MS 40u  /* while running; the bus time per refresh is a few ms */
#define RETRY_MS 500u   /* display unplugged while not running: try again this often */
#define SAMPLE_MS 10u   /* button level samples for the debounce re-arm */
#define POWERUP_MS 20u  /* SSD1306 module reset RC and charge pump start */

#define EV_STARTED 0x1u
#define EV_STOPPED 0x2u
#define EV_FLUSHED 0x4u

static struct {
    struct stopwatch sw;
    struct debounce button;
    uint32_t final_count; /* ms at the stop, from the timer's phase */
    uint32_t events;      /* EV_* for the main loop */
    int flush_status;
} shared;

static struct ssd1306 oled;
static struct ssd1306_config oled_cfg;

/* EXTI handler: act on the first edge of a press, at once. */
static void on_button(void *ctx)
{
    (void)ctx;
    if (!debounce_edge(&shared.button, clock_uptime_ms()))
        return;
    switch (sw_press(&shared.sw)) {
    case SW_START:
        timer_ms_start();
        shared.events |= EV_STARTED;
        cpu_wake();
        break;
    case SW_STOP:
        shared.final_count = timer_ms_stop();
        shared.events |= EV_STOPPED;
        cpu_wake();
        break;
    default:
        break;
    }
}

/* I2C completion of the last transaction of a display flush. */
static void on_flushed(void *ctx, int status)
{
    (void)ctx;
    shared.flush_status = status;
    shared.events |= EV_FLUSHED;
    cpu_wake();
}

struct snapshot {
    uint32_t events;
    enum sw_state state;
    uint64_t elapsed;
    int flush_status;
};

/*
 * Sleep until an event or the next system tick; take what the handlers left.
 * The millisecond ticks and the I2C byte interrupts of a flush do not wake
 * this loop (cpu_sleep_until_woken_locked): only the handlers above and the
 * system tick do.
 */
static struct snapshot wait_and_take(uint64_t *now)
{
    struct snapshot s;
    uint64_t before = *now;
    uint32_t key = cpu_irq_lock();
    while (shared.events == 0 && (*now = clock_uptime_ms()) == before) {
        cpu_sleep_until_woken_locked();
        cpu_irq_unlock(key); /* the pending handlers run here, until one wakes us */
        key = cpu_irq_lock();
    }
    cpu_wake(); /* done waiting: the thread runs on after every handler */
    *now = clock_uptime_ms();
    s.events = shared.events;
    shared.events = 0;
    s.state = shared.sw.state;
    uint32_t count = s.state == SW_RUNNING ? timer_ms_count() : shared.final_count;
    s.elapsed = sw_elapsed(&shared.sw, count);
    s.flush_status = shared.flush_status;
    cpu_irq_unlock(key);
    return s;
}

static void sample_button(uint64_t now)
{
    bool pressed = !gpio_read(board_button);
    uint32_t key = cpu_irq_lock();
    debounce_sample(&shared.button, now, pressed);
    cpu_irq_unlock(key);
}

int main(void)
{
    sw_init(&shared.sw);
    debounce_init(&shared.button);
    log_line(MSG_BANNER);

    timer_ms_init();
    int edge_rc = gpio_irq_enable(board_button, GPIO_EDGE_FALLING, on_button, NULL);
    QUARTZ_ASSERT(edge_rc == 0); /* B1's EXTI line is free: a taken one is a bug */

    oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, POWERUP_MS, 3 };
    ssd1306_setup(&oled, &oled_cfg);
    struct gfx_canvas canvas = ssd1306_canvas(&oled);
    view_draw(&canvas, SW_READY, 0);
    int rc = ssd1306_init(&oled); /* GDDRAM gets this frame before display-on */
    bool display_up = rc == 0;
    if (!display_up)
        log_error(MSG_DISPLAY_DOWN, rc);
    log_line(MSG_READY);

    struct view view;
    view_init(&view);
    bool flushing = false, redraw = true;
    uint64_t now = 0, next_refresh = 0, next_sample = 0, next_retry = 0;
    for (;;) {
        struct snapshot s = wait_and_take(&now);

        if (s.events & EV_STARTED) {
            gpio_write(board_led, true);
            log_line(MSG_RUNNING);
            redraw = true;
        }
        if (s.events & EV_STOPPED) {
            gpio_write(board_led, false);
            char line[MSG_LINE_MAX];
            if (msg_stopped(line, sizeof line, s.elapsed) > 0)
                serial_puts(line);
            redraw = true;
        }
        if (s.events & EV_FLUSHED) {
            flushing = false;
            if (s.flush_status < 0 && display_up)
                log_error(MSG_DISPLAY_DOWN, s.flush_status);
            else if (s.flush_status == 0 && !display_up)
                log_line(MSG_DISPLAY_UP);
            display_up = s.flush_status == 0;
        }
        if (now >= next_sample) {
            next_sample = now + SAMPLE_MS;
            sample_button(now);
        }
        if (s.state == SW_RUNNING && now >= next_refresh)
            redraw = true;
        if (!display_up && s.state != SW_RUNNING && now >= next_retry) {
            next_retry = now + RETRY_MS;
            redraw = true;
        }
        if (redraw && !flushing) {
            redraw = false;
            next_refresh = now + REFRESH_MS;
            view_update(&view, &canvas, s.state, s.elapsed);
            rc = ssd1306_flush_async(&oled, on_flushed, NULL);
            if (rc == 0)
                flushing = true;
            else if (rc < 0)
                display_up = false;
        }
    }
}
