/* quartz-sim front end: TIME parsing, the option parser, --rx escapes, output paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "quartzsim.h"

static void test_time_good(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t ns;
    } cases[] = {
        { "1334ms", 1334000000ull }, { "2.5s", 2500000000ull }, { "250us", 250000ull },
        { "10ns", 10ull },           { "0s", 0ull },            { ".5ms", 500000ull },
        { "1.000000001s", 1000000001ull }, { "1.50ms", 1500000ull }, { "3.s", 3000000000ull },
        { "0.001us", 1ull },         { "18446744073709551615ns", UINT64_MAX },
        { "18446744073.709551615s", UINT64_MAX },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t ns = 12345;
        assert_int_equal(qsim_parse_time(cases[i].text, &ns), 0);
        assert_true(ns == cases[i].ns);
    }
}

static void test_time_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "ms", "10", "10m", "10 ms", " 10ms", "10ms ", "1.5ns", "0.0001us", "-1s", "+1s", "1e3ms",
        "1..5s", "2.5x", "10MS", "1,5s", ".s",
        "18446744073709551616ns", /* 2^64 */
        "18446744074s",           /* overflows in the multiplication */
        "18446744073.709551616s", /* overflows in the fraction */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t ns = 777;
        assert_int_equal(qsim_parse_time(bad[i], &ns), -EINVAL);
        assert_true(ns == 777);
    }
    uint64_t ns;
    assert_int_equal(qsim_parse_time(NULL, &ns), -EINVAL);
}

/* Parses a NULL-terminated argument list; returns cli_parse's result. */
static int parse(struct cli_options *o, char *err, const char *first, ...)
{
    char *argv[64] = { "quartz-sim" };
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    err[0] = '\0';
    int rc = cli_parse(o, argc, argv, err, 256);
    if (rc)
        assert_null(strchr(err, '\n')); /* one line */
    return rc;
}

static void test_cli_full(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "--until", "2.5s", "--press", "B1@1334ms", "--press=b1@2s+250ms",
                           "--bounce", "3", "--console", "-", "--report", "r.json", "--oled-png", "o.png",
                           "--vcd", "t.vcd", "--detach", "oled@100ms", "--attach", "OLED@200ms",
                           "--stuck-sda", "I2C2@300ms+20ms", "--rx", "a@b\\r\\n\\x41@1s", "--reset", "2.4s",
                           "--svd", "x.svd", "fw.elf", NULL),
                     0);
    assert_string_equal(o.firmware, "fw.elf");
    assert_true(o.until_given && o.until_ns == 2500000000ull);
    assert_int_equal(o.bounce, 3);
    assert_string_equal(o.console_path, "-");
    assert_string_equal(o.report_path, "r.json");
    assert_string_equal(o.png_path, "o.png");
    assert_string_equal(o.vcd_path, "t.vcd");
    assert_string_equal(o.svd_path, "x.svd");
    assert_false(o.interactive);
    assert_int_equal(o.n_events, 7);
    assert_int_equal(o.events[0].kind, CLI_PRESS);
    assert_true(o.events[0].t_ns == 1334000000ull && o.events[0].duration_ns == CLI_DEFAULT_HOLD_NS);
    assert_true(o.events[1].t_ns == 2000000000ull && o.events[1].duration_ns == 250000000ull);
    assert_int_equal(o.events[2].kind, CLI_OLED_DETACH);
    assert_true(o.events[2].t_ns == 100000000ull);
    assert_int_equal(o.events[3].kind, CLI_OLED_ATTACH);
    assert_int_equal(o.events[4].kind, CLI_STUCK_SDA);
    assert_int_equal(o.events[4].bus, 2);
    assert_true(o.events[4].t_ns == 300000000ull && o.events[4].duration_ns == 20000000ull);
    assert_int_equal(o.events[5].kind, CLI_RX);
    assert_int_equal(o.events[5].len, 6);
    assert_memory_equal(o.events[5].data, "a@b\r\nA", 6);
    assert_true(o.events[5].t_ns == 1000000000ull);
    assert_int_equal(o.events[6].kind, CLI_RESET);
    assert_true(o.events[6].t_ns == 2400000000ull);
    cli_free(&o);
}

/* --analog, --chip-temp, --uid: values, units and the UID's byte order (docs/simulator.md). */
static void test_cli_analog(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "--analog", "PA0=1.65V@2s", "--analog=pc1=800mV", "--analog", "PF10=3.3V@1ms",
                           "--chip-temp", "35C", "--chip-temp=-5.5C@1.5s", "--uid",
                           "3031373738345112002a0033", "fw.elf", NULL),
                     0);
    assert_int_equal(o.n_events, 5);
    assert_int_equal(o.events[0].kind, CLI_ANALOG);
    assert_true(o.events[0].port == 'A' && o.events[0].pin == 0 && o.events[0].value == 1650000);
    assert_true(o.events[0].t_ns == 2000000000ull);
    assert_true(o.events[1].port == 'C' && o.events[1].pin == 1 && o.events[1].value == 800000);
    assert_true(o.events[1].t_ns == 0);
    assert_true(o.events[2].port == 'F' && o.events[2].pin == 10 && o.events[2].value == 3300000);
    assert_int_equal(o.events[3].kind, CLI_CHIP_TEMP);
    assert_true(o.events[3].value == 35000 && o.events[3].t_ns == 0);
    assert_true(o.events[4].value == -5500 && o.events[4].t_ns == 1500000000ull);
    assert_true(o.uid_given);
    static const uint8_t uid[12] = {0x33, 0x00, 0x2A, 0x00, 0x12, 0x51, 0x34, 0x38, 0x37, 0x37, 0x31, 0x30};
    assert_memory_equal(o.uid, uid, sizeof uid);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "fw.elf", NULL), 0);
    assert_false(o.uid_given);
    cli_free(&o);

    static const struct {
        const char *args[4];
        const char *message;
    } bad[] = {
        { { "--analog", "PA0" }, "expected PIN=VOLTS" },
        { { "--analog", "PA=1V" }, "expected PIN=VOLTS" },
        { { "--analog", "PA16=1V" }, "expected PIN=VOLTS" },
        { { "--analog", "PI0=1V" }, "expected PIN=VOLTS" },
        { { "--analog", "PA8=1V" }, "PA8 is no ADC input" },
        { { "--analog", "PB5=1V" }, "PB5 is no ADC input" },
        { { "--analog", "PA0=1.65" }, "bad voltage '1.65'" },
        { { "--analog", "PA0=1.65 V" }, "bad voltage" },
        { { "--analog", "PA0=x" }, "bad voltage" },
        { { "--analog", "PA0=3.4V" }, "outside 0..3.3V" },
        { { "--analog", "PA0=-1mV" }, "outside 0..3.3V" },
        { { "--analog", "PA0=1V@2x" }, "bad TIME" },
        { { "--analog", "PA0=1V@11s" }, "after the end of the run" },
        { { "--chip-temp", "35" }, "bad temperature '35'" },
        { { "--chip-temp", "35F" }, "bad temperature" },
        { { "--chip-temp", "1.2345C" }, "bad temperature" },
        { { "--chip-temp", "126C" }, "outside -40C..125C" },
        { { "--chip-temp", "-40.5C" }, "outside -40C..125C" },
        { { "--uid", "3031" }, "not 24 hex digits" },
        { { "--uid", "3031373738345112002A003G" }, "not 24 hex digits" },
        { { "--uid", "3031373738345112002A00330" }, "not 24 hex digits" },
        { { "--uid", "000000000000000000000000", "--uid", "000000000000000000000001" }, "--uid given twice" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *const *a = bad[i].args;
        int rc = a[2] ? parse(&o, err, a[0], a[1], a[2], a[3], "fw.elf", NULL) : parse(&o, err, a[0], a[1], "fw.elf", NULL);
        if (rc != -EINVAL || !strstr(err, bad[i].message))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, bad[i].message);
        cli_free(&o);
    }
}

/* --w5500, --net-forward, --net-allow, --link (docs/networking.md): any attaches the W5500. */
static void test_cli_net(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "fw.elf", NULL), 0);
    assert_false(o.w5500);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--net-forward", "10.0.2.2:1883=127.0.0.1:18830", "--net-allow=192.0.2.7:80",
                           "--net-allow", "198.51.100.1", "--link", "down@2s", "--link=UP@3s", "fw.elf", NULL),
                     0);
    assert_true(o.w5500);
    assert_int_equal(o.n_net_forwards, 1);
    assert_string_equal(o.net_forwards[0], "10.0.2.2:1883=127.0.0.1:18830");
    assert_int_equal(o.n_net_allows, 2);
    assert_string_equal(o.net_allows[1], "198.51.100.1");
    assert_int_equal(o.n_events, 2);
    assert_true(o.events[0].kind == CLI_LINK && o.events[0].value == 0 && o.events[0].t_ns == 2000000000ull);
    assert_true(o.events[1].kind == CLI_LINK && o.events[1].value == 1 && o.events[1].t_ns == 3000000000ull);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--w5500", "fw.elf", NULL), 0);
    assert_true(o.w5500);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--net-lease", "90s", "fw.elf", NULL), 0);
    assert_true(o.w5500);
    assert_int_equal(o.net_lease_s, 90);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--net-wait", "2s", "fw.elf", NULL), 0);
    assert_true(o.w5500);
    assert_true(o.net_wait_ns == 2000000000ull);
    cli_free(&o);

    static const struct {
        const char *args[2];
        const char *message;
    } bad[] = {
        { { "--net-forward", "10.0.2.2:1883" }, "expected SIMADDR:PORT=HOSTADDR:PORT" },
        { { "--net-forward", "10.0.2.2:1883=127.0.0.1" }, "expected SIMADDR:PORT=HOSTADDR:PORT" },
        { { "--net-forward", "10.0.2.2:70000=127.0.0.1:1" }, "expected SIMADDR:PORT=HOSTADDR:PORT" },
        { { "--net-forward", "10.0.2:1=127.0.0.1:1" }, "expected SIMADDR:PORT=HOSTADDR:PORT" },
        { { "--net-allow", "example.org" }, "expected ADDR or ADDR:PORT" },
        { { "--net-allow", "1.2.3.4:" }, "expected ADDR or ADDR:PORT" },
        { { "--link", "down" }, "expected up@TIME or down@TIME" },
        { { "--link", "sideways@1s" }, "expected up@TIME or down@TIME" },
        { { "--link", "up@1x" }, "bad TIME" },
        { { "--link", "up@11s" }, "after the end of the run" },
        { { "--net-lease", "500ms" }, "is not 1s.." },
        { { "--net-lease", "1d" }, "bad TIME" },
        { { "--net-wait", "0s" }, "is not 1ns..60s" },
        { { "--net-wait", "61s" }, "is not 1ns..60s" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(&o, err, bad[i].args[0], bad[i].args[1], "fw.elf", NULL);
        if (rc != -EINVAL || !strstr(err, bad[i].message))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, bad[i].message);
        cli_free(&o);
    }
}

static void test_cli_defaults(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "fw.elf", NULL), 0);
    assert_false(o.until_given);
    assert_true(o.until_ns == CLI_DEFAULT_UNTIL_NS); /* headless default */
    assert_null(o.console_path);
    assert_int_equal(o.bounce, 0);
    cli_free(&o);

    assert_int_equal(parse(&o, err, "--interactive", "fw.elf", NULL), 0);
    assert_true(o.interactive);
    assert_true(o.until_ns == 0); /* no end in interactive mode */
    cli_free(&o);

    /* Interactive runs may script inputs at any time. */
    assert_int_equal(parse(&o, err, "--interactive", "--press", "B1@1h", "fw.elf", NULL), -EINVAL);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--interactive", "--press", "B1@60s", "fw.elf", NULL), 0);
    cli_free(&o);

    /* --gdb PORT: a TCP port; no end unless --until; --gdb-wait needs --gdb. */
    assert_int_equal(parse(&o, err, "--gdb", "3333", "--gdb-wait", "fw.elf", NULL), 0);
    assert_int_equal(o.gdb_port, 3333);
    assert_true(o.gdb_wait);
    assert_true(o.until_ns == 0);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "fw.elf", NULL), 0);
    assert_int_equal(o.gdb_port, -1);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--gdb=0", "--interactive", "fw.elf", NULL), 0);
    assert_int_equal(o.gdb_port, 0);
    cli_free(&o);
    const char *bad_gdb[][3] = {
        { "--gdb", "65536", "fw.elf" }, { "--gdb", "-1", "fw.elf" }, { "--gdb", "33x", "fw.elf" },
        { "--gdb-wait", "fw.elf", NULL },
    };
    for (size_t i = 0; i < sizeof bad_gdb / sizeof bad_gdb[0]; i++) {
        assert_int_equal(parse(&o, err, bad_gdb[i][0], bad_gdb[i][1], bad_gdb[i][2], NULL), -EINVAL);
        cli_free(&o);
    }
    assert_int_equal(parse(&o, err, "--gdb", "1", "--gdb", "2", "fw.elf", NULL), -EINVAL);
    assert_non_null(strstr(err, "twice"));
    cli_free(&o);

    assert_int_equal(parse(&o, err, "--help", NULL), 0); /* no firmware needed */
    assert_true(o.help);
    cli_free(&o);

    assert_int_equal(parse(&o, err, "--", "--odd-name.elf", NULL), 0);
    assert_string_equal(o.firmware, "--odd-name.elf");
    cli_free(&o);
}

static void test_cli_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args[6];
        const char *message; /* a part of the one-line error */
    } cases[] = {
        { { "--frobnicate", "fw.elf" }, "unknown option '--frobnicate'" },
        { { "--until" }, "--until needs a value" },
        { { "--until", "2.5x", "fw.elf" }, "bad TIME '2.5x'" },
        { { "--until", "99999999999999999999ns", "fw.elf" }, "bad TIME" },
        { { "--until", "1s", "--until", "2s", "fw.elf" }, "--until given twice" },
        { { "--press", "C1@1s", "fw.elf" }, "expected B1@TIME" },
        { { "--press", "B1", "fw.elf" }, "expected B1@TIME" },
        { { "--press", "B1@1s+0ms", "fw.elf" }, "more than 0" },
        { { "--press", "B1@1s+", "fw.elf" }, "bad TIME" },
        { { "--detach", "lcd@1s", "fw.elf" }, "expected oled@TIME" },
        { { "--attach", "oled@1s+2s", "fw.elf" }, "takes no +DURATION" },
        { { "--stuck-sda", "I2C4@1s+1ms", "fw.elf" }, "I2C1..3" },
        { { "--stuck-sda", "I2C1@1s", "fw.elf" }, "needs +DURATION" },
        { { "--rx", "hi\\q@1s", "fw.elf" }, "bad escape" },
        { { "--rx", "hi", "fw.elf" }, "expected TEXT@TIME" },
        { { "--bounce", "x", "fw.elf" }, "--bounce" },
        { { "--bounce", "65", "fw.elf" }, "--bounce" },
        { { "--bounce", "1", "--bounce", "2", "fw.elf" }, "--bounce given twice" }, /* issue 9.11 */
        { { "--console", "", "fw.elf" }, "empty file name" },
        { { "--report", "a", "--report", "b", "fw.elf" }, "given twice" },
        { { "--console", "-", "--report", "-", "fw.elf" }, "both go to stdout" },
        { { "--interactive=1", "fw.elf" }, "takes no value" },
        { { "a.elf", "b.elf" }, "more than one FIRMWARE" },
        { { "--until", "1s" }, "no FIRMWARE.elf" },
        { { "--press", "B1@11s", "fw.elf" }, "after the end of the run" },
        { { "--until", "1s", "--reset", "1.5s", "fw.elf" }, "after the end of the run" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_options o;
        char err[256];
        const char *const *a = cases[i].args;
        int rc = parse(&o, err, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        if (rc != -EINVAL || !strstr(err, cases[i].message))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, cases[i].message);
        cli_free(&o);
    }
}

static void test_unescape(void **state)
{
    (void)state;
    char out[32];
    size_t len;
    assert_int_equal(cli_unescape("a\\n\\r\\t\\0\\\\\\x41\\x7e\\xff\\x4g", out, &len), 0);
    assert_int_equal(len, 11);
    assert_memory_equal(out, "a\n\r\t\0\\A~\xff\x04g", 11);
    assert_int_equal(cli_unescape("", out, &len), 0);
    assert_int_equal(len, 0);
    assert_int_equal(cli_unescape("\\q", out, &len), -EINVAL);
    assert_int_equal(cli_unescape("end\\", out, &len), -EINVAL);
    assert_int_equal(cli_unescape("\\xg", out, &len), -EINVAL);
}

/* Issue 9.5: an output on another output's file, the firmware's or the SVD's is refused. */
static void test_cli_paths(void **state)
{
    (void)state;
    char dir[] = "/tmp/qsim-paths-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fw[128], o[128], o_dot[160], link[128], other[128];
    snprintf(fw, sizeof fw, "%s/fw.elf", dir);
    snprintf(o, sizeof o, "%s/o", dir);
    snprintf(o_dot, sizeof o_dot, "%s/./o", dir);
    snprintf(link, sizeof link, "%s/fw-link.elf", dir);
    snprintf(other, sizeof other, "%s/other", dir);
    FILE *f = fopen(fw, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(symlink(fw, link), 0);
    static const char *const clash_both = "both write";
    static const char *const clash_input = "would overwrite";
    const struct {
        const char *args[10];
        const char *message; /* NULL: accepted */
    } cases[] = {
        { { "--console", o, "--report", o, fw }, clash_both },
        { { "--vcd", o, "--oled-png", o, fw }, clash_both },
        { { "--vcd", o, "--oled-png", o_dot, fw }, clash_both }, /* not there yet, same directory */
        { { "--report", fw, fw }, clash_input },
        { { "--vcd", link, fw }, clash_input },                  /* the same inode */
        { { "--console", fw, link }, clash_input },
        { { "--svd", o, "--report", o_dot, fw }, clash_input },
        { { "--console", "-", "--oled-png", "-", fw }, "both go to stdout" },
        { { "--console", o, "--report", other, "--vcd", "/dev/null", "--oled-png", "/dev/null", fw }, NULL },
        { { "--console", "-", "--vcd", "-", fw }, NULL }, /* --vcd - is a file named "-" */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_options opt;
        char err[256];
        const char *const *a = cases[i].args;
        int rc = parse(&opt, err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], NULL);
        if (cases[i].message ? rc != -EINVAL || !strstr(err, cases[i].message) : rc != 0)
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err,
                     cases[i].message ? cases[i].message : "(accepted)");
        cli_free(&opt);
    }
    unlink(link);
    unlink(fw);
    rmdir(dir);
}

/* Issue 9.12: the last virtual time (2^64 ps in whole ns) is accepted, one ns more is refused. */
static void test_cli_time_limit(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "--until", "18446744073709551ns", "fw.elf", NULL), 0);
    assert_true(o.until_ns == QSIM_TIME_MAX_NS);
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--until", "18446744.073709551s", "--press", "B1@18446744073709550ns+1ns",
                           "fw.elf", NULL), 0);
    cli_free(&o);
    static const char *const late[][2] = {
        { "--until", "18446744073709552ns" },
        { "--until", "18446744.073709552s" },
        { "--reset", "18446744073709552ns" },
        { "--press", "B1@18446744073709551ns+1ns" },
        { "--stuck-sda", "I2C1@1s+18446744073709551ns" },
        { "--rx", "x@18446744073709552ns" },
    };
    for (size_t i = 0; i < sizeof late / sizeof late[0]; i++) {
        int rc = parse(&o, err, "--interactive", late[i][0], late[i][1], "fw.elf", NULL);
        bool refused = rc == -EINVAL && strstr(err, "end of virtual time") && strstr(err, "18446744073709551ns");
        if (!refused)
            fail_msg("%s %s: rc %d, '%s'", late[i][0], late[i][1], rc, err);
        cli_free(&o);
    }
}

/* Issue 9.11: control bytes of an argument are escaped, so the message stays one line. */
static void test_cli_escape(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "--x\ny", "fw.elf", NULL), -EINVAL); /* parse() asserts one line */
    assert_non_null(strstr(err, "'--x\\ny'"));
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--until", "1\x1b[2Js", "fw.elf", NULL), -EINVAL);
    assert_non_null(strstr(err, "'1\\x1b[2Js'"));
    cli_free(&o);
    char out[8];
    cli_escape("a\tb\r\x7f", out, sizeof out);
    assert_string_equal(out, "a\\tb\\r"); /* \x7f needs 4 more bytes than fit */
}

static void test_usage(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    cli_usage(f);
    fclose(f);
    static const char *const options[] = { "--until", "--press", "--bounce", "--console", "--report",
                                           "--oled-png", "--vcd", "--detach", "--attach", "--stuck-sda",
                                           "--rx", "--reset", "--interactive", "--svd", "--help",
                                           "--analog", "--chip-temp", "--uid", "--w5500", "--net-forward",
                                           "--net-allow", "--link", "--net-lease", "--net-wait",
                                           "--pane", "--pane-title" };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        assert_non_null(strstr(text, options[i]));
    assert_non_null(strstr(text, "at most 18446744073709551ns")); /* issue 9.12 */
    free(text);
}

/* --pane FILE [--pane-title TEXT]: the interactive board's side pane. */
static void test_cli_pane(void **state)
{
    (void)state;
    struct cli_options o;
    char err[256];
    assert_int_equal(parse(&o, err, "--interactive", "--pane", "m.txt", "--pane-title=MQTT quartz/#", "fw.elf", NULL), 0);
    assert_string_equal(o.pane_path, "m.txt");
    assert_string_equal(o.pane_title, "MQTT quartz/#");
    cli_free(&o);
    assert_int_equal(parse(&o, err, "--interactive", "fw.elf", NULL), 0);
    assert_null(o.pane_path);
    assert_null(o.pane_title);
    cli_free(&o);
    static const struct {
        const char *args[6];
        const char *message;
    } cases[] = {
        { { "--pane", "m.txt", "fw.elf" }, "--pane needs --interactive" },
        { { "--interactive", "--pane-title", "x", "fw.elf" }, "--pane-title needs --pane" },
        { { "--interactive", "--pane", "a", "--pane", "b", "fw.elf" }, "--pane given twice" },
        { { "--interactive", "--pane", "", "fw.elf" }, "empty file name" },
        { { "--interactive", "--pane", "a", "--pane-title", "x", "--pane-title" }, "--pane-title needs a value" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *a = cases[i].args;
        int rc = parse(&o, err, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        if (rc != -EINVAL || !strstr(err, cases[i].message))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, cases[i].message);
        cli_free(&o);
    }
    assert_int_equal(parse(&o, err, "--interactive", "--pane", "a", "--pane-title", "x", "--pane-title", "y",
                           "fw.elf", NULL), -EINVAL);
    assert_non_null(strstr(err, "--pane-title given twice"));
    cli_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_good), cmocka_unit_test(test_time_bad),
        cmocka_unit_test(test_cli_full),  cmocka_unit_test(test_cli_defaults),
        cmocka_unit_test(test_cli_errors), cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_cli_paths), cmocka_unit_test(test_cli_time_limit),
        cmocka_unit_test(test_cli_escape), cmocka_unit_test(test_usage),
        cmocka_unit_test(test_cli_analog), cmocka_unit_test(test_cli_net),
        cmocka_unit_test(test_cli_pane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
