#include "ui.h"

#include "log.h"
#include "messages.h"
#include "quartz/board.h"
#include "quartz/hal/gpio.h"

/* The one place a display result is judged: an outage is logged when it
 * starts and when it ends, never in between. */
static inline __attribute__((always_inline)) void display_result(struct ui *ui, int status)
{
    if (status < 0 && ui->display_up)
        log_error(MSG_DISPLAY_DOWN, status);
    else if (status == 0 && !ui->display_up)
        log_line(MSG_DISPLAY_UP);
    ui->display_up = status == 0;
}

void ui_start(struct ui *ui, ssd1306_done_fn flushed, void *ctx)
{
    log_line(MSG_BANNER);
    ui->oled_cfg = (struct ssd1306_config){ board_display_bus(), SSD1306_ADDR, UI_POWERUP_MS,
                                            UI_INIT_TRIES };
    ssd1306_setup(&ui->oled, &ui->oled_cfg);
    ui->canvas = ssd1306_canvas(&ui->oled);
    view_draw(&ui->canvas, SW_READY, 0);
    view_init(&ui->view);
    ui->flushed = flushed;
    ui->flushed_ctx = ctx;
    ui->shown = SW_READY;
    ui->flushing = false;
    ui->redraw = true;
    ui->next_refresh = ui->next_retry = ui->next_sample = 0;
    ui->display_up = true; /* so that a failed init is logged as the start of an outage */
    display_result(ui, ssd1306_init(&ui->oled)); /* GDDRAM gets this frame before display-on */
    log_line(MSG_READY);
}

void ui_flush_outcome_(struct ui *ui, int status)
{
    display_result(ui, status);
}

/* Log and LD2 catch up with the stopwatch: Ready -> Running -> Stopped. */
static inline __attribute__((always_inline)) void report(struct ui *ui, struct input_snapshot s)
{
    if (s.state == ui->shown)
        return;
    if (ui->shown == SW_READY) {
        gpio_write(board_led, true);
        log_line(MSG_RUNNING);
    }
    if (s.state == SW_STOPPED) {
        gpio_write(board_led, false);
        log_stopped(s.elapsed_ms);
    }
    ui->shown = s.state;
    ui->redraw = true;
}

__attribute__((optimize("O2"))) void ui_update(struct ui *ui, struct input_snapshot s, uint64_t now_ms)
{
    report(ui, s);
    if (s.state == SW_RUNNING && now_ms >= ui->next_refresh)
        ui->redraw = true;
    if (!ui->display_up && s.state != SW_RUNNING && now_ms >= ui->next_retry) {
        ui->next_retry = now_ms + UI_RETRY_MS;
        ui->redraw = true;
    }
    if (!ui->redraw || ui->flushing)
        return;
    ui->redraw = false;
    ui->next_refresh = now_ms + UI_REFRESH_MS;
    view_update(&ui->view, &ui->canvas, s.state, s.elapsed_ms);
    int rc = ssd1306_flush_async(&ui->oled, ui->flushed, ui->flushed_ctx);
    if (rc == 0)
        ui->flushing = true;
    else if (rc < 0)
        display_result(ui, rc); /* refused at the start: the frame stays dirty */
}
