/*
 * The backup HAL (quartz/hal/backup.h) on quartz-sim. Boot 1 enables the
 * backup SRAM through the port, writes a pattern into every word and
 * resets (SYSRESETREQ); boot 2 enables it again and counts the words that
 * kept the pattern, then opens the sensor node's record (store.c) on the
 * RAM (fresh: the pattern is no record), takes seqs, buffers a reading and
 * resets again; boot 3 finds the record and the next seq. PWR_CR/PWR_CSR
 * are read with their RM0390 5.4 addresses; test_backup_hal.c judges the
 * printed values.
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "quartz/hal/backup.h"
#include "probe_hex.h"
#include "quartz/hal/serial.h"
#include "store.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define PWR_CR REG(0x40007000u)
#define PWR_CSR REG(0x40007004u)
#define SCB_AIRCR REG(0xE000ED0Cu)
#define BOOT_MAGIC 0x42484C31u

static struct {
    uint32_t magic, boots;
} boot_state __attribute__((section(".noinit")));


static uint32_t pattern(uint32_t i)
{
    return 0x9E3779B9u * (i + 1u);
}

static void show(const char *boot, const struct backup_ram *b, int rc)
{
    serial_puts(boot);
    probe_hex("enable ", (uint32_t)rc);
    probe_hex("base ", (uint32_t)(uintptr_t)b->base);
    probe_hex("size ", (uint32_t)b->size);
    probe_hex("DBP ", (PWR_CR >> 8) & 1u);
    probe_hex("BRE BRR ", ((PWR_CSR >> 9) & 1u) << 4 | ((PWR_CSR >> 3) & 1u));
}

int main(void)
{
    if (boot_state.magic != BOOT_MAGIC) {
        boot_state.magic = BOOT_MAGIC;
        boot_state.boots = 0;
    }
    boot_state.boots++;
    struct backup_ram b = { 0 };
    int rc = backup_ram_enable(&b);
    volatile uint32_t *w = b.base;
    uint32_t words = (uint32_t)(b.size / 4u);
    if (boot_state.boots == 1) {
        show("boot 1: ", &b, rc);
        for (uint32_t i = 0; i < words; i++)
            w[i] = pattern(i);
        uint32_t kept = 0;
        for (uint32_t i = 0; i < words; i++)
            kept += w[i] == pattern(i);
        probe_hex("boot 1: words written ", kept);
        serial_drain();
        SCB_AIRCR = 0x05FA0004u; /* VECTKEY | SYSRESETREQ (ARMv7-M B3.2.6) */
        for (;;) {
        }
    }
    if (boot_state.boots == 2) {
        show("boot 2: ", &b, rc);
        uint32_t kept = 0;
        for (uint32_t i = 0; i < words; i++)
            kept += w[i] == pattern(i);
        probe_hex("boot 2: words kept ", kept);
        struct store st;
        probe_hex("boot 2: store open ", (uint32_t)store_open(&st, b.base, b.size, NULL));
        probe_hex("boot 2: first seq ", store_seq_take(&st));
        probe_hex("boot 2: second seq ", store_seq_take(&st));
        struct reading r = { .seq = store_seq_take(&st), .uptime_ms = 1234, .t_mc = 21530, .flags = READING_SENSOR_OK };
        probe_hex("boot 2: push ", (uint32_t)store_push(&st, &r));
        serial_drain();
        SCB_AIRCR = 0x05FA0004u;
        for (;;) {
        }
    }
    struct store st;
    probe_hex("boot 3: store open ", (uint32_t)store_open(&st, b.base, b.size, NULL));
    probe_hex("boot 3: buffered ", store_count(&st));
    struct reading r = { 0 };
    probe_hex("boot 3: get ", (uint32_t)store_get(&st, 0, &r));
    probe_hex("boot 3: buffered seq ", r.seq);
    probe_hex("boot 3: buffered t ", (uint32_t)r.t_mc);
    probe_hex("boot 3: next seq ", store_seq_take(&st));
    serial_puts("backup-hal done\r\n");
    serial_drain();
    for (;;)
        __WFI();
}
