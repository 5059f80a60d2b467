/*
 * TIM2..TIM5, general-purpose timers (RM0390 section 17) on the internal
 * clock: up, down and center-aligned counting. The counter is never ticked:
 * CNT is computed from the virtual time elapsed since an anchor (time,
 * count) and the prescaler, counting up or down (`down`), and one event is
 * scheduled at the next overflow, underflow or compare match. Input capture
 * from the pins is in tim_capture.c.
 */
#include "f446.h"
#include "regio.h"

#define CR1_CEN BIT(0)
#define CR1_UDIS BIT(1)
#define CR1_URS BIT(2)
#define CR1_OPM BIT(3)
#define CR1_DIR BIT(4)
#define CR1_CMS_POS 5
#define CR1_ARPE BIT(7)
#define CR1_MASK 0x3FFu
#define SR_UIF BIT(0)
#define SR_TIF BIT(6)
#define SR_CCIF(ch) BIT((ch) + 1)  /* CC1IF..CC4IF */
#define SR_CCOF(ch) BIT((ch) + 9)  /* CC1OF..CC4OF */
#define CCER_CCE(ch) BIT(4 * (ch)) /* CC1E..CC4E */
#define CCMR_CCS 3u                /* CCxS in a channel's CCMR byte */
#define SR_MASK 0x1E5Fu
#define DIER_MASK 0x5F5Fu
#define DIER_UIE BIT(0)
#define IRQ_FLAGS 0x5Fu /* UIF, CC1IF..CC4IF, TIF pair with UIE, CC1IE..CC4IE, TIE */
#define EGR_UG BIT(0)
#define EGR_TG BIT(6)
#define SMCR_SMS 7u

typedef unsigned __int128 u128;

static sim_t *sim_of(const struct tim *t) { return t->chip->sim; }
static int64_t max_count(const struct tim *t) { return t->wide ? 0xFFFFFFFFll : 0xFFFFll; }
/* RM0390 17.4.12: the counter is blocked while the auto-reload value is 0. */
static bool running(const struct tim *t) { return (t->CR1 & CR1_CEN) && t->clk_hz && t->arr_active; }

static unsigned ccmr_of(const struct tim *t, int ch) { return (ch < 2 ? t->CCMR1 : t->CCMR2) >> (8 * (ch & 1)); }
static bool is_output(const struct tim *t, int ch) { return (ccmr_of(t, ch) & CCMR_CCS) == 0; }
static bool preloaded(const struct tim *t, int ch) { return (ccmr_of(t, ch) & BIT(3)) != 0; } /* OCxPE */

static uint64_t divisor_ps(const struct tim *t) { return (uint64_t)(t->psc_active + 1u); }

static int64_t ticks_at(const struct tim *t, uint64_t now)
{
    if (now <= t->anchor_ps)
        return 0;
    u128 n = (u128)(now - t->anchor_ps) * t->clk_hz;
    return (int64_t)(n / ((u128)SIM_PS_PER_S * divisor_ps(t)));
}

static uint64_t time_of_tick(const struct tim *t, int64_t m)
{
    u128 num = (u128)(uint64_t)m * divisor_ps(t) * SIM_PS_PER_S;
    return t->anchor_ps + (uint64_t)((num + t->clk_hz - 1) / t->clk_hz);
}

static void anchor(struct tim *t, uint64_t at, int64_t cnt)
{
    t->anchor_ps = at;
    t->anchor_cnt = cnt;
    t->scan_cnt = cnt;
}

static unsigned cms_of(const struct tim *t) { return FIELD(t->CR1, CR1_CMS_POS, 2); }

/* RM0390 17.4.1 (CMS): in center-aligned mode 1 the compare flags of output channels are set
 * only while counting down, in mode 2 only while counting up, in mode 3 both ways. */
static bool compare_flags_when(const struct tim *t, bool down)
{
    unsigned cms = cms_of(t);
    return cms == 0 || cms == 3 || (cms == 1) == down;
}

/* Compare matches of the counter going from `from` to `to`, `from` excluded (going up it passes
 * (from, to], going down [to, from)). */
static void compares(struct tim *t, int64_t from, int64_t to)
{
    /* RM0390 17.3.8 (output compare mode): in output compare (and frozen) mode CCxIF is set when
     * the counter matches CCRx, whatever CCxE. */
    if (!compare_flags_when(t, t->down))
        return;
    for (int ch = 0; ch < 4; ch++) {
        int64_t c = t->ccr_active[ch];
        if (is_output(t, ch) && (t->down ? c >= to && c < from : c > from && c <= to))
            t->SR |= SR_CCIF(ch);
    }
}

static void load_shadows(struct tim *t)
{
    t->psc_active = t->PSC;
    t->arr_active = t->ARR;
    for (int ch = 0; ch < 4; ch++)
        t->ccr_active[ch] = t->CCR[ch];
}

static int64_t limit_of(const struct tim *t)
{
    /* Above ARR (CNT written past it, ARR lowered without preload) the counter
     * runs to its maximum and wraps. */
    return t->scan_cnt <= (int64_t)t->arr_active ? (int64_t)t->arr_active : max_count(t);
}

/* The counter value at which the next overflow or underflow happens (RM0390 17.3.2): up-counting
 * wraps after ARR (the value ARR + 1 is never shown); down-counting reloads after 0 (at -1);
 * center-aligned turns when the counter reaches ARR (overflow) and 0 (underflow). *reverse tells
 * a center-aligned turn from a wrap. */
static int64_t turn_cnt(const struct tim *t, bool *reverse)
{
    bool center = cms_of(t) != 0;
    *reverse = center && (t->down || t->scan_cnt < (int64_t)t->arr_active);
    if (t->down)
        return center ? 0 : -1;
    return *reverse ? (int64_t)t->arr_active : limit_of(t) + 1;
}

/* The counter `ticks` after the anchor, and the ticks from the anchor to a counter value. */
static int64_t cnt_after(const struct tim *t, int64_t ticks)
{
    return t->down ? t->anchor_cnt - ticks : t->anchor_cnt + ticks;
}

static int64_t ticks_to(const struct tim *t, int64_t cnt)
{
    return t->down ? t->anchor_cnt - cnt : cnt - t->anchor_cnt;
}

/* Overflow or underflow `ticks` after the anchor, at time `at` (RM0390 17.3.2): the update event
 * (unless UDIS) loads the shadow registers and sets UIF. */
static void update_event(struct tim *t, uint64_t at, int64_t ticks, int64_t turn, bool reverse)
{
    uint32_t old_psc = t->psc_active;
    if (!(t->CR1 & CR1_UDIS)) {
        load_shadows(t);
        if (t->DIER & DIER_UIE) {
            t->update_irqs++;
            if (t->SR & SR_UIF)
                t->missed_updates++;
        }
        t->SR |= SR_UIF;
    }
    /* The counter after the event: up-counting restarts at 0, down-counting from the (new) ARR;
     * center-aligned stays at ARR or 0 and reverses. */
    int64_t cnt = reverse ? turn : t->down ? (int64_t)t->arr_active : 0;
    if (reverse)
        t->down = !t->down;
    if (t->psc_active != old_psc)
        anchor(t, at, cnt);
    else
        t->anchor_cnt = t->down ? cnt + ticks : cnt - ticks;
    /* A wrap shows its new value once more to the compares; a turn has shown it already. */
    t->scan_cnt = reverse ? cnt : t->down ? cnt + 1 : cnt - 1;
    if (!t->arr_active)
        t->held_cnt = 0;
    if (t->CR1 & CR1_OPM) {
        /* One-pulse mode: the counter stops at the update event (RM0390 17.3.13, one-pulse mode). */
        t->CR1 &= ~CR1_CEN;
        t->held_cnt = (uint32_t)cnt;
    }
}

static void sync(struct tim *t)
{
    if (!running(t))
        return;
    uint64_t now = sim_now_ps(sim_of(t));
    for (;;) {
        int64_t cnt = cnt_after(t, ticks_at(t, now));
        bool reverse;
        int64_t turn = turn_cnt(t, &reverse);
        if (t->down ? cnt > turn : cnt < turn) {
            compares(t, t->scan_cnt, cnt);
            t->scan_cnt = cnt;
            return;
        }
        /* the center-aligned counter shows its turning value; a wrapping one never does */
        compares(t, t->scan_cnt, reverse ? turn : t->down ? turn + 1 : turn - 1);
        int64_t ticks = ticks_to(t, turn);
        update_event(t, time_of_tick(t, ticks), ticks, turn, reverse);
        if (!running(t))
            return;
    }
}

uint32_t tim_cnt(struct tim *t)
{
    sync(t);
    return running(t) ? (uint32_t)t->scan_cnt : t->held_cnt;
}

static void update_irq(struct tim *t)
{
    sim_irq_set_level(sim_of(t), t->irqn, (t->SR & t->DIER & IRQ_FLAGS) != 0);
}

static void tim_event(sim_t *s, void *dev, uint32_t arg);

/* A channel turned input releases its AF pin, one turned output drives it (tim_pin_is_input);
 * GPIOA..C hold the timer pins of the LQFP64 package. */
static void refresh_pins(struct tim *t)
{
    for (int port = 0; port < 3; port++)
        gpio_refresh(&t->chip->gpio[port]);
}

static void reschedule(struct tim *t)
{
    sim_event_cancel(sim_of(t), &t->ev);
    if (!running(t))
        return;
    bool reverse;
    int64_t target = turn_cnt(t, &reverse);
    for (int ch = 0; compare_flags_when(t, t->down) && ch < 4; ch++) {
        int64_t c = t->ccr_active[ch];
        if (!is_output(t, ch))
            continue;
        if (t->down ? c < t->scan_cnt && c > target : c > t->scan_cnt && c < target)
            target = c;
    }
    sim_event_at(sim_of(t), &t->ev, time_of_tick(t, ticks_to(t, target)), tim_event, t, 0);
}

static void tim_event(sim_t *s, void *dev, uint32_t arg)
{
    (void)s;
    (void)arg;
    struct tim *t = dev;
    sync(t);
    update_irq(t);
    reschedule(t);
}

void tim_clock_changed(struct tim *t)
{
    uint32_t hz = rcc_timclk1_hz(&t->chip->rcc);
    if (hz == t->clk_hz)
        return;
    sync(t);
    if (running(t)) {
        int64_t cnt = t->scan_cnt;
        t->clk_hz = hz;
        anchor(t, sim_now_ps(sim_of(t)), cnt);
    } else {
        t->clk_hz = hz;
    }
    update_irq(t);
    reschedule(t);
}

static void set_cnt(struct tim *t, uint32_t cnt)
{
    t->held_cnt = cnt;
    anchor(t, sim_now_ps(sim_of(t)), cnt);
}

static void write_cr1(struct tim *t, uint32_t v)
{
    uint32_t cnt = tim_cnt(t);
    bool was = running(t), was_down = t->down;
    v &= CR1_MASK;
    /* RM0390 17.4.1: DIR is read-only in center-aligned mode, where it shows the direction. */
    if (FIELD(v, CR1_CMS_POS, 2) != 0)
        v = (v & ~CR1_DIR) | (t->CR1 & CR1_DIR);
    else
        t->down = (v & CR1_DIR) != 0;
    t->CR1 = v;
    if ((!was && running(t)) || (running(t) && t->down != was_down))
        set_cnt(t, cnt);
    else if (was && !running(t))
        t->held_cnt = cnt;
}

static uint32_t read_cr1(struct tim *t)
{
    sync(t);
    if (cms_of(t) == 0)
        return t->CR1;
    return (t->CR1 & ~CR1_DIR) | (t->down ? CR1_DIR : 0);
}

static void write_egr(struct tim *t, uint32_t v)
{
    if (v & EGR_UG) {
        /* RM0390 17.4.6 (TIMx_EGR): UG re-initializes the counter and the prescaler;
         * with UDIS the shadow registers keep their value; URS hides UIF. */
        sync(t);
        if (!(t->CR1 & CR1_UDIS)) {
            load_shadows(t);
            if (!(t->CR1 & CR1_URS))
                t->SR |= SR_UIF;
        }
        /* 17.3.2: the counter restarts from 0 (up-counting, center-aligned counting up) or,
         * down-counting, from the auto-reload value. */
        if (cms_of(t) != 0)
            t->down = false;
        set_cnt(t, t->down ? t->arr_active : 0);
    }
    t->SR |= v & (0x1Eu | EGR_TG); /* CCxG, TG set the flags */
}

/* The value of the register at `offset` (word-aligned), as the bus would read
 * it; false for a register the model does not have. Shared by the firmware's
 * read, which adds the read side effects, and the debugger's peek, which must
 * not (docs/debugging.md). Bringing the counter up to now (sync) is not a side
 * effect: it only applies what has already happened by this virtual time. */
static bool reg_value(struct tim *t, uint32_t offset, uint32_t *v)
{
    switch (offset) {
    case 0x00: *v = read_cr1(t); break;
    case 0x04: *v = t->CR2; break;
    case 0x08: *v = t->SMCR; break;
    case 0x0C: *v = t->DIER; break;
    case 0x10: sync(t); update_irq(t); *v = t->SR; break;
    case 0x14: *v = 0; break; /* EGR is write-only */
    case 0x18: *v = t->CCMR1; break;
    case 0x1C: *v = t->CCMR2; break;
    case 0x20: *v = t->CCER; break;
    case 0x24: *v = tim_cnt(t); break;
    case 0x28: *v = t->PSC; break;
    case 0x2C: *v = t->ARR; break;
    case 0x34: case 0x38: case 0x3C: case 0x40: *v = t->CCR[(offset - 0x34) / 4]; break;
    case 0x48: *v = t->DCR; break;
    case 0x50:
        if (t->irqn == 28 || t->irqn == 50) { *v = t->OR; break; }
        return false;
    default: return false;
    }
    return true;
}

static uint32_t tim_read(void *dev, uint32_t offset, unsigned size)
{
    struct tim *t = dev;
    uint32_t reg = offset & ~3u, v;
    if (!reg_value(t, reg, &v)) {
        sim_unmodeled(sim_of(t), t->base + reg, false);
        return 0;
    }
    if (reg >= 0x34 && reg <= 0x40) {
        int ch = (int)(reg - 0x34) / 4;
        /* RM0390 17.4.5 (CCxIF, input capture mode): cleared by reading TIMx_CCRx. */
        if (!is_output(t, ch)) {
            t->SR &= ~SR_CCIF(ch);
            update_irq(t);
        }
    }
    return regio_read_lane(v, offset, size);
}

/* Debugger read: CCRx without clearing CCxIF, and no unmodeled-register report. */
static uint32_t tim_peek(void *dev, uint32_t offset, unsigned size)
{
    uint32_t v = 0;
    (void)reg_value(dev, offset & ~3u, &v);
    return regio_read_lane(v, offset, size);
}

static void tim_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct tim *t = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    uint32_t width = t->wide ? 0xFFFFFFFFu : 0xFFFFu;
    switch (offset) {
    case 0x00: write_cr1(t, regio_merge(t->CR1, value, lane)); break;
    case 0x04: t->CR2 = regio_merge(t->CR2, value, lane & 0xF8u); break;
    case 0x08:
        t->SMCR = regio_merge(t->SMCR, value, lane & 0xFFF7u);
        if (t->SMCR & SMCR_SMS)
            sim_warn(sim_of(t), "%s: slave mode (SMCR.SMS=%u) is not modeled", t->name, t->SMCR & SMCR_SMS);
        break;
    case 0x0C: t->DIER = regio_merge(t->DIER, value, lane & DIER_MASK); break;
    case 0x10: sync(t); t->SR &= (value | ~lane) | ~SR_MASK; break; /* rc_w0 */
    case 0x14: write_egr(t, value & lane); break;
    case 0x18: case 0x1C: {
        uint32_t *r = offset == 0x18 ? &t->CCMR1 : &t->CCMR2;
        int first = offset == 0x18 ? 0 : 2;
        sync(t);
        /* RM0390 17.4.7: CCxS is writable only while the channel is off (CCxE = 0). */
        uint32_t keep = 0;
        for (int i = 0; i < 2; i++)
            if (t->CCER & CCER_CCE(first + i))
                keep |= CCMR_CCS << (8 * i);
        *r = regio_merge(*r, value, lane & 0xFFFFu & ~keep);
        for (int i = 0; i < 2; i++)
            if (FIELD(*r, 8 * i, 2) == CCMR_CCS)
                sim_warn(sim_of(t), "%s: CC%dS = 11 (input from TRC, slave mode) is not modeled: no capture "
                                    "ever happens on this channel", t->name, first + i + 1);
        refresh_pins(t);
        break;
    }
    case 0x20:
        t->CCER = regio_merge(t->CCER, value, lane & 0xBBBBu);
        /* RM0390 17.4.7 (ICxPSC): the input-capture prescaler is reset while CCxE = 0. */
        for (int ch = 0; ch < 4; ch++)
            if (!(t->CCER & CCER_CCE(ch)))
                t->ic_events[ch] = 0;
        break;
    case 0x24: sync(t); set_cnt(t, regio_merge(tim_cnt(t), value, lane) & width); break;
    case 0x28: t->PSC = regio_merge(t->PSC, value, lane & 0xFFFFu); break; /* preloaded (17.3.1) */
    case 0x2C: {
        uint32_t cnt = tim_cnt(t);
        bool before = running(t);
        t->ARR = regio_merge(t->ARR, value, lane & width);
        if (!(t->CR1 & CR1_ARPE))
            t->arr_active = t->ARR;
        if (!before && running(t))
            set_cnt(t, cnt);
        else if (before && !running(t))
            t->held_cnt = cnt;
        break;
    }
    case 0x34: case 0x38: case 0x3C: case 0x40: {
        int ch = (int)(offset - 0x34) / 4;
        sync(t);
        t->CCR[ch] = regio_merge(t->CCR[ch], value, lane & width);
        if (!preloaded(t, ch))
            t->ccr_active[ch] = t->CCR[ch];
        break;
    }
    case 0x48: t->DCR = regio_merge(t->DCR, value, lane & 0x1F1Fu); break;
    case 0x50:
        if (t->irqn == 28 || t->irqn == 50) { /* TIM2_OR ITR1_RMP, TIM5_OR TI4_RMP */
            t->OR = regio_merge(t->OR, value, lane & 0x0CC0u);
            break;
        }
        /* fall through */
    default: sim_unmodeled(sim_of(t), t->base + offset, true); return;
    }
    update_irq(t);
    reschedule(t);
}

/* An input-capture event on channel `ch` (RM0390 17.3.5): CCRx takes the counter at this time,
 * CCxIF is set, and CCxOF too when CCxIF was still set from the previous capture. */
void tim_capture(struct tim *t, int ch)
{
    uint32_t cnt = tim_cnt(t);
    t->CCR[ch] = t->ccr_active[ch] = cnt;
    if (t->SR & SR_CCIF(ch))
        t->SR |= SR_CCOF(ch);
    t->SR |= SR_CCIF(ch);
    update_irq(t);
    reschedule(t);
}

const struct sim_mmio_ops tim_ops = {tim_read, tim_write, tim_peek};

void tim_reset(struct tim *t)
{
    sim_event_cancel(sim_of(t), &t->ev);
    t->CR1 = t->CR2 = t->SMCR = t->DIER = t->SR = 0;
    t->CCMR1 = t->CCMR2 = t->CCER = t->PSC = t->DCR = t->OR = 0;
    t->ARR = 0;
    for (int ch = 0; ch < 4; ch++) {
        t->CCR[ch] = 0;
        t->ic_events[ch] = 0;
    }
    load_shadows(t);
    t->held_cnt = 0;
    t->down = false;
    t->clk_hz = rcc_timclk1_hz(&t->chip->rcc);
    anchor(t, sim_now_ps(sim_of(t)), 0);
    update_irq(t);
    refresh_pins(t);
}
