/* fake_sim.h: the core's recording parts; time and events are sim/core/time.c. */
#include "fake_sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESET_HCLK_HZ 16000000u /* HSI (RM0390 6.2.2) */

sim_t *fake_sim_new(void)
{
    struct fake_sim *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    core_time_init(&f->core, RESET_HCLK_HZ);
    return &f->core;
}

void fake_sim_free(sim_t *s) { free(fake(s)); }

/* The double has no SysTick (scs.st_next_zero stays 0), so time.c never calls this. */
void core_systick_fire(struct qsim *s)
{
    (void)s;
    abort();
}

void sim_mmio_map(sim_t *s, const char *name, uint32_t base, uint32_t size, const struct sim_mmio_ops *ops,
                  void *dev, const uint32_t *clock_enr, uint32_t clock_bit)
{
    if (fake(s)->nregions >= FAKE_MAX_REGIONS)
        abort();
    fake(s)->regions[fake(s)->nregions++] = (struct fake_region){name, base, size, ops, dev, clock_enr, clock_bit};
}

static struct fake_region *find(sim_t *s, uint32_t address)
{
    for (int i = 0; i < fake(s)->nregions; i++)
        if (address >= fake(s)->regions[i].base && address - fake(s)->regions[i].base < fake(s)->regions[i].size)
            return &fake(s)->regions[i];
    return NULL;
}

uint32_t fake_read_sized(sim_t *s, uint32_t address, unsigned size)
{
    struct fake_region *r = find(s, address);
    if (!r)
        abort();
    if (r->enr && !(*r->enr & r->bit)) {
        fake(s)->gated++;
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
        fake(s)->gated++;
        return;
    }
    r->ops->write(r->dev, address - r->base, value, size);
}

uint32_t fake_read(sim_t *s, uint32_t address) { return fake_read_sized(s, address, 4); }

/* A debugger read (sim.h, sim_mmio_ops.peek): a model without peek has a side-effect-free read. */
uint32_t fake_peek(sim_t *s, uint32_t address)
{
    struct fake_region *r = find(s, address);
    if (!r)
        abort();
    uint32_t (*peek)(void *, uint32_t, unsigned) = r->ops->peek ? r->ops->peek : r->ops->read;
    return peek(r->dev, address - r->base, 4);
}
void fake_write(sim_t *s, uint32_t address, uint32_t value) { fake_write_sized(s, address, value, 4); }

void sim_unmodeled(sim_t *s, uint32_t address, bool is_write)
{
    (void)is_write;
    fake(s)->unmodeled++;
    fake(s)->last_unmodeled = address;
}

/* As qsim_run_until's sleeping CPU (sim/core/cpu.c): fire what is due, jump to the next stop. */
void fake_run_until(sim_t *s, uint64_t t_ps)
{
    for (;;) {
        core_fire_due(s);
        if (sim_now_ps(s) >= t_ps)
            return;
        s->cycles = core_next_stop(s, t_ps);
    }
}

void fake_run_for(sim_t *s, uint64_t dt_ps) { fake_run_until(s, sim_now_ps(s) + dt_ps); }

void sim_set_flash_latency(sim_t *s, unsigned wait_states) { (void)s; (void)wait_states; }

void sim_irq_set_level(sim_t *s, int irqn, bool level)
{
    if (irqn < 0 || irqn >= 128)
        abort();
    if (level && !fake(s)->irq[irqn])
        fake(s)->irq_rises[irqn]++;
    fake(s)->irq[irqn] = level;
}

void sim_cpu_event(sim_t *s) { fake(s)->cpu_events++; }

void sim_flash_set_store_hook(sim_t *s, sim_flash_store_fn fn, void *dev)
{
    fake(s)->flash_store = fn;
    fake(s)->flash_store_dev = dev;
}

void sim_flash_read(sim_t *s, uint32_t offset, void *buf, size_t len)
{
    if (offset + len > sizeof fake(s)->flash_array)
        abort();
    memcpy(buf, fake(s)->flash_array + offset, len);
}

void sim_flash_write(sim_t *s, uint32_t offset, const void *buf, size_t len)
{
    if (offset + len > sizeof fake(s)->flash_array)
        abort();
    memcpy(fake(s)->flash_array + offset, buf, len);
}

void sim_flash_stall_until(sim_t *s, uint64_t due_ps) { fake(s)->flash_stall_ps = due_ps; }

void sim_store_bus_error(sim_t *s, uint32_t address)
{
    (void)address;
    fake(s)->bus_errors++;
}

void fake_flash_store(sim_t *s, uint32_t offset, unsigned size, uint32_t value)
{
    if (!fake(s)->flash_store)
        abort();
    fake(s)->flash_store(fake(s)->flash_store_dev, offset, size, value);
}

void sim_warn(sim_t *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (int i = 0; i < fake(s)->nwarnings; i++)
        if (!strcmp(fake(s)->warnings[i], buf))
            return;
    if (fake(s)->nwarnings < FAKE_MAX_WARNINGS)
        strcpy(fake(s)->warnings[fake(s)->nwarnings++], buf);
}

bool fake_warned(const sim_t *s, const char *substring)
{
    const struct fake_sim *f = (const struct fake_sim *)s;
    for (int i = 0; i < f->nwarnings; i++)
        if (strstr(f->warnings[i], substring))
            return true;
    return false;
}

void fake_clear_warnings(sim_t *s) { fake(s)->nwarnings = 0; }

void sim_trace(sim_t *s, const char *signal, unsigned width, uint32_t value)
{
    (void)signal;
    (void)width;
    (void)value;
    fake(s)->traces++;
}

static uint8_t *bus_mem(sim_t *s, uint32_t address, unsigned size, bool *flash)
{
    *flash = address - FAKE_FLASH_BASE < FAKE_FLASH_SIZE && size <= FAKE_FLASH_SIZE - (address - FAKE_FLASH_BASE);
    if (*flash)
        return fake(s)->flash + (address - FAKE_FLASH_BASE);
    if (address - FAKE_SRAM_BASE < FAKE_SRAM_SIZE && size <= FAKE_SRAM_SIZE - (address - FAKE_SRAM_BASE))
        return fake(s)->sram + (address - FAKE_SRAM_BASE);
    return NULL;
}

/* As the core's (sim/core/mmio.c): memory, else a region's model, else a bus error. */
bool sim_bus_read(sim_t *s, uint32_t address, unsigned size, uint32_t *value)
{
    bool flash;
    const uint8_t *p = bus_mem(s, address, size, &flash);
    *value = 0;
    if (p) {
        for (unsigned k = 0; k < size; k++)
            *value |= (uint32_t)p[k] << (8 * k);
        return true;
    }
    if (!find(s, address))
        return false;
    *value = fake_read_sized(s, address, size);
    return true;
}

bool sim_bus_write(sim_t *s, uint32_t address, unsigned size, uint32_t value)
{
    bool flash;
    uint8_t *p = bus_mem(s, address, size, &flash);
    if (p && !flash) {
        for (unsigned k = 0; k < size; k++)
            p[k] = (uint8_t)(value >> (8 * k));
        return true;
    }
    if (p || !find(s, address))
        return false;
    fake_write_sized(s, address, value, size);
    return true;
}
