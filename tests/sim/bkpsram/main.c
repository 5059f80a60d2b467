/*
 * Backup SRAM probe, written from RM0390 (2.3 memory map, 5.1.2 "Battery
 * backup domain", 5.4 PWR registers, 6.3.10/6.3.13 RCC enables), with its
 * own register addresses rather than quartz's headers. Boot 1 reads the
 * power-on content, shows that writes without PWR_CR.DBP are ignored and
 * that reads without BKPSRAMEN return 0, writes a record with DBP set,
 * enables the backup regulator and resets (SYSRESETREQ). Boot 2 prints
 * what survived. The host side (test_bkpsram.c) judges the printed values.
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "probe_hex.h"
#include "quartz/hal/serial.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_AHB1ENR REG(0x40023830u)
#define RCC_APB1ENR REG(0x40023840u)
#define PWR_CR REG(0x40007000u)
#define PWR_CSR REG(0x40007004u)
#define SCB_AIRCR REG(0xE000ED0Cu)
#define BKPSRAM ((volatile uint32_t *)0x40024000u)
#define BKPSRAM_WORDS 1024u

#define RCC_AHB1ENR_BKPSRAMEN (1u << 18)
#define RCC_APB1ENR_PWREN (1u << 28)
#define PWR_CR_DBP (1u << 8)
#define PWR_CSR_BRR (1u << 3)
#define PWR_CSR_BRE (1u << 9)
#define RECORD_MAGIC 0x424B5053u /* "BKPS" */

static struct {
    uint32_t magic, boots;
} boot_state __attribute__((section(".noinit")));


static void boot1(void)
{
    RCC_APB1ENR |= RCC_APB1ENR_PWREN;
    (void)RCC_APB1ENR;
    probe_hex("boot 1: gated read ", BKPSRAM[0]); /* no BKPSRAMEN yet */
    RCC_AHB1ENR |= RCC_AHB1ENR_BKPSRAMEN;
    (void)RCC_AHB1ENR;
    uint32_t first = BKPSRAM[0], last = BKPSRAM[BKPSRAM_WORDS - 1u];
    probe_hex("boot 1: power-on word 0 ", first);
    probe_hex("boot 1: power-on word 1023 ", last);
    BKPSRAM[0] = RECORD_MAGIC; /* DBP still clear: ignored */
    probe_hex("boot 1: after a write without DBP ", BKPSRAM[0]);
    PWR_CSR |= PWR_CSR_BRE; /* backup domain: ignored without DBP too */
    probe_hex("boot 1: PWR_CSR after BRE without DBP ", PWR_CSR & (PWR_CSR_BRE | PWR_CSR_BRR));
    PWR_CR |= PWR_CR_DBP;
    BKPSRAM[0] = RECORD_MAGIC;
    BKPSRAM[BKPSRAM_WORDS - 1u] = 0x00C0FFEEu;
    ((volatile uint8_t *)BKPSRAM)[5] = 0xA5u; /* byte lane inside word 1 */
    PWR_CSR |= PWR_CSR_BRE;
    probe_hex("boot 1: written word 0 ", BKPSRAM[0]);
    probe_hex("boot 1: PWR_CSR after BRE with DBP ", PWR_CSR & (PWR_CSR_BRE | PWR_CSR_BRR));
    serial_puts("boot 1: reset\r\n");
    serial_drain();
    SCB_AIRCR = 0x05FA0004u; /* VECTKEY | SYSRESETREQ (ARMv7-M B3.2.6) */
    for (;;) {
    }
}

static void boot2(void)
{
    /* A system reset cleared the enables and DBP (RM0390 6.3, 5.4.1). */
    probe_hex("boot 2: PWR_CR DBP ", PWR_CR & PWR_CR_DBP);
    RCC_APB1ENR |= RCC_APB1ENR_PWREN;
    RCC_AHB1ENR |= RCC_AHB1ENR_BKPSRAMEN;
    (void)RCC_AHB1ENR;
    probe_hex("boot 2: word 0 ", BKPSRAM[0]);
    probe_hex("boot 2: word 1 ", BKPSRAM[1]);
    probe_hex("boot 2: word 1023 ", BKPSRAM[BKPSRAM_WORDS - 1u]);
    probe_hex("boot 2: PWR_CSR ", PWR_CSR & (PWR_CSR_BRE | PWR_CSR_BRR));
    serial_puts("boot 2: done\r\n");
}

int main(void)
{
    if (boot_state.magic != RECORD_MAGIC) {
        boot_state.magic = RECORD_MAGIC;
        boot_state.boots = 0;
    }
    boot_state.boots++;
    if (boot_state.boots == 1)
        boot1();
    else
        boot2();
    for (;;)
        __WFI();
}
