/*
 * MPU test image (ARMv7-M ARM DDI 0403E B3.5, PM0214 4.5; faults B3.2.15).
 * Each step programs regions, makes accesses and records what the
 * MemManage (or HardFault) handler saw; the handlers step over a faulting
 * load or store and return from a faulting call (IACCVIOL), so the steps
 * run in sequence. Region 0 is flash (read-only, executable) and region 1
 * SRAM (read/write, execute-never) where a step needs them; the buffers a
 * step protects are aligned to their region size, as B3.5.8 requires.
 */
#include <stdint.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "results.h"

#define MPU_RBAR_A1 (*(volatile uint32_t *)0xE000EDA4u)
#define MPU_RASR_A2 (*(volatile uint32_t *)0xE000EDB0u)
#define CFSR_IACCVIOL 0x01u
#define CFSR_MUNSTKERR 0x08u
#define CFSR_MLSPERR 0x20u
#define CFSR_MSTKERR 0x10u

/* AP encodings (B3.5.4, table B3-15) */
#define AP_NONE 0u
#define AP_PRIV_RW 1u
#define AP_PRIV_RW_USER_RO 2u
#define AP_FULL 3u
#define AP_PRIV_RO 5u
#define AP_RO 6u

volatile struct mpu_results res;
static volatile struct mpu_fault *volatile cur; /* where the handlers record */

static uint32_t ro_buf[8] __attribute__((aligned(32)));
static uint16_t ram_code[16] __attribute__((aligned(32)));
static uint32_t ov_buf[64] __attribute__((aligned(256)));
static uint32_t sub_area[512] __attribute__((aligned(2048)));
static uint32_t ur_buf[8] __attribute__((aligned(32)));
static uint32_t un_buf[8] __attribute__((aligned(32)));
static uint32_t stk_area[64] __attribute__((aligned(256)));
static uint64_t good_stack[32];
static uint32_t lazy_area[64] __attribute__((aligned(128)));
static volatile uint32_t saved_psp; /* the good frame, while the return uses a copy */
static uint32_t reconf_ram[256] __attribute__((aligned(1024)));
static const uint32_t reconf_flash[256] __attribute__((aligned(1024))) = {0x600DF00Du};
static uint32_t split_page[256] __attribute__((aligned(1024)));
static uint32_t moved_page[256] __attribute__((aligned(1024)));

static uint32_t rasr(uint32_t size_log2, uint32_t ap, uint32_t xn, uint32_t srd)
{
    return xn << MPU_RASR_XN_Pos | ap << MPU_RASR_AP_Pos | srd << MPU_RASR_SRD_Pos |
           (size_log2 - 1u) << MPU_RASR_SIZE_Pos | MPU_RASR_ENABLE;
}

static void region(uint32_t n, const volatile void *base, uint32_t attr)
{
    MPU->RBAR = (uint32_t)base | MPU_RBAR_VALID | n;
    MPU->RASR = attr;
}

static void region_off(uint32_t n)
{
    MPU->RNR = n;
    MPU->RASR = 0;
}

/* B3.5.1: DSB + ISB make MPU changes visible to the next instruction. */
static void mpu_on(uint32_t ctrl)
{
    MPU->CTRL = ctrl;
    __DSB();
    __ISB();
}

static uint32_t insn_len(uint32_t pc)
{
    uint16_t hw = *(const uint16_t *)pc;
    return (hw >> 11) >= 0x1D ? 4 : 2;
}

extern const char stk_resume[];

void mm_c(uint32_t *frame);
void mm_c(uint32_t *frame)
{
    uint32_t cfsr = SCB->CFSR;
    cur->count++;
    cur->cfsr = cfsr;
    cur->mmfar = SCB->MMFAR;
    SCB->CFSR = cfsr;
    if (cfsr & CFSR_MSTKERR) {
        /* The frame was not written: build one on a good stack that
         * resumes after the SVC (its caller saved what it needs). */
        uint32_t *f = (uint32_t *)&good_stack[24];
        for (int i = 0; i < 6; i++)
            f[i] = 0;
        f[6] = (uint32_t)stk_resume & ~1u;
        f[7] = 1u << 24;
        __set_PSP((uint32_t)f);
        return;
    }
    if (cfsr & CFSR_MUNSTKERR) {
        /* The return could not read the copy: return from the original. */
        __set_PSP(saved_psp);
        return;
    }
    cur->pc = frame[6];
    if (cfsr & CFSR_IACCVIOL)
        frame[6] = frame[5] & ~1u; /* back to the caller */
    else
        frame[6] += insn_len(frame[6]);
}

void hf_c(uint32_t *frame);
void hf_c(uint32_t *frame)
{
    cur->count++;
    cur->cfsr = SCB->CFSR;
    cur->hfsr = SCB->HFSR;
    cur->mmfar = SCB->MMFAR;
    cur->pc = frame[6];
    SCB->CFSR = SCB->CFSR;
    SCB->HFSR = SCB->HFSR;
    ro_buf[2] = 0x55u; /* HFNMIENA = 0: the MPU does not apply here */
    res.hardfault_write_ok = ro_buf[2] == 0x55u;
    frame[6] += insn_len(frame[6]);
}

__attribute__((noinline)) static uint32_t load(const volatile uint32_t *p) { return *p; }

void svc_c(const uint32_t *frame);
void svc_c(const uint32_t *frame)
{
    res.svc_count++;
    if (((const uint8_t *)frame[6])[-2] == 3) {
        res.handler_read_un = load(&un_buf[0]); /* Handler mode is privileged */
        __disable_irq();
        res.handler_primask = __get_PRIMASK();
        __enable_irq();
        return;
    }
    if (((const uint8_t *)frame[6])[-2] == 6) {
        region(3, reconf_flash, rasr(10, AP_PRIV_RO, 0, 0));
        __DSB();
        __ISB();
        return;
    }
    if (((const uint8_t *)frame[6])[-2] == 5) {
        /* The first FP instruction here preserves the caller's FP state
         * in the frame's reserved area (lazy stacking, FPCCR.LSPEN = 1). */
        __asm volatile("vmov.f32 s0, #1.0" ::: "s0");
        return;
    }
    if (((const uint8_t *)frame[6])[-2] == 4) {
        /* Return through a copy of the frame in a privileged-only region. */
        uint32_t *copy = &stk_area[32];
        for (int i = 0; i < 8; i++)
            copy[i] = frame[i];
        saved_psp = (uint32_t)frame;
        __set_PSP((uint32_t)copy);
        return;
    }
    __set_CONTROL(__get_CONTROL() & ~1u); /* back to privileged Thread mode */
}

#define FRAME_TO_R0 "tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n"
__attribute__((naked)) void MemManage_Handler(void) { __asm volatile(FRAME_TO_R0 "b mm_c\n"); }
__attribute__((naked)) void HardFault_Handler(void) { __asm volatile(FRAME_TO_R0 "b hf_c\n"); }
__attribute__((naked)) void SVC_Handler(void) { __asm volatile(FRAME_TO_R0 "b svc_c\n"); }

__attribute__((noinline)) static void store(volatile uint32_t *p, uint32_t v) { *p = v; }
static void step_registers(void)
{
    res.type = MPU->TYPE;
    MPU->RNR = 3;
    MPU->RBAR = 0x20001000u;
    res.rbar_plain = MPU->RBAR;
    MPU->RBAR = 0x20002000u | MPU_RBAR_VALID | 5u;
    res.rnr_after_valid = MPU->RNR;
    res.rbar_after_valid = MPU->RBAR;
    MPU->RASR = 0xFFFFFFFEu; /* all but ENABLE */
    res.rasr_all_ones = MPU->RASR;
    MPU_RBAR_A1 = 0x20003000u | MPU_RBAR_VALID | 2u;
    res.rnr_alias = MPU->RNR;
    MPU_RASR_A2 = 0x12345678u & ~1u;
    res.rasr_alias = MPU->RASR;
    for (uint32_t n = 0; n < 8; n++) {
        region_off(n);
        MPU->RBAR = 0;
    }
}

static void step_read_only(void)
{
    ro_buf[0] = 0x11223344u;
    region(2, ro_buf, rasr(5, AP_RO, 0, 0));
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    res.ro_read = load(&ro_buf[0]);
    cur = &res.ro_write;
    res.ro_write_addr = (uint32_t)&ro_buf[1];
    __asm volatile("mov r0, %0\n movs r1, #0x77\n"
                   ".global ro_store\nro_store:\n str r1, [r0]\n"
                   : : "r"(&ro_buf[1]) : "r0", "r1", "memory");
    extern const char ro_store[];
    res.ro_write_expected_pc = (uint32_t)ro_store & ~1u;
    res.ro_value_after = ro_buf[1];
}

typedef uint32_t (*ram_fn)(void);

/* A function in SRAM that returns `value`: movs r0, #value; bx lr. */
static ram_fn write_function(uint16_t *code, uint8_t value)
{
    code[0] = (uint16_t)(0x2000u | value);
    code[1] = 0x4770u;
    __DSB();
    __ISB();
    return (ram_fn)((uint32_t)code | 1u);
}

static void step_execute_never(void)
{
    ram_fn fn = write_function(ram_code, 42);
    res.xn_func = (uint32_t)ram_code;
    region(3, ram_code, rasr(5, AP_FULL, 0, 0));
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    res.xn_ok_result = fn();
    region(3, ram_code, rasr(5, AP_FULL, 1, 0));
    __DSB();
    __ISB();
    cur = &res.xn_call;
    (void)fn();
}

static void step_overlap(void)
{
    region(4, ov_buf, rasr(8, AP_FULL, 1, 0));
    region(5, ov_buf, rasr(5, AP_RO, 1, 0));
    __DSB();
    __ISB();
    cur = &res.overlap_high_ro;
    store(&ov_buf[0], 1);
    store(&ov_buf[16], 2);
    res.overlap_outer_written = ov_buf[16];
    region(4, ov_buf, rasr(5, AP_RO, 1, 0));
    region(5, ov_buf, rasr(8, AP_FULL, 1, 0));
    __DSB();
    __ISB();
    cur = &res.overlap_low_ro;
    store(&ov_buf[0], 3);
}

static void step_subregions(void)
{
    /* 2 KB, no access, subregion 2 (bytes 512-767) disabled */
    region(6, sub_area, rasr(11, AP_NONE, 1, 0x04u));
    __DSB();
    __ISB();
    cur = &res.sub_enabled;
    res.sub_addr_enabled = (uint32_t)&sub_area[70];
    (void)load(&sub_area[70]);
    cur = &res.sub_disabled;
    (void)load(&sub_area[130]);
    for (uint32_t n = 2; n < 8; n++)
        region_off(n);
}

static void base_regions(uint32_t flash_ap)
{
    region(0, (const void *)0x08000000u, rasr(19, flash_ap, 0, 0));
    region(1, (const void *)0x20000000u, rasr(17, AP_FULL, 1, 0));
}

static void step_no_default_map(void)
{
    base_regions(AP_RO);
    mpu_on(MPU_CTRL_ENABLE);
    volatile uint32_t *idr = (volatile uint32_t *)0x40020010u; /* GPIOA_IDR */
    res.periph_addr = (uint32_t)idr;
    cur = &res.nodef_periph;
    (void)load(idr);
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    uint32_t before = res.nodef_periph.count;
    (void)load(idr);
    res.def_periph_count = res.nodef_periph.count - before;
}

static void step_unprivileged(void)
{
    ur_buf[0] = 0xA5A5A5A5u;
    region(2, ur_buf, rasr(5, AP_PRIV_RW_USER_RO, 1, 0));
    region(3, un_buf, rasr(5, AP_PRIV_RW, 1, 0));
    res.unpriv_rw_addr = (uint32_t)&ur_buf[1];
    res.unpriv_no_addr = (uint32_t)&un_buf[0];
    __DSB();
    __ISB();
    un_buf[0] = 0x5A5A5A5Au;
    res.priv_read_un = load(&un_buf[0]); /* privileged: allowed */
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged Thread mode */
    /* Two reads of one 1 KB page, the first allowed, the second not, with
     * nothing in between: the second must fault all the same. */
    res.unpriv_read = load(&ur_buf[0]);
    cur = &res.unpriv_read_denied;
    (void)load(&un_buf[0]);
    cur = &res.unpriv_write;
    store(&ur_buf[1], 7);
    /* The SVC handler reads un_buf (allowed), then this read faults again. */
    __asm volatile("svc #3" ::: "memory");
    cur = &res.unpriv_read_denied;
    (void)load(&un_buf[0]);
    __asm volatile("svc #1" ::: "memory");
    region_off(2);
    region_off(3);
}

static void step_escalation(void)
{
    region(2, ro_buf, rasr(5, AP_RO, 1, 0));
    __DSB();
    __ISB();
    SCB->SHCSR &= ~SCB_SHCSR_MEMFAULTENA_Msk;
    cur = &res.escalated;
    store(&ro_buf[3], 9);
    SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA_Msk;
    region_off(2);
}

static void step_stacking(void)
{
    region(2, stk_area, rasr(8, AP_RO, 1, 0));
    __DSB();
    __ISB();
    cur = &res.stacking;
    __asm volatile("msr psp, %0\n"
                   "mrs r0, control\n orr r0, r0, #2\n msr control, r0\n isb\n"
                   "svc #2\n"
                   ".global stk_resume\nstk_resume:\n"
                   "mrs r0, control\n bic r0, r0, #2\n msr control, r0\n isb\n"
                   : : "r"(&stk_area[64]) : "r0", "r1", "r2", "r3", "r12", "lr", "cc", "memory");
    region_off(2);
}

static void step_unstacking(void)
{
    region(2, stk_area, rasr(8, AP_PRIV_RW, 1, 0));
    __DSB();
    __ISB();
    cur = &res.unstacking;
    /* Unprivileged on the process stack: SVC #4 returns through a frame
     * the unprivileged return may not read; SVC #1 makes Thread mode
     * privileged again. */
    __asm volatile("msr psp, %0\n"
                   "mrs r0, control\n orr r0, r0, #3\n msr control, r0\n isb\n"
                   "svc #4\n"
                   "svc #1\n"
                   "mrs r0, control\n bic r0, r0, #2\n msr control, r0\n isb\n"
                   : : "r"(&good_stack[32]) : "r0", "r1", "r2", "r3", "r12", "lr", "cc", "memory");
    region_off(2);
}

static void step_lazy_fp(void)
{
    /* An FP-extended frame (0x68 bytes) whose FP area starts at the 128 B
     * read-only region at lazy_area + 128: the basic frame below it is in
     * SRAM (region 1). */
    uint32_t fp_area = (uint32_t)&lazy_area[32];
    base_regions(AP_RO);
    region(2, (const void *)fp_area, rasr(7, AP_RO, 1, 0));
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    cur = &res.lazy_fp;
    __asm volatile("msr psp, %0\n"
                   "mrs r0, control\n orr r0, r0, #2\n msr control, r0\n isb\n"
                   "vmov.f32 s1, #2.0\n" /* FP context active: CONTROL.FPCA */
                   "svc #5\n"
                   "mrs r0, control\n bic r0, r0, #6\n msr control, r0\n isb\n"
                   : : "r"(fp_area - 0x20u + 0x68u)
                   : "r0", "r1", "r2", "r3", "r12", "lr", "s1", "cc", "memory");
    region_off(2);
}

static void step_reconfigure(void)
{
    base_regions(AP_RO);
    region(2, reconf_ram, rasr(10, AP_PRIV_RW, 1, 0));
    region(3, reconf_flash, rasr(10, AP_RO, 0, 0));
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    res.reconf_ram_addr = (uint32_t)&reconf_ram[0];
    res.reconf_flash_addr = (uint32_t)&reconf_flash[0];
    reconf_ram[0] = 0x4B45524Eu;
    res.reconf_priv_read = load(&reconf_ram[0]);
    region(2, reconf_ram, rasr(10, AP_NONE, 1, 0));
    __DSB();
    __ISB();
    cur = &res.reconf_priv_denied;
    (void)load(&reconf_ram[0]);
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged Thread mode */
    res.reconf_unpriv_read = load(&reconf_flash[0]);
    __asm volatile("svc #6" ::: "memory"); /* reconf_flash: privileged-only */
    cur = &res.reconf_unpriv_denied;
    (void)load(&reconf_flash[0]);
    __asm volatile("svc #1" ::: "memory");
    region_off(2);
    region_off(3);
}

/* Regions smaller than a page, next to data the task uses: the task's
 * 768 B and the kernel's 256 B in one 1 KB page, all execute-never. */
static void step_split_page(void)
{
    base_regions(AP_RO);
    region(2, &split_page[192], rasr(8, AP_PRIV_RW, 1, 0));
    split_page[0] = 0x7A5C0001u;
    split_page[2] = 0x7A5C0002u;
    split_page[192] = 0x4B45524Eu;
    split_page[193] = 0x4B454550u;
    res.split_kernel_addr = (uint32_t)&split_page[192];
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    res.split_priv_read = load(&split_page[192]);
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged Thread mode */
    res.split_unpriv_read = load(&split_page[0]);
    store(&split_page[1], 0x7A5C0011u);
    cur = &res.split_read_denied;
    (void)load(&split_page[192]);
    cur = &res.split_write_denied;
    store(&split_page[193], 0xBADu);
    /* An allowed read right after the refused ones still reads. */
    res.split_unpriv_read_again = load(&split_page[2]);
    __asm volatile("svc #1" ::: "memory"); /* privileged Thread mode again */
    res.split_written = load(&split_page[1]);
    res.split_kept = load(&split_page[193]);
    region_off(2);
}

/* A kernel's process switch on one page (region 2 over the SRAM region
 * 1): the process's region, open to unprivileged code and execute-never,
 * then the page closed to it and left to privileged code, which may
 * execute there (AP 001, XN 0), then reopened. quartz-sim maps a page
 * whose permissions change so as MMIO (mpu_map.c, mmio_page), and Unicorn
 * runs no code from MMIO: the call must still run. */
static void step_moved_page(void)
{
    base_regions(AP_RO);
    region(2, moved_page, rasr(10, AP_FULL, 1, 0));
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    moved_page[0] = 0x4D4F5645u;
    res.moved_addr = (uint32_t)&moved_page[0];
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged Thread mode */
    res.moved_unpriv_read = load(&moved_page[0]);
    store(&moved_page[1], 0x4D4F0001u);
    __asm volatile("svc #1" ::: "memory");
    region(2, moved_page, rasr(10, AP_PRIV_RW, 0, 0)); /* switched away */
    __DSB();
    __ISB();
    __set_CONTROL(__get_CONTROL() | 1u);
    cur = &res.moved_denied;
    (void)load(&moved_page[0]);
    __asm volatile("svc #1" ::: "memory");
    uint16_t *code = (uint16_t *)&moved_page[8];
    ram_fn fn = write_function(code, 43);
    res.moved_func = (uint32_t)code;
    res.moved_exec_result = fn();
    region(2, moved_page, rasr(10, AP_FULL, 1, 0)); /* switched back */
    __DSB();
    __ISB();
    __set_CONTROL(__get_CONTROL() | 1u);
    res.moved_unpriv_read_again = load(&moved_page[1]);
    __asm volatile("svc #1" ::: "memory");
    cur = &res.moved_xn;
    (void)fn();
    region_off(2);
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    res.lit_ticks++;
}

static uint32_t literal_loop(void)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < 400u; i++) {
        uint32_t a, b;
        __asm volatile("ldr %0, 1f\n nop\n nop\n ldr %1, 2f\n nop\n b 3f\n .align 2\n"
                       "1: .word 0x1357ACE1\n 2: .word 0x2468BDF0\n 3:\n"
                       : "=l"(a), "=l"(b));
        bad += (a != 0x1357ACE1u) + (b != 0x2468BDF0u);
    }
    return bad;
}

/* Literal loads read through the PC; the flash region allows them, the
 * flash alias at 0 is in no region (a load decided there would fault for
 * unprivileged code, and for privileged code without the default map).
 * A SysTick every 100 cycles lands inside the blocks. */
static void step_literal_cut(void)
{
    base_regions(AP_RO);
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    cur = &res.lit_fault;
    SysTick->LOAD = 99u;
    SysTick->VAL = 0;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
    __set_CONTROL(__get_CONTROL() | 1u); /* unprivileged Thread mode */
    res.lit_bad = literal_loop();
    __asm volatile("svc #1" ::: "memory"); /* privileged Thread mode again */
    uint32_t ticks = res.lit_ticks;
    mpu_on(MPU_CTRL_ENABLE); /* privileged, no default map */
    res.lit_bad_priv = literal_loop();
    res.lit_ticks_priv = res.lit_ticks - ticks;
    mpu_on(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    SysTick->CTRL = 0;
}

void mpu_steps(void)
{
    res.magic0 = MPU_MAGIC0;
    res.magic1 = MPU_MAGIC1;
    SCB->SHCSR |= SCB_SHCSR_MEMFAULTENA_Msk;
    step_registers();
    step_read_only();
    step_execute_never();
    step_overlap();
    step_subregions();
    step_no_default_map();
    step_unprivileged();
    step_escalation();
    step_stacking();
    step_unstacking();
    step_lazy_fp();
    step_reconfigure();
    step_split_page();
    step_literal_cut();
    step_moved_page();
    mpu_on(0);
}
