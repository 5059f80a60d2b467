/*
 * SPI probe image for quartz-sim with the SPI test devices
 * (qsim_options.spi_test_devices): the register file on SPI2 (PB13 SCK,
 * PB14 MISO, PB15 MOSI, AF5; CS PB12) and the loopback on SPI1 (PA5/PA6/PA7,
 * AF5; CS PB6). Runs transactions through the portable interface
 * (quartz/hal/spi.h) and prints one line per case; the host test
 * (test_spi_probe.c) compares them and reads the register file back.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/spi.h"
#include "stm32_hal.h"
#include "stm32f446/rcc.h"

static const struct stm32_spi_config spi2_cfg = {
    .index = 2,
    .sck = { { 'B', 13 }, 5 },
    .miso = { { 'B', 14 }, 5 },
    .mosi = { { 'B', 15 }, 5 },
};
static const struct stm32_spi_config spi1_cfg = {
    .index = 1,
    .sck = { { 'A', 5 }, 5 },
    .miso = { { 'A', 6 }, 5 },
    .mosi = { { 'A', 7 }, 5 },
};
static struct stm32_spi_bus spi1, spi2;

static const struct spi_device regfile = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 0 };
static const struct spi_device loopback = { &spi1.bus, { 'B', 6 }, 24000000, SPI_MODE_3, 0 };
/* The register file works in mode 0, MSB first; these two disagree with it on purpose. */
static const struct spi_device regfile_mode1 = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_1, 0 };
static const struct spi_device regfile_lsb = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 1 };
static const struct spi_device too_slow = { &spi2.bus, { 'B', 12 }, 100, SPI_MODE_0, 0 };

static void put_int(int v)
{
    char s[12];
    if (v < 0) {
        serial_puts("-");
        v = -v;
    }
    fmt_u64(s, sizeof s, (uint64_t)v);
    serial_puts(s);
}

static void put_hex(const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char s[3] = { 0 };
    for (size_t i = 0; i < n; i++) {
        s[0] = digits[b[i] >> 4];
        s[1] = digits[b[i] & 15U];
        serial_puts(s);
    }
}

static void line(const char *name, int rc)
{
    serial_puts("spi ");
    serial_puts(name);
    serial_puts(" ");
    put_int(rc);
}

/* Ends a line and waits until it is out: the console queue drops what does not fit. */
static void end(void)
{
    serial_puts("\r\n");
    (void)serial_drain();
}

static int read_regs(uint8_t addr, uint8_t *buf, uint16_t len)
{
    uint8_t cmd = (uint8_t)(0x80U | addr);
    return spi_write_then_read(&regfile, &cmd, 1, buf, len);
}

static void basic(void)
{
    line("init", stm32_spi_init(&spi2, &spi2_cfg) | spi_device_init(&regfile));
    end();
    static const uint8_t w[] = { 0x10, 0xDE, 0xAD, 0xBE, 0xEF };
    line("write", spi_write(&regfile, w, sizeof w));
    end();
    uint8_t r[4] = { 0 };
    line("read", read_regs(0x10, r, sizeof r));
    serial_puts(" ");
    put_hex(r, sizeof r);
    end();
    /* One transaction of two write segments: command from one buffer, payload from another. */
    static const uint8_t cmd = 0x20;
    uint8_t payload[16], back[16] = { 0 };
    for (unsigned i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(0xA0U + i);
    const struct spi_op seg[2] = { { &cmd, NULL, 1, SPI_WRITE }, { payload, NULL, sizeof payload, SPI_WRITE } };
    int rc = spi_transaction(&regfile, seg, 2);
    int rc2 = read_regs(0x20, back, sizeof back);
    line("segments", rc | rc2);
    serial_puts(memcmp(payload, back, sizeof back) == 0 ? " same" : " differ");
    end();
    /* Full duplex in place: the command goes out while 00 comes back, then the registers. */
    uint8_t x[5] = { 0x90, 0, 0, 0, 0 };
    const struct spi_op t = { x, x, sizeof x, SPI_TRANSFER };
    line("transfer", spi_transaction(&regfile, &t, 1));
    serial_puts(" ");
    put_hex(x, sizeof x);
    end();
}

/* What the driver's CPHA and LSBFIRST settings do on the wire (the device stays in mode 0, MSB first). */
static void settings(void)
{
    uint8_t r[4] = { 0 };
    /* The mode-1 master sets its bits up on the rising edges the mode-0 device
     * samples on, so the command arrives intact; the answer does not. */
    uint8_t cmd = 0x90;
    line("mode1", spi_write_then_read(&regfile_mode1, &cmd, 1, r, sizeof r));
    serial_puts(" ");
    put_hex(r, sizeof r);
    end();
    cmd = 0x09; /* LSB first: 0x90 on the wire */
    memset(r, 0, sizeof r);
    line("lsbfirst", spi_write_then_read(&regfile_lsb, &cmd, 1, r, sizeof r));
    serial_puts(" ");
    put_hex(r, sizeof r);
    end();
}

static void loopback_fast(void)
{
    uint8_t out[64], in[64];
    for (unsigned i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i * 37U + 1U);
    memset(in, 0, sizeof in);
    const struct spi_op t = { out, in, sizeof out, SPI_TRANSFER };
    int rc = stm32_spi_init(&spi1, &spi1_cfg) | spi_device_init(&loopback);
    uint32_t t0 = DWT->CYCCNT;
    if (rc == 0)
        rc = spi_transaction(&loopback, &t, 1);
    uint32_t cycles = DWT->CYCCNT - t0;
    line("loopback", rc);
    serial_puts(memcmp(out, in, sizeof in) == 0 ? " same" : " differ");
    end();
    /* The whole transaction in CPU cycles, for the figure in the host test's output. */
    serial_puts("spi loopback64 cycles ");
    put_int((int)cycles);
    end();
}

static void errors(void)
{
    uint8_t b[2] = { 0x10, 0 };
    const struct spi_op empty = { b, NULL, 0, SPI_WRITE };
    const struct spi_op no_rx = { b, NULL, 2, SPI_READ };
    line("einval", spi_transaction(&regfile, &empty, 1));
    serial_puts(" ");
    put_int(spi_transaction(&regfile, &no_rx, 1));
    serial_puts(" ");
    put_int(spi_transaction(&regfile, &no_rx, 0));
    serial_puts(" ");
    put_int(spi_device_init(&too_slow));
    serial_puts(" ");
    put_int(spi_write(&too_slow, b, 2));
    end();

    /* The SPI2 clock gated behind the driver's back: TXE never reads 1. */
    RCC->APB1ENR &= ~RCC_APB1ENR_SPI2EN;
    uint64_t t0 = clock_uptime_ms();
    int rc = spi_write(&regfile, b, 2);
    uint64_t took = clock_uptime_ms() - t0;
    line("timeout", rc);
    serial_puts(took <= 40U ? " bounded" : " slow"); /* the 20 ms margin, ticks of 10 ms */
    serial_puts(gpio_read(regfile.cs) ? " cs=1" : " cs=0");
    end();
    RCC->APB1ENR |= RCC_APB1ENR_SPI2EN;
    uint8_t r[4] = { 0 };
    line("recovered", read_regs(0x10, r, sizeof r));
    serial_puts(" ");
    put_hex(r, sizeof r);
    end();

    spi2.busy = true; /* as if an interrupted transaction held the bus */
    line("busy", spi_write(&regfile, b, 2));
    end();
    spi2.busy = false;
}

int main(void)
{
    serial_puts("spi probe\r\n");
    basic();
    settings();
    loopback_fast();
    errors();
    serial_puts("done");
    end();
    for (;;)
        __WFI();
}
