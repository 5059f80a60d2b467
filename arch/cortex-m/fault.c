/*
 * Fault record: filled by fault_save() (entered from fault_entry.S with a
 * safe stack) or quartz_assert_fail() (a broken contract), kept in .noinit
 * RAM across the SYSRESETREQ reset, read back by fault_take() on the next
 * boot.
 */
#include <stddef.h>
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/fault.h"
#include "cortex_m/intrinsics.h"
#include "cortex_m/nvic.h"
#include "quartz/assert.h"
#include "quartz/cpu.h"

#define FAULT_MAGIC 0xFA017EC0UL

/* Bounds of SRAM from the chip's linker script (MEMORY RAM). */
extern uint32_t __ram_start[];
extern uint32_t __ram_end[];

static struct fault_record fault_last __attribute__((section(".noinit")));

__attribute__((noreturn)) void fault_save(uint32_t frame, uint32_t exc_return);

static uint32_t fault_checksum(const struct fault_record *r)
{
    const uint32_t *w = (const uint32_t *)r;
    uint32_t sum = 0;
    for (size_t i = 0; i < offsetof(struct fault_record, check) / sizeof(uint32_t); i++)
        sum += w[i];
    return ~sum;
}

void fault_save(uint32_t frame, uint32_t exc_return)
{
    struct fault_record *r = &fault_last;
    uint32_t ram_lo = (uint32_t)__ram_start;
    uint32_t ram_hi = (uint32_t)__ram_end;

    r->exception = __get_IPSR() & 0x1FFU;
    r->exc_return = exc_return;
    r->sp = frame;
    r->flags = (exc_return & 4U) ? FAULT_PSP : 0U;
    /* Read the frame only when all 8 words are in SRAM: reading below SRAM
     * after an overflow would fault again inside the fault handler (lockup). */
    if (frame >= ram_lo && frame <= ram_hi - 32U && (frame & 3U) == 0U) {
        const volatile uint32_t *f = (const volatile uint32_t *)frame;
        r->r0 = f[0];
        r->r1 = f[1];
        r->r2 = f[2];
        r->r3 = f[3];
        r->r12 = f[4];
        r->lr = f[5];
        r->pc = f[6];
        r->xpsr = f[7];
        r->flags |= FAULT_FRAME_VALID;
    } else {
        r->r0 = r->r1 = r->r2 = r->r3 = r->r12 = r->lr = r->pc = r->xpsr = 0;
    }
    r->cfsr = SCB->CFSR;
    r->hfsr = SCB->HFSR;
    r->mmfar = SCB->MMFAR;
    r->bfar = SCB->BFAR;
    r->assert_where = 0;
    r->magic = FAULT_MAGIC;
    r->check = fault_checksum(r);
    nvic_system_reset();
}

/*
 * A failed QUARTZ_ASSERT. Interrupts off first (PRIMASK, B5.2.1): nothing
 * else runs on the broken state. There is no exception frame; `pc` is the
 * return address of this call (just after the failed check), `sp` the
 * caller's stack pointer.
 */
void quartz_assert_fail(uint32_t where)
{
    (void)cpu_irq_lock();
    struct fault_record *r = &fault_last;
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    r->exception = __get_IPSR() & 0x1FFU;
    r->flags = FAULT_ASSERT;
    r->exc_return = 0;
    r->sp = sp;
    r->r0 = r->r1 = r->r2 = r->r3 = r->r12 = r->xpsr = 0;
    r->lr = 0;
    r->pc = (uint32_t)__builtin_return_address(0);
    r->cfsr = r->hfsr = r->mmfar = r->bfar = 0;
    r->assert_where = where;
    r->magic = FAULT_MAGIC;
    r->check = fault_checksum(r);
    nvic_system_reset();
}

bool fault_take(struct fault_record *out)
{
    struct fault_record *r = &fault_last;
    bool valid = r->magic == FAULT_MAGIC && r->check == fault_checksum(r);
    if (valid)
        *out = *r;
    r->magic = 0;
    r->check = 0;
    return valid;
}

const char *fault_exception_name(uint32_t exception)
{
    switch (exception) {
    case 0: return "thread";
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 11: return "SVCall";
    case 12: return "DebugMonitor";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return exception >= 16 ? "IRQ" : "reserved";
    }
}
