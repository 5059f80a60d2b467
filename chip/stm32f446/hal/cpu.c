/* Thread-side sleep (ARMv7-M B5.2: PRIMASK, WFI); the lock is inline (quartz/cpu.h). */
#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "quartz/hal/cpu.h"

void cpu_sleep_locked(void)
{
    /* With PRIMASK set, an interrupt that becomes pending still ends WFI
     * (ARMv7-M B1.5.19), so a wake-up between the caller's check and the
     * sleep is never lost. */
    __DSB();
    __WFI();
}

void cpu_sleep_until_woken_locked(void)
{
    /* SLEEPONEXIT (ARMv7-M B1.5.19, B3.2.7): on return to thread mode the
     * core goes back to sleep instead of running thread code, until a
     * handler clears it (cpu_wake). Set under PRIMASK, so a waker that runs
     * between the caller's check and here is not lost: its pending
     * interrupt ends WFI, its handler runs on unlock and clears the bit. */
    SCB->SCR |= SCB_SCR_SLEEPONEXIT_Msk;
    __DSB();
    __WFI();
}

void cpu_wake(void)
{
    SCB->SCR &= ~SCB_SCR_SLEEPONEXIT_Msk;
}
