/*
 * QUARTZ_ASSERT end to end: the first boot breaks a contract, which records
 * this file's id and the line in the fault record and resets; the second
 * boot's board_init() reports it on USART2. Built twice: assert-report
 * breaks its own contract below, assert-gpio (PROBE_GPIO) one of the HAL's
 * entry points (a GPIO port the chip does not have), assert-i2c
 * (PROBE_I2C_PRIMASK) and assert-i2c-basepri (PROBE_I2C_BASEPRI) a blocking
 * I2C transfer with interrupts masked: by PRIMASK, and by a BASEPRI
 * ceiling at the HAL's priority (what the kernel's sched_lock does), and
 * assert-i2c-instance (PROBE_I2C_INSTANCE) an I2C instance the chip does not
 * have.
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "quartz/assert.h"
#include "quartz/board.h"
#include "quartz/cpu.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/i2c.h"
#include "quartz/hal/irq.h"
#ifdef PROBE_I2C_INSTANCE
#include "stm32_hal.h" /* the port's own init: CHIP_REGISTERS image */
#endif
#include "quartz/hal/serial.h"

#define BOOTS_MAGIC 0x424F4F54u /* "BOOT" */

/* Survives the reset (not zeroed); garbage at power-on, hence the magic. */
static struct {
    uint32_t magic;
    uint32_t boots;
} boot_state __attribute__((section(".noinit")));

int main(void)
{
    if (boot_state.magic != BOOTS_MAGIC) {
        boot_state.magic = BOOTS_MAGIC;
        boot_state.boots = 0;
    }
    boot_state.boots++;
    if (boot_state.boots == 1) {
        serial_puts("boot 1: breaking a contract\r\n");
        serial_drain();
    } else {
        serial_puts("boot 2: running\r\n");
    }
#if defined(PROBE_GPIO)
    if (boot_state.boots == 1)
        gpio_write((struct gpio_pin){ 'Z', 0 }, true);
#elif defined(PROBE_I2C_INSTANCE)
    if (boot_state.boots == 1) {
        static const struct stm32_i2c_config i2c4 = { 4, 100000U, { 'B', 8 }, { 'B', 9 }, 4, NULL };
        static struct stm32_i2c_bus bus;
        (void)stm32_i2c_init(&bus, &i2c4);
    }
#elif defined(PROBE_I2C_PRIMASK) || defined(PROBE_I2C_BASEPRI)
    if (boot_state.boots == 1) {
        static const uint8_t display_off[] = { 0x00, 0xAE }; /* SSD1306: command, DISPLAY OFF */
#ifdef PROBE_I2C_PRIMASK
        (void)cpu_irq_lock();
#else
        __set_BASEPRI(CPU_PRIO_HW(HAL_IRQ_PRIO));
#endif
        (void)i2c_write(board_display_bus(), 0x3C, display_off, sizeof display_off);
    }
#else
    QUARTZ_ASSERT(boot_state.boots != 1); /* PROBE_LINE */
#endif
    if (boot_state.boots == 1)
        serial_puts("boot 1: the assertion did not stop the firmware\r\n");
    for (;;)
        __WFI();
}
