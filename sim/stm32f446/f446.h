/*
 * STM32F446 peripheral models (RM0390). One `struct f446` holds every
 * modeled peripheral; the board (sim/board) creates it, supplies hooks for
 * what is wired outside the chip, and maps it into the core with f446_init.
 * Models talk to the core only through sim/core/sim.h.
 */
#ifndef SIM_STM32F446_F446_H
#define SIM_STM32F446_F446_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sim.h"
#include "dma.h"
#include "spi.h"
#include "adc.h"

struct f446;

/* ---- RCC (RM0390 section 6) ------------------------------------------------ */

enum rcc_bus { RCC_AHB1, RCC_AHB2, RCC_AHB3, RCC_APB1, RCC_APB2, RCC_NBUS };

struct rcc {
    struct f446 *chip;
    uint32_t CR, PLLCFGR, CFGR, CIR;
    uint32_t RSTR[RCC_NBUS];
    uint32_t ENR[RCC_NBUS];   /* AHB1ENR..APB2ENR: stable addresses for clock gating */
    uint32_t LPENR[RCC_NBUS];
    uint32_t BDCR, CSR, SSCGR, PLLI2SCFGR, PLLSAICFGR, DCKCFGR, CKGATENR, DCKCFGR2;
    struct sim_event ev_hsi, ev_hse, ev_pll, ev_plli2s, ev_pllsai;
    uint32_t hclk_hz; /* last value given to sim_set_hclk */
};

uint32_t rcc_sysclk_hz(const struct rcc *r);
uint32_t rcc_hclk_hz(const struct rcc *r);
uint32_t rcc_pclk1_hz(const struct rcc *r);
uint32_t rcc_pclk2_hz(const struct rcc *r);
uint32_t rcc_timclk1_hz(const struct rcc *r); /* TIM2..7, 12..14 (RM0390 6.2, DCKCFGR.TIMPRE) */
uint32_t rcc_timclk2_hz(const struct rcc *r); /* TIM1, 8..11 */
uint32_t rcc_pll_p_hz(const struct rcc *r);
uint32_t rcc_pll_r_hz(const struct rcc *r);

/* ---- FLASH interface, PWR ---------------------------------------------------- */

struct flash_if {
    struct f446 *chip;
    uint32_t ACR, SR, CR;
    bool key1_seen;  /* KEY1 written, KEY2 expected (RM0390 3.5.1) */
    bool key_locked; /* a wrong key sequence: CR stays locked until reset */
    uint32_t erase_base, erase_len; /* the erase in progress, done at op_end */
    struct sim_event op_end;
    uint32_t programs, erases, errors; /* for the report */
};
void flash_init(struct flash_if *f); /* takes the CPU's stores to the array */
/* Checks LATENCY against HCLK (RM0390 3.4.1 table 5); warns once per setting. */
void flash_check_latency(struct flash_if *f);

struct pwr {
    struct f446 *chip;
    uint32_t CR, CSR;
};
void pwr_update(struct pwr *p); /* VOSRDY/ODRDY follow the PLL (RM0390 5.1.4) */

/* ---- Backup SRAM (RM0390 5.1.2), bkpsram.c -------------------------------------- */
#define BKPSRAM_BASE_ADDR 0x40024000u
#define BKPSRAM_SIZE 0x1000u
struct bkpsram {
    struct f446 *chip;
    uint8_t mem[BKPSRAM_SIZE];
    uint32_t ignored_writes; /* with PWR_CR.DBP clear */
};
void bkpsram_power_on(struct bkpsram *b);
extern const struct sim_mmio_ops bkpsram_ops;

/* ---- GPIO (RM0390 section 7) --------------------------------------------------- */

/* What the board connects to a pin from outside the chip. */
enum gpio_ext {
    GPIO_EXT_NONE,     /* nothing: floating unless the chip pulls it */
    GPIO_EXT_PULLUP,   /* resistor to VDD (weak) */
    GPIO_EXT_PULLDOWN, /* resistor to ground (weak) */
    GPIO_EXT_LOW,      /* actively driven low (button pressed, stuck SDA) */
    GPIO_EXT_HIGH,     /* actively driven high */
};

#define GPIO_MODER_INPUT 0u
#define GPIO_MODER_OUTPUT 1u
#define GPIO_MODER_AF 2u
#define GPIO_MODER_ANALOG 3u

struct gpio {
    struct f446 *chip;
    int port; /* 0 = GPIOA */
    uint32_t MODER, OTYPER, OSPEEDR, PUPDR, ODR, LCKR, AFR[2];
    uint32_t level;         /* computed pin levels (IDR) */
    uint8_t ext[16];        /* enum gpio_ext per pin */
    uint32_t trace_mask;    /* pins traced to the VCD */
    bool locked;
    int lock_step;
    uint32_t lock_value;
};

void gpio_set_external(struct gpio *g, int pin, enum gpio_ext drive);
bool gpio_level(const struct gpio *g, int pin);
unsigned gpio_mode(const struct gpio *g, int pin);
unsigned gpio_af(const struct gpio *g, int pin);
void gpio_refresh(struct gpio *g); /* recompute the levels (a peripheral stopped or started driving) */
bool gpio_open_drain(const struct gpio *g, int pin);

/* ---- SYSCFG, EXTI (RM0390 sections 8 and 10) ------------------------------------ */

struct syscfg {
    uint32_t MEMRMP, PMC, EXTICR[4], CMPCR;
};

struct exti {
    struct f446 *chip;
    uint32_t IMR, EMR, RTSR, FTSR, SWIER, PR;
};

/* A GPIO input changed level; routed to EXTI line `pin` if EXTICR selects `port`. */
void exti_gpio_edge(struct f446 *c, int port, int pin, bool rising);

/* ---- TIM2..TIM5 (RM0390 section 17) ------------------------------------------------ */

struct tim {
    struct f446 *chip;
    const char *name;
    uint32_t base;
    int irqn;
    bool wide; /* TIM2/TIM5: 32-bit CNT/ARR/CCR */
    uint32_t CR1, CR2, SMCR, DIER, SR, CCMR1, CCMR2, CCER, PSC, ARR, CCR[4], DCR, OR;
    uint32_t psc_active, arr_active, ccr_active[4]; /* shadow registers */
    uint32_t held_cnt;   /* CNT while the counter is stopped */
    uint64_t anchor_ps;  /* prescaler phase 0 at this time ... */
    int64_t anchor_cnt;  /* ... with the counter at this value */
    int64_t scan_cnt;    /* compare matches evaluated up to this count */
    bool down;           /* counting down (CR1.DIR, or the center-aligned phase) */
    uint8_t ic_events[4]; /* input-capture prescaler: edges seen since the last capture */
    uint32_t clk_hz;     /* timer clock the anchor was computed with */
    struct sim_event ev;
    /* Run totals for the report: update events with UIE set, and those that found UIF still
     * set, i.e. the previous update not yet handled: a tick the firmware lost. */
    uint64_t update_irqs, missed_updates;
};

/* The timer clock changed: count up to now at the old rate, continue at the new one. */
void tim_clock_changed(struct tim *t);
uint32_t tim_cnt(struct tim *t);
/* Input capture on channel `ch` (0 = CH1) now: CCRx = CNT, CCxIF, CCxOF (RM0390 17.3.5). */
void tim_capture(struct tim *t, int ch);
/* A GPIO pin changed level; reaches the timer channel the pin's alternate function selects. */
void tim_gpio_edge(struct f446 *c, int port, int pin, bool rising);
/* The pin is in the AF of a timer channel configured as input: the chip does not drive it. */
bool tim_pin_is_input(const struct f446 *c, int port, int pin);

/* ---- I2C1..3 (RM0390 section 24) --------------------------------------------------- */

struct i2c_device_ops {
    bool (*address)(void *dev, bool read); /* START + address byte; true = ACK */
    bool (*write)(void *dev, uint8_t byte); /* true = ACK */
    uint8_t (*read)(void *dev);
    void (*stop)(void *dev); /* STOP or repeated START: the transfer ended */
};

struct i2c_device {
    uint8_t address; /* 7-bit */
    const struct i2c_device_ops *ops;
    void *dev;
};

#define I2C_MAX_DEVICES 4

enum i2c_phase {
    I2C_IDLE,
    I2C_START_WAIT, /* START requested, bus busy */
    I2C_SB,         /* start sent, waiting for the address in DR */
    I2C_ADDR_TX,    /* address byte on the bus */
    I2C_ADDR_HOLD,  /* ADDR set, SCL stretched until it is cleared */
    I2C_MASTER,     /* transmitting or receiving data */
    I2C_STOPPING,
    I2C_NACKED,     /* AF: SCL held low until STOP or START */
};

struct i2c {
    struct f446 *chip;
    const char *name;
    uint32_t base;
    int index; /* 0 = I2C1 */
    int irq_ev, irq_er;
    uint32_t CR1, CR2, OAR1, OAR2, DR, SR1, SR2, CCR, TRISE, FLTR;
    enum i2c_phase phase;
    bool read;          /* direction of the current transfer */
    bool shift_full;    /* a byte is in the shift register */
    bool byte_on_bus;   /* the shift register byte is being clocked */
    uint8_t shift;
    bool ack_next;      /* POS=1: the (N)ACK for the next byte, ACK as at the end of the last one */
    bool slave_acked;   /* last byte of a read was acknowledged by the master */
    uint32_t sr1_seen;  /* SR1 bits read since, for the read-SR1-then-... sequences */
    struct i2c_device *target;
    struct i2c_device *devices[I2C_MAX_DEVICES];
    int ndevices;
    bool sda_stuck;
    bool scl_stuck;       /* a device holds SCL low: the bus clock stops */
    bool frozen;          /* the bus event that SCL held low stopped, and its time left */
    uint32_t frozen_what;
    uint64_t frozen_left_ps;
    struct sim_event ev;
    uint64_t busy_since_ps;
    bool busy;
    /* statistics (report) */
    uint64_t transactions, bytes, nacks, busy_ps, busy_cycles;
    bool dma_nack_next; /* LAST and EOT_1 seen: NACK the byte being received (24.3.7) */
    bool dma_nacked;    /* that NACK was sent: no more bytes until STOP or START */
};

int i2c_attach(struct i2c *i, struct i2c_device *d);
void i2c_set_sda_stuck(struct i2c *i, bool stuck);
void i2c_set_scl_stuck(struct i2c *i, bool stuck);
/* The DMA's EOT_1 (RM0390 24.3.7): the last-but-one byte of a DMA reception was read. */
void i2c_dma_eot_1(struct i2c *i);

/* ---- USART1..3, UART4/5, USART6 (RM0390 section 25) ------------------------------------ */

struct usart {
    struct f446 *chip;
    const char *name;
    uint32_t base;
    int index; /* 0..5: USART1, USART2, USART3, UART4, UART5, USART6 */
    int irqn;
    bool apb2;
    uint32_t SR, CR1, CR2, CR3, BRR, GTPR;
    uint8_t rdr, tdr, tx_shift;
    bool tdr_full, shifting;
    uint32_t sr_seen; /* SR bits read, for the SR-read-then-DR sequences */
    struct sim_event ev_tx, ev_rx;
    uint8_t *rx_queue;
    size_t rx_len, rx_head, rx_cap;
    bool rx_idle_pending;
    uint64_t tx_bytes, rx_bytes, overruns, rx_dropped;
};

void usart_inject_rx(struct usart *u, const uint8_t *bytes, size_t len);

/* Whole peripherals quartz-sim does not model (bases from the SVD, sizes from RM0390 table 1). */
struct f446_unmodeled {
    const char *name;
    uint32_t base, size;
    enum rcc_bus bus; /* gating register; RCC_NBUS = not gated */
    uint32_t bit;
};
extern const struct f446_unmodeled f446_unmodeled_table[];
extern const size_t f446_unmodeled_count;

struct f446_unmodeled_region {
    struct f446 *chip;
    const struct f446_unmodeled *entry;
};
#define F446_MAX_UNMODELED 48

/* ---- the chip ------------------------------------------------------------------------------- */

/* What the board wires outside the chip. Every member may be NULL. */
struct f446_board_hooks {
    void *ctx;
    /* true when the I2C bus's pins reach the board's devices */
    bool (*i2c_routed)(void *ctx, int bus);
    /* true when the USART pin (TX or RX) reaches the outside */
    bool (*usart_routed)(void *ctx, int index, bool tx);
    void (*usart_tx)(void *ctx, int index, uint8_t byte);
    void (*gpio_changed)(void *ctx, int port, int pin, bool level);
    /* a byte (address or data, with its ACK bit) ended on I2C `bus` (0 = I2C1) */
    void (*i2c_byte)(void *ctx, int bus);
    /* a frame ended on SPI `bus` (0 = SPI1): true when a device drove MISO, with
     * the bits the master sampled in `*miso` (wire order, as struct spi_frame) */
    bool (*spi_frame)(void *ctx, int bus, const struct spi_frame *f, uint16_t *miso);
};

enum f446_reset_cause { F446_RESET_POWER, F446_RESET_PIN, F446_RESET_SOFTWARE };

struct f446 {
    sim_t *sim;
    struct f446_board_hooks hooks;
    struct rcc rcc;
    struct flash_if flash;
    struct pwr pwr;
    struct bkpsram bkpsram;
    struct gpio gpio[8];
    struct syscfg syscfg;
    struct exti exti;
    struct tim tim[4];     /* TIM2..TIM5 */
    struct i2c i2c[3];
    struct usart usart[6];
    struct dma dma[2];
    bool dma_req_level[DMA_REQ_COUNT]; /* the peripherals' DMA request lines */
    struct spi spi[4];
    struct adc_common adc; /* ADC1..3 and the analog inputs (adc.h) */
    uint32_t DBGMCU_CR, DBGMCU_APB1_FZ, DBGMCU_APB2_FZ;
    struct f446_unmodeled_region unmodeled[F446_MAX_UNMODELED];
};

void f446_init(struct f446 *c, sim_t *s, const struct f446_board_hooks *hooks);
void f446_reset(struct f446 *c, enum f446_reset_cause cause);
void f446_free(struct f446 *c);
/* RCC callbacks into the chip. */
void f446_clocks_changed(struct f446 *c);
void f446_peripheral_reset(struct f446 *c, enum rcc_bus bus, uint32_t bits);

/* Per-model reset and mapping (used by f446.c and by the unit tests). */
void rcc_reset(struct rcc *r, enum f446_reset_cause cause);
void flash_reset(struct flash_if *f);
void pwr_reset(struct pwr *p, enum f446_reset_cause cause);
void gpio_reset(struct gpio *g);
void syscfg_reset(struct syscfg *s);
void exti_reset(struct exti *e);
void tim_reset(struct tim *t);
void i2c_reset(struct i2c *i);
void usart_reset(struct usart *u);

extern const struct sim_mmio_ops rcc_ops, flash_ops, pwr_ops, gpio_ops, syscfg_ops, exti_ops,
    tim_ops, i2c_ops, usart_ops, dbgmcu_ops, unmodeled_ops;

#endif
