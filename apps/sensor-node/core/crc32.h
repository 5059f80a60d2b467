/*
 * CRC-32 of IEEE 802.3 (as zlib and Ethernet): reflected polynomial
 * 0xEDB88320, initial value and final xor 0xFFFFFFFF; the published check
 * value of "123456789" is 0xCBF43926 (the Rocksoft catalogue's CRC-32).
 * Bitwise, no table: the records it guards are a few dozen bytes, and the
 * 1 KB table would cost more flash than the code.
 */
#ifndef SENSOR_NODE_CRC32_H
#define SENSOR_NODE_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_ieee(const void *data, size_t len);

#endif
