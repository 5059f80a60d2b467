/*
 * expat-based SVD reader. Tracks the element path and collects the text of
 * the few leaf elements we need: device/peripherals/peripheral/{name,
 * baseAddress, interrupt/{name,value}, registers/register/{name,
 * addressOffset, fields/field/{name, bitOffset, bitWidth}}}.
 */
#include "svd.h"

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

struct parse {
    struct svd_device *dev;
    const char *path[MAX_DEPTH];
    char names[MAX_DEPTH][32];
    int depth;
    char text[128];
    size_t textlen;
    bool error;
};

/* SVD names are short; a longer one is cut, and then simply never matches. */
static void copy_name(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void *grow(void *p, size_t n, size_t size)
{
    void *q = realloc(p, (n + 1) * size);
    if (!q) {
        fprintf(stderr, "svd: out of memory\n");
        exit(2);
    }
    memset((char *)q + n * size, 0, size);
    return q;
}

/* Is the current element path ".../a/b" (the last elements of the path)? */
static bool at(const struct parse *ps, const char *const *tail, int n)
{
    if (ps->depth < n)
        return false;
    for (int i = 0; i < n; i++)
        if (strcmp(ps->names[ps->depth - n + i], tail[i]) != 0)
            return false;
    return true;
}
#define AT(ps, ...) at(ps, (const char *const[]){__VA_ARGS__}, sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

static struct svd_peripheral *cur_periph(struct parse *ps)
{
    return &ps->dev->periphs[ps->dev->nperiphs - 1];
}

static struct svd_register *cur_reg(struct parse *ps)
{
    struct svd_peripheral *p = cur_periph(ps);
    return &p->regs[p->nregs - 1];
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct parse *ps = ud;
    if (ps->depth >= MAX_DEPTH) {
        ps->error = true;
        return;
    }
    copy_name(ps->names[ps->depth], sizeof ps->names[0], name);
    ps->depth++;
    ps->textlen = 0;
    ps->text[0] = 0;

    struct svd_device *dev = ps->dev;
    if (AT(ps, "device", "peripherals", "peripheral")) {
        dev->periphs = grow(dev->periphs, dev->nperiphs, sizeof *dev->periphs);
        struct svd_peripheral *p = &dev->periphs[dev->nperiphs++];
        for (int i = 0; attrs[i]; i += 2)
            if (strcmp(attrs[i], "derivedFrom") == 0)
                copy_name(p->derived_from, sizeof p->derived_from, attrs[i + 1]);
    } else if (AT(ps, "peripheral", "interrupt")) {
        struct svd_peripheral *p = cur_periph(ps);
        p->irqs = grow(p->irqs, p->nirqs, sizeof *p->irqs);
        p->nirqs++;
    } else if (AT(ps, "peripheral", "registers", "register")) {
        struct svd_peripheral *p = cur_periph(ps);
        p->regs = grow(p->regs, p->nregs, sizeof *p->regs);
        p->nregs++;
    } else if (AT(ps, "register", "fields", "field")) {
        struct svd_register *r = cur_reg(ps);
        r->fields = grow(r->fields, r->nfields, sizeof *r->fields);
        r->nfields++;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct parse *ps = ud;
    size_t room = sizeof ps->text - 1 - ps->textlen;
    size_t n = (size_t)len < room ? (size_t)len : room;
    memcpy(ps->text + ps->textlen, s, n);
    ps->textlen += n;
    ps->text[ps->textlen] = 0;
}

static uint32_t number(struct parse *ps)
{
    char *end;
    unsigned long v = strtoul(ps->text, &end, 0); /* 0x.., 0X.. and decimal */
    if (end == ps->text) {
        fprintf(stderr, "svd: bad number '%s' in <%s>\n", ps->text, ps->names[ps->depth - 1]);
        ps->error = true;
    }
    return (uint32_t)v;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct parse *ps = ud;
    (void)name;
    if (AT(ps, "peripherals", "peripheral", "name"))
        copy_name(cur_periph(ps)->name, sizeof cur_periph(ps)->name, ps->text);
    else if (AT(ps, "peripherals", "peripheral", "baseAddress"))
        cur_periph(ps)->base = number(ps);
    else if (AT(ps, "peripheral", "interrupt", "name")) {
        struct svd_peripheral *p = cur_periph(ps);
        copy_name(p->irqs[p->nirqs - 1].name, sizeof p->irqs[0].name, ps->text);
    } else if (AT(ps, "peripheral", "interrupt", "value")) {
        struct svd_peripheral *p = cur_periph(ps);
        p->irqs[p->nirqs - 1].value = (int)number(ps);
    } else if (AT(ps, "registers", "register", "name"))
        copy_name(cur_reg(ps)->name, sizeof cur_reg(ps)->name, ps->text);
    else if (AT(ps, "registers", "register", "addressOffset"))
        cur_reg(ps)->offset = number(ps);
    else if (AT(ps, "fields", "field", "name") || AT(ps, "fields", "field", "bitOffset") ||
             AT(ps, "fields", "field", "bitWidth")) {
        struct svd_register *r = cur_reg(ps);
        struct svd_field *f = &r->fields[r->nfields - 1];
        const char *leaf = ps->names[ps->depth - 1];
        if (strcmp(leaf, "name") == 0)
            copy_name(f->name, sizeof f->name, ps->text);
        else if (strcmp(leaf, "bitOffset") == 0)
            f->offset = number(ps);
        else
            f->width = number(ps);
    }
    ps->depth--;
    ps->textlen = 0;
    ps->text[0] = 0;
}

int svd_load(const char *path, struct svd_device *dev)
{
    memset(dev, 0, sizeof *dev);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    XML_Parser parser = XML_ParserCreate(NULL);
    struct parse ps = {.dev = dev};
    XML_SetUserData(parser, &ps);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    char buf[65536];
    int rc = 0;
    for (;;) {
        size_t n = fread(buf, 1, sizeof buf, f);
        bool last = n < sizeof buf;
        if (XML_Parse(parser, buf, (int)n, last) == XML_STATUS_ERROR) {
            fprintf(stderr, "%s:%lu: %s\n", path, (unsigned long)XML_GetCurrentLineNumber(parser),
                    XML_ErrorString(XML_GetErrorCode(parser)));
            rc = -1;
            break;
        }
        if (last)
            break;
    }
    if (ps.error)
        rc = -1;
    XML_ParserFree(parser);
    fclose(f);
    if (rc == 0 && dev->nperiphs == 0) {
        fprintf(stderr, "%s: no peripherals found\n", path);
        rc = -1;
    }
    return rc;
}

void svd_free(struct svd_device *dev)
{
    for (size_t i = 0; i < dev->nperiphs; i++) {
        struct svd_peripheral *p = &dev->periphs[i];
        for (size_t j = 0; j < p->nregs; j++)
            free(p->regs[j].fields);
        free(p->regs);
        free(p->irqs);
    }
    free(dev->periphs);
    memset(dev, 0, sizeof *dev);
}

const struct svd_peripheral *svd_peripheral(const struct svd_device *dev, const char *name)
{
    for (size_t i = 0; i < dev->nperiphs; i++)
        if (strcmp(dev->periphs[i].name, name) == 0)
            return &dev->periphs[i];
    return NULL;
}

const struct svd_peripheral *svd_registers_of(const struct svd_device *dev, const struct svd_peripheral *p)
{
    /* derivedFrom chains are one level deep in ST's files; allow a few. */
    for (int hops = 0; p && p->derived_from[0] && p->nregs == 0 && hops < 4; hops++)
        p = svd_peripheral(dev, p->derived_from);
    return p;
}

const struct svd_register *svd_register(const struct svd_peripheral *p, const char *name)
{
    for (size_t i = 0; p && i < p->nregs; i++)
        if (strcmp(p->regs[i].name, name) == 0)
            return &p->regs[i];
    return NULL;
}

const struct svd_field *svd_field(const struct svd_register *r, const char *name)
{
    for (size_t i = 0; r && i < r->nfields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    return NULL;
}
