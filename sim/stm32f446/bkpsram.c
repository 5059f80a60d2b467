/*
 * Backup SRAM: 4 KB at 0x40024000 on AHB1 (RM0390 2.3 memory map, 5.1.2
 * "Battery backup domain"). Reads and writes need its bus clock
 * (RCC_AHB1ENR.BKPSRAMEN, gated by the core like every peripheral); writes
 * also need the backup domain's write protection lifted (PWR_CR.DBP):
 * without it they are ignored, and the report says so once.
 *
 * Retention: the backup domain is not touched by a system reset (the reset
 * pin, SYSRESETREQ, a watchdog: RM0390 6.1.2), so the content survives
 * every reset of a run. A run starts at power-on without VBAT, where the
 * content is undefined: the model fills it with a fixed pseudo-random
 * pattern instead of zeros, so firmware that trusts it without a checksum
 * shows up in tests and a run stays deterministic.
 */
#include <string.h>

#include "f446.h"
#include "regio.h"

#define PWR_CR_DBP BIT(8)

static uint32_t bkpsram_read(void *dev, uint32_t offset, unsigned size)
{
    struct bkpsram *b = dev;
    uint32_t v = 0;
    memcpy(&v, &b->mem[offset], size); /* little-endian host, as the core */
    return v;
}

static void bkpsram_write(void *dev, uint32_t offset, uint32_t value, unsigned size)
{
    struct bkpsram *b = dev;
    if (!(b->chip->pwr.CR & PWR_CR_DBP)) {
        b->ignored_writes++;
        sim_warn(b->chip->sim, "BKPSRAM: write with PWR_CR.DBP clear is ignored (RM0390 5.1.2)");
        return;
    }
    memcpy(&b->mem[offset], &value, size);
}

const struct sim_mmio_ops bkpsram_ops = {bkpsram_read, bkpsram_write, NULL};

/* Power-on content: xorshift32 from a fixed seed (see above). */
void bkpsram_power_on(struct bkpsram *b)
{
    uint32_t x = 0x9E3779B9u;
    for (size_t i = 0; i < sizeof b->mem; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        memcpy(&b->mem[i], &x, 4);
    }
    b->ignored_writes = 0;
}
