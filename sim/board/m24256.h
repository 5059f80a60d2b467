/*
 * ST M24256 256-Kbit serial I2C EEPROM (ST datasheet "M24256-BW M24256-BR
 * M24256-BF M24256-DF", DS3220): 32 Kbyte in 64-byte pages behind a 16-bit
 * address counter, write cycle tW, Write Control (WC) input.
 */
#ifndef SIM_BOARD_M24256_H
#define SIM_BOARD_M24256_H

#include <stdbool.h>
#include <stdint.h>

#include "stm32f446/f446.h"

#define M24256_SIZE 32768u
#define M24256_PAGE 64u

enum m24256_rx { M24256_ADDR_HI, M24256_ADDR_LO, M24256_DATA, M24256_READ };

struct m24256 {
    struct i2c_device bus;
    sim_t *sim;
    /* level of the WC pin, as the board wires it */
    bool (*wc_high)(void *ctx);
    void *wc_ctx;
    uint8_t mem[M24256_SIZE];
    uint16_t addr; /* the internal address counter */
    enum m24256_rx rx;
    /* page write in progress: bytes latched until STOP */
    uint8_t latch[M24256_PAGE];
    uint64_t latched; /* bit n: latch[n] holds a byte for page offset n */
    uint64_t busy_until_ps; /* end of the internal write cycle */
    uint64_t write_cycles;  /* statistics */
};

void m24256_init(struct m24256 *e, sim_t *s, uint8_t address, bool (*wc_high)(void *ctx), void *wc_ctx);

#endif
