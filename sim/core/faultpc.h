/*
 * faultpc internals: one instruction of a block as the search for the
 * faulting one sees it (faultpc_decode.c decodes, faultpc.c searches).
 */
#ifndef SIM_CORE_FAULTPC_H
#define SIM_CORE_FAULTPC_H

#include <stdbool.h>
#include <stdint.h>

#define CORE_FAULT_MAX_INSNS 64
#define CORE_FAULT_ALL_REGS 0x7FFFu /* r0-r14; the PC is always known */

struct core_fault_insn {
    uint32_t pc;
    bool mem;          /* makes a data access */
    bool write;        /* a store (else a load) */
    bool cond;         /* in an IT block: may not have run */
    bool ends;         /* a branch: the block ends after it */
    bool tb;           /* TBB/TBH: PC as a base is not aligned (A7.7.182) */
    int8_t rn, rm;     /* base, index (-1: none); base 15 is the PC */
    uint8_t shift;     /* of the index */
    int32_t off;       /* added to the base for the address */
    uint32_t len;      /* bytes accessed from the address */
    int8_t wb;         /* register changed by a known amount (-1: none) */
    int32_t delta;
    uint16_t clobbers; /* registers written with values not known here */
    int8_t rt, rt2;    /* a load's targets (-1: none): rt from the address, rt2 from +4 */
    bool sign;         /* LDRSB/LDRSH */
    uint16_t list;     /* LDM/POP: loaded from the address upwards, 4 bytes each */
};

/* Decode the block at `block` (its halfwords in `code`) up to its first
 * branch: the instructions, at most CORE_FAULT_MAX_INSNS, in `out`. */
unsigned core_fault_decode(const uint16_t *code, unsigned halfwords, uint32_t block, struct core_fault_insn *out);

#endif
