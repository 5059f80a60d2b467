/*
 * The node's id from the chip's 96-bit unique ID: "quartz-" and the low 24
 * bits of the FNV-1a 32-bit hash of the 12 UID bytes, as 6 lowercase hex
 * digits ("quartz-3f09a2").
 *
 * Why FNV-1a 32: no table and a few instructions per byte, with published
 * test vectors (draft-eastlake-fnv, "Test vectors"); the UID packs the
 * wafer lot, wafer number and die X/Y, so chips of one lot differ in a few
 * bytes only and the id needs a hash whose low bits change with every
 * input byte, which FNV-1a's xor-then-multiply gives. 24 bits: two of 500
 * nodes share an id with a chance of about 0.7 % (birthday bound); the
 * fleet gives each node its own UID and can check for a clash.
 */
#ifndef SENSOR_NODE_IDENTITY_H
#define SENSOR_NODE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define IDENTITY_UID_BYTES 12u
#define IDENTITY_PREFIX "quartz-"
#define IDENTITY_LEN 13u /* "quartz-" + 6 hex digits, without the NUL */

/* FNV-1a, 32 bits, over `len` bytes. */
uint32_t identity_fnv1a32(const void *data, size_t len);

/* The id, NUL-terminated, into `buf`: its length, or -ENOSPC when `cap`
 * is not more than IDENTITY_LEN (then `buf` holds "" if cap > 0). */
int identity_node_id(const uint8_t uid[IDENTITY_UID_BYTES], char *buf, size_t cap);

#endif
