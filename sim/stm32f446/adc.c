/*
 * ADC1..ADC3 (RM0390 section 13): registers, the regular sequencer and its
 * timing, flags, interrupt and DMA request. What is converted (pads,
 * temperature sensor, VREFINT) is adc_analog.c.
 *
 * Modeled: ADON with its power-up time, SWSTART, single (CONT = 0) and
 * continuous (CONT = 1) conversion, scan of the regular sequence
 * SQR1..SQR3 with its length L (SCAN = 1; SCAN = 0 converts SQ1 only),
 * per-channel sample times SMPR1/SMPR2, resolution RES, ALIGN, EOCS,
 * the flags EOC, STRT, OVR and AWD (analog watchdog on regular channels),
 * the interrupt ADC_IRQn (18, shared) and the DMA request with DDS.
 * Outside the model, each with a one-time warning: external triggers
 * (EXTEN/JEXTEN), injected channels (JSWSTART, JAUTO), discontinuous mode
 * (DISCEN) and the dual/triple modes (ADC_CCR.MULTI).
 */
#include "adc.h"

#include "f446.h"
#include "regio.h"

/* Register offsets (RM0390 13.13). */
enum {
    ADC_SR = 0x00, ADC_CR1 = 0x04, ADC_CR2 = 0x08, ADC_SMPR1 = 0x0C, ADC_SMPR2 = 0x10,
    ADC_JOFR1 = 0x14, ADC_HTR = 0x24, ADC_LTR = 0x28, ADC_SQR1 = 0x2C, ADC_SQR2 = 0x30,
    ADC_SQR3 = 0x34, ADC_JSQR = 0x38, ADC_JDR1 = 0x3C, ADC_DR = 0x4C,
    ADC_CSR = 0x00, ADC_CCR = 0x04, ADC_CDR = 0x08,
};

#define SR_AWD BIT(0)
#define SR_EOC BIT(1)
#define SR_JEOC BIT(2)
#define SR_JSTRT BIT(3)
#define SR_STRT BIT(4)
#define SR_OVR BIT(5)
#define SR_ALL 0x3Fu

#define CR1_EOCIE BIT(5)
#define CR1_AWDIE BIT(6)
#define CR1_JEOCIE BIT(7)
#define CR1_SCAN BIT(8)
#define CR1_AWDSGL BIT(9)
#define CR1_JAUTO BIT(10)
#define CR1_DISCEN BIT(11)
#define CR1_AWDEN BIT(23)
#define CR1_OVRIE BIT(26)
#define CR1_MASK 0x07C0FFFFu

#define CR2_ADON BIT(0)
#define CR2_CONT BIT(1)
#define CR2_DMA BIT(8)
#define CR2_DDS BIT(9)
#define CR2_EOCS BIT(10)
#define CR2_ALIGN BIT(11)
#define CR2_JSWSTART BIT(22)
#define CR2_SWSTART BIT(30)
#define CR2_JEXTEN_POS 20
#define CR2_EXTEN_POS 28
#define CR2_MASK 0x3F3F0F03u /* stored bits: SWSTART and JSWSTART read as 0 here (see adc_write) */

#define CCR_MULTI_MASK 0x1Fu
#define CCR_ADCPRE_POS 16
#define CCR_TSVREFE BIT(23)
#define CCR_MASK 0x00C3EF1Fu

/* tSTAB, ADC power-up time, and the highest fADC at VDDA 2.4..3.6 V (DS10693 table "ADC characteristics"). */
#define ADC_TSTAB_PS (2u * SIM_PS_PER_US)
#define ADC_FADC_MAX_HZ 36000000u

enum { EV_SAMPLED, EV_CONVERTED };
enum {
    WARN_EXTEN = 1u << 0, WARN_INJECTED = 1u << 1, WARN_DISC = 1u << 2, WARN_TSTAB = 1u << 3,
    WARN_FADC = 1u << 4,
};

static const char *const names[ADC_COUNT] = {"ADC1", "ADC2", "ADC3"};

static struct adc_common *common_of(struct adc *a)
{
    return &a->chip->adc;
}

static void warn_once(struct adc *a, uint32_t what, const char *text)
{
    if (a->warned & what)
        return;
    a->warned |= what;
    sim_warn(a->chip->sim, "%s: %s", names[a->index], text);
}

uint32_t adc_clk_hz(const struct adc_common *c)
{
    return rcc_pclk2_hz(&c->chip->rcc) / (2u * (FIELD(c->CCR, CCR_ADCPRE_POS, 2) + 1u));
}

/* Sample time in ADCCLK cycles, SMPx (RM0390 13.13.4-13.13.5). */
static unsigned sample_cycles(const struct adc *a, int channel)
{
    static const unsigned cycles[8] = {3, 15, 28, 56, 84, 112, 144, 480};
    uint32_t smp = channel >= 10 ? FIELD(a->SMPR1, 3 * (channel - 10), 3) : FIELD(a->SMPR2, 3 * channel, 3);
    return cycles[smp];
}

/* Bits of the result: RES 00..11 = 12, 10, 8, 6 bits; as many ADCCLK cycles after sampling (RM0390 13.7). */
static unsigned resolution_bits(const struct adc *a)
{
    return 12u - 2u * FIELD(a->CR1, 24, 2);
}

static uint64_t cycles_ps(const struct adc *a, unsigned cycles)
{
    uint64_t hz = adc_clk_hz(common_of((struct adc *)a));
    return (cycles * SIM_PS_PER_S + hz / 2) / hz;
}

uint64_t adc_conversion_ps(const struct adc *a, int channel)
{
    return cycles_ps(a, sample_cycles(a, channel) + resolution_bits(a));
}

/* Channel of rank `rank` (0 = SQ1) in SQR3..SQR1 (RM0390 13.13.9-13.13.11). */
static int sequence_channel(const struct adc *a, int rank)
{
    const uint32_t sqr[3] = {a->SQR3, a->SQR2, a->SQR1};
    return (int)FIELD(sqr[rank / 6], 5 * (rank % 6), 5);
}

static int sequence_length(const struct adc *a)
{
    return a->CR1 & CR1_SCAN ? (int)FIELD(a->SQR1, 20, 4) + 1 : 1;
}

/* ADC_IRQn is the OR of the three ADCs' enabled flags (RM0390 13.12, table 66). */
static void update_irq(struct adc_common *c)
{
    bool level = false;
    for (int k = 0; k < ADC_COUNT; k++) {
        const struct adc *a = &c->adc[k];
        level |= (a->SR & SR_EOC) && (a->CR1 & CR1_EOCIE);
        level |= (a->SR & SR_JEOC) && (a->CR1 & CR1_JEOCIE);
        level |= (a->SR & SR_AWD) && (a->CR1 & CR1_AWDIE);
        level |= (a->SR & SR_OVR) && (a->CR1 & CR1_OVRIE);
    }
    sim_irq_set_level(c->chip->sim, ADC_IRQN, level);
}

static void ev_fire(sim_t *s, void *dev, uint32_t arg);

/* Sampling of rank seq_pos starts now (or at the end of tSTAB). */
static void begin_channel(struct adc *a)
{
    sim_t *s = a->chip->sim;
    uint64_t start = sim_now_ps(s);
    if (start < a->stable_ps) {
        warn_once(a, WARN_TSTAB,
                  "conversion started before tSTAB after ADON (DS10693, ADC characteristics); it begins then");
        start = a->stable_ps;
    }
    if (adc_clk_hz(common_of(a)) > ADC_FADC_MAX_HZ)
        warn_once(a, WARN_FADC, "ADCCLK above 36 MHz, the datasheet's fADC maximum (DS10693, ADC characteristics): "
                                "raise ADC_CCR.ADCPRE");
    a->channel = sequence_channel(a, a->seq_pos);
    a->sample_start_ps = start;
    uint64_t sampled = start + cycles_ps(a, sample_cycles(a, a->channel));
    a->conv_end_ps = start + adc_conversion_ps(a, a->channel);
    sim_event_at(s, &a->ev, sampled, ev_fire, a, EV_SAMPLED);
}

/* A regular trigger (SWSTART): ignored without ADON, while a sequence runs, or while OVR is set (RM0390 13.8.1). */
static void start_regular(struct adc *a)
{
    if (!(a->CR2 & CR2_ADON) || a->converting || (a->SR & SR_OVR))
        return;
    if (a->CR1 & CR1_DISCEN)
        warn_once(a, WARN_DISC, "discontinuous mode (CR1.DISCEN) is outside the model: the whole sequence runs");
    a->converting = true;
    a->seq_pos = 0;
    a->SR |= SR_STRT; /* RM0390 13.13.1: set when a regular conversion starts */
    begin_channel(a);
}

static void stop_regular(struct adc *a)
{
    a->converting = false;
    sim_event_cancel(a->chip->sim, &a->ev);
}

/* RM0390 13.4: right alignment in DR[11:0] (or fewer bits); left alignment in
 * DR[15:4] for 12 bits, and on a byte for 6 bits (DR[7:2]). */
static uint32_t aligned(const struct adc *a, uint32_t code12)
{
    unsigned bits = resolution_bits(a);
    uint32_t data = code12 >> (12u - bits);
    if (!(a->CR2 & CR2_ALIGN))
        return data;
    return bits == 6 ? data << 2 : data << (16u - bits);
}

/* Analog watchdog on regular conversions (RM0390 13.3.7): the result against HTR/LTR. */
static void watchdog(struct adc *a, uint32_t code12)
{
    if (!(a->CR1 & CR1_AWDEN))
        return;
    if ((a->CR1 & CR1_AWDSGL) && FIELD(a->CR1, 0, 5) != (uint32_t)a->channel)
        return;
    unsigned shift = 12u - resolution_bits(a);
    uint32_t v = (code12 >> shift) << shift; /* the bits a lower resolution keeps, on the 12-bit scale */
    if (v > (a->HTR & 0xFFFu) || v < (a->LTR & 0xFFFu))
        a->SR |= SR_AWD;
}

/* The DMA request (RM0390 13.8.1): up from a conversion's end until DR is read. */
static void dma_line(struct adc *a, bool pending)
{
    if (a->dma_pending == pending)
        return;
    a->dma_pending = pending;
    if (pending && a->dma.request)
        a->dma.request(a->dma.ctx, a);
    else if (!pending && a->dma.served)
        a->dma.served(a->dma.ctx, a);
}

static void converted(struct adc *a)
{
    struct adc_common *c = common_of(a);
    /* Overrun (RM0390 13.8.1, 13.8.2): detected with DMA = 1 or EOCS = 1 when a
     * result ends while the previous one is still unread; the result is
     * lost, the sequence stops and further triggers are ignored until OVR
     * is cleared. */
    bool detect = (a->CR2 & CR2_DMA) || (a->CR2 & CR2_EOCS);
    if (detect && (a->SR & SR_EOC || a->dma_pending)) {
        a->SR |= SR_OVR;
        a->overruns++;
        dma_line(a, false);
        stop_regular(a);
        update_irq(c);
        return;
    }
    a->DR = aligned(a, a->sample_code);
    a->conversions++;
    watchdog(a, a->sample_code);
    bool last = a->seq_pos + 1 >= sequence_length(a);
    if ((a->CR2 & CR2_EOCS) || last)
        a->SR |= SR_EOC;
    if ((a->CR2 & CR2_DMA) && ((a->CR2 & CR2_DDS) || !a->dma_done)) {
        a->dma_requests++;
        dma_line(a, true);
    }
    if (!last) {
        a->seq_pos++;
        begin_channel(a);
    } else if ((a->CR2 & CR2_CONT) && a->converting) {
        a->seq_pos = 0;
        begin_channel(a);
    } else {
        a->converting = false;
    }
    update_irq(c);
}

static void ev_fire(sim_t *s, void *dev, uint32_t arg)
{
    struct adc *a = dev;
    if (arg == EV_SAMPLED) {
        /* The sample and hold opens at the end of the sampling phase (RM0390 13.5). */
        a->sample_code = adc_sample(a, a->channel, sim_now_ps(s) - a->sample_start_ps);
        sim_event_at(s, &a->ev, a->conv_end_ps, ev_fire, a, EV_CONVERTED);
        return;
    }
    converted(a);
}

static uint32_t read_dr(struct adc *a)
{
    /* RM0390 13.13.1: EOC is cleared by reading DR; a DMA read serves the request. */
    a->SR &= ~SR_EOC;
    dma_line(a, false);
    update_irq(common_of(a));
    return a->DR;
}

uint32_t adc_dma_read(struct adc *a)
{
    return read_dr(a);
}

void adc_dma_last(struct adc *a)
{
    if (!(a->CR2 & CR2_DDS))
        a->dma_done = true;
}

static uint32_t reg_value(const struct adc *a, uint32_t offset)
{
    switch (offset) {
    case ADC_SR: return a->SR;
    case ADC_CR1: return a->CR1;
    case ADC_CR2: return a->CR2;
    case ADC_SMPR1: return a->SMPR1;
    case ADC_SMPR2: return a->SMPR2;
    case ADC_HTR: return a->HTR;
    case ADC_LTR: return a->LTR;
    case ADC_SQR1: return a->SQR1;
    case ADC_SQR2: return a->SQR2;
    case ADC_SQR3: return a->SQR3;
    case ADC_JSQR: return a->JSQR;
    case ADC_DR: return a->DR;
    default:
        if (offset >= ADC_JOFR1 && offset < ADC_HTR)
            return a->JOFR[(offset - ADC_JOFR1) / 4];
        if (offset >= ADC_JDR1 && offset < ADC_DR)
            return 0; /* injected conversions are outside the model: nothing converted */
        return 0;
    }
}

static uint32_t adc_read(void *dev, uint32_t offset, unsigned size)
{
    struct adc *a = dev;
    uint32_t reg = offset & ~3u;
    if (reg > ADC_DR) {
        sim_unmodeled(a->chip->sim, ADC_BASE_ADDR + 0x100u * (uint32_t)a->index + reg, false);
        return 0;
    }
    uint32_t v = reg == ADC_DR ? read_dr(a) : reg_value(a, reg);
    return regio_read_lane(v, offset, size);
}

static uint32_t adc_peek(void *dev, uint32_t offset, unsigned size)
{
    return regio_read_lane(reg_value(dev, offset & ~3u), offset, size);
}

static void write_cr2(struct adc *a, uint32_t value, uint32_t lane)
{
    uint32_t old = a->CR2;
    a->CR2 = regio_merge(a->CR2, value, lane & CR2_MASK);
    if ((a->CR2 & CR2_ADON) && !(old & CR2_ADON))
        a->stable_ps = sim_now_ps(a->chip->sim) + ADC_TSTAB_PS; /* RM0390 13.3.1 */
    if (!(a->CR2 & CR2_ADON)) {
        stop_regular(a); /* power-down stops the conversion (RM0390 13.3.1) */
        dma_line(a, false);
    }
    if ((a->CR2 & CR2_DMA) && !(old & CR2_DMA))
        a->dma_done = false; /* a new DMA run: requests again (RM0390 13.8.1) */
    if (FIELD(a->CR2, CR2_EXTEN_POS, 2) || FIELD(a->CR2, CR2_JEXTEN_POS, 2))
        warn_once(a, WARN_EXTEN, "external triggers (CR2.EXTEN/JEXTEN) are outside the model: only SWSTART starts");
    if (value & lane & CR2_JSWSTART || a->CR1 & CR1_JAUTO)
        warn_once(a, WARN_INJECTED, "injected conversions (JSWSTART, JAUTO) are outside the model: JEOC stays 0");
    /* SWSTART "can be set only when ADON = 1" and is cleared by hardware as
     * the conversion starts (RM0390 13.13.3): here at once. */
    if (value & lane & CR2_SWSTART)
        start_regular(a);
}

static void adc_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct adc *a = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    switch (offset) {
    case ADC_SR: a->SR &= value | ~(lane & SR_ALL); break; /* rc_w0 */
    case ADC_CR1: a->CR1 = regio_merge(a->CR1, value, lane & CR1_MASK); break;
    case ADC_CR2: write_cr2(a, value, lane); break;
    case ADC_SMPR1: a->SMPR1 = regio_merge(a->SMPR1, value, lane & 0x07FFFFFFu); break;
    case ADC_SMPR2: a->SMPR2 = regio_merge(a->SMPR2, value, lane & 0x3FFFFFFFu); break;
    case ADC_HTR: a->HTR = regio_merge(a->HTR, value, lane & 0xFFFu); break;
    case ADC_LTR: a->LTR = regio_merge(a->LTR, value, lane & 0xFFFu); break;
    case ADC_SQR1: a->SQR1 = regio_merge(a->SQR1, value, lane & 0x00FFFFFFu); break;
    case ADC_SQR2: a->SQR2 = regio_merge(a->SQR2, value, lane & 0x3FFFFFFFu); break;
    case ADC_SQR3: a->SQR3 = regio_merge(a->SQR3, value, lane & 0x3FFFFFFFu); break;
    case ADC_JSQR: a->JSQR = regio_merge(a->JSQR, value, lane & 0x003FFFFFu); break;
    case ADC_DR: break; /* read-only */
    default:
        if (offset >= ADC_JOFR1 && offset < ADC_HTR) {
            uint32_t *j = &a->JOFR[(offset - ADC_JOFR1) / 4];
            *j = regio_merge(*j, value, lane & 0xFFFu);
        } else if (offset < ADC_JDR1 || offset > ADC_DR) {
            sim_unmodeled(a->chip->sim, ADC_BASE_ADDR + 0x100u * (uint32_t)a->index + offset, true);
        }
        return;
    }
    update_irq(common_of(a));
}

const struct sim_mmio_ops adc_ops = {adc_read, adc_write, adc_peek};

/* ---- common registers (RM0390 13.13.16-13.13.18) ---- */

static uint32_t common_value(const struct adc_common *c, uint32_t offset)
{
    switch (offset) {
    case ADC_CSR: /* a read-only copy of the three SRs */
        return (c->adc[0].SR & SR_ALL) | (c->adc[1].SR & SR_ALL) << 8 | (c->adc[2].SR & SR_ALL) << 16;
    case ADC_CCR: return c->CCR;
    case ADC_CDR: return (c->adc[0].DR & 0xFFFFu) | (c->adc[1].DR & 0xFFFFu) << 16;
    default: return 0;
    }
}

static uint32_t common_read(void *dev, uint32_t offset, unsigned size)
{
    struct adc_common *c = dev;
    if ((offset & ~3u) > ADC_CDR)
        sim_unmodeled(c->chip->sim, ADC_COMMON_ADDR + (offset & ~3u), false);
    return regio_read_lane(common_value(c, offset & ~3u), offset, size);
}

static uint32_t common_peek(void *dev, uint32_t offset, unsigned size)
{
    return regio_read_lane(common_value(dev, offset & ~3u), offset, size);
}

static void common_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct adc_common *c = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    if (offset != ADC_CCR) {
        if (offset > ADC_CDR)
            sim_unmodeled(c->chip->sim, ADC_COMMON_ADDR + offset, true);
        return; /* CSR and CDR are read-only */
    }
    uint32_t old = c->CCR;
    c->CCR = regio_merge(c->CCR, value, lane & CCR_MASK);
    if ((c->CCR & CCR_TSVREFE) && !(old & CCR_TSVREFE))
        c->ts_on_ps = sim_now_ps(c->chip->sim); /* the sensor's tSTART runs from here */
    if ((c->CCR & CCR_MULTI_MASK) && !(c->warned & 1u)) {
        c->warned |= 1u;
        sim_warn(c->chip->sim,
                 "ADC: dual/triple mode (ADC_CCR.MULTI) is outside the model: the ADCs run independently");
    }
}

const struct sim_mmio_ops adc_common_ops = {common_read, common_write, common_peek};

void adc_common_init(struct adc_common *c, struct f446 *chip)
{
    c->chip = chip;
    for (int k = 0; k < ADC_COUNT; k++) {
        c->adc[k].chip = chip;
        c->adc[k].index = k;
    }
    adc_inputs_init(&c->in);
}

/* RCC_APB2RSTR.ADCRST resets all three ADCs and the common registers (RM0390 6.3.8). */
void adc_reset(struct adc_common *c)
{
    for (int k = 0; k < ADC_COUNT; k++) {
        struct adc *a = &c->adc[k];
        if (a->chip)
            sim_event_cancel(a->chip->sim, &a->ev);
        struct adc_dma_port dma = a->dma;
        *a = (struct adc){.chip = c->chip, .index = k, .HTR = 0xFFFu, .dma = dma};
    }
    c->CCR = 0;
    c->ts_on_ps = 0;
    c->warned = 0;
    if (c->chip)
        update_irq(c);
}
