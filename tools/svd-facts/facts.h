/*
 * Chip facts: what a CMSIS-SVD file says about the silicon, without its
 * descriptions. Peripheral bases and spans, register offsets, sizes, reset
 * values and access, field positions and widths, interrupt numbers.
 *
 * Read from an SVD (svd_read.c, expat; derivedFrom resolved, defaults
 * inherited) or from a facts file (facts.c), and written as a facts file:
 * one fact per line, in one fixed order, so that two extractions diff well.
 *
 *   device STM32F446 1.9
 *   irq TIM2 28
 *   periph GPIOA 0x40020000 0x400
 *   reg GPIOA MODER 0x000 32 0xA8000000 rw
 *   field GPIOA MODER MODER15 30 2
 *
 * Order: the device line; irq lines by number, then name; then each
 * peripheral by name, its registers by offset, then name, each register
 * followed by its fields by bit position, then name. Lines starting with
 * '#' are comments. Access is rw, ro, wo, w1 (writeOnce), rw1
 * (read-writeOnce) or - (the SVD does not say).
 */
#ifndef QUARTZ_FACTS_H
#define QUARTZ_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct facts_field {
    char *name;
    unsigned pos, width;
};

struct facts_reg {
    char *name;
    uint32_t offset;
    unsigned size; /* bits */
    uint32_t reset;
    const char *access;
    struct facts_field *fields;
    size_t nfields;
};

struct facts_periph {
    char *name;
    uint32_t base;
    uint32_t span; /* end of the last address block; 0 when the SVD has none */
    struct facts_reg *regs;
    size_t nregs;
};

struct facts_irq {
    char *name;
    int value;
};

struct facts {
    char *device, *version;
    struct facts_periph *periphs;
    size_t nperiphs;
    struct facts_irq *irqs;
    size_t nirqs;
};

/*
 * Each returns 0, or -EINVAL/-ENOENT/-EISDIR/-ENOMEM with one line in `err`
 * (naming the file, and the line where it applies). `f` is empty after an
 * error; facts_free it in both cases.
 */
int facts_parse(struct facts *f, const char *text, size_t len, char *err, size_t errlen);
int facts_load(struct facts *f, const char *path, char *err, size_t errlen);
int svd_read(struct facts *f, const char *path, char *err, size_t errlen);
void facts_free(struct facts *f);

/* Puts everything in the documented order and drops repeated irq lines. */
void facts_sort(struct facts *f);
/* Returns 0 or -EIO. */
int facts_write(const struct facts *f, FILE *out);

const struct facts_periph *facts_periph(const struct facts *f, const char *name);
const struct facts_reg *facts_reg(const struct facts_periph *p, const char *name);
const struct facts_field *facts_field(const struct facts_reg *r, const char *name);
const struct facts_irq *facts_irq(const struct facts *f, const char *name);

/* Internal to the reader and the writer. */
void *facts_grow(void *array, size_t *count, size_t size);
int facts_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
