/*
 * Strict JSON reader (quartz/json.h), RFC 8259. One pass, no recursion: an
 * explicit stack of the open containers' token indexes.
 */
#include "quartz/json.h"

#include <errno.h>
#include <string.h>

struct parser {
    const char *p, *end, *text;
    struct json_token *tok;
    uint16_t ntok, cap;
    uint16_t stack[JSON_MAX_DEPTH];
    unsigned depth;
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r'; /* RFC 8259 2 */
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && is_ws(*ps->p))
        ps->p++;
}

static int new_token(struct parser *ps, enum json_type type, const char *start)
{
    if (ps->ntok == ps->cap)
        return -ENOMEM;
    struct json_token *t = &ps->tok[ps->ntok];
    t->type = (uint8_t)type;
    t->start = (uint16_t)(start - ps->text);
    t->len = 0;
    t->size = 0;
    t->next = 0;
    return ps->ntok++;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* One UTF-8 sequence at p (RFC 3629 4): its length, 0 when not valid. */
static unsigned utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    unsigned n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (unsigned i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A string from the opening quote at ps->p. */
static int parse_string(struct parser *ps)
{
    const char *open = ps->p++;
    int t = new_token(ps, JSON_STRING, open + 1);
    if (t < 0)
        return t;
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->tok[t].len = (uint16_t)(ps->p - open - 1);
            ps->p++;
            return t;
        }
        if (c < 0x20)
            return -EINVAL; /* control characters must be escaped (RFC 8259 7) */
        if (c == '\\') {
            if (ps->end - ps->p < 2)
                return -EINVAL;
            char e = ps->p[1];
            if (e == 'u') {
                if (ps->end - ps->p < 6)
                    return -EINVAL;
                int u = hex4(ps->p + 2);
                if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                    return -EINVAL; /* not hex, or a low surrogate alone */
                ps->p += 6;
                if (u >= 0xD800 && u <= 0xDBFF) { /* a high surrogate needs its low half */
                    if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
                        return -EINVAL;
                    int lo = hex4(ps->p + 2);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return -EINVAL;
                    ps->p += 6;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == '\0')
                return -EINVAL;
            ps->p += 2;
            continue;
        }
        unsigned n = utf8_len((const unsigned char *)ps->p, (const unsigned char *)ps->end);
        if (n == 0)
            return -EINVAL;
        ps->p += n;
    }
    return -EINVAL; /* unterminated */
}

static bool digit(const struct parser *ps)
{
    return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259 6) */
static int parse_number(struct parser *ps)
{
    const char *start = ps->p;
    int t = new_token(ps, JSON_NUMBER, start);
    if (t < 0)
        return t;
    if (*ps->p == '-')
        ps->p++;
    if (!digit(ps))
        return -EINVAL;
    if (*ps->p == '0') {
        ps->p++;
        if (digit(ps))
            return -EINVAL; /* leading zero */
    } else {
        while (digit(ps))
            ps->p++;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (!digit(ps))
            return -EINVAL;
        while (digit(ps))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (!digit(ps))
            return -EINVAL;
        while (digit(ps))
            ps->p++;
    }
    ps->tok[t].len = (uint16_t)(ps->p - start);
    return t;
}

static int parse_literal(struct parser *ps, const char *word, enum json_type type)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return -EINVAL;
    int t = new_token(ps, type, ps->p);
    if (t < 0)
        return t;
    ps->tok[t].len = (uint16_t)n;
    ps->p += n;
    return t;
}

/* Two string tokens that decode to the same bytes (see decoder below). */
static bool same_string(const char *text, const struct json_token *a, const struct json_token *b);

/* A new member name `name` of the object at token `obj` repeats an earlier one. */
static bool duplicate(const struct parser *ps, int obj, int name)
{
    for (int i = obj + 1; i < name;) {
        if (same_string(ps->text, &ps->tok[i], &ps->tok[name]))
            return true;
        int value = i + 1;
        i = ps->tok[value].next;
    }
    return false;
}

/* A token's subtree ends here: `next` for scalars at once, containers when closed. */
static void close_value(struct parser *ps, int t)
{
    ps->tok[t].next = ps->ntok;
}

int json_parse(struct json_doc *d, const char *text, size_t len, struct json_token *tok, size_t cap)
{
    d->text = text;
    d->tok = tok;
    d->ntok = 0;
    if (len > UINT16_MAX)
        return -E2BIG;
    struct parser ps = { text, text + len, text, tok, 0, (uint16_t)(cap > UINT16_MAX ? UINT16_MAX : cap), { 0 }, 0 };
    /* States: expecting a value (after '[', ',' in an array, ':' or the
     * start), a member name (after '{' or ',' in an object), or what
     * follows a value (',' or a closing bracket). */
    enum { VALUE, NAME_OR_END, NAME, AFTER_VALUE, VALUE_OR_END } want = VALUE;
    for (;;) {
        skip_ws(&ps);
        if (want == AFTER_VALUE && ps.depth == 0) {
            if (ps.p != ps.end)
                return -EINVAL; /* one value per text */
            d->ntok = ps.ntok;
            return 0;
        }
        if (ps.p == ps.end)
            return -EINVAL;
        char c = *ps.p;
        int t = 0;
        if (want == NAME_OR_END || want == NAME) {
            if (c == '}' && want == NAME_OR_END) {
                close_value(&ps, ps.stack[--ps.depth]);
                ps.p++;
                want = AFTER_VALUE;
                continue;
            }
            if (c != '"')
                return -EINVAL;
            int obj = ps.stack[ps.depth - 1];
            t = parse_string(&ps);
            if (t < 0)
                return t;
            close_value(&ps, t);
            if (duplicate(&ps, obj, t))
                return -EINVAL;
            ps.tok[obj].size++;
            skip_ws(&ps);
            if (ps.p == ps.end || *ps.p != ':')
                return -EINVAL;
            ps.p++;
            want = VALUE;
            continue;
        }
        if (want == AFTER_VALUE) {
            int top = ps.stack[ps.depth - 1];
            bool object = ps.tok[top].type == JSON_OBJECT;
            if (c == ',') {
                ps.p++;
                want = object ? NAME : VALUE;
                continue;
            }
            if (c == (object ? '}' : ']')) {
                close_value(&ps, top);
                ps.depth--;
                ps.p++;
                continue;
            }
            return -EINVAL;
        }
        if (want == VALUE_OR_END && c == ']') {
            close_value(&ps, ps.stack[--ps.depth]);
            ps.p++;
            want = AFTER_VALUE;
            continue;
        }
        /* A value. Inside an array it counts as an element. */
        if (ps.depth > 0 && ps.tok[ps.stack[ps.depth - 1]].type == JSON_ARRAY)
            ps.tok[ps.stack[ps.depth - 1]].size++;
        if (c == '{' || c == '[') {
            if (ps.depth == JSON_MAX_DEPTH)
                return -EINVAL;
            t = new_token(&ps, c == '{' ? JSON_OBJECT : JSON_ARRAY, ps.p);
            if (t < 0)
                return t;
            ps.stack[ps.depth++] = (uint16_t)t;
            ps.p++;
            want = c == '{' ? NAME_OR_END : VALUE_OR_END;
            continue;
        }
        if (c == '"')
            t = parse_string(&ps);
        else if (c == '-' || (c >= '0' && c <= '9'))
            t = parse_number(&ps);
        else if (c == 't')
            t = parse_literal(&ps, "true", JSON_TRUE);
        else if (c == 'f')
            t = parse_literal(&ps, "false", JSON_FALSE);
        else if (c == 'n')
            t = parse_literal(&ps, "null", JSON_NULL);
        else
            return -EINVAL;
        if (t < 0)
            return t;
        close_value(&ps, t);
        want = AFTER_VALUE;
    }
}

int json_object_get(const struct json_doc *d, int obj, const char *name)
{
    if (obj < 0 || obj >= d->ntok || d->tok[obj].type != JSON_OBJECT)
        return -EINVAL;
    for (int i = obj + 1; i < d->tok[obj].next;) {
        if (json_string_is(d, i, name))
            return i + 1;
        i = d->tok[i + 1].next;
    }
    return -ENOENT;
}

int json_get_int(const struct json_doc *d, int tok, int32_t min, int32_t max, int32_t *out)
{
    if (tok < 0 || tok >= d->ntok || d->tok[tok].type != JSON_NUMBER)
        return -EINVAL;
    const char *p = d->text + d->tok[tok].start, *end = p + d->tok[tok].len;
    bool neg = *p == '-';
    if (neg)
        p++;
    int64_t v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL; /* a fraction or an exponent: not an integer */
        v = v * 10 + (*p - '0');
        if (v > (int64_t)INT32_MAX + 1)
            return -ERANGE;
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return -ERANGE;
    *out = (int32_t)v;
    return 0;
}

int json_get_bool(const struct json_doc *d, int tok, bool *out)
{
    if (tok < 0 || tok >= d->ntok || (d->tok[tok].type != JSON_TRUE && d->tok[tok].type != JSON_FALSE))
        return -EINVAL;
    *out = d->tok[tok].type == JSON_TRUE;
    return 0;
}

/*
 * The decoded bytes of a string token one at a time: escapes resolved to
 * UTF-8, without a buffer (json_parse checked the escapes and the UTF-8).
 */
struct decoder {
    const char *p, *end;
    uint8_t pend[4];
    unsigned npend, ipend;
};

static void decoder_init(struct decoder *dc, const char *text, const struct json_token *t)
{
    dc->p = text + t->start;
    dc->end = dc->p + t->len;
    dc->npend = dc->ipend = 0;
}

static void queue_utf8(struct decoder *dc, uint32_t cp)
{
    uint8_t *u = dc->pend;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp, dc->npend = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | (cp >> 6)), u[1] = (uint8_t)(0x80 | (cp & 0x3F)), dc->npend = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | (cp >> 12)), u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F)), dc->npend = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | (cp >> 18)), u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (uint8_t)(0x80 | (cp & 0x3F)), dc->npend = 4;
    }
    dc->ipend = 0;
}

/* The next decoded byte, or -1 at the end. */
static int decoder_next(struct decoder *dc)
{
    if (dc->ipend < dc->npend)
        return dc->pend[dc->ipend++];
    if (dc->p >= dc->end)
        return -1;
    if (*dc->p != '\\')
        return (unsigned char)*dc->p++;
    char e = dc->p[1];
    dc->p += 2;
    uint32_t cp;
    switch (e) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'u':
        cp = (uint32_t)hex4(dc->p);
        dc->p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)hex4(dc->p + 2) - 0xDC00);
            dc->p += 6;
        }
        queue_utf8(dc, cp);
        return dc->pend[dc->ipend++];
    default: return (unsigned char)e; /* \" \\ \/ */
    }
}

static bool same_string(const char *text, const struct json_token *a, const struct json_token *b)
{
    struct decoder x, y;
    decoder_init(&x, text, a);
    decoder_init(&y, text, b);
    for (;;) {
        int cx = decoder_next(&x), cy = decoder_next(&y);
        if (cx != cy)
            return false;
        if (cx < 0)
            return true;
    }
}

int json_get_string(const struct json_doc *d, int tok, char *buf, size_t cap)
{
    if (tok < 0 || tok >= d->ntok || d->tok[tok].type != JSON_STRING)
        return -EINVAL;
    struct decoder dc;
    decoder_init(&dc, d->text, &d->tok[tok]);
    size_t n = 0;
    for (int c; (c = decoder_next(&dc)) >= 0;) {
        if (n + 1 >= cap)
            return -ENOSPC;
        buf[n++] = (char)c;
    }
    if (cap == 0)
        return -ENOSPC;
    buf[n] = '\0';
    return (int)n;
}

bool json_string_is(const struct json_doc *d, int tok, const char *s)
{
    if (tok < 0 || tok >= d->ntok || d->tok[tok].type != JSON_STRING)
        return false;
    struct decoder dc;
    decoder_init(&dc, d->text, &d->tok[tok]);
    for (;; s++) {
        int c = decoder_next(&dc);
        if (c < 0)
            return *s == '\0';
        if (*s == '\0' || (unsigned char)*s != c)
            return false;
    }
}
