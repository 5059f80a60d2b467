/*
 * M24256 model. Names in quotes are the sections of ST's M24256 datasheet
 * (DS3220) the behaviour comes from.
 *
 * "Device addressing": device select 1010 E2 E1 E0 R/W; the board ties E2..E0
 * low (0x50). "Write operations": after the device select come two address
 * bytes (b15 is ignored on a 32-Kbyte array) loaded into the address
 * counter, then data bytes. "Page Write": data bytes are latched and the six
 * low address bits increment with each one, rolling over within the page
 * (a 65th byte overwrites the first). The write cycle starts at the STOP
 * and lasts tW (5 ms max, "AC characteristics"); during it the device does
 * not acknowledge its device select ("Minimizing write delays by polling on
 * ACK"). A STOP after the address bytes alone writes nothing: that is the
 * dummy write of a random read. "Write Control (WC)": with WC high the data
 * bytes are not acknowledged and the memory is not modified.
 * "Read operations": a read returns the byte at the address counter and
 * increments it; the counter rolls over from the last address to the first
 * ("Sequential Read"). A random address read is a dummy write of the
 * address then a repeated START with R/W = 1.
 *
 * Simplification: the stop callback does not tell a STOP from a repeated
 * START; a repeated START after data bytes starts the write cycle as a STOP
 * would (the datasheet leaves that sequence out).
 */
#include "m24256.h"

#include <string.h>

#define TW_PS (5ull * SIM_PS_PER_MS)
#define ADDR_MASK (M24256_SIZE - 1u)

static bool busy(const struct m24256 *e)
{
    return sim_now_ps(e->sim) < e->busy_until_ps;
}

static bool on_address(void *dev, bool read)
{
    struct m24256 *e = dev;
    if (busy(e))
        return false; /* write cycle in progress: NoAck */
    e->rx = read ? M24256_READ : M24256_ADDR_HI;
    e->latched = 0;
    return true;
}

static bool on_write(void *dev, uint8_t v)
{
    struct m24256 *e = dev;
    switch (e->rx) {
    case M24256_ADDR_HI:
        e->addr = (uint16_t)((v << 8) & ADDR_MASK);
        e->rx = M24256_ADDR_LO;
        return true;
    case M24256_ADDR_LO:
        e->addr = (uint16_t)((e->addr & 0xFF00u) | v);
        e->rx = M24256_DATA;
        return true;
    case M24256_DATA: {
        if (e->wc_high && e->wc_high(e->wc_ctx))
            return false; /* write-protected: NoAck, nothing latched */
        unsigned offset = e->addr & (M24256_PAGE - 1u);
        e->latch[offset] = v;
        e->latched |= 1ull << offset;
        e->addr = (uint16_t)((e->addr & ~(M24256_PAGE - 1u)) | ((offset + 1u) & (M24256_PAGE - 1u)));
        return true;
    }
    case M24256_READ: return false;
    }
    return false;
}

static uint8_t on_read(void *dev)
{
    struct m24256 *e = dev;
    uint8_t v = e->mem[e->addr];
    e->addr = (uint16_t)((e->addr + 1u) & ADDR_MASK);
    return v;
}

static void on_stop(void *dev)
{
    struct m24256 *e = dev;
    if (!e->latched)
        return;
    uint16_t page = (uint16_t)(e->addr & ~(M24256_PAGE - 1u));
    for (unsigned k = 0; k < M24256_PAGE; k++)
        if (e->latched & (1ull << k))
            e->mem[page + k] = e->latch[k];
    e->latched = 0;
    e->busy_until_ps = sim_now_ps(e->sim) + TW_PS;
    e->write_cycles++;
}

static const struct i2c_device_ops m24256_ops = {on_address, on_write, on_read, on_stop};

void m24256_init(struct m24256 *e, sim_t *s, uint8_t address, bool (*wc_high)(void *ctx), void *wc_ctx)
{
    memset(e, 0, sizeof *e);
    e->sim = s;
    e->bus.address = address;
    e->bus.ops = &m24256_ops;
    e->bus.dev = e;
    e->wc_high = wc_high;
    e->wc_ctx = wc_ctx;
    memset(e->mem, 0xFF, sizeof e->mem); /* delivered erased: all bits 1 */
}
