/*
 * SSD1306 model. Section numbers refer to the SSD1306 datasheet rev 1.1:
 * 8.1.5 (I2C interface, control byte), 10.1 (fundamental and addressing
 * commands), 10.2 (scrolling), 10.3 (hardware configuration), 10.4 (timing).
 */
#include "ssd1306.h"

#include <stdlib.h>
#include <string.h>

static int arg_count(uint8_t c)
{
    switch (c) {
    case 0x81: case 0x8D: case 0x20: case 0xA8: case 0xD3: case 0xD5: case 0xD9: case 0xDA: case 0xDB: return 1;
    case 0x21: case 0x22: case 0xA3: return 2;
    case 0x29: case 0x2A: return 5;
    case 0x26: case 0x27: return 6;
    default: return 0;
    }
}

static void execute(struct ssd1306 *d)
{
    uint8_t c = d->cmd[0], a = d->cmd[1], b = d->cmd[2];
    if (c <= 0x0F) { /* lower nibble of the page-mode column start (10.1.1) */
        d->page_col_start = (uint8_t)((d->page_col_start & 0xF0u) | c);
        d->col = d->page_col_start;
    } else if (c <= 0x1F) {
        d->page_col_start = (uint8_t)(((c & 0x07u) << 4) | (d->page_col_start & 0x0Fu));
        d->col = d->page_col_start;
    } else if (c >= 0x40 && c <= 0x7F) {
        d->start_line = c & 0x3Fu;
    } else if (c >= 0xB0 && c <= 0xB7) {
        d->page = c & 7u;
    } else {
        switch (c) {
        case 0x20: d->mode = a & 3u; break;
        case 0x21: d->col_start = a & 0x7Fu; d->col_end = b & 0x7Fu; d->col = d->col_start; break;
        case 0x22: d->page_start = a & 7u; d->page_end = b & 7u; d->page = d->page_start; break;
        case 0x81: d->contrast = a; break;
        case 0x8D: d->charge_pump = (a & 0x04u) != 0; break;
        case 0xA0: case 0xA1: d->seg_remap = c & 1u; break;
        case 0xA4: case 0xA5: d->entire_on = c & 1u; break;
        case 0xA6: case 0xA7: d->invert = c & 1u; break;
        case 0xA8: d->mux = a & 0x3Fu; break;
        case 0xAE: case 0xAF: d->display_on = c & 1u; break;
        case 0xC0: case 0xC8: d->com_remap = (c & 8u) != 0; break;
        case 0xD3: d->offset = a & 0x3Fu; break;
        case 0xD5: d->clock_div = a; break;
        case 0xD9: d->precharge = a; break;
        case 0xDA: d->com_pins = a; break;
        case 0xDB: d->vcomh = a; break;
        case 0xE3: break; /* NOP */
        case 0x26: case 0x27: case 0x29: case 0x2A: case 0xA3:
            memcpy(d->scroll, d->cmd, sizeof d->scroll);
            break;
        case 0x2E: d->scrolling = false; break;
        case 0x2F:
            d->scrolling = true;
            sim_warn(d->sim, "SSD1306: scrolling (2Fh) is accepted but not shown");
            break;
        default: sim_warn(d->sim, "SSD1306: unknown command 0x%02X ignored", c); break;
        }
    }
    if (c == 0xDA && d->com_pins != 0x12)
        sim_warn(d->sim, "SSD1306: COM pins configuration 0x%02X: the 128x64 module needs 0x12; "
                         "the picture is shown as with 0x12", d->com_pins);
}

static void command_byte(struct ssd1306 *d, uint8_t v)
{
    if (d->cmd_len == 0)
        d->cmd_need = 1 + arg_count(v);
    d->cmd[d->cmd_len++] = v;
    if (d->cmd_len == d->cmd_need) {
        execute(d);
        d->cmd_len = 0;
    }
}

/* GDDRAM write and pointer advance (10.1.3 page, horizontal, vertical mode). */
static void data_byte(struct ssd1306 *d, uint8_t v)
{
    d->ram[d->page & 7u][d->col & 0x7Fu] = v;
    d->wrote_data = true;
    switch (d->mode) {
    case 0:
        if (++d->col > d->col_end) {
            d->col = d->col_start;
            if (++d->page > d->page_end)
                d->page = d->page_start;
        }
        break;
    case 1:
        if (++d->page > d->page_end) {
            d->page = d->page_start;
            if (++d->col > d->col_end)
                d->col = d->col_start;
        }
        break;
    default:
        if (++d->col > 127u)
            d->col = d->page_col_start;
        break;
    }
}

static bool on_address(void *dev, bool read)
{
    struct ssd1306 *d = dev;
    (void)read;
    if (!d->attached)
        return false; /* unplugged: nobody acknowledges */
    d->rx = SSD1306_CTRL;
    return true;
}

/* 8.1.5.1: control byte Co (bit 7), D/C# (bit 6); Co=0: only data or
 * commands follow; Co=1: one byte follows, then another control byte. */
static bool on_write(void *dev, uint8_t v)
{
    struct ssd1306 *d = dev;
    if (!d->attached)
        return false;
    switch (d->rx) {
    case SSD1306_CTRL:
        if (v & 0x80u)
            d->rx = (v & 0x40u) ? SSD1306_ONE_DATA : SSD1306_ONE_CMD;
        else
            d->rx = (v & 0x40u) ? SSD1306_DATA_STREAM : SSD1306_CMD_STREAM;
        break;
    case SSD1306_ONE_DATA: data_byte(d, v); d->rx = SSD1306_CTRL; break;
    case SSD1306_ONE_CMD: command_byte(d, v); d->rx = SSD1306_CTRL; break;
    case SSD1306_DATA_STREAM: data_byte(d, v); break;
    case SSD1306_CMD_STREAM: command_byte(d, v); break;
    }
    return true;
}

static uint8_t on_read(void *dev)
{
    /* Status byte (8.1.5.2): D6 = 1 while the display is off. */
    struct ssd1306 *d = dev;
    return d->display_on ? 0x00u : 0x40u;
}

static void on_stop(void *dev)
{
    struct ssd1306 *d = dev;
    if (!d->wrote_data)
        return;
    d->wrote_data = false;
    if (d->nupdates == d->cap) {
        size_t cap = d->cap ? d->cap * 2u : 64u;
        uint64_t *u = realloc(d->updates, cap * sizeof *u);
        if (!u)
            return;
        d->updates = u;
        d->cap = cap;
    }
    d->updates[d->nupdates++] = sim_now_ps(d->sim);
}

static const struct i2c_device_ops ssd1306_ops = {on_address, on_write, on_read, on_stop};

void ssd1306_power_on(struct ssd1306 *d)
{
    /* Reset values, datasheet table 9-1 / section 10; GDDRAM content after
     * power-on is undefined on the chip and zero here. */
    memset(d->ram, 0, sizeof d->ram);
    d->display_on = d->charge_pump = d->seg_remap = d->com_remap = false;
    d->invert = d->entire_on = d->scrolling = false;
    d->contrast = 0x7F;
    d->mux = 63;
    d->offset = d->start_line = 0;
    d->mode = 2;
    d->col_start = 0;
    d->col_end = 127;
    d->page_start = 0;
    d->page_end = 7;
    d->col = d->page = d->page_col_start = 0;
    d->clock_div = 0x80;
    d->precharge = 0x22;
    d->com_pins = 0x12;
    d->vcomh = 0x20;
    memset(d->scroll, 0, sizeof d->scroll);
    d->rx = SSD1306_CTRL;
    d->cmd_len = d->cmd_need = 0;
    d->wrote_data = false;
}

void ssd1306_init(struct ssd1306 *d, sim_t *s, uint8_t address)
{
    d->sim = s;
    d->bus.address = address;
    d->bus.ops = &ssd1306_ops;
    d->bus.dev = d;
    d->attached = true;
    ssd1306_power_on(d);
}

void ssd1306_free(struct ssd1306 *d)
{
    free(d->updates);
    d->updates = NULL;
    d->nupdates = d->cap = 0;
}

bool ssd1306_pixel(const struct ssd1306 *d, int x, int y)
{
    if (x < 0 || x > 127 || y < 0 || y > 63 || !d->display_on || !d->charge_pump)
        return false;
    if (d->entire_on) /* A5: output ignores RAM (10.1.9) */
        return true;
    /* SEG0 sits at the right edge and COM0 at the bottom of the module. */
    int seg = 127 - x, com = 63 - y;
    if (com > d->mux)
        return false; /* COM lines beyond the multiplex ratio are not driven */
    int row = d->com_remap ? d->mux - com : com;
    int line = (row + d->offset + d->start_line) & 63;
    int column = d->seg_remap ? 127 - seg : seg;
    bool on = (d->ram[line >> 3][column] >> (line & 7)) & 1u;
    return on != d->invert;
}
