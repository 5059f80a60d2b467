/*
 * FLASH interface programming (RM0390 3.5, registers 3.8.2-3.8.5) on the
 * fake core: the key sequence, CR lock, programming (1 -> 0 only, PSIZE,
 * rows), sector and mass erase with BSY for the datasheet's typical time,
 * EOP/OPERR and the FLASH interrupt. Expected values from the manual.
 */
#include "periph_test.h"

#define FLASH 0x40023C00u
#define FLASH_KEYR (FLASH + 0x04)
#define FLASH_SR (FLASH + 0x0C)
#define FLASH_CR (FLASH + 0x10)
#define FLASH_OPTCR (FLASH + 0x14)
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define SR_EOP (1u << 0)
#define SR_OPERR (1u << 1)
#define SR_PGAERR (1u << 5)
#define SR_PGPERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_BSY (1u << 16)
#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_MER (1u << 2)
#define CR_SNB(n) ((uint32_t)(n) << 3)
#define CR_PSIZE_X8 (0u << 8)
#define CR_PSIZE_X32 (2u << 8)
#define CR_STRT (1u << 16)
#define CR_EOPIE (1u << 24)
#define CR_ERRIE (1u << 25)
#define CR_LOCK (1u << 31)
#define FLASH_IRQ 4

static void unlock(sim_t *s)
{
    fake_write(s, FLASH_KEYR, KEY1);
    fake_write(s, FLASH_KEYR, KEY2);
}

static uint32_t cell32(sim_t *s, uint32_t offset)
{
    uint32_t v;
    memcpy(&v, fake(s)->flash_array + offset, 4);
    return v;
}

static void reset_and_keys(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    assert_int_equal(fake_read(s, FLASH_CR), CR_LOCK); /* reset value 0x80000000 */
    assert_int_equal(fake_read(s, FLASH_SR), 0);
    assert_int_equal(fake_read(s, FLASH_OPTCR), 0x0FFFAAEDu);
    fake_write(s, FLASH_CR, CR_PG); /* locked: not written */
    assert_int_equal(fake_read(s, FLASH_CR), CR_LOCK);
    unlock(s);
    assert_int_equal(fake_read(s, FLASH_CR), 0);
    assert_int_equal(fake_read(s, FLASH_KEYR), 0); /* write-only */
    fake_write(s, FLASH_CR, CR_PG | CR_PSIZE_X32);
    assert_int_equal(fake_read(s, FLASH_CR), CR_PG | CR_PSIZE_X32);
    fake_write(s, FLASH_CR, CR_LOCK); /* software locks again */
    assert_int_equal(fake_read(s, FLASH_CR), CR_LOCK);
    unlock(s); /* and the right sequence unlocks again */
    assert_int_equal(fake_read(s, FLASH_CR), 0);
    assert_int_equal(fake(s)->bus_errors, 0);
}

static void wrong_key_locks_until_reset(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    fake_write(s, FLASH_KEYR, KEY1);
    fake_write(s, FLASH_KEYR, 0x12345678u); /* wrong second key: bus error, locked */
    assert_int_equal(fake(s)->bus_errors, 1);
    unlock(s); /* the right sequence no longer helps (3.5.1) */
    assert_int_equal(fake_read(s, FLASH_CR), CR_LOCK);
    assert_true(fake(s)->bus_errors >= 2);
    nucleo_reset(f->board);
    unlock(s);
    assert_int_equal(fake_read(s, FLASH_CR), 0);
}

static void program_and_errors(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    memset(fake(s)->flash_array + 0x60000, 0xFF, 64);
    fake_flash_store(s, 0x60000, 4, 0x12345678u); /* locked, no PG: refused */
    assert_int_equal(cell32(s, 0x60000), 0xFFFFFFFFu);
    assert_int_equal(fake_read(s, FLASH_SR), SR_PGSERR);
    fake_write(s, FLASH_SR, SR_PGSERR); /* rc_w1 */
    assert_int_equal(fake_read(s, FLASH_SR), 0);

    unlock(s);
    fake_write(s, FLASH_CR, CR_PG | CR_PSIZE_X32);
    fake_flash_store(s, 0x60000, 2, 0x1234u); /* half-word with x32: PGPERR */
    assert_int_equal(fake_read(s, FLASH_SR), SR_PGPERR);
    assert_int_equal(cell32(s, 0x60000), 0xFFFFFFFFu);
    fake_write(s, FLASH_SR, SR_PGPERR);

    fake_flash_store(s, 0x60000, 4, 0xF0F0F00Fu);
    assert_int_equal(cell32(s, 0x60000), 0xF0F0F00Fu);
    assert_true(fake_read(s, FLASH_SR) & SR_BSY);
    assert_int_equal(fake(s)->flash_stall_ps, sim_now_ps(s) + US(16)); /* t_prog 16 us typ */
    fake_run_for(s, US(15));
    assert_true(fake_read(s, FLASH_SR) & SR_BSY);
    fake_run_for(s, US(2));
    assert_int_equal(fake_read(s, FLASH_SR), 0); /* no EOP without EOPIE */
    /* Writing 1s over 0s changes nothing: only an erase sets bits (3.5.4). */
    fake_flash_store(s, 0x60000, 4, 0x0FFFFFFFu);
    assert_int_equal(cell32(s, 0x60000), 0x00F0F00Fu);
    fake_run_for(s, US(20));

    /* Errors with ERRIE: OPERR too, and the interrupt. */
    fake_write(s, FLASH_CR, CR_PG | CR_PSIZE_X8 | CR_ERRIE | CR_EOPIE);
    fake_flash_store(s, 0x60004, 4, 0u);
    assert_int_equal(fake_read(s, FLASH_SR), SR_PGPERR | SR_OPERR);
    assert_true(fake(s)->irq[FLASH_IRQ]);
    fake_write(s, FLASH_SR, SR_PGPERR | SR_OPERR);
    assert_false(fake(s)->irq[FLASH_IRQ]);
    fake_flash_store(s, 0x60004, 1, 0x5Au);
    fake_run_for(s, US(20));
    assert_int_equal(fake_read(s, FLASH_SR), SR_EOP);
    assert_true(fake(s)->irq[FLASH_IRQ]);
    assert_int_equal(fake(s)->flash_array[0x60004], 0x5A);
    assert_int_equal(fake(s)->flash_array[0x60005], 0xFF);
}

static void sector_erase_timing(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    memset(fake(s)->flash_array + 0x8000, 0x00, 16 * 1024); /* sector 2: 0x08008000, 16 KB */
    fake(s)->flash_array[0x7FFF] = 0x00;                   /* sector 1's last byte */
    fake(s)->flash_array[0xC000] = 0x00;                   /* sector 3's first */
    unlock(s);
    fake_write(s, FLASH_CR, CR_SER | CR_SNB(2) | CR_PSIZE_X32 | CR_EOPIE);
    fake_write(s, FLASH_CR, CR_SER | CR_SNB(2) | CR_PSIZE_X32 | CR_EOPIE | CR_STRT);
    uint64_t t0 = sim_now_ps(s);
    assert_true(fake_read(s, FLASH_SR) & SR_BSY);
    assert_int_equal(fake(s)->flash_stall_ps, t0 + MS(250)); /* t_ERASE16KB x32: 250 ms typ */
    fake_run_for(s, MS(249));
    assert_true(fake_read(s, FLASH_SR) & SR_BSY);
    assert_int_equal(fake(s)->flash_array[0x8000], 0x00); /* the cells change at the end */
    fake_run_for(s, MS(2));
    assert_int_equal(fake_read(s, FLASH_SR), SR_EOP);
    assert_int_equal(fake_read(s, FLASH_CR) & CR_STRT, 0);
    for (uint32_t i = 0x8000; i < 0xC000; i++)
        if (fake(s)->flash_array[i] != 0xFF)
            fail_msg("sector 2 byte 0x%x not erased", i);
    assert_int_equal(fake(s)->flash_array[0x7FFF], 0x00);
    assert_int_equal(fake(s)->flash_array[0xC000], 0x00);
}

static void erase_rules(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    fake(s)->flash_array[0x40000] = 0x00; /* sector 6 */
    unlock(s);
    /* SER and MER together: neither erase (3.5.3). */
    fake_write(s, FLASH_CR, CR_SER | CR_MER | CR_SNB(6) | CR_STRT);
    assert_int_equal(fake_read(s, FLASH_SR) & SR_BSY, 0);
    fake_run_for(s, MS(3000));
    assert_int_equal(fake(s)->flash_array[0x40000], 0x00);
    /* SNB 8..15: no such sector on the F446. */
    fake_write(s, FLASH_CR, CR_SER | CR_SNB(9) | CR_STRT);
    assert_int_equal(fake_read(s, FLASH_SR), SR_PGSERR);
    fake_write(s, FLASH_SR, SR_PGSERR);
    /* A 128 KB sector at x8 takes 2 s. */
    fake_write(s, FLASH_CR, CR_SER | CR_SNB(6) | CR_PSIZE_X8);
    fake_write(s, FLASH_CR, CR_SER | CR_SNB(6) | CR_PSIZE_X8 | CR_STRT);
    fake_run_for(s, MS(1999));
    assert_int_equal(fake(s)->flash_array[0x40000], 0x00);
    fake_run_for(s, MS(2));
    assert_int_equal(fake(s)->flash_array[0x40000], 0xFF);
    assert_int_equal(fake_read(s, FLASH_SR), 0);
}

int test_flash_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reset_and_keys, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(wrong_key_locks_until_reset, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(program_and_errors, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(sector_erase_timing, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(erase_rules, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("flash", tests, NULL, NULL);
}
