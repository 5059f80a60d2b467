/*
 * Fidelity review: register sequences that real drivers use on silicon
 * (ST's STM32CubeF4 HAL, Linux i2c-stm32f4.c) and flag behaviour that
 * RM0390 specifies, each of which the first version of the models got
 * wrong. See docs/sim-peripherals.md, "Fidelity review".
 */
#include "periph_test.h"

#define I2C_CR1 (I2C1 + 0x00)
#define I2C_DR (I2C1 + 0x10)
#define I2C_SR1 (I2C1 + 0x14)
#define I2C_SR2 (I2C1 + 0x18)
#define PE (1u << 0)
#define START (1u << 8)
#define STOP (1u << 9)
#define ACK (1u << 10)
#define POS (1u << 11)
#define SB (1u << 0)
#define ADDR (1u << 1)
#define BTF (1u << 2)
#define RXNE (1u << 6)
#define TXE (1u << 7)
#define MSL (1u << 0)
#define TRA (1u << 2)
#define U_SR (USART2 + 0x00)
#define U_DR (USART2 + 0x04)
#define U_CR1 (USART2 + 0x0C)
#define U_TC (1u << 6)
#define U_TXE (1u << 7)
#define U_UE (1u << 13)
#define U_TE (1u << 3)

/* PB8/PB9 in AF4 open-drain, I2C1 at 100 kHz on PCLK1 = 16 MHz (byte = 90 us). */
static void i2c_on(sim_t *s, uint32_t cr1)
{
    set_bits(s, RCC_AHB1ENR, 1u << 1);
    fake_write(s, GPIOB + 0x00, (fake_read(s, GPIOB + 0x00) & ~(0xFu << 16)) | (0xAu << 16));
    set_bits(s, GPIOB + 0x04, 3u << 8);
    fake_write(s, GPIOB + 0x24, 0x44u);
    set_bits(s, RCC_APB1ENR, 1u << 21);
    fake_write(s, I2C1 + 0x04, 16);
    fake_write(s, I2C1 + 0x1C, 80);
    fake_write(s, I2C1 + 0x20, 17);
    fake_write(s, I2C_CR1, PE | cr1);
}

static void wait_sr1(sim_t *s, uint32_t bits)
{
    for (unsigned k = 0; k < 1000; k++) {
        if (fake_read(s, I2C_SR1) & bits)
            return;
        fake_run_for(s, US(1));
    }
    fail_msg("SR1 bits 0x%x never set", bits);
}

static void address(sim_t *s, uint8_t byte)
{
    set_bits(s, I2C_CR1, START);
    wait_sr1(s, SB);
    fake_write(s, I2C_DR, byte);
    wait_sr1(s, ADDR);
}

/* N=2 reception where ACK is cleared and POS set while ADDR is still set,
 * then ADDR cleared: both bytes must arrive, the NACK goes to the second. */
static void two_byte_read(sim_t *s)
{
    address(s, 0x79);
    fake_write(s, I2C_CR1, (fake_read(s, I2C_CR1) & ~ACK) | POS);
    (void)fake_read(s, I2C_SR2);
    wait_sr1(s, BTF);
    set_bits(s, I2C_CR1, STOP);
    assert_int_equal(fake_read(s, I2C_DR), 0x40u);
    assert_int_equal(fake_read(s, I2C_DR), 0x40u); /* old model: 0xFF, data1 was NACKed */
    fake_run_for(s, US(20));
    assert_false(fake_warned(s, "after it sent NACK"));
    assert_int_equal(fake_read(s, I2C_SR2) & 3u, 0u);
}

static void pos_cubef4_hal_sequence(void **state)
{
    struct fixture *f = *state;
    i2c_on(f->sim, ACK); /* HAL_I2C_Master_Receive sets ACK before START */
    two_byte_read(f->sim);
}

static void pos_linux_sequence(void **state)
{
    struct fixture *f = *state;
    i2c_on(f->sim, 0); /* i2c-stm32f4.c never sets ACK for a 2-byte read */
    two_byte_read(f->sim);
}

static void repeated_start_clears_tra(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    i2c_on(s, 0);
    address(s, 0x78);
    assert_int_equal(fake_read(s, I2C_SR2) & TRA, TRA); /* clears ADDR */
    fake_write(s, I2C_DR, 0x00);
    wait_sr1(s, BTF);
    set_bits(s, I2C_CR1, START);
    wait_sr1(s, SB);
    /* RM0390 24.6.7: TRA is cleared by a repeated START. */
    assert_int_equal(fake_read(s, I2C_SR2) & (TRA | MSL), MSL);
    fake_write(s, I2C_DR, 0x79);
    wait_sr1(s, ADDR);
    assert_int_equal(fake_read(s, I2C_SR2) & TRA, 0u);
}

static void receiver_btf_survives_stop(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    i2c_on(s, ACK | POS);
    address(s, 0x79);
    (void)fake_read(s, I2C_SR2);
    fake_write(s, I2C_CR1, PE | POS);
    wait_sr1(s, BTF);
    set_bits(s, I2C_CR1, STOP);
    fake_run_for(s, US(20)); /* the STOP is on the bus */
    assert_int_equal(fake_read(s, I2C_SR2) & MSL, 0u);
    /* RM0390 24.6.6: STOP clears BTF in transmission only. */
    assert_int_equal(fake_read(s, I2C_SR1) & (BTF | RXNE), BTF | RXNE);
    assert_int_equal(fake_read(s, I2C_DR), 0x40u);
    assert_int_equal(fake_read(s, I2C_SR1) & (BTF | RXNE), RXNE);
    assert_int_equal(fake_read(s, I2C_DR), 0x40u);
    assert_int_equal(fake_read(s, I2C_SR1) & RXNE, 0u);
}

static void usart_on(sim_t *s)
{
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    fake_write(s, GPIOA, (fake_read(s, GPIOA) & ~(0xFu << 4)) | (0xAu << 4));
    fake_write(s, GPIOA + 0x20, 0x7700u);
    set_bits(s, RCC_APB1ENR, 1u << 17);
    fake_write(s, USART2 + 0x08, 1600); /* 10000 baud: 1 ms per character */
    fake_write(s, U_CR1, U_UE | U_TE);
}

static void usart_tc_needs_sr_read(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    usart_on(s);
    /* RM0390 25.6.1: TC is cleared by an SR read followed by a DR write. */
    fake_write(s, U_DR, 'a');
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, U_SR) & U_TC, U_TC); /* old model: 0 */
    fake_run_for(s, MS(1));
    (void)fake_read(s, U_SR);
    fake_write(s, U_DR, 'b');
    assert_int_equal(fake_read(s, U_SR) & (U_TC | U_TXE), U_TXE);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, U_SR) & U_TC, U_TC);
}

static void usart_tc_waits_for_txe(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    usart_on(s);
    (void)fake_read(s, U_SR);
    fake_write(s, U_DR, 'a');
    fake_write(s, U_DR, 'b'); /* waits in DR */
    fake_write(s, U_CR1, U_UE); /* TE=0: 'b' stays in DR */
    fake_run_for(s, MS(2));
    /* RM0390 25.6.1: TC needs TXE=1 as well. */
    assert_int_equal(fake_read(s, U_SR) & (U_TC | U_TXE), 0u); /* old model: TC=1 */
    fake_write(s, U_CR1, U_UE | U_TE);
    fake_run_for(s, MS(1));
    assert_int_equal(fake_read(s, U_SR) & (U_TC | U_TXE), U_TC | U_TXE);
    size_t len;
    assert_string_equal(nucleo_console(f->board, &len), "ab");
}

static void rcc_cir_plli2s_flag(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    fake_write(s, RCC + 0x0C, 1u << 13); /* PLLI2SRDYIE */
    set_bits(s, RCC_CR, 1u << 26);       /* PLLI2SON */
    fake_run_for(s, US(200));
    assert_int_not_equal(fake_read(s, RCC_CR) & (1u << 27), 0u);
    /* RM0390 6.3.4: PLLI2SRDYF is CIR bit 5 (the old read mask dropped it). */
    assert_int_equal(fake_read(s, RCC + 0x0C) & 0x7Fu, 1u << 5);
    assert_true(fake(s)->irq[5]);
    fake_write(s, RCC + 0x0C, (1u << 13) | (1u << 21)); /* PLLI2SRDYC */
    assert_int_equal(fake_read(s, RCC + 0x0C) & 0x7Fu, 0u);
    assert_false(fake(s)->irq[5]);
}

int test_fidelity_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pos_cubef4_hal_sequence, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pos_linux_sequence, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(repeated_start_clears_tra, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(receiver_btf_survives_stop, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(usart_tc_needs_sr_read, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(usart_tc_waits_for_txe, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(rcc_cir_plli2s_flag, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("fidelity", tests, NULL, NULL);
}
