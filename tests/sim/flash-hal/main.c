/*
 * The flash HAL (quartz/hal/flash.h) on quartz-sim: each line printed is a
 * result that test_flash_hal.c judges against RM0390 section 3 and the
 * interface's contract. It works in the chip's last sector, found through
 * flash_layout(), far above this image. The controller's own registers
 * are read with their RM0390 3.8 addresses, not through the port.
 */
#include <stdint.h>
#include <string.h>

#include "cortex_m/intrinsics.h"
#include "quartz/hal/flash.h"
#include "probe_hex.h"
#include "quartz/hal/serial.h"
#include "config.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define FLASH_KEYR REG(0x40023C04u)
#define FLASH_SR REG(0x40023C0Cu)
#define FLASH_CR REG(0x40023C10u)
#define DWT_CYCCNT REG(0xE0001004u)


static void put_rc(const char *label, int rc)
{
    probe_hex(label, (uint32_t)rc);
}

/* Words of the sector that do not read as erased. */
static uint32_t unerased_words(uint32_t addr, uint32_t size)
{
    uint32_t n = 0;
    for (uint32_t off = 0; off < size; off += 4)
        if (*(const volatile uint32_t *)(addr + off) != 0xFFFFFFFFu)
            n++;
    return n;
}

static const uint32_t record[6] = { 0x51A27001u, 1, 0x00002710u, 0xDEADBEEFu, 0x12345678u, 0x0000FFFFu };

int main(void)
{
    const struct flash_layout *l = flash_layout();
    unsigned last = l->count - 1u;
    uint32_t base = l->sectors[last].addr, size = l->sectors[last].size;
    probe_hex("sectors ", l->count);
    probe_hex("last sector at ", base);
    probe_hex("last sector size ", size);
    probe_hex("program unit ", l->program_unit);
    probe_hex("erased byte ", l->erased);
    put_rc("sector of last base ", flash_sector_of(base + size - 1u));
    put_rc("sector of array end ", flash_sector_of(base + size));

    /* Something to erase first, so the erase has work to show. */
    put_rc("first program ", flash_program(base + 64u, record, sizeof record));
    uint32_t start = DWT_CYCCNT;
    int rc = flash_erase_sector(last);
    uint32_t cycles = DWT_CYCCNT - start;
    put_rc("erase ", rc);
    probe_hex("erase cycles ", cycles);
    probe_hex("unerased words after erase ", unerased_words(base, size));
    probe_hex("CR after erase ", FLASH_CR);

    put_rc("program record ", flash_program(base, record, sizeof record));
    uint32_t back[6];
    put_rc("read record ", flash_read(base, back, sizeof back));
    probe_hex("record matches ", memcmp(back, record, sizeof record) == 0);
    probe_hex("CR after program ", FLASH_CR);
    probe_hex("unerased words after program ", unerased_words(base, size));

    /* A 1 over a programmed 0 cannot be written: the cell keeps the AND. */
    uint32_t over = 0xFFFF0000u; /* over 0x12345678 at word 4 */
    put_rc("program over programmed bits ", flash_program(base + 16u, &over, sizeof over));
    probe_hex("cell after program over ", *(const volatile uint32_t *)(base + 16u));

    /* Arguments refused before the hardware is touched. */
    uint32_t w = 0;
    put_rc("unaligned address ", flash_program(base + 26u, &w, 4));
    put_rc("unaligned length ", flash_program(base + 24u, &w, 3));
    put_rc("past the array ", flash_program(base + size, &w, 4));
    put_rc("crossing the end ", flash_program(base + size - 4u, record, 8));
    put_rc("below the array ", flash_program(0x07FFFFFCu, &w, 4));
    put_rc("no such sector ", flash_erase_sector(l->count));
    put_rc("read past the array ", flash_read(base + size - 4u, back, 8));
    probe_hex("word 6 after refusals ", *(const volatile uint32_t *)(base + 24u));
    probe_hex("word 7 after refusals ", *(const volatile uint32_t *)(base + 28u));

    /* A stray store with CR locked: refused by the controller (PGSERR);
     * the next call clears the stale flag and programs. */
    *(volatile uint32_t *)(base + 32u) = 0;
    probe_hex("SR after a stray store ", FLASH_SR);
    probe_hex("cell after a stray store ", *(const volatile uint32_t *)(base + 32u));
    uint32_t data = 0xA5A5A5A5u;
    put_rc("program after a stray store ", flash_program(base + 32u, &data, 4));
    probe_hex("cell after the program ", *(const volatile uint32_t *)(base + 32u));
    probe_hex("SR after the program ", FLASH_SR);

    /* CR left unlocked by someone else: the port must not write the keys
     * again (a wrong sequence, a bus error, RM0390 3.5.1). */
    FLASH_KEYR = 0x45670123u;
    FLASH_KEYR = 0xCDEF89ABu;
    probe_hex("CR unlocked by hand ", FLASH_CR);
    data = 0x0F0F0F0Fu;
    put_rc("program with CR unlocked ", flash_program(base + 36u, &data, 4));
    probe_hex("CR after that ", FLASH_CR);

    /* Source bytes at an odd address. */
    static uint8_t bytes[9] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    put_rc("program from unaligned data ", flash_program(base + 40u, &bytes[1], 8));
    probe_hex("word 10 ", *(const volatile uint32_t *)(base + 40u));
    probe_hex("word 11 ", *(const volatile uint32_t *)(base + 44u));
    put_rc("empty program ", flash_program(base + 48u, &w, 0));

    /* The node's config record on the same sector: slot 0 holds the words
     * above (no record), so load gives the defaults and save takes slot 1. */
    static const struct config defaults = { .broker_ip = { 10, 0, 2, 2 }, .broker_port = 1883, .interval_s = 10,
                                            .name = "node" };
    struct config got, c = defaults;
    put_rc("config load empty ", config_load(&got, &defaults, last));
    c.interval_s = 60;
    c.broker_port = 8883;
    put_rc("config save ", config_save(&c, last));
    put_rc("config load after the save ", config_load(&got, &defaults, last));
    probe_hex("config interval ", got.interval_s);
    probe_hex("config port ", got.broker_port);
    probe_hex("config slot 1 magic ", *(const volatile uint32_t *)(base + CONFIG_SLOT_BYTES));
    probe_hex("CR after config ", FLASH_CR);
    serial_puts("flash-hal done\r\n");
    serial_drain();
    for (;;)
        __WFI();
}
