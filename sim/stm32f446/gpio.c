/*
 * GPIOA..H (RM0390 section 7). The pin level (IDR) is computed from the
 * pin's mode, ODR, the output type, the internal pull and what the board
 * connects outside (enum gpio_ext). A change of level is traced, routed to
 * EXTI and told to the board.
 */
#include <stdio.h>

#include "f446.h"
#include "regio.h"

#define GPIO_BASE_ADDR 0x40020000u
#define GPIO_STRIDE 0x400u
#define LCKR_LCKK BIT(16)

static char pin_names[8][16][5];

static uint32_t two_bit_mask(uint32_t pins)
{
    uint32_t m = 0;
    for (int i = 0; i < 16; i++)
        if (pins & BIT(i))
            m |= 3u << (2 * i);
    return m;
}

static uint32_t nibble_mask(uint32_t pins)
{
    uint32_t m = 0;
    for (int i = 0; i < 8; i++)
        if (pins & BIT(i))
            m |= 0xFu << (4 * i);
    return m;
}

unsigned gpio_mode(const struct gpio *g, int pin) { return FIELD(g->MODER, 2 * pin, 2); }
unsigned gpio_af(const struct gpio *g, int pin) { return FIELD(g->AFR[pin / 8], 4 * (pin % 8), 4); }
bool gpio_open_drain(const struct gpio *g, int pin) { return (g->OTYPER & BIT(pin)) != 0; }
bool gpio_level(const struct gpio *g, int pin) { return (g->level & BIT(pin)) != 0; }

static bool compute_level(struct gpio *g, int pin)
{
    unsigned mode = gpio_mode(g, pin);
    enum gpio_ext ext = (enum gpio_ext)g->ext[pin];
    bool drive_low = false, drive_high = false;
    int spi;

    /* RM0390 7.3.12: in analog mode the input buffer is off, IDR reads 0. */
    if (mode == GPIO_MODER_ANALOG)
        return false;
    if (mode == GPIO_MODER_OUTPUT) {
        if (!(g->ODR & BIT(pin)))
            drive_low = true;
        else if (!gpio_open_drain(g, pin))
            drive_high = true;
    } else if (mode == GPIO_MODER_AF && (spi = spi_pin_drive(g->chip, g->port, pin)) != -1) {
        /* An SPI pin: SCK at CPOL, NSS low as an output, MISO an input (RM0390 26.3.1). */
        drive_low = spi == 0;
        drive_high = spi == 1;
    } else if (mode == GPIO_MODER_AF && !gpio_open_drain(g, pin) && !tim_pin_is_input(g->chip, g->port, pin)) {
        /* Push-pull alternate outputs (USART TX, ...) idle high; open-drain
         * ones (I2C) are released between byte-level events; a timer
         * input-capture pin is not driven. */
        drive_high = true;
    }
    if (ext == GPIO_EXT_LOW && drive_high)
        sim_warn(g->chip->sim, "GPIO: P%c%d driven high by the chip and low from outside (short circuit)",
                 'A' + g->port, pin);
    if (drive_low || ext == GPIO_EXT_LOW)
        return false;
    if (drive_high || ext == GPIO_EXT_HIGH || ext == GPIO_EXT_PULLUP)
        return true;
    if (ext == GPIO_EXT_PULLDOWN)
        return false;
    /* Internal pull (PUPDR 01 up, 10 down); a floating input reads 0 here
     * (silicon reads an undefined level). */
    return FIELD(g->PUPDR, 2 * pin, 2) == 1u;
}

static void refresh(struct gpio *g)
{
    uint32_t level = 0;
    for (int pin = 0; pin < 16; pin++)
        if (compute_level(g, pin))
            level |= BIT(pin);
    uint32_t changed = level ^ g->level;
    g->level = level;
    for (int pin = 0; changed && pin < 16; pin++) {
        if (!(changed & BIT(pin)))
            continue;
        bool high = (level & BIT(pin)) != 0;
        if (g->trace_mask & BIT(pin))
            sim_trace(g->chip->sim, pin_names[g->port][pin], 1, high);
        exti_gpio_edge(g->chip, g->port, pin, high);
        tim_gpio_edge(g->chip, g->port, pin, high);
        spi_gpio_edge(g->chip, g->port, pin, high);
        if (g->chip->hooks.gpio_changed)
            g->chip->hooks.gpio_changed(g->chip->hooks.ctx, g->port, pin, high);
    }
}

void gpio_refresh(struct gpio *g) { refresh(g); }

void gpio_set_external(struct gpio *g, int pin, enum gpio_ext drive)
{
    g->ext[pin] = (uint8_t)drive;
    refresh(g);
}

/* RM0390 7.4.8: LCKK write sequence 1, 0, 1 with the same LCKR[15:0]. */
static void write_lckr(struct gpio *g, uint32_t v)
{
    if (g->locked)
        return;
    uint32_t pins = v & 0xFFFFu;
    bool key = (v & LCKR_LCKK) != 0;
    if (g->lock_step > 0 && pins != g->lock_value)
        g->lock_step = 0;
    switch (g->lock_step) {
    case 0: g->lock_step = key ? 1 : 0; break;
    case 1: g->lock_step = key ? 1 : 2; break;
    default:
        if (key) {
            g->locked = true;
            g->LCKR = pins | LCKR_LCKK;
        }
        g->lock_step = 0;
        break;
    }
    g->lock_value = pins;
    if (!g->locked)
        g->LCKR = pins;
}

static uint32_t gpio_read(void *dev, uint32_t offset, unsigned size)
{
    struct gpio *g = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = g->MODER; break;
    case 0x04: v = g->OTYPER; break;
    case 0x08: v = g->OSPEEDR; break;
    case 0x0C: v = g->PUPDR; break;
    case 0x10: v = g->level; break;
    case 0x14: v = g->ODR; break;
    case 0x18: v = 0; break; /* BSRR is write-only */
    case 0x1C: v = g->LCKR; break;
    case 0x20: v = g->AFR[0]; break;
    case 0x24: v = g->AFR[1]; break;
    default:
        sim_unmodeled(g->chip->sim, GPIO_BASE_ADDR + GPIO_STRIDE * (uint32_t)g->port + (offset & ~3u), false);
        return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void gpio_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct gpio *g = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    uint32_t locked = g->locked ? g->LCKR & 0xFFFFu : 0;
    switch (offset) {
    case 0x00: g->MODER = regio_merge(g->MODER, value, lane & ~two_bit_mask(locked)); break;
    case 0x04: g->OTYPER = regio_merge(g->OTYPER, value, lane & 0xFFFFu & ~locked); break;
    case 0x08: g->OSPEEDR = regio_merge(g->OSPEEDR, value, lane & ~two_bit_mask(locked)); break;
    case 0x0C: g->PUPDR = regio_merge(g->PUPDR, value, lane & ~two_bit_mask(locked)); break;
    case 0x10: return; /* IDR is read-only */
    case 0x14: g->ODR = regio_merge(g->ODR, value, lane & 0xFFFFu); break;
    case 0x18: {
        /* RM0390 7.4.7: BSy sets, BRy resets; BSy wins when both are set. */
        uint32_t set = value & 0xFFFFu, reset = (value >> 16) & 0xFFFFu;
        g->ODR = (g->ODR & ~reset) | set;
        break;
    }
    case 0x1C: write_lckr(g, regio_merge(g->LCKR & 0xFFFFu, value, lane)); return;
    case 0x20: g->AFR[0] = regio_merge(g->AFR[0], value, lane & ~nibble_mask(locked & 0xFFu)); break;
    case 0x24: g->AFR[1] = regio_merge(g->AFR[1], value, lane & ~nibble_mask(locked >> 8)); break;
    default:
        sim_unmodeled(g->chip->sim, GPIO_BASE_ADDR + GPIO_STRIDE * (uint32_t)g->port + offset, true);
        return;
    }
    refresh(g);
}

const struct sim_mmio_ops gpio_ops = {gpio_read, gpio_write, NULL};

void gpio_reset(struct gpio *g)
{
    for (int pin = 0; pin < 16; pin++)
        snprintf(pin_names[g->port][pin], sizeof pin_names[0][0], "P%c%d", 'A' + g->port, pin);
    /* Reset values (RM0390 7.4.1-7.4.4): PA13/PA14/PA15 and PB3/PB4 are the
     * SWD/JTAG pins in alternate function with their pulls; PA13 (SWDIO)
     * and PB3 (SWO) at very high speed. ST's SVD has GPIOA_OSPEEDR 0
     * (chip/stm32f446/svd-deviations.md). */
    g->MODER = g->port == 0 ? 0xA8000000u : g->port == 1 ? 0x00000280u : 0;
    g->OSPEEDR = g->port == 0 ? 0x0C000000u : g->port == 1 ? 0x000000C0u : 0;
    g->PUPDR = g->port == 0 ? 0x64000000u : g->port == 1 ? 0x00000100u : 0;
    g->OTYPER = 0;
    g->ODR = 0;
    g->LCKR = 0;
    g->AFR[0] = g->AFR[1] = 0;
    g->locked = false;
    g->lock_step = 0;
    refresh(g);
}
