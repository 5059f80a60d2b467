/*
 * The M24256 model alone, driven through its I2C device callbacks as the
 * I2C model drives it, on the host-only fake core (tests/sim/periph):
 * the datasheet behaviours the probe image does not reach (page roll-over,
 * counter roll-over at the end of the array, a dummy write that writes
 * nothing, WC sampled per data byte).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "board/m24256.h"
#include "fake_sim.h"

#define MS (1000ull * 1000ull * 1000ull)

static bool wc;
static bool wc_high(void *ctx)
{
    (void)ctx;
    return wc;
}

struct fixture {
    sim_t *s;
    struct m24256 e;
};

static int setup(void **state)
{
    static struct fixture f;
    f.s = fake_sim_new();
    m24256_init(&f.e, f.s, 0x50, wc_high, NULL);
    wc = false;
    *state = &f;
    return f.s ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    fake_sim_free(f->s);
    return 0;
}

static bool address(struct m24256 *e, bool read) { return e->bus.ops->address(e->bus.dev, read); }
static bool put(struct m24256 *e, uint8_t v) { return e->bus.ops->write(e->bus.dev, v); }
static uint8_t get(struct m24256 *e) { return e->bus.ops->read(e->bus.dev); }
static void stop(struct m24256 *e) { e->bus.ops->stop(e->bus.dev); }

static void set_address(struct m24256 *e, uint16_t a)
{
    assert_true(address(e, false));
    assert_true(put(e, (uint8_t)(a >> 8)));
    assert_true(put(e, (uint8_t)a));
}

/* "Page Write": the six low address bits roll over inside the page. */
static void page_write_rolls_over_in_the_page(void **state)
{
    struct fixture *f = *state;
    set_address(&f->e, 0x013E); /* two bytes before the end of page 0x0100 */
    for (uint8_t v = 1; v <= 4; v++)
        assert_true(put(&f->e, v));
    stop(&f->e);
    assert_int_equal(f->e.mem[0x013E], 1);
    assert_int_equal(f->e.mem[0x013F], 2);
    assert_int_equal(f->e.mem[0x0100], 3); /* rolled over, not into 0x0140 */
    assert_int_equal(f->e.mem[0x0101], 4);
    assert_int_equal(f->e.mem[0x0140], 0xFF);
}

/* The write cycle: device select NACKed for tW after the STOP, then ACKed. */
static void write_cycle_nacks_the_device_select(void **state)
{
    struct fixture *f = *state;
    set_address(&f->e, 0x0000);
    assert_true(put(&f->e, 0x5A));
    stop(&f->e);
    assert_false(address(&f->e, false));
    /* Virtual time advances in HCLK cycles (sim/core/time.c): one cycle
     * before tW the device still NACKs, at tW it answers. */
    uint64_t cycle_ps = 1000000000000ull / sim_hclk(f->s);
    fake_run_for(f->s, 5 * MS - cycle_ps);
    assert_false(address(&f->e, true));
    fake_run_for(f->s, cycle_ps);
    assert_true(address(&f->e, true));
}

/* A STOP after the address bytes alone starts no write cycle. */
static void dummy_write_writes_nothing(void **state)
{
    struct fixture *f = *state;
    set_address(&f->e, 0x0010);
    stop(&f->e);
    assert_true(address(&f->e, true));
    assert_int_equal(f->e.write_cycles, 0);
}

/* "Sequential Read": the counter rolls over from the last byte to the first. */
static void sequential_read_rolls_over_at_the_end(void **state)
{
    struct fixture *f = *state;
    f->e.mem[M24256_SIZE - 1] = 0x11;
    f->e.mem[0] = 0x22;
    set_address(&f->e, 0xFFFF); /* b15 is ignored: 0x7FFF */
    assert_true(address(&f->e, true));
    assert_int_equal(get(&f->e), 0x11);
    assert_int_equal(get(&f->e), 0x22);
    stop(&f->e);
    /* current address read continues from the counter */
    assert_true(address(&f->e, true));
    assert_int_equal(get(&f->e), f->e.mem[1]);
}

/* "Write Control": WC high NACKs the data bytes and writes nothing; the
 * device select and address bytes are still acknowledged. */
static void write_control_high_nacks_data(void **state)
{
    struct fixture *f = *state;
    wc = true;
    set_address(&f->e, 0x0200);
    assert_false(put(&f->e, 0x12));
    stop(&f->e);
    assert_int_equal(f->e.mem[0x0200], 0xFF);
    assert_int_equal(f->e.write_cycles, 0);
    assert_true(address(&f->e, false)); /* no write cycle started */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(page_write_rolls_over_in_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(write_cycle_nacks_the_device_select, setup, teardown),
        cmocka_unit_test_setup_teardown(dummy_write_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(sequential_read_rolls_over_at_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(write_control_high_nacks_data, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
