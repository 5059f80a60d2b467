/* DMA1/DMA2 (RM0390 section 9) on the 16 MHz reset clock: modes, flags, errors, requests. */
#include "i2c_test.h"

#define DMA1 0x40026000u
#define DMA2 0x40026400u
#define LISR 0x00
#define HISR 0x04
#define LIFCR 0x08
#define HIFCR 0x0C
#define SCR(k) (0x10u + 0x18u * (k))
#define SNDTR(k) (0x14u + 0x18u * (k))
#define SPAR(k) (0x18u + 0x18u * (k))
#define SM0AR(k) (0x1Cu + 0x18u * (k))
#define SM1AR(k) (0x20u + 0x18u * (k))
#define SFCR(k) (0x24u + 0x18u * (k))
#define EN (1u << 0)
#define TEIE (1u << 2)
#define HTIE (1u << 3)
#define TCIE (1u << 4)
#define P2M (0u << 6)
#define M2P (1u << 6)
#define M2M (2u << 6)
#define CIRC (1u << 8)
#define PINC (1u << 9)
#define MINC (1u << 10)
#define PSIZE_HALF (1u << 11)
#define MSIZE_WORD (2u << 13)
#define PL(x) ((uint32_t)(x) << 16)
#define DBM (1u << 18)
#define CT (1u << 19)
#define MBURST_INCR16 (3u << 23)
#define CHSEL(x) ((uint32_t)(x) << 25)
#define DMDIS (1u << 2)
#define FEIE (1u << 7)
/* Stream 0's flags in LISR/HISR (9.5.1); stream 1 is 6 bits up, 2 at 16, 3 at 22. */
#define FEIF 0x01u
#define TEIF 0x08u
#define HTIF 0x10u
#define TCIF 0x20u
#define SRAM 0x20000000u
#define USART_SR 0x00
#define USART_DR 0x04
#define USART_CR3 0x14
#define DMAT (1u << 7)
#define DMAR (1u << 6)

static void dma_clock(sim_t *s) { set_bits(s, RCC_AHB1ENR, 3u << 21); }

static uint8_t *sram(sim_t *s, uint32_t address) { return fake(s)->sram + (address - SRAM); }

/* DMA2 stream `k`: memory to memory, `n` items from `src` to `dst`. */
static void m2m(sim_t *s, int k, uint32_t cr, uint32_t src, uint32_t dst, uint32_t n)
{
    fake_write(s, DMA2 + SPAR(k), src);
    fake_write(s, DMA2 + SM0AR(k), dst);
    fake_write(s, DMA2 + SNDTR(k), n);
    fake_write(s, DMA2 + SFCR(k), DMDIS);
    fake_write(s, DMA2 + SCR(k), cr | M2M | PINC | MINC | EN);
}

static void memory_to_memory_with_packing(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    for (int i = 0; i < 64; i++)
        *sram(s, SRAM + 0x100 + i) = (uint8_t)(i * 7 + 1);
    /* half-words in (peripheral port, the source), words out (packing through the FIFO) */
    m2m(s, 0, PSIZE_HALF | MSIZE_WORD | TCIE | HTIE, SRAM + 0x100, SRAM + 0x400, 32);
    assert_int_equal(fake_read(s, DMA2 + SNDTR(0)), 32u); /* nothing before the first event */
    fake_run_for(s, US(10)); /* 32 x 2 + 16 cycles = 5 us */
    assert_int_equal(fake_read(s, DMA2 + SNDTR(0)), 0u);
    assert_memory_equal(sram(s, SRAM + 0x400), sram(s, SRAM + 0x100), 64);
    assert_int_equal(fake_read(s, DMA2 + SCR(0)) & EN, 0u); /* EN cleared at the end (9.3.7) */
    assert_int_equal(fake_read(s, DMA2 + LISR), TCIF | HTIF);
    assert_true(fake(s)->irq[56]); /* DMA2_Stream0 */
    fake_write(s, DMA2 + LIFCR, TCIF | HTIF);
    assert_int_equal(fake_read(s, DMA2 + LISR), 0u);
    assert_false(fake(s)->irq[56]);
}

/* Documented cost: per half-word item 1 arbitration + 1 read, plus 1 per word written. */
static void memory_to_memory_runs_at_bus_speed(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    m2m(s, 0, PSIZE_HALF | MSIZE_WORD, SRAM, SRAM + 0x800, 512);
    /* 1280 cycles at 16 MHz (80 us); the last item (3 cycles) takes effect as it starts */
    uint64_t cycles = 512u * 2u + 256u;
    fake_run_for(s, (cycles - 4u) * 62500u);
    assert_int_equal(fake_read(s, DMA2 + SNDTR(0)), 1u);
    fake_run_for(s, 4u * 62500u);
    assert_int_equal(fake_read(s, DMA2 + SNDTR(0)), 0u);
}

static void memory_to_memory_needs_dma2(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    /* DMA1's peripheral port reaches APB1 only: the SRAM source is a bus error. */
    fake_write(s, DMA1 + SPAR(3), SRAM);
    fake_write(s, DMA1 + SM0AR(3), SRAM + 0x100);
    fake_write(s, DMA1 + SNDTR(3), 4);
    fake_write(s, DMA1 + SCR(3), M2M | PINC | MINC | TEIE | EN);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, DMA1 + LISR), TEIF << 22);
    assert_int_equal(fake_read(s, DMA1 + SCR(3)) & EN, 0u);
    assert_true(fake(s)->irq[14]); /* DMA1_Stream3 */
    fake_write(s, DMA1 + LIFCR, TEIF << 22);
    assert_false(fake(s)->irq[14]);
}

static void bus_error_clears_en(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    /* the destination runs off the end of the double's SRAM into nothing mapped */
    m2m(s, 5, TEIE, SRAM, SRAM + 0x10000u - 4u, 8);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, DMA2 + HISR), (TEIF | HTIF) << 6); /* stream 5, half done */
    assert_int_equal(fake_read(s, DMA2 + SCR(5)) & EN, 0u);
    /* FIFO mode, threshold 1/4: bytes 5..8 were all read before the failed write */
    assert_int_equal(fake_read(s, DMA2 + SNDTR(5)), 0u);
    assert_true(fake(s)->irq[68]);
    assert_true(fake_warned(s, "bus error"));
    /* writing flash is an error too */
    fake_write(s, DMA2 + HIFCR, (TEIF | HTIF) << 6);
    m2m(s, 5, 0, SRAM, 0x08000000u, 4);
    fake_run_for(s, US(10));
    assert_int_equal(fake_read(s, DMA2 + HISR), (TEIF | HTIF) << 6);
    assert_int_equal(fake_read(s, DMA2 + SCR(5)) & EN, 0u);
}

static void fifo_threshold_rule(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    /* MSIZE word, INCR16: 64 bytes, more than the FIFO (table 48: forbidden) */
    fake_write(s, DMA2 + SPAR(1), SRAM);
    fake_write(s, DMA2 + SM0AR(1), SRAM + 0x100);
    fake_write(s, DMA2 + SNDTR(1), 16);
    fake_write(s, DMA2 + SFCR(1), DMDIS | FEIE | 3u);
    fake_write(s, DMA2 + SCR(1), M2M | MSIZE_WORD | MBURST_INCR16 | PINC | MINC | EN);
    assert_int_equal(fake_read(s, DMA2 + SCR(1)) & EN, 0u);
    assert_int_equal(fake_read(s, DMA2 + LISR), FEIF << 6);
    assert_true(fake(s)->irq[57]);
    fake_write(s, DMA2 + LIFCR, FEIF << 6);
    assert_false(fake(s)->irq[57]);
}

static void priorities(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    /* both at once: stream 4 at very high priority goes before stream 2 at low */
    m2m(s, 2, PL(0), SRAM, SRAM + 0x1000, 100);
    m2m(s, 4, PL(3), SRAM, SRAM + 0x2000, 100);
    fake_run_for(s, US(6)); /* 96 cycles: 32 byte items of 3 cycles (arbitration, read, write) */
    uint32_t low = fake_read(s, DMA2 + SNDTR(2)), high = fake_read(s, DMA2 + SNDTR(4));
    assert_true(high < 100u);
    assert_int_equal(low, 100u);
    fake_run_for(s, US(40));
    assert_int_equal(fake_read(s, DMA2 + SNDTR(2)) + fake_read(s, DMA2 + SNDTR(4)), 0u);
    /* same priority: the lower stream number first */
    m2m(s, 3, PL(1), SRAM, SRAM + 0x3000, 50);
    m2m(s, 1, PL(1), SRAM, SRAM + 0x3000, 50);
    fake_run_for(s, US(3));
    assert_true(fake_read(s, DMA2 + SNDTR(1)) < 50u);
    assert_int_equal(fake_read(s, DMA2 + SNDTR(3)), 50u);
}

static void console_on(sim_t *s, uint32_t cr3)
{
    set_bits(s, RCC_AHB1ENR, 1u << 0);
    fake_write(s, GPIOA, (fake_read(s, GPIOA) & ~(0xFu << 4)) | (0xAu << 4));
    fake_write(s, GPIOA + 0x20, 0x7700u);
    set_bits(s, RCC_APB1ENR, 1u << 17);
    fake_write(s, USART2 + 0x08, 1600); /* 10000 baud: 1 ms a character */
    fake_write(s, USART2 + USART_CR3, cr3);
    fake_write(s, USART2 + 0x0C, (1u << 13) | (1u << 3) | (1u << 2));
}

/* USART2_TX: DMA1 stream 6 channel 4 (table 28); TC at the end (25.4.13). */
static void usart_tx_by_request(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    console_on(s, DMAT);
    memcpy(sram(s, SRAM + 0x40), "hello", 5);
    fake_write(s, USART2 + USART_SR, 0); /* clear TC before the transfer (25.4.13) */
    fake_write(s, DMA1 + SPAR(6), USART2 + USART_DR);
    fake_write(s, DMA1 + SM0AR(6), SRAM + 0x40);
    fake_write(s, DMA1 + SNDTR(6), 5);
    /* the wrong channel first: nothing moves */
    fake_write(s, DMA1 + SCR(6), CHSEL(1) | M2P | MINC | EN);
    fake_run_for(s, MS(2));
    assert_int_equal(fake_read(s, DMA1 + SNDTR(6)), 5u);
    fake_write(s, DMA1 + SCR(6), 0);
    fake_write(s, DMA1 + HIFCR, 0x3Du << 16);
    fake_write(s, DMA1 + SCR(6), CHSEL(4) | M2P | MINC | TCIE | EN);
    fake_run_for(s, US(10));
    /* two bytes gone at once: one into the shift register, one into DR */
    assert_int_equal(fake_read(s, DMA1 + SNDTR(6)), 3u);
    fake_run_for(s, MS(3) + US(100));
    assert_int_equal(fake_read(s, DMA1 + SNDTR(6)), 0u);
    assert_true(fake(s)->irq[17]); /* TCIF: the last byte went into DR, not yet out */
    assert_int_equal(fake_read(s, USART2 + USART_SR) & (1u << 6), 0u);
    size_t len;
    fake_run_for(s, MS(2));
    assert_int_equal(fake_read(s, USART2 + USART_SR) & (1u << 6), 1u << 6);
    const char *out = nucleo_console(f->board, &len);
    assert_int_equal(len, 5u);
    assert_memory_equal(out, "hello", 5);
}

/* USART2_RX: DMA1 stream 5 channel 4, circular, then double-buffer mode. */
static void usart_rx_circular_and_double_buffer(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    console_on(s, DMAR);
    fake_write(s, DMA1 + SPAR(5), USART2 + USART_DR);
    fake_write(s, DMA1 + SM0AR(5), SRAM + 0x80);
    fake_write(s, DMA1 + SNDTR(5), 4);
    fake_write(s, DMA1 + SCR(5), CHSEL(4) | P2M | MINC | CIRC | HTIE | EN);
    nucleo_console_rx(f->board, (const uint8_t *)"abcdef", 6);
    fake_run_for(s, MS(2) + US(500));
    assert_int_equal(fake_read(s, DMA1 + HISR), HTIF << 6);
    assert_true(fake(s)->irq[16]);
    fake_run_for(s, MS(4));
    assert_memory_equal(sram(s, SRAM + 0x80), "efcd", 4); /* wrapped */
    assert_int_equal(fake_read(s, DMA1 + SNDTR(5)), 2u);
    assert_int_equal(fake_read(s, DMA1 + HISR), (HTIF | TCIF) << 6);
    assert_int_equal(fake_read(s, DMA1 + SCR(5)) & EN, EN); /* circular: stays enabled */
    assert_int_equal(fake_read(s, USART2 + USART_SR) & (1u << 3), 0u); /* no overrun */

    /* double buffer: M0AR, then M1AR, CT showing the one in use */
    fake_write(s, DMA1 + SCR(5), 0);
    fake_write(s, DMA1 + HIFCR, 0x3Du << 6);
    fake_write(s, DMA1 + SM0AR(5), SRAM + 0x200);
    fake_write(s, DMA1 + SM1AR(5), SRAM + 0x300);
    fake_write(s, DMA1 + SNDTR(5), 3);
    fake_write(s, DMA1 + SCR(5), CHSEL(4) | P2M | MINC | DBM | EN);
    nucleo_console_rx(f->board, (const uint8_t *)"1234", 4);
    fake_run_for(s, MS(3) + US(500));
    assert_memory_equal(sram(s, SRAM + 0x200), "123", 3);
    assert_int_equal(fake_read(s, DMA1 + SCR(5)) & CT, CT);
    fake_write(s, DMA1 + SM0AR(5), SRAM + 0x280); /* the buffer not in use may change */
    fake_write(s, DMA1 + SM1AR(5), SRAM + 0x380); /* the one in use may not */
    fake_run_for(s, MS(1));
    assert_int_equal(*sram(s, SRAM + 0x300), '4');
    assert_int_equal(fake_read(s, DMA1 + SM0AR(5)), SRAM + 0x280);
    assert_int_equal(fake_read(s, DMA1 + SM1AR(5)), SRAM + 0x300);
    nucleo_console_rx(f->board, (const uint8_t *)"567", 3);
    fake_run_for(s, MS(4));
    assert_memory_equal(sram(s, SRAM + 0x300), "456", 3);
    assert_int_equal(*sram(s, SRAM + 0x280), '7');
    assert_int_equal(fake_read(s, DMA1 + SCR(5)) & CT, 0u);
}

/* Disabling a stream by software: it stops and sets TCIF (9.3.17). */
static void disable_sets_tcif(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    console_on(s, DMAR);
    fake_write(s, DMA1 + SPAR(5), USART2 + USART_DR);
    fake_write(s, DMA1 + SM0AR(5), SRAM + 0x80);
    fake_write(s, DMA1 + SNDTR(5), 10);
    fake_write(s, DMA1 + SCR(5), CHSEL(4) | P2M | MINC | EN);
    fake_write(s, DMA1 + SNDTR(5), 3); /* ignored while enabled */
    assert_true(fake_warned(s, "written while EN=1"));
    fake_write(s, DMA1 + SCR(5), CHSEL(4) | P2M | MINC);
    assert_int_equal(fake_read(s, DMA1 + HISR), TCIF << 6);
    assert_int_equal(fake_read(s, DMA1 + SNDTR(5)), 10u);
}

/* I2C1_TX: DMA1 stream 6 channel 1 into the EEPROM at 0x50, BTF at the end (24.3.7). */
static void i2c_tx_to_eeprom(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    assert_int_equal(nucleo_eeprom_attach(f->board), 0);
    dma_clock(s);
    pins_af4_open_drain(s);
    i2c_on(s);
    const uint8_t msg[6] = {0x00, 0x10, 'D', 'M', 'A', '!'};
    memcpy(sram(s, SRAM + 0x20), msg, sizeof msg);
    fake_write(s, DMA1 + SPAR(6), I2C1 + DR);
    fake_write(s, DMA1 + SM0AR(6), SRAM + 0x20);
    fake_write(s, DMA1 + SNDTR(6), sizeof msg);
    fake_write(s, DMA1 + SCR(6), CHSEL(1) | M2P | MINC | TCIE | EN);
    fake_write(s, I2C1 + CR2, 16 | (1u << 11)); /* DMAEN */
    fake_write(s, I2C1 + CR1, PE | START);
    fake_run_for(s, US(20));
    assert_int_equal(fake_read(s, I2C1 + SR1) & SB, SB);
    fake_write(s, I2C1 + DR, 0x50 << 1);
    fake_run_for(s, US(100));
    assert_int_equal(fake_read(s, I2C1 + SR1) & ADDR, ADDR);
    assert_int_equal(fake_read(s, DMA1 + SNDTR(6)), sizeof msg); /* no request in the address phase */
    (void)fake_read(s, I2C1 + SR2);
    fake_run_for(s, US(100) * sizeof msg);
    assert_int_equal(fake_read(s, DMA1 + SNDTR(6)), 0u);
    assert_int_equal(fake_read(s, DMA1 + HISR), (TCIF | HTIF) << 16);
    assert_int_equal(fake_read(s, I2C1 + SR1) & BTF, BTF);
    fake_write(s, I2C1 + CR1, PE | STOP);
    fake_run_for(s, MS(6)); /* the EEPROM's write cycle */
    uint8_t back[4];
    assert_int_equal(nucleo_eeprom_read(f->board, 0x10, back, 4), 0);
    assert_memory_equal(back, "DMA!", 4);
}

/* I2C1_RX: DMA1 stream 0 channel 1 with LAST: the last byte is NACKed (EOT_1, 24.3.7). */
static void i2c_rx_last_nacks(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    assert_int_equal(nucleo_eeprom_attach(f->board), 0);
    dma_clock(s);
    pins_af4_open_drain(s);
    i2c_on(s);
    fake_write(s, DMA1 + SPAR(0), I2C1 + DR);
    fake_write(s, DMA1 + SM0AR(0), SRAM + 0x40);
    fake_write(s, DMA1 + SNDTR(0), 4);
    fake_write(s, DMA1 + SCR(0), CHSEL(1) | P2M | MINC | EN);
    fake_write(s, I2C1 + CR2, 16 | (1u << 11) | (1u << 12)); /* DMAEN, LAST */
    fake_write(s, I2C1 + CR1, PE | ACK | START);
    fake_run_for(s, US(20));
    (void)fake_read(s, I2C1 + SR1);
    fake_write(s, I2C1 + DR, (0x50 << 1) | 1u);
    fake_run_for(s, US(100));
    (void)fake_read(s, I2C1 + SR1);
    (void)fake_read(s, I2C1 + SR2);
    fake_run_for(s, US(90) * 4 + US(20));
    assert_int_equal(fake_read(s, DMA1 + SNDTR(0)), 0u);
    assert_int_equal(fake_read(s, DMA1 + LISR), TCIF | HTIF);
    fake_write(s, I2C1 + CR1, PE | STOP);
    fake_run_for(s, US(100));
    /* no fifth byte clocked: the fourth was NACKed */
    assert_false(fake_warned(s, "another byte"));
    assert_int_equal(fake_read(s, I2C1 + SR2) & BUSY, 0u);
}

/* FIFO mode, memory to peripheral: words read from memory, unpacked into
 * bytes for USART2 DR (9.3.11); NDTR counts the peripheral's bytes. */
static void fifo_unpacks_words_for_a_byte_peripheral(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    console_on(s, DMAT);
    memcpy(sram(s, SRAM + 0x60), "wordsout", 8);
    fake_write(s, USART2 + USART_SR, 0);
    fake_write(s, DMA1 + SPAR(6), USART2 + USART_DR);
    fake_write(s, DMA1 + SM0AR(6), SRAM + 0x60);
    fake_write(s, DMA1 + SNDTR(6), 8);
    fake_write(s, DMA1 + SFCR(6), DMDIS | 1u); /* FIFO, threshold 1/2 */
    fake_write(s, DMA1 + SCR(6), CHSEL(4) | M2P | MINC | MSIZE_WORD | EN);
    fake_run_for(s, MS(10));
    size_t len;
    const char *out = nucleo_console(f->board, &len);
    assert_int_equal(len, 8u);
    assert_memory_equal(out, "wordsout", 8);
    assert_int_equal(fake_read(s, DMA1 + HISR), (TCIF | HTIF) << 16);
}

/* PINCOS: with PINC the peripheral-side address steps by 4 whatever PSIZE (9.3.11). */
static void pincos_steps_by_four(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    dma_clock(s);
    for (int i = 0; i < 16; i++)
        *sram(s, SRAM + 0x500 + i) = (uint8_t)('a' + i);
    m2m(s, 0, (1u << 15), SRAM + 0x500, SRAM + 0x600, 4); /* PINCOS, bytes */
    fake_run_for(s, US(5));
    assert_memory_equal(sram(s, SRAM + 0x600), "aeim", 4);
    /* in direct mode PINCOS is forced low by hardware at EN (9.5.5) */
    fake_write(s, DMA2 + LIFCR, 0x3Du);
    fake_write(s, DMA2 + SPAR(0), SRAM + 0x500);
    fake_write(s, DMA2 + SM0AR(0), USART2 + USART_DR);
    fake_write(s, DMA2 + SNDTR(0), 1);
    fake_write(s, DMA2 + SFCR(0), 0);
    fake_write(s, DMA2 + SCR(0), M2P | PINC | (1u << 15) | EN);
    assert_int_equal(fake_read(s, DMA2 + SCR(0)) & (1u << 15), 0u);
}

/* The DMA's clock gate and reset (RM0390 6.3.10, 6.3.5). */
static void clock_gate_and_reset(void **state)
{
    struct fixture *f = *state;
    sim_t *s = f->sim;
    console_on(s, DMAR);
    fake_write(s, DMA1 + SNDTR(5), 4); /* clock off: dropped */
    dma_clock(s);
    assert_int_equal(fake_read(s, DMA1 + SNDTR(5)), 0u);
    fake_write(s, DMA1 + SPAR(5), USART2 + USART_DR);
    fake_write(s, DMA1 + SM0AR(5), SRAM + 0x80);
    fake_write(s, DMA1 + SNDTR(5), 4);
    fake_write(s, DMA1 + SCR(5), CHSEL(4) | P2M | MINC | EN);
    fake_write(s, RCC_AHB1ENR, fake_read(s, RCC_AHB1ENR) & ~(1u << 21)); /* DMA1 clock off */
    nucleo_console_rx(f->board, (const uint8_t *)"x", 1);
    fake_run_for(s, MS(2));
    assert_int_equal(fake(s)->sram[0x80], 0); /* the request waits: nobody clocks the stream */
    set_bits(s, RCC_AHB1ENR, 1u << 21);
    set_bits(s, RCC + 0x10, 1u << 21); /* AHB1RSTR.DMA1RST */
    fake_write(s, RCC + 0x10, 0);
    assert_int_equal(fake_read(s, DMA1 + SCR(5)), 0u);
    assert_int_equal(fake_read(s, DMA1 + SNDTR(5)), 0u);
    assert_int_equal(fake_read(s, DMA1 + SFCR(5)), 0x21u); /* reset value (9.5.10) */
}

int test_dma_group(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(memory_to_memory_with_packing, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(memory_to_memory_runs_at_bus_speed, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(memory_to_memory_needs_dma2, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(bus_error_clears_en, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(fifo_threshold_rule, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(priorities, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(usart_tx_by_request, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(usart_rx_circular_and_double_buffer, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(disable_sets_tcif, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(i2c_tx_to_eeprom, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(i2c_rx_last_nacks, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(fifo_unpacks_words_for_a_byte_peripheral, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(pincos_steps_by_four, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(clock_gate_and_reset, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests_name("dma", tests, NULL, NULL);
}
