/*
 * Fault evidence across a reset, end to end: the first boot reads an
 * address where the STM32F446 has nothing (0x10000000: CCM RAM on the F405,
 * reserved on the F446, RM0390 2.2.2 memory map), which is a precise
 * BusFault; the fault handler records it in .noinit and resets; the second
 * boot's board_init() prints the record on USART2.
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "quartz/hal/serial.h"

#define BOOTS_MAGIC 0x424F4F54u /* "BOOT" */
#define RESERVED_ADDRESS 0x10000000u

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
        serial_puts("boot 1: reading a reserved address\r\n");
        serial_drain();
        (void)*(volatile uint32_t *)RESERVED_ADDRESS;
        serial_puts("boot 1: the read did not fault\r\n");
    } else {
        serial_puts("boot 2: running\r\n");
    }
    for (;;)
        __WFI();
}
