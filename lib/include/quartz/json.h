/*
 * A small, strict JSON reader (RFC 8259) for messages that come from
 * outside: no heap, no recursion, a caller-sized token array, and every
 * deviation from the grammar refused rather than guessed at.
 *
 * json_parse() checks the whole text and fills one token per value
 * (object, array, string, number, literal) in document order: a
 * container's members follow it, and `next` is the index after its
 * subtree. Object member names are string tokens, each followed by its
 * value. The getters then read a token with range and type checks.
 *
 * Strict means: one value with only whitespace (space, tab, LF, CR) around
 * it; no trailing commas, comments, single quotes, NaN/Infinity, leading
 * zeros, '+' signs or bare '.'; strings with no raw control characters, only
 * the escapes of RFC 8259 7, \u escapes with surrogates in valid pairs, and
 * valid UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF); no duplicate names in one object (the RFC leaves them
 * unpredictable, so a command carrying two answers is refused); nesting at
 * most JSON_MAX_DEPTH deep. Texts longer than 65535 bytes are refused.
 */
#ifndef QUARTZ_JSON_H
#define QUARTZ_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

enum json_type { JSON_OBJECT = 1, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL };

struct json_token {
    uint8_t type;   /* enum json_type */
    uint16_t start; /* first byte (a string's: after the opening quote) */
    uint16_t len;   /* bytes (a string's: between the quotes, escapes undecoded) */
    uint16_t size;  /* members of an object, elements of an array, else 0 */
    uint16_t next;  /* token index after this value's subtree */
};

struct json_doc {
    const char *text;
    struct json_token *tok;
    uint16_t ntok;
};

/*
 * Parse `len` bytes of `text` into `tok` (room for `cap` tokens). Returns 0;
 * -EINVAL for text that is not strict JSON (see above), -ENOMEM when it has
 * more values than `cap`, -E2BIG for a text over 65535 bytes. On error
 * `d->ntok` is 0. `text` must outlive `d`.
 */
int json_parse(struct json_doc *d, const char *text, size_t len, struct json_token *tok, size_t cap);

/* The value of member `name` of the object at token `obj`: its token index,
 * -ENOENT without such a member, -EINVAL when `obj` is not an object. */
int json_object_get(const struct json_doc *d, int obj, const char *name);

/* An integer number token (no fraction or exponent) in [min, max]: 0,
 * -EINVAL for another token, -ERANGE outside the range. */
int json_get_int(const struct json_doc *d, int tok, int32_t min, int32_t max, int32_t *out);

/* A true/false token: 0 and *out, else -EINVAL. */
int json_get_bool(const struct json_doc *d, int tok, bool *out);

/* A string token decoded (escapes resolved, UTF-8) into `buf` with a NUL:
 * its length, -EINVAL for another token, -ENOSPC when `cap` is too small. */
int json_get_string(const struct json_doc *d, int tok, char *buf, size_t cap);

/* Whether token `tok` is a string equal to `s` once decoded. */
bool json_string_is(const struct json_doc *d, int tok, const char *s);

#endif
