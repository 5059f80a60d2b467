/*
 * TIM2..TIM5 input capture from the GPIO pins (RM0390 17.3.5). A pin edge
 * reaches timer input TIx when the pin is in alternate-function mode
 * (MODER = 10) with the AF number of that timer channel; the channels whose
 * CCxS selects TIx (01: TIx on ICx, 10: the neighbour's TI) and whose CCxE
 * is set capture on the edge CCxP/CCxNP selects, after the ICxPSC prescaler.
 * The input filter (ICxF) is taken as delay-free: an edge is captured at
 * the time the pin changes.
 */
#include "f446.h"
#include "regio.h"

/* STM32F446xC/E datasheet (DS10693) table 11, alternate function mapping, for the pins of the
 * LQFP64 package (the Nucleo-F446RE): AF1 = TIM2, AF2 = TIM3/TIM4/TIM5. */
struct tim_pin {
    uint8_t port, pin, af, tim, ch; /* tim 0 = TIM2; ch 0 = CH1 */
};

static const struct tim_pin tim_pins[] = {
    {0, 0, 1, 0, 0},  {0, 1, 1, 0, 1},  {0, 2, 1, 0, 2},  {0, 3, 1, 0, 3},  /* PA0..PA3 TIM2_CH1..4 */
    {0, 5, 1, 0, 0},  {0, 15, 1, 0, 0},                                    /* PA5, PA15 TIM2_CH1 */
    {1, 2, 1, 0, 3},  {1, 3, 1, 0, 1},  {1, 8, 1, 0, 0},  {1, 9, 1, 0, 1},  /* PB2, PB3, PB8, PB9: TIM2_CH4/2/1/2 */
    {1, 10, 1, 0, 2},                                                      /* PB10 TIM2_CH3 */
    {0, 6, 2, 1, 0},  {0, 7, 2, 1, 1},  {1, 0, 2, 1, 2},  {1, 1, 2, 1, 3},  /* PA6, PA7, PB0, PB1 TIM3 */
    {1, 4, 2, 1, 0},  {1, 5, 2, 1, 1},                                     /* PB4, PB5 TIM3_CH1/2 */
    {2, 6, 2, 1, 0},  {2, 7, 2, 1, 1},  {2, 8, 2, 1, 2},  {2, 9, 2, 1, 3},  /* PC6..PC9 TIM3_CH1..4 */
    {1, 6, 2, 2, 0},  {1, 7, 2, 2, 1},  {1, 8, 2, 2, 2},  {1, 9, 2, 2, 3},  /* PB6..PB9 TIM4_CH1..4 */
    {0, 0, 2, 3, 0},  {0, 1, 2, 3, 1},  {0, 2, 2, 3, 2},  {0, 3, 2, 3, 3},  /* PA0..PA3 TIM5_CH1..4 */
};

#define TIM5_OR_TI4_RMP (3u << 6)

#define CCER_CCE(ch) BIT(4 * (ch))
#define CCER_CCP(ch) BIT(4 * (ch) + 1)
#define CCER_CCNP(ch) BIT(4 * (ch) + 3)
#define CCMR_CCS_POS 0  /* CCxS in a channel's CCMR byte */
#define CCMR_ICPSC_POS 2 /* ICxPSC */

static unsigned ccmr_byte(const struct tim *t, int ch)
{
    return FIELD(ch < 2 ? t->CCMR1 : t->CCMR2, 8 * (ch & 1), 8);
}

/* RM0390 17.4.9 (CCxP/CCxNP in input mode): 00 rising edge, 01 falling edge, 11 both edges;
 * 10 is reserved and captures nothing here. */
static bool edge_selected(const struct tim *t, int ch, bool rising)
{
    bool p = (t->CCER & CCER_CCP(ch)) != 0, np = (t->CCER & CCER_CCNP(ch)) != 0;
    if (np)
        return p;
    return p ? !rising : rising;
}

/* An edge on timer input TI(ti+1). */
static void input_edge(struct tim *t, int ti, bool rising)
{
    for (int ch = 0; ch < 4; ch++) {
        unsigned ccs = FIELD(ccmr_byte(t, ch), CCMR_CCS_POS, 2);
        /* RM0390 17.4.7 (CCxS): 01 = ICx on TIx; 10 = IC1 on TI2, IC2 on TI1, IC3 on TI4, IC4 on TI3 */
        int source = ccs == 1u ? ch : ccs == 2u ? (ch ^ 1) : -1;
        if (source != ti || !(t->CCER & CCER_CCE(ch)) || !edge_selected(t, ch, rising))
            continue;
        /* ICxPSC: capture once every 1, 2, 4 or 8 events. */
        unsigned every = 1u << FIELD(ccmr_byte(t, ch), CCMR_ICPSC_POS, 2);
        if (++t->ic_events[ch] < every)
            continue;
        t->ic_events[ch] = 0;
        tim_capture(t, ch);
    }
}

/* The timer channel `pin` of GPIOx selects in its alternate function, or NULL. */
static const struct tim_pin *channel_of(const struct f446 *c, int port, int pin)
{
    const struct gpio *g = &c->gpio[port];
    if (gpio_mode(g, pin) != GPIO_MODER_AF)
        return NULL;
    for (size_t i = 0; i < sizeof tim_pins / sizeof tim_pins[0]; i++) {
        const struct tim_pin *p = &tim_pins[i];
        if (p->port == port && p->pin == pin && p->af == gpio_af(g, pin))
            return p;
    }
    return NULL;
}

/* RM0390 7.3.10: in alternate-function mode the output buffer is driven by the peripheral; a
 * timer channel configured as input (CCxS != 00, 17.4.7) drives nothing. */
bool tim_pin_is_input(const struct f446 *c, int port, int pin)
{
    const struct tim_pin *p = channel_of(c, port, pin);
    return p && FIELD(ccmr_byte(&c->tim[p->tim], p->ch), CCMR_CCS_POS, 2) != 0;
}

void tim_gpio_edge(struct f446 *c, int port, int pin, bool rising)
{
    /* A pin has one AF at a time: at most one timer input sees the edge. */
    const struct tim_pin *p = channel_of(c, port, pin);
    if (!p)
        return;
    struct tim *t = &c->tim[p->tim];
    /* an unclocked timer sees nothing (RCC_APB1ENR TIM2EN..TIM5EN, RM0390 6.3.13) */
    if (!(c->rcc.ENR[RCC_APB1] & BIT(p->tim)))
        return;
    /* TIM5_OR.TI4_RMP != 0 feeds TI4 from LSI/LSE/RTC instead of the pin (RM0390 17.4.21) */
    if (p->tim == 3 && p->ch == 3 && (t->OR & TIM5_OR_TI4_RMP))
        return;
    input_edge(t, p->ch, rising);
}
