/*
 * The sensor node's pure logic: the node id (FNV-1a 32 against its
 * published vectors), CRC-32 against its check value, the payload's fixed
 * point (rounding at every boundary, signs, widths, the missing sensor,
 * buffers too small by one), and the cmd topic's commands (each accepted
 * form, each refusal with its reason and nothing changed).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "command.h"
#include "crc32.h"
#include "identity.h"
#include "payload.h"

/* ---- identity ----------------------------------------------------------- */

static void test_fnv1a32_vectors(void **state)
{
    (void)state;
    /* FNV-1a 32 test vectors (draft-eastlake-fnv, Fowler/Noll/Vo's list). */
    assert_int_equal(identity_fnv1a32("", 0), 0x811C9DC5u);
    assert_int_equal(identity_fnv1a32("a", 1), 0xE40C292Cu);
    assert_int_equal(identity_fnv1a32("foobar", 6), 0xBF9CF968u);
}

static void test_node_id(void **state)
{
    (void)state;
    const uint8_t uid[12] = { 0x30, 0x00, 0x3F, 0x00, 0x0B, 0x51, 0x33, 0x35, 0x38, 0x38, 0x35, 0x31 };
    char id[IDENTITY_LEN + 1];
    assert_int_equal(identity_node_id(uid, id, sizeof id), IDENTITY_LEN);
    uint32_t h = identity_fnv1a32(uid, sizeof uid);
    char want[IDENTITY_LEN + 1];
    snprintf(want, sizeof want, "quartz-%06x", h & 0xFFFFFFu);
    assert_string_equal(id, want);
    /* One bit of the UID changes the id. */
    uint8_t other[12];
    memcpy(other, uid, sizeof other);
    other[11] ^= 1;
    char id2[IDENTITY_LEN + 1];
    assert_int_equal(identity_node_id(other, id2, sizeof id2), IDENTITY_LEN);
    assert_string_not_equal(id, id2);
    /* No room for the NUL: refused, empty. */
    char small[IDENTITY_LEN];
    assert_int_equal(identity_node_id(uid, small, sizeof small), -ENOSPC);
    assert_string_equal(small, "");
}

static void test_crc32_check_value(void **state)
{
    (void)state;
    assert_int_equal(crc32_ieee("123456789", 9), 0xCBF43926u); /* the catalogue's check */
    assert_int_equal(crc32_ieee("", 0), 0);
}

/* ---- payload ------------------------------------------------------------ */

static struct reading sample(void)
{
    return (struct reading){ .seq = 7, .uptime_ms = 12000, .t_mc = 21534, .p_mpa = 101325000u,
                             .h_mpct = 45210, .die_mc = 31240, .flags = READING_SENSOR_OK | READING_DIE_OK };
}

static void test_payload_reading(void **state)
{
    (void)state;
    struct reading r = sample();
    char buf[PAYLOAD_MAX];
    const char *want = "{\"seq\":7,\"uptime_ms\":12000,\"t\":21.53,\"p\":101325,\"h\":45.2,\"die_t\":31.2}";
    assert_int_equal(payload_format(&r, buf, sizeof buf), (int)strlen(want));
    assert_string_equal(buf, want);
}

static void test_payload_missing_sensor(void **state)
{
    (void)state;
    struct reading r = sample();
    r.flags = READING_DIE_OK;
    r.t_mc = 99999; /* whatever is left in the fields is not published */
    char buf[PAYLOAD_MAX];
    payload_format(&r, buf, sizeof buf);
    assert_string_equal(buf, "{\"seq\":7,\"uptime_ms\":12000,\"sensor\":\"missing\",\"die_t\":31.2}");
    r.flags = 0;
    payload_format(&r, buf, sizeof buf);
    assert_string_equal(buf, "{\"seq\":7,\"uptime_ms\":12000,\"sensor\":\"missing\"}");
}

static const char *t_text(int32_t t_mc)
{
    static char buf[PAYLOAD_MAX];
    struct reading r = { .t_mc = t_mc, .flags = READING_SENSOR_OK };
    assert_true(payload_format(&r, buf, sizeof buf) > 0);
    const char *t = strstr(buf, "\"t\":") + 4;
    static char out[32];
    size_t n = (size_t)(strchr(t, ',') - t);
    memcpy(out, t, n);
    out[n] = '\0';
    return out;
}

static void test_payload_rounding(void **state)
{
    (void)state;
    assert_string_equal(t_text(21534), "21.53");
    assert_string_equal(t_text(21535), "21.54"); /* half away from zero */
    assert_string_equal(t_text(21995), "22.00"); /* carry into the integer */
    assert_string_equal(t_text(0), "0.00");
    assert_string_equal(t_text(4), "0.00");
    assert_string_equal(t_text(-4), "0.00");     /* no "-0.00" */
    assert_string_equal(t_text(-5), "-0.01");
    assert_string_equal(t_text(-40000), "-40.00");
    assert_string_equal(t_text(-1234), "-1.23");
    assert_string_equal(t_text(-1235), "-1.24");
    assert_string_equal(t_text(5), "0.01");
    assert_string_equal(t_text(INT32_MAX), "2147483.65");
    assert_string_equal(t_text(INT32_MIN), "-2147483.65");
    assert_int_equal(payload_round(101325499, 0), 101325);
    assert_int_equal(payload_round(101325500, 0), 101326);
    assert_int_equal(payload_round(45249, 1), 452);
    assert_int_equal(payload_round(45250, 1), 453);
    assert_int_equal(payload_round(-31249, 1), -312);
    assert_int_equal(payload_round(-31250, 1), -313);
    assert_int_equal(payload_round(7, 3), 7);
}

static void test_payload_widest_fits(void **state)
{
    (void)state;
    struct reading r = { .seq = UINT32_MAX, .uptime_ms = UINT64_MAX, .t_mc = INT32_MIN, .p_mpa = UINT32_MAX,
                         .h_mpct = UINT32_MAX, .die_mc = INT32_MIN, .flags = READING_SENSOR_OK | READING_DIE_OK };
    char buf[PAYLOAD_MAX];
    int n = payload_format(&r, buf, sizeof buf);
    assert_true(n > 0);
    assert_string_equal(buf, "{\"seq\":4294967295,\"uptime_ms\":18446744073709551615,\"t\":-2147483.65,"
                             "\"p\":4294967,\"h\":4294967.3,\"die_t\":-2147483.6}");
}

static void test_payload_no_room(void **state)
{
    (void)state;
    struct reading r = sample();
    char buf[PAYLOAD_MAX];
    int n = payload_format(&r, buf, sizeof buf);
    assert_true(n > 0);
    /* Exactly the length plus the NUL fits; one byte less does not. */
    char exact[PAYLOAD_MAX];
    memset(exact, 'x', sizeof exact);
    assert_int_equal(payload_format(&r, exact, (size_t)n + 1u), n);
    assert_string_equal(exact, buf);
    memset(exact, 'x', sizeof exact);
    assert_int_equal(payload_format(&r, exact, (size_t)n), -ENOSPC);
    assert_string_equal(exact, "");
    assert_int_equal(exact[n], 'x'); /* nothing written past cap */
    assert_int_equal(payload_format(&r, NULL, 0), -ENOSPC);
    assert_int_equal(payload_format_dropped(12, buf, sizeof buf), 14);
    assert_string_equal(buf, "{\"dropped\":12}");
    assert_int_equal(payload_format_dropped(12, buf, 14), -ENOSPC);
}

/* ---- command ------------------------------------------------------------ */

static int parse(const char *text, struct command *c, const char **reason)
{
    return command_parse(text, strlen(text), c, reason);
}

static void test_command_accepted(void **state)
{
    (void)state;
    struct command c;
    const char *why = NULL;
    assert_int_equal(parse("{\"interval_s\":1}", &c, &why), 0);
    assert_int_equal(c.kind, COMMAND_INTERVAL);
    assert_int_equal(c.interval_s, 1);
    assert_int_equal(parse(" { \"interval_s\" : 3600 } \n", &c, &why), 0);
    assert_int_equal(c.interval_s, 3600);
    assert_int_equal(parse("{\"led\":1}", &c, &why), 0);
    assert_int_equal(c.kind, COMMAND_LED);
    assert_true(c.on);
    assert_int_equal(parse("{\"led\":0}", &c, &why), 0);
    assert_false(c.on);
    assert_int_equal(parse("{\"display\":\"on\"}", &c, &why), 0);
    assert_int_equal(c.kind, COMMAND_DISPLAY);
    assert_true(c.on);
    assert_int_equal(parse("{\"display\":\"off\"}", &c, &why), 0);
    assert_false(c.on);
    assert_int_equal(parse("{\"display\":\"\\u006f\\u006e\"}", &c, &why), 0); /* escapes decoded */
    assert_true(c.on);
    assert_int_equal(parse("{\"restart\":true}", &c, &why), 0);
    assert_int_equal(c.kind, COMMAND_RESTART);
}

static void refused(const char *text, size_t len, int rc, const char *reason)
{
    struct command c, before;
    memset(&c, 0xA5, sizeof c);
    memcpy(&before, &c, sizeof c);
    const char *why = NULL;
    int got = command_parse(text, len, &c, &why);
    if (got != rc || why == NULL || strcmp(why, reason) != 0)
        fail_msg("\"%.*s\": got %d \"%s\", want %d \"%s\"", (int)len, text, got, why ? why : "(null)", rc, reason);
    assert_memory_equal(&c, &before, sizeof c); /* no change */
}

#define REFUSED(text, rc, reason) refused(text, sizeof text - 1, rc, reason)

static void test_command_refused(void **state)
{
    (void)state;
    REFUSED("{\"interval_s\":0}", -ERANGE, "interval_s must be 1..3600");
    REFUSED("{\"interval_s\":3601}", -ERANGE, "interval_s must be 1..3600");
    REFUSED("{\"interval_s\":-1}", -ERANGE, "interval_s must be 1..3600");
    REFUSED("{\"interval_s\":99999999999}", -ERANGE, "interval_s must be 1..3600");
    REFUSED("{\"interval_s\":10.0}", -EINVAL, "interval_s must be an integer");
    REFUSED("{\"interval_s\":1e1}", -EINVAL, "interval_s must be an integer");
    REFUSED("{\"interval_s\":\"10\"}", -EINVAL, "interval_s must be an integer");
    REFUSED("{\"interval_s\":null}", -EINVAL, "interval_s must be an integer");
    REFUSED("{\"led\":2}", -ERANGE, "led must be 0 or 1");
    REFUSED("{\"led\":true}", -EINVAL, "led must be the integer 0 or 1");
    REFUSED("{\"led\":[1]}", -EINVAL, "led must be the integer 0 or 1");
    REFUSED("{\"display\":\"ON\"}", -ERANGE, "display must be \"on\" or \"off\"");
    REFUSED("{\"display\":1}", -EINVAL, "display must be \"on\" or \"off\"");
    REFUSED("{\"restart\":false}", -EINVAL, "restart must be true");
    REFUSED("{\"restart\":1}", -EINVAL, "restart must be true");
    REFUSED("{\"reboot\":true}", -EINVAL, "unknown command");
    REFUSED("{\"Led\":1}", -EINVAL, "unknown command");
    REFUSED("{\"led\\u0000\":1}", -EINVAL, "unknown command");
    REFUSED("{}", -EINVAL, "command must be one member");
    REFUSED("{\"led\":1,\"display\":\"on\"}", -EINVAL, "command has too many values");
    REFUSED("{\"led\":1,\"led\":0}", -EINVAL, "command is not JSON"); /* duplicate names: not strict JSON */
    REFUSED("[{\"led\":1}]", -EINVAL, "command must be an object");
    REFUSED("1", -EINVAL, "command must be an object");
    REFUSED("\"led\"", -EINVAL, "command must be an object");
    REFUSED("", -EINVAL, "command is not JSON");
    REFUSED("{\"led\":1,}", -EINVAL, "command is not JSON");
    REFUSED("{'led':1}", -EINVAL, "command is not JSON");
    REFUSED("{\"led\":01}", -EINVAL, "command is not JSON");
    REFUSED("{\"led\":1} x", -EINVAL, "command is not JSON");
    REFUSED("{\"led\":1}\0", -EINVAL, "command is not JSON");
    REFUSED("{\"display\":\"o\xffn\"}", -EINVAL, "command is not JSON");
    char longer[COMMAND_MAX_LEN + 2];
    memset(longer, ' ', sizeof longer);
    memcpy(longer, "{\"led\":1}", 9); /* valid JSON, but one byte over */
    refused(longer, COMMAND_MAX_LEN + 1, -EMSGSIZE, "command too long");
    struct command c;
    const char *why;
    assert_int_equal(command_parse(longer, COMMAND_MAX_LEN, &c, &why), 0); /* at the limit: taken */
}

static void test_command_error_json(void **state)
{
    (void)state;
    char buf[64];
    const char *want = "{\"error\":\"display must be \\\"on\\\" or \\\"off\\\"\"}";
    assert_int_equal(command_error_json("display must be \"on\" or \"off\"", buf, sizeof buf), (int)strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(command_error_json("display must be \"on\" or \"off\"", buf, strlen(want)), -ENOSPC);
    assert_string_equal(buf, "");
    assert_int_equal(command_error_json("x", buf, 14), 13);
    assert_string_equal(buf, "{\"error\":\"x\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a32_vectors),   cmocka_unit_test(test_node_id),
        cmocka_unit_test(test_crc32_check_value), cmocka_unit_test(test_payload_reading),
        cmocka_unit_test(test_payload_missing_sensor), cmocka_unit_test(test_payload_rounding),
        cmocka_unit_test(test_payload_widest_fits), cmocka_unit_test(test_payload_no_room),
        cmocka_unit_test(test_command_accepted),  cmocka_unit_test(test_command_refused),
        cmocka_unit_test(test_command_error_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
