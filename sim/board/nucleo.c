/*
 * The Nucleo-F446RE board (UM1724): the STM32F446RE plus what the board
 * and the quartz kit wire to it. B1 on PC13 with the board's pull-up
 * (pressed = low), LD2 on PA5 (high = lit), USART2 on PA2/PA3 to the
 * ST-LINK virtual COM port, the SSD1306 module (with its bus pull-ups) on
 * I2C1 at PB8 (SCL) / PB9 (SDA).
 */
#include "nucleo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nucleo_priv.h"

#define PORT_A 0
#define PORT_B 1
#define PORT_C 2
#define OLED_ADDRESS 0x3Cu
#define EEPROM_ADDRESS 0x50u /* 1010 E2 E1 E0 with E2..E0 tied low */
#define EEPROM_WC_PIN 5      /* PB5 */
#define AF4_I2C1 4u
#define AF7_USART2 7u
#define USART2_INDEX 1


static bool pin_is(const struct gpio *g, int pin, unsigned af, bool open_drain)
{
    return gpio_mode(g, pin) == GPIO_MODER_AF && gpio_af(g, pin) == af && gpio_open_drain(g, pin) == open_drain;
}

static bool i2c_routed(void *ctx, int bus)
{
    struct nucleo *b = ctx;
    if (bus != 0)
        return true; /* nothing is wired to I2C2/I2C3 anyway */
    return pin_is(&b->chip.gpio[PORT_B], 8, AF4_I2C1, true) && pin_is(&b->chip.gpio[PORT_B], 9, AF4_I2C1, true);
}

static bool usart_routed(void *ctx, int index, bool tx)
{
    struct nucleo *b = ctx;
    if (index != USART2_INDEX)
        return true;
    const struct gpio *a = &b->chip.gpio[PORT_A];
    int pin = tx ? 2 : 3;
    return gpio_mode(a, pin) == GPIO_MODER_AF && gpio_af(a, pin) == AF7_USART2;
}

static void usart_tx(void *ctx, int index, uint8_t byte)
{
    struct nucleo *b = ctx;
    if (index != USART2_INDEX)
        return;
    if (b->console_len + 1 >= b->console_cap) {
        size_t cap = b->console_cap ? b->console_cap * 2u : 4096u;
        char *c = realloc(b->console, cap);
        if (!c)
            return;
        b->console = c;
        b->console_cap = cap;
    }
    b->console[b->console_len++] = (char)byte;
    b->console[b->console_len] = '\0';
}

static void gpio_changed(void *ctx, int port, int pin, bool level)
{
    struct nucleo *b = ctx;
    if (port == PORT_A && pin == 5)
        b->led_toggles++;
    for (int k = 0; k < 2; k++)
        spi_bus_gpio_changed(&b->spi[k], port, pin, level);
}

static bool spi_frame(void *ctx, int bus, const struct spi_frame *f, uint16_t *miso)
{
    struct nucleo *b = ctx;
    return bus >= 0 && bus < 2 && spi_bus_frame(&b->spi[bus], f, miso);
}

static void hold_end(sim_t *s, void *dev, uint32_t bus)
{
    (void)s;
    nucleo_i2c_stuck_scl(dev, (int)bus, false);
}

static void i2c_byte(void *ctx, int bus)
{
    struct nucleo *b = ctx;
    if (b->hold_bus != bus + 1 || b->hold_after == 0 || --b->hold_after > 0)
        return;
    b->hold_bus = 0;
    nucleo_i2c_stuck_scl(b, bus + 1, true);
    sim_event_at(b->sim, &b->ev_hold, sim_now_ps(b->sim) + b->hold_ps, hold_end, b, (uint32_t)(bus + 1));
}

static void set_contact(struct nucleo *b, bool closed)
{
    b->contact = closed;
    gpio_set_external(&b->chip.gpio[PORT_C], 13, closed ? GPIO_EXT_LOW : GPIO_EXT_PULLUP);
}

struct nucleo *nucleo_create(sim_t *s)
{
    struct nucleo *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->sim = s;
    const struct f446_board_hooks hooks = {b, i2c_routed, usart_routed, usart_tx, gpio_changed, i2c_byte, spi_frame};
    f446_init(&b->chip, s, &hooks);
    spi_bus_init(&b->spi[0], &b->chip, 0, (struct spi_pin){PORT_A, 5}, (struct spi_pin){PORT_A, 6},
                 (struct spi_pin){PORT_A, 7});
    spi_bus_init(&b->spi[1], &b->chip, 1, (struct spi_pin){PORT_B, 13}, (struct spi_pin){PORT_B, 14},
                 (struct spi_pin){PORT_B, 15});
    ssd1306_init(&b->oled, s, OLED_ADDRESS);
    i2c_attach(&b->chip.i2c[0], &b->oled.bus);
    struct gpio *pa = &b->chip.gpio[PORT_A], *pb = &b->chip.gpio[PORT_B], *pc = &b->chip.gpio[PORT_C];
    gpio_set_external(pb, 8, GPIO_EXT_PULLUP); /* the OLED module's SCL/SDA pull-ups */
    gpio_set_external(pb, 9, GPIO_EXT_PULLUP);
    gpio_set_external(pa, 3, GPIO_EXT_HIGH);   /* ST-LINK TX idles high */
    set_contact(b, false);
    pa->trace_mask = (1u << 2) | (1u << 3) | (1u << 5);
    pb->trace_mask = (1u << 8) | (1u << 9);
    pc->trace_mask = 1u << 13;
    b->bounce_window_ps = 2ull * SIM_PS_PER_MS;
    return b;
}

void nucleo_destroy(struct nucleo *b)
{
    if (!b)
        return;
    sim_event_cancel(b->sim, &b->ev_bounce);
    sim_event_cancel(b->sim, &b->ev_hold);
    f446_free(&b->chip);
    free(b->eeprom);
    free(b->spi_regfile);
    free(b->spi_loopback);
    if (b->bme280)
        bme280_free(b->bme280);
    free(b->bme280);
    sim_env_free(&b->env);
    ssd1306_free(&b->oled);
    free(b->console);
    free(b);
}

void nucleo_reset(struct nucleo *b) { f446_reset(&b->chip, F446_RESET_PIN); }
void nucleo_system_reset(struct nucleo *b) { f446_reset(&b->chip, F446_RESET_SOFTWARE); }
struct f446 *nucleo_chip(struct nucleo *b) { return &b->chip; }

static void bounce_event(sim_t *s, void *dev, uint32_t arg)
{
    struct nucleo *b = dev;
    (void)arg;
    set_contact(b, !b->contact);
    if (--b->bounce_left > 0)
        sim_event_at(s, &b->ev_bounce, sim_now_ps(s) + b->bounce_window_ps / (uint64_t)b->bounce_edges, bounce_event,
                     b, 0);
}

/*
 * With bounce, a press or release is: the contact changes at once, then
 * chatters `edges` more times (rounded up to even so it settles on the new
 * state) at equal steps, the last one at the end of the window.
 */
void nucleo_button_set(struct nucleo *b, bool pressed)
{
    sim_event_cancel(b->sim, &b->ev_bounce);
    b->pressed = pressed;
    set_contact(b, pressed);
    if (b->bounce_edges <= 0)
        return;
    b->bounce_left = b->bounce_edges;
    sim_event_at(b->sim, &b->ev_bounce, sim_now_ps(b->sim) + b->bounce_window_ps / (uint64_t)b->bounce_edges,
                 bounce_event, b, 0);
}

void nucleo_set_bounce(struct nucleo *b, int edges, uint64_t window_ps)
{
    b->bounce_edges = edges <= 0 ? 0 : edges + (edges & 1);
    if (window_ps)
        b->bounce_window_ps = window_ps;
}

void nucleo_oled_attach(struct nucleo *b, bool attached) { b->oled.attached = attached; }

void nucleo_i2c_stuck_sda(struct nucleo *b, int bus, bool stuck)
{
    if (bus < 1 || bus > 3)
        return;
    i2c_set_sda_stuck(&b->chip.i2c[bus - 1], stuck);
    if (bus == 1) /* the stuck device pulls PB9 low: IDR shows it */
        gpio_set_external(&b->chip.gpio[PORT_B], 9, stuck ? GPIO_EXT_LOW : GPIO_EXT_PULLUP);
}

void nucleo_i2c_stuck_scl(struct nucleo *b, int bus, bool stuck)
{
    if (bus < 1 || bus > 3)
        return;
    i2c_set_scl_stuck(&b->chip.i2c[bus - 1], stuck);
    if (bus == 1) /* the device holding SCL pulls PB8 low: IDR shows it */
        gpio_set_external(&b->chip.gpio[PORT_B], 8, stuck ? GPIO_EXT_LOW : GPIO_EXT_PULLUP);
}

void nucleo_i2c_hold_scl_after(struct nucleo *b, int bus, unsigned bytes, uint64_t hold_ps)
{
    if (bus < 1 || bus > 3)
        return;
    b->hold_bus = bus;
    b->hold_after = bytes;
    b->hold_ps = hold_ps;
}

static bool eeprom_wc_high(void *ctx)
{
    struct nucleo *b = ctx;
    return gpio_level(&b->chip.gpio[PORT_B], EEPROM_WC_PIN);
}

int nucleo_eeprom_attach(struct nucleo *b)
{
    if (b->eeprom)
        return 0;
    b->eeprom = malloc(sizeof *b->eeprom);
    if (!b->eeprom)
        return -ENOMEM;
    m24256_init(b->eeprom, b->sim, EEPROM_ADDRESS, eeprom_wc_high, b);
    if (i2c_attach(&b->chip.i2c[0], &b->eeprom->bus) != 0) {
        free(b->eeprom);
        b->eeprom = NULL;
        return -ENOMEM;
    }
    /* WC low (writable) unless PB5 drives it high. */
    gpio_set_external(&b->chip.gpio[PORT_B], EEPROM_WC_PIN, GPIO_EXT_PULLDOWN);
    return 0;
}

int nucleo_eeprom_read(const struct nucleo *b, uint32_t address, void *buf, size_t len)
{
    if (!b->eeprom)
        return -ENODEV;
    if (address > M24256_SIZE || len > M24256_SIZE - address)
        return -EINVAL;
    memcpy(buf, &b->eeprom->mem[address], len);
    return 0;
}

int nucleo_spi_attach(struct nucleo *b, int bus, struct spi_device *d, char cs_port, int cs_pin)
{
    if (cs_port >= 'a' && cs_port <= 'h')
        cs_port = (char)(cs_port - 'a' + 'A');
    if (bus < 1 || bus > 2 || cs_port < 'A' || cs_port > 'H' || cs_pin < 0 || cs_pin > 15)
        return -EINVAL;
    return spi_bus_attach(&b->spi[bus - 1], d, (struct spi_pin){(int8_t)(cs_port - 'A'), (int8_t)cs_pin});
}

int nucleo_spi_test_devices_attach(struct nucleo *b)
{
    if (b->spi_regfile)
        return 0;
    b->spi_regfile = malloc(sizeof *b->spi_regfile);
    b->spi_loopback = malloc(sizeof *b->spi_loopback);
    if (!b->spi_regfile || !b->spi_loopback) {
        free(b->spi_regfile);
        free(b->spi_loopback);
        b->spi_regfile = NULL;
        b->spi_loopback = NULL;
        return -ENOMEM;
    }
    spi_regfile_init(b->spi_regfile, 0);
    spi_loopback_init(b->spi_loopback);
    /* Chip selects idle high through the devices' pull-ups until the firmware drives them. */
    gpio_set_external(&b->chip.gpio[PORT_B], 12, GPIO_EXT_PULLUP);
    gpio_set_external(&b->chip.gpio[PORT_B], 6, GPIO_EXT_PULLUP);
    int rc = nucleo_spi_attach(b, 2, &b->spi_regfile->bus, 'B', 12);
    return rc ? rc : nucleo_spi_attach(b, 1, &b->spi_loopback->bus, 'B', 6);
}

int nucleo_spi_regfile_read(const struct nucleo *b, unsigned address, void *buf, size_t len)
{
    if (!b->spi_regfile)
        return -ENODEV;
    if (address > SPI_REGFILE_SIZE || len > SPI_REGFILE_SIZE - address)
        return -EINVAL;
    memcpy(buf, &b->spi_regfile->regs[address], len);
    return 0;
}

static int bme280_new(struct nucleo *b, uint8_t address)
{
    if (b->bme280)
        return -EEXIST;
    b->bme280 = malloc(sizeof *b->bme280);
    if (!b->bme280)
        return -ENOMEM;
    bme280_init(b->bme280, b->sim, &b->env, address);
    return 0;
}

static void bme280_drop(struct nucleo *b)
{
    bme280_free(b->bme280);
    free(b->bme280);
    b->bme280 = NULL;
}

/* The breakout's SDO strap picks 0x76 or 0x77 (datasheet 6.2); it shares the OLED's pull-ups. */
int nucleo_bme280_attach_i2c(struct nucleo *b, uint8_t address)
{
    if (address != 0x76u && address != 0x77u)
        return -EINVAL;
    int rc = bme280_new(b, address);
    if (rc)
        return rc;
    if (i2c_attach(&b->chip.i2c[0], &b->bme280->i2c) != 0) {
        bme280_drop(b);
        return -ENOMEM;
    }
    return 0;
}

int nucleo_bme280_attach_spi(struct nucleo *b, int bus, char cs_port, int cs_pin)
{
    if (cs_port >= 'a' && cs_port <= 'h')
        cs_port = (char)(cs_port - 'a' + 'A');
    if (bus < 1 || bus > 2 || cs_port < 'A' || cs_port > 'H' || cs_pin < 0 || cs_pin > 15)
        return -EINVAL;
    int rc = bme280_new(b, BME280_I2C_ADDRESS);
    if (rc)
        return rc;
    b->bme280->spi_cr1 = &b->chip.spi[bus - 1].CR1;
    /* CSB has an internal pull-up (datasheet table 32): high until the firmware drives it. */
    gpio_set_external(&b->chip.gpio[cs_port - 'A'], cs_pin, GPIO_EXT_PULLUP);
    rc = nucleo_spi_attach(b, bus, &b->bme280->spi, cs_port, cs_pin);
    if (rc) {
        bme280_drop(b);
        return rc;
    }
    b->bme280_spi_bus = bus;
    b->bme280_cs_port = cs_port;
    b->bme280_cs_pin = cs_pin;
    return 0;
}

void nucleo_bme280_plug(struct nucleo *b, bool attached)
{
    if (b->bme280)
        bme280_set_attached(b->bme280, attached);
}

const struct bme280 *nucleo_bme280(const struct nucleo *b) { return b->bme280; }

int nucleo_bme280_noise(struct nucleo *b, uint64_t seed)
{
    if (!b->bme280)
        return -ENODEV;
    bme280_set_noise(b->bme280, seed);
    return 0;
}
struct sim_env *nucleo_env(struct nucleo *b) { return &b->env; }

void nucleo_console_rx(struct nucleo *b, const uint8_t *bytes, size_t len)
{
    usart_inject_rx(&b->chip.usart[USART2_INDEX], bytes, len);
}

const char *nucleo_console(const struct nucleo *b, size_t *len)
{
    if (len)
        *len = b->console_len;
    return b->console ? b->console : "";
}

const uint8_t *nucleo_oled_gddram(const struct nucleo *b) { return &b->oled.ram[0][0]; }
bool nucleo_oled_display_on(const struct nucleo *b) { return b->oled.display_on; }
bool nucleo_oled_pixel(const struct nucleo *b, int x, int y) { return ssd1306_pixel(&b->oled, x, y); }
unsigned nucleo_oled_update_count(const struct nucleo *b) { return (unsigned)b->oled.nupdates; }

uint64_t nucleo_oled_update_ps(const struct nucleo *b, unsigned i)
{
    return i < b->oled.nupdates ? b->oled.updates[i] : 0;
}

int nucleo_gpio_get(const struct nucleo *b, char port, int pin)
{
    if (port >= 'a' && port <= 'h')
        port = (char)(port - 'a' + 'A');
    if (port < 'A' || port > 'H' || pin < 0 || pin > 15)
        return -1;
    return gpio_level(&b->chip.gpio[port - 'A'], pin) ? 1 : 0;
}

bool nucleo_led(const struct nucleo *b) { return gpio_level(&b->chip.gpio[PORT_A], 5); }
uint32_t nucleo_hclk_hz(const struct nucleo *b) { return rcc_hclk_hz(&b->chip.rcc); }
