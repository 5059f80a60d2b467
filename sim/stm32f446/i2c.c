/*
 * I2C1..3 in master mode (RM0390 section 24) with the STM32F4 event
 * sequence: SB (EV5), ADDR (EV6), TXE/BTF (EV8), RXNE/BTF (EV7), STOP, and
 * the reception sequences for N=1, N=2 (POS) and N>2 (24.3.3). The bus is
 * modeled byte by byte: each byte (address or data) takes 9 SCL periods,
 * START and STOP one SCL period each; the SCL period comes from CCR, F/S,
 * DUTY and the real PCLK1. Slave mode, 10-bit addressing, SMBus and PEC
 * are not modeled.
 *
 * Lines held low from outside: SDA (i2c_set_sda_stuck) and SCL
 * (i2c_set_scl_stuck). Either sets SR2.BUSY (24.6.7: "set by hardware on
 * detection of SDA or SCL low"); BUSY clears only on a STOP condition or a
 * reset. SCL held low stops the master's clock (clock synchronization,
 * UM10204 3.1.9): the START, byte or STOP under way resumes, with the time it
 * had left, when SCL is released. SCL rising alone is no STOP, so a bus that
 * was idle stays BUSY until the firmware resets the peripheral (SWRST, as
 * ES0298 2.4.6 does for a stuck BUSY).
 */
#include "f446.h"
#include "regio.h"

#define CR1_PE BIT(0)
#define CR1_START BIT(8)
#define CR1_STOP BIT(9)
#define CR1_ACK BIT(10)
#define CR1_POS BIT(11)
#define CR1_SWRST BIT(15)
#define CR1_MASK 0xBFFBu
#define CR2_ITERREN BIT(8)
#define CR2_ITEVTEN BIT(9)
#define CR2_ITBUFEN BIT(10)
#define CR2_DMAEN BIT(11)
#define CR2_LAST BIT(12)
#define CR2_MASK 0x1F3Fu
#define SR1_SB BIT(0)
#define SR1_ADDR BIT(1)
#define SR1_BTF BIT(2)
#define SR1_ADD10 BIT(3)
#define SR1_STOPF BIT(4)
#define SR1_RXNE BIT(6)
#define SR1_TXE BIT(7)
#define SR1_BERR BIT(8)
#define SR1_ARLO BIT(9)
#define SR1_AF BIT(10)
#define SR1_OVR BIT(11)
#define SR1_ERRORS 0xDF00u
#define SR2_MSL BIT(0)
#define SR2_BUSY BIT(1)
#define SR2_TRA BIT(2)
#define CCR_DUTY BIT(14)
#define CCR_FS BIT(15)

enum { EV_START_DONE, EV_ADDR_DONE, EV_BYTE_DONE, EV_STOP_DONE };

static const char *const scl_names[3] = {"I2C1.SCL", "I2C2.SCL", "I2C3.SCL"};
static const char *const sda_names[3] = {"I2C1.SDA", "I2C2.SDA", "I2C3.SDA"};
static const char *const byte_names[3] = {"I2C1.byte", "I2C2.byte", "I2C3.byte"};

static sim_t *sim_of(const struct i2c *i) { return i->chip->sim; }
static bool is_master(const struct i2c *i) { return (i->SR2 & SR2_MSL) != 0; }

static void update_irqs(struct i2c *i)
{
    uint32_t ev = SR1_SB | SR1_ADDR | SR1_ADD10 | SR1_STOPF | SR1_BTF;
    if (i->CR2 & CR2_ITBUFEN)
        ev |= SR1_TXE | SR1_RXNE;
    sim_irq_set_level(sim_of(i), i->irq_ev, (i->CR2 & CR2_ITEVTEN) && (i->SR1 & ev));
    sim_irq_set_level(sim_of(i), i->irq_er, (i->CR2 & CR2_ITERREN) && (i->SR1 & SR1_ERRORS));
    /* RM0390 24.3.7: with DMAEN, TxE and RxNE of the data phase are DMA
     * requests (the address phase makes none: SB and ADDR stay events). */
    bool dma = (i->CR2 & CR2_DMAEN) && i->phase == I2C_MASTER;
    dma_request(i->chip, DMA_REQ_I2C1_TX + 2 * i->index, dma && !i->read && (i->SR1 & SR1_TXE));
    dma_request(i->chip, DMA_REQ_I2C1_RX + 2 * i->index, dma && i->read && (i->SR1 & SR1_RXNE));
}

void i2c_dma_eot_1(struct i2c *i)
{
    /* 24.3.7: with LAST, the byte after EOT_1 (the last one) gets a NACK. */
    if (i->CR2 & CR2_LAST)
        i->dma_nack_next = true;
}

static void set_busy(struct i2c *i, bool busy)
{
    uint64_t now = sim_now_ps(sim_of(i));
    if (busy && !i->busy)
        i->busy_since_ps = now;
    if (!busy && i->busy) {
        uint64_t dt = now - i->busy_since_ps;
        i->busy_ps += dt;
        i->busy_cycles += (uint64_t)((unsigned __int128)dt * sim_hclk(sim_of(i)) / SIM_PS_PER_S);
    }
    i->busy = busy;
    i->SR2 = busy ? i->SR2 | SR2_BUSY : i->SR2 & ~SR2_BUSY;
}

/* SCL period from CCR (RM0390 24.6.8) in PCLK1 cycles. */
static uint64_t scl_period_ps(struct i2c *i)
{
    uint32_t pclk = rcc_pclk1_hz(&i->chip->rcc), ccr = i->CCR & 0xFFFu, cycles;
    if (!(i->CCR & CCR_FS))
        cycles = 2u * ccr;
    else
        cycles = (i->CCR & CCR_DUTY) ? 25u * ccr : 3u * ccr;
    if (ccr < ((i->CCR & CCR_FS) ? 1u : 4u)) {
        sim_warn(sim_of(i), "%s: CCR=%u is not allowed (RM0390 24.6.8); using the minimum", i->name, ccr);
        cycles = (i->CCR & CCR_FS) ? 3u : 8u;
    }
    return (uint64_t)cycles * SIM_PS_PER_S / pclk;
}

static void check_timing(struct i2c *i)
{
    uint32_t pclk_mhz = rcc_pclk1_hz(&i->chip->rcc) / 1000000u, freq = i->CR2 & 0x3Fu;
    bool fast = (i->CCR & CCR_FS) != 0;
    if (freq != pclk_mhz)
        sim_warn(sim_of(i), "%s: CR2.FREQ=%u but PCLK1 is %u MHz (RM0390 24.6.2)", i->name, freq, pclk_mhz);
    if (freq < (fast ? 4u : 2u) || freq > 50u)
        sim_warn(sim_of(i), "%s: CR2.FREQ=%u outside the allowed range (RM0390 24.6.2)", i->name, freq);
    /* RM0390 24.6.9: TRISE = maximum rise time (1000 ns SM, 300 ns FM) in PCLK1 periods + 1. */
    uint32_t want = fast ? freq * 300u / 1000u + 1u : freq + 1u;
    if ((i->TRISE & 0x3Fu) + 1u < want || (i->TRISE & 0x3Fu) > want + 1u)
        sim_warn(sim_of(i), "%s: TRISE=%u, RM0390 24.6.9 gives %u for FREQ=%u in %s mode", i->name,
                 i->TRISE & 0x3Fu, want, freq, fast ? "fast" : "standard");
    uint64_t hz = SIM_PS_PER_S / scl_period_ps(i);
    if (hz > (fast ? 400000u : 100000u) + 1000u)
        sim_warn(sim_of(i), "%s: SCL %llu Hz above the %s-mode maximum", i->name, (unsigned long long)hz,
                 fast ? "fast" : "standard");
}

static void i2c_event(sim_t *s, void *dev, uint32_t what);

static bool line_held(const struct i2c *i) { return i->sda_stuck || i->scl_stuck; }

static void after(struct i2c *i, uint64_t ps, uint32_t what)
{
    if (i->scl_stuck) { /* the clock waits for SCL high */
        i->frozen = true;
        i->frozen_what = what;
        i->frozen_left_ps = ps;
        return;
    }
    sim_event_at(sim_of(i), &i->ev, sim_now_ps(sim_of(i)) + ps, i2c_event, i, what);
}

static bool routed(struct i2c *i)
{
    struct f446_board_hooks *h = &i->chip->hooks;
    if (!h->i2c_routed || h->i2c_routed(h->ctx, i->index))
        return true;
    sim_warn(sim_of(i), "%s: traffic while its SCL/SDA pins are not in alternate function open-drain: "
                        "nothing on the board sees it", i->name);
    return false;
}

static void end_target(struct i2c *i)
{
    if (i->target && i->target->ops->stop)
        i->target->ops->stop(i->target->dev);
    i->target = NULL;
}

static void generate_start(struct i2c *i)
{
    i->phase = I2C_START_WAIT;
    i->dma_nack_next = i->dma_nacked = false;
    if (!is_master(i) && (i->SR2 & SR2_BUSY))
        return; /* waits for the bus to be free (RM0390 24.3.3) */
    end_target(i);
    set_busy(i, true);
    sim_trace(sim_of(i), sda_names[i->index], 1, 0);
    after(i, scl_period_ps(i), EV_START_DONE);
}

static void generate_stop(struct i2c *i)
{
    i->phase = I2C_STOPPING;
    i->dma_nack_next = i->dma_nacked = false;
    after(i, scl_period_ps(i), EV_STOP_DONE);
}

/* After a byte: a pending STOP or repeated START happens now (RM0390 24.6.1). */
static bool pending_condition(struct i2c *i)
{
    if (i->CR1 & CR1_STOP) {
        generate_stop(i);
        return true;
    }
    if (i->CR1 & CR1_START) {
        generate_start(i);
        return true;
    }
    return false;
}

static void start_byte(struct i2c *i)
{
    i->byte_on_bus = true;
    sim_trace(sim_of(i), scl_names[i->index], 1, 0);
    after(i, 9u * scl_period_ps(i), EV_BYTE_DONE);
}

static void tx_next(struct i2c *i)
{
    if (pending_condition(i)) {
        if (!(i->SR1 & SR1_TXE))
            sim_warn(sim_of(i), "%s: STOP/START set while DR still held a byte: the byte is not sent "
                                "(RM0390 24.6.1)", i->name);
        return;
    }
    if (!(i->SR1 & SR1_TXE)) { /* DR holds a byte: into the shift register */
        i->shift = (uint8_t)i->DR;
        i->SR1 |= SR1_TXE;
        start_byte(i);
    } else {
        i->SR1 |= SR1_BTF; /* TXE=1 and nothing to send: SCL stretched */
    }
}

static void rx_next(struct i2c *i)
{
    if (i->phase != I2C_MASTER || i->shift_full || pending_condition(i))
        return;
    /* 24.3.7: after the NACK that LAST made, the master waits for the STOP
     * that firmware sets at the DMA's transfer-complete interrupt. */
    if (i->dma_nacked)
        return;
    if (!i->slave_acked)
        sim_warn(sim_of(i), "%s: master clocks another byte after it sent NACK (set STOP before the "
                            "last byte ends, RM0390 24.3.3)", i->name);
    start_byte(i);
}

static void lose_arbitration(struct i2c *i)
{
    /* SDA held low while the master sends a 1: arbitration lost (RM0390 24.3.4);
     * the interface falls back to slave mode. */
    i->SR1 |= SR1_ARLO;
    i->SR2 &= ~(SR2_MSL | SR2_TRA);
    i->phase = I2C_IDLE;
    i->byte_on_bus = false;
    end_target(i);
}

static void byte_hook(struct i2c *i)
{
    struct f446_board_hooks *h = &i->chip->hooks;
    if (h->i2c_byte)
        h->i2c_byte(h->ctx, i->index);
}

static void addr_done(struct i2c *i)
{
    uint8_t a = i->shift;
    i->byte_on_bus = false;
    byte_hook(i);
    i->read = (a & 1u) != 0;
    if (i->sda_stuck) {
        lose_arbitration(i);
        return;
    }
    i->target = NULL;
    if (routed(i))
        for (int k = 0; k < i->ndevices; k++)
            if (i->devices[k]->address == a >> 1)
                i->target = i->devices[k];
    if (i->target && i->target->ops->address(i->target->dev, i->read)) {
        i->SR1 |= SR1_ADDR;
        i->SR2 = i->read ? i->SR2 & ~SR2_TRA : i->SR2 | SR2_TRA;
        if (!i->read)
            i->SR1 |= SR1_TXE;
        i->slave_acked = true;
        /* POS=1 delays the effect of ACK by one byte (24.6.1): the first data
         * byte is acknowledged whatever ACK holds while ADDR is set. */
        i->ack_next = true;
        i->phase = I2C_ADDR_HOLD;
        return;
    }
    i->target = NULL;
    i->SR1 |= SR1_AF; /* NACK (RM0390 24.6.6) */
    i->nacks++;
    i->phase = I2C_NACKED;
    pending_condition(i);
}

static void byte_done(struct i2c *i)
{
    i->byte_on_bus = false;
    byte_hook(i);
    sim_trace(sim_of(i), scl_names[i->index], 1, 1);
    if (i->sda_stuck) {
        lose_arbitration(i);
        return;
    }
    i->bytes++;
    if (!i->read) {
        sim_trace(sim_of(i), byte_names[i->index], 8, i->shift);
        bool ack = i->target && i->target->ops->write(i->target->dev, i->shift);
        if (!ack) {
            i->SR1 |= SR1_AF;
            i->nacks++;
            i->phase = I2C_NACKED;
            pending_condition(i);
            return;
        }
        tx_next(i);
        return;
    }
    uint8_t b = (i->target && i->slave_acked) ? i->target->ops->read(i->target->dev) : 0xFF;
    sim_trace(sim_of(i), byte_names[i->index], 8, b);
    /* RM0390 24.6.1 CR1.POS: with POS=0, ACK decides the pulse after the
     * byte now in the shift register; with POS=1 it decides the one after
     * the next byte, so the pulse sent now is ACK as it was at the end of
     * the previous byte. This accepts both the manual's N=2 sequence (ACK
     * cleared after ADDR) and ST's and Linux's (ACK cleared, POS set, then
     * ADDR cleared). */
    bool ack = (i->CR1 & CR1_POS) ? i->ack_next : (i->CR1 & CR1_ACK) != 0;
    i->ack_next = (i->CR1 & CR1_ACK) != 0;
    if (i->dma_nack_next) {
        ack = false;
        i->dma_nack_next = false;
        i->dma_nacked = true;
    }
    i->slave_acked = ack;
    if (!(i->SR1 & SR1_RXNE)) {
        i->DR = b;
        i->SR1 |= SR1_RXNE;
        rx_next(i);
    } else {
        i->shift = b;
        i->shift_full = true;
        i->SR1 |= SR1_BTF; /* DR not read: SCL stretched (RM0390 24.3.3) */
    }
}

static void i2c_event(sim_t *s, void *dev, uint32_t what)
{
    (void)s;
    struct i2c *i = dev;
    switch (what) {
    case EV_START_DONE:
        if (!is_master(i))
            i->transactions++;
        i->CR1 &= ~CR1_START;
        i->SR1 = (i->SR1 & ~(SR1_TXE | SR1_BTF)) | SR1_SB;
        /* SR2.TRA is cleared by a repeated START (24.6.7). */
        i->SR2 = (i->SR2 & ~SR2_TRA) | SR2_MSL;
        i->phase = I2C_SB;
        break;
    case EV_ADDR_DONE: addr_done(i); break;
    case EV_BYTE_DONE: byte_done(i); break;
    case EV_STOP_DONE:
        i->CR1 &= ~CR1_STOP;
        /* STOP clears TxE and, in transmission only, BTF (24.6.6): a receiver
         * keeps BTF and the byte in its shift register until DR is read. */
        i->SR1 &= ~(i->read ? SR1_TXE : SR1_TXE | SR1_BTF);
        i->SR2 &= ~(SR2_MSL | SR2_TRA);
        i->phase = I2C_IDLE;
        end_target(i);
        sim_trace(sim_of(i), sda_names[i->index], 1, 1);
        set_busy(i, line_held(i));
        if (i->CR1 & CR1_START)
            generate_start(i);
        break;
    default: break;
    }
    update_irqs(i);
}

static void write_dr(struct i2c *i, uint8_t v)
{
    if (i->phase == I2C_SB) {
        /* EV5: SB is cleared by reading SR1 and then writing the address to DR. */
        if (!(i->sr1_seen & SR1_SB))
            sim_warn(sim_of(i), "%s: DR written with SB=1 without reading SR1 first (RM0390 24.3.3 EV5)", i->name);
        i->SR1 &= ~SR1_SB;
        i->sr1_seen = 0;
        i->shift = v;
        i->DR = v;
        i->phase = I2C_ADDR_TX;
        i->byte_on_bus = true;
        sim_trace(sim_of(i), byte_names[i->index], 8, v);
        after(i, 9u * scl_period_ps(i), EV_ADDR_DONE);
        return;
    }
    bool transmitting = (i->phase == I2C_MASTER || i->phase == I2C_ADDR_HOLD) && !i->read;
    if (!transmitting) {
        i->DR = v;
        return;
    }
    if (!(i->SR1 & SR1_TXE)) {
        sim_warn(sim_of(i), "%s: DR written while TXE=0: the byte is lost (RM0390 24.6.5)", i->name);
        return;
    }
    i->DR = v;
    i->SR1 &= ~(SR1_TXE | SR1_BTF);
    if (i->phase == I2C_MASTER && !i->byte_on_bus)
        tx_next(i); /* shift register empty: TXE stays 1 (RM0390 24.6.6, TxE) */
}

static uint8_t read_dr(struct i2c *i)
{
    uint8_t v = (uint8_t)i->DR;
    if (!(i->SR1 & SR1_RXNE)) {
        if (i->read && is_master(i))
            sim_warn(sim_of(i), "%s: DR read while RXNE=0: stale data (RM0390 24.6.5)", i->name);
        i->SR1 &= ~SR1_BTF;
        return v;
    }
    if (i->shift_full) { /* BTF: the shift register byte moves into DR */
        i->DR = i->shift;
        i->shift_full = false;
        i->SR1 &= ~SR1_BTF;
        rx_next(i);
    } else {
        i->SR1 &= ~SR1_RXNE;
    }
    return v;
}

static void clear_addr(struct i2c *i)
{
    /* EV6: ADDR is cleared by reading SR1 then SR2. */
    i->SR1 &= ~SR1_ADDR;
    i->phase = I2C_MASTER;
    if (i->read)
        start_byte(i);
    else if (!(i->SR1 & SR1_TXE) || (i->CR1 & (CR1_STOP | CR1_START)))
        tx_next(i);
}

static void write_cr1(struct i2c *i, uint32_t v)
{
    uint32_t old = i->CR1;
    if (v & CR1_SWRST) {
        /* RM0390 24.6.1: under reset, all I2C registers go to their reset values. */
        i2c_reset(i);
        i->CR1 = CR1_SWRST;
        return;
    }
    i->CR1 = v & CR1_MASK;
    if (!(v & CR1_PE)) {
        /* RM0390 24.6.1: PE=0 clears START, STOP, ACK and the status flags;
         * a transfer in progress is abandoned here, not at its end. */
        sim_event_cancel(sim_of(i), &i->ev);
        i->frozen = false;
        end_target(i);
        i->CR1 &= ~(CR1_START | CR1_STOP | CR1_ACK);
        i->SR1 = 0;
        i->SR2 &= SR2_BUSY;
        if (!line_held(i))
            set_busy(i, false);
        i->phase = I2C_IDLE;
        i->byte_on_bus = i->shift_full = false;
        return;
    }
    if (!(old & CR1_PE))
        check_timing(i);
    if ((v & CR1_START) && !(old & CR1_START)) {
        if (i->phase == I2C_START_WAIT || (!is_master(i) && (i->SR2 & SR2_BUSY)))
            sim_warn(sim_of(i), "%s: START requested while the bus is busy: it waits for a STOP "
                                "(RM0390 24.3.3)", i->name);
        if (!i->byte_on_bus && i->phase != I2C_STOPPING && i->phase != I2C_ADDR_TX)
            generate_start(i);
    }
    if ((v & CR1_STOP) && !(old & CR1_STOP)) {
        if (!is_master(i))
            i->CR1 &= ~CR1_STOP;
        else if (!i->byte_on_bus && i->phase != I2C_ADDR_HOLD && i->phase != I2C_STOPPING)
            generate_stop(i);
    }
}

static uint32_t i2c_read(void *dev, uint32_t offset, unsigned size)
{
    struct i2c *i = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = i->CR1; break;
    case 0x04: v = i->CR2; break;
    case 0x08: v = i->OAR1; break;
    case 0x0C: v = i->OAR2; break;
    case 0x10: v = read_dr(i); update_irqs(i); break;
    case 0x14: v = i->SR1; i->sr1_seen = v; break;
    case 0x18:
        v = i->SR2;
        if ((i->sr1_seen & SR1_ADDR) && (i->SR1 & SR1_ADDR)) {
            i->sr1_seen = 0;
            clear_addr(i);
            update_irqs(i);
        }
        break;
    case 0x1C: v = i->CCR; break;
    case 0x20: v = i->TRISE; break;
    case 0x24: v = i->FLTR; break;
    default: sim_unmodeled(sim_of(i), i->base + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void i2c_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct i2c *i = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    if ((i->CR1 & CR1_SWRST) && offset != 0x00)
        return;
    switch (offset) {
    case 0x00: write_cr1(i, regio_merge(i->CR1, value, lane)); break;
    case 0x04: i->CR2 = regio_merge(i->CR2, value, lane & CR2_MASK); break;
    case 0x08: i->OAR1 = regio_merge(i->OAR1, value, lane & 0x83FFu); break;
    case 0x0C: i->OAR2 = regio_merge(i->OAR2, value, lane & 0xFFu); break;
    case 0x10: write_dr(i, (uint8_t)value); break;
    case 0x14: i->SR1 &= (value | ~lane) | ~SR1_ERRORS; break; /* error flags are rc_w0 */
    case 0x1C: i->CCR = regio_merge(i->CCR, value, lane & 0xCFFFu); break;
    case 0x20: i->TRISE = regio_merge(i->TRISE, value, lane & 0x3Fu); break;
    case 0x24: i->FLTR = regio_merge(i->FLTR, value, lane & 0x1Fu); break;
    default: sim_unmodeled(sim_of(i), i->base + offset, true); return;
    }
    update_irqs(i);
}

/* Debugger read: DR without consuming the byte, SR1 without starting the
 * SR1-then-SR2 sequence that clears ADDR (RM0390 24.6.6, 24.6.7). */
static uint32_t i2c_peek(void *dev, uint32_t offset, unsigned size)
{
    struct i2c *i = dev;
    uint32_t v = 0;
    switch (offset & ~3u) {
    case 0x00: v = i->CR1; break;
    case 0x04: v = i->CR2; break;
    case 0x08: v = i->OAR1; break;
    case 0x0C: v = i->OAR2; break;
    case 0x10: v = i->DR; break;
    case 0x14: v = i->SR1; break;
    case 0x18: v = i->SR2; break;
    case 0x1C: v = i->CCR; break;
    case 0x20: v = i->TRISE; break;
    case 0x24: v = i->FLTR; break;
    default: break;
    }
    return regio_read_lane(v, offset, size);
}

const struct sim_mmio_ops i2c_ops = {i2c_read, i2c_write, i2c_peek};

int i2c_attach(struct i2c *i, struct i2c_device *d)
{
    if (i->ndevices >= I2C_MAX_DEVICES)
        return -1;
    i->devices[i->ndevices++] = d;
    return 0;
}

void i2c_set_sda_stuck(struct i2c *i, bool stuck)
{
    if (stuck == i->sda_stuck)
        return;
    i->sda_stuck = stuck;
    sim_trace(sim_of(i), sda_names[i->index], 1, !stuck);
    if (stuck) {
        /* SDA falling while SCL is high in the middle of a transfer is a
         * misplaced START: bus error (RM0390 24.6.6, BERR). */
        if (is_master(i) && i->phase != I2C_IDLE)
            i->SR1 |= SR1_BERR;
        set_busy(i, true);
    } else if (!is_master(i) && !i->scl_stuck) {
        /* SDA rising with SCL high: a STOP condition frees the bus. */
        set_busy(i, false);
        if (i->phase == I2C_START_WAIT)
            generate_start(i);
    }
    update_irqs(i);
}

void i2c_set_scl_stuck(struct i2c *i, bool stuck)
{
    if (stuck == i->scl_stuck)
        return;
    sim_trace(sim_of(i), scl_names[i->index], 1, !stuck);
    if (stuck) {
        if (i->ev.queued) { /* stop the clock: keep what was under way and its time left */
            uint64_t now = sim_now_ps(sim_of(i));
            i->frozen = true;
            i->frozen_what = i->ev.arg;
            i->frozen_left_ps = i->ev.due_ps > now ? i->ev.due_ps - now : 0;
            sim_event_cancel(sim_of(i), &i->ev);
        }
        i->scl_stuck = true;
        set_busy(i, true);
    } else {
        i->scl_stuck = false;
        if (i->frozen) {
            i->frozen = false;
            after(i, i->frozen_left_ps, i->frozen_what);
        }
    }
    update_irqs(i);
}

void i2c_reset(struct i2c *i)
{
    sim_event_cancel(sim_of(i), &i->ev);
    i->frozen = false;
    if (i->target)
        end_target(i);
    i->CR1 = i->CR2 = i->OAR1 = i->OAR2 = i->DR = i->SR1 = 0;
    i->SR2 &= SR2_BUSY;
    i->CCR = i->FLTR = 0;
    i->TRISE = 0x0002u;
    i->phase = I2C_IDLE;
    i->byte_on_bus = i->shift_full = false;
    i->dma_nack_next = i->dma_nacked = false;
    i->sr1_seen = 0;
    set_busy(i, line_held(i));
    update_irqs(i);
}
