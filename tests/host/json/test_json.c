/*
 * lib/json against RFC 8259 and cases named after nst/JSONTestSuite's
 * test_parsing files (y_ must parse, n_ must be refused; the texts are
 * written here from the RFC's grammar for those names), plus the getters.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "quartz/json.h"

static struct json_token tok[64];
static struct json_doc doc;

static int parse(const char *s)
{
    return json_parse(&doc, s, strlen(s), tok, sizeof tok / sizeof tok[0]);
}

static void accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "{\"asd\":\"sdf\"}",              /* y_object_basic */
        "[]", "{}", " [ ] ", "\t{\r\n}\n", /* y_array_empty, y_object_empty, whitespace of RFC 8259 2 */
        "[-0]", "[0e1]", "[1E+2]", "[-1.5e-3]", "[123.456e78]", /* y_number_* */
        "0", "\"top\"", "true", "null",   /* y_structure_lonely_*: any value at the top (RFC 8259 2) */
        "[\"\\u0000\"]",                  /* y_string_null_escape */
        "[\"\\ud834\\udd1e\"]",           /* y_string_surrogates_U+1D11E_MUSICAL_G_CLEF */
        "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", /* y_string_allowed_escapes */
        "[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]", /* y_string_utf8: U+20AC, U+1D11E raw */
        "{\"a\":{\"a\":1}}",              /* the same name at two levels is no duplicate */
        "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]", /* JSON_MAX_DEPTH (16) levels */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (parse(ok[i]) != 0)
            fail_msg("refused: %s", ok[i]);
}

static void refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                  /* n_structure_no_data */
        "[1,]",              /* n_array_extra_comma */
        "{\"id\":0,}",       /* n_object_trailing_comma */
        "[,1]",              /* n_array_comma_and_number */
        "{\"a\" 1}",         /* n_object_missing_colon */
        "{'a':1}",           /* n_object_single_quote */
        "{a:1}",             /* n_object_unquoted_key */
        "[01]",              /* n_number_with_leading_zero */
        "[-01]",             /* n_number_neg_int_starting_with_zero */
        "[00.0]", "[-00e0]", /* n_number_00.0, n_number_-00e0 */
        "[+1]",              /* n_number_+1 */
        "[.2]", "[2.]",      /* n_number_starting_with_dot, n_number_real_without_fractional_part */
        "[1e]", "[1e+]",     /* n_number_0_capital_E / exponent without digits */
        "[NaN]", "[-Infinity]", "[0x42]", /* n_number_NaN, n_number_minus_infinity, n_number_hex_2_digits */
        "[\"a\tb\"]",        /* n_string_unescaped_tab */
        "[\"\\x00\"]",       /* n_string_escape_x */
        "[\"\\012\"]",       /* n_string_octal_escape */
        "[\"\\uD800\"]",     /* n_string_1_surrogate_then_escape family: lone high surrogate */
        "[\"\\uDC00\"]",     /* lone low surrogate */
        "[\"\\uD800\\u0041\"]", /* high surrogate with a non-surrogate after it */
        "[\"\\u12G4\"]",     /* n_string_invalid_unicode_escape */
        "[\"abc",            /* n_string_unterminated */
        "[\"\xc0\xaf\"]",    /* n_string_overlong: '/' in two bytes */
        "[\"\xed\xa0\x80\"]", /* a UTF-8-encoded surrogate */
        "[\"\xf4\x90\x80\x80\"]", /* past U+10FFFF */
        "[\"\x80\"]",        /* a lone continuation byte */
        "[1] x",             /* n_structure_trailing_garbage */
        "[1][2]",            /* n_structure_double_array */
        "[tru]", "[True]", "[nul]", /* n_incomplete_true, n_structure_capitalized_True, n_incomplete_null */
        "{\"a\":1,\"a\":2}", /* a duplicate name: refused here (RFC 8259 4 leaves it unpredictable) */
        "{\"a\":1,\"\\u0061\":2}", /* the same name, escaped */
        "[1 2]",             /* n_array_1_true_without_comma */
        "/* c */ []",        /* n_structure_comment */
        "[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", /* 17 levels: over JSON_MAX_DEPTH */
        "[1]\x00",           /* a NUL after the value (length counts it below) */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i]) + (i + 1 == sizeof bad / sizeof bad[0] ? 1 : 0);
        int rc = json_parse(&doc, bad[i], len, tok, sizeof tok / sizeof tok[0]);
        if (rc != -EINVAL)
            fail_msg("case %zu \"%s\": %d, not -EINVAL", i, bad[i], rc);
        assert_int_equal(doc.ntok, 0);
    }
}

static void limits(void **state)
{
    (void)state;
    struct json_token few[3];
    assert_int_equal(json_parse(&doc, "[1,2,3]", 7, few, 3), -ENOMEM); /* 4 values */
    assert_int_equal(json_parse(&doc, "[1,2]", 5, few, 3), 0);
    static char big[70000];
    memset(big, ' ', sizeof big);
    big[0] = '1';
    assert_int_equal(json_parse(&doc, big, sizeof big, tok, 64), -E2BIG);
}

static void tokens_and_getters(void **state)
{
    (void)state;
    const char *s = "{\"interval_s\": 30, \"led\": true, \"display\": \"o\\u006e\", \"list\": [1, {\"x\": null}], "
                    "\"big\": 2147483648, \"neg\": -2147483648, \"frac\": 1.5, \"name\": \"caf\\u00e9 \\ud834\\udd1e\"}";
    assert_int_equal(parse(s), 0);
    assert_int_equal(tok[0].type, JSON_OBJECT);
    assert_int_equal(tok[0].size, 8);
    assert_int_equal(tok[0].next, doc.ntok);
    int32_t v = 0;
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "interval_s"), 1, 3600, &v), 0);
    assert_int_equal(v, 30);
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "interval_s"), 1, 10, &v), -ERANGE);
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "big"), INT32_MIN, INT32_MAX, &v), -ERANGE);
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "neg"), INT32_MIN, INT32_MAX, &v), 0);
    assert_int_equal(v, INT32_MIN);
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "frac"), 0, 10, &v), -EINVAL);
    assert_int_equal(json_get_int(&doc, json_object_get(&doc, 0, "led"), 0, 1, &v), -EINVAL);
    bool b = false;
    assert_int_equal(json_get_bool(&doc, json_object_get(&doc, 0, "led"), &b), 0);
    assert_true(b);
    assert_true(json_string_is(&doc, json_object_get(&doc, 0, "display"), "on"));
    assert_false(json_string_is(&doc, json_object_get(&doc, 0, "display"), "o"));
    assert_false(json_string_is(&doc, json_object_get(&doc, 0, "display"), "onn"));
    char buf[32];
    assert_int_equal(json_get_string(&doc, json_object_get(&doc, 0, "name"), buf, sizeof buf), 10);
    assert_string_equal(buf, "caf\xc3\xa9 \xf0\x9d\x84\x9e");
    assert_int_equal(json_get_string(&doc, json_object_get(&doc, 0, "name"), buf, 10), -ENOSPC);
    assert_int_equal(json_object_get(&doc, 0, "missing"), -ENOENT);
    /* "x" is inside "list", not a member of the top object. */
    assert_int_equal(json_object_get(&doc, 0, "x"), -ENOENT);
    int list = json_object_get(&doc, 0, "list");
    assert_int_equal(tok[list].type, JSON_ARRAY);
    assert_int_equal(tok[list].size, 2);
    assert_int_equal(json_object_get(&doc, list, "x"), -EINVAL); /* not an object */
    int inner = list + 2; /* [1, {...}]: the number, then the object */
    assert_int_equal(tok[inner].type, JSON_OBJECT);
    assert_int_equal(tok[json_object_get(&doc, inner, "x")].type, JSON_NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted),
        cmocka_unit_test(refused),
        cmocka_unit_test(limits),
        cmocka_unit_test(tokens_and_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
