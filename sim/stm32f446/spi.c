/*
 * SPI1..SPI4 (RM0390 section 26) in master mode, full duplex. A frame of 8
 * or 16 bits (DFF) takes bits x 2^(BR+1) cycles of the PCLK of the SPI's
 * APB bus (26.3.3, 26.7.1); TXE when DR moves to the shift register, RXNE
 * and BSY at the end of a frame, back-to-back frames while DR is refilled
 * in time (26.3.5-26.3.9). OVR and MODF (26.3.10), the CRC (26.3.6) and the three
 * interrupt enables on the SPIx line. The bits reach the board's devices
 * (sim/board/spi_bus.c) only through pins in the SPI alternate function.
 * Not modeled: slave mode, half-duplex (BIDIMODE, RXONLY), the TI frame
 * format, I2S (registers kept, nothing else); a warning says so.
 */
#include "f446.h"
#include "regio.h"

#define CR1_CPHA BIT(0)
#define CR1_CPOL BIT(1)
#define CR1_MSTR BIT(2)
#define CR1_BR_MASK (7u << 3)
#define CR1_SPE BIT(6)
#define CR1_LSBFIRST BIT(7)
#define CR1_SSI BIT(8)
#define CR1_SSM BIT(9)
#define CR1_RXONLY BIT(10)
#define CR1_DFF BIT(11)
#define CR1_CRCNEXT BIT(12)
#define CR1_CRCEN BIT(13)
#define CR1_BIDIMODE BIT(15)
#define CR2_RXDMAEN BIT(0)
#define CR2_TXDMAEN BIT(1)
#define CR2_SSOE BIT(2)
#define CR2_FRF BIT(4)
#define CR2_ERRIE BIT(5)
#define CR2_RXNEIE BIT(6)
#define CR2_TXEIE BIT(7)
#define SR_RXNE BIT(0)
#define SR_TXE BIT(1)
#define SR_CRCERR BIT(4)
#define SR_MODF BIT(5)
#define SR_OVR BIT(6)
#define SR_BSY BIT(7)
#define I2SCFGR_I2SMOD BIT(11)

/* Alternate functions of the SPI pins (DS10693 table 11; LQFP144 pins
 * included, ports D..G exist in the model). */
static const struct {
    uint8_t spi, signal, port, pin, af;
} spi_pins[] = {
    {0, SPI_SCK, 0, 5, 5},   {0, SPI_SCK, 1, 3, 5},   {0, SPI_MISO, 0, 6, 5},  {0, SPI_MISO, 1, 4, 5},
    {0, SPI_MOSI, 0, 7, 5},  {0, SPI_MOSI, 1, 5, 5},  {0, SPI_NSS, 0, 4, 5},   {0, SPI_NSS, 0, 15, 5},
    {1, SPI_SCK, 0, 9, 5},   {1, SPI_SCK, 1, 10, 5},  {1, SPI_SCK, 1, 13, 5},  {1, SPI_SCK, 2, 7, 5},
    {1, SPI_SCK, 3, 3, 5},   {1, SPI_MISO, 1, 14, 5}, {1, SPI_MISO, 2, 2, 5},  {1, SPI_MOSI, 1, 15, 5},
    {1, SPI_MOSI, 2, 3, 5},  {1, SPI_MOSI, 2, 1, 7},  {1, SPI_NSS, 1, 9, 5},   {1, SPI_NSS, 1, 12, 5},
    {1, SPI_NSS, 1, 4, 7},   {1, SPI_NSS, 3, 1, 7},   {2, SPI_SCK, 1, 3, 6},   {2, SPI_SCK, 2, 10, 6},
    {2, SPI_MISO, 1, 4, 6},  {2, SPI_MISO, 2, 11, 6}, {2, SPI_MOSI, 1, 5, 6},  {2, SPI_MOSI, 2, 12, 6},
    {2, SPI_MOSI, 3, 0, 6},  {2, SPI_MOSI, 1, 0, 7},  {2, SPI_MOSI, 1, 2, 7},  {2, SPI_MOSI, 2, 1, 5},
    {2, SPI_MOSI, 3, 6, 5},  {2, SPI_NSS, 0, 4, 6},   {2, SPI_NSS, 0, 15, 6},  {3, SPI_SCK, 4, 2, 5},
    {3, SPI_SCK, 4, 12, 5},  {3, SPI_SCK, 6, 11, 6},  {3, SPI_MISO, 3, 0, 5},  {3, SPI_MISO, 4, 5, 5},
    {3, SPI_MISO, 4, 13, 5}, {3, SPI_MISO, 6, 12, 6}, {3, SPI_MOSI, 4, 6, 5},  {3, SPI_MOSI, 4, 14, 5},
    {3, SPI_MOSI, 6, 13, 6}, {3, SPI_NSS, 4, 4, 5},   {3, SPI_NSS, 4, 11, 5},  {3, SPI_NSS, 6, 14, 6},
};
#define NPINS (sizeof spi_pins / sizeof spi_pins[0])

static sim_t *sim_of(const struct spi *s) { return s->chip->sim; }

static bool pin_in_af(const struct f446 *c, size_t k)
{
    const struct gpio *g = &c->gpio[spi_pins[k].port];
    return gpio_mode(g, spi_pins[k].pin) == GPIO_MODER_AF && gpio_af(g, spi_pins[k].pin) == spi_pins[k].af;
}

/* The first pin of `signal` in this SPI's alternate function, or none. */
static struct spi_pin find_pin(const struct spi *s, enum spi_signal signal)
{
    for (size_t k = 0; k < NPINS; k++)
        if (spi_pins[k].spi == s->index && spi_pins[k].signal == signal && pin_in_af(s->chip, k))
            return (struct spi_pin){(int8_t)spi_pins[k].port, (int8_t)spi_pins[k].pin};
    return (struct spi_pin){-1, -1};
}

static bool is_master(const struct spi *s) { return (s->CR1 & CR1_MSTR) != 0; }
static bool enabled(const struct spi *s) { return (s->CR1 & CR1_SPE) != 0; }
static unsigned frame_bits(const struct spi *s) { return (s->CR1 & CR1_DFF) ? 16u : 8u; }
static uint16_t frame_mask(unsigned bits) { return bits == 16u ? 0xFFFFu : 0xFFu; }

int spi_pin_drive(const struct f446 *c, int port, int pin)
{
    for (size_t k = 0; k < NPINS; k++) {
        if (spi_pins[k].port != port || spi_pins[k].pin != pin || !pin_in_af(c, k))
            continue;
        const struct spi *s = &c->spi[spi_pins[k].spi];
        if (!s->chip)
            return -1;
        switch (spi_pins[k].signal) {
        case SPI_SCK: /* the master drives SCK at its idle level between frames (26.3.1) */
            return is_master(s) ? (int)((s->CR1 & CR1_CPOL) != 0) : -2;
        case SPI_MISO: return -2; /* an input of the master */
        case SPI_NSS:
            /* SSOE=1: NSS driven low while the master is enabled (26.3.1 "NSS output enable") */
            return is_master(s) && enabled(s) && (s->CR2 & CR2_SSOE) && !(s->CR1 & CR1_SSM) ? 0 : -2;
        default: return -1; /* MOSI idles as any push-pull alternate output */
        }
    }
    return -1;
}

static void refresh_pins(struct spi *s)
{
    bool done[8] = {false};
    for (size_t k = 0; k < NPINS; k++) {
        if (spi_pins[k].spi != s->index || done[spi_pins[k].port])
            continue;
        done[spi_pins[k].port] = true;
        gpio_refresh(&s->chip->gpio[spi_pins[k].port]);
    }
}

static void update_irq(struct spi *s)
{
    uint32_t sr = s->SR, cr2 = s->CR2;
    bool level = ((cr2 & CR2_TXEIE) && (sr & SR_TXE)) || ((cr2 & CR2_RXNEIE) && (sr & SR_RXNE)) ||
                 ((cr2 & CR2_ERRIE) && (sr & (SR_OVR | SR_MODF | SR_CRCERR)));
    sim_irq_set_level(sim_of(s), s->irqn, level);
    bool tx = spi_dma_tx_request(s), rx = spi_dma_rx_request(s);
    if (tx != s->dma_tx && s->dma_request)
        s->dma_request(s->dma_ctx, s->index, true, tx);
    if (rx != s->dma_rx && s->dma_request)
        s->dma_request(s->dma_ctx, s->index, false, rx);
    s->dma_tx = tx;
    s->dma_rx = rx;
}

/* RM0390 26.3.9 (communication using DMA): a TX request while TXE is set, an RX request while RXNE is set. */
bool spi_dma_tx_request(const struct spi *s) { return (s->CR2 & CR2_TXDMAEN) && (s->SR & SR_TXE); }
bool spi_dma_rx_request(const struct spi *s) { return (s->CR2 & CR2_RXDMAEN) && (s->SR & SR_RXNE); }

static uint32_t pclk(const struct spi *s)
{
    return s->apb2 ? rcc_pclk2_hz(&s->chip->rcc) : rcc_pclk1_hz(&s->chip->rcc);
}

/* RM0390 26.7.1 BR: fSCK = fPCLK / 2^(BR+1). */
static uint64_t frame_ps(const struct spi *s, unsigned bits)
{
    uint64_t div = 2ull << FIELD(s->CR1, 3, 3);
    return (uint64_t)((unsigned __int128)bits * div * SIM_PS_PER_S / pclk(s));
}

/* RM0390 26.3.6: CRC over each frame, CRC8 (DFF=0) or CRC16 (DFF=1) with
 * the polynomial in CRCPR, shifted MSB first from 0. */
static uint32_t crc_update(uint32_t crc, uint32_t poly, uint16_t data, unsigned bits)
{
    uint32_t top = 1u << (bits - 1u), mask = frame_mask(bits);
    for (int i = (int)bits - 1; i >= 0; i--) {
        bool in = ((data >> i) & 1u) != 0;
        bool out = (crc & top) != 0;
        crc = (crc << 1) & mask;
        if (in != out)
            crc ^= poly & mask;
    }
    return crc;
}

static uint16_t reverse(uint16_t v, unsigned bits)
{
    uint16_t r = 0;
    for (unsigned i = 0; i < bits; i++)
        if (v & (1u << i))
            r |= (uint16_t)(1u << (bits - 1u - i));
    return r;
}

static void frame_end(sim_t *sim, void *dev, uint32_t arg);

/* A frame starts at `at_ps`: now, when DR is written, or the end of the
 * frame before. */
static void start_frame_at(struct spi *s, uint64_t at_ps)
{
    if (s->shifting || !enabled(s) || !is_master(s))
        return;
    if (s->tx_full) {
        s->shift = s->tx_buf;
        s->tx_full = false;
        s->crc_frame = false;
    } else if ((s->CR1 & CR1_CRCNEXT) && (s->CR1 & CR1_CRCEN)) {
        s->shift = (uint16_t)s->TXCRCR; /* 26.3.6: TXCRCR goes out after the last data */
        s->crc_frame = true;
    } else {
        return;
    }
    s->shift_bits = (uint8_t)frame_bits(s);
    s->shifting = true;
    /* 26.3.5: TXE rises when the data moves to the shift register; BSY for the frame. */
    s->SR |= SR_TXE;
    if (!(s->SR & SR_BSY))
        s->busy_since_ps = at_ps;
    s->SR |= SR_BSY;
    sim_event_at(sim_of(s), &s->ev, at_ps + frame_ps(s, s->shift_bits), frame_end, s, 0);
}

static void start_frame(struct spi *s)
{
    start_frame_at(s, sim_now_ps(sim_of(s)));
}

/* What the master shifts in: the board's devices, else the MISO pin's level, else 0s. */
static uint16_t exchange(struct spi *s, uint16_t wire_out, unsigned bits)
{
    struct spi_frame f = {wire_out, (uint8_t)bits, (uint8_t)FIELD(s->CR1, 0, 2), {{0}}};
    for (int k = 0; k < SPI_NSIGNALS; k++)
        f.pins[k] = find_pin(s, (enum spi_signal)k);
    if (f.pins[SPI_SCK].port < 0 || f.pins[SPI_MOSI].port < 0)
        sim_warn(sim_of(s), "%s: frame sent while no pin is in its %s alternate function: nobody receives it",
                 s->name, f.pins[SPI_SCK].port < 0 ? "SCK" : "MOSI");
    struct f446_board_hooks *h = &s->chip->hooks;
    uint16_t miso = 0;
    if (h->spi_frame && h->spi_frame(h->ctx, s->index, &f, &miso))
        return miso & frame_mask(bits);
    if (f.pins[SPI_MISO].port < 0)
        return 0; /* the MISO input reaches no pin (a model choice: it shifts in 0s) */
    return gpio_level(&s->chip->gpio[f.pins[SPI_MISO].port], f.pins[SPI_MISO].pin) ? frame_mask(bits) : 0;
}

static void frame_end(sim_t *sim, void *dev, uint32_t arg)
{
    (void)arg;
    (void)sim;
    struct spi *s = dev;
    unsigned bits = s->shift_bits;
    bool lsb = (s->CR1 & CR1_LSBFIRST) != 0;
    uint16_t out = lsb ? reverse(s->shift, bits) : s->shift;
    uint16_t in = exchange(s, out, bits);
    uint16_t rx = lsb ? reverse(in, bits) : in;
    s->shifting = false;
    s->frames++;
    s->bytes += bits / 8u;
    if (s->CR1 & CR1_CRCEN) {
        uint32_t poly = s->CRCPR & frame_mask(bits);
        if (s->crc_frame) {
            /* 26.3.6: the received CRC is compared with RXCRCR; CRCNEXT ends with the CRC phase. */
            if (rx != (uint16_t)s->RXCRCR) {
                s->SR |= SR_CRCERR;
                s->crc_errors++;
            }
            s->CR1 &= ~CR1_CRCNEXT;
        } else {
            s->TXCRCR = crc_update(s->TXCRCR, poly, s->shift, bits);
            s->RXCRCR = crc_update(s->RXCRCR, poly, rx, bits);
        }
    }
    if (s->SR & SR_RXNE) {
        /* 26.3.10: overrun: the RX buffer keeps the older data, the new frame is lost. */
        if (!(s->SR & SR_OVR))
            s->overruns++;
        s->SR |= SR_OVR;
    } else {
        s->rx_buf = rx;
        s->SR |= SR_RXNE;
    }
    s->crc_frame = false;
    /* Events run at the first instruction boundary at or after their time,
     * a few cycles late while the CPU is in a slow bus access: the next
     * frame follows this one on the wire from its scheduled end (26.3.5,
     * back to back while DR was refilled in time), so that lateness does
     * not add up over a long transfer. */
    uint64_t end_ps = s->ev.due_ps;
    start_frame_at(s, end_ps);
    if (!s->shifting) {
        s->SR &= ~SR_BSY;
        s->busy_ps += end_ps - s->busy_since_ps;
    }
    update_irq(s);
}

static void abort_frame(struct spi *s)
{
    if (!s->shifting)
        return;
    sim_event_cancel(sim_of(s), &s->ev);
    s->shifting = false;
    s->crc_frame = false;
    s->SR &= ~SR_BSY;
    s->busy_ps += sim_now_ps(sim_of(s)) - s->busy_since_ps;
}

/* The NSS input of a master (26.3.1): SSI with SSM=1, else the NSS pin
 * (none in the alternate function reads high, a model choice); with
 * SSOE=1 NSS is an output and cannot fault. */
static bool nss_low(const struct spi *s)
{
    if (s->CR1 & CR1_SSM)
        return !(s->CR1 & CR1_SSI);
    if (s->CR2 & CR2_SSOE)
        return false;
    struct spi_pin p = find_pin(s, SPI_NSS);
    return p.port >= 0 && !gpio_level(&s->chip->gpio[p.port], p.pin);
}

/* 26.3.10 mode fault: MODF, and SPE and MSTR cleared, forcing the SPI off. */
static void check_modf(struct spi *s)
{
    if (!is_master(s) || !nss_low(s))
        return;
    abort_frame(s);
    s->SR |= SR_MODF;
    s->CR1 &= ~(CR1_SPE | CR1_MSTR);
    s->mode_faults++;
    s->modf_sr_access = false;
    update_irq(s);
    refresh_pins(s);
}

void spi_gpio_edge(struct f446 *c, int port, int pin, bool high)
{
    if (high)
        return;
    for (size_t k = 0; k < NPINS; k++)
        if (spi_pins[k].signal == SPI_NSS && spi_pins[k].port == port && spi_pins[k].pin == pin &&
            c->spi[spi_pins[k].spi].chip && pin_in_af(c, k))
            check_modf(&c->spi[spi_pins[k].spi]);
}

static void write_cr1(struct spi *s, uint32_t value)
{
    uint32_t old = s->CR1;
    if (s->SR & SR_MODF) {
        if (s->modf_sr_access) { /* 26.3.10: SR access while MODF, then a CR1 write, clears it */
            s->SR &= ~SR_MODF;
            s->modf_sr_access = false;
        } else { /* "Hardware does not allow the user to set the SPE and MSTR bits while MODF is set" */
            value &= ~(CR1_SPE | CR1_MSTR);
        }
    }
    s->CR1 = value & 0xFFFFu;
    uint32_t changed = old ^ s->CR1;
    if ((changed & CR1_CRCEN) && (s->CR1 & CR1_CRCEN)) /* 26.7.6/26.7.7: reset when CRCEN is set */
        s->RXCRCR = s->TXCRCR = 0;
    if ((changed & (CR1_DFF | CR1_CRCEN | CR1_CPOL | CR1_CPHA | CR1_BR_MASK)) && enabled(s) && (old & CR1_SPE))
        sim_warn(sim_of(s), "%s: CPOL/CPHA/BR/DFF/CRCEN changed while SPE=1 (RM0390 26.7.1: change them with the SPI off)",
                 s->name);
    if ((changed & CR1_SPE) && !enabled(s) && s->shifting) {
        sim_warn(sim_of(s), "%s: SPE cleared while BSY: the frame is cut short (RM0390 26.3.8 disabling the SPI)",
                 s->name);
        abort_frame(s);
    }
    if (enabled(s) && !is_master(s))
        sim_warn(sim_of(s), "%s: slave mode is not modeled: nothing is received", s->name);
    if (s->CR1 & (CR1_BIDIMODE | CR1_RXONLY))
        sim_warn(sim_of(s), "%s: half-duplex (BIDIMODE/RXONLY) is not modeled: frames run full duplex", s->name);
    check_modf(s);
    start_frame(s);
    if (changed & (CR1_CPOL | CR1_MSTR | CR1_SPE))
        refresh_pins(s);
}

static uint32_t spi_read(void *dev, uint32_t offset, unsigned size)
{
    struct spi *s = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = s->CR1; break;
    case 0x04: v = s->CR2; break;
    case 0x08:
        v = s->SR;
        /* 26.3.10: OVR cleared by a DR read then an SR read; 26.3.10: an SR access arms the MODF clear. */
        if (s->ovr_dr_read && (s->SR & SR_OVR))
            s->SR &= ~SR_OVR;
        s->ovr_dr_read = false;
        if (s->SR & SR_MODF)
            s->modf_sr_access = true;
        update_irq(s);
        break;
    case 0x0C:
        v = s->rx_buf;
        s->SR &= ~SR_RXNE; /* 26.3.7: reading DR clears RXNE */
        s->ovr_dr_read = (s->SR & SR_OVR) != 0;
        update_irq(s);
        break;
    case 0x10: v = s->CRCPR; break;
    case 0x14: v = s->RXCRCR; break;
    case 0x18: v = s->TXCRCR; break;
    case 0x1C: v = s->I2SCFGR; break;
    case 0x20: v = s->I2SPR; break;
    default: sim_unmodeled(sim_of(s), s->base + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void spi_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct spi *s = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    switch (offset) {
    case 0x00: write_cr1(s, regio_merge(s->CR1, value, lane)); break;
    case 0x04: {
        uint32_t old = s->CR2;
        s->CR2 = regio_merge(s->CR2, value, lane & 0xF7u);
        if (s->CR2 & CR2_FRF)
            sim_warn(sim_of(s), "%s: the TI frame format (FRF) is not modeled: frames stay Motorola", s->name);
        check_modf(s);
        if ((old ^ s->CR2) & CR2_SSOE)
            refresh_pins(s);
        break;
    }
    case 0x08:
        s->SR &= (value | ~lane) | ~SR_CRCERR; /* CRCERR is rc_w0 (26.7.3) */
        if (s->SR & SR_MODF)
            s->modf_sr_access = true;
        break;
    case 0x0C:
        if (s->tx_full)
            sim_warn(sim_of(s), "%s: DR written while TXE=0: the data waiting is overwritten (RM0390 26.3.5)",
                     s->name);
        s->tx_buf = (uint16_t)(value & frame_mask(frame_bits(s)));
        s->tx_full = true;
        s->SR &= ~SR_TXE;
        start_frame(s);
        break;
    case 0x10: s->CRCPR = regio_merge(s->CRCPR, value, lane & 0xFFFFu); break;
    case 0x14: case 0x18: break; /* read-only */
    case 0x1C:
        s->I2SCFGR = regio_merge(s->I2SCFGR, value, lane & 0x0FBFu);
        if (s->I2SCFGR & I2SCFGR_I2SMOD)
            sim_warn(sim_of(s), "%s: I2S mode is not modeled", s->name);
        break;
    case 0x20: s->I2SPR = regio_merge(s->I2SPR, value, lane & 0x03FFu); break;
    default: sim_unmodeled(sim_of(s), s->base + offset, true); return;
    }
    update_irq(s);
}

/* Debugger read: SR without arming the OVR/MODF sequences, DR without clearing RXNE. */
static uint32_t spi_peek(void *dev, uint32_t offset, unsigned size)
{
    struct spi *s = dev;
    uint32_t v = 0;
    switch (offset & ~3u) {
    case 0x00: v = s->CR1; break;
    case 0x04: v = s->CR2; break;
    case 0x08: v = s->SR; break;
    case 0x0C: v = s->rx_buf; break;
    case 0x10: v = s->CRCPR; break;
    case 0x14: v = s->RXCRCR; break;
    case 0x18: v = s->TXCRCR; break;
    case 0x1C: v = s->I2SCFGR; break;
    case 0x20: v = s->I2SPR; break;
    default: break;
    }
    return regio_read_lane(v, offset, size);
}

const struct sim_mmio_ops spi_ops = {spi_read, spi_write, spi_peek};

void spi_reset(struct spi *s)
{
    sim_event_cancel(sim_of(s), &s->ev);
    /* Reset values, RM0390 26.7: SR 0x0002 (TXE), CRCPR 0x0007, I2SPR 0x0002. */
    s->CR1 = s->CR2 = 0;
    s->SR = SR_TXE;
    s->CRCPR = 0x0007u;
    s->RXCRCR = s->TXCRCR = 0;
    s->I2SCFGR = 0;
    s->I2SPR = 0x0002u;
    s->rx_buf = s->tx_buf = s->shift = 0;
    s->tx_full = s->shifting = s->crc_frame = false;
    s->ovr_dr_read = s->modf_sr_access = false;
    update_irq(s);
    refresh_pins(s); /* a pin in the SPI's AF no longer sees a master's SCK level */
}
