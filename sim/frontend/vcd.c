/*
 * VCD writer, see vcd.h. Grammar: IEEE 1364-2005 18.2 (four-state VCD).
 * Changes are kept as fixed-size records in a tmpfile() until vcd_close,
 * when the declarations are known.
 */
#include "vcd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct vcd_signal {
    char *name;
    unsigned width;
    uint32_t value; /* last value recorded */
    bool known;     /* a value was recorded at all */
    bool at_zero;   /* a value was recorded at t = 0 (goes into $dumpvars) */
    uint32_t initial; /* the value at t = 0 */
};

struct vcd_record {
    uint64_t t_ps;
    uint32_t signal;
    uint32_t value;
};

struct vcd {
    FILE *out;
    FILE *body;
    struct vcd_signal *signals;
    uint32_t count, capacity;
    uint32_t *hash; /* open addressing: signal index + 1, 0 = empty */
    uint32_t hash_size;
    uint64_t last_ps;
    bool failed;
};

static uint32_t vcd_hash_name(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static bool vcd_rehash(struct vcd *v, uint32_t size)
{
    uint32_t *table = calloc(size, sizeof *table);
    if (!table)
        return false;
    for (uint32_t i = 0; i < v->count; i++) {
        uint32_t slot = vcd_hash_name(v->signals[i].name) & (size - 1);
        while (table[slot])
            slot = (slot + 1) & (size - 1);
        table[slot] = i + 1;
    }
    free(v->hash);
    v->hash = table;
    v->hash_size = size;
    return true;
}

struct vcd *vcd_create(FILE *out)
{
    struct vcd *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->out = out;
    v->body = tmpfile();
    if (!v->body || !vcd_rehash(v, 64)) {
        if (v->body)
            fclose(v->body);
        free(v);
        return NULL;
    }
    return v;
}

/* Index of `name`, adding it on first sight; UINT32_MAX when out of memory. */
static uint32_t vcd_signal_index(struct vcd *v, const char *name, unsigned width)
{
    uint32_t slot = vcd_hash_name(name) & (v->hash_size - 1);
    while (v->hash[slot]) {
        uint32_t i = v->hash[slot] - 1;
        if (strcmp(v->signals[i].name, name) == 0)
            return i;
        slot = (slot + 1) & (v->hash_size - 1);
    }
    if (v->count == v->capacity) {
        uint32_t cap = v->capacity ? v->capacity * 2 : 32;
        struct vcd_signal *grown = realloc(v->signals, cap * sizeof *grown);
        if (!grown)
            return UINT32_MAX;
        v->signals = grown;
        v->capacity = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return UINT32_MAX;
    /* Identifiers in $var may not hold white space (18.2.3.8). */
    for (char *c = copy; *c; c++)
        if (*c <= ' ' || *c > '~')
            *c = '_';
    uint32_t i = v->count++;
    v->signals[i] = (struct vcd_signal){ .name = copy, .width = width };
    v->hash[slot] = i + 1;
    if (v->count * 2 > v->hash_size && !vcd_rehash(v, v->hash_size * 2))
        v->failed = true;
    return i;
}

void vcd_change(struct vcd *v, uint64_t t_ps, const char *signal, unsigned width, uint32_t value)
{
    if (!v || !signal || !*signal || v->failed)
        return;
    if (width < 1)
        width = 1;
    if (width > 32)
        width = 32;
    uint32_t i = vcd_signal_index(v, signal, width);
    if (i == UINT32_MAX) {
        v->failed = true;
        return;
    }
    struct vcd_signal *sig = &v->signals[i];
    if (sig->width < 32)
        value &= (1u << sig->width) - 1;
    if (t_ps < v->last_ps)
        t_ps = v->last_ps;
    if (sig->known && sig->value == value)
        return;
    sig->value = value;
    sig->known = true;
    if (t_ps == 0) {
        sig->at_zero = true; /* initial value: written in $dumpvars */
        sig->initial = value;
        return;
    }
    v->last_ps = t_ps;
    struct vcd_record r = { .t_ps = t_ps, .signal = i, .value = value };
    if (fwrite(&r, sizeof r, 1, v->body) != 1)
        v->failed = true;
}

/* Identifier code: base-94 over the printable characters '!'..'~' (18.2.1). */
static void vcd_id(uint32_t index, char out[8])
{
    int n = 0;
    do {
        out[n++] = (char)('!' + index % 94);
        index /= 94;
    } while (index);
    out[n] = '\0';
}

static void vcd_value(FILE *out, unsigned width, uint32_t value, bool known, uint32_t index)
{
    char id[8];
    vcd_id(index, id);
    if (width == 1) {
        fprintf(out, "%c%s\n", known ? (char)('0' + (value & 1)) : 'x', id);
        return;
    }
    fputc('b', out);
    if (!known) {
        fputc('x', out);
    } else {
        int top = 31;
        while (top > 0 && !(value >> top & 1))
            top--;
        for (int bit = top; bit >= 0; bit--)
            fputc('0' + (int)(value >> bit & 1), out);
    }
    fprintf(out, " %s\n", id);
}

struct vcd_sorted {
    const char *name;
    uint32_t index;
};

static int vcd_by_name(const void *a, const void *b)
{
    return strcmp(((const struct vcd_sorted *)a)->name, ((const struct vcd_sorted *)b)->name);
}

/* Length of the scope part shared by names a and b, ending at a '.'. */
static size_t vcd_common_scope(const char *a, const char *b)
{
    size_t common = 0;
    for (size_t i = 0; a[i] && a[i] == b[i]; i++)
        if (a[i] == '.')
            common = i + 1;
    return common;
}

static void vcd_header(struct vcd *v)
{
    FILE *out = v->out;
    fputs("$version quartz-sim $end\n", out);
    fputs("$timescale 1ps $end\n", out);
    fputs("$scope module nucleo $end\n", out);

    /* Signals sorted by name, so that each scope's members sit together. */
    struct vcd_sorted *order = malloc((v->count ? v->count : 1) * sizeof *order);
    if (!order) {
        v->failed = true;
        return;
    }
    for (uint32_t i = 0; i < v->count; i++)
        order[i] = (struct vcd_sorted){ v->signals[i].name, i };
    qsort(order, v->count, sizeof *order, vcd_by_name);

    const char *prev = "";
    for (uint32_t k = 0; k < v->count; k++) {
        const char *name = order[k].name;
        size_t keep = vcd_common_scope(prev, name);
        for (const char *c = prev + keep; *c; c++) /* leave scopes of prev */
            if (*c == '.')
                fputs("$upscope $end\n", out);
        const char *leaf = name + keep;
        for (const char *dot; (dot = strchr(leaf, '.')) != NULL; leaf = dot + 1)
            fprintf(out, "$scope module %.*s $end\n", (int)(dot - leaf), leaf);
        char id[8];
        vcd_id(order[k].index, id);
        fprintf(out, "$var wire %u %s %s $end\n", v->signals[order[k].index].width, id, leaf);
        prev = name;
    }
    for (const char *c = prev; *c; c++)
        if (*c == '.')
            fputs("$upscope $end\n", out);
    free(order);

    fputs("$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n", out);
    for (uint32_t i = 0; i < v->count; i++) {
        struct vcd_signal *s = &v->signals[i];
        vcd_value(out, s->width, s->at_zero ? s->initial : 0, s->at_zero, i);
    }
    fputs("$end\n", out);
}

int vcd_close(struct vcd *v)
{
    if (!v)
        return -EINVAL;
    if (!v->failed)
        vcd_header(v);
    if (!v->failed && fflush(v->body) == 0 && fseek(v->body, 0, SEEK_SET) == 0) {
        struct vcd_record r;
        uint64_t t = 0;
        while (fread(&r, sizeof r, 1, v->body) == 1) {
            if (r.t_ps != t) {
                t = r.t_ps;
                fprintf(v->out, "#%llu\n", (unsigned long long)t);
            }
            vcd_value(v->out, v->signals[r.signal].width, r.value, true, r.signal);
        }
        if (ferror(v->body))
            v->failed = true;
    } else {
        v->failed = true;
    }
    if (fflush(v->out) != 0 || ferror(v->out))
        v->failed = true;
    int rc = v->failed ? -EIO : 0;
    fclose(v->body);
    for (uint32_t i = 0; i < v->count; i++)
        free(v->signals[i].name);
    free(v->signals);
    free(v->hash);
    free(v);
    return rc;
}
