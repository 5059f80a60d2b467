/*
 * ST Nucleo-F446RE (UM1724): pins and clock plan as const data.
 *   LD2 PA5, B1 PC13 (active low, external pull-up R30 on the board, and the
 *   internal one), USART2 PA2/PA3 AF7 to the ST-LINK virtual COM port,
 *   I2C1 PB8 SCL / PB9 SDA AF4 (Arduino D15/D14) for the SSD1306.
 */
#include <stddef.h>

#include "cortex_m/fault.h"
#include "quartz/assert.h"
#include "quartz/board.h"
#include "quartz/fmt.h"
#include "quartz/hal/serial.h"
#include "stm32_hal.h"

const char board_name[] = "Nucleo-F446RE";
const struct gpio_pin board_led = { 'A', 5 };
const struct gpio_pin board_button = { 'C', 13 };

#define CONSOLE_BAUD 115200U
#define SYSTICK_HZ 100U

/*
 * 48 MHz as in the seed: PLL input 2 MHz (8 MHz HSE / 4 or 16 MHz HSI / 8),
 * VCO 192 MHz, /4 = 48 MHz SYSCLK and /4 = 48 MHz for the 48 MHz domain.
 * APB1 /2 = 24 MHz (so TIM2 runs at 48 MHz), APB2 /1. 1 flash wait state.
 */
static const struct stm32_clock_plan clock_plan = {
    .hse_hz = 8000000, /* ST-LINK MCO into OSC_IN (UM1724 6.7.1, SB50 default on) */
    .pllm_hse = 4,
    .pllm_hsi = 8,
    .plln = 96,
    .pllp = 4,
    .pllq = 4,
    .apb1_div = 2,
    .apb2_div = 1,
    .flash_ws = 1,
};

static const struct gpio_config uart_pin = { GPIO_ALTERNATE, GPIO_PULL_UP, GPIO_SPEED_FAST, 0, 7 };
static const struct gpio_config led_pin = { GPIO_OUTPUT, GPIO_PULL_NONE, GPIO_SPEED_LOW, 0, 0 };
static const struct gpio_config button_pin = { GPIO_INPUT, GPIO_PULL_UP, GPIO_SPEED_LOW, 0, 0 };

/* I2C1_TX: DMA1 stream 7 channel 1 (RM0390 table 28); stream 6 carries it
 * too, but USART2_TX has no other stream and the console takes it (chip/
 * stm32f446/hal/usart.c): stm32_dma_claim fails the init on a clash. */
static const struct stm32_dma_channel display_tx_dma = { 1, 7, 1 };

static const struct stm32_i2c_config display_i2c = {
    .index = 1,
    .bus_hz = 400000,
    .scl = { 'B', 8 },
    .sda = { 'B', 9 },
    .af = 4,
    .tx_dma = &display_tx_dma,
};

static struct stm32_i2c_bus i2c1;

struct i2c_bus *board_display_bus(void)
{
    return &i2c1.bus;
}

/* SPI2 RX/TX: DMA1 streams 3 and 4, channel 0 (RM0390 table 28). AF5 on
 * PB13-15 (datasheet table 11). SPI1 is no option: its SCK on PA5 is LD2. */
static const struct stm32_dma_channel net_rx_dma = { 1, 3, 0 }, net_tx_dma = { 1, 4, 0 };
static const struct stm32_spi_config net_spi_cfg = {
    .index = 2,
    .sck = { { 'B', 13 }, 5 },
    .miso = { { 'B', 14 }, 5 },
    .mosi = { { 'B', 15 }, 5 },
    .rx_dma = &net_rx_dma,
    .tx_dma = &net_tx_dma,
};
static struct stm32_spi_bus spi2;
static const struct spi_device net_spi = { &spi2.bus, { 'B', 12 }, 12000000, SPI_MODE_0, 0 };

int board_net(struct board_net *out)
{
    static int rc = 1; /* 1: not brought up yet */
    if (rc == 1)
        rc = stm32_spi_init(&spi2, &net_spi_cfg);
    *out = (struct board_net){ &net_spi, { 'C', 8 }, { 'C', 9 } };
    return rc;
}

static void put_hex(const char *label, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char s[11] = "0x";
    for (int i = 0; i < 8; i++)
        s[2 + i] = digits[(v >> (28 - 4 * i)) & 0xF];
    s[10] = '\0';
    serial_puts(label);
    serial_puts(s);
}

static void put_dec(const char *label, uint32_t v)
{
    char s[12];
    fmt_u64(s, sizeof s, v);
    serial_puts(label);
    serial_puts(s);
}

static void report_fault(void)
{
    struct fault_record f;
    if (!fault_take(&f))
        return;
    if (f.flags & FAULT_ASSERT) {
        /* File ids: build/fw/assert-files.txt (quartz/assert.h). */
        put_hex("fault: previous boot ended in assert file=", fault_assert_file(&f));
        put_dec(" line=", fault_assert_line(&f));
        serial_puts(" in ");
        serial_puts(fault_exception_name(f.exception));
        put_hex(" pc=", f.pc);
        serial_puts("\r\n");
        return;
    }
    serial_puts("fault: previous boot ended in ");
    serial_puts(fault_exception_name(f.exception));
    put_hex(" pc=", f.pc);
    put_hex(" lr=", f.lr);
    put_hex(" cfsr=", f.cfsr);
    put_hex(" hfsr=", f.hfsr);
    put_hex(" bfar=", f.bfar);
    serial_puts("\r\n");
}

static void report_clock(int rc)
{
    const struct stm32_clocks *c = stm32_clocks();
    char mhz[12];
    fmt_u64(mhz, sizeof mhz, c->sysclk / 1000000U);
    if (rc < 0)
        serial_puts("clock: PLL failed, running on HSI ");
    else if (c->source == STM32_CLOCK_PLL_HSI)
        serial_puts("clock: no HSE, PLL from HSI, ");
    else
        serial_puts("clock: PLL from HSE 8 MHz, ");
    serial_puts(mhz);
    serial_puts(" MHz\r\n");
}

/*
 * The calls below fail only when the const tables above are wrong (a pin
 * the chip does not have, a bad alternate function, baud or bus speed):
 * a bug, so each is asserted (quartz/assert.h) with its own line, and the
 * next boot names that line. A clock that does not start is not a bug
 * (no HSE, a PLL that does not lock): it is reported and the board runs on.
 */
#define BOARD_MUST(call)                                                   \
    do {                                                                   \
        int board_rc_ = (call);                                            \
        QUARTZ_ASSERT(board_rc_ == 0);                                     \
    } while (0)

void board_init(void)
{
    int clock_rc = stm32_clock_setup(&clock_plan);
    BOARD_MUST(stm32_systick_init(SYSTICK_HZ)); /* 100 Hz divides every clock the plan can give */

    BOARD_MUST(gpio_configure((struct gpio_pin){ 'A', 2 }, &uart_pin)); /* USART2_TX */
    BOARD_MUST(gpio_configure((struct gpio_pin){ 'A', 3 }, &uart_pin)); /* USART2_RX */
    BOARD_MUST(serial_init(CONSOLE_BAUD));
    report_fault(); /* as soon as the console is up */

    gpio_write(board_led, false);
    BOARD_MUST(gpio_configure(board_led, &led_pin));
    BOARD_MUST(gpio_configure(board_button, &button_pin));
    BOARD_MUST(stm32_i2c_init(&i2c1, &display_i2c));

    if (clock_rc < 0 || stm32_clocks()->source != STM32_CLOCK_PLL_HSE)
        report_clock(clock_rc);
}
