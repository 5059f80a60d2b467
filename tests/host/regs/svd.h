/*
 * A small in-memory model of a CMSIS-SVD file (peripherals, registers,
 * fields, interrupts), parsed with expat. Enough for checking headers.
 */
#ifndef QUARTZ_TEST_SVD_H
#define QUARTZ_TEST_SVD_H

#include <stddef.h>
#include <stdint.h>

struct svd_field {
    char name[48];
    unsigned offset;
    unsigned width;
};

struct svd_register {
    char name[48];
    uint32_t offset;
    struct svd_field *fields;
    size_t nfields;
};

struct svd_interrupt {
    char name[48];
    int value;
};

struct svd_peripheral {
    char name[48];
    char derived_from[48];
    uint32_t base;
    struct svd_register *regs;
    size_t nregs;
    struct svd_interrupt *irqs;
    size_t nirqs;
};

struct svd_device {
    struct svd_peripheral *periphs;
    size_t nperiphs;
};

/* Returns 0, or -1 with a message on stderr. */
int svd_load(const char *path, struct svd_device *dev);
void svd_free(struct svd_device *dev);

const struct svd_peripheral *svd_peripheral(const struct svd_device *dev, const char *name);
/* The peripheral that holds the registers (follows derivedFrom). */
const struct svd_peripheral *svd_registers_of(const struct svd_device *dev, const struct svd_peripheral *p);
const struct svd_register *svd_register(const struct svd_peripheral *p, const char *name);
const struct svd_field *svd_field(const struct svd_register *r, const char *name);

#endif
