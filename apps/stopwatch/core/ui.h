/*
 * The stopwatch's user-interface policy, written once for the three
 * variants: console log, LD2 and the OLED (bring-up, when to redraw, what a
 * flush result means). The variants only schedule it: they call ui_update()
 * after an input edge, at least every UI_SAMPLE_MS, and after ui_flushed().
 *
 * Everything shown follows from input snapshots: a press the log has not
 * reported yet (one taken during boot, or one whose notification a
 * scheduler dropped) is reported at the next ui_update().
 *
 * Display outages: the first failed flush logs MSG_DISPLAY_DOWN with its
 * error, whether the flush was refused at its start (ssd1306_flush_async()
 * < 0, e.g. -EBUSY: SDA held low) or failed on the bus (the completion's
 * status); the first good flush after that logs MSG_DISPLAY_UP. Nothing in
 * between, so every outage is two lines.
 *
 * Ownership: one context owns `struct ui` (the main loop, or the tasks of
 * one priority); the display's flush completion runs in interrupt context
 * and must only hand its status on to that context (ui_flushed()).
 */
#ifndef STOPWATCH_UI_H
#define STOPWATCH_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "input.h"
#include "quartz/gfx.h"
#include "ssd1306/ssd1306.h"
#include "view.h"

#define UI_REFRESH_MS 40u /* redraw while running; the bus time per refresh is a few ms */
#define UI_RETRY_MS 500u  /* display down while not running: try again this often */
#define UI_SAMPLE_MS 10u  /* button level samples for the debounce re-arm */
#define UI_POWERUP_MS 20u /* SSD1306 module reset RC and charge pump start */
#define UI_INIT_TRIES 3u

struct ui {
    struct ssd1306 oled;
    struct ssd1306_config oled_cfg;
    struct gfx_canvas canvas;
    struct view view;
    ssd1306_done_fn flushed; /* the variant's flush completion */
    void *flushed_ctx;
    enum sw_state shown;     /* the state the log and LD2 show */
    bool display_up, flushing, redraw;
    uint64_t next_refresh, next_retry, next_sample;
};

/*
 * Log the banner, bring the display up (blocking, about 25 ms; needs the
 * I2C interrupts), log "ready". A display that does not answer is logged and
 * retried later. `flushed(ctx, status)` is the completion given to every
 * non-blocking flush; it must lead to ui_flushed(status).
 */
void ui_start(struct ui *ui, ssd1306_done_fn flushed, void *ctx);

/* ui_flushed's part that logs (ui.c). */
void ui_flush_outcome_(struct ui *ui, int status);

/* A flush ended with `status` (0 or a negative errno). */
static inline void ui_flushed(struct ui *ui, int status)
{
    ui->flushing = false;
    if (status != 0 || !ui->display_up) /* else the display stays up: nothing to log */
        ui_flush_outcome_(ui, status);
}

/*
 * A flush result on its way from the completion (interrupt context) to the
 * ui's owner, which need not wake for it: while the stopwatch runs with
 * the display up and nothing waiting for the flush, the result changes
 * nothing before the next refresh (ui_next_due), which takes it first. A
 * scheduler wakes the ui at once only when ui_flush_note_put() says so: an
 * error (logged when it happens), the display coming back, a redraw that
 * waits for the flush, or the stopwatch not running (no refresh follows).
 * This saves a wake of the ui per refresh (docs/performance.md, "Third
 * pass"). Each side runs with the other held off (the handler's priority
 * masked).
 */
struct ui_flush_note {
    bool done;   /* a result waits */
    bool urgent; /* the owner wants the next result at once (ui_flush_note_arm) */
    int status;  /* 0 or a negative errno */
};

/* Completion side: keep the result; true when the owner must be woken for it now. */
static inline bool ui_flush_note_put(struct ui_flush_note *n, int status)
{
    n->status = status;
    n->done = true;
    return n->urgent || status != 0;
}

/* Owner side: the waiting result (0 or a negative errno, for ui_flushed()),
 * or 1 when there is none. */
static inline int ui_flush_note_take(struct ui_flush_note *n)
{
    if (!n->done)
        return 1;
    n->done = false;
    return n->status;
}

/*
 * Owner side, after ui_update() and before sleeping: note whether the next
 * result is wanted at once. True when such a result is already waiting:
 * take it and update again instead of sleeping.
 */
static inline bool ui_flush_note_arm(struct ui_flush_note *n, const struct ui *ui)
{
    /* Waiting for the result: a redraw, a display that is down (its return
     * is logged), and any state but running, where no refresh comes to
     * take it. */
    bool urgent = ui->redraw || !ui->display_up || ui->shown != SW_RUNNING;
    if (n->done && urgent)
        return true;
    n->urgent = urgent;
    return false;
}

/* Is a button sample due at now_ms? (true at most every UI_SAMPLE_MS) */
static inline bool ui_sample_due(struct ui *ui, uint64_t now_ms)
{
    if (now_ms < ui->next_sample)
        return false;
    ui->next_sample = now_ms + UI_SAMPLE_MS;
    return true;
}

/*
 * The first uptime at which ui_update(), called with nothing new (same
 * state, no flush result), would do anything: a refresh while running, a
 * display retry, a redraw that waited for a flush, a state not reported
 * yet. UINT64_MAX: none. A
 * scheduler may leave the ui asleep until then (button samples apart:
 * input_sampling()).
 */
static inline uint64_t ui_next_due(const struct ui *ui, enum sw_state state)
{
    if ((ui->redraw && !ui->flushing) || state != ui->shown)
        return 0; /* a state the log has not reported yet: a press whose event was lost */
    if (state == SW_RUNNING)
        return ui->next_refresh;
    if (!ui->display_up)
        return ui->next_retry;
    return UINT64_MAX;
}

/* Report state changes (log, LD2), refresh, retry the display, start a flush. */
void ui_update(struct ui *ui, struct input_snapshot s, uint64_t now_ms);

/*
 * The tick's next release after `release` (uptime ms, on the system tick's
 * grid): the next grid point while a press is debounced (a sample every
 * period) or when something is due by then; else the first grid point at
 * or after `due`; UINT64_MAX (an alarm that never fires) when nothing is
 * due: a press or a flush result brings the ui back. period_ms: the grid's
 * period (the RTIC and async variants' tick task; inline, so a constant folds).
 */
static inline uint64_t ui_tick_after(uint64_t release, bool held, uint64_t due, uint64_t now, uint32_t period_ms)
{
    if (held || due <= now + period_ms)
        return release + period_ms;
    if (due == UINT64_MAX)
        return UINT64_MAX;
    uint64_t wait = due - now;
    uint32_t k = wait > 0xFFFF0000u ? 0xFFFF0000u / period_ms : ((uint32_t)wait + period_ms - 1u) / period_ms;
    return release + (uint64_t)k * period_ms;
}

#endif
