/*
 * Minimal PNG writer for the OLED picture: no libpng, no zlib. The image is
 * 1-bit grayscale (PNG spec 11.2.2, colour type 0, bit depth 1), lit pixels
 * white on black, compressed with stored deflate blocks (RFC 1951 3.2.4) in
 * a zlib stream (RFC 1950) with CRC-32 per chunk and Adler-32 over the data.
 */
#ifndef QSIM_FRONTEND_PNG_H
#define QSIM_FRONTEND_PNG_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Write a (width*scale) x (height*scale) PNG to `out`; `pixel(ctx, x, y)`
 * (0 <= x < width, 0 <= y < height) says whether a source pixel is lit.
 * Returns 0, -EINVAL for a size <= 0 or an image too large for PNG, or
 * -EIO when writing fails. `out` stays open (the caller owns it).
 */
int png_write_gray1(FILE *out, int width, int height, int scale,
                    bool (*pixel)(const void *ctx, int x, int y), const void *ctx);

#endif
