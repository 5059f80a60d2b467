/*
 * QUARTZ_ASSERT end to end: the first boot breaks a contract, which records
 * this file's id and the line in the fault record and resets; the second
 * boot's board_init() reports it on USART2. Built twice: assert-report
 * breaks its own contract below, assert-gpio (PROBE_GPIO) one of the HAL's
 * entry points (a GPIO port the chip does not have).
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "quartz/assert.h"
#include "quartz/hal/gpio.h"
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
#ifdef PROBE_GPIO
    if (boot_state.boots == 1)
        gpio_write((struct gpio_pin){ 'Z', 0 }, true);
#else
    QUARTZ_ASSERT(boot_state.boots != 1); /* PROBE_LINE */
#endif
    if (boot_state.boots == 1)
        serial_puts("boot 1: the assertion did not stop the firmware\r\n");
    for (;;)
        __WFI();
}
