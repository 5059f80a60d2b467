/*
 * I2C1 on the fake core, for the model tests (test_i2c.c here,
 * tests/sim/i2c/test_scl_hold.c): register offsets and bits of RM0390
 * section 24.6, PB8/PB9 as the board wires them, and the one bus setup
 * both use.
 */
#ifndef I2C_TEST_H
#define I2C_TEST_H

#include "periph_test.h"

#define CR1 0x00
#define CR2 0x04
#define DR 0x10
#define SR1 0x14
#define SR2 0x18
#define CCR 0x1C
#define TRISE 0x20
#define PE (1u << 0)
#define START (1u << 8)
#define STOP (1u << 9)
#define ACK (1u << 10)
#define POS (1u << 11)
#define SWRST (1u << 15)
#define SB (1u << 0)
#define ADDR (1u << 1)
#define BTF (1u << 2)
#define RXNE (1u << 6)
#define TXE (1u << 7)
#define AF (1u << 10)
#define BUSY (1u << 1)

/* PB8 = SCL, PB9 = SDA: alternate function 4, open drain (RM0390 7.4). */
static inline void pins_af4_open_drain(sim_t *s)
{
    set_bits(s, RCC_AHB1ENR, 1u << 1);
    uint32_t moder = fake_read(s, GPIOB + 0x00) & ~(0xFu << 16);
    fake_write(s, GPIOB + 0x00, moder | (0xAu << 16));
    set_bits(s, GPIOB + 0x04, 3u << 8);
    fake_write(s, GPIOB + 0x24, 0x44u);
}

/* 100 kHz standard mode on PCLK1 = 16 MHz: SCL period 10 us, a byte with
 * its ACK 90 us. */
static inline void i2c_on(sim_t *s)
{
    set_bits(s, RCC_APB1ENR, 1u << 21);
    fake_write(s, I2C1 + CR2, 16);
    fake_write(s, I2C1 + CCR, 80);
    fake_write(s, I2C1 + TRISE, 17);
    fake_write(s, I2C1 + CR1, PE);
}

#endif
