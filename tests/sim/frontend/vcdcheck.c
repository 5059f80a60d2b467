#include "vcdcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lexer {
    const char *p;
    int line;
};

/* Next white-space separated token into tok; false at the end. */
static bool next(struct lexer *lx, char *tok, size_t size)
{
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
        lx->line += *lx->p++ == '\n';
    if (!*lx->p)
        return false;
    size_t n = 0;
    while (*lx->p && !strchr(" \t\r\n", *lx->p)) {
        if (n + 1 < size)
            tok[n++] = *lx->p;
        lx->p++;
    }
    tok[n] = '\0';
    return true;
}

static int fail(struct vcdcheck *v, const struct lexer *lx, char *why, size_t whylen, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(why, whylen, "line %d: %s", lx->line, msg);
    vcdcheck_free(v);
    return -1;
}

/* strcpy that refuses to truncate. */
static bool copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

static struct vcdcheck_var *by_id(struct vcdcheck *v, const char *id)
{
    for (size_t i = 0; i < v->n_vars; i++)
        if (strcmp(v->vars[i].id, id) == 0)
            return &v->vars[i];
    return NULL;
}

static bool add_change(struct vcdcheck_var *var, uint64_t t, uint32_t value, bool known)
{
    struct vcdcheck_change *grown = realloc(var->changes, (var->n_changes + 1) * sizeof *grown);
    if (!grown)
        return false;
    var->changes = grown;
    var->changes[var->n_changes++] = (struct vcdcheck_change){ t, value, known };
    return true;
}

/* A value change token: "1!", "x!" or "b101" followed by an id token. */
static const char *value_change(struct vcdcheck *v, struct lexer *lx, const char *tok, uint64_t t)
{
    char id[64];
    const char *digits;
    bool vector = tok[0] == 'b' || tok[0] == 'B';
    if (vector) {
        digits = tok + 1;
        if (!next(lx, id, sizeof id))
            return "vector value without identifier";
    } else {
        if (!strchr("01xXzZ", tok[0]) || !tok[1])
            return "bad scalar value change";
        if (!copy(id, sizeof id, tok + 1))
            return "identifier too long";
        digits = tok;
    }
    struct vcdcheck_var *var = by_id(v, id);
    if (!var)
        return "value change for an undeclared identifier";
    size_t n = vector ? strlen(digits) : 1;
    if (n == 0 || n > var->width || (!vector && var->width != 1))
        return "value does not fit the declared width";
    uint32_t value = 0;
    bool known = true;
    for (size_t i = 0; i < n; i++) {
        if (digits[i] == '0' || digits[i] == '1')
            value = value << 1 | (uint32_t)(digits[i] - '0');
        else if (strchr("xXzZ", digits[i]))
            known = false;
        else
            return "bad digit in a value";
    }
    return add_change(var, t, known ? value : 0, known) ? NULL : "out of memory";
}

int vcdcheck_parse(const char *text, struct vcdcheck *v, char *why, size_t whylen)
{
    memset(v, 0, sizeof *v);
    struct lexer lx = { text, 1 };
    char tok[256];
    char scope[16][64];
    int depth = 0;
    bool definitions_done = false, dumpvars = false, have_time = false;
    uint64_t t = 0;
    while (next(&lx, tok, sizeof tok)) {
        if (!definitions_done) {
            if (strcmp(tok, "$scope") == 0) {
                char kind[32], name[64], end[16];
                if (!next(&lx, kind, sizeof kind) || !next(&lx, name, sizeof name) || !next(&lx, end, sizeof end) ||
                    strcmp(end, "$end") != 0 || depth == 16)
                    return fail(v, &lx, why, whylen, "bad $scope");
                snprintf(scope[depth++], sizeof scope[0], "%s", name);
            } else if (strcmp(tok, "$upscope") == 0) {
                if (!next(&lx, tok, sizeof tok) || strcmp(tok, "$end") != 0 || depth == 0)
                    return fail(v, &lx, why, whylen, "bad $upscope");
                depth--;
            } else if (strcmp(tok, "$var") == 0) {
                char type[32], width[16], id[64], ref[64], end[16];
                if (!next(&lx, type, sizeof type) || !next(&lx, width, sizeof width) || !next(&lx, id, sizeof id) ||
                    !next(&lx, ref, sizeof ref) || !next(&lx, end, sizeof end) || strcmp(end, "$end") != 0)
                    return fail(v, &lx, why, whylen, "bad $var");
                if (depth == 0)
                    return fail(v, &lx, why, whylen, "$var outside any $scope");
                if (strcmp(type, "wire") != 0 || atoi(width) < 1 || atoi(width) > 32)
                    return fail(v, &lx, why, whylen, "unexpected $var type or width");
                for (const char *c = id; *c; c++)
                    if (*c < '!' || *c > '~')
                        return fail(v, &lx, why, whylen, "identifier code outside '!'..'~'");
                if (by_id(v, id))
                    return fail(v, &lx, why, whylen, "identifier %s declared twice", id);
                struct vcdcheck_var *grown = realloc(v->vars, (v->n_vars + 1) * sizeof *grown);
                if (!grown)
                    return fail(v, &lx, why, whylen, "out of memory");
                v->vars = grown;
                struct vcdcheck_var *var = &v->vars[v->n_vars++];
                memset(var, 0, sizeof *var);
                size_t at = 0;
                for (int d = 1; d < depth; d++) /* below the top scope */
                    at += (size_t)snprintf(var->name + at, sizeof var->name - at, "%s.", scope[d]);
                snprintf(var->name + at, sizeof var->name - at, "%s", ref);
                if (!copy(var->id, sizeof var->id, id))
                    return fail(v, &lx, why, whylen, "identifier too long");
                var->width = (unsigned)atoi(width);
            } else if (strcmp(tok, "$enddefinitions") == 0) {
                if (!next(&lx, tok, sizeof tok) || strcmp(tok, "$end") != 0 || depth != 0)
                    return fail(v, &lx, why, whylen, "bad $enddefinitions (open scopes: %d)", depth);
                definitions_done = true;
            } else if (tok[0] == '$') {
                bool timescale = strcmp(tok, "$timescale") == 0;
                while (next(&lx, tok, sizeof tok) && strcmp(tok, "$end") != 0)
                    if (timescale) {
                        size_t used = strlen(v->timescale);
                        if (!copy(v->timescale + used, sizeof v->timescale - used, tok))
                            return fail(v, &lx, why, whylen, "$timescale too long");
                    }
                if (strcmp(tok, "$end") != 0)
                    return fail(v, &lx, why, whylen, "section without $end");
            } else {
                return fail(v, &lx, why, whylen, "unexpected '%s' in the header", tok);
            }
            continue;
        }
        if (tok[0] == '#') {
            char *end;
            uint64_t now = strtoull(tok + 1, &end, 10);
            if (!tok[1] || *end)
                return fail(v, &lx, why, whylen, "bad timestamp '%s'", tok);
            if (have_time && now <= t)
                return fail(v, &lx, why, whylen, "timestamp %llu not after %llu", (unsigned long long)now,
                            (unsigned long long)t);
            t = now;
            have_time = true;
            v->n_timestamps++;
            v->last_time = t;
        } else if (strcmp(tok, "$dumpvars") == 0) {
            if (!have_time || dumpvars)
                return fail(v, &lx, why, whylen, "$dumpvars before a timestamp or inside another");
            dumpvars = true;
        } else if (strcmp(tok, "$end") == 0) {
            if (!dumpvars)
                return fail(v, &lx, why, whylen, "$end without a section");
            dumpvars = false;
        } else {
            if (!have_time)
                return fail(v, &lx, why, whylen, "value change before the first timestamp");
            const char *problem = value_change(v, &lx, tok, t);
            if (problem)
                return fail(v, &lx, why, whylen, "%s ('%s')", problem, tok);
        }
    }
    if (!definitions_done || dumpvars)
        return fail(v, &lx, why, whylen, "missing $enddefinitions or unclosed $dumpvars");
    return 0;
}

const struct vcdcheck_var *vcdcheck_find(const struct vcdcheck *v, const char *name)
{
    for (size_t i = 0; i < v->n_vars; i++)
        if (strcmp(v->vars[i].name, name) == 0)
            return &v->vars[i];
    return NULL;
}

void vcdcheck_free(struct vcdcheck *v)
{
    for (size_t i = 0; i < v->n_vars; i++)
        free(v->vars[i].changes);
    free(v->vars);
    v->vars = NULL;
    v->n_vars = 0;
}
