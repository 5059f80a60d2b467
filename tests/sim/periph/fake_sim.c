#include "fake_sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sim_t *fake_sim_new(void)
{
    sim_t *s = calloc(1, sizeof *s);
    s->hclk = 16000000u;
    return s;
}

void fake_sim_free(sim_t *s) { free(s); }

void sim_mmio_map(sim_t *s, const char *name, uint32_t base, uint32_t size, const struct sim_mmio_ops *ops,
                  void *dev, const uint32_t *clock_enr, uint32_t clock_bit)
{
    if (s->nregions >= FAKE_MAX_REGIONS)
        abort();
    s->regions[s->nregions++] = (struct fake_region){name, base, size, ops, dev, clock_enr, clock_bit};
}

static struct fake_region *find(sim_t *s, uint32_t address)
{
    for (int i = 0; i < s->nregions; i++)
        if (address >= s->regions[i].base && address - s->regions[i].base < s->regions[i].size)
            return &s->regions[i];
    return NULL;
}

uint32_t fake_read_sized(sim_t *s, uint32_t address, unsigned size)
{
    struct fake_region *r = find(s, address);
    if (!r)
        abort();
    if (r->enr && !(*r->enr & r->bit)) {
        s->gated++;
        return 0;
    }
    return r->ops->read(r->dev, address - r->base, size);
}

void fake_write_sized(sim_t *s, uint32_t address, uint32_t value, unsigned size)
{
    struct fake_region *r = find(s, address);
    if (!r)
        abort();
    if (r->enr && !(*r->enr & r->bit)) {
        s->gated++;
        return;
    }
    r->ops->write(r->dev, address - r->base, value, size);
}

uint32_t fake_read(sim_t *s, uint32_t address) { return fake_read_sized(s, address, 4); }
void fake_write(sim_t *s, uint32_t address, uint32_t value) { fake_write_sized(s, address, value, 4); }

void sim_unmodeled(sim_t *s, uint32_t address, bool is_write)
{
    (void)is_write;
    s->unmodeled++;
    s->last_unmodeled = address;
}

uint64_t sim_now_ps(const sim_t *s) { return s->now_ps; }
uint64_t sim_cycles(const sim_t *s) { return s->now_ps * s->hclk / SIM_PS_PER_S; }

void sim_event_cancel(sim_t *s, struct sim_event *ev)
{
    if (!ev->queued)
        return;
    for (struct sim_event **p = &s->queue; *p; p = &(*p)->next)
        if (*p == ev) {
            *p = ev->next;
            break;
        }
    ev->queued = false;
    ev->next = NULL;
}

void sim_event_at(sim_t *s, struct sim_event *ev, uint64_t due_ps, sim_event_fn fn, void *dev, uint32_t arg)
{
    sim_event_cancel(s, ev);
    if (due_ps < s->now_ps)
        abort();
    ev->due_ps = due_ps;
    ev->fn = fn;
    ev->dev = dev;
    ev->arg = arg;
    ev->queued = true;
    struct sim_event **p = &s->queue;
    while (*p && (*p)->due_ps <= due_ps) /* FIFO among equal times */
        p = &(*p)->next;
    ev->next = *p;
    *p = ev;
}

void fake_run_until(sim_t *s, uint64_t t_ps)
{
    while (s->queue && s->queue->due_ps <= t_ps) {
        struct sim_event *ev = s->queue;
        s->queue = ev->next;
        ev->queued = false;
        ev->next = NULL;
        s->now_ps = ev->due_ps;
        ev->fn(s, ev->dev, ev->arg);
    }
    s->now_ps = t_ps;
}

void fake_run_for(sim_t *s, uint64_t dt_ps) { fake_run_until(s, s->now_ps + dt_ps); }

void sim_set_hclk(sim_t *s, uint32_t hz) { s->hclk = hz; }
uint32_t sim_hclk(const sim_t *s) { return s->hclk; }
void sim_set_flash_latency(sim_t *s, unsigned wait_states) { (void)s; (void)wait_states; }

void sim_irq_set_level(sim_t *s, int irqn, bool level)
{
    if (irqn < 0 || irqn >= 128)
        abort();
    if (level && !s->irq[irqn])
        s->irq_rises[irqn]++;
    s->irq[irqn] = level;
}

void sim_warn(sim_t *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (int i = 0; i < s->nwarnings; i++)
        if (!strcmp(s->warnings[i], buf))
            return;
    if (s->nwarnings < FAKE_MAX_WARNINGS)
        strcpy(s->warnings[s->nwarnings++], buf);
}

bool fake_warned(const sim_t *s, const char *substring)
{
    for (int i = 0; i < s->nwarnings; i++)
        if (strstr(s->warnings[i], substring))
            return true;
    return false;
}

void fake_clear_warnings(sim_t *s) { s->nwarnings = 0; }

void sim_trace(sim_t *s, const char *signal, unsigned width, uint32_t value)
{
    (void)signal;
    (void)width;
    (void)value;
    s->traces++;
}
