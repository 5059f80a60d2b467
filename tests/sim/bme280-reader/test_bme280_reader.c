/*
 * The datasheet-only reader (reader.c) on quartz-sim, run as the command
 * line runs it: the values it computes follow the scripted --env steps
 * and the --env-csv ramp within the sensor's resolution, on I2C1 and on
 * SPI2; --detach/--attach bme280 make its accesses fail and then work
 * again; --env-noise is deterministic per seed.
 *
 * Tolerances, from the datasheet: temperature 0.008 C (half the 0.01 C
 * output unit of 4.2.3, plus half an ADC code at osrs_t x1, whose 16-bit
 * codes are about 0.005 C apart); pressure 0.5 Pa
 * (osrs_p x16: 20-bit codes of about 0.16 Pa, output in 1/256 Pa);
 * humidity 0.01 %RH (16-bit codes, resolution 0.008 %RH, table 2). The
 * model samples the air when a conversion ends, at most 43.8 ms (the
 * maximum measurement time, appendix B) plus one register write after
 * the reader's timestamp t: a reading must match the air at some time in
 * [t, t + 45 ms], widened by the tolerance.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define T_TOL 0.008
#define P_TOL 0.5
#define H_TOL 0.01
#define WINDOW_US 45000ull

static const char *sim, *elf, *dir;

struct sample {
    unsigned long long t_us;
    double t, p, h; /* C, Pa, %RH */
    int err;        /* the reader's error line, 0 for a reading */
};

#define MAX_SAMPLES 256
struct run {
    char out[65536];
    struct sample s[MAX_SAMPLES];
    int n;
};

/* quartz-sim `args` on the reader; the console and the samples in it. */
static void run_sim(struct run *r, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s --console - '%s' 2>&1", sim, args, elf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(r->out, 1, sizeof r->out - 1, p);
    r->out[n] = '\0';
    int status = pclose(p);
    if (status != 0)
        fail_msg("quartz-sim %s: status %d\n%s", args, status, r->out);
    r->n = 0;
    for (char *line = strtok(r->out, "\r\n"); line && r->n < MAX_SAMPLES; line = strtok(NULL, "\r\n")) {
        struct sample *s = &r->s[r->n];
        int t100, err;
        unsigned p256, h1024;
        if (sscanf(line, "t=%llu T=%d P=%u H=%u", &s->t_us, &t100, &p256, &h1024) == 4) {
            *s = (struct sample){s->t_us, t100 / 100.0, p256 / 256.0, h1024 / 1024.0, 0};
            r->n++;
        } else if (sscanf(line, "t=%llu err=%d", &s->t_us, &err) == 2) {
            s->err = err;
            r->n++;
        }
    }
}

/* The air of the scenario at time us: a function per test. */
typedef void (*air_fn)(unsigned long long us, double *t, double *p, double *h);

static bool near(double got, double lo, double hi, double tol) { return got >= lo - tol && got <= hi + tol; }

/* The sample matches the air somewhere in its window (checked every 0.5 ms and at the ends). */
static bool matches(const struct sample *s, air_fn air)
{
    double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    for (unsigned long long dt = 0; dt <= WINDOW_US; dt += 500) {
        double v[3];
        air(s->t_us + dt, &v[0], &v[1], &v[2]);
        for (int k = 0; k < 3; k++) {
            lo[k] = v[k] < lo[k] ? v[k] : lo[k];
            hi[k] = v[k] > hi[k] ? v[k] : hi[k];
        }
    }
    /* A step inside the window: the reading is from before or after it, each within tolerance. */
    double a[3], b[3];
    air(s->t_us, &a[0], &a[1], &a[2]);
    air(s->t_us + WINDOW_US, &b[0], &b[1], &b[2]);
    bool step = false;
    for (unsigned long long dt = 500; dt <= WINDOW_US; dt += 500) {
        double v[3], w[3];
        air(s->t_us + dt - 500, &v[0], &v[1], &v[2]);
        air(s->t_us + dt, &w[0], &w[1], &w[2]);
        step = step || (w[0] - v[0]) > 0.5 || (v[0] - w[0]) > 0.5;
    }
    if (step)
        return (near(s->t, a[0], a[0], T_TOL) || near(s->t, b[0], b[0], T_TOL));
    return near(s->t, lo[0], hi[0], T_TOL) && near(s->p, lo[1], hi[1], P_TOL) && near(s->h, lo[2], hi[2], H_TOL);
}

static void check_all(const struct run *r, air_fn air, int min_readings)
{
    int readings = 0;
    for (int k = 0; k < r->n; k++) {
        const struct sample *s = &r->s[k];
        if (s->err)
            fail_msg("t=%llu us: the reader failed with %d", s->t_us, s->err);
        double t, p, h;
        air(s->t_us, &t, &p, &h);
        if (!matches(s, air))
            fail_msg("t=%llu us: read T=%.2f C P=%.3f Pa H=%.3f %%, the air at the start is %.3f C %.3f Pa %.3f %%",
                     s->t_us, s->t, s->p, s->h, t, p, h);
        readings++;
    }
    assert_true(readings >= min_readings);
}

/* --env steps: T=21.5C,P=1013.25hPa,H=45%@0s, T=-10.25C,H=80%@1s, P=950hPa,T=40C@2s */
static void steps_air(unsigned long long us, double *t, double *p, double *h)
{
    *t = us < 1000000 ? 21.5 : us < 2000000 ? -10.25 : 40.0;
    *p = us < 2000000 ? 101325.0 : 95000.0;
    *h = us < 1000000 ? 45.0 : 80.0;
}

static void env_steps_on_i2c(void **state)
{
    static struct run r;
    (void)state;
    run_sim(&r, "--until 3s --env T=21.5C,P=1013.25hPa,H=45%@0s --env T=-10.25C,H=80%@1s "
                "--env P=950hPa,T=40C@2s");
    assert_non_null(strstr(r.out, "bus=i2c1"));
    check_all(&r, steps_air, 28);
    /* every phase of the script was read */
    int phase[3] = {0};
    for (int k = 0; k < r.n; k++)
        phase[r.s[k].t > 30 ? 2 : r.s[k].t < 0 ? 1 : 0]++;
    assert_true(phase[0] >= 9 && phase[1] >= 9 && phase[2] >= 9);
}

/* --env-csv: 20 C, 1000 hPa, 30 % at 0 s to 30 C, 1010 hPa, 70 % at 2 s, then held. */
static void ramp_air(unsigned long long us, double *t, double *p, double *h)
{
    double x = us >= 2000000 ? 1.0 : us / 2000000.0;
    *t = 20.0 + 10.0 * x;
    *p = 100000.0 + 1000.0 * x;
    *h = 30.0 + 40.0 * x;
}

static void env_csv_ramp(void **state)
{
    static struct run r;
    (void)state;
    char path[1024], args[1200];
    snprintf(path, sizeof path, "%s/bme280-ramp.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* a header, a comment, bare numbers and numbers with units */
    fputs("time,T,P,H\n# the ramp\n0,20,1000,30\n2s,30C,1010hPa,70%\n3,30,101000Pa,70\n", f);
    assert_int_equal(fclose(f), 0);
    snprintf(args, sizeof args, "--until 2.6s --env-csv '%s'", path);
    run_sim(&r, args);
    check_all(&r, ramp_air, 24);
    /* the ramp was seen moving: early and late readings differ by most of it */
    assert_true(r.s[r.n - 1].t - r.s[0].t > 9.0);
    remove(path);
}

/* --bme280 spi2:PB12: the same reader finds it on SPI2 and reads the air. */
static void spi_air(unsigned long long us, double *t, double *p, double *h)
{
    (void)us;
    *t = 5.5;
    *p = 80000.0;
    *h = 10.0;
}

static void env_on_spi(void **state)
{
    static struct run r;
    (void)state;
    run_sim(&r, "--until 600ms --bme280 spi2:PB12 --env T=5.5C,P=800hPa,H=10%");
    assert_non_null(strstr(r.out, "bus=spi2"));
    check_all(&r, spi_air, 5);
}

/* --detach bme280@1s --attach bme280@1.5s: errors meanwhile, readings before and after. */
static void detach_and_attach(void **state)
{
    static struct run r;
    (void)state;
    run_sim(&r, "--until 2.5s --env T=21.5C,P=1013.25hPa,H=45% --detach bme280@1s --attach bme280@1.5s");
    int before = 0, errors = 0, after = 0;
    for (int k = 0; k < r.n; k++) {
        const struct sample *s = &r.s[k];
        if (s->err) {
            assert_true(s->t_us > 1000000 && s->t_us < 1600000);
            errors++;
        } else if (s->t_us < 1000000 - WINDOW_US) {
            before++;
        } else if (s->t_us > 1600000) {
            assert_true(near(s->t, 21.5, 21.5, T_TOL));
            after++;
        }
    }
    assert_true(before >= 8 && errors >= 4 && after >= 8);
}

/* --env-noise: the same seed, the same readings; another seed, others; the mean stays at the air. */
static void noise_per_seed(void **state)
{
    static struct run a, b, c;
    (void)state;
    const char *base = "--until 2s --env T=21.5C,P=1013.25hPa,H=45%";
    char args[256];
    snprintf(args, sizeof args, "%s --env-noise 7", base);
    run_sim(&a, args);
    run_sim(&b, args);
    snprintf(args, sizeof args, "%s --env-noise 8", base);
    run_sim(&c, args);
    assert_int_equal(a.n, b.n);
    assert_true(a.n >= 18);
    bool same = true, other = false;
    double sum_p = 0;
    for (int k = 0; k < a.n; k++) {
        same = same && a.s[k].t == b.s[k].t && a.s[k].p == b.s[k].p && a.s[k].h == b.s[k].h;
        other = other || a.s[k].p != c.s[k].p;
        sum_p += a.s[k].p;
    }
    assert_true(same);
    assert_true(other);
    double mean = sum_p / a.n;
    assert_true(mean > 101325.0 - 2.0 && mean < 101325.0 + 2.0); /* 1.3 Pa RMS at x16 over >= 18 samples */
}

/* --report: the scripted air and the sensor's registers as the reader left them. */
static void report(void **state)
{
    static struct run r;
    (void)state;
    char path[1024], args[1200];
    static char json[65536];
    snprintf(path, sizeof path, "%s/bme280-report.json", dir);
    snprintf(args, sizeof args, "--until 1.05s --env T=21.5C,P=1013.25hPa,H=45%% --env T=-5C@1.045s --report '%s'", path);
    run_sim(&r, args);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(json, 1, sizeof json - 1, f);
    json[n] = '\0';
    fclose(f);
    remove(path);
    assert_non_null(strstr(json, "\"environment\":{\"scripted\":true,\"t_mC\":-5000,\"p_mPa\":101325000,\"h_mpct\":45000}"));
    /* ctrl_meas 0x34: osrs_t x1, osrs_p x16, back to sleep after the forced conversion */
    assert_non_null(strstr(json, "\"bme280\":{\"bus\":\"I2C1\",\"address\":118,\"attached\":true,\"mode\":\"sleep\""));
    assert_non_null(strstr(json, "\"registers\":{\"id\":96,\"ctrl_hum\":1,\"status\":0,\"ctrl_meas\":52,\"config\":0}"));
    const char *c = strstr(json, "\"bme280\":");
    assert_non_null(c);
    c = strstr(c, "\"conversions\":");
    assert_non_null(c);
    assert_int_equal(atoi(c + 14), 11); /* one per 100 ms from t = 0 */
    assert_non_null(strstr(json, "\"soft_resets\":1"));
    /* the last conversion (from 1.000 s to 1.038 s) saw the air before the step at 1.045 s */
    assert_non_null(strstr(json, "\"last_conversion_env\":{\"t_mC\":21500,\"p_mPa\":101325000,\"h_mpct\":45000}"));
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s QUARTZ-SIM READER.elf DIR\n", argv[0]);
        return 2;
    }
    sim = argv[1];
    elf = argv[2];
    dir = argv[3];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(env_steps_on_i2c), cmocka_unit_test(env_csv_ramp), cmocka_unit_test(env_on_spi),
        cmocka_unit_test(detach_and_attach), cmocka_unit_test(noise_per_seed), cmocka_unit_test(report),
    };
    return cmocka_run_group_tests_name("sim_bme280_reader", tests, NULL, NULL);
}
