/*
 * What a run leaves behind: warnings, unmodeled registers, faults, IRQ
 * counts by CMSIS name, VCD forwarding, and the JSON report
 * (docs/simulator.md, "Report").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "frontend/vcd.h"

/* CMSIS names (stm32f446xx.h IRQn_Type, without _IRQn), RM0390 table 38. */
static const char *const irq_names[CORE_NUM_IRQ] = {
    "WWDG", "PVD", "TAMP_STAMP", "RTC_WKUP", "FLASH", "RCC", "EXTI0", "EXTI1", "EXTI2", "EXTI3",
    "EXTI4", "DMA1_Stream0", "DMA1_Stream1", "DMA1_Stream2", "DMA1_Stream3", "DMA1_Stream4",
    "DMA1_Stream5", "DMA1_Stream6", "ADC", "CAN1_TX", "CAN1_RX0", "CAN1_RX1", "CAN1_SCE",
    "EXTI9_5", "TIM1_BRK_TIM9", "TIM1_UP_TIM10", "TIM1_TRG_COM_TIM11", "TIM1_CC", "TIM2", "TIM3",
    "TIM4", "I2C1_EV", "I2C1_ER", "I2C2_EV", "I2C2_ER", "SPI1", "SPI2", "USART1", "USART2",
    "USART3", "EXTI15_10", "RTC_Alarm", "OTG_FS_WKUP", "TIM8_BRK_TIM12", "TIM8_UP_TIM13",
    "TIM8_TRG_COM_TIM14", "TIM8_CC", "DMA1_Stream7", "FMC", "SDIO", "TIM5", "SPI3", "UART4",
    "UART5", "TIM6_DAC", "TIM7", "DMA2_Stream0", "DMA2_Stream1", "DMA2_Stream2", "DMA2_Stream3",
    "DMA2_Stream4", "IRQ61", "IRQ62", "CAN2_TX", "CAN2_RX0", "CAN2_RX1", "CAN2_SCE", "OTG_FS",
    "DMA2_Stream5", "DMA2_Stream6", "DMA2_Stream7", "USART6", "I2C3_EV", "I2C3_ER",
    "OTG_HS_EP1_OUT", "OTG_HS_EP1_IN", "OTG_HS_WKUP", "OTG_HS", "DCMI", "IRQ79", "IRQ80", "FPU",
    "IRQ82", "IRQ83", "SPI4", "IRQ85", "IRQ86", "SAI1", "IRQ88", "IRQ89", "IRQ90", "SAI2",
    "QUADSPI", "CEC", "SPDIF_RX", "FMPI2C1_EV", "FMPI2C1_ER",
};

static const char *const core_names[EXC_IRQ0] = {
    "Thread", "Reset", "NonMaskableInt", "HardFault", "MemoryManagement", "BusFault", "UsageFault",
    "Reserved7", "Reserved8", "Reserved9", "Reserved10", "SVCall", "DebugMonitor", "Reserved13",
    "PendSV", "SysTick",
};

const char *core_exc_name(int exc)
{
    if (exc < 0 || exc >= CORE_NUM_EXC)
        return "?";
    return exc < EXC_IRQ0 ? core_names[exc] : irq_names[exc - EXC_IRQ0];
}

uint64_t qsim_irq_count(const struct qsim *s, const char *cmsis_name)
{
    for (int e = 0; e < CORE_NUM_EXC; e++)
        if (strcmp(core_exc_name(e), cmsis_name) == 0)
            return s->irq_counts[e];
    return 0;
}

int qsim_irq_latency(const struct qsim *s, const char *cmsis_name, uint64_t *count, uint64_t *worst,
                     uint64_t *total)
{
    for (int e = EXC_NMI; e < CORE_NUM_EXC; e++) {
        if (strcmp(core_exc_name(e), cmsis_name) == 0) {
            *count = s->latency[e].count;
            *worst = s->latency[e].worst;
            *total = s->latency[e].total;
            return 0;
        }
    }
    return -ENOENT;
}

static void *grow(void *array, unsigned *cap, unsigned count, size_t elem)
{
    if (count < *cap)
        return array;
    unsigned n = *cap ? *cap * 2 : 16;
    void *p = realloc(array, n * elem);
    if (p)
        *cap = n;
    return p;
}

void sim_warn(sim_t *s, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (unsigned i = 0; i < s->warning_count; i++) {
        if (strcmp(s->warnings[i].message, msg) == 0) {
            s->warnings[i].count++;
            return;
        }
    }
    struct core_warning *w = grow(s->warnings, &s->warning_cap, s->warning_count, sizeof *w);
    if (!w)
        return;
    s->warnings = w;
    char *copy = strdup(msg);
    if (!copy)
        return;
    s->warnings[s->warning_count++] = (struct core_warning){copy, 1};
}

void sim_unmodeled(sim_t *s, uint32_t address, bool is_write)
{
    if (s->peeking) /* a debugger read is not the firmware's access */
        return;
    for (unsigned i = 0; i < s->unmodeled_count; i++) {
        struct core_unmodeled *u = &s->unmodeled[i];
        if (u->address == address) {
            u->write |= is_write;
            u->read |= !is_write;
            return;
        }
    }
    struct core_unmodeled *u = grow(s->unmodeled, &s->unmodeled_cap, s->unmodeled_count, sizeof *u);
    if (!u)
        return;
    if (!s->svd_loaded) {
        s->svd = core_svd_load(s->svd_path);
        s->svd_loaded = true;
    }
    s->unmodeled = u;
    s->unmodeled[s->unmodeled_count++] = (struct core_unmodeled){address, !is_write, is_write};
}

void sim_trace(sim_t *s, const char *signal, unsigned width, uint32_t value)
{
    if (s->vcd)
        vcd_change(s->vcd, sim_now_ps(s), signal, width, value);
}

void core_record_fault(struct qsim *s, const char *kind, uint32_t pc)
{
    struct core_fault *f = grow(s->faults, &s->fault_cap, s->fault_count, sizeof *f);
    if (!f)
        return;
    s->faults = f;
    s->faults[s->fault_count++] = (struct core_fault){
        pc, s->scs.cfsr, s->scs.hfsr, s->scs.bfar, s->scs.mmfar, kind, sim_now_ps(s)};
}

unsigned qsim_fault_count(const struct qsim *s)
{
    return s->fault_count;
}

static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void ms(FILE *out, uint64_t ps)
{
    /* Exact decimal: milliseconds with 9 fractional digits (picoseconds). */
    fprintf(out, "%llu.%09llu", (unsigned long long)(ps / SIM_PS_PER_MS),
            (unsigned long long)(ps % SIM_PS_PER_MS));
}

int qsim_write_report(const struct qsim *s, FILE *out)
{
    fprintf(out, "{\"virtual_ms\":");
    ms(out, sim_now_ps(s));
    fprintf(out, ",\"cycles\":%llu,\"sleep_cycles\":%llu,\"hclk_hz\":%u,\"instructions\":%llu",
            (unsigned long long)s->cycles, (unsigned long long)s->sleep_cycles, s->hclk,
            (unsigned long long)s->insns);
    fprintf(out, ",\"irq_counts\":{");
    bool first = true;
    for (int e = EXC_NMI; e < CORE_NUM_EXC; e++) {
        if (!s->irq_counts[e])
            continue;
        fprintf(out, "%s\"%s\":%llu", first ? "" : ",", core_exc_name(e), (unsigned long long)s->irq_counts[e]);
        first = false;
    }
    fprintf(out, "},\"irq_latency\":{");
    first = true;
    for (int e = EXC_NMI; e < CORE_NUM_EXC; e++) {
        const struct core_latency *l = &s->latency[e];
        if (!l->count)
            continue;
        fprintf(out, "%s\"%s\":{\"count\":%llu,\"max_cycles\":%llu,\"mean_cycles\":%.2f}", first ? "" : ",",
                core_exc_name(e), (unsigned long long)l->count, (unsigned long long)l->worst,
                (double)l->total / (double)l->count);
        first = false;
    }
    fprintf(out, "},\"mpu_map_commits\":%llu", (unsigned long long)s->mpu.map_commits);
    fprintf(out, ",\"faults\":[");
    for (unsigned i = 0; i < s->fault_count; i++) {
        const struct core_fault *f = &s->faults[i];
        fprintf(out, "%s{\"kind\":\"%s\",\"pc\":\"0x%08x\",\"cfsr\":\"0x%08x\",\"hfsr\":\"0x%08x\","
                     "\"bfar\":\"0x%08x\",\"mmfar\":\"0x%08x\",\"time_ms\":",
                i ? "," : "", f->kind, f->pc, f->cfsr, f->hfsr, f->bfar, f->mmfar);
        ms(out, f->time_ps);
        fputc('}', out);
    }
    fprintf(out, "],\"locked_up\":%s,\"unmodeled\":[", s->locked_up ? "true" : "false");
    for (unsigned i = 0; i < s->unmodeled_count; i++) {
        const struct core_unmodeled *u = &s->unmodeled[i];
        char name[96];
        const char *n = s->svd ? core_svd_name(s->svd, u->address, name, sizeof name) : NULL;
        fprintf(out, "%s{\"address\":\"0x%08x\",\"name\":", i ? "," : "", u->address);
        if (n)
            json_string(out, n);
        else
            fputs("null", out);
        fprintf(out, ",\"access\":\"%s%s\"}", u->read ? "r" : "", u->write ? "w" : "");
    }
    fprintf(out, "],\"gated_accesses\":{");
    first = true;
    for (int i = 0; i < s->region_count; i++) {
        if (!s->regions[i]->gated)
            continue;
        fprintf(out, "%s", first ? "" : ",");
        json_string(out, s->regions[i]->name);
        fprintf(out, ":%llu", (unsigned long long)s->regions[i]->gated);
        first = false;
    }
    fprintf(out, "},\"warnings\":[");
    for (unsigned i = 0; i < s->warning_count; i++) {
        fprintf(out, "%s{\"message\":", i ? "," : "");
        json_string(out, s->warnings[i].message);
        fprintf(out, ",\"count\":%llu}", (unsigned long long)s->warnings[i].count);
    }
    fputc(']', out);
    if (s->board)
        nucleo_report_json(s->board, out);
    fputs("}\n", out);
    return ferror(out) ? -EIO : 0;
}
