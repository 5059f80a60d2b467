/*
 * SPI devices on a bus with chip selects (spi_bus.h), and two test
 * devices. The wire is modeled edge by edge (RM0390 26.3.1, "Clock phase
 * and clock polarity", and its data clock timing diagram): SCK has
 * 2 x bits edges from the master's
 * idle level CPOL; a transmitter changes its output on the edges of one
 * polarity (CPHA=0: the trailing edges, its first bit out from the start;
 * CPHA=1: the leading edges) and a sampler latches on the other polarity.
 * When both sides use the same mode the bits pass unchanged; when they do
 * not, the sampler sees what the line holds at its own edges (no setup or
 * hold time: on an edge where the line changes it sees the new value).
 */
#include "spi_bus.h"

#include <errno.h>
#include <string.h>

static bool same_pin(struct spi_pin a, struct spi_pin b) { return a.port >= 0 && a.port == b.port && a.pin == b.pin; }

uint16_t spi_wire_sample(uint16_t value, unsigned bits, unsigned tx_mode, unsigned sampler_mode,
                         unsigned clock_mode)
{
    bool clock_cpol = (clock_mode & 2u) != 0;
    /* CPOL=0: the leading edge rises; CPHA=0 changes on the trailing edge. */
    bool tx_changes_rising = (((tx_mode >> 1) ^ tx_mode) & 1u) != 0;
    bool samples_rising = (((sampler_mode >> 1) ^ sampler_mode) & 1u) == 0;
    int idx = (tx_mode & 1u) ? -1 : 0;
    uint16_t got = 0;
    unsigned n = 0;
    for (unsigned k = 1; k <= 2u * bits; k++) {
        bool rising = ((k & 1u) != 0) != clock_cpol;
        if (rising == tx_changes_rising && idx < (int)bits - 1)
            idx++;
        if (rising == samples_rising && n < bits) {
            unsigned at = idx < 0 ? 0u : (unsigned)idx;
            got = (uint16_t)(got << 1 | ((value >> (bits - 1u - at)) & 1u));
            n++;
        }
    }
    return got;
}

void spi_bus_init(struct spi_bus *b, struct f446 *chip, int index, struct spi_pin sck, struct spi_pin miso,
                  struct spi_pin mosi)
{
    memset(b, 0, sizeof *b);
    b->chip = chip;
    b->index = index;
    b->sck = sck;
    b->miso = miso;
    b->mosi = mosi;
}

int spi_bus_attach(struct spi_bus *b, struct spi_device *d, struct spi_pin cs)
{
    if (b->ndevices >= SPI_BUS_MAX_DEVICES)
        return -ENOMEM;
    d->cs = cs;
    d->selected = false;
    b->devices[b->ndevices++] = d;
    if (!gpio_level(&b->chip->gpio[cs.port], cs.pin)) {
        d->selected = true;
        if (d->ops->select)
            d->ops->select(d->dev);
    }
    return 0;
}

void spi_bus_gpio_changed(struct spi_bus *b, int port, int pin, bool level)
{
    for (int k = 0; k < b->ndevices; k++) {
        struct spi_device *d = b->devices[k];
        if (d->cs.port != port || d->cs.pin != pin || d->selected == !level)
            continue;
        d->selected = !level;
        if (d->selected && d->ops->select)
            d->ops->select(d->dev);
        else if (!d->selected && d->ops->deselect)
            d->ops->deselect(d->dev);
    }
}

bool spi_bus_frame(struct spi_bus *b, const struct spi_frame *f, uint16_t *miso)
{
    /* Without SCK on the board's pin the devices see no clock at all. */
    if (!same_pin(f->pins[SPI_SCK], b->sck))
        return false;
    struct spi_device *d = NULL;
    for (int k = 0; k < b->ndevices; k++) {
        if (!b->devices[k]->selected)
            continue;
        if (d) {
            b->contention++;
            sim_warn(b->chip->sim, "SPI%d: two devices selected at once drive MISO together", b->index + 1);
            break;
        }
        d = b->devices[k];
    }
    if (!d)
        return false;
    b->frames_to_devices++;
    bool mosi_routed = same_pin(f->pins[SPI_MOSI], b->mosi);
    if (d->mode == SPI_MODE_WIRE) {
        uint16_t back = d->ops->exchange(d->dev, mosi_routed ? f->mosi : 0, f->bits);
        *miso = back;
        return same_pin(f->pins[SPI_MISO], b->miso);
    }
    /* MOSI not on the board's pin: the device's input is not driven and reads 0. */
    uint16_t seen = mosi_routed ? spi_wire_sample(f->mosi, f->bits, f->mode, d->mode, f->mode) : 0;
    uint16_t reply = d->ops->exchange(d->dev, seen, f->bits);
    if (!same_pin(f->pins[SPI_MISO], b->miso))
        return false;
    *miso = spi_wire_sample(reply, f->bits, d->mode, f->mode, f->mode);
    return true;
}

/* ---- loopback ---------------------------------------------------------------------- */

static void loopback_select(void *dev)
{
    struct spi_loopback *l = dev;
    l->selects++;
}

static uint16_t loopback_exchange(void *dev, uint16_t mosi, unsigned bits)
{
    struct spi_loopback *l = dev;
    (void)bits;
    l->last = mosi;
    l->frames++;
    return mosi;
}

static const struct spi_device_ops loopback_ops = {loopback_select, NULL, loopback_exchange};

void spi_loopback_init(struct spi_loopback *l)
{
    memset(l, 0, sizeof *l);
    l->bus.ops = &loopback_ops;
    l->bus.dev = l;
    l->bus.mode = SPI_MODE_WIRE;
}

/* ---- register file ------------------------------------------------------------------- */

static void regfile_select(void *dev)
{
    struct spi_regfile *r = dev;
    r->have_command = false;
    r->transactions++;
}

static uint8_t regfile_byte(struct spi_regfile *r, uint8_t in)
{
    if (!r->have_command) {
        r->have_command = true;
        r->reading = (in & 0x80u) != 0;
        r->addr = in & 0x7Fu;
        return 0x00u;
    }
    uint8_t out = 0x00u;
    if (r->reading)
        out = r->regs[r->addr];
    else
        r->regs[r->addr] = in;
    r->addr = (uint8_t)((r->addr + 1u) % SPI_REGFILE_SIZE);
    return out;
}

static uint16_t regfile_exchange(void *dev, uint16_t mosi, unsigned bits)
{
    struct spi_regfile *r = dev;
    r->frames++;
    if (bits == 16u) /* two bytes, the first one first on the wire */
        return (uint16_t)(regfile_byte(r, (uint8_t)(mosi >> 8)) << 8 | regfile_byte(r, (uint8_t)mosi));
    return regfile_byte(r, (uint8_t)mosi);
}

static const struct spi_device_ops regfile_ops = {regfile_select, NULL, regfile_exchange};

void spi_regfile_init(struct spi_regfile *r, uint8_t mode)
{
    memset(r, 0, sizeof *r);
    r->bus.ops = &regfile_ops;
    r->bus.dev = r;
    r->bus.mode = mode;
}
