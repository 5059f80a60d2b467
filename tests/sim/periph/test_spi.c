/* SPI1/SPI2 master model (RM0390 section 26) with devices on the board's buses (sim/board/spi_bus.h). */
#include <stdio.h>

#include "board/spi_bus.h"
#include "periph_test.h"

#define SPI1 0x40013000u
#define SPI2 0x40003800u
#define CR1 0x00
#define CR2 0x04
#define SR 0x08
#define DR 0x0C
#define CRCPR 0x10
#define RXCRCR 0x14
#define TXCRCR 0x18
#define CPHA 1u
#define CPOL (1u << 1)
#define MSTR (1u << 2)
#define BR(x) ((uint32_t)(x) << 3)
#define SPE (1u << 6)
#define LSBFIRST (1u << 7)
#define SSI (1u << 8)
#define SSM (1u << 9)
#define DFF (1u << 11)
#define CRCNEXT (1u << 12)
#define CRCEN (1u << 13)
#define TXDMAEN (1u << 1)
#define ERRIE (1u << 5)
#define RXNEIE (1u << 6)
#define TXEIE (1u << 7)
#define RXNE 1u
#define TXE (1u << 1)
#define CRCERR (1u << 4)
#define MODF (1u << 5)
#define OVR (1u << 6)
#define BSY (1u << 7)
#define SPI1_IRQ 35
#define SPI2_IRQ 36

/* A device that records what it sampled and answers a fixed frame. */
struct recorder {
    struct spi_device bus;
    uint16_t got[8];
    int n;
    uint16_t reply;
};

static uint16_t recorder_exchange(void *dev, uint16_t mosi, unsigned bits)
{
    struct recorder *r = dev;
    (void)bits;
    if (r->n < 8)
        r->got[r->n++] = mosi;
    return r->reply;
}

static const struct spi_device_ops recorder_ops = {NULL, NULL, recorder_exchange};

static void pin_mode(sim_t *s, uint32_t gpio, int pin, unsigned mode, unsigned af)
{
    fake_write(s, gpio + 0x00, (fake_read(s, gpio + 0x00) & ~(3u << (2 * pin))) | (mode << (2 * pin)));
    uint32_t afr = gpio + 0x20 + 4u * (uint32_t)(pin / 8);
    unsigned shift = 4u * (unsigned)(pin % 8);
    fake_write(s, afr, (fake_read(s, afr) & ~(0xFu << shift)) | (af << shift));
}

static void cs(sim_t *s, uint32_t gpio, int pin, bool high)
{
    fake_write(s, gpio + 0x18, high ? 1u << pin : 1u << (pin + 16));
}

/* SPI1 on PA5/PA6/PA7 (AF5), CS on PB6 as a GPIO output, high. */
static void spi1_pins(sim_t *s)
{
    set_bits(s, RCC_AHB1ENR, 3u);
    set_bits(s, RCC_APB2ENR, 1u << 12);
    for (int pin = 5; pin <= 7; pin++)
        pin_mode(s, GPIOA, pin, 2, 5);
    cs(s, GPIOB, 6, true);
    pin_mode(s, GPIOB, 6, 1, 0);
}

static struct recorder *recorder_on_spi1(struct fixture *f, uint8_t mode, uint16_t reply)
{
    static struct recorder r;
    memset(&r, 0, sizeof r);
    r.bus.ops = &recorder_ops;
    r.bus.dev = &r;
    r.bus.mode = mode;
    r.reply = reply;
    spi1_pins(f->sim);
    assert_int_equal(nucleo_spi_attach(f->board, 1, &r.bus, 'B', 6), 0);
    return &r;
}

/* One frame on SPI1 with the CS held low; returns what DR received. */
static uint16_t transfer1(sim_t *s, uint16_t out)
{
    cs(s, GPIOB, 6, false);
    fake_write(s, SPI1 + DR, out);
    fake_run_for(s, US(300));
    cs(s, GPIOB, 6, true);
    assert_true(fake_read(s, SPI1 + SR) & RXNE);
    return (uint16_t)fake_read(s, SPI1 + DR);
}

/* Each of the four modes, master and device alike: the bits pass both ways. */
static void four_modes(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 0, 0x3C);
    for (unsigned mode = 0; mode < 4; mode++) {
        r->bus.mode = (uint8_t)mode;
        r->n = 0;
        fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | mode);
        fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE | mode);
        assert_int_equal(transfer1(s, 0xA5), 0x3C);
        assert_int_equal(r->n, 1);
        assert_int_equal(r->got[0], 0xA5);
        fake_write(s, SPI1 + CR1, 0);
    }
}

/* RM0390 26.3.1, clock phase and polarity: a device in mode 1 behind a mode-0 master samples
 * on the falling edges, where the master moves to its next bit: it sees the
 * byte shifted left by one, the last bit twice. Mode 2 against mode 3 alike;
 * CPOL alone (mode 0 master, mode 3 device: both sample rising) still works. */
static void mode_mismatch_as_seen_by_device(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 1, 0x00);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE);
    transfer1(s, 0xA5);
    assert_int_equal(r->got[0], 0x4B);
    r->bus.mode = 3;
    transfer1(s, 0xA5);
    assert_int_equal(r->got[1], 0xA5);
    fake_write(s, SPI1 + CR1, 0);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE | CPOL);
    r->bus.mode = 3;
    transfer1(s, 0xA5);
    assert_int_equal(r->got[2], 0x4B);
    assert_int_equal(spi_wire_sample(0xA5, 8, 0, 1, 0), 0x4B);
}

/* DFF=1: 16-bit frames, the most significant bit first. */
static void sixteen_bit_frames(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 0, 0xBEEF);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | DFF | SPE);
    assert_int_equal(transfer1(s, 0x1234), 0xBEEF);
    assert_int_equal(r->got[0], 0x1234);
    assert_int_equal(nucleo_chip(f->board)->spi[0].bytes, 2);
}

/* LSBFIRST: bit 0 goes out first, and the first bit in lands in bit 0. */
static void lsb_first(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 0, 0x80);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | LSBFIRST | SPE);
    assert_int_equal(transfer1(s, 0x01), 0x01);
    assert_int_equal(r->got[0], 0x80);
    assert_int_equal(transfer1(s, 0x0F), 0x01);
    assert_int_equal(r->got[1], 0xF0);
}

/* RM0390 26.7.1: fSCK = fPCLK / 2^(BR+1). SPI1 on APB2 at 16 MHz with /256:
 * 8 bits take 128 us; TXE at once, BSY for the frame, RXNE at its end.
 * SPI2 on APB1 divided by 2 (8 MHz) with /2: 2 us. */
static void frame_time_follows_pclk(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    recorder_on_spi1(f, 0, 0);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE);
    fake_write(s, SPI1 + DR, 0x55);
    assert_int_equal(fake_read(s, SPI1 + SR) & (TXE | BSY | RXNE), TXE | BSY);
    fake_run_for(s, US(127));
    assert_int_equal(fake_read(s, SPI1 + SR) & (BSY | RXNE), BSY);
    fake_run_for(s, US(1));
    assert_int_equal(fake_read(s, SPI1 + SR) & (BSY | RXNE), RXNE);

    set_bits(s, RCC_APB1ENR, 1u << 14);
    fake_write(s, RCC_CFGR, fake_read(s, RCC_CFGR) | (4u << 10)); /* PPRE1 = /2 */
    fake_write(s, SPI2 + CR1, SSM | SSI | MSTR | BR(0) | SPE);
    fake_write(s, SPI2 + DR, 0x55);
    fake_run_for(s, 1900 * SIM_PS_PER_NS);
    assert_int_equal(fake_read(s, SPI2 + SR) & (BSY | RXNE), BSY);
    fake_run_for(s, 100 * SIM_PS_PER_NS);
    assert_int_equal(fake_read(s, SPI2 + SR) & (BSY | RXNE), RXNE);
}

/* Back to back: the second byte written while the first shifts follows at
 * once; BSY stays up across both. Interrupts on the SPI1 line. */
static void back_to_back_and_interrupts(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    recorder_on_spi1(f, 0, 0x11);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE);
    fake_write(s, SPI1 + CR2, TXEIE);
    assert_true(fake(s)->irq[SPI1_IRQ]); /* TXE is set after reset */
    fake_write(s, SPI1 + DR, 1);
    fake_write(s, SPI1 + DR, 2);
    assert_false(fake(s)->irq[SPI1_IRQ]); /* TX buffer full */
    fake_write(s, SPI1 + CR2, RXNEIE);
    fake_run_for(s, US(128));
    assert_true(fake(s)->irq[SPI1_IRQ]);
    assert_int_equal(fake_read(s, SPI1 + SR) & (BSY | TXE | RXNE), BSY | TXE | RXNE);
    fake_read(s, SPI1 + DR);
    assert_false(fake(s)->irq[SPI1_IRQ]);
    fake_run_for(s, US(128));
    assert_int_equal(fake_read(s, SPI1 + SR) & (BSY | RXNE), RXNE);
    assert_int_equal(nucleo_chip(f->board)->spi[0].busy_ps, US(256));
}

/* RM0390 26.3.10: a frame received while RXNE is set is lost and sets OVR;
 * DR keeps the older frame; a DR read then an SR read clears OVR. */
static void overrun(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 0, 0x21);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE);
    fake_write(s, SPI1 + CR2, ERRIE);
    cs(s, GPIOB, 6, false);
    fake_write(s, SPI1 + DR, 1);
    fake_run_for(s, US(128));
    r->reply = 0x22;
    fake_write(s, SPI1 + DR, 2);
    fake_run_for(s, US(128));
    assert_true(fake_read(s, SPI1 + SR) & OVR);
    assert_true(fake(s)->irq[SPI1_IRQ]);
    fake_read(s, SPI1 + SR); /* SR alone does not clear it */
    assert_true(fake_read(s, SPI1 + SR) & OVR);
    assert_int_equal(fake_read(s, SPI1 + DR), 0x21);
    assert_true(fake_read(s, SPI1 + SR) & OVR); /* this SR read returns OVR and clears it */
    assert_false(fake_read(s, SPI1 + SR) & OVR);
    assert_false(fake(s)->irq[SPI1_IRQ]);
}

/* RM0390 26.3.10: NSS low on a master (SSM=0, SSOE=0, NSS pin PA4 in AF5)
 * sets MODF and clears SPE and MSTR; they cannot be set again until an SR
 * access and a CR1 write clear MODF. With SSM=1, SSI=0 is the same fault. */
static void mode_fault(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    spi1_pins(s);
    pin_mode(s, GPIOA, 4, 2, 5);
    gpio_set_external(&nucleo_chip(f->board)->gpio[0], 4, GPIO_EXT_HIGH);
    fake_write(s, SPI1 + CR2, ERRIE);
    fake_write(s, SPI1 + CR1, MSTR | BR(7) | SPE);
    assert_int_equal(fake_read(s, SPI1 + CR1) & (MSTR | SPE), MSTR | SPE);
    assert_false(fake_read(s, SPI1 + SR) & MODF);
    gpio_set_external(&nucleo_chip(f->board)->gpio[0], 4, GPIO_EXT_LOW);
    assert_int_equal(fake_peek(s, SPI1 + SR) & MODF, MODF);
    assert_int_equal(fake_read(s, SPI1 + CR1) & (MSTR | SPE), 0);
    assert_true(fake(s)->irq[SPI1_IRQ]);
    gpio_set_external(&nucleo_chip(f->board)->gpio[0], 4, GPIO_EXT_HIGH);
    fake_write(s, SPI1 + CR1, MSTR | BR(7) | SPE); /* no SR access yet: write-protected */
    assert_int_equal(fake_read(s, SPI1 + CR1) & (MSTR | SPE), 0);
    fake_read(s, SPI1 + SR);
    fake_write(s, SPI1 + CR1, MSTR | BR(7) | SPE);
    assert_int_equal(fake_read(s, SPI1 + CR1) & (MSTR | SPE), MSTR | SPE);
    assert_false(fake_read(s, SPI1 + SR) & MODF);
    assert_false(fake(s)->irq[SPI1_IRQ]);

    fake_write(s, SPI1 + CR1, SSM | MSTR | BR(7) | SPE); /* SSI = 0 */
    assert_true(fake_read(s, SPI1 + SR) & MODF);
    assert_int_equal(nucleo_chip(f->board)->spi[0].mode_faults, 2);
}

/* RM0390 26.3.1: with SSM=0 and SSOE=1 the master drives NSS (PA4 in AF5)
 * low while enabled, releases it when disabled, and takes no mode fault. */
static void nss_output(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    spi1_pins(s);
    pin_mode(s, GPIOA, 4, 2, 5);
    fake_write(s, GPIOA + 0x0C, 1u << 8); /* PA4 pull-up */
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 4), 1);
    fake_write(s, SPI1 + CR2, 1u << 2); /* SSOE */
    fake_write(s, SPI1 + CR1, MSTR | BR(7) | SPE);
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 4), 0);
    assert_false(fake_read(s, SPI1 + SR) & MODF);
    assert_int_equal(fake_read(s, SPI1 + CR1) & (MSTR | SPE), MSTR | SPE);
    fake_write(s, SPI1 + CR1, MSTR | BR(7));
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 4), 1);
}

/* RM0390 26.3.6: CRC8 with the reset polynomial 0x07 over "123456789" is
 * 0xF4 (the CRC-8 check value); CRCNEXT sends TXCRCR after the last data and
 * the receiver compares what comes back with RXCRCR. */
static void crc(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    assert_int_equal(nucleo_spi_test_devices_attach(f->board), 0); /* loopback on SPI1, CS PB6 */
    spi1_pins(s);
    assert_int_equal(fake_read(s, SPI1 + CRCPR), 7u);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(0) | CRCEN);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(0) | CRCEN | SPE);
    cs(s, GPIOB, 6, false);
    const char *check = "123456789";
    for (int i = 0; check[i]; i++) {
        fake_write(s, SPI1 + DR, (uint8_t)check[i]);
        fake_run_for(s, US(2));
        fake_read(s, SPI1 + DR);
    }
    assert_int_equal(fake_read(s, SPI1 + TXCRCR), 0xF4);
    assert_int_equal(fake_read(s, SPI1 + RXCRCR), 0xF4);
    fake_write(s, SPI1 + CR1, fake_read(s, SPI1 + CR1) | CRCNEXT);
    fake_run_for(s, US(2));
    assert_int_equal(fake_read(s, SPI1 + DR), 0xF4); /* the CRC came back through the loopback */
    assert_false(fake_read(s, SPI1 + SR) & CRCERR);
    assert_false(fake_read(s, SPI1 + CR1) & CRCNEXT);

    /* Again with nobody selected and MISO pulled up: 0xFF comes back for the
     * data and for the CRC, and CRC8(0xFF) = 0xF3 is not 0xFF: CRCERR. */
    cs(s, GPIOB, 6, true);
    fake_write(s, GPIOA + 0x0C, 1u << 12); /* PA6 pull-up */
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(0));
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(0) | CRCEN | SPE); /* CRCEN 0 -> 1 resets the CRCs */
    assert_int_equal(fake_read(s, SPI1 + TXCRCR), 0);
    fake_write(s, SPI1 + CR2, ERRIE);
    fake_write(s, SPI1 + DR, 0x31);
    fake_write(s, SPI1 + CR1, fake_read(s, SPI1 + CR1) | CRCNEXT);
    fake_run_for(s, US(2));
    assert_int_equal(fake_read(s, SPI1 + DR), 0xFF);
    assert_int_equal(fake_read(s, SPI1 + RXCRCR), 0xF3);
    fake_run_for(s, US(2));
    assert_true(fake_read(s, SPI1 + SR) & CRCERR);
    assert_true(fake(s)->irq[SPI1_IRQ]);
    fake_write(s, SPI1 + SR, ~CRCERR); /* rc_w0 */
    assert_false(fake_read(s, SPI1 + SR) & CRCERR);
}

/* Pins not in the alternate function: no SCK pin, the device gets nothing
 * and the firmware is warned; no MISO pin, the master shifts in 0s. */
static void pins_not_in_af(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    struct recorder *r = recorder_on_spi1(f, 0, 0x5A);
    pin_mode(s, GPIOA, 5, 1, 0); /* SCK pin a GPIO output */
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | SPE);
    assert_int_equal(transfer1(s, 0x77), 0);
    assert_int_equal(r->n, 0);
    assert_true(fake_warned(s, "SPI1: frame sent while no pin is in its SCK alternate function"));
    pin_mode(s, GPIOA, 5, 2, 5);
    pin_mode(s, GPIOA, 6, 2, 0); /* MISO pin in AF0, not SPI1's AF5 */
    assert_int_equal(transfer1(s, 0x77), 0);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->got[0], 0x77);
    pin_mode(s, GPIOA, 6, 2, 5);
    assert_int_equal(transfer1(s, 0x77), 0x5A);
}

/* The SCK pin idles at CPOL while the SPI is a master (and no longer after an RCC reset
 * of the SPI); the TX DMA request follows TXE. */
static void sck_idle_level_and_dma_request(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    spi1_pins(s);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | CPOL);
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 5), 1);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR);
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 5), 0);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | CPOL);
    fake_write(s, RCC + 0x24, 1u << 12); /* APB2RSTR.SPI1RST: no master drives SCK any more */
    fake_write(s, RCC + 0x24, 0);
    assert_int_equal(fake_read(s, SPI1 + CR1), 0);
    assert_int_equal(nucleo_gpio_get(f->board, 'A', 5), 0);
    struct spi *spi = &nucleo_chip(f->board)->spi[0];
    assert_false(spi_dma_tx_request(spi));
    fake_write(s, SPI1 + CR2, TXDMAEN);
    assert_true(spi_dma_tx_request(spi));
    fake_write(s, SPI1 + DR, 1); /* SPE=0: the data waits, TXE stays low */
    assert_false(spi_dma_tx_request(spi));
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | SPE);
    assert_true(spi_dma_tx_request(spi));
}

/* The register-file test device on SPI2 (CS PB12): a write then a read back. */
static void regfile_device(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    assert_int_equal(nucleo_spi_test_devices_attach(f->board), 0);
    set_bits(s, RCC_AHB1ENR, 2u);
    set_bits(s, RCC_APB1ENR, 1u << 14);
    for (int pin = 13; pin <= 15; pin++)
        pin_mode(s, GPIOB, pin, 2, 5);
    cs(s, GPIOB, 12, true);
    pin_mode(s, GPIOB, 12, 1, 0);
    fake_write(s, SPI2 + CR1, SSM | SSI | MSTR | BR(1) | SPE);
    const uint8_t wr[] = {0x10, 0xDE, 0xAD}, rd[] = {0x90, 0, 0};
    uint8_t got[3];
    cs(s, GPIOB, 12, false);
    for (int i = 0; i < 3; i++) {
        fake_write(s, SPI2 + DR, wr[i]);
        fake_run_for(s, US(10));
        fake_read(s, SPI2 + DR);
    }
    cs(s, GPIOB, 12, true);
    cs(s, GPIOB, 12, false);
    for (int i = 0; i < 3; i++) {
        fake_write(s, SPI2 + DR, rd[i]);
        fake_run_for(s, US(10));
        got[i] = (uint8_t)fake_read(s, SPI2 + DR);
    }
    cs(s, GPIOB, 12, true);
    assert_int_equal(got[1], 0xDE);
    assert_int_equal(got[2], 0xAD);
    uint8_t mem[2];
    assert_int_equal(nucleo_spi_regfile_read(f->board, 0x10, mem, 2), 0);
    assert_int_equal(mem[0], 0xDE);
    assert_int_equal(mem[1], 0xAD);
}

/* The report's "spi" member: frames, bytes and busy time per bus. */
static void report_member(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    recorder_on_spi1(f, 0, 0);
    fake_write(s, SPI1 + CR1, SSM | SSI | MSTR | BR(7) | DFF | SPE);
    transfer1(s, 0x1234);
    char buf[4096] = {0};
    FILE *out = fmemopen(buf, sizeof buf - 1, "w");
    nucleo_report_json(f->board, out);
    fclose(out);
    assert_non_null(strstr(buf, ",\"spi\":{\"SPI1\":{\"frames\":1,\"bytes\":2,\"busy_ns\":256000,"));
    assert_non_null(strstr(buf, "\"SPI2\":{\"frames\":0,"));
}

int test_spi_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(four_modes, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(mode_mismatch_as_seen_by_device, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(sixteen_bit_frames, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(lsb_first, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(frame_time_follows_pclk, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(back_to_back_and_interrupts, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(overrun, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(mode_fault, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(nss_output, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(crc, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pins_not_in_af, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(sck_idle_level_and_dma_request, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(regfile_device, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(report_member, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("spi", tests, NULL, NULL);
}
