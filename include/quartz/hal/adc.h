/*
 * Portable analog-to-digital converter interface, bound at link time to the
 * chip port (one converter per build).
 *
 * Channels are the chip's input numbers (on the STM32F446, ADC1_IN0..IN15,
 * pins per the datasheet's pin table; the port puts the pin in analog mode)
 * plus the two internal ones below. Results are raw, right-aligned codes of
 * ADC_RESOLUTION_BITS bits over 0..VDDA. Calls block in thread context and
 * every wait is bounded.
 *
 * Errors (negative errno): -EINVAL a channel the chip does not have, or a
 * sequence of 0 or more than ADC_MAX_SEQUENCE channels; -ETIMEDOUT a
 * conversion did not end within the port's bound; -EIO the converter
 * reported an overrun; -EBUSY a conversion is already running (a call from
 * an interrupt during another); -ENODEV the converter is not powered (adc_init).
 */
#ifndef QUARTZ_HAL_ADC_H
#define QUARTZ_HAL_ADC_H

#include <stddef.h>
#include <stdint.h>

#define ADC_RESOLUTION_BITS 12u
#define ADC_FULL_SCALE ((1u << ADC_RESOLUTION_BITS) - 1u)
#define ADC_MAX_SEQUENCE 16u
#define ADC_CHANNEL_TEMP 0x100u    /* the die temperature sensor */
#define ADC_CHANNEL_VREFINT 0x101u /* the internal voltage reference */

/* Powers the converter and the internal channels; 0, -ETIMEDOUT, or what the
 * port's DMA stream claim returns (-EBUSY: another driver has the stream). */
int adc_init(void);

/* The core operation: converts `channels[0..n)` in order, one code each into `out`. */
int adc_scan(const uint16_t *channels, size_t n, uint16_t *out);

static inline int adc_read(uint16_t channel, uint16_t *code)
{
    return adc_scan(&channel, 1, code);
}

/* VDDA in millivolts, measured on the internal reference against its factory calibration. */
int adc_vdda_mv(uint32_t *mv);

/* The die temperature in hundredths of a degree C, from the sensor's factory calibration. */
int adc_temp_centi_c(int32_t *centi_c);

/* The voltage on `channel` in millivolts, scaled by the measured VDDA. */
int adc_read_mv(uint16_t channel, uint32_t *mv);

#endif
