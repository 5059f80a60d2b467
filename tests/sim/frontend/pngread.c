#include "pngread.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bitwise CRC-32 (ISO 3309), deliberately not table-driven like the writer's. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

uint8_t *pngread_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int pngread(const uint8_t *data, size_t len, struct pngread_image *img, char *why, size_t whylen)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    memset(img, 0, sizeof *img);
    if (len < 8 || memcmp(data, sig, 8) != 0)
        return bad(why, whylen, "bad signature");
    size_t at = 8;
    uint8_t *z = NULL;
    size_t zlen = 0;
    int depth = -1, colour = -1;
    bool seen_end = false;
    int chunk_no = 0;
    while (at < len && !seen_end) {
        if (len - at < 12)
            return free(z), bad(why, whylen, "truncated chunk at %zu", at);
        uint32_t clen = be32(data + at);
        if (clen > len - at - 12)
            return free(z), bad(why, whylen, "chunk length %u past the end", clen);
        const uint8_t *type = data + at + 4, *body = data + at + 8;
        if (crc32_bitwise(type, clen + 4) != be32(body + clen))
            return free(z), bad(why, whylen, "CRC mismatch in %.4s", (const char *)type);
        if (chunk_no == 0 && memcmp(type, "IHDR", 4) != 0)
            return free(z), bad(why, whylen, "first chunk is not IHDR");
        if (memcmp(type, "IHDR", 4) == 0) {
            if (clen != 13 || chunk_no != 0)
                return free(z), bad(why, whylen, "bad IHDR");
            img->width = be32(body);
            img->height = be32(body + 4);
            depth = body[8];
            colour = body[9];
            if (body[10] || body[11] || body[12])
                return free(z), bad(why, whylen, "compression/filter/interlace not 0");
        } else if (memcmp(type, "IDAT", 4) == 0) {
            uint8_t *grown = realloc(z, zlen + clen + 1);
            if (!grown)
                return free(z), bad(why, whylen, "out of memory");
            z = grown;
            memcpy(z + zlen, body, clen);
            zlen += clen;
        } else if (memcmp(type, "IEND", 4) == 0) {
            seen_end = true;
        } else if (!(type[0] & 0x20)) {
            return free(z), bad(why, whylen, "unknown critical chunk %.4s", (const char *)type);
        }
        at += 12 + clen;
        chunk_no++;
    }
    if (!seen_end || at != len)
        return free(z), bad(why, whylen, "no IEND at the end");
    if (depth != 1 || colour != 0)
        return free(z), bad(why, whylen, "not 1-bit greyscale (depth %d colour %d)", depth, colour);
    if (zlen < 6 || (z[0] & 0x0f) != 8 || ((z[0] << 8) | z[1]) % 31 != 0 || (z[1] & 0x20))
        return free(z), bad(why, whylen, "bad zlib header");

    size_t row_bytes = 1 + (img->width + 7) / 8;
    size_t raw_len = row_bytes * img->height;
    uint8_t *raw = malloc(raw_len ? raw_len : 1);
    size_t raw_at = 0, zat = 2;
    bool final = false;
    while (raw && !final) {
        if (zat + 5 > zlen)
            return free(z), free(raw), bad(why, whylen, "truncated deflate block");
        final = z[zat] & 1;
        int btype = z[zat] >> 1 & 3;
        if (btype != 0)
            return free(z), free(raw), bad(why, whylen, "deflate block type %d, expected stored", btype);
        unsigned blen = z[zat + 1] | z[zat + 2] << 8, nlen = z[zat + 3] | z[zat + 4] << 8;
        if ((blen ^ nlen) != 0xffff)
            return free(z), free(raw), bad(why, whylen, "LEN/NLEN mismatch");
        zat += 5;
        if (zat + blen > zlen || raw_at + blen > raw_len)
            return free(z), free(raw), bad(why, whylen, "stored block too long");
        memcpy(raw + raw_at, z + zat, blen);
        raw_at += blen;
        zat += blen;
    }
    if (!raw)
        return free(z), bad(why, whylen, "out of memory");
    if (raw_at != raw_len || zat + 4 != zlen)
        return free(z), free(raw), bad(why, whylen, "image data %zu bytes, expected %zu", raw_at, raw_len);
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_len; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    if (((b << 16) | a) != be32(z + zat))
        return free(z), free(raw), bad(why, whylen, "Adler-32 mismatch");
    free(z);

    img->pixels = malloc((size_t)img->width * img->height + 1);
    for (uint32_t y = 0; img->pixels && y < img->height; y++) {
        const uint8_t *row = raw + y * row_bytes;
        int filter = row[0];
        if (filter != 0)
            return free(raw), free(img->pixels), bad(why, whylen, "row %u filter %d", y, filter);
        for (uint32_t x = 0; x < img->width; x++)
            img->pixels[(size_t)y * img->width + x] = row[1 + x / 8] >> (7 - x % 8) & 1;
    }
    free(raw);
    return img->pixels ? 0 : bad(why, whylen, "out of memory");
}
