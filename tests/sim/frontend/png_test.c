/* png_write_gray1: decoded by an independent reader (pngread.c), pixel by pixel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png.h"
#include "pngread.h"

struct pattern {
    int width, height;
};

/* A pattern with no symmetry, so swapped axes or bit order show up. */
static bool pattern_pixel(const void *ctx, int x, int y)
{
    const struct pattern *p = ctx;
    assert_true(x >= 0 && x < p->width && y >= 0 && y < p->height);
    return ((x * 7 + y * 3) % 11 < 4) || x == y || (y == 0 && x < 5);
}

static uint8_t *write_to_memory(int width, int height, int scale, size_t *len, int *rc)
{
    struct pattern p = { width, height };
    FILE *f = tmpfile();
    assert_non_null(f);
    *rc = png_write_gray1(f, width, height, scale, pattern_pixel, &p);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static void round_trip(int width, int height, int scale)
{
    size_t len;
    int rc;
    uint8_t *png = write_to_memory(width, height, scale, &len, &rc);
    assert_int_equal(rc, 0);
    struct pngread_image img;
    char why[128] = "";
    if (pngread(png, len, &img, why, sizeof why) != 0)
        fail_msg("%dx%d scale %d: %s", width, height, scale, why);
    assert_int_equal(img.width, (uint32_t)(width * scale));
    assert_int_equal(img.height, (uint32_t)(height * scale));
    struct pattern p = { width, height };
    for (uint32_t y = 0; y < img.height; y++)
        for (uint32_t x = 0; x < img.width; x++)
            if (img.pixels[y * img.width + x] != pattern_pixel(&p, (int)x / scale, (int)y / scale))
                fail_msg("%dx%d scale %d: pixel %u,%u", width, height, scale, x, y);
    free(img.pixels);
    free(png);
}

static void test_oled_size(void **state)
{
    (void)state;
    round_trip(128, 64, 4); /* the OLED picture: 512x256 */
    round_trip(128, 64, 1);
}

static void test_odd_sizes(void **state)
{
    (void)state;
    round_trip(1, 1, 1);
    round_trip(13, 5, 3); /* rows not a multiple of 8 pixels */
    round_trip(9, 2, 1);
}

static void test_several_stored_blocks(void **state)
{
    (void)state;
    round_trip(1000, 600, 1); /* 126 * 600 bytes: two stored blocks */
    round_trip(128, 64, 16);  /* 2048x1024: 263168 bytes, five blocks */
}

static void test_deterministic(void **state)
{
    (void)state;
    size_t a_len, b_len;
    int rc;
    uint8_t *a = write_to_memory(128, 64, 4, &a_len, &rc);
    uint8_t *b = write_to_memory(128, 64, 4, &b_len, &rc);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    free(a);
    free(b);
}

static void test_errors(void **state)
{
    (void)state;
    struct pattern p = { 4, 4 };
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(png_write_gray1(f, 0, 4, 1, pattern_pixel, &p), -EINVAL);
    assert_int_equal(png_write_gray1(f, 4, -1, 1, pattern_pixel, &p), -EINVAL);
    assert_int_equal(png_write_gray1(f, 4, 4, 0, pattern_pixel, &p), -EINVAL);
    assert_int_equal(png_write_gray1(f, 4, 4, 1, NULL, &p), -EINVAL);
    assert_int_equal(png_write_gray1(f, 0x10000, 0x10000, 0x1000, pattern_pixel, &p), -EINVAL);
    assert_int_equal(ftell(f), 0); /* nothing written for bad arguments */
    fclose(f);

    FILE *ro = fopen("/dev/null", "r"); /* a stream that refuses writes */
    assert_non_null(ro);
    assert_int_equal(png_write_gray1(ro, 4, 4, 1, pattern_pixel, &p), -EIO);
    fclose(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oled_size), cmocka_unit_test(test_odd_sizes),
        cmocka_unit_test(test_several_stored_blocks), cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
