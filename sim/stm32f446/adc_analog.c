/*
 * The analog side of the STM32F446 that ADC1..ADC3 convert: pad voltages
 * from the scenario, the temperature sensor, VREFINT and VBAT/4 (RM0390
 * 13.10, 13.11), with the factory calibration values of system memory
 * (adc.h) defining the sensor: the firmware's datasheet formulas
 *   T    = 30 C + (raw - TS_CAL1) * (110 C - 30 C) / (TS_CAL2 - TS_CAL1)
 *   VDDA = 3.3 V * VREFINT_CAL / raw(VREFINT)
 * give back the scripted temperature and VDDA, to the quantization step.
 *
 * Conversion: code = round(V * 4095 / VDDA) clamped to 0..4095 (VREF+ is
 * VDDA on the 64-pin package, DS10693 "ADC characteristics"), the ideal transfer the
 * calibration values assume; a lower resolution keeps the top bits.
 */
#include <errno.h>
#include <stdlib.h>

#include "adc.h"
#include "f446.h"
#include "regio.h"

/* DS10693 "Temperature sensor characteristics" and "Internal reference voltage": start-up time
 * tSTART at most 10 us after TSVREFE, and a sampling time of at least 10 us. */
#define ADC_TSTART_PS (10u * SIM_PS_PER_US)
#define ADC_TS_SAMPLE_PS (10u * SIM_PS_PER_US)
/* A sampling time shorter than that leaves the sample capacitor short of
 * the sensor's voltage. Modeled as an RC charge from 0 V whose time constant
 * brings it within 1/2 LSB of 12 bits (e^-9.01 = 2^-13) at 10 us. */
#define ADC_TS_TAU_US (10.0 / 9.01)

#define WARN_TSTART (1u << 8)
#define WARN_TS_SAMPLE (1u << 9)
#define WARN_TS_OFF (1u << 10)

#define PORT_A 0
#define PORT_B 1
#define PORT_C 2
#define PORT_F 5

/* Pads of ADCx_IN0..IN15 (DS10693 table 10, "STM32F446xx pin and ball
 * descriptions"): ADC123_IN0..3 = PA0..PA3, ADC12_IN4..7 = PA4..PA7,
 * ADC12_IN8/9 = PB0/PB1, ADC123_IN10..13 = PC0..PC3, ADC12_IN14/15 = PC4/PC5;
 * ADC3_IN4..8 = PF6..PF10, ADC3_IN9 = PF3, ADC3_IN14/15 = PF4/PF5. */
static const int8_t pads12[16][2] = {
    {PORT_A, 0}, {PORT_A, 1}, {PORT_A, 2}, {PORT_A, 3}, {PORT_A, 4}, {PORT_A, 5}, {PORT_A, 6}, {PORT_A, 7},
    {PORT_B, 0}, {PORT_B, 1}, {PORT_C, 0}, {PORT_C, 1}, {PORT_C, 2}, {PORT_C, 3}, {PORT_C, 4}, {PORT_C, 5},
};
static const int8_t pads3[16][2] = {
    {PORT_A, 0}, {PORT_A, 1}, {PORT_A, 2}, {PORT_A, 3}, {PORT_F, 6}, {PORT_F, 7}, {PORT_F, 8}, {PORT_F, 9},
    {PORT_F, 10}, {PORT_F, 3}, {PORT_C, 0}, {PORT_C, 1}, {PORT_C, 2}, {PORT_C, 3}, {PORT_F, 4}, {PORT_F, 5},
};

#define CCR_VBATE BIT(22)
#define CCR_TSVREFE BIT(23)

int adc_channel_pad(int adc_index, int channel, int *port, int *pin)
{
    if (channel < 0 || channel > 15 || adc_index < 0 || adc_index >= ADC_COUNT)
        return -1;
    const int8_t *p = adc_index == 2 ? pads3[channel] : pads12[channel];
    *port = p[0];
    *pin = p[1];
    return 0;
}

void adc_inputs_init(struct adc_inputs *in)
{
    in->temp_mc = ADC_DEFAULT_TEMP_MC;
    in->vdda_uv = ADC_NUCLEO_VDDA_UV;
    in->vbat_uv = ADC_NUCLEO_VDDA_UV;
}

void adc_inputs_free(struct adc_common *c)
{
    while (c->in.pending) {
        struct adc_change *n = c->in.pending->next;
        free(c->in.pending);
        c->in.pending = n;
    }
}

static void apply(struct adc_inputs *in, const struct adc_change *ch)
{
    if (ch->port < 0) {
        in->temp_mc = ch->value;
    } else {
        in->pad_uv[ch->port][ch->pin] = ch->value;
        in->pad_set[ch->port][ch->pin] = true;
    }
}

static void change_due(sim_t *s, void *dev, uint32_t arg)
{
    struct adc_common *c = dev;
    (void)arg;
    while (c->in.pending && c->in.pending->due_ps <= sim_now_ps(s)) {
        struct adc_change *ch = c->in.pending;
        apply(&c->in, ch);
        c->in.pending = ch->next;
        free(ch);
    }
    if (c->in.pending)
        sim_event_at(s, &c->in.ev, c->in.pending->due_ps, change_due, c, 0);
}

int adc_input_at(struct adc_common *c, uint64_t due_ps, int port, int pin, int32_t value)
{
    struct adc_change now = {due_ps, port, pin, value, NULL};
    if (due_ps <= sim_now_ps(c->chip->sim)) {
        apply(&c->in, &now);
        return 0;
    }
    struct adc_change *ch = malloc(sizeof *ch);
    if (!ch)
        return -ENOMEM;
    *ch = now;
    struct adc_change **at = &c->in.pending;
    while (*at && (*at)->due_ps <= due_ps) /* after earlier ones at the same time: command-line order */
        at = &(*at)->next;
    ch->next = *at;
    *at = ch;
    sim_event_at(c->chip->sim, &c->in.ev, c->in.pending->due_ps, change_due, c, 0);
    return 0;
}

/*
 * The voltage on a pad. The ADC input is wired to the pad whatever MODER
 * says (RM0390 7.3.12 figure 22: the analog path bypasses the digital
 * buffers; analog mode only switches them and the pulls off). So a pin
 * the chip drives (output, push-pull alternate function) reads its output
 * level, a released pin reads the scripted voltage, else what pulls it: an
 * external pull or drive, the internal pull outside analog mode (which
 * disables it), and 0 V for a floating pad (silicon: undefined).
 */
static int32_t pad_uv(struct adc *a, int port, int pin)
{
    const struct adc_inputs *in = &a->chip->adc.in;
    const struct gpio *g = &a->chip->gpio[port];
    unsigned mode = gpio_mode(g, pin);
    int32_t vdd = (int32_t)in->vdda_uv;
    bool driven = (mode == GPIO_MODER_OUTPUT && !(gpio_open_drain(g, pin) && (g->ODR & BIT(pin)))) ||
                  (mode == GPIO_MODER_AF && !gpio_open_drain(g, pin) && !tim_pin_is_input(a->chip, port, pin));
    if (driven)
        return gpio_level(g, pin) ? vdd : 0;
    if (in->pad_set[port][pin]) {
        if (mode != GPIO_MODER_ANALOG)
            sim_warn(a->chip->sim,
                     "ADC%d: P%c%d converted while not in analog mode (MODER = 11, RM0390 13.3.3, 7.3.12)",
                     a->index + 1, 'A' + port, pin);
        return in->pad_uv[port][pin];
    }
    if (mode != GPIO_MODER_ANALOG)
        return gpio_level(g, pin) ? vdd : 0;
    switch ((enum gpio_ext)g->ext[pin]) {
    case GPIO_EXT_PULLUP:
    case GPIO_EXT_HIGH: return vdd;
    default: return 0;
    }
}

/* e^-x for x >= 0 without libm (the unit tests link the models alone):
 * e^-x = (e^(-x/32))^32, the small power by its Taylor series. */
static double exp_neg(double x)
{
    double y = x / 32.0, term = 1.0, sum = 1.0;
    for (int n = 1; n <= 8; n++) {
        term *= -y / n;
        sum += term;
    }
    for (int k = 0; k < 5; k++)
        sum *= sum;
    return sum;
}

static void warn_once(struct adc *a, uint32_t what, const char *text)
{
    if (a->warned & what)
        return;
    a->warned |= what;
    sim_warn(a->chip->sim, "ADC%d: %s", a->index + 1, text);
}

/* VSENSE at the die temperature: the line through the two calibration points. */
static double sensor_uv(int32_t temp_mc)
{
    double code = ADC_TS_CAL1 + (double)(temp_mc - ADC_CAL_T1_MC) * (ADC_TS_CAL2 - ADC_TS_CAL1) /
                                    (double)(ADC_CAL_T2_MC - ADC_CAL_T1_MC);
    return code * ADC_CAL_VDDA_UV / 4095.0;
}

/* Temperature sensor (ADC1_IN18) or VREFINT (ADC1_IN17) with TSVREFE set. */
static double internal_uv(struct adc *a, int channel, uint64_t sample_ps)
{
    const struct adc_common *c = &a->chip->adc;
    if (a->sample_start_ps < c->ts_on_ps + ADC_TSTART_PS) {
        warn_once(a, WARN_TSTART, "temperature sensor/VREFINT sampled within tSTART (10 us) of TSVREFE "
                                  "(DS10693 temperature sensor): read as 0 V");
        return 0;
    }
    double uv = channel == 17 ? ADC_VREFINT_CAL * (double)ADC_CAL_VDDA_UV / 4095.0 : sensor_uv(c->in.temp_mc);
    if (sample_ps < ADC_TS_SAMPLE_PS) {
        warn_once(a, WARN_TS_SAMPLE, "temperature sensor/VREFINT sampled for less than 10 us "
                                     "(DS10693 temperature sensor, VREFINT): the result reads low");
        uv *= 1.0 - exp_neg(((double)sample_ps / SIM_PS_PER_US) / ADC_TS_TAU_US);
    }
    return uv;
}

uint32_t adc_sample(struct adc *a, int channel, uint64_t sample_ps)
{
    const struct adc_common *c = &a->chip->adc;
    double uv = 0;
    int port, pin;
    if (adc_channel_pad(a->index, channel, &port, &pin) == 0) {
        uv = pad_uv(a, port, pin);
    } else if (a->index == 0 && channel == 18 && (c->CCR & CCR_VBATE)) {
        uv = c->in.vbat_uv / 4.0; /* VBATE wins over TSVREFE on the shared channel (RM0390 13.11) */
    } else if (a->index == 0 && (channel == 17 || channel == 18) && (c->CCR & CCR_TSVREFE)) {
        uv = internal_uv(a, channel, sample_ps);
    } else if (a->index == 0 && (channel == 17 || channel == 18)) {
        warn_once(a, WARN_TS_OFF, "IN17/IN18 converted with ADC_CCR.TSVREFE = 0 (RM0390 13.10): read as 0 V");
    }
    /* ADC2/3 IN16..18 and ADC1 IN16 are not connected on the STM32F446: 0 V. */
    double code = uv * 4095.0 / c->in.vdda_uv + 0.5;
    return code < 1.0 ? 0u : code >= 4095.0 ? 4095u : (uint32_t)code;
}
