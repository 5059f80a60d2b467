/*
 * STM32F446 port of the portable HAL (include/quartz/hal): the parts a
 * board configures with const data. Everything here is bound at link time.
 *
 * Interrupt priorities: every handler of this port (SysTick, TIM2, EXTI,
 * I2C EV/ER, USART2) runs at STM32_HAL_IRQ_PRIO, so they never preempt one
 * another; thread code shares data with them through cpu_irq_lock().
 */
#ifndef STM32F446_HAL_H
#define STM32F446_HAL_H

#include <stdbool.h>
#include <stdint.h>

#include "quartz/hal/gpio.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/irq.h"
#include "quartz/hal/spi.h"

/* HAL_IRQ_PRIO (public/quartz_chip/irq.h): what applications see. */
#define STM32_HAL_IRQ_PRIO ((unsigned)HAL_IRQ_PRIO)

/* ---- clocks (RM0390 section 6) ----------------------------------------- */

enum stm32_clock_source { STM32_CLOCK_HSI, STM32_CLOCK_PLL_HSE, STM32_CLOCK_PLL_HSI };

struct stm32_clock_plan {
    uint32_t hse_hz;       /* external clock on OSC_IN (bypass), 0 = none */
    uint8_t pllm_hse;      /* PLL input divider for HSE, to 2 MHz (RM0390 6.3.2: 1..2 MHz) */
    uint8_t pllm_hsi;      /* same for the 16 MHz HSI */
    uint16_t plln;         /* VCO = input x N (100..432 MHz) */
    uint8_t pllp;          /* SYSCLK = VCO / P (2, 4, 6, 8) */
    uint8_t pllq;          /* 48 MHz domain = VCO / Q */
    uint8_t apb1_div;      /* 1, 2, 4, 8, 16 (APB1 <= 45 MHz) */
    uint8_t apb2_div;      /* APB2 <= 90 MHz */
    uint8_t flash_ws;      /* FLASH_ACR LATENCY for the PLL clock at the board's VDD */
};

struct stm32_clocks {
    uint32_t sysclk, hclk, pclk1, pclk2;
    uint32_t tim_apb1; /* timer kernel clock on APB1: x2 when APB1 is divided (RM0390 6.2) */
    enum stm32_clock_source source;
};

/*
 * Switch to the PLL as planned: HSE bypass first (bounded wait), HSI as the
 * PLL source when HSE does not start, and HSI 16 MHz without the PLL when
 * the PLL does not lock. Flash wait states are set before the switch.
 * Returns 0, or -ETIMEDOUT when the PLL failed (running on HSI, reported
 * in `source`).
 */
int stm32_clock_setup(const struct stm32_clock_plan *plan);
const struct stm32_clocks *stm32_clocks(void);

/*
 * SysTick at `hz` (interrupt), DWT cycle counter on; drives clock_uptime_ms().
 * Returns 0, or -EINVAL for a rate it cannot make exactly: `hz` must divide
 * one second into whole milliseconds (1000 % hz == 0) and HCLK into a whole
 * reload that fits the 24-bit SysTick LOAD (ARMv7-M B3.3.3). On -EINVAL
 * nothing changes: a tick already running keeps its rate.
 */
int stm32_systick_init(uint32_t hz);

/*
 * Periodic work at the tick, for drivers that own a deadline (the I2C
 * watchdog). The SysTick handler calls every joined hook with the new
 * uptime, at STM32_HAL_IRQ_PRIO, without knowing who they are: the timebase
 * depends on no driver. A hook only compares and flags; anything longer
 * (bus recovery) is left to thread context. Joining twice is harmless.
 */
struct stm32_tick_hook {
    void (*fn)(struct stm32_tick_hook *hook, uint64_t now_ms);
    struct stm32_tick_hook *next;
    /* Set while the hook has nothing to do (the I2C bus between
     * transfers): the handler skips it. False (the default) calls it at
     * every tick. Set through stm32_tick_hook_idle once joined. */
    bool idle;
};
void stm32_tick_hook_join(struct stm32_tick_hook *hook);

/* A joined hook has nothing to do (idle) or has again; call with the tick
 * held off (cpu_irq_lock, or a handler at the HAL's priority). While every
 * hook is idle the handler does not walk the list. */
static inline void stm32_tick_hook_idle(struct stm32_tick_hook *hook, bool idle)
{
    extern uint32_t stm32_tick_hooks_awake; /* systick.c: joined hooks not idle */
    if (hook->idle == idle)
        return;
    hook->idle = idle;
    if (idle)
        stm32_tick_hooks_awake--;
    else
        stm32_tick_hooks_awake++;
}

/*
 * A wait bound that holds where the tick cannot advance (interrupts masked,
 * or called from a handler at or above the tick's priority): over when the
 * uptime passed `ms`, or the DWT cycle counter counted as many cycles, or
 * the poll count reached that number (each poll costs more than a cycle,
 * so a stopped cycle counter still ends the wait).
 */
struct stm32_wait {
    uint64_t until_ms;
    uint64_t cycles, budget;
    uint32_t last;
};
void stm32_wait_start(struct stm32_wait *w, uint32_t ms);
bool stm32_wait_over(struct stm32_wait *w);

/* True where no interrupt of this port can run: PRIMASK set, BASEPRI at or
 * above the HAL's priority, or handler mode. */
bool stm32_irqs_blocked(void);

/* ---- DMA (RM0390 section 9) --------------------------------------------- */

/* Peripheral requests this port serves by DMA. */
enum stm32_dma_request {
    STM32_DMA_I2C1_TX,
    STM32_DMA_I2C2_TX,
    STM32_DMA_I2C3_TX,
    STM32_DMA_USART2_TX,
    STM32_DMA_SPI1_RX,
    STM32_DMA_SPI1_TX,
    STM32_DMA_SPI2_RX,
    STM32_DMA_SPI2_TX,
    STM32_DMA_SPI3_RX,
    STM32_DMA_SPI3_TX,
    STM32_DMA_SPI4_RX,
    STM32_DMA_SPI4_TX,
    STM32_DMA_ADC1,
};

/* Where one request goes: a stream and the channel (CHSEL) that carries
 * the request to it, per RM0390 tables 28/29. Const board data. */
struct stm32_dma_channel {
    uint8_t dma;     /* 1 or 2 */
    uint8_t stream;  /* 0..7 */
    uint8_t channel; /* 0..7 */
};

/*
 * Take the stream for `req`, once at init, and clock its controller.
 * Returns 0, -EINVAL when that stream and channel do not carry `req`
 * (RM0390 tables 28/29), or -EBUSY when another driver took the stream
 * already: two users of one stream in the board's tables.
 */
int stm32_dma_claim(const struct stm32_dma_channel *ch, enum stm32_dma_request req);

/* Memory to peripheral, `n` bytes from `mem` into the register `periph`
 * (direct mode): the peripheral's requests pace it. With `irq`, the
 * stream's interrupt comes at the end or on an error (TCIE, TEIE). */
void stm32_dma_send(const struct stm32_dma_channel *ch, volatile void *periph, const void *mem, uint16_t n,
                    bool irq);

/* One transfer of `n` items (bytes, or half-words with item_bytes 2)
 * between the register `periph` and `mem`, paced by the peripheral's
 * requests (direct mode). Without `mem_inc` every item
 * uses the same memory byte (a fill byte sent, or a byte received and
 * dropped). */
struct stm32_dma_xfer {
    volatile void *periph;
    void *mem;
    uint16_t n;
    bool to_periph; /* memory to peripheral; false: peripheral to memory */
    bool mem_inc;
    bool irq; /* the stream's interrupt at the end or on an error (TCIE, TEIE) */
    uint8_t item_bytes; /* PSIZE = MSIZE: 2 half-words, else bytes */
};
void stm32_dma_start(const struct stm32_dma_channel *ch, const struct stm32_dma_xfer *x);

/* 1 when the transfer started last completed (TCIF), -EIO when the stream
 * reported an error (TEIF, FEIF, DMEIF), 0 while it runs. */
int stm32_dma_status(const struct stm32_dma_channel *ch);

/* Stop the stream (bounded wait for EN to read 0) and clear its flags.
 * Returns true when it had reported an error (TEIF, FEIF, DMEIF). */
bool stm32_dma_stop(const struct stm32_dma_channel *ch);

/* ---- I2C master (RM0390 section 24) ------------------------------------ */

struct stm32_i2c_config {
    uint8_t index;   /* 1..3 */
    uint32_t bus_hz; /* 100000 or 400000 */
    struct gpio_pin scl, sda;
    uint8_t af;
    /* Writes of STM32_I2C_DMA_MIN bytes or more go by this DMA stream; NULL: interrupts only. */
    const struct stm32_dma_channel *tx_dma;
};

#define STM32_I2C_DMA_MIN 4U

/* Instance: struct i2c_bus first, so the portable bus pointer is the instance. */
struct stm32_i2c_bus {
    struct i2c_bus bus;
    const struct stm32_i2c_config *cfg;
    struct stm32_i2c *regs; /* the instance's registers, from cfg at init (the handlers' first load) */
    uint32_t khz;           /* cfg->bus_hz in kHz, rounded up (the deadline's divisor) */
    /* transfer in flight: owned by the I2C interrupt (and the deadline tick hook) */
    const struct i2c_msg *msgs;
    uint8_t n, i, phase;
    uint8_t idle_events; /* event interrupts in a row with nothing to do */
    uint16_t pos;
    bool dma_on; /* the current message goes out by DMA; BTF ends it */
    i2c_done_fn done;
    void *ctx;
    uint64_t deadline_ms;
    uint32_t timeout_ms;
    volatile bool busy;
    /* Set by the tick hook when it ends a transfer at its deadline, cleared
     * by the recovery, which only thread context runs. */
    volatile bool recover_pending;
    struct stm32_tick_hook tick;
    /* blocking transfers */
    volatile bool sync_done;
    volatile int sync_status;
    uint32_t recoveries, timeouts;
};

/* Pins, clock, timing. Returns 0 or -EINVAL. */
int stm32_i2c_init(struct stm32_i2c_bus *b, const struct stm32_i2c_config *cfg);

/*
 * 9 SCL pulses as GPIO until SDA is released, a STOP, peripheral reset and
 * re-init (UM10204 3.1.16). About 110 us of bit-banging: thread context only.
 * Returns 0, or -ETIMEDOUT when SDA or SCL is still held low afterwards.
 */
int stm32_i2c_recover(struct stm32_i2c_bus *b);

/* ---- SPI master (RM0390 section 26) ----------------------------------- */

struct stm32_spi_pin {
    struct gpio_pin pin;
    uint8_t af; /* DS10693 table 11: AF5 for most, AF6/AF7 for some SPI2/SPI3 pins */
};

struct stm32_spi_config {
    uint8_t index; /* 1..4 */
    struct stm32_spi_pin sck, miso, mosi;
    /* Segments of STM32_SPI_DMA_MIN bytes or more go by these streams
     * (RM0390 table 28, e.g. SPI2: DMA1 stream 3 and 4 channel 0); NULL:
     * polled only. Both or neither. */
    const struct stm32_dma_channel *rx_dma, *tx_dma;
};

#define STM32_SPI_DMA_MIN 32U

/* Instance: struct spi_bus first, so the portable bus pointer is the instance. */
struct stm32_spi_bus {
    struct spi_bus bus;
    const struct stm32_spi_config *cfg;
    volatile bool busy; /* a transaction holds the bus (claimed with interrupts masked) */
    uint32_t timeouts, faults;
};

/* Pins, clock and DMA streams; the SPI is set up per transaction for its
 * device. Returns 0, -EINVAL (a bad index, one stream without the other, a
 * stream that does not carry the request) or -EBUSY (a stream taken already). */
int stm32_spi_init(struct stm32_spi_bus *b, const struct stm32_spi_config *cfg);

#endif
