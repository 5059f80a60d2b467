/*
 * FLASH interface (RM0390 section 3): ACR (3.8.1) and programming of the
 * 512 KB main array (3.5, registers 3.8.2-3.8.6). The option bytes
 * (OPTKEYR, OPTCR) are not programmable here: OPTCR reads the factory value.
 *
 * - KEYR: KEY1 then KEY2 unlocks CR; any other write locks CR until the
 *   next reset and answers with a bus error (3.5.1). CR.LOCK locks again.
 * - Program (3.5.4): with PG set, a CPU store of the PSIZE width programs
 *   the cells: 1 -> 0 only, so the result is the old content AND the data
 *   ("writing 1 requires an erase"). A store of another width sets PGPERR,
 *   one crossing a 128-bit row PGAERR, one without PG (or locked) PGSERR;
 *   none of them changes a cell.
 * - Erase (3.5.3): STRT with SER erases sector SNB (0-7: 4 x 16 KB, 64 KB,
 *   3 x 128 KB, table 4), with MER the whole array; both set: nothing.
 * - BSY for the operation's time (typical values of the STM32F446 datasheet's
 *   flash programming table, by parallelism); a CPU fetching from flash
 *   stalls meanwhile (sim_flash_stall_until). EOP (only with EOPIE) and
 *   OPERR (only with ERRIE) as 3.8.5 says; the FLASH interrupt (IRQ 4) is
 *   the enabled flags' OR.
 */
#include "f446.h"
#include "regio.h"

#define FLASH_BASE_ADDR 0x40023C00u
#define FLASH_IRQ 4
#define ACR_LATENCY_MASK 0xFu
#define ACR_MASK 0x00000707u /* LATENCY, PRFTEN, ICEN, DCEN; ICRST/DCRST read 0 */

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

#define SR_EOP BIT(0)
#define SR_OPERR BIT(1)
#define SR_WRPERR BIT(4)
#define SR_PGAERR BIT(5)
#define SR_PGPERR BIT(6)
#define SR_PGSERR BIT(7)
#define SR_RDERR BIT(8)
#define SR_BSY BIT(16)
#define SR_W1C (SR_EOP | SR_OPERR | SR_WRPERR | SR_PGAERR | SR_PGPERR | SR_PGSERR | SR_RDERR)
#define SR_ERRORS (SR_OPERR | SR_WRPERR | SR_PGAERR | SR_PGPERR | SR_PGSERR | SR_RDERR)

#define CR_PG BIT(0)
#define CR_SER BIT(1)
#define CR_MER BIT(2)
#define CR_SNB_POS 3
#define CR_PSIZE_POS 8
#define CR_STRT BIT(16)
#define CR_EOPIE BIT(24)
#define CR_ERRIE BIT(25)
#define CR_LOCK BIT(31)
#define CR_MASK (CR_PG | CR_SER | CR_MER | (0xFu << CR_SNB_POS) | (3u << CR_PSIZE_POS) | CR_STRT | CR_EOPIE | \
                 CR_ERRIE | CR_LOCK)

#define KB 1024u
#define SECTORS 8u
#define MS_PS SIM_PS_PER_MS

/* RM0390 table 4: sector start offsets and sizes of the 512 KB array. */
static const uint32_t sector_base[SECTORS] = { 0, 16 * KB, 32 * KB, 48 * KB, 64 * KB, 128 * KB, 256 * KB, 384 * KB };
static const uint32_t sector_size[SECTORS] = { 16 * KB, 16 * KB, 16 * KB, 16 * KB, 64 * KB, 128 * KB, 128 * KB, 128 * KB };

/* Typical times by PSIZE (x8, x16, x32, x64 taken as x32) from the
 * datasheet's flash programming table: t_prog, t_ERASE16KB, t_ERASE64KB,
 * t_ERASE128KB, t_ME. */
static uint64_t erase_ps(uint32_t size, unsigned psize)
{
    static const uint64_t ms16[4] = { 400, 300, 250, 250 }, ms64[4] = { 1200, 700, 550, 550 },
                          ms128[4] = { 2000, 1300, 1000, 1000 };
    if (size == 16 * KB)
        return ms16[psize] * MS_PS;
    return (size == 64 * KB ? ms64[psize] : ms128[psize]) * MS_PS;
}

static uint64_t mass_erase_ps(unsigned psize)
{
    static const uint64_t s_[4] = { 16, 11, 8, 8 };
    return s_[psize] * SIM_PS_PER_S;
}

#define PROGRAM_PS (16u * SIM_PS_PER_US) /* t_prog, any parallelism */

static void update_irq(struct flash_if *f)
{
    bool eop = (f->CR & CR_EOPIE) && (f->SR & SR_EOP);
    bool err = (f->CR & CR_ERRIE) && (f->SR & SR_ERRORS);
    sim_irq_set_level(f->chip->sim, FLASH_IRQ, eop || err);
}

static void set_error(struct flash_if *f, uint32_t flag)
{
    f->SR |= flag;
    if (f->CR & CR_ERRIE)
        f->SR |= SR_OPERR; /* "set only if error interrupts are enabled" (3.8.5) */
    f->errors++;
    update_irq(f);
}

/* The operation in progress ends: an erase takes effect now. */
static void op_done(sim_t *s, void *dev, uint32_t arg)
{
    (void)s;
    (void)arg;
    struct flash_if *f = dev;
    if (f->erase_len > 0) {
        static const uint8_t erased[1024] = { [0 ... 1023] = 0xFF };
        for (uint32_t off = 0; off < f->erase_len; off += sizeof erased)
            sim_flash_write(f->chip->sim, f->erase_base + off, erased, sizeof erased);
        f->erases++;
        f->erase_len = 0;
    }
    f->SR &= ~SR_BSY;
    f->CR &= ~CR_STRT;
    if (f->CR & CR_EOPIE)
        f->SR |= SR_EOP; /* "set only if EOPIE" (3.8.5) */
    update_irq(f);
}

static void op_start(struct flash_if *f, uint64_t duration_ps)
{
    sim_t *s = f->chip->sim;
    uint64_t due = sim_now_ps(s) + duration_ps;
    f->SR |= SR_BSY;
    sim_event_at(s, &f->op_end, due, op_done, f, 0);
    sim_flash_stall_until(s, due);
}

/* A store of the CPU to the array (sim_flash_set_store_hook). */
static void on_store(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct flash_if *f = dev;
    if (f->SR & SR_BSY)
        op_done(f->chip->sim, f, 0); /* reached from SRAM code: the bus waited for the operation */
    if ((f->CR & CR_LOCK) || !(f->CR & CR_PG)) {
        set_error(f, SR_PGSERR);
        return;
    }
    unsigned psize = (f->CR >> CR_PSIZE_POS) & 3u;
    if (size != (1u << psize)) { /* x64 needs a double word, which the CPU cannot store at once */
        set_error(f, SR_PGPERR);
        return;
    }
    if ((offset & 15u) + size > 16u) {
        set_error(f, SR_PGAERR);
        return;
    }
    uint32_t old = 0;
    sim_flash_read(f->chip->sim, offset, &old, size);
    uint32_t cells = old & value;
    sim_flash_write(f->chip->sim, offset, &cells, size);
    f->programs++;
    op_start(f, PROGRAM_PS);
}

static void start(struct flash_if *f)
{
    unsigned psize = (f->CR >> CR_PSIZE_POS) & 3u;
    bool ser = f->CR & CR_SER, mer = f->CR & CR_MER;
    if (ser == mer) { /* neither, or both: "neither sector nor mass erase" (3.5.3) */
        f->CR &= ~CR_STRT;
        return;
    }
    if (mer) {
        f->erase_base = 0;
        f->erase_len = 512u * KB;
        op_start(f, mass_erase_ps(psize));
        return;
    }
    unsigned snb = (f->CR >> CR_SNB_POS) & 0xFu;
    if (snb >= SECTORS) { /* 8-15: no such sector on the F446 (3.8.5 SNB "not allowed") */
        f->CR &= ~CR_STRT;
        set_error(f, SR_PGSERR);
        return;
    }
    f->erase_base = sector_base[snb];
    f->erase_len = sector_size[snb];
    op_start(f, erase_ps(sector_size[snb], psize));
}

void flash_check_latency(struct flash_if *f)
{
    /* RM0390 3.4.1 table 5, 2.7 V..3.6 V: 30 MHz per wait state. */
    uint32_t hclk = rcc_hclk_hz(&f->chip->rcc);
    uint32_t ws = f->ACR & ACR_LATENCY_MASK;
    if (hclk > (ws + 1u) * 30000000u)
        sim_warn(f->chip->sim,
                 "FLASH: LATENCY=%u wait states too few for HCLK %u Hz (RM0390 3.4.1 table 5 needs %u)",
                 ws, hclk, (hclk - 1u) / 30000000u);
}

static uint32_t flash_read(void *dev, uint32_t offset, unsigned size)
{
    struct flash_if *f = dev;
    uint32_t v;
    switch (offset & ~3u) {
    case 0x00: v = f->ACR; break;
    case 0x04: /* fall through: KEYR and OPTKEYR are write-only */
    case 0x08: v = 0; break;
    case 0x0C: v = f->SR; break;
    case 0x10: v = f->CR; break;
    case 0x14: v = 0x0FFFAAEDu; break; /* OPTCR: factory option bytes */
    default:
        sim_unmodeled(f->chip->sim, FLASH_BASE_ADDR + (offset & ~3u), false);
        return 0;
    }
    return regio_read_lane(v, offset, size);
}

static void write_keyr(struct flash_if *f, uint32_t value)
{
    if (!f->key_locked && (f->CR & CR_LOCK)) {
        if (!f->key1_seen && value == KEY1) {
            f->key1_seen = true;
            return;
        }
        if (f->key1_seen && value == KEY2) {
            f->key1_seen = false;
            f->CR &= ~CR_LOCK;
            return;
        }
    }
    /* A wrong sequence, or a key while unlocked: locked until reset, and a bus error. */
    f->key_locked = true;
    f->key1_seen = false;
    f->CR |= CR_LOCK;
    sim_warn(f->chip->sim, "FLASH: wrong KEYR sequence: CR locked until reset (RM0390 3.5.1)");
    sim_store_bus_error(f->chip->sim, FLASH_BASE_ADDR + 0x04u);
}

static void write_cr(struct flash_if *f, uint32_t value)
{
    if (f->CR & CR_LOCK)
        return; /* "write is not allowed" until unlocked (3.5.1) */
    if (f->SR & SR_BSY)
        op_done(f->chip->sim, f, 0); /* the bus waited for the operation */
    bool strt = (value & CR_STRT) && !(f->CR & CR_STRT);
    f->CR = (f->CR & CR_STRT) | (value & CR_MASK & ~CR_STRT);
    if (strt) {
        f->CR |= CR_STRT;
        start(f);
    }
    update_irq(f);
}

static void flash_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct flash_if *f = dev;
    uint32_t lane = regio_lane(&offset, &value, size);
    switch (offset) {
    case 0x00:
        f->ACR = regio_merge(f->ACR, value, lane & ACR_MASK);
        sim_set_flash_latency(f->chip->sim, f->ACR & ACR_LATENCY_MASK);
        flash_check_latency(f);
        break;
    case 0x04: write_keyr(f, value); break;
    case 0x0C:
        f->SR &= ~(value & lane & SR_W1C);
        update_irq(f);
        break;
    case 0x10: write_cr(f, regio_merge(f->CR, value, lane)); break;
    default: sim_unmodeled(f->chip->sim, FLASH_BASE_ADDR + offset, true); break;
    }
}

const struct sim_mmio_ops flash_ops = {flash_read, flash_write, NULL};

void flash_init(struct flash_if *f)
{
    sim_flash_set_store_hook(f->chip->sim, on_store, f);
}

void flash_reset(struct flash_if *f)
{
    f->ACR = 0;
    sim_set_flash_latency(f->chip->sim, 0);
    sim_event_cancel(f->chip->sim, &f->op_end);
    f->CR = CR_LOCK;
    f->SR = 0;
    f->key1_seen = f->key_locked = false;
    f->erase_len = 0;
    sim_irq_set_level(f->chip->sim, FLASH_IRQ, false);
}
