/*
 * TIM2..TIM5, general-purpose timers (RM0390 section 17), up-counting with
 * the internal clock. The counter is never ticked: CNT is computed from the
 * virtual time elapsed since an anchor (time, count) and the prescaler, and
 * one event is scheduled at the next update or compare match.
 */
#include "f446.h"
#include "regio.h"

#define CR1_CEN BIT(0)
#define CR1_UDIS BIT(1)
#define CR1_URS BIT(2)
#define CR1_OPM BIT(3)
#define CR1_DIR BIT(4)
#define CR1_CMS (3u << 5)
#define CR1_ARPE BIT(7)
#define CR1_MASK 0x3FFu
#define SR_UIF BIT(0)
#define SR_TIF BIT(6)
#define SR_MASK 0x1E5Fu
#define DIER_MASK 0x5F5Fu
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
static bool is_output(const struct tim *t, int ch) { return (ccmr_of(t, ch) & 3u) == 0; }
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

static void compares(struct tim *t, int64_t from, int64_t to)
{
    /* RM0390 17.3.8 (output compare mode): in output compare (and frozen) mode CCxIF is set when
     * the counter matches CCRx, whatever CCxE. */
    for (int ch = 0; ch < 4; ch++)
        if (is_output(t, ch) && (int64_t)t->ccr_active[ch] > from && (int64_t)t->ccr_active[ch] <= to)
            t->SR |= BIT(ch + 1);
}

static void load_shadows(struct tim *t)
{
    t->psc_active = t->PSC;
    t->arr_active = t->ARR;
    for (int ch = 0; ch < 4; ch++)
        t->ccr_active[ch] = t->CCR[ch];
}

/* Counter overflow at time `at` (RM0390 17.3.2, upcounting mode). */
static void overflow(struct tim *t, uint64_t at)
{
    if (!(t->CR1 & CR1_UDIS)) {
        uint32_t old_psc = t->psc_active;
        load_shadows(t);
        t->SR |= SR_UIF;
        if (t->psc_active != old_psc)
            anchor(t, at, 0);
    }
    if (!t->arr_active)
        t->held_cnt = 0;
    if (t->CR1 & CR1_OPM) {
        /* One-pulse mode: the counter stops at the update event (RM0390 17.3.13, one-pulse mode). */
        t->CR1 &= ~CR1_CEN;
        t->held_cnt = 0;
    }
}

static int64_t limit_of(const struct tim *t)
{
    /* Above ARR (CNT written past it, ARR lowered without preload) the counter
     * runs to its maximum and wraps. */
    return t->scan_cnt <= (int64_t)t->arr_active ? (int64_t)t->arr_active : max_count(t);
}

static void sync(struct tim *t)
{
    if (!running(t))
        return;
    uint64_t now = sim_now_ps(sim_of(t));
    for (;;) {
        int64_t cnt = t->anchor_cnt + ticks_at(t, now);
        int64_t limit = limit_of(t);
        if (cnt <= limit) {
            compares(t, t->scan_cnt, cnt);
            t->scan_cnt = cnt;
            return;
        }
        compares(t, t->scan_cnt, limit);
        uint64_t at = time_of_tick(t, limit + 1 - t->anchor_cnt);
        t->anchor_cnt -= limit + 1;
        t->scan_cnt = -1;
        overflow(t, at);
        if (!running(t))
            return;
        compares(t, -1, 0 > t->anchor_cnt + ticks_at(t, now) ? -1 : 0);
        t->scan_cnt = 0;
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

static void reschedule(struct tim *t)
{
    sim_event_cancel(sim_of(t), &t->ev);
    if (!running(t))
        return;
    int64_t limit = limit_of(t), target = limit + 1;
    for (int ch = 0; ch < 4; ch++) {
        int64_t c = t->ccr_active[ch];
        if (is_output(t, ch) && c > t->scan_cnt && c <= limit && c < target)
            target = c;
    }
    sim_event_at(sim_of(t), &t->ev, time_of_tick(t, target - t->anchor_cnt), tim_event, t, 0);
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
    bool was = running(t);
    t->CR1 = v & CR1_MASK;
    if (t->CR1 & (CR1_DIR | CR1_CMS))
        sim_warn(sim_of(t), "%s: down-counting and center-aligned modes are not modeled (CR1=0x%x); "
                            "the counter counts up", t->name, t->CR1);
    if (!was && running(t))
        set_cnt(t, cnt);
    else if (was && !running(t))
        t->held_cnt = cnt;
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
        set_cnt(t, 0);
    }
    t->SR |= v & (0x1Eu | EGR_TG); /* CCxG, TG set the flags */
}

static uint32_t tim_read(void *dev, uint32_t offset, unsigned size)
{
    struct tim *t = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = t->CR1; break;
    case 0x04: v = t->CR2; break;
    case 0x08: v = t->SMCR; break;
    case 0x0C: v = t->DIER; break;
    case 0x10: sync(t); update_irq(t); v = t->SR; break;
    case 0x14: v = 0; break; /* EGR is write-only */
    case 0x18: v = t->CCMR1; break;
    case 0x1C: v = t->CCMR2; break;
    case 0x20: v = t->CCER; break;
    case 0x24: v = tim_cnt(t); break;
    case 0x28: v = t->PSC; break;
    case 0x2C: v = t->ARR; break;
    case 0x34: case 0x38: case 0x3C: case 0x40: v = t->CCR[((offset & ~3u) - 0x34) / 4]; break;
    case 0x48: v = t->DCR; break;
    case 0x50: if (t->irqn == 28 || t->irqn == 50) { v = t->OR; break; } /* fall through */
    default: sim_unmodeled(sim_of(t), t->base + (offset & ~3u), false); return 0;
    }
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
        sync(t);
        *r = regio_merge(*r, value, lane & 0xFFFFu);
        if ((*r & 3u) || (*r & 0x300u))
            sim_warn(sim_of(t), "%s: input capture (CCxS != 0) is not modeled: no capture ever happens", t->name);
        break;
    }
    case 0x20: t->CCER = regio_merge(t->CCER, value, lane & 0xBBBBu); break;
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

const struct sim_mmio_ops tim_ops = {tim_read, tim_write, NULL};

void tim_reset(struct tim *t)
{
    sim_event_cancel(sim_of(t), &t->ev);
    t->CR1 = t->CR2 = t->SMCR = t->DIER = t->SR = 0;
    t->CCMR1 = t->CCMR2 = t->CCER = t->PSC = t->DCR = t->OR = 0;
    t->ARR = 0;
    for (int ch = 0; ch < 4; ch++)
        t->CCR[ch] = 0;
    load_shadows(t);
    t->held_cnt = 0;
    t->clk_hz = rcc_timclk1_hz(&t->chip->rcc);
    anchor(t, sim_now_ps(sim_of(t)), 0);
    update_irq(t);
}
