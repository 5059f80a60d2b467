/*
 * libFuzzer target for lib/json: any input parses or is refused without a
 * fault (ASan, UBSan), and what parses keeps the reader's promises: token
 * spans inside the text, subtrees nested properly, member counts right,
 * every member findable by its decoded name, and parsing is repeatable.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartz/json.h"

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct json_token tok[256];
    struct json_doc d;
    int rc = json_parse(&d, (const char *)data, size, tok, 256);
    CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM || rc == -E2BIG);
    if (rc != 0) {
        CHECK(d.ntok == 0);
        return 0;
    }
    CHECK(d.ntok > 0 && tok[0].next == d.ntok);
    for (int i = 0; i < d.ntok; i++) {
        const struct json_token *t = &tok[i];
        CHECK(t->type >= JSON_OBJECT && t->type <= JSON_NULL);
        CHECK((size_t)t->start + t->len <= size);
        CHECK(t->next > i && t->next <= d.ntok);
        if (t->type == JSON_OBJECT) {
            unsigned members = 0;
            for (int k = i + 1; k < t->next; k = tok[k + 1].next, members++) {
                CHECK(tok[k].type == JSON_STRING && k + 1 < t->next);
                char name[300];
                int n = json_get_string(&d, k, name, sizeof name);
                /* names are unique, so lookup by a name without a NUL finds this member */
                if (n >= 0 && strlen(name) == (size_t)n)
                    CHECK(json_object_get(&d, i, name) == k + 1);
            }
            CHECK(members == t->size);
        } else if (t->type == JSON_ARRAY) {
            unsigned elements = 0;
            for (int k = i + 1; k < t->next; k = tok[k].next)
                elements++;
            CHECK(elements == t->size);
        } else {
            CHECK(t->next == i + 1);
        }
        if (t->type == JSON_NUMBER) {
            int32_t v;
            int r = json_get_int(&d, i, INT32_MIN, INT32_MAX, &v);
            CHECK(r == 0 || r == -ERANGE || r == -EINVAL);
        }
    }
    struct json_doc again;
    static struct json_token tok2[256];
    CHECK(json_parse(&again, (const char *)data, size, tok2, 256) == 0);
    CHECK(again.ntok == d.ntok && memcmp(tok, tok2, d.ntok * sizeof tok[0]) == 0);
    return 0;
}
