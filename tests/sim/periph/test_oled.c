/* SSD1306 model (datasheet rev 1.1) driven through its I2C device ops. */
#include "board/ssd1306.h"
#include "periph_test.h"

static sim_t *sim;
static struct ssd1306 oled;

static int oled_setup(void **state)
{
    (void)state;
    sim = fake_sim_new();
    memset(&oled, 0, sizeof oled);
    ssd1306_init(&oled, sim, 0x3C);
    return 0;
}

static int oled_teardown(void **state)
{
    (void)state;
    ssd1306_free(&oled);
    fake_sim_free(sim);
    return 0;
}

static void transfer(const uint8_t *bytes, size_t n)
{
    assert_true(oled.bus.ops->address(oled.bus.dev, false));
    for (size_t k = 0; k < n; k++)
        assert_true(oled.bus.ops->write(oled.bus.dev, bytes[k]));
    oled.bus.ops->stop(oled.bus.dev);
}

static void gddram_before_init_and_updates(void **state)
{
    (void)state;
    const uint8_t data[] = {0x40, 0xFF, 0x81};
    fake_run_until(sim, MS(5));
    transfer(data, sizeof data);
    assert_int_equal(oled.ram[0][0], 0xFF);
    assert_int_equal(oled.ram[0][1], 0x81);
    assert_int_equal(oled.nupdates, 1u);
    assert_int_equal(oled.updates[0], MS(5));
    assert_false(ssd1306_pixel(&oled, 0, 0)); /* display off */
    const uint8_t cmds[] = {0x00, 0x8D, 0x14, 0xAF};
    transfer(cmds, sizeof cmds);
    assert_int_equal(oled.nupdates, 1u); /* commands are not an update */
    /* reset orientation A0/C0: RAM (0,0) shows at the bottom right */
    assert_true(ssd1306_pixel(&oled, 127, 63));
    assert_false(ssd1306_pixel(&oled, 0, 0));
    const uint8_t flip[] = {0x00, 0xA1, 0xC8};
    transfer(flip, sizeof flip);
    assert_true(ssd1306_pixel(&oled, 0, 0));
    assert_true(ssd1306_pixel(&oled, 1, 0));
    assert_true(ssd1306_pixel(&oled, 1, 7));
    assert_false(ssd1306_pixel(&oled, 1, 1));
    const uint8_t inv[] = {0x80, 0xA7, 0x80, 0x41}; /* Co=1 pairs: invert, start line 1 */
    transfer(inv, sizeof inv);
    assert_true(oled.invert);
    assert_int_equal(oled.start_line, 1);
    assert_false(ssd1306_pixel(&oled, 1, 6)); /* line 7 of RAM, inverted */
    assert_true(ssd1306_pixel(&oled, 1, 0));  /* line 1 of RAM is 0, inverted */
    const uint8_t on[] = {0x00, 0xA5};
    transfer(on, sizeof on);
    assert_true(ssd1306_pixel(&oled, 64, 32));
}

static void horizontal_addressing_wraps(void **state)
{
    (void)state;
    const uint8_t setup[] = {0x00, 0x20, 0x00, 0x21, 126, 127, 0x22, 2, 3};
    transfer(setup, sizeof setup);
    const uint8_t data[] = {0x40, 1, 2, 3, 4, 5};
    transfer(data, sizeof data);
    assert_int_equal(oled.ram[2][127], 2);
    assert_int_equal(oled.ram[2][127], 2);
    assert_int_equal(oled.ram[3][126], 3);
    assert_int_equal(oled.ram[3][127], 4);
    /* the fifth byte wrapped back to the window's first column and page */
    assert_int_equal(oled.ram[2][126], 5);
    assert_int_equal(oled.page, 2);
    assert_int_equal(oled.col, 127);
}

static void page_mode_and_vertical(void **state)
{
    (void)state;
    /* Co=1 control bytes: 0x80 = one command follows, 0xC0 = one data byte */
    const uint8_t page[] = {0x80, 0xB5, 0x80, 0x03, 0x80, 0x12, 0xC0, 9};
    transfer(page, sizeof page);
    assert_int_equal(oled.ram[5][0x23], 9);
    const uint8_t vert[] = {0x00, 0x20, 0x01, 0x21, 0, 1, 0x22, 0, 1};
    transfer(vert, sizeof vert);
    const uint8_t data[] = {0x40, 7, 8, 9};
    transfer(data, sizeof data);
    assert_int_equal(oled.ram[0][0], 7);
    assert_int_equal(oled.ram[1][0], 8);
    assert_int_equal(oled.ram[0][1], 9);
}

static void detached_nacks(void **state)
{
    (void)state;
    oled.attached = false;
    assert_false(oled.bus.ops->address(oled.bus.dev, false));
}

int test_oled_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(gddram_before_init_and_updates, oled_setup, oled_teardown),
        cmocka_unit_test_setup_teardown(horizontal_addressing_wraps, oled_setup, oled_teardown),
        cmocka_unit_test_setup_teardown(page_mode_and_vertical, oled_setup, oled_teardown),
        cmocka_unit_test_setup_teardown(detached_nacks, oled_setup, oled_teardown),
    };
    return cmocka_run_group_tests_name("ssd1306", tests, NULL, NULL);
}
