/*
 * The reading as the JSON published on quartz/<id>/env:
 *
 *   {"seq":7,"uptime_ms":12000,"t":21.53,"p":101325,"h":45.2,"die_t":31.2}
 *   {"seq":8,"uptime_ms":13000,"sensor":"missing","die_t":31.2}
 *
 * t with two decimals, p in whole pascals, h and die_t with one decimal,
 * each rounded half away from zero from the milli-units (payload_round);
 * no fake values when the sensor is missing, and no die_t when the die
 * temperature could not be read.
 */
#ifndef SENSOR_NODE_PAYLOAD_H
#define SENSOR_NODE_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "reading.h"

/* Room for the longest payload (every field at its widest) and the NUL. */
#define PAYLOAD_MAX 128u

/* Decimals of each field. */
#define PAYLOAD_T_DECIMALS 2u
#define PAYLOAD_P_DECIMALS 0u
#define PAYLOAD_H_DECIMALS 1u
#define PAYLOAD_DIE_DECIMALS 1u

/* `milli` / 10^(3 - decimals), rounded half away from zero (decimals 0..3). */
int64_t payload_round(int64_t milli, unsigned decimals);

/*
 * The JSON of `r`, NUL-terminated, into `buf`: its length, or -ENOSPC when
 * it does not fit in `cap` bytes (then `buf` holds "" if cap > 0).
 */
int payload_format(const struct reading *r, char *buf, size_t cap);

/* The count of readings the ring dropped, for quartz/<id>/event:
 * {"dropped":N}. Length or -ENOSPC as above. */
int payload_format_dropped(uint32_t dropped, char *buf, size_t cap);

#endif
