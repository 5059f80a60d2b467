/*
 * FLASH programming probe, written from RM0390 section 3 (3.5 program and
 * erase sequences, 3.8 registers, table 4 sectors) with its own register
 * addresses. It uses sector 7 (0x08060000, 128 KB), far above the image.
 * Each line it prints is judged by test_flash.c against the manual.
 */
#include <stdint.h>

#include "cortex_m/intrinsics.h"
#include "probe_hex.h"
#include "quartz/hal/serial.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define FLASH_KEYR REG(0x40023C04u)
#define FLASH_SR REG(0x40023C0Cu)
#define FLASH_CR REG(0x40023C10u)
#define DWT_CYCCNT REG(0xE0001004u)
#define SECTOR7 0x08060000u
#define CELL(off) (*(volatile uint32_t *)(SECTOR7 + (off)))

#define SR_BSY (1u << 16)
#define SR_ERRORS 0x1F2u /* OPERR, WRPERR, PGAERR, PGPERR, PGSERR, RDERR (3.8.4) */
#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_SNB7 (7u << 3)
#define CR_PSIZE_X32 (2u << 8)
#define CR_STRT (1u << 16)

#define BOOT_MAGIC 0x464C5348u /* "FLSH" */
static struct {
    uint32_t magic, boots;
} boot_state __attribute__((section(".noinit")));


/* The cell read in a function of its own: a later translated block than the
 * store's (quartz-sim puts a refused store right at the next block). */
static __attribute__((noinline)) void put_cell(const char *label, uint32_t off)
{
    probe_hex(label, CELL(off));
}

/* Bounded: the longest operation here, a 128 KB erase, takes 1 s typ (2 s max at x8). */
static uint32_t wait_idle(void)
{
    uint32_t start = DWT_CYCCNT;
    for (uint32_t i = 0; i < 100000000u && (FLASH_SR & SR_BSY); i++) {
    }
    return DWT_CYCCNT - start;
}

static uint32_t busy_polls;

/* Cycles from STRT until BSY clears, and the polls of BSY meanwhile: the
 * CPU runs from flash, so its fetches wait for the erase (RM0390 3.5: a
 * read of the array during an operation stalls the bus) and it polls a
 * few times at most, not for a whole second. */
static uint32_t erase_sector7(void)
{
    FLASH_CR = CR_SER | CR_SNB7 | CR_PSIZE_X32;
    uint32_t start = DWT_CYCCNT;
    FLASH_CR = CR_SER | CR_SNB7 | CR_PSIZE_X32 | CR_STRT;
    for (busy_polls = 0; busy_polls < 100000000u && (FLASH_SR & SR_BSY); busy_polls++) {
    }
    uint32_t cycles = DWT_CYCCNT - start;
    FLASH_CR = 0;
    return cycles;
}

static void program(uint32_t off, uint32_t word)
{
    FLASH_CR = CR_PG | CR_PSIZE_X32;
    CELL(off) = word;
    (void)wait_idle();
    FLASH_CR = 0;
}

static int call_sector7(void)
{
    int (*fn)(void) = (int (*)(void))(SECTOR7 | 1u); /* Thumb */
    return fn();
}

/* The same code through flash's alias at 0 (BOOT0 low, RM0390 2.4). */
static int call_sector7_alias(void)
{
    int (*fn)(void) = (int (*)(void))((SECTOR7 - 0x08000000u) | 1u);
    return fn();
}

static __attribute__((noreturn)) void probe(void)
{
    probe_hex("blank cell ", CELL(0));
    CELL(0) = 0x12345678u; /* locked, PG clear: refused with PGSERR */
    put_cell("cell after a locked store ", 0);
    probe_hex("SR after a locked store ", FLASH_SR);
    FLASH_SR = SR_ERRORS;
    FLASH_KEYR = 0x45670123u;
    FLASH_KEYR = 0xCDEF89ABu;
    probe_hex("CR unlocked ", FLASH_CR);

    program(0, 0x4770202Au); /* movs r0, #42; bx lr */
    probe_hex("programmed cell ", CELL(0));
    probe_hex("call 1 returns ", (uint32_t)call_sector7());
    probe_hex("alias call 1 returns ", (uint32_t)call_sector7_alias());
    program(4, 0xFFFF00FFu);
    program(4, 0x00FFFFFFu); /* 1s over 0s stay 0 */
    probe_hex("cell 4 after two programs ", CELL(4));

    probe_hex("erase cycles ", erase_sector7());
    probe_hex("BSY polls during the erase ", busy_polls);
    probe_hex("cell after erase ", CELL(0));
    probe_hex("SR after erase ", FLASH_SR);
    program(0, 0x47702007u); /* movs r0, #7; bx lr: the old translation must go */
    probe_hex("alias call 2 returns ", (uint32_t)call_sector7_alias()); /* old code through the alias? */
    probe_hex("call 2 returns ", (uint32_t)call_sector7());

    FLASH_CR = 1u << 31; /* LOCK */
    probe_hex("CR locked ", FLASH_CR);
    /* A wrong key: "a bus error ... and lock up FLASH_CR until the next
     * reset" (3.5.1). The runtime's fault handler records the BusFault and
     * resets; board_init prints the record at the next boot. */
    serial_puts("wrong key next\r\n");
    serial_drain();
    FLASH_KEYR = 0x45670123u;
    FLASH_KEYR = 0x11111111u;
    (void)FLASH_SR; /* the imprecise fault arrives by the end of this block */
    serial_puts("no bus error\r\n");
    for (;;)
        __WFI();
}

static __attribute__((noreturn)) void boot2(void)
{
    probe_hex("boot 2 CR ", FLASH_CR);
    FLASH_KEYR = 0x45670123u; /* the reset ended the lock-up */
    FLASH_KEYR = 0xCDEF89ABu;
    probe_hex("boot 2 CR after the keys ", FLASH_CR);
    probe_hex("boot 2 cell ", CELL(0)); /* flash keeps its content over a reset */
    serial_puts("flash probe done\r\n");
    for (;;)
        __WFI();
}

int main(void)
{
    if (boot_state.magic != BOOT_MAGIC) {
        boot_state.magic = BOOT_MAGIC;
        boot_state.boots = 0;
    }
    if (++boot_state.boots > 1)
        boot2();
    probe();
}
