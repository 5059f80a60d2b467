/*
 * A strict reader for the VCD subset vcd.c writes (IEEE 1364-2005 18.2):
 * checks the grammar (sections closed by $end, balanced scopes, unique
 * identifier codes, declared identifiers only, widths respected,
 * timestamps increasing) and keeps every signal's history for round trips.
 */
#ifndef TEST_VCDCHECK_H
#define TEST_VCDCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcdcheck_change {
    uint64_t t;
    uint32_t value;
    bool known; /* false: x */
};

struct vcdcheck_var {
    char name[128]; /* scope path below the top scope, '.'-joined: "I2C1.SDA" */
    char id[64];
    unsigned width;
    struct vcdcheck_change *changes;
    size_t n_changes;
};

struct vcdcheck {
    char timescale[32];
    struct vcdcheck_var *vars;
    size_t n_vars;
    uint64_t last_time;
    size_t n_timestamps;
};

/* 0, or -1 with the reason (and line) in `why`. */
int vcdcheck_parse(const char *text, struct vcdcheck *out, char *why, size_t whylen);
const struct vcdcheck_var *vcdcheck_find(const struct vcdcheck *v, const char *name);
void vcdcheck_free(struct vcdcheck *v);

#endif
