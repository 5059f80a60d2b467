/*
 * A small, strict PNG reader for the tests: exactly what png_write_gray1
 * may produce (1-bit greyscale, stored deflate blocks, filter 0), with every
 * CRC-32 and the Adler-32 checked. Independent of the writer's code.
 */
#ifndef TEST_PNGREAD_H
#define TEST_PNGREAD_H

#include <stddef.h>
#include <stdint.h>

struct pngread_image {
    uint32_t width, height;
    uint8_t *pixels; /* width * height, 0 or 1, row-major; free() it */
};

/* 0, or -1 with the reason in `why`. */
int pngread(const uint8_t *data, size_t len, struct pngread_image *img, char *why, size_t whylen);

/* Reads a whole file; NULL on error. free() the result. */
uint8_t *pngread_file(const char *path, size_t *len);

#endif
