/*
 * Virtual time: cycles of HCLK converted to picoseconds, and the event queue.
 *
 * time(c) = base_ps + (c - base_cycles) * 1e12 / hclk, rebased whenever HCLK
 * changes so that no rounding error accumulates. Events sit in a list sorted
 * by due time (insertion order among equal times, so runs are repeatable).
 */
#include <assert.h>

#include "core/core.h"

static uint64_t ps_of(const struct qsim *s, uint64_t cycles)
{
    /* d * 1e12 / hclk as d * q + d * r / hclk (q, r: quotient and remainder
     * of 1e12 / hclk), exact and without 128-bit division while d * r fits. */
    uint64_t d = cycles - s->base_cycles;
    if (d <= s->ps_dmax)
        return s->base_ps + d * s->ps_q + d * s->ps_r / s->hclk;
    unsigned __int128 x = (unsigned __int128)d * SIM_PS_PER_S;
    return s->base_ps + (uint64_t)(x / s->hclk);
}

/* Set HCLK and its picosecond ratio (no rebase: sim_set_hclk does that). */
void core_time_init(struct qsim *s, uint32_t hz)
{
    s->hclk = hz;
    s->ps_q = SIM_PS_PER_S / hz;
    s->ps_r = SIM_PS_PER_S % hz;
    s->ps_dmax = s->ps_r ? UINT64_MAX / s->ps_r : UINT64_MAX;
}

uint64_t sim_now_ps(const sim_t *s)
{
    return ps_of(s, s->cycles);
}

uint64_t sim_cycles(const sim_t *s)
{
    return s->cycles;
}

uint32_t sim_hclk(const sim_t *s)
{
    return s->hclk;
}

/*
 * The first cycle count whose time is >= ps: base + ceil(d * hclk / 1e12)
 * with d = ps - base_ps. Split d = a * 1e9 + b and a * hclk = c * 1000 + e:
 * d * hclk = c * 1e12 + (e * 1e9 + b * hclk), where the bracket stays below
 * 2^63 for any 32-bit hclk, so no 128-bit division is needed (this runs at
 * every slice and every event scheduled while running).
 */
uint64_t core_cycles_at(const struct qsim *s, uint64_t ps)
{
    if (ps <= s->base_ps)
        return s->base_cycles;
    uint64_t d = ps - s->base_ps;
    uint64_t a = d / 1000000000u, b = d % 1000000000u;
    if (a <= UINT64_MAX / s->hclk) {
        uint64_t ah = a * s->hclk;
        uint64_t c = ah / 1000u, e = ah % 1000u;
        return s->base_cycles + c + (e * 1000000000u + b * s->hclk + SIM_PS_PER_S - 1) / SIM_PS_PER_S;
    }
    unsigned __int128 n = (unsigned __int128)d * s->hclk + SIM_PS_PER_S - 1;
    return s->base_cycles + (uint64_t)(n / SIM_PS_PER_S);
}

void sim_set_hclk(sim_t *s, uint32_t hz)
{
    assert(hz > 0);
    if (hz == s->hclk)
        return;
    s->base_ps = sim_now_ps(s);
    s->base_cycles = s->cycles;
    core_time_init(s, hz);
    if (s->running)
        s->stop_cycles = s->cycles; /* recompute the budget with the new clock */
}

void sim_event_cancel(sim_t *s, struct sim_event *ev)
{
    if (!ev->queued)
        return;
    for (struct sim_event **p = &s->events; *p; p = &(*p)->next) {
        if (*p == ev) {
            *p = ev->next;
            break;
        }
    }
    ev->queued = false;
    ev->next = NULL;
}

void sim_event_at(sim_t *s, struct sim_event *ev, uint64_t due_ps, sim_event_fn fn, void *dev, uint32_t arg)
{
    sim_event_cancel(s, ev);
    uint64_t now = sim_now_ps(s);
    ev->due_ps = due_ps < now ? now : due_ps;
    ev->fn = fn;
    ev->dev = dev;
    ev->arg = arg;
    struct sim_event **p = &s->events;
    while (*p && (*p)->due_ps <= ev->due_ps)
        p = &(*p)->next;
    ev->next = *p;
    *p = ev;
    ev->queued = true;
    if (s->running) {
        /* A model scheduled something sooner than the CPU's current budget. */
        uint64_t c = core_cycles_at(s, ev->due_ps);
        if (c < s->stop_cycles)
            s->stop_cycles = c;
    }
}

/* Run every event that is due now (events may queue more due events). */
void core_fire_due(struct qsim *s)
{
    /* Events do not advance the clock (a change of HCLK rebases it at the
     * same time), so "now" holds for the whole loop. */
    uint64_t now = sim_now_ps(s);
    for (;;) {
        if (s->scs.st_next_zero && s->cycles >= s->scs.st_next_zero) {
            s->in_event = true;
            s->event_cycle = s->scs.st_next_zero;
            core_systick_fire(s);
            s->in_event = false;
            continue;
        }
        struct sim_event *ev = s->events;
        if (!ev || ev->due_ps > now)
            break;
        s->events = ev->next;
        ev->queued = false;
        ev->next = NULL;
        s->in_event = true;
        s->event_cycle = core_cycles_at(s, ev->due_ps);
        ev->fn(s, ev->dev, ev->arg);
        s->in_event = false;
    }
}

/* The cycle count at which the CPU has to stop next. */
uint64_t core_next_stop(struct qsim *s, uint64_t until_ps)
{
    uint64_t stop = core_cycles_at(s, until_ps);
    if (s->events) {
        uint64_t c = core_cycles_at(s, s->events->due_ps);
        if (c < stop)
            stop = c;
    }
    if (s->scs.st_next_zero && s->scs.st_next_zero < stop)
        stop = s->scs.st_next_zero;
    return stop;
}
