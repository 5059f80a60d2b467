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
#include "stm32f446/spi.h"

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

/* The same two SPIs with their DMA streams (RM0390 table 28): SPI2_RX DMA1
 * stream 3, SPI2_TX DMA1 stream 4, channel 0; SPI1_RX DMA2 stream 0,
 * SPI1_TX DMA2 stream 3, channel 3. */
static const struct stm32_dma_channel spi2_rx_dma = { 1, 3, 0 }, spi2_tx_dma = { 1, 4, 0 };
static const struct stm32_dma_channel spi1_rx_dma = { 2, 0, 3 }, spi1_tx_dma = { 2, 3, 3 };
static const struct stm32_spi_config spi2_dma_cfg = {
    .index = 2,
    .sck = { { 'B', 13 }, 5 },
    .miso = { { 'B', 14 }, 5 },
    .mosi = { { 'B', 15 }, 5 },
    .rx_dma = &spi2_rx_dma,
    .tx_dma = &spi2_tx_dma,
};
static const struct stm32_spi_config spi1_dma_cfg = {
    .index = 1,
    .sck = { { 'A', 5 }, 5 },
    .miso = { { 'A', 6 }, 5 },
    .mosi = { { 'A', 7 }, 5 },
    .rx_dma = &spi1_rx_dma,
    .tx_dma = &spi1_tx_dma,
};
/* SPI2's RX stream with SPI1's TX stream: table 28 routes neither request there. */
static const struct stm32_spi_config spi1_wrong_dma_cfg = {
    .index = 1,
    .sck = { { 'A', 5 }, 5 },
    .miso = { { 'A', 6 }, 5 },
    .mosi = { { 'A', 7 }, 5 },
    .rx_dma = &spi2_tx_dma,
    .tx_dma = &spi1_tx_dma,
};
static struct stm32_spi_bus spi1_dma, spi2_dma, spi1_wrong;

static const struct spi_device regfile = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 0 };
static const struct spi_device loopback = { &spi1.bus, { 'B', 6 }, 24000000, SPI_MODE_3, 0 };
/* The register file works in mode 0, MSB first; these two disagree with it on purpose. */
static const struct spi_device regfile_mode1 = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_1, 0 };
static const struct spi_device regfile_lsb = { &spi2.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 1 };
static const struct spi_device regfile_dma = { &spi2_dma.bus, { 'B', 12 }, 1000000, SPI_MODE_0, 0 };
static const struct spi_device loopback_dma = { &spi1_dma.bus, { 'B', 6 }, 24000000, SPI_MODE_3, 0 };
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

#define DMA_LEN 80U /* regfile registers 0x30..0x7f */
#define BIG 4096U
static uint8_t big_out[BIG], big_in[BIG];

static uint8_t pattern(unsigned i)
{
    return (uint8_t)(i * 7U + 3U);
}

/* The register file by DMA against the polled path: a two-segment write
 * (command polled, payload by DMA) under one chip select, then the same
 * registers read back both ways. */
static void dma_regfile(void)
{
    line("dma init", stm32_spi_init(&spi2_dma, &spi2_dma_cfg) | spi_device_init(&regfile_dma));
    end();
    line("dma claim", stm32_spi_init(&spi1_wrong, &spi1_wrong_dma_cfg));
    end();
    static const uint8_t cmd = 0x30;
    uint8_t payload[DMA_LEN], by_dma[DMA_LEN], polled[DMA_LEN];
    for (unsigned i = 0; i < DMA_LEN; i++)
        payload[i] = pattern(i);
    const struct spi_op seg[2] = { { &cmd, NULL, 1, SPI_WRITE }, { payload, NULL, DMA_LEN, SPI_WRITE } };
    int rc = spi_transaction(&regfile_dma, seg, 2);
    memset(by_dma, 0xFF, sizeof by_dma);
    memset(polled, 0xFF, sizeof polled);
    uint8_t rd = 0xB0;
    int rc2 = spi_write_then_read(&regfile_dma, &rd, 1, by_dma, DMA_LEN);
    int rc3 = spi_write_then_read(&regfile, &rd, 1, polled, DMA_LEN);
    line("dma regfile", rc | rc2 | rc3);
    serial_puts(memcmp(payload, by_dma, DMA_LEN) == 0 ? " same" : " differ");
    serial_puts(memcmp(polled, by_dma, DMA_LEN) == 0 ? " same" : " differ");
    end();

    /* The SPI2 clock gated: no DMA request ever comes, the segment ends at its bound. */
    RCC->APB1ENR &= ~RCC_APB1ENR_SPI2EN;
    uint64_t t0 = clock_uptime_ms();
    rc = spi_write(&regfile_dma, payload, DMA_LEN);
    uint64_t took = clock_uptime_ms() - t0;
    line("dma timeout", rc);
    serial_puts(took <= 40U ? " bounded" : " slow");
    serial_puts(gpio_read(regfile_dma.cs) ? " cs=1" : " cs=0");
    end();
    RCC->APB1ENR |= RCC_APB1ENR_SPI2EN;
    memset(by_dma, 0xFF, sizeof by_dma);
    line("dma recovered", spi_write_then_read(&regfile_dma, &rd, 1, by_dma, DMA_LEN));
    serial_puts(memcmp(payload, by_dma, DMA_LEN) == 0 ? " same" : " differ");
    end();
}

/* 4 KB full duplex through the loopback by DMA and polled, and a READ
 * segment by DMA (the fill byte comes back). */
static void dma_loopback(void)
{
    line("dma loopback init", stm32_spi_init(&spi1_dma, &spi1_dma_cfg) | spi_device_init(&loopback_dma));
    end();
    for (unsigned i = 0; i < BIG; i++)
        big_out[i] = (uint8_t)(i * 37U + (i >> 8) + 1U);
    memset(big_in, 0, sizeof big_in);
    const struct spi_op t = { big_out, big_in, BIG, SPI_TRANSFER };
    uint32_t t0 = DWT->CYCCNT;
    int rc = spi_transaction(&loopback_dma, &t, 1);
    uint32_t cycles = DWT->CYCCNT - t0;
    uint32_t br = (SPI1->CR1 & SPI_CR1_BR_Msk) >> SPI_CR1_BR_Pos;
    line("dma loopback", rc);
    serial_puts(memcmp(big_out, big_in, BIG) == 0 ? " same" : " differ");
    end();
    serial_puts("spi dma4k cycles ");
    put_int((int)cycles);
    serial_puts(" sck ");
    put_int((int)(stm32_clocks()->pclk2 >> (br + 1U)));
    serial_puts(" hclk ");
    put_int((int)stm32_clocks()->hclk);
    end();

    memset(big_in, 0, sizeof big_in);
    line("polled loopback", spi_transaction(&loopback, &t, 1));
    serial_puts(memcmp(big_out, big_in, BIG) == 0 ? " same" : " differ");
    end();

    uint8_t r[64];
    memset(r, 0xFF, sizeof r);
    const struct spi_op rd = { NULL, r, sizeof r, SPI_READ };
    rc = spi_transaction(&loopback_dma, &rd, 1);
    bool zeros = true;
    for (unsigned i = 0; i < sizeof r; i++)
        zeros &= r[i] == 0;
    line("dma read", rc);
    serial_puts(zeros ? " fill" : " not-fill");
    end();
}

int main(void)
{
    serial_puts("spi probe\r\n");
    basic();
    settings();
    loopback_fast();
    errors();
    dma_regfile();
    dma_loopback();
    serial_puts("done");
    end();
    for (;;)
        __WFI();
}
