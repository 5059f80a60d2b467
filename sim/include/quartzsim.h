/*
 * libquartzsim: a virtual Nucleo-F446RE that runs an unchanged firmware ELF.
 *
 * Public API used by the CLI, the interactive front end and tests written in
 * C. Times are virtual nanoseconds since qsim_create (a board reset does not
 * restart the clock; the simulation never reads the wall clock). Functions that can fail return 0
 * or a negative errno and, where an `err` buffer is given, one readable line.
 */
#ifndef QUARTZSIM_H
#define QUARTZSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct qsim;

/*
 * Cycle model (docs/simulator.md, "Cycle model and virtual time").
 * DEFAULT: Cortex-M4 TRM costs for a zero wait state system.
 * UPPER: a pessimistic bound on the same code: every non-sequential
 * instruction fetch from flash (taken branch or other write to the PC,
 * exception entry, tail-chain and return) waits FLASH_ACR.LATENCY cycles,
 * and so does the vector read of an entry or tail-chain from a table in
 * flash; MSR, MRS, CPSID and CPSIE cost 2 cycles ("1 or 2" in TRM 3.3.1).
 */
enum qsim_cycle_model {
    QSIM_CYCLES_DEFAULT = 0,
    QSIM_CYCLES_UPPER,
};

struct qsim_options {
    int bounce_edges;          /* extra contact-bounce edges per press/release (0 = clean) */
    uint32_t bounce_window_ns; /* bounce edges spread over this window (default 2 ms) */
    const char *svd_path;      /* SVD naming unmodeled registers; NULL = STM32F446 built in */
    enum qsim_cycle_model cycles; /* fixed for the life of the simulator */
    bool eeprom;               /* an M24256 EEPROM at 0x50 on I2C1, WC on PB5 (docs/simulator.md) */
    bool spi_test_devices;     /* SPI test devices: register file on SPI2 (CS PB12), loopback on SPI1 (CS PB6) */
    /* The 96-bit unique device ID at 0x1FFF7A10 (RM0390 39.1), as the bytes
     * there: uid[0] is UID[7:0]. uid_given false: the fixed default
     * 0x3031373738345112002A0033, so that runs stay deterministic. */
    bool uid_given;
    uint8_t uid[12];
    /* The BME280 (docs/sim-peripherals.md): by default (0) on I2C1 at
     * bme280_address (0: 0x76; 0x77 with its SDO strapped high); on SPI1 or
     * SPI2 with CSB on bme280_cs_port ('A'..'H') bme280_cs_pin; or none. */
    enum { QSIM_BME280_I2C1 = 0, QSIM_BME280_NONE, QSIM_BME280_SPI1, QSIM_BME280_SPI2 } bme280_bus;
    uint8_t bme280_address;
    char bme280_cs_port;
    int bme280_cs_pin;
};

/* Lifecycle. qsim_load_elf checks the file (ELF32 ARM executable, segments in
 * flash/SRAM, no overlap, a vector table at 0x08000000; docs/simulator.md). */
struct qsim *qsim_create(const struct qsim_options *opt);
void qsim_destroy(struct qsim *s);
int qsim_load_elf(struct qsim *s, const char *path, char *err, size_t errlen);
void qsim_reset(struct qsim *s); /* board reset: NRST, as the black button */

/*
 * Run until virtual time `until_ns`, until `stop(s, ctx)` returns true
 * (checked after every event and exception), or until the firmware locks up.
 * Returns 0 when the time was reached, 1 when `stop` fired, -EFAULT on a
 * lock-up (fault details in the report).
 */
typedef bool (*qsim_stop_fn)(struct qsim *s, void *ctx);
int qsim_run_until(struct qsim *s, uint64_t until_ns, qsim_stop_fn stop, void *ctx);

/*
 * Debugger (docs/debugging.md). qsim_run_until returns QSIM_RUN_HALTED when
 * it stops at a breakpoint (before the instruction there) or after the one
 * instruction of qsim_step; the next run resumes from there (a breakpoint
 * at that address does not stop it again at once). Virtual time does not
 * advance between runs.
 */
#define QSIM_RUN_HALTED 2
/* Register numbers: the order of GDB's `g` packet (sim/frontend/gdb_target.c). */
enum qsim_reg {
    QSIM_REG_R0 = 0, /* r0..r12 = 0..12 */
    QSIM_REG_SP = 13,
    QSIM_REG_LR,
    QSIM_REG_PC,
    QSIM_REG_XPSR,
    QSIM_REG_MSP,
    QSIM_REG_PSP,
    QSIM_REG_PRIMASK,
    QSIM_REG_BASEPRI,
    QSIM_REG_FAULTMASK,
    QSIM_REG_CONTROL,
    QSIM_REG_D0, /* d0..d15, 64-bit */
    QSIM_REG_D15 = QSIM_REG_D0 + 15,
    QSIM_REG_FPSCR,
    QSIM_REG_COUNT,
};
/* 0, or -EINVAL for a register number out of range. */
int qsim_reg_read(struct qsim *s, int reg, uint64_t *value);
int qsim_reg_write(struct qsim *s, int reg, uint64_t value);
/* Memory as a debug port sees it: flash, SRAM, system memory, and the
 * peripheral registers through the models, a read without side effects
 * (no status flag cleared, no data register consumed). A write to flash is
 * allowed (GDB `load`). 0, or -EFAULT when a byte is outside the map. */
int qsim_debug_read(struct qsim *s, uint32_t address, void *buf, size_t len);
int qsim_debug_write(struct qsim *s, uint32_t address, const void *buf, size_t len);
/* Breakpoints by address (Thumb bit ignored): 0, -ENOSPC when 32 are set,
 * -ENOENT on removing one not set. */
int qsim_break_insert(struct qsim *s, uint32_t address);
int qsim_break_remove(struct qsim *s, uint32_t address);
void qsim_step(struct qsim *s); /* the next qsim_run_until runs one instruction */
/* Watchpoints: the run halts at the end of the block (a few instructions
 * at most) in which the firmware wrote, read or accessed [address,
 * address+len). 0, -ENOSPC past 4, -ENOENT on removing one not set. */
enum qsim_watch { QSIM_WATCH_WRITE = 1, QSIM_WATCH_READ = 2, QSIM_WATCH_ACCESS = 3 };
int qsim_watch_insert(struct qsim *s, uint32_t address, uint32_t len, enum qsim_watch kind);
int qsim_watch_remove(struct qsim *s, uint32_t address, uint32_t len, enum qsim_watch kind);
/* After a halt: true when a watchpoint caused it, with the address hit. */
bool qsim_watch_hit(const struct qsim *s, uint32_t *address, enum qsim_watch *kind);
bool qsim_halted(const struct qsim *s);

uint64_t qsim_time_ns(const struct qsim *s);
uint64_t qsim_cycles(const struct qsim *s);
uint64_t qsim_sleep_cycles(const struct qsim *s); /* cycles spent in WFI/WFE */
uint32_t qsim_hclk_hz(const struct qsim *s);

/* Board inputs, now or scheduled at a virtual time (>= now). */
void qsim_button_set(struct qsim *s, bool pressed);
int qsim_press_at(struct qsim *s, uint64_t t_ns, uint64_t hold_ns);
int qsim_oled_detach_at(struct qsim *s, uint64_t t_ns);
int qsim_oled_attach_at(struct qsim *s, uint64_t t_ns);
int qsim_stuck_sda_at(struct qsim *s, int i2c_bus, uint64_t t_ns, uint64_t duration_ns);
/* SCL held low by a device: the bus clock stops; SR2.BUSY stays set after
 * the release until a STOP or a peripheral reset (RM0390 24.6.7). */
int qsim_stuck_scl_at(struct qsim *s, int i2c_bus, uint64_t t_ns, uint64_t duration_ns);
/* Armed fault: after `bytes` more bytes (address or data) end on the bus,
 * SCL is held low for `duration_ns`. */
int qsim_hold_scl_after(struct qsim *s, int i2c_bus, unsigned bytes, uint64_t duration_ns);
int qsim_rx_at(struct qsim *s, const char *bytes, size_t len, uint64_t t_ns);
int qsim_reset_at(struct qsim *s, uint64_t t_ns);
/*
 * Analog inputs (docs/simulator.md, "Analog inputs"). The voltage on pin
 * `pin` of port 'A'..'H' from `t_ns` on, in microvolts, 0..QSIM_VDDA_UV:
 * 0, or -EINVAL for a pin that is no ADC input (datasheet DS10693 table 10),
 * a voltage out of range or a time in the past. The die temperature the
 * internal sensor sees, in millidegrees C, QSIM_TEMP_MIN_MC..QSIM_TEMP_MAX_MC
 * (default 30 C). VDDA is 3.3 V, as on the Nucleo.
 */
#define QSIM_VDDA_UV 3300000u
#define QSIM_TEMP_MIN_MC (-40000)
#define QSIM_TEMP_MAX_MC 125000
int qsim_analog_at(struct qsim *s, char port, int pin, uint32_t microvolts, uint64_t t_ns);
int qsim_chip_temp_at(struct qsim *s, int32_t millicelsius, uint64_t t_ns);

/*
 * The environment the BME280 measures (docs/simulator.md, "Environment"):
 * temperature in millidegrees C (-40..85 C), pressure in millipascal
 * (300..1100 hPa), relative humidity in milli-%RH (0..100 %). A step sets
 * the quantities in `mask` (QSIM_ENV_T | QSIM_ENV_P | QSIM_ENV_H) from
 * `t_ns` (>= now) on; a table is interpolated linearly between its rows
 * (strictly increasing times) and held before the first and after the
 * last; a step overrides the table from its time on. Without either:
 * 25 C, 1013.25 hPa, 50 %RH. 0, or -EINVAL (out of range, time in the
 * past, empty mask, rows out of order) or -ENOMEM.
 */
#define QSIM_ENV_T 1u
#define QSIM_ENV_P 2u
#define QSIM_ENV_H 4u
struct qsim_env_row {
    uint64_t t_ns;
    int32_t t_mc, p_mpa, h_mpct;
};
int qsim_env_at(struct qsim *s, uint64_t t_ns, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct);
int qsim_env_table(struct qsim *s, const struct qsim_env_row *rows, size_t n);
/* Noise on every BME280 conversion, deterministic per seed: 0, or -ENODEV without a BME280. */
int qsim_env_noise(struct qsim *s, uint64_t seed);
/* The scripted air now; true when anything was scripted. */
bool qsim_env_now(const struct qsim *s, int32_t *t_mc, int32_t *p_mpa, int32_t *h_mpct);
/* Unplug / plug in the BME280 at a time (like the OLED); a plugged-in one powers up again. */
int qsim_bme280_detach_at(struct qsim *s, uint64_t t_ns);
int qsim_bme280_attach_at(struct qsim *s, uint64_t t_ns);
/* A BME280 register as its interface reads it, without side effects: 0 or -ENODEV. */
int qsim_bme280_reg(const struct qsim *s, uint8_t reg, uint8_t *value);

/* Board outputs. */
const char *qsim_console(const struct qsim *s, size_t *len); /* USART2 TX so far */
const uint8_t *qsim_oled_gddram(const struct qsim *s);       /* 1024 bytes, page-major */
bool qsim_oled_display_on(const struct qsim *s);
/* Pixel as the panel shows it (remap, COM scan, invert, display on applied). */
bool qsim_oled_pixel(const struct qsim *s, int x, int y);
int qsim_gpio_get(const struct qsim *s, char port, int pin); /* pin level 0/1 */
bool qsim_led(const struct qsim *s);                         /* LD2 (PA5) */
/* Debug-port style memory read (no side effects on peripherals: RAM/flash only). */
int qsim_read_mem(const struct qsim *s, uint32_t address, void *buf, size_t len);
/* EEPROM array content (qsim_options.eeprom): 0, -ENODEV without one, -EINVAL out of range. */
int qsim_eeprom_read(const struct qsim *s, uint32_t address, void *buf, size_t len);
/* SPI register-file test device content (qsim_options.spi_test_devices): 0, -ENODEV, -EINVAL. */
int qsim_spi_regfile_read(const struct qsim *s, unsigned address, void *buf, size_t len);

/* Reports. */
int qsim_write_report(const struct qsim *s, FILE *out); /* JSON, see docs/simulator.md */
int qsim_write_oled_png(const struct qsim *s, FILE *out, int scale);
int qsim_vcd_open(struct qsim *s, const char *path); /* trace from now on */
/* Write the VCD file and close it: 0, or -errno when a write failed (a full
 * disk). qsim_destroy closes an open trace too but cannot report. */
int qsim_vcd_close(struct qsim *s);

/* Counters for tests and front ends. */
uint64_t qsim_irq_count(const struct qsim *s, const char *cmsis_name); /* e.g. "TIM2" */
/* The report's irq_latency of one exception: handler entries measured, the
 * worst and the total cycles from pending to the handler's first
 * instruction. 0, or -ENOENT for a name that is no exception. */
int qsim_irq_latency(const struct qsim *s, const char *cmsis_name, uint64_t *count, uint64_t *worst,
                     uint64_t *total);
unsigned qsim_fault_count(const struct qsim *s);
unsigned qsim_oled_update_count(const struct qsim *s);
uint64_t qsim_oled_update_ns(const struct qsim *s, unsigned i); /* completion time of burst i */

/*
 * Exception observer (profiling, ISR timing). Called at every exception
 * entry, return and tail-chain with the cycle count (qsim_cycles) at the
 * boundary: ENTRY before its 12 entry cycles (6 when it is reached by a
 * tail-chain), RETURN after its 10 return cycles, TAILCHAIN (`exc` is the
 * handler that ends) before the 6 cycles of the chain. So for a handler
 * entered and left without nesting or chaining, RETURN - ENTRY = 12 + the
 * handler's own cycles + 10 (with QSIM_CYCLES_UPPER, the entry's and the
 * return's flash wait states count with them). `exc` is the exception
 * number (IRQ n is 16 + n; qsim_exc_name). The callback must not call back into the
 * simulator except for the read-only getters. NULL removes it.
 */
enum qsim_exc_event { QSIM_EXC_ENTRY, QSIM_EXC_RETURN, QSIM_EXC_TAILCHAIN };
typedef void (*qsim_exc_fn)(void *ctx, enum qsim_exc_event ev, int exc, uint64_t cycles);
void qsim_set_exc_hook(struct qsim *s, qsim_exc_fn fn, void *ctx);
const char *qsim_exc_name(int exc); /* CMSIS name as in qsim_irq_count, "?" if none */

/* Virtual time is 64-bit picoseconds inside: the last time that exists,
 * 2^64 ps - 1 in whole ns (about 213.5 days). Later times are refused. */
#define QSIM_TIME_MAX_NS (UINT64_MAX / 1000u) /* 18446744073709551 ns */

/* Parse "1334ms", "2.5s", "250us", "10ns"; returns 0 or -EINVAL. */
int qsim_parse_time(const char *text, uint64_t *ns);

#endif
