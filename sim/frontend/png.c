/*
 * PNG writer, see png.h. One IHDR, one IDAT holding a zlib stream of stored
 * deflate blocks (at most 65535 bytes each, RFC 1951 3.2.4), one IEND.
 * Everything is streamed: no image buffer, one scanline at a time.
 */
#include "png.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PNG_STORED_MAX 65535u

struct png_sink {
    FILE *out;
    uint32_t crc; /* running CRC-32 of the current chunk (type + data) */
    uint32_t adler_a, adler_b;
    uint32_t block_left; /* bytes still to go in the current stored block */
    uint32_t raw_left;   /* uncompressed bytes still to go in the stream */
    bool failed;
};

/* CRC-32 as PNG spec annex D (polynomial 0xEDB88320, reflected). */
static uint32_t png_crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    static bool ready;
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = true;
    }
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

static void png_raw(struct png_sink *k, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, k->out) != n)
        k->failed = true;
}

/* Chunk payload bytes: written and added to the chunk CRC. */
static void png_data(struct png_sink *k, const void *p, size_t n)
{
    k->crc = png_crc_update(k->crc, p, n);
    png_raw(k, p, n);
}

static void png_be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static void png_chunk_begin(struct png_sink *k, const char type[4], uint32_t length)
{
    uint8_t len[4];
    png_be32(len, length);
    png_raw(k, len, 4);
    k->crc = 0xffffffffu;
    png_data(k, type, 4);
}

static void png_chunk_end(struct png_sink *k)
{
    uint8_t crc[4];
    png_be32(crc, k->crc ^ 0xffffffffu);
    png_raw(k, crc, 4);
}

/* Uncompressed image bytes: split into stored blocks, summed into Adler-32. */
static void png_zdata(struct png_sink *k, const uint8_t *p, size_t n)
{
    while (n) {
        if (k->block_left == 0) {
            uint32_t len = k->raw_left < PNG_STORED_MAX ? k->raw_left : PNG_STORED_MAX;
            uint8_t hdr[5] = {
                len == k->raw_left ? 1 : 0, /* BFINAL on the last block, BTYPE 00 */
                (uint8_t)len, (uint8_t)(len >> 8),
                (uint8_t)~len, (uint8_t)(~len >> 8),
            };
            png_data(k, hdr, sizeof hdr);
            k->block_left = len;
        }
        size_t take = n < k->block_left ? n : k->block_left;
        for (size_t i = 0; i < take; i++) {
            k->adler_a = (k->adler_a + p[i]) % 65521u;
            k->adler_b = (k->adler_b + k->adler_a) % 65521u;
        }
        png_data(k, p, take);
        k->block_left -= (uint32_t)take;
        k->raw_left -= (uint32_t)take;
        p += take;
        n -= take;
    }
}

int png_write_gray1(FILE *out, int width, int height, int scale,
                    bool (*pixel)(const void *ctx, int x, int y), const void *ctx)
{
    if (!out || !pixel || width <= 0 || height <= 0 || scale <= 0)
        return -EINVAL;
    uint64_t w = (uint64_t)width * (uint64_t)scale;
    uint64_t h = (uint64_t)height * (uint64_t)scale;
    uint64_t row_bytes = 1 + (w + 7) / 8; /* filter type byte + packed pixels */
    uint64_t raw = row_bytes * h;
    uint64_t blocks = (raw + PNG_STORED_MAX - 1) / PNG_STORED_MAX;
    uint64_t zlen = 2 + raw + 5 * blocks + 4;
    if (w > 0x7fffffffu || h > 0x7fffffffu || zlen > 0x7fffffffu)
        return -EINVAL; /* chunk lengths are limited to 2^31-1 (PNG 5.3) */

    uint8_t *row = malloc((size_t)row_bytes);
    if (!row)
        return -ENOMEM;
    struct png_sink k = { .out = out, .adler_a = 1, .raw_left = (uint32_t)raw };

    static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    png_raw(&k, signature, sizeof signature);

    uint8_t ihdr[13];
    png_be32(ihdr, (uint32_t)w);
    png_be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 1;  /* bit depth */
    ihdr[9] = 0;  /* colour type: greyscale */
    ihdr[10] = 0; /* compression: deflate */
    ihdr[11] = 0; /* filter method 0 */
    ihdr[12] = 0; /* no interlace */
    png_chunk_begin(&k, "IHDR", sizeof ihdr);
    png_data(&k, ihdr, sizeof ihdr);
    png_chunk_end(&k);

    png_chunk_begin(&k, "IDAT", (uint32_t)zlen);
    /* CMF 0x78: deflate, 32K window; FLG 0x01 makes CMF*256+FLG a multiple of 31. */
    static const uint8_t zhdr[2] = { 0x78, 0x01 };
    png_data(&k, zhdr, sizeof zhdr);
    for (int y = 0; y < height; y++) {
        memset(row, 0, (size_t)row_bytes); /* filter 0 (None), dark pixels */
        for (uint64_t x = 0; x < w; x++)
            if (pixel(ctx, (int)(x / (uint64_t)scale), y))
                row[1 + x / 8] |= (uint8_t)(0x80u >> (x % 8));
        for (int r = 0; r < scale; r++)
            png_zdata(&k, row, (size_t)row_bytes);
    }
    uint8_t adler[4];
    png_be32(adler, (k.adler_b << 16) | k.adler_a);
    png_data(&k, adler, sizeof adler);
    png_chunk_end(&k);

    png_chunk_begin(&k, "IEND", 0);
    png_chunk_end(&k);
    free(row);

    if (fflush(out) != 0 || ferror(out))
        k.failed = true;
    return k.failed ? -EIO : 0;
}
