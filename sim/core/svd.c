/*
 * Register names of unmodeled accesses ("PERIPH.REG" in the report). By
 * default from the STM32F446 facts built into quartz-sim
 * (chip/stm32f446/stm32f446.facts, embedded by tools/svd-facts/embed.cmake),
 * so that a run needs no SVD; or from the SVD given with --svd
 * (qsim_options.svd_path), read with tools/svd-facts' parser.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "facts.h"

extern const char quartz_builtin_facts[];
extern const size_t quartz_builtin_facts_len;

/* An SVD without address blocks: ST's peripherals are 1 KB apart (RM0390 table 1). */
#define DEFAULT_SPAN 0x400u

struct svd_names {
    struct facts facts;
};

struct svd_names *core_svd_load(const char *path)
{
    struct svd_names *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    char err[256];
    int rc = path ? svd_read(&n->facts, path, err, sizeof err)
                  : facts_parse(&n->facts, quartz_builtin_facts, quartz_builtin_facts_len, err, sizeof err);
    if (rc) {
        core_svd_free(n);
        return NULL;
    }
    return n;
}

void core_svd_free(struct svd_names *n)
{
    if (!n)
        return;
    facts_free(&n->facts);
    free(n);
}

const char *core_svd_name(const struct svd_names *n, uint32_t address, char *buf, size_t len)
{
    const struct facts_periph *best = NULL;
    for (size_t i = 0; i < n->facts.nperiphs; i++) {
        const struct facts_periph *p = &n->facts.periphs[i];
        uint32_t span = p->span > DEFAULT_SPAN ? p->span : DEFAULT_SPAN;
        if (p->base <= address && address - p->base < span && (!best || p->base > best->base))
            best = p;
    }
    if (!best)
        return NULL;
    uint32_t offset = (address - best->base) & ~3u;
    /* Registers are in offset order; of two at one offset (TIMx CCMR1_Input
     * and CCMR1_Output) the first by name is given. */
    for (size_t i = 0; i < best->nregs; i++) {
        if (best->regs[i].offset == offset) {
            snprintf(buf, len, "%s.%s", best->name, best->regs[i].name);
            return buf;
        }
    }
    snprintf(buf, len, "%s+0x%03x", best->name, address - best->base);
    return buf;
}
