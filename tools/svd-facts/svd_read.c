/*
 * CMSIS-SVD to facts (expat). Keeps only facts, never descriptions:
 * device name and version; peripheral name, baseAddress, addressBlock
 * extent, interrupts; register name, addressOffset, size, resetValue,
 * access; field name and bit position (bitOffset/bitWidth, lsb/msb or
 * bitRange). size, access and resetValue are inherited device ->
 * peripheral -> register as CMSIS-SVD says; a derivedFrom peripheral gets
 * the registers (and address blocks) of the one it names, its own
 * registers replacing those of the same name. dim arrays and clusters are
 * not expanded: the file is refused rather than half read.
 */
#include <errno.h>
#include <expat.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "facts.h"

#define MAX_DEPTH 16

/* Register properties a level may set for the levels below it. */
struct defaults {
    bool has_size, has_reset, has_access;
    unsigned size;
    uint32_t reset;
    const char *access;
};

struct periph_extra {
    char *derived_from;
    struct defaults d;
    bool has_blocks;
    uint32_t block_offset;
};

struct reg_extra {
    struct defaults d;
    bool has_lsb, has_msb;
    unsigned lsb, msb;
};

struct parse {
    XML_Parser xp;
    struct facts *f;
    struct periph_extra *pe; /* parallel to f->periphs */
    size_t npe;
    struct defaults device;
    struct reg_extra *cur_reg;
    struct reg_extra *re; /* per register of the current peripheral */
    size_t nre;
    struct facts_field *cur_field;
    bool field_lsb, field_msb;
    unsigned lsb, msb;
    char names[MAX_DEPTH][24];
    int depth;
    char text[256];
    size_t textlen;
    int rc;
    char *err;
    size_t errlen;
};

static void fail(struct parse *ps, int rc, const char *what)
{
    if (ps->rc)
        return;
    ps->rc = facts_fail(ps->err, ps->errlen, rc, "line %lu: %s",
                        (unsigned long)XML_GetCurrentLineNumber(ps->xp), what);
    XML_StopParser(ps->xp, XML_FALSE);
}

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

static struct facts_periph *cur_periph(struct parse *ps)
{
    return &ps->f->periphs[ps->f->nperiphs - 1];
}

static struct facts_reg *cur_reg(struct parse *ps)
{
    struct facts_periph *p = cur_periph(ps);
    return &p->regs[p->nregs - 1];
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct parse *ps = ud;
    if (ps->depth >= MAX_DEPTH) {
        fail(ps, -EINVAL, "elements nested too deep for an SVD");
        return;
    }
    snprintf(ps->names[ps->depth++], sizeof ps->names[0], "%s", name);
    ps->textlen = 0;
    ps->text[0] = 0;
    struct facts *f = ps->f;
    if (AT(ps, "device", "peripherals", "peripheral")) {
        struct facts_periph *p = facts_grow(f->periphs, &f->nperiphs, sizeof *p);
        struct periph_extra *e = facts_grow(ps->pe, &ps->npe, sizeof *e);
        if (p)
            f->periphs = p;
        if (e)
            ps->pe = e;
        if (!p || !e) {
            fail(ps, -ENOMEM, "out of memory");
            return;
        }
        for (int i = 0; attrs[i]; i += 2)
            if (strcmp(attrs[i], "derivedFrom") == 0 && !(e[ps->npe - 1].derived_from = strdup(attrs[i + 1]))) {
                fail(ps, -ENOMEM, "out of memory");
                return;
            }
        free(ps->re);
        ps->re = NULL;
        ps->nre = 0;
    } else if (AT(ps, "peripheral", "registers", "register")) {
        struct facts_periph *p = cur_periph(ps);
        struct facts_reg *r = facts_grow(p->regs, &p->nregs, sizeof *r);
        struct reg_extra *e = facts_grow(ps->re, &ps->nre, sizeof *e);
        if (r)
            p->regs = r;
        if (e)
            ps->re = e;
        if (!r || !e) {
            fail(ps, -ENOMEM, "out of memory");
            return;
        }
        ps->cur_reg = &e[ps->nre - 1];
        for (int i = 0; attrs[i]; i += 2)
            if (strcmp(attrs[i], "derivedFrom") == 0) {
                fail(ps, -EINVAL, "register derivedFrom is not supported");
                return;
            }
    } else if (AT(ps, "register", "fields", "field")) {
        struct facts_reg *r = cur_reg(ps);
        struct facts_field *fl = facts_grow(r->fields, &r->nfields, sizeof *fl);
        if (!fl) {
            fail(ps, -ENOMEM, "out of memory");
            return;
        }
        r->fields = fl;
        ps->cur_field = &fl[r->nfields - 1];
        ps->field_lsb = ps->field_msb = false;
    } else if (!strcmp(name, "cluster") || !strcmp(name, "dim")) {
        fail(ps, -EINVAL, "dim arrays and clusters are not supported");
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

/* The element's text as a number: decimal, 0x hex or #binary. */
static uint32_t number(struct parse *ps)
{
    char *s = ps->text;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    char *end;
    unsigned long long v = *s == '#' ? strtoull(s + 1, &end, 2) : strtoull(s, &end, 0);
    while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
        end++;
    if (end == s || *end || v > UINT32_MAX) {
        char what[96];
        snprintf(what, sizeof what, "<%s> is not a 32-bit number", ps->names[ps->depth - 1]);
        fail(ps, -EINVAL, what);
    }
    return (uint32_t)v;
}

static const char *access_code(struct parse *ps)
{
    static const char *const svd[][2] = {{"read-write", "rw"}, {"read-only", "ro"}, {"write-only", "wo"},
                                         {"writeOnce", "w1"}, {"read-writeOnce", "rw1"}};
    for (size_t i = 0; i < sizeof svd / sizeof svd[0]; i++)
        if (strcmp(ps->text, svd[i][0]) == 0)
            return svd[i][1];
    fail(ps, -EINVAL, "unknown <access>");
    return NULL;
}

static char *copy_text(struct parse *ps)
{
    char *s = strdup(ps->text);
    if (!s)
        fail(ps, -ENOMEM, "out of memory");
    return s;
}

/* size/resetValue/access at any level: device, peripheral or register. */
static bool set_default(struct parse *ps, struct defaults *d, const char *leaf)
{
    if (!strcmp(leaf, "size")) {
        d->size = number(ps);
        d->has_size = true;
    } else if (!strcmp(leaf, "resetValue")) {
        d->reset = number(ps);
        d->has_reset = true;
    } else if (!strcmp(leaf, "access")) {
        d->access = access_code(ps);
        d->has_access = true;
    } else {
        return false;
    }
    return true;
}

static void end_field(struct parse *ps, const char *leaf)
{
    struct facts_field *fl = ps->cur_field;
    if (!strcmp(leaf, "name"))
        fl->name = copy_text(ps);
    else if (!strcmp(leaf, "bitOffset"))
        fl->pos = number(ps);
    else if (!strcmp(leaf, "bitWidth"))
        fl->width = number(ps);
    else if (!strcmp(leaf, "lsb")) {
        ps->lsb = number(ps);
        ps->field_lsb = true;
    } else if (!strcmp(leaf, "msb")) {
        ps->msb = number(ps);
        ps->field_msb = true;
    } else if (!strcmp(leaf, "bitRange")) {
        unsigned msb, lsb;
        char close;
        if (sscanf(ps->text, " [%u:%u%c", &msb, &lsb, &close) != 3 || close != ']') {
            fail(ps, -EINVAL, "bad <bitRange>");
            return;
        }
        ps->msb = msb;
        ps->lsb = lsb;
        ps->field_lsb = ps->field_msb = true;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct parse *ps = ud;
    const char *leaf = ps->names[ps->depth - 1];
    (void)name;
    if (ps->rc)
        return;
    struct facts *f = ps->f;
    if (AT(ps, "device", "name"))
        f->device = copy_text(ps);
    else if (AT(ps, "device", "version"))
        f->version = copy_text(ps);
    else if (ps->depth == 2)
        set_default(ps, &ps->device, leaf);
    else if (AT(ps, "peripherals", "peripheral", leaf)) {
        struct facts_periph *p = cur_periph(ps);
        struct periph_extra *e = &ps->pe[ps->npe - 1];
        if (!strcmp(leaf, "name"))
            p->name = copy_text(ps);
        else if (!strcmp(leaf, "baseAddress"))
            p->base = number(ps);
        else
            set_default(ps, &e->d, leaf);
    } else if (AT(ps, "peripheral", "addressBlock", "offset")) {
        ps->pe[ps->npe - 1].block_offset = number(ps);
    } else if (AT(ps, "peripheral", "addressBlock", "size")) {
        struct periph_extra *e = &ps->pe[ps->npe - 1];
        uint32_t end = e->block_offset + number(ps);
        if (end > cur_periph(ps)->span)
            cur_periph(ps)->span = end;
        e->has_blocks = true;
    } else if (AT(ps, "peripheral", "interrupt", "name") || AT(ps, "peripheral", "interrupt", "value")) {
        if (!strcmp(leaf, "name")) {
            struct facts_irq *q = facts_grow(f->irqs, &f->nirqs, sizeof *q);
            if (!q) {
                fail(ps, -ENOMEM, "out of memory");
                return;
            }
            f->irqs = q;
            q[f->nirqs - 1] = (struct facts_irq){copy_text(ps), -1};
        } else if (f->nirqs && f->irqs[f->nirqs - 1].value < 0) {
            f->irqs[f->nirqs - 1].value = (int)number(ps);
        }
    } else if (AT(ps, "registers", "register", leaf)) {
        struct facts_reg *r = cur_reg(ps);
        if (!strcmp(leaf, "name"))
            r->name = copy_text(ps);
        else if (!strcmp(leaf, "addressOffset"))
            r->offset = number(ps);
        else
            set_default(ps, &ps->cur_reg->d, leaf);
    } else if (AT(ps, "register", "fields", "field", leaf)) {
        end_field(ps, leaf);
    } else if (AT(ps, "register", "fields", "field") && ps->field_lsb && ps->field_msb) {
        if (ps->msb < ps->lsb) {
            fail(ps, -EINVAL, "field msb below lsb");
            return;
        }
        ps->cur_field->pos = ps->lsb;
        ps->cur_field->width = ps->msb - ps->lsb + 1;
    } else if (AT(ps, "peripherals", "peripheral")) {
        /* register defaults: register, else peripheral, else device; applied
         * now, while the peripheral's own defaults are known */
        struct facts_periph *p = cur_periph(ps);
        const struct defaults *pd = &ps->pe[ps->npe - 1].d, *dd = &ps->device;
        for (size_t i = 0; i < p->nregs; i++) {
            const struct defaults *rd = &ps->re[i].d;
            struct facts_reg *r = &p->regs[i];
            r->size = rd->has_size ? rd->size : pd->has_size ? pd->size : dd->has_size ? dd->size : 32;
            r->reset = rd->has_reset ? rd->reset : pd->has_reset ? pd->reset : dd->has_reset ? dd->reset : 0;
            r->access = rd->has_access ? rd->access : pd->has_access ? pd->access : dd->access;
        }
    }
    ps->depth--;
    ps->textlen = 0;
    ps->text[0] = 0;
}

static int copy_regs(struct facts_periph *to, const struct facts_periph *from)
{
    for (size_t i = 0; i < from->nregs; i++) {
        const struct facts_reg *src = &from->regs[i];
        if (facts_reg(to, src->name))
            continue; /* the derived peripheral redefines it */
        struct facts_reg *r = facts_grow(to->regs, &to->nregs, sizeof *r);
        if (!r)
            return -ENOMEM;
        to->regs = r;
        r = &r[to->nregs - 1];
        *r = *src;
        r->fields = NULL;
        r->nfields = 0;
        if (!(r->name = strdup(src->name)))
            return -ENOMEM;
        for (size_t k = 0; k < src->nfields; k++) {
            struct facts_field *fl = facts_grow(r->fields, &r->nfields, sizeof *fl);
            if (!fl)
                return -ENOMEM;
            r->fields = fl;
            fl[r->nfields - 1] = (struct facts_field){strdup(src->fields[k].name), src->fields[k].pos,
                                                      src->fields[k].width};
            if (!fl[r->nfields - 1].name)
                return -ENOMEM;
        }
    }
    return 0;
}

/* Only one level: in ST's files a derivedFrom names a peripheral that derives from none. */
static int resolve(struct parse *ps)
{
    struct facts *f = ps->f;
    for (size_t i = 0; i < f->nperiphs; i++) {
        struct facts_periph *p = &f->periphs[i];
        if (!p->name)
            return facts_fail(ps->err, ps->errlen, -EINVAL, "a peripheral without <name>");
        const char *from = ps->pe[i].derived_from;
        if (!from)
            continue;
        const struct facts_periph *src = facts_periph(f, from);
        size_t j = src ? (size_t)(src - f->periphs) : 0;
        if (!src || ps->pe[j].derived_from)
            return facts_fail(ps->err, ps->errlen, -EINVAL, "%s: derivedFrom '%s' %s", p->name, from,
                              src ? "derives from another peripheral (not supported)" : "is not a peripheral");
        if (!ps->pe[i].has_blocks)
            p->span = src->span;
        if (copy_regs(p, src))
            return facts_fail(ps->err, ps->errlen, -ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < f->nperiphs; i++)
        for (size_t j = 0; j < f->periphs[i].nregs; j++) {
            const struct facts_reg *r = &f->periphs[i].regs[j];
            if (!r->name)
                return facts_fail(ps->err, ps->errlen, -EINVAL, "%s: a register without <name>", f->periphs[i].name);
            for (size_t k = 0; k < r->nfields; k++)
                if (!r->fields[k].name || !r->fields[k].width)
                    return facts_fail(ps->err, ps->errlen, -EINVAL, "%s.%s: a field without name or width",
                                      f->periphs[i].name, r->name);
        }
    for (size_t i = 0; i < f->nirqs; i++)
        if (f->irqs[i].value < 0)
            return facts_fail(ps->err, ps->errlen, -EINVAL, "interrupt %s without <value>", f->irqs[i].name);
    return 0;
}

int svd_read(struct facts *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    FILE *in = fopen(path, "rb");
    if (!in)
        return facts_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(in);
        bool dir = S_ISDIR(st.st_mode);
        return facts_fail(err, errlen, dir ? -EISDIR : -EINVAL, "%s: %s", path,
                          dir ? strerror(EISDIR) : "not a regular file");
    }
    char msg[200] = "";
    struct parse ps = {.f = f, .err = msg, .errlen = sizeof msg};
    ps.xp = XML_ParserCreate(NULL);
    if (!ps.xp) {
        fclose(in);
        return facts_fail(err, errlen, -ENOMEM, "out of memory");
    }
    XML_SetUserData(ps.xp, &ps);
    XML_SetElementHandler(ps.xp, on_start, on_end);
    XML_SetCharacterDataHandler(ps.xp, on_text);
    char *buf = malloc(65536);
    if (!buf)
        ps.rc = facts_fail(msg, sizeof msg, -ENOMEM, "out of memory");
    while (buf) {
        size_t n = fread(buf, 1, 65536, in);
        bool last = n < 65536;
        if (XML_Parse(ps.xp, buf, (int)n, last) == XML_STATUS_ERROR) {
            if (!ps.rc)
                ps.rc = facts_fail(msg, sizeof msg, -EINVAL, "line %lu: %s",
                                   (unsigned long)XML_GetCurrentLineNumber(ps.xp),
                                   XML_ErrorString(XML_GetErrorCode(ps.xp)));
            break;
        }
        if (last)
            break;
    }
    free(buf);
    XML_ParserFree(ps.xp);
    fclose(in);
    int rc = ps.rc;
    if (!rc && (!f->device || !f->nperiphs))
        rc = facts_fail(msg, sizeof msg, -EINVAL, "no <device> with <peripherals>");
    if (!rc)
        rc = resolve(&ps);
    for (size_t i = 0; i < ps.npe; i++)
        free(ps.pe[i].derived_from);
    free(ps.pe);
    free(ps.re);
    if (rc) {
        facts_fail(err, errlen, rc, "%s: not a CMSIS-SVD file we can read (%s)", path, msg);
        facts_free(f);
        return rc;
    }
    facts_sort(f);
    return 0;
}
