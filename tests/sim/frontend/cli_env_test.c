/*
 * quartz-sim front end: the environment options (--env, --env-csv,
 * --env-noise) and the BME280's (--bme280, --detach/--attach bme280):
 * values parsed exactly, every bad input refused with one line that names
 * the option (and for a CSV file, the line).
 */
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

static char err[256];

/* cli_parse of `a` and `b` (b may be NULL) and an ELF name. */
static int parse2(struct cli_options *o, const char *a, const char *b)
{
    char *argv[] = {"quartz-sim", (char *)a, (char *)b, "fw.elf", NULL};
    int argc = b ? 4 : 3;
    if (!b)
        argv[2] = "fw.elf";
    err[0] = '\0';
    int rc = cli_parse(o, argc, argv, err, sizeof err);
    if (rc)
        assert_null(strchr(err, '\n'));
    return rc;
}

static void env_good(void **state)
{
    (void)state;
    static const struct {
        const char *arg;
        unsigned mask;
        int32_t t, p, h;
        uint64_t t_ns;
    } cases[] = {
        {"T=21.5C,P=1013.25hPa,H=45%@0s", 7, 21500, 101325000, 45000, 0},
        {"t=-5.5c@1.5s", 1, -5500, 0, 0, 1500000000ull},
        {"P=101325Pa", 2, 0, 101325000, 0, 0},
        {"P=101.325kPa", 2, 0, 101325000, 0, 0},
        {"P=1013.25mbar,H=45.5%RH@6s", 6, 0, 101325000, 45500, 6000000000ull},
        {"H=0%,T=85C,P=300hPa", 7, 85000, 30000000, 0, 0},
        {"T=-40C,P=1100hPa,H=100%", 7, -40000, 110000000, 100000, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_options o;
        assert_int_equal(parse2(&o, "--env", cases[i].arg), 0);
        assert_int_equal(o.n_events, 1);
        const struct cli_event *e = &o.events[0];
        assert_int_equal(e->kind, CLI_ENV);
        assert_int_equal(e->env_mask, cases[i].mask);
        if (cases[i].mask & CLI_ENV_T)
            assert_int_equal(e->env.t_mc, cases[i].t);
        if (cases[i].mask & CLI_ENV_P)
            assert_int_equal(e->env.p_mpa, cases[i].p);
        if (cases[i].mask & CLI_ENV_H)
            assert_int_equal(e->env.h_mpct, cases[i].h);
        assert_true(e->t_ns == cases[i].t_ns);
        cli_free(&o);
    }
}

static void env_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "T=86C", "T=-41C", "P=299hPa", "P=1101hPa", "H=101%", "H=-1%", "T=21.5", "T=21.5K", "X=1", "T=1C,T=2C",
        "", "T=1C@bad", "P=1013.253333hPa", "T=1C,", "T=", "T=C", "=1C", "P=1e3hPa", "T=1C@1s@2s", ",T=1C", "T=1C,,H=1%",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cli_options o;
        assert_int_equal(parse2(&o, "--env", bad[i]), -EINVAL);
        assert_non_null(strstr(err, "--env"));
        cli_free(&o);
    }
}

static const char *csv(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/qsim-env-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void env_csv_good(void **state)
{
    (void)state;
    struct cli_options o;
    const char *path = csv("time,T,P,H\n# comment\n\n0,20,1000,30\r\n 1.5 , 21.5C , 101325Pa , 45.5% \n2s,-40,300,0\n");
    assert_int_equal(parse2(&o, "--env-csv", path), 0);
    assert_int_equal(o.n_env_rows, 3);
    assert_true(o.env_rows[1].t_ns == 1500000000ull);
    assert_int_equal(o.env_rows[1].v.t_mc, 21500);
    assert_int_equal(o.env_rows[1].v.p_mpa, 101325000);
    assert_int_equal(o.env_rows[1].v.h_mpct, 45500);
    assert_int_equal(o.env_rows[2].v.t_mc, -40000);
    assert_int_equal(o.env_rows[2].v.p_mpa, 30000000);
    cli_free(&o);
    unlink(path);
}

static void env_csv_bad(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"0,20,1000,30\n1,20,1000,30\n1,21,1000,30\n", ":3: times must increase"},
        {"0,20,1000\n", ":1: expected 4 fields"},
        {"0,20,1000,30,5\n", ":1: more than 4 fields"},
        {"0,200,1000,30\n", ":1: temperature outside"},
        {"0,20,1000,30\nx,20,1000,30\n", ":2: bad time"},
        {"0,20,1000hPa,30K\n", ":1: bad humidity"},
        {"# nothing\n", "no rows"},
        {"", "no rows"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cli_options o;
        const char *path = csv(bad[i].text);
        assert_int_equal(parse2(&o, "--env-csv", path), -EINVAL);
        if (!strstr(err, bad[i].says) || !strstr(err, path))
            fail_msg("case %zu: '%s'", i, err);
        cli_free(&o);
        unlink(path);
    }
    struct cli_options o;
    assert_int_equal(parse2(&o, "--env-csv", "/nonexistent/env.csv"), -EINVAL);
    assert_non_null(strstr(err, "No such file"));
    cli_free(&o);
}

static void noise_and_placement(void **state)
{
    (void)state;
    struct cli_options o;
    assert_int_equal(parse2(&o, "--env-noise", "42"), 0);
    assert_true(o.env_noise_given && o.env_noise_seed == 42);
    cli_free(&o);
    assert_int_equal(parse2(&o, "--env-noise", "0x10"), 0);
    assert_true(o.env_noise_seed == 16);
    cli_free(&o);
    static const char *const bad_seed[] = {"-1", "abc", "", "1x"};
    for (size_t i = 0; i < sizeof bad_seed / sizeof bad_seed[0]; i++) {
        assert_int_equal(parse2(&o, "--env-noise", bad_seed[i]), -EINVAL);
        cli_free(&o);
    }
    static const struct {
        const char *arg;
        enum cli_bme280_bus bus;
        uint8_t address;
        char port;
        int pin;
    } places[] = {
        {"i2c", CLI_BME280_I2C1, 0x76, 0, 0},        {"i2c:0x77", CLI_BME280_I2C1, 0x77, 0, 0},
        {"spi2:PB12", CLI_BME280_SPI2, 0x76, 'B', 12}, {"spi1:pa4", CLI_BME280_SPI1, 0x76, 'A', 4},
        {"none", CLI_BME280_NONE, 0x76, 0, 0},
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        assert_int_equal(parse2(&o, "--bme280", places[i].arg), 0);
        assert_true(o.bme280_given);
        assert_int_equal(o.bme280_bus, places[i].bus);
        assert_int_equal(o.bme280_address, places[i].address);
        if (places[i].port) {
            assert_int_equal(o.bme280_cs_port, places[i].port);
            assert_int_equal(o.bme280_cs_pin, places[i].pin);
        }
        cli_free(&o);
    }
    static const char *const bad_place[] = {"spi3:PB1", "spi2:PB13", "spi1:PA6", "i2c:0x78", "spi2:PZ1",
                                            "spi2:PB16", "spi2:", "i2c2", ""};
    for (size_t i = 0; i < sizeof bad_place / sizeof bad_place[0]; i++) {
        assert_int_equal(parse2(&o, "--bme280", bad_place[i]), -EINVAL);
        assert_non_null(strstr(err, "--bme280"));
        cli_free(&o);
    }
}

static void detach_attach_bme280(void **state)
{
    (void)state;
    struct cli_options o;
    assert_int_equal(parse2(&o, "--detach", "bme280@1s"), 0);
    assert_int_equal(o.events[0].kind, CLI_BME280_DETACH);
    assert_true(o.events[0].t_ns == 1000000000ull);
    cli_free(&o);
    assert_int_equal(parse2(&o, "--attach=BME280@2s", NULL), 0);
    assert_int_equal(o.events[0].kind, CLI_BME280_ATTACH);
    cli_free(&o);
    assert_int_equal(parse2(&o, "--detach", "oled@1s"), 0);
    assert_int_equal(o.events[0].kind, CLI_OLED_DETACH);
    cli_free(&o);
    assert_int_equal(parse2(&o, "--detach", "bme@1s"), -EINVAL);
    assert_non_null(strstr(err, "bme280@TIME"));
    cli_free(&o);
    assert_int_equal(parse2(&o, "--detach", "bme280@x"), -EINVAL);
    cli_free(&o);
    char *argv[] = {"quartz-sim", "--bme280", "none", "--detach", "bme280@1s", "fw.elf"};
    assert_int_equal(cli_parse(&o, 6, argv, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "needs a BME280"));
    cli_free(&o);
    char *argv2[] = {"quartz-sim", "--bme280", "none", "--env-noise", "1", "fw.elf"};
    assert_int_equal(cli_parse(&o, 6, argv2, err, sizeof err), -EINVAL);
    cli_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_good),           cmocka_unit_test(env_bad),
        cmocka_unit_test(env_csv_good),       cmocka_unit_test(env_csv_bad),
        cmocka_unit_test(noise_and_placement), cmocka_unit_test(detach_attach_bme280),
    };
    return cmocka_run_group_tests_name("frontend_cli_env", tests, NULL, NULL);
}
