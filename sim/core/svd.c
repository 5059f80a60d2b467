/*
 * Register names from ST's SVD (CMSIS-SVD format), read with expat: only
 * peripheral name/baseAddress/derivedFrom and register name/addressOffset
 * are kept, to name unmodeled accesses "PERIPH.REG" in the report.
 */
#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct svd_reg {
    char name[64];
    uint32_t offset;
};

struct svd_periph {
    char name[64];
    char derived[64];
    uint32_t base;
    struct svd_reg *regs;
    unsigned count, cap;
};

struct svd_names {
    struct svd_periph *p;
    unsigned count, cap;
};

struct parse {
    struct svd_names *n;
    int depth;
    bool in_periph, in_reg, bad;
    char tag[32];
    char text[64];
    size_t len;
};

static struct svd_periph *cur(struct parse *ps)
{
    return ps->n->count ? &ps->n->p[ps->n->count - 1] : NULL;
}

static void on_start(void *user, const XML_Char *el, const XML_Char **attr)
{
    struct parse *ps = user;
    ps->len = 0;
    ps->text[0] = 0;
    if (strcmp(el, "peripheral") == 0) {
        struct svd_names *n = ps->n;
        if (n->count == n->cap) {
            unsigned cap = n->cap ? n->cap * 2 : 64;
            struct svd_periph *p = realloc(n->p, cap * sizeof *p);
            if (!p) {
                ps->bad = true;
                return;
            }
            n->p = p;
            n->cap = cap;
        }
        struct svd_periph *p = &n->p[n->count++];
        memset(p, 0, sizeof *p);
        for (int i = 0; attr[i]; i += 2)
            if (strcmp(attr[i], "derivedFrom") == 0)
                snprintf(p->derived, sizeof p->derived, "%s", attr[i + 1]);
        ps->in_periph = true;
    } else if (strcmp(el, "register") == 0 && ps->in_periph) {
        struct svd_periph *p = cur(ps);
        if (p->count == p->cap) {
            unsigned cap = p->cap ? p->cap * 2 : 16;
            struct svd_reg *r = realloc(p->regs, cap * sizeof *r);
            if (!r) {
                ps->bad = true;
                return;
            }
            p->regs = r;
            p->cap = cap;
        }
        memset(&p->regs[p->count++], 0, sizeof(struct svd_reg));
        ps->in_reg = true;
    } else if (strcmp(el, "field") == 0 || strcmp(el, "interrupt") == 0 || strcmp(el, "addressBlock") == 0) {
        ps->depth++; /* names inside these are not register or peripheral names */
    }
}

static void on_text(void *user, const XML_Char *s, int len)
{
    struct parse *ps = user;
    for (int i = 0; i < len && ps->len + 1 < sizeof ps->text; i++)
        ps->text[ps->len++] = s[i];
    ps->text[ps->len] = 0;
}

static void on_end(void *user, const XML_Char *el)
{
    struct parse *ps = user;
    struct svd_periph *p = cur(ps);
    if (strcmp(el, "field") == 0 || strcmp(el, "interrupt") == 0 || strcmp(el, "addressBlock") == 0) {
        ps->depth--;
    } else if (strcmp(el, "peripheral") == 0) {
        ps->in_periph = false;
    } else if (strcmp(el, "register") == 0) {
        ps->in_reg = false;
    } else if (p && ps->in_periph && ps->depth == 0) {
        if (ps->in_reg) {
            struct svd_reg *r = &p->regs[p->count - 1];
            if (strcmp(el, "name") == 0)
                snprintf(r->name, sizeof r->name, "%s", ps->text);
            else if (strcmp(el, "addressOffset") == 0)
                r->offset = (uint32_t)strtoul(ps->text, NULL, 0);
        } else {
            if (strcmp(el, "name") == 0)
                snprintf(p->name, sizeof p->name, "%s", ps->text);
            else if (strcmp(el, "baseAddress") == 0)
                p->base = (uint32_t)strtoul(ps->text, NULL, 0);
        }
    }
    ps->len = 0;
    ps->text[0] = 0;
}

struct svd_names *core_svd_load(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    struct svd_names *n = calloc(1, sizeof *n);
    XML_Parser xp = XML_ParserCreate(NULL);
    struct parse ps = {.n = n};
    bool ok = n && xp;
    if (ok) {
        XML_SetUserData(xp, &ps);
        XML_SetElementHandler(xp, on_start, on_end);
        XML_SetCharacterDataHandler(xp, on_text);
        char buf[65536];
        size_t got;
        do {
            got = fread(buf, 1, sizeof buf, f);
            if (XML_Parse(xp, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
                ok = false;
                break;
            }
        } while (got > 0);
    }
    if (xp)
        XML_ParserFree(xp);
    fclose(f);
    if (!ok || ps.bad) {
        core_svd_free(n);
        return NULL;
    }
    return n;
}

void core_svd_free(struct svd_names *n)
{
    if (!n)
        return;
    for (unsigned i = 0; i < n->count; i++)
        free(n->p[i].regs);
    free(n->p);
    free(n);
}

static const struct svd_periph *registers_of(const struct svd_names *n, const struct svd_periph *p)
{
    if (!p->derived[0])
        return p;
    for (unsigned i = 0; i < n->count; i++)
        if (strcmp(n->p[i].name, p->derived) == 0)
            return &n->p[i];
    return p;
}

const char *core_svd_name(const struct svd_names *n, uint32_t address, char *buf, size_t len)
{
    const struct svd_periph *best = NULL;
    for (unsigned i = 0; i < n->count; i++) {
        const struct svd_periph *p = &n->p[i];
        if (p->base <= address && address - p->base < 0x400u && (!best || p->base > best->base))
            best = p;
    }
    if (!best)
        return NULL;
    const struct svd_periph *regs = registers_of(n, best);
    for (unsigned i = 0; i < regs->count; i++) {
        if (regs->regs[i].offset == ((address - best->base) & ~3u)) {
            snprintf(buf, len, "%s.%s", best->name, regs->regs[i].name);
            return buf;
        }
    }
    snprintf(buf, len, "%s+0x%03x", best->name, address - best->base);
    return buf;
}
