/* Facts files: parse, sort, write, look up (format in facts.h). */
#include "facts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int facts_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* One more zeroed element at the end; NULL (array kept) when out of memory. */
void *facts_grow(void *array, size_t *count, size_t size)
{
    char *grown = realloc(array, (*count + 1) * size);
    if (!grown)
        return NULL;
    memset(grown + *count * size, 0, size);
    (*count)++;
    return grown;
}

static const char *const access_names[] = {"rw", "ro", "wo", "w1", "rw1", "-"};

static const char *access_of(const char *text)
{
    for (size_t i = 0; i < sizeof access_names / sizeof access_names[0]; i++)
        if (strcmp(text, access_names[i]) == 0)
            return access_names[i];
    return NULL;
}

void facts_free(struct facts *f)
{
    for (size_t i = 0; i < f->nperiphs; i++) {
        struct facts_periph *p = &f->periphs[i];
        for (size_t j = 0; j < p->nregs; j++) {
            for (size_t k = 0; k < p->regs[j].nfields; k++)
                free(p->regs[j].fields[k].name);
            free(p->regs[j].fields);
            free(p->regs[j].name);
        }
        free(p->regs);
        free(p->name);
    }
    for (size_t i = 0; i < f->nirqs; i++)
        free(f->irqs[i].name);
    free(f->periphs);
    free(f->irqs);
    free(f->device);
    free(f->version);
    memset(f, 0, sizeof *f);
}

const struct facts_periph *facts_periph(const struct facts *f, const char *name)
{
    for (size_t i = 0; f && i < f->nperiphs; i++)
        if (strcmp(f->periphs[i].name, name) == 0)
            return &f->periphs[i];
    return NULL;
}

const struct facts_reg *facts_reg(const struct facts_periph *p, const char *name)
{
    for (size_t i = 0; p && i < p->nregs; i++)
        if (strcmp(p->regs[i].name, name) == 0)
            return &p->regs[i];
    return NULL;
}

const struct facts_field *facts_field(const struct facts_reg *r, const char *name)
{
    for (size_t i = 0; r && i < r->nfields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    return NULL;
}

const struct facts_irq *facts_irq(const struct facts *f, const char *name)
{
    for (size_t i = 0; f && i < f->nirqs; i++)
        if (strcmp(f->irqs[i].name, name) == 0)
            return &f->irqs[i];
    return NULL;
}

static int by_irq(const void *a, const void *b)
{
    const struct facts_irq *x = a, *y = b;
    return x->value != y->value ? (x->value < y->value ? -1 : 1) : strcmp(x->name, y->name);
}

static int by_periph(const void *a, const void *b)
{
    return strcmp(((const struct facts_periph *)a)->name, ((const struct facts_periph *)b)->name);
}

static int by_reg(const void *a, const void *b)
{
    const struct facts_reg *x = a, *y = b;
    return x->offset != y->offset ? (x->offset < y->offset ? -1 : 1) : strcmp(x->name, y->name);
}

static int by_field(const void *a, const void *b)
{
    const struct facts_field *x = a, *y = b;
    return x->pos != y->pos ? (x->pos < y->pos ? -1 : 1) : strcmp(x->name, y->name);
}

void facts_sort(struct facts *f)
{
    if (f->nirqs)
        qsort(f->irqs, f->nirqs, sizeof *f->irqs, by_irq);
    size_t kept = 0;
    for (size_t i = 0; i < f->nirqs; i++) {
        if (kept && by_irq(&f->irqs[kept - 1], &f->irqs[i]) == 0) {
            free(f->irqs[i].name); /* one interrupt listed by two peripherals */
            continue;
        }
        f->irqs[kept++] = f->irqs[i];
    }
    f->nirqs = kept;
    if (f->nperiphs)
        qsort(f->periphs, f->nperiphs, sizeof *f->periphs, by_periph);
    for (size_t i = 0; i < f->nperiphs; i++) {
        struct facts_periph *p = &f->periphs[i];
        if (p->nregs)
            qsort(p->regs, p->nregs, sizeof *p->regs, by_reg);
        for (size_t j = 0; j < p->nregs; j++)
            if (p->regs[j].nfields)
                qsort(p->regs[j].fields, p->regs[j].nfields, sizeof *p->regs[j].fields, by_field);
    }
}

int facts_write(const struct facts *f, FILE *out)
{
    fprintf(out, "device %s %s\n", f->device ? f->device : "-", f->version ? f->version : "-");
    for (size_t i = 0; i < f->nirqs; i++)
        fprintf(out, "irq %s %d\n", f->irqs[i].name, f->irqs[i].value);
    for (size_t i = 0; i < f->nperiphs; i++) {
        const struct facts_periph *p = &f->periphs[i];
        fprintf(out, "periph %s 0x%08X 0x%X\n", p->name, p->base, p->span);
        for (size_t j = 0; j < p->nregs; j++) {
            const struct facts_reg *r = &p->regs[j];
            fprintf(out, "reg %s %s 0x%03X %u 0x%08X %s\n", p->name, r->name, r->offset, r->size, r->reset,
                    r->access ? r->access : "-");
            for (size_t k = 0; k < r->nfields; k++)
                fprintf(out, "field %s %s %s %u %u\n", p->name, r->name, r->fields[k].name, r->fields[k].pos,
                        r->fields[k].width);
        }
    }
    return ferror(out) ? -EIO : 0;
}

/* ---- reading ---- */

#define MAX_WORDS 8

struct line {
    char *word[MAX_WORDS];
    int n;
    unsigned number;
};

static bool number(const char *text, unsigned long max, unsigned long *v)
{
    char *end;
    errno = 0;
    *v = strtoul(text, &end, 0);
    return !errno && end != text && !*end && text[0] != '-' && *v <= max;
}

static int parse_line(struct facts *f, struct line *l, const struct facts_periph **cur_p, char *err, size_t errlen)
{
    unsigned long a, b, c;
    const char *what = l->word[0];
#define BAD(fmt, ...) facts_fail(err, errlen, -EINVAL, "line %u: " fmt, l->number, ##__VA_ARGS__)
    if (!strcmp(what, "device") && l->n == 3) {
        if (f->device)
            return BAD("second device line");
        f->device = strdup(l->word[1]);
        f->version = strdup(l->word[2]);
        return f->device && f->version ? 0 : -ENOMEM;
    }
    if (!strcmp(what, "irq") && l->n == 3) {
        if (!number(l->word[2], 1023, &a))
            return BAD("bad interrupt number '%s'", l->word[2]);
        struct facts_irq *irqs = facts_grow(f->irqs, &f->nirqs, sizeof *irqs);
        if (!irqs)
            return -ENOMEM;
        f->irqs = irqs;
        irqs[f->nirqs - 1] = (struct facts_irq){strdup(l->word[1]), (int)a};
        return irqs[f->nirqs - 1].name ? 0 : -ENOMEM;
    }
    if (!strcmp(what, "periph") && l->n == 4) {
        if (!number(l->word[2], UINT32_MAX, &a) || !number(l->word[3], UINT32_MAX, &b))
            return BAD("bad base or span");
        if (facts_periph(f, l->word[1]))
            return BAD("peripheral %s twice", l->word[1]);
        struct facts_periph *ps = facts_grow(f->periphs, &f->nperiphs, sizeof *ps);
        if (!ps)
            return -ENOMEM;
        f->periphs = ps;
        struct facts_periph *p = &ps[f->nperiphs - 1];
        *p = (struct facts_periph){.name = strdup(l->word[1]), .base = (uint32_t)a, .span = (uint32_t)b};
        *cur_p = p;
        return p->name ? 0 : -ENOMEM;
    }
    /* reg and field lines follow their peripheral's line */
    struct facts_periph *p = (struct facts_periph *)*cur_p;
    if ((!strcmp(what, "reg") || !strcmp(what, "field")) && l->n >= 2 && (!p || strcmp(p->name, l->word[1])))
        return BAD("%s of %s outside its peripheral", what, l->word[1]);
    if (!strcmp(what, "reg") && l->n == 7) {
        const char *access = access_of(l->word[6]);
        if (!number(l->word[3], UINT32_MAX, &a) || !number(l->word[4], 64, &b) ||
            !number(l->word[5], UINT32_MAX, &c) || !access)
            return BAD("bad register %s.%s", l->word[1], l->word[2]);
        struct facts_reg *rs = facts_grow(p->regs, &p->nregs, sizeof *rs);
        if (!rs)
            return -ENOMEM;
        p->regs = rs;
        rs[p->nregs - 1] = (struct facts_reg){.name = strdup(l->word[2]), .offset = (uint32_t)a,
                                              .size = (unsigned)b, .reset = (uint32_t)c, .access = access};
        return rs[p->nregs - 1].name ? 0 : -ENOMEM;
    }
    if (!strcmp(what, "field") && l->n == 6) {
        struct facts_reg *r = p->nregs ? &p->regs[p->nregs - 1] : NULL;
        if (!r || strcmp(r->name, l->word[2]))
            return BAD("field of %s.%s outside its register", l->word[1], l->word[2]);
        if (!number(l->word[4], 63, &a) || !number(l->word[5], 64, &b) || b == 0)
            return BAD("bad field %s.%s.%s", l->word[1], l->word[2], l->word[3]);
        struct facts_field *fs = facts_grow(r->fields, &r->nfields, sizeof *fs);
        if (!fs)
            return -ENOMEM;
        r->fields = fs;
        fs[r->nfields - 1] = (struct facts_field){strdup(l->word[3]), (unsigned)a, (unsigned)b};
        return fs[r->nfields - 1].name ? 0 : -ENOMEM;
    }
    return BAD("not a fact: '%s' with %d words", what, l->n);
#undef BAD
}

int facts_parse(struct facts *f, const char *text, size_t len, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    char *copy = malloc(len + 1);
    if (!copy)
        return facts_fail(err, errlen, -ENOMEM, "out of memory");
    memcpy(copy, text, len);
    copy[len] = 0;
    const struct facts_periph *cur = NULL;
    int rc = 0;
    unsigned lineno = 0;
    for (char *s = copy, *next; rc == 0 && s < copy + len; s = next) {
        char *nl = memchr(s, '\n', (size_t)(copy + len - s));
        next = nl ? nl + 1 : copy + len;
        if (nl)
            *nl = 0;
        lineno++;
        if (!*s || *s == '#')
            continue;
        struct line l = {.number = lineno};
        for (char *save = NULL, *w = strtok_r(s, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
            if (l.n == MAX_WORDS) {
                rc = facts_fail(err, errlen, -EINVAL, "line %u: too many words", lineno);
                break;
            }
            l.word[l.n++] = w;
        }
        if (rc == 0 && l.n)
            rc = parse_line(f, &l, &cur, err, errlen);
    }
    free(copy);
    if (rc == -ENOMEM)
        facts_fail(err, errlen, rc, "out of memory");
    if (rc == 0 && (!f->device || !f->nperiphs))
        rc = facts_fail(err, errlen, -EINVAL, "no device line or no peripherals: not a facts file");
    if (rc)
        facts_free(f);
    return rc;
}

int facts_load(struct facts *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    FILE *in = fopen(path, "rb");
    if (!in)
        return facts_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(in);
        return facts_fail(err, errlen, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL, "%s: %s", path,
                          S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
    }
    char *text = malloc((size_t)st.st_size + 1);
    size_t got = text ? fread(text, 1, (size_t)st.st_size, in) : 0;
    fclose(in);
    if (!text || got != (size_t)st.st_size) {
        free(text);
        return facts_fail(err, errlen, -EIO, "%s: cannot read", path);
    }
    char msg[256] = "";
    int rc = facts_parse(f, text, got, msg, sizeof msg);
    free(text);
    if (rc)
        facts_fail(err, errlen, rc, "%s: %s", path, msg);
    return rc;
}
