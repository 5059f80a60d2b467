/*
 * One reading of the node, in integer milli-units (no floats anywhere in
 * the firmware): what the sampler produces, the payload formats and the
 * backup-SRAM ring keeps.
 */
#ifndef SENSOR_NODE_READING_H
#define SENSOR_NODE_READING_H

#include <stdint.h>

#define READING_SENSOR_OK 0x1u /* t, p and h hold a BME280 reading */
#define READING_DIE_OK 0x2u    /* die_mc holds the MCU's die temperature */

struct reading {
    uint32_t seq;
    uint64_t uptime_ms;
    int32_t t_mc;   /* air temperature, milli-degrees C */
    uint32_t p_mpa; /* pressure, milli-pascal */
    uint32_t h_mpct; /* relative humidity, milli-percent */
    int32_t die_mc; /* die temperature, milli-degrees C */
    uint8_t flags;  /* READING_* */
};

#endif
