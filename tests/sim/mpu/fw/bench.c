/*
 * MPU speed bench image (tools/bench.d/mpu.sh): an unprivileged task that
 * works on its own 1 KB region and calls the kernel by SVC, a 1 kHz
 * SysTick whose handler updates privileged-only data. Built twice: with
 * BENCH_MPU the MPU is on (regions as an OS would set them: flash
 * read-only, SRAM for the task, a privileged-only kernel page, the
 * default map for privileged code), without it the MPU stays off. The
 * same work either way; the bench compares the simulator's speed.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"

#define AP_PRIV_RW 1u
#define AP_FULL 3u
#define AP_RO 6u

#ifdef BENCH_SHARED_PAGE
/* Variant: the kernel's data is a 256 B region in the 1 KB page that also
 * holds the task's data (regions smaller than a page, as an OS with small
 * regions places them). */
static uint32_t page[256] __attribute__((aligned(1024)));
#define task_data page
#define kernel_data (page + 192)
#define KERNEL_WORDS 64u
#define KERNEL_REGION_LOG2 8u
#define TASK_WORDS 192u
#else
static uint32_t task_data[256] __attribute__((aligned(1024)));
static uint32_t kernel_data[256] __attribute__((aligned(1024)));
#define KERNEL_WORDS 256u
#define KERNEL_REGION_LOG2 10u
#define TASK_WORDS 256u
#endif
static volatile uint32_t ticks, calls;

void SysTick_Handler(void)
{
    ticks++;
    kernel_data[ticks % KERNEL_WORDS] += ticks;
}

void SVC_Handler(void)
{
    calls++;
    kernel_data[calls % KERNEL_WORDS] ^= calls;
}

#ifdef BENCH_MPU
static uint32_t rasr(uint32_t size_log2, uint32_t ap, uint32_t xn)
{
    return xn << MPU_RASR_XN_Pos | ap << MPU_RASR_AP_Pos | (size_log2 - 1u) << MPU_RASR_SIZE_Pos |
           MPU_RASR_ENABLE;
}

static void region(uint32_t n, const volatile void *base, uint32_t attr)
{
    MPU->RBAR = (uint32_t)base | MPU_RBAR_VALID | n;
    MPU->RASR = attr;
}

static void mpu_setup(void)
{
    region(0, (const void *)0x08000000u, rasr(19, AP_RO, 0));
    region(1, (const void *)0x20000000u, rasr(17, AP_FULL, 1));
    region(2, kernel_data, rasr(KERNEL_REGION_LOG2, AP_PRIV_RW, 1));
    MPU->CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __DSB();
    __ISB();
}
#endif

int main(void)
{
    SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA_Msk;
#ifdef BENCH_MPU
    mpu_setup();
#endif
    SysTick->LOAD = 16000u - 1u; /* 1 kHz at the 16 MHz HSI */
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged task */
    for (;;) {
        for (uint32_t i = 0; i < TASK_WORDS; i++)
            task_data[i] = task_data[(i * 7u) % TASK_WORDS] + i;
        __asm volatile("svc #0" ::: "memory");
    }
}
