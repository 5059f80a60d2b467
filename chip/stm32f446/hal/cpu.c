/* Thread-side interrupt lock and sleep (ARMv7-M B5.2: PRIMASK, WFI). */
#include "cortex_m/intrinsics.h"
#include "quartz/hal/cpu.h"

uint32_t cpu_irq_lock(void)
{
    uint32_t key = __get_PRIMASK();
    __disable_irq();
    return key;
}

void cpu_irq_unlock(uint32_t key)
{
    __set_PRIMASK(key);
}

void cpu_sleep_locked(void)
{
    /* With PRIMASK set, an interrupt that becomes pending still ends WFI
     * (ARMv7-M B1.5.19), so a wake-up between the caller's check and the
     * sleep is never lost. */
    __DSB();
    __WFI();
}
