/*
 * What the I2C probe image records, shared by the firmware and the host
 * test: the firmware fills one `struct i2c_probe` in SRAM, the host finds it
 * by its two magic words.
 */
#ifndef I2C_PROBE_RESULTS_H
#define I2C_PROBE_RESULTS_H

#include <stdint.h>

#define PROBE_MAGIC0 0x12C0BE01u
#define PROBE_MAGIC1 0x24256EEDu
#define PROBE_UNSET 0x7FFFFFFF /* an rc the step never wrote */
#define PROBE_PAGE_ADDR 0x0100u /* page written and read back */
#define PROBE_WP_ADDR 0x0200u   /* write attempted with WC high */
#define PROBE_LENGTHS 4         /* reads of 1, 2, 3 and 16 bytes */
#define PROBE_DMA_ADDR 0x0300u  /* a long write, which goes by DMA */
#define PROBE_DMA_LEN 40

struct i2c_probe {
    uint32_t magic0, magic1;
    uint32_t done;
    uint32_t hclk_hz;
    /* the firmware's errno values (newlib's, not the host's) */
    int32_t e_timedout, e_nxio, e_io, e_inval;
    /* page write, then polling on ACK through the write cycle */
    int32_t write_rc, busy_rc, poll_rc;
    uint32_t poll_tries, poll_us;
    /* random reads (write address, repeated START, read) and a current-address read */
    int32_t read_rc[PROBE_LENGTHS];
    uint32_t read_ok[PROBE_LENGTHS];
    uint8_t read16[16];
    int32_t current_rc;
    uint32_t current_ok;
    /* NACK on the address (no device at 0x51) and on a data byte (WC high) */
    int32_t nack_addr_rc, nack_data_rc, after_nack_rc;
    uint32_t after_nack_ok;
    /* SCL held low in the middle of a blocking transfer */
    int32_t hold_sync_rc, hold_after_rc;
    uint32_t hold_sync_ms, hold_after_ok, hold_recoveries;
    uint32_t hold_rx_bytes; /* console bytes received while SCL was held */
    /* SCL held low between transfers: BUSY stays set after the release (no STOP) */
    int32_t scl_idle_rc, scl_idle_after_rc;
    uint32_t scl_idle_after_ok;
    /* the same with a non-blocking transfer: only the deadline hook ends it */
    int32_t hold_async_rc, hold_async_after_rc;
    uint32_t hold_async_ms, hold_async_after_ok;
    /* SDA stuck low before a transfer */
    int32_t sda_rc, sda_after_rc;
    uint32_t sda_after_ok;
    /* blocking paths with PRIMASK set */
    int32_t drain_rc;
    uint32_t drain_ms;
    /* long writes by DMA (I2C1_TX, DMA1 stream 7): written and read back, a
     * data NACK (WC high) in the middle, SCL held low after 10 bytes */
    int32_t dma_write_rc, dma_read_rc, dma_nack_rc, dma_nack_after_rc, dma_hold_rc, dma_hold_after_rc;
    uint32_t dma_read_ok, dma_nack_after_ok, dma_hold_after_ok, dma_hold_recoveries;
    /* DMA1 stream 7 right after the failed writes: NDTR left, CR.EN, and I2C1 CR2.DMAEN */
    uint32_t dma_nack_ndtr, dma_nack_en, dma_nack_dmaen, dma_hold_ndtr, dma_hold_en, dma_hold_dmaen;
    /* stm32_dma_claim: a stream another driver has, a channel that does not carry the request */
    int32_t dma_taken_rc, dma_wrong_channel_rc, e_busy;
    /* stm32_systick_init */
    int32_t tick_rc_0, tick_rc_3, tick_rc_2000, tick_rc_1, tick_rc_100;
    uint32_t tick_ms_after_reject;
};

#endif
