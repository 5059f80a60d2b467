#include "svd_reset.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PERIPHERALS 128
#define MAX_REGISTERS 4096

struct svd_register {
    int peripheral;
    char name[64];
    uint32_t reset;
};

struct svd_peripheral {
    char name[64];
    char derived[64];
};

struct svd {
    struct svd_peripheral periph[MAX_PERIPHERALS];
    int nperiph;
    struct svd_register *regs;
    int nregs;
    /* parser state */
    char path[8][32]; /* element names from the root */
    int depth;
    char text[64];
    size_t textlen;
};

static const char *parent(const struct svd *s, int up)
{
    int d = s->depth - 1 - up;
    return d >= 0 && d < 8 ? s->path[d] : "";
}

static void on_start(void *ctx, const XML_Char *el, const XML_Char **attrs)
{
    struct svd *s = ctx;
    if (s->depth < 8)
        snprintf(s->path[s->depth], sizeof s->path[0], "%s", el);
    s->depth++;
    s->textlen = 0;
    if (!strcmp(el, "peripheral") && s->nperiph < MAX_PERIPHERALS) {
        struct svd_peripheral *p = &s->periph[s->nperiph++];
        memset(p, 0, sizeof *p);
        for (int i = 0; attrs[i]; i += 2)
            if (!strcmp(attrs[i], "derivedFrom"))
                snprintf(p->derived, sizeof p->derived, "%s", attrs[i + 1]);
    }
    if (!strcmp(el, "register") && s->nregs < MAX_REGISTERS) {
        memset(&s->regs[s->nregs], 0, sizeof s->regs[0]);
        s->regs[s->nregs].peripheral = s->nperiph - 1;
        s->nregs++;
    }
}

static void on_text(void *ctx, const XML_Char *text, int len)
{
    struct svd *s = ctx;
    size_t n = (size_t)len;
    if (s->textlen + n >= sizeof s->text)
        n = sizeof s->text - 1 - s->textlen;
    memcpy(s->text + s->textlen, text, n);
    s->textlen += n;
    s->text[s->textlen] = '\0';
}

static void on_end(void *ctx, const XML_Char *el)
{
    struct svd *s = ctx;
    s->depth--;
    s->text[s->textlen] = '\0';
    /* <peripheral><name> and <register><name>/<resetValue> (depth-checked by parent) */
    if (!strcmp(el, "name") && !strcmp(parent(s, 0), "peripheral") && s->nperiph)
        snprintf(s->periph[s->nperiph - 1].name, sizeof s->periph[0].name, "%s", s->text);
    if (!strcmp(parent(s, 0), "register") && s->nregs) {
        if (!strcmp(el, "name"))
            snprintf(s->regs[s->nregs - 1].name, sizeof s->regs[0].name, "%s", s->text);
        else if (!strcmp(el, "resetValue"))
            s->regs[s->nregs - 1].reset = (uint32_t)strtoul(s->text, NULL, 0);
    }
    s->textlen = 0;
}

struct svd *svd_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct svd *s = calloc(1, sizeof *s);
    s->regs = calloc(MAX_REGISTERS, sizeof *s->regs);
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    char buf[65536];
    size_t n;
    bool ok = true;
    do {
        n = fread(buf, 1, sizeof buf, f);
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            ok = false;
            break;
        }
    } while (n);
    XML_ParserFree(p);
    fclose(f);
    if (!ok) {
        svd_free(s);
        return NULL;
    }
    return s;
}

void svd_free(struct svd *s)
{
    if (!s)
        return;
    free(s->regs);
    free(s);
}

static int find_peripheral(const struct svd *s, const char *name)
{
    for (int i = 0; i < s->nperiph; i++)
        if (!strcmp(s->periph[i].name, name))
            return i;
    return -1;
}

bool svd_reset_value(const struct svd *s, const char *peripheral, const char *reg, uint32_t *value)
{
    int p = find_peripheral(s, peripheral);
    if (p >= 0 && s->periph[p].derived[0])
        p = find_peripheral(s, s->periph[p].derived);
    if (p < 0)
        return false;
    for (int i = 0; i < s->nregs; i++)
        if (s->regs[i].peripheral == p && !strcmp(s->regs[i].name, reg)) {
            *value = s->regs[i].reset;
            return true;
        }
    return false;
}
