/*
 * SSD1306 128x64 OLED controller on I2C (Solomon Systech SSD1306 datasheet
 * rev 1.1): the I2C write protocol with control bytes, the fundamental,
 * addressing, hardware-configuration and timing command sets, and GDDRAM.
 */
#ifndef SIM_BOARD_SSD1306_H
#define SIM_BOARD_SSD1306_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stm32f446/f446.h"

enum ssd1306_rx { SSD1306_CTRL, SSD1306_DATA_STREAM, SSD1306_CMD_STREAM, SSD1306_ONE_DATA, SSD1306_ONE_CMD };

struct ssd1306 {
    struct i2c_device bus;
    sim_t *sim;
    bool attached;
    uint8_t ram[8][128]; /* GDDRAM: 8 pages of 128 columns, bit 0 = top line of the page */
    bool display_on, charge_pump, seg_remap, com_remap, invert, entire_on, scrolling;
    uint8_t contrast, mux, offset, start_line, mode;
    uint8_t col_start, col_end, page_start, page_end, col, page, page_col_start;
    uint8_t clock_div, precharge, com_pins, vcomh, scroll[7];
    enum ssd1306_rx rx;
    uint8_t cmd[8];
    int cmd_len, cmd_need;
    bool wrote_data;
    uint64_t *updates; /* virtual time (ps) of each completed GDDRAM write burst */
    size_t nupdates, cap;
};

void ssd1306_init(struct ssd1306 *d, sim_t *s, uint8_t address);
void ssd1306_power_on(struct ssd1306 *d);
void ssd1306_free(struct ssd1306 *d);
/* The pixel as the panel shows it (x right, y down; module mounted so that
 * segment remap A1 and COM scan C8 give an upright image). */
bool ssd1306_pixel(const struct ssd1306 *d, int x, int y);

#endif
