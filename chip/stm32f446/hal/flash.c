/*
 * quartz/hal/flash.h on the STM32F446's 512 KB main array (RM0390 section 3).
 *
 * Sequences of RM0390 3.5: check BSY, unlock CR with KEY1 then KEY2
 * (3.5.1; a key written while CR is unlocked is a wrong sequence, a bus
 * error and a lock-up until reset, so the keys go only to a locked CR), set
 * the parallelism, erase with SER/SNB/STRT (3.5.3) or program with PG and
 * one word store per word (3.5.4), wait for BSY to clear, read the error
 * flags, and lock CR again (on every path but a timeout, see lock()).
 *
 * Parallelism x32 (PSIZE = 2): RM0390 3.5.2 table 7 for VDD 2.7..3.6 V, the
 * Nucleo's 3.3 V. A board running below 2.7 V would need x16 or x8 and
 * longer bounds.
 *
 * Wait bounds are the maximum times of DS10693's "Flash memory programming"
 * table at x32: t_prog 100 us per word, t_ERASE16KB 500 ms, t_ERASE64KB
 * 1100 ms, t_ERASE128KB 2 s, counted in core cycles (wait_idle), so the
 * bound holds although the tick stops while the CPU stalls on a flash
 * fetch during the erase (RM0390 3.5: a read of the array while BSY is set
 * stalls the bus until the operation ends).
 *
 * After each operation the ART accelerator's caches are flushed (RM0390
 * 3.4.2, FLASH_ACR DCRST/ICRST written with the caches off), so no line
 * fetched before an erase is served after it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cortex_m/core.h"
#include "quartz/cpu.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/flash.h"
#include "stm32_hal.h"
#include "stm32f446/regs.h"

#define KB 1024u
#define FLASH_KEY1 0x45670123u /* RM0390 3.8.3 */
#define FLASH_KEY2 0xCDEF89ABu
#define PSIZE_X32 (2u << FLASH_CR_PSIZE_Pos)
#define SR_ERRORS (FLASH_SR_OPERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_PGPERR | FLASH_SR_PGSERR | \
                   FLASH_SR_RDERR)
#define PROGRAM_MAX_US 100u    /* t_prog max */
#define IDLE_MAX_US 2000000u  /* an operation left running: at most the longest sector erase */

/* RM0390 3.3 table 4: sectors 0-3 of 16 KB, 4 of 64 KB, 5-7 of 128 KB. */
static const struct flash_sector sectors[] = {
    { 0x08000000u, 16 * KB },  { 0x08004000u, 16 * KB },  { 0x08008000u, 16 * KB },  { 0x0800C000u, 16 * KB },
    { 0x08010000u, 64 * KB },  { 0x08020000u, 128 * KB }, { 0x08040000u, 128 * KB }, { 0x08060000u, 128 * KB },
};
#define SECTORS (sizeof sectors / sizeof sectors[0])
#define ARRAY_START 0x08000000u
#define ARRAY_END 0x08080000u

static const struct flash_layout layout = {
    .sectors = sectors,
    .count = SECTORS,
    .program_unit = 4, /* one x32 word */
    .erased = 0xFF,
};

static volatile bool busy;

const struct flash_layout *flash_layout(void)
{
    return &layout;
}

static uint32_t erase_max_us(uint32_t size)
{
    if (size <= 16 * KB)
        return 500000u;
    return size <= 64 * KB ? 1100000u : 2000000u;
}

static bool claim(void)
{
    uint32_t key = cpu_irq_lock();
    bool was = busy;
    busy = true;
    cpu_irq_unlock(key);
    return !was;
}

/*
 * BSY polled within `us` microseconds counted in core cycles (DWT CYCCNT,
 * which counts on while the CPU stalls on a flash fetch). Not stm32_wait:
 * its uptime clause moves in whole ticks (10 ms at the board's 100 Hz), so
 * a bound shorter than a tick could end as soon as it starts. A poll counts
 * at least one cycle, so a stopped counter still ends the wait.
 */
static int wait_idle(uint32_t us)
{
    uint64_t budget = (uint64_t)us * (clock_hclk_hz() / 1000000u), spent = 0;
    uint32_t last = DWT->CYCCNT;
    while (FLASH->SR & FLASH_SR_BSY) {
        uint32_t now = DWT->CYCCNT, step = now - last;
        last = now;
        spent += step ? step : 1u;
        if (spent > budget)
            return -ETIMEDOUT;
    }
    return 0;
}

/* The error flags of the last operation, cleared (write 1, RM0390 3.8.4). */
static int take_errors(void)
{
    uint32_t sr = FLASH->SR & SR_ERRORS;
    FLASH->SR = sr;
    if (sr & FLASH_SR_WRPERR)
        return -EPERM; /* the sector is write-protected (nWRP, RM0390 3.6.4) */
    return sr ? -EIO : 0;
}

/* Idle, stale flags cleared (a stray store leaves PGSERR), CR unlocked. */
static int begin(void)
{
    if (wait_idle(IDLE_MAX_US) != 0)
        return -ETIMEDOUT;
    (void)take_errors();
    if (FLASH->CR & FLASH_CR_LOCK) {
        FLASH->KEYR = FLASH_KEY1;
        FLASH->KEYR = FLASH_KEY2;
    }
    return (FLASH->CR & FLASH_CR_LOCK) ? -EPERM : 0;
}

static void flush_caches(void)
{
    uint32_t acr = FLASH->ACR;
    FLASH->ACR = acr & ~(FLASH_ACR_ICEN | FLASH_ACR_DCEN);
    FLASH->ACR = (acr & ~(FLASH_ACR_ICEN | FLASH_ACR_DCEN)) | FLASH_ACR_ICRST | FLASH_ACR_DCRST;
    FLASH->ACR = acr & ~(FLASH_ACR_ICRST | FLASH_ACR_DCRST);
}

/* PG/SER cleared and CR locked in one write. Not while BSY is still set
 * after a timeout: a write to CR then stalls the bus until the operation
 * ends (RM0390 3.5), which is the unbounded wait this port never runs. The
 * next call finds CR unlocked and rewrites it whole. */
static void lock(void)
{
    if (FLASH->SR & FLASH_SR_BSY)
        return;
    FLASH->CR = FLASH_CR_LOCK;
    flush_caches();
}

static int end(int rc)
{
    lock();
    busy = false;
    return rc;
}

int flash_erase_sector(unsigned sector)
{
    if (sector >= SECTORS)
        return -EINVAL;
    if (!claim())
        return -EBUSY;
    int rc = begin();
    if (rc != 0)
        return end(rc);
    uint32_t cr = PSIZE_X32 | FLASH_CR_SER | (sector << FLASH_CR_SNB_Pos);
    FLASH->CR = cr;
    FLASH->CR = cr | FLASH_CR_STRT;
    rc = wait_idle(erase_max_us(sectors[sector].size));
    if (rc == 0)
        rc = take_errors();
    return end(rc);
}

static bool in_array(uint32_t addr, size_t len)
{
    return addr >= ARRAY_START && addr <= ARRAY_END && len <= ARRAY_END - addr;
}

int flash_program(uint32_t addr, const void *data, size_t len)
{
    if ((addr | len) % layout.program_unit != 0 || !in_array(addr, len))
        return -EINVAL;
    if (len == 0)
        return 0;
    if (!claim())
        return -EBUSY;
    int rc = begin();
    const uint8_t *src = data;
    for (size_t off = 0; rc == 0 && off < len; off += 4) {
        uint32_t word;
        memcpy(&word, src + off, sizeof word); /* `data` may be unaligned */
        volatile uint32_t *cell = (volatile uint32_t *)(addr + off);
        FLASH->CR = PSIZE_X32 | FLASH_CR_PG;
        *cell = word;
        rc = wait_idle(PROGRAM_MAX_US);
        if (rc == 0)
            rc = take_errors();
    }
    /* Read back once the caches are flushed: a 1 over a programmed 0
     * stays 0, only an erase sets it (3.5.4). */
    lock();
    if (rc == 0 && memcmp((const void *)addr, data, len) != 0)
        rc = -EIO;
    busy = false;
    return rc;
}

int flash_read(uint32_t addr, void *buf, size_t len)
{
    if (!in_array(addr, len))
        return -EINVAL;
    memcpy(buf, (const void *)addr, len);
    return 0;
}
