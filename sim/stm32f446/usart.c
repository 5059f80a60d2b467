/*
 * USART1..3, UART4/5, USART6 (RM0390 section 25), asynchronous mode.
 * Character time from BRR, OVER8, M and STOP and the APB clock; TXE when
 * the shift register takes a byte, TC when the frame is out; received bytes
 * arrive one character time apart, RXNE, ORE (RXNE not read), IDLE.
 * Synchronous, LIN, IrDA, smartcard, hardware flow control, parity
 * checking, noise and framing errors are not modeled. DMAT/DMAR make TXE
 * and RXNE DMA requests (25.4.13).
 */
#include <stdlib.h>
#include <string.h>

#include "f446.h"
#include "regio.h"

#define SR_PE BIT(0)
#define SR_FE BIT(1)
#define SR_NF BIT(2)
#define SR_ORE BIT(3)
#define SR_IDLE BIT(4)
#define SR_RXNE BIT(5)
#define SR_TC BIT(6)
#define SR_TXE BIT(7)
#define SR_RC_W0 (SR_RXNE | SR_TC | BIT(8) | BIT(9))
#define CR1_RE BIT(2)
#define CR1_TE BIT(3)
#define CR1_IDLEIE BIT(4)
#define CR1_RXNEIE BIT(5)
#define CR1_TCIE BIT(6)
#define CR1_TXEIE BIT(7)
#define CR1_PEIE BIT(8)
#define CR1_M BIT(12)
#define CR1_UE BIT(13)
#define CR1_OVER8 BIT(15)
#define CR3_EIE BIT(0)
#define CR3_DMAR BIT(6)
#define CR3_DMAT BIT(7)
#define DEFAULT_BAUD 115200u

enum { RX_BYTE, RX_IDLE };

static sim_t *sim_of(const struct usart *u) { return u->chip->sim; }

static uint32_t fck(const struct usart *u)
{
    return u->apb2 ? rcc_pclk2_hz(&u->chip->rcc) : rcc_pclk1_hz(&u->chip->rcc);
}

/* RM0390 25.4.4: baud = fCK / (8 x (2 - OVER8) x USARTDIV); BRR holds
 * 16 x USARTDIV (OVER8=0) or the mantissa and 3 fraction bits (OVER8=1). */
static uint32_t divisor(const struct usart *u)
{
    uint32_t brr = u->BRR & 0xFFFFu;
    return (u->CR1 & CR1_OVER8) ? (brr >> 4) * 8u + (brr & 7u) : brr;
}

/* Frame length: start bit, 8 or 9 data bits (parity included), STOP bits. */
static uint64_t char_ps_at(const struct usart *u, uint64_t div, uint64_t hz)
{
    static const unsigned stop_half_bits[4] = {2, 1, 4, 3};
    unsigned half_bits = 2u * (1u + ((u->CR1 & CR1_M) ? 9u : 8u)) + stop_half_bits[FIELD(u->CR2, 12, 2)];
    return (uint64_t)((unsigned __int128)half_bits * div * SIM_PS_PER_S / (2u * hz));
}

static uint64_t char_ps(const struct usart *u)
{
    return divisor(u) ? char_ps_at(u, divisor(u), fck(u)) : 0;
}

static void update_irq(struct usart *u)
{
    uint32_t sr = u->SR, cr1 = u->CR1;
    bool level = ((cr1 & CR1_TXEIE) && (sr & SR_TXE)) || ((cr1 & CR1_TCIE) && (sr & SR_TC)) ||
                 ((cr1 & CR1_RXNEIE) && (sr & (SR_RXNE | SR_ORE))) || ((cr1 & CR1_IDLEIE) && (sr & SR_IDLE)) ||
                 ((cr1 & CR1_PEIE) && (sr & SR_PE)) ||
                 ((u->CR3 & CR3_EIE) && (u->CR3 & CR3_DMAR) && (sr & (SR_FE | SR_NF | SR_ORE)));
    sim_irq_set_level(sim_of(u), u->irqn, level);
    /* RM0390 25.4.13: DMAT makes TXE a DMA request, DMAR makes RXNE one. */
    enum dma_req rx = (enum dma_req)(DMA_REQ_USART1_RX + 2 * u->index);
    dma_request(u->chip, rx + 1, (u->CR3 & CR3_DMAT) && (sr & SR_TXE));
    dma_request(u->chip, rx, (u->CR3 & CR3_DMAR) && (sr & SR_RXNE));
}

static bool routed(struct usart *u, bool tx)
{
    struct f446_board_hooks *h = &u->chip->hooks;
    return !h->usart_routed || h->usart_routed(h->ctx, u->index, tx);
}

static void tx_done(sim_t *s, void *dev, uint32_t arg);

static void try_start_tx(struct usart *u)
{
    if (u->shifting || !u->tdr_full || !(u->CR1 & CR1_UE) || !(u->CR1 & CR1_TE))
        return;
    uint64_t t = char_ps(u);
    if (!t) {
        sim_warn(sim_of(u), "%s: transmitting with BRR=0 (RM0390 25.6.3): nothing is sent", u->name);
        return;
    }
    u->tx_shift = u->tdr;
    u->tdr_full = false;
    u->shifting = true;
    /* TXE rises at once; TC is not touched here: only the SR-read-then-DR-write
     * sequence or a 0 written to it clears TC (RM0390 25.6.1). */
    u->SR |= SR_TXE;
    sim_event_at(sim_of(u), &u->ev_tx, sim_now_ps(sim_of(u)) + t, tx_done, u, 0);
}

static void tx_done(sim_t *s, void *dev, uint32_t arg)
{
    (void)arg;
    struct usart *u = dev;
    u->shifting = false;
    u->tx_bytes++;
    if (routed(u, true)) {
        if (u->chip->hooks.usart_tx)
            u->chip->hooks.usart_tx(u->chip->hooks.ctx, u->index, u->tx_shift);
    } else {
        sim_warn(s, "%s: byte sent while its TX pin is not in its alternate function: nobody receives it",
                 u->name);
    }
    try_start_tx(u);
    /* RM0390 25.6.1: TC is set when the frame is out and TXE is set; a byte
     * held in DR while TE=0 keeps TC low. */
    if (!u->shifting && !u->tdr_full)
        u->SR |= SR_TC;
    update_irq(u);
}

static uint64_t rx_spacing(const struct usart *u)
{
    /* The sender uses the configured frame; before the USART is set up,
     * the bytes come at 115200 baud. */
    uint64_t t = char_ps(u);
    return t ? t : char_ps_at(u, fck(u) / DEFAULT_BAUD, fck(u));
}

static void rx_event(sim_t *s, void *dev, uint32_t what)
{
    struct usart *u = dev;
    bool on = (u->CR1 & CR1_UE) && (u->CR1 & CR1_RE);
    if (what == RX_IDLE) {
        /* RM0390 25.6.1: IDLE after an idle frame, not again before RXNE. */
        if (on && u->rx_idle_pending)
            u->SR |= SR_IDLE;
        u->rx_idle_pending = false;
        update_irq(u);
        return;
    }
    uint8_t b = u->rx_queue[u->rx_head++];
    if (on && routed(u, false)) {
        if (u->SR & SR_RXNE) {
            u->SR |= SR_ORE; /* RM0390 25.6.1: RDR keeps its byte, the new one is lost */
            u->overruns++;
        } else {
            u->rdr = b;
            u->SR |= SR_RXNE;
            u->rx_bytes++;
            u->rx_idle_pending = true;
        }
    } else {
        u->rx_dropped++;
        sim_warn(s, "%s: byte arrived while the receiver is off or its RX pin is not connected: lost", u->name);
    }
    uint64_t next = sim_now_ps(s) + rx_spacing(u);
    if (u->rx_head < u->rx_len) {
        sim_event_at(s, &u->ev_rx, next, rx_event, u, RX_BYTE);
    } else {
        u->rx_head = u->rx_len = 0;
        sim_event_at(s, &u->ev_rx, next, rx_event, u, RX_IDLE);
    }
    update_irq(u);
}

void usart_inject_rx(struct usart *u, const uint8_t *bytes, size_t len)
{
    if (!len)
        return;
    if (u->rx_len + len > u->rx_cap) {
        size_t cap = (u->rx_len + len) * 2u;
        uint8_t *q = realloc(u->rx_queue, cap);
        if (!q)
            return;
        u->rx_queue = q;
        u->rx_cap = cap;
    }
    memcpy(u->rx_queue + u->rx_len, bytes, len);
    u->rx_len += len;
    if (!u->ev_rx.queued || u->ev_rx.arg == RX_IDLE)
        sim_event_at(sim_of(u), &u->ev_rx, sim_now_ps(sim_of(u)) + rx_spacing(u), rx_event, u, RX_BYTE);
}

static uint32_t usart_read(void *dev, uint32_t offset, unsigned size)
{
    struct usart *u = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = u->SR; u->sr_seen = v; break;
    case 0x04:
        v = u->rdr;
        /* RXNE cleared by reading DR; ORE, IDLE, NF, FE, PE by SR read then DR read. */
        u->SR &= ~(SR_RXNE | (u->sr_seen & (SR_ORE | SR_IDLE | SR_NF | SR_FE | SR_PE)));
        u->sr_seen &= SR_TC; /* the TC sequence (SR read, DR write) is a separate one */
        update_irq(u);
        break;
    case 0x08: v = u->BRR; break;
    case 0x0C: v = u->CR1; break;
    case 0x10: v = u->CR2; break;
    case 0x14: v = u->CR3; break;
    case 0x18: if (u->index != 3 && u->index != 4) { v = u->GTPR; break; } /* fall through */
    default: sim_unmodeled(sim_of(u), u->base + (offset & ~3u), false); return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void usart_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct usart *u = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    switch (offset) {
    case 0x00: u->SR &= (value | ~lane) | ~SR_RC_W0; break;
    case 0x04:
        if (u->sr_seen & SR_TC) /* TC cleared by SR read then DR write (25.6.1) */
            u->SR &= ~SR_TC;
        u->sr_seen &= ~SR_TC;
        if (u->tdr_full)
            sim_warn(sim_of(u), "%s: DR written while TXE=0: the previous byte is overwritten (RM0390 25.3.2)",
                     u->name);
        u->tdr = (uint8_t)value;
        u->tdr_full = true;
        u->SR &= ~SR_TXE;
        try_start_tx(u);
        break;
    case 0x08: u->BRR = regio_merge(u->BRR, value, lane & 0xFFFFu); break;
    case 0x0C: u->CR1 = regio_merge(u->CR1, value, lane & 0xBFFFu); try_start_tx(u); break;
    case 0x10: u->CR2 = regio_merge(u->CR2, value, lane & 0x7F6Fu); break;
    case 0x14: u->CR3 = regio_merge(u->CR3, value, lane & 0x0FFFu); break;
    case 0x18:
        if (u->index != 3 && u->index != 4) {
            u->GTPR = regio_merge(u->GTPR, value, lane & 0xFFFFu);
            break;
        }
        /* fall through */
    default: sim_unmodeled(sim_of(u), u->base + offset, true); return;
    }
    update_irq(u);
}

/* Debugger read: SR without arming the SR-then-DR clear sequences, DR
 * without clearing RXNE (RM0390 25.6.1, 25.6.2). */
static uint32_t usart_peek(void *dev, uint32_t offset, unsigned size)
{
    struct usart *u = dev;
    uint32_t v = 0;
    switch (offset & ~3u) {
    case 0x00: v = u->SR; break;
    case 0x04: v = u->rdr; break;
    case 0x08: v = u->BRR; break;
    case 0x0C: v = u->CR1; break;
    case 0x10: v = u->CR2; break;
    case 0x14: v = u->CR3; break;
    case 0x18: v = u->index != 3 && u->index != 4 ? u->GTPR : 0; break;
    default: break;
    }
    return regio_read_lane(v, offset, size);
}

const struct sim_mmio_ops usart_ops = {usart_read, usart_write, usart_peek};

void usart_reset(struct usart *u)
{
    sim_event_cancel(sim_of(u), &u->ev_tx);
    sim_event_cancel(sim_of(u), &u->ev_rx);
    /* RM0390 25.6.1: SR resets to 0x00C0 (TXE, TC); the SVD's 0x00C00000 is wrong. */
    u->SR = SR_TXE | SR_TC;
    u->CR1 = u->CR2 = u->CR3 = u->BRR = u->GTPR = 0;
    u->rdr = u->tdr = u->tx_shift = 0;
    u->tdr_full = u->shifting = false;
    u->sr_seen = 0;
    u->rx_len = u->rx_head = 0;
    u->rx_idle_pending = false;
    update_irq(u);
}
