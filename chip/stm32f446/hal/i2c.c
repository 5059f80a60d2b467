/*
 * I2C master on the STM32F446 I2C v1 peripheral (RM0390 section 24),
 * interrupt driven: the event interrupt walks the master sequence of
 * 24.3.3 (EV5 SB, EV6 ADDR, EV8 TxE / BTF, EV7 RxNE), the error interrupt
 * maps AF/BERR/ARLO to errno. A blocking transfer is the same machine with
 * the thread sleeping until it ends.
 *
 * Every transfer has a deadline from its length at the bus rate. The
 * driver owns it through a tick hook (stm32_tick_hook_join): at the first
 * tick past the deadline the hook masks the bus's interrupts, ends the
 * transfer with -ETIMEDOUT and flags the bus for recovery. A hardware timer
 * per bus would cost a TIM for a check that needs only tick resolution.
 * The recovery itself (9 SCL pulses and a STOP by GPIO, about 110 us) never
 * runs in a handler: at STM32_HAL_IRQ_PRIO it would hold off the USART2 RX
 * interrupt for longer than a byte at 115200 baud (87 us) and lose one. It
 * runs in thread context: before a blocking transfer returns -ETIMEDOUT, or
 * at the next transfer started from thread context.
 *
 * The instances, timing, pins and the recovery itself: i2c_recover.c.
 *
 * Long writes go by DMA when the board gives the bus a stream (24.3.7):
 * a message of STM32_I2C_DMA_MIN bytes or more is handed to the stream at
 * its first TxE, with DMAEN set and ITBUFEN clear, and BTF after the last
 * byte (EV8_2) is the next event; errors, NACKs and the deadline end it
 * exactly as they end an interrupt-driven write.
 *
 * Restrictions of this port: a READ message must be the last of a transfer
 * (write-then-read with a repeated START is supported), and messages are
 * never empty (-EINVAL).
 */
#include <errno.h>
#include <stddef.h>

#include "cortex_m/intrinsics.h"
#include "cortex_m/nvic.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/assert.h"
#include "i2c_port.h"
#include "stm32_hal.h"
#include "stm32f446/i2c.h"
#include "stm32f446/irq.h"
#include "stm32f446/rcc.h"

void I2C1_EV_IRQHandler(void);
void I2C1_ER_IRQHandler(void);
void I2C2_EV_IRQHandler(void);
void I2C2_ER_IRQHandler(void);
void I2C3_EV_IRQHandler(void);
void I2C3_ER_IRQHandler(void);

enum phase { PH_IDLE, PH_START, PH_ADDR, PH_WRITE, PH_READ };

#define ITS (I2C_CR2_ITEVTEN | I2C_CR2_ITERREN | I2C_CR2_ITBUFEN)
#define STOP_POLLS 2000U /* a STOP takes one SCL period (2.5 us at 400 kHz) */
#define IDLE_EVENTS_MAX 32U /* event interrupts with nothing to do (a few per SCL period) */
#define SYNC_MARGIN_MS 50U /* blocking wait past the deadline: the tick hook ends it first */

static struct stm32_i2c_bus *buses[3];

static bool in_handler(void)
{
    return __get_IPSR() != 0;
}

/* Recovery from the thread with the bus claimed, so that a transfer started
 * meanwhile from a handler gets -EBUSY instead of a bus being bit-banged. */
static void recover_claimed(struct stm32_i2c_bus *b)
{
    uint32_t key = cpu_irq_lock();
    bool was_free = !b->busy;
    b->busy = true;
    cpu_irq_unlock(key);
    if (!was_free)
        return;
    (void)stm32_i2c_recover(b);
    b->busy = false;
}

/* The DMA part of a write ended (or the transfer did): true when the stream failed. */
static bool dma_end(struct stm32_i2c_bus *b)
{
    b->dma_on = false;
    b->regs->CR2 &= ~I2C_CR2_DMAEN;
    return stm32_dma_stop(b->cfg->tx_dma);
}

static void finish(struct stm32_i2c_bus *b, int status)
{
    struct stm32_i2c *i2c = b->regs;
    if (b->dma_on)
        (void)dma_end(b);
    i2c->CR2 &= ~ITS;
    i2c->CR1 &= ~I2C_CR1_POS;
    b->phase = PH_IDLE;
    stm32_tick_hook_idle(&b->tick, true); /* on_tick has nothing to check until the next transfer */
    b->busy = false;
    i2c_done_fn done = b->done;
    b->done = NULL;
    if (done)
        done(b->ctx, status);
}

static bool valid_msgs(const struct i2c_msg *msgs, size_t n)
{
    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].addr > 0x7F || msgs[i].buf == NULL || msgs[i].len == 0)
            return false; /* no zero-length messages: BTF would never come */
        if ((msgs[i].flags & I2C_MSG_READ) && (i + 1 != n || msgs[i].len == 0))
            return false;
    }
    return true;
}

static int start_transfer(struct stm32_i2c_bus *b, const struct i2c_msg *msgs, size_t n,
                          i2c_done_fn done, void *ctx)
{
    if (!valid_msgs(msgs, n))
        return -EINVAL;
    struct stm32_i2c *i2c = b->regs;
    uint32_t key = cpu_irq_lock();
    if (b->busy) {
        cpu_irq_unlock(key);
        return -EBUSY;
    }
    b->busy = true;
    cpu_irq_unlock(key);

    /* The previous STOP must be on the bus before a new START (24.6.1 CR1.STOP). */
    for (uint32_t i = 0; i < STOP_POLLS && (i2c->CR1 & I2C_CR1_STOP); i++) {
    }
    for (uint32_t i = 0; i < STOP_POLLS && (i2c->SR2 & I2C_SR2_BUSY); i++) {
    }
    if (b->recover_pending || (i2c->SR2 & I2C_SR2_BUSY)) {
        /* A line held low, or a transfer ended at its deadline: recover
         * (UM10204 3.1.16), but only where it may take 110 us. */
        int rc = in_handler() ? -EBUSY : stm32_i2c_recover(b);
        if (rc < 0) {
            b->busy = false;
            return rc;
        }
    }
    uint32_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += msgs[i].len + 1U;
    /* Deadline: twice the wire time plus two system ticks. 32-bit math:
     * bytes < 255 x 65536, times 9 clocks, fits. */
    uint32_t wire_ms = bytes * 9U / b->khz + 1U;
    /* Under the lock: the tick hook reads the deadline once phase leaves
     * PH_IDLE, so it must never see one without the other. */
    key = cpu_irq_lock();
    b->msgs = msgs;
    b->n = (uint8_t)n;
    b->i = 0;
    b->pos = 0;
    b->done = done;
    b->ctx = ctx;
    b->timeout_ms = 2U * wire_ms + 20U;
    b->deadline_ms = clock_uptime_ms_locked() + b->timeout_ms;
    b->phase = PH_START;
    stm32_tick_hook_idle(&b->tick, false);
    b->idle_events = 0;
    i2c->SR1 = 0; /* drop stale error flags (rc_w0) */
    i2c->CR1 |= I2C_CR1_ACK;
    i2c->CR2 |= ITS;
    i2c->CR1 |= I2C_CR1_START;
    cpu_irq_unlock(key);
    return 0;
}

/* Ends the transfer in flight without touching the bus lines: the
 * peripheral may still be stuck in a byte, so the recovery that follows
 * (thread context) resets it. */
static void end_at_deadline(struct stm32_i2c_bus *b)
{
    b->regs->CR2 &= ~ITS;
    b->recover_pending = true;
    b->timeouts++;
    finish(b, -ETIMEDOUT);
}

/* Tick hook (SysTick handler, STM32_HAL_IRQ_PRIO, so no I2C interrupt of
 * this bus runs meanwhile): a few compares, the recovery is left to thread
 * context. */
static void on_tick(struct stm32_tick_hook *hook, uint64_t now_ms)
{
    struct stm32_i2c_bus *b = (struct stm32_i2c_bus *)((char *)hook - offsetof(struct stm32_i2c_bus, tick));
    if (!b->busy || b->phase == PH_IDLE)
        return;
    struct stm32_i2c *i2c = b->regs;
    if (now_ms > b->deadline_ms) {
        end_at_deadline(b);
    } else if (!(i2c->CR2 & I2C_CR2_ITEVTEN)) {
        b->idle_events = 0; /* masked by on_event while SCL is held: look again */
        i2c->CR2 |= I2C_CR2_ITEVTEN;
    }
}

static void sync_done(void *ctx, int status)
{
    struct stm32_i2c_bus *b = ctx;
    b->sync_status = status;
    b->sync_done = true;
}

static int op_transfer(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n)
{
    struct stm32_i2c_bus *b = (struct stm32_i2c_bus *)bus;
    /* Contract (quartz/hal/i2c.h): a blocking transfer completes in this
     * port's interrupts, so it is never called from a handler or with them
     * masked (PRIMASK, or a BASEPRI ceiling at the HAL's priority): there it
     * could only time out, having stalled the caller for the whole deadline.
     * Such a call is a bug in the caller, not a bus error. */
    QUARTZ_ASSERT(!stm32_irqs_blocked());
    b->sync_done = false;
    int rc = start_transfer(b, msgs, n, sync_done, b);
    if (rc < 0)
        return rc;
    /* The tick hook ends the transfer at its deadline; stm32_wait bounds
     * the loop as well, by uptime and by the cycles spent polling. */
    struct stm32_wait w;
    stm32_wait_start(&w, b->timeout_ms + SYNC_MARGIN_MS);
    for (;;) {
        uint32_t key = cpu_irq_lock();
        if (b->sync_done) {
            cpu_irq_unlock(key);
            break;
        }
        if (stm32_wait_over(&w)) {
            end_at_deadline(b);
            cpu_irq_unlock(key);
            break;
        }
        cpu_sleep_locked();
        cpu_irq_unlock(key);
    }
    /* The error contract (quartz/hal/i2c.h): the bus is recovered before
     * -ETIMEDOUT is returned (thread context, by the contract above). */
    if (b->recover_pending)
        recover_claimed(b);
    return b->sync_status;
}

static int op_transfer_async(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                             i2c_done_fn done, void *ctx)
{
    return start_transfer((struct stm32_i2c_bus *)bus, msgs, n, done, ctx);
}

static const struct i2c_bus_ops ops = { op_transfer, op_transfer_async };

int stm32_i2c_init(struct stm32_i2c_bus *b, const struct stm32_i2c_config *cfg)
{
    /* The instance comes from const board data: one the chip does not have
     * (I2C1..I2C3, RM0390 section 24) is a bug, not an error to return. */
    QUARTZ_ASSERT(cfg->index >= 1 && cfg->index <= 3);
    if (cfg->bus_hz == 0 || cfg->bus_hz > 400000U)
        return -EINVAL; /* standard and fast mode only (RM0390 24.3.1) */
    if (cfg->tx_dma) {
        /* A stream that does not carry this I2C's TX request, or one
         * another driver took: the board's tables are wrong. */
        int rc = stm32_dma_claim(cfg->tx_dma, (enum stm32_dma_request)(STM32_DMA_I2C1_TX + cfg->index - 1));
        if (rc < 0)
            return rc;
    }
    b->bus.ops = &ops;
    b->cfg = cfg;
    b->regs = stm32_i2c_hw_of(b)->regs;
    b->khz = (cfg->bus_hz + 999U) / 1000U; /* for the deadline: bus clocks per ms, rounded up */
    b->dma_on = false;
    b->busy = false;
    b->recover_pending = false;
    b->phase = PH_IDLE;
    buses[cfg->index - 1] = b;
    b->tick.fn = on_tick;
    stm32_tick_hook_join(&b->tick);
    uint32_t key = cpu_irq_lock();
    stm32_tick_hook_idle(&b->tick, true); /* no transfer yet */
    cpu_irq_unlock(key);
    const struct stm32_i2c_hw *h = stm32_i2c_hw_of(b);
    RCC->APB1ENR |= h->enr;
    (void)RCC->APB1ENR;
    RCC->APB1RSTR |= h->rst;
    RCC->APB1RSTR &= ~h->rst;
    stm32_i2c_pins_af(b);
    stm32_i2c_setup_timing(b);
    if (h->regs->SR2 & I2C_SR2_BUSY)
        (void)stm32_i2c_recover(b); /* a transfer reports it if it stays stuck */
    nvic_set_priority(h->ev, STM32_HAL_IRQ_PRIO);
    nvic_set_priority(h->er, STM32_HAL_IRQ_PRIO);
    nvic_enable(h->ev);
    nvic_enable(h->er);
    return 0;
}

/* Reception end game for the current READ message (24.3.3, "Closing the communication"). */
static void read_byte(struct stm32_i2c_bus *b, struct stm32_i2c *i2c)
{
    const struct i2c_msg *m = &b->msgs[b->i];
    m->buf[b->pos++] = (uint8_t)i2c->DR;
}

/*
 * Feeds the write stream (EV8_1/EV8, 24.3.3): the rest of a message of
 * STM32_I2C_DMA_MIN bytes or more to the DMA (24.3.7), shorter ones byte
 * by byte while TxE is set, which is at most twice in a row (DR and the
 * shift register). Consecutive messages of one stream follow each other.
 * Returns true when everything is written and nothing was written now, so
 * that a BTF already set still stands; false when TxE, the DMA's BTF or the
 * last byte's BTF will bring the next event.
 */
static bool feed(struct stm32_i2c_bus *b, struct stm32_i2c *i2c)
{
    const struct i2c_msg *m = &b->msgs[b->i];
    bool wrote = false;
    for (;;) {
        while (b->pos >= m->len && b->i + 1 < b->n &&
               !(b->msgs[b->i + 1].flags & (I2C_MSG_RESTART | I2C_MSG_READ)) &&
               b->msgs[b->i + 1].addr == m->addr) {
            b->i++; /* the next message continues the same stream */
            b->pos = 0;
            m = &b->msgs[b->i];
        }
        uint16_t left = (uint16_t)(m->len - b->pos);
        if (left >= STM32_I2C_DMA_MIN && b->cfg->tx_dma) {
            stm32_dma_send(b->cfg->tx_dma, &i2c->DR, &m->buf[b->pos], left, false);
            b->pos = m->len;
            b->dma_on = true;
            i2c->CR2 = (i2c->CR2 & ~I2C_CR2_ITBUFEN) | I2C_CR2_DMAEN;
            return false;
        }
        if (left == 0) {
            i2c->CR2 &= ~I2C_CR2_ITBUFEN; /* all written: wait for BTF (EV8_2) */
            return !wrote;
        }
        if (wrote && !(i2c->SR1 & I2C_SR1_TxE)) {
            i2c->CR2 |= I2C_CR2_ITBUFEN;
            return false;
        }
        i2c->DR = m->buf[b->pos++];
        wrote = true;
    }
}

static void on_event(struct stm32_i2c_bus *b)
{
    struct stm32_i2c *i2c = b->regs;
    if (b->phase == PH_IDLE) {
        i2c->CR2 &= ~ITS;
        return;
    }
    uint32_t sr1 = i2c->SR1;
    const struct i2c_msg *m = &b->msgs[b->i];
    bool reading = m->flags & I2C_MSG_READ;
    if (b->phase == PH_START && !(sr1 & I2C_SR1_SB)) {
        /* Waiting for a repeated START with BTF still set: BTF clears only
         * when the START is on the bus (24.6.6), one SCL period, unless a
         * device holds SCL low. Then the event line never drops, and at
         * equal priority the lower IRQ number wins every time: USART2 RX
         * would starve and overrun. After a burst far longer than an SCL
         * period, mask the event interrupt; the tick hook unmasks it. */
        if (++b->idle_events >= IDLE_EVENTS_MAX)
            i2c->CR2 &= ~I2C_CR2_ITEVTEN;
        return;
    }
    b->idle_events = 0;
    if (sr1 & I2C_SR1_SB) { /* EV5: reading SR1 then writing DR clears SB */
        i2c->DR = (uint32_t)(m->addr << 1) | (reading ? 1U : 0U);
        b->phase = PH_ADDR;
        return;
    }
    if (sr1 & I2C_SR1_ADDR) { /* EV6: cleared by reading SR1 then SR2 */
        if (!reading) {
            (void)i2c->SR2;
            b->phase = PH_WRITE;
            if (b->cfg->tx_dma)
                (void)feed(b, i2c); /* TxE is set as ADDR clears (EV8_1): no interrupt for it */
            else
                i2c->CR2 |= I2C_CR2_ITBUFEN;
            return;
        }
        b->phase = PH_READ;
        if (m->len == 1) { /* NACK and STOP set around the ADDR clear (24.3.3 EV6_3) */
            i2c->CR1 &= ~I2C_CR1_ACK;
            /* The ADDR clear starts the byte; STOP must be set before it ends or
             * the master clocks in one more (RM0390 24.3.3, single-byte case;
             * ST's own drivers mask interrupts here too), so nothing may run
             * between the two accesses. */
            uint32_t key = cpu_irq_lock();
            (void)i2c->SR2;
            i2c->CR1 |= I2C_CR1_STOP;
            cpu_irq_unlock(key);
            i2c->CR2 |= I2C_CR2_ITBUFEN;
        } else if (m->len == 2) { /* POS: NACK goes to the second byte */
            i2c->CR1 &= ~I2C_CR1_ACK;
            i2c->CR1 |= I2C_CR1_POS;
            (void)i2c->SR2;
            i2c->CR2 &= ~I2C_CR2_ITBUFEN; /* wait for BTF */
        } else {
            i2c->CR1 |= I2C_CR1_ACK;
            (void)i2c->SR2;
            /* With three bytes the end game runs on BTF only; RxNE would
             * re-fire for a whole byte time with nothing to do. */
            if (m->len > 3)
                i2c->CR2 |= I2C_CR2_ITBUFEN;
            else
                i2c->CR2 &= ~I2C_CR2_ITBUFEN;
        }
        return;
    }
    if (b->phase == PH_WRITE) {
        if (b->dma_on) { /* EV8_2 after the stream's last byte (24.3.7) */
            if (!(sr1 & I2C_SR1_BTF))
                return;
            if (dma_end(b)) {
                i2c->CR1 |= I2C_CR1_STOP;
                finish(b, -EIO);
                return;
            }
            if (b->i + 1 < b->n) { /* more messages: the stream goes on, or a repeated START */
                if (!feed(b, i2c))
                    return;
                m = &b->msgs[b->i]; /* BTF still set, nothing left in this stream */
            } /* else the last message is through: on to the STOP */
        } else if ((sr1 & I2C_SR1_TxE) && (i2c->CR2 & I2C_CR2_ITBUFEN)) {
            (void)feed(b, i2c);
            return;
        }
        if ((sr1 & I2C_SR1_BTF) && b->pos >= m->len) {
            if (b->i + 1 < b->n) { /* repeated START for the next message */
                b->i++;
                b->pos = 0;
                b->phase = PH_START;
                i2c->CR1 |= I2C_CR1_START;
                return;
            }
            i2c->CR1 |= I2C_CR1_STOP;
            finish(b, 0);
        }
        return;
    }
    if (b->phase == PH_READ) {
        uint16_t left = (uint16_t)(m->len - b->pos);
        if ((sr1 & I2C_SR1_RxNE) && (i2c->CR2 & I2C_CR2_ITBUFEN)) {
            if (left == 1) { /* single-byte read: STOP was set in EV6 */
                read_byte(b, i2c);
                finish(b, 0);
            } else if (left > 3) {
                read_byte(b, i2c);
                if (left - 1 == 3)
                    i2c->CR2 &= ~I2C_CR2_ITBUFEN; /* last three via BTF */
            }
            return;
        }
        if (sr1 & I2C_SR1_BTF) {
            if (left == 3) { /* N-2 in DR, N-1 in the shift register: NACK the last */
                i2c->CR1 &= ~I2C_CR1_ACK;
                read_byte(b, i2c);
            } else if (left == 2) { /* N-1 in DR, N in the shift register */
                i2c->CR1 |= I2C_CR1_STOP;
                read_byte(b, i2c);
                read_byte(b, i2c);
                finish(b, 0);
            }
        }
    }
}

static void on_error(struct stm32_i2c_bus *b)
{
    struct stm32_i2c *i2c = b->regs;
    uint32_t sr1 = i2c->SR1;
    int status = -EIO;
    if (sr1 & I2C_SR1_AF)
        status = b->phase == PH_ADDR ? -ENXIO : -EIO; /* who did not acknowledge */
    else if (sr1 & I2C_SR1_ARLO)
        status = -EBUSY; /* another master won the bus: no STOP from us (24.3.4) */
    i2c->SR1 = 0; /* rc_w0: clear AF, BERR, ARLO, OVR, TIMEOUT */
    if (!(sr1 & I2C_SR1_ARLO))
        i2c->CR1 |= I2C_CR1_STOP;
    if (b->phase != PH_IDLE)
        finish(b, status);
}

static void ev(int i)
{
    if (buses[i])
        on_event(buses[i]);
}

static void er(int i)
{
    if (buses[i])
        on_error(buses[i]);
}

void I2C1_EV_IRQHandler(void) { ev(0); }
void I2C1_ER_IRQHandler(void) { er(0); }
void I2C2_EV_IRQHandler(void) { ev(1); }
void I2C2_ER_IRQHandler(void) { er(1); }
void I2C3_EV_IRQHandler(void) { ev(2); }
void I2C3_ER_IRQHandler(void) { er(2); }
