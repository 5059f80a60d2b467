/*
 * quartz-sim command line: the values of the analog scenario options,
 * --analog PIN=VOLTS[@TIME], --chip-temp TEMP[@TIME] and --uid HEX24, and
 * of the environment's, --env, --env-csv, --env-noise and --bme280
 * (cli.h; docs/simulator-frontends.md). Numbers are parsed as fixed point,
 * never through floating point, so 1.65V is exactly 1650000 uV.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "quartzsim.h"

/* ADC input pins (datasheet DS10693 table 10): PA0..7, PB0..1, PC0..5, PF3..10 (ADC3). */
static bool cli_adc_pin(char port, int pin)
{
    switch (port) {
    case 'A': return pin <= 7;
    case 'B': return pin <= 1;
    case 'C': return pin <= 5;
    case 'F': return pin >= 3 && pin <= 10;
    default: return false;
    }
}

/* "[-]D[.D]" scaled by 10^`digits` (up to `digits` decimals), then `*end` after it. */
int cli_fixed(const char *text, int digits, int64_t *value, const char **end)
{
    const char *p = text;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9')
        return -EINVAL;
    int64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > 1000000000)
            return -EINVAL;
        v = v * 10 + (*p - '0');
    }
    int frac = 0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++, frac++) {
            if (frac >= digits)
                return -EINVAL;
            v = v * 10 + (*p - '0');
        }
    }
    for (; frac < digits; frac++)
        v *= 10;
    *value = neg ? -v : v;
    *end = p;
    return 0;
}

/* "VALUE[@TIME]": the value text (up to '@') in `head`, the time after it or 0. */
static int cli_value_at(const char *opt, const char *text, char *head, size_t headlen, uint64_t *t,
                        char *err, size_t errlen)
{
    const char *at = strchr(text, '@');
    size_t n = at ? (size_t)(at - text) : strlen(text);
    if (n >= headlen)
        return cli_fail(err, errlen, "%s: bad value '%s'", opt, text);
    memcpy(head, text, n);
    head[n] = '\0';
    *t = 0;
    return at ? cli_time(opt, at + 1, t, err, errlen) : 0;
}

int cli_analog(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen)
{
    char head[64];
    int rc = cli_value_at(opt, value, head, sizeof head, &e->t_ns, err, errlen);
    if (rc)
        return rc;
    char *eq = strchr(head, '=');
    char port = 0;
    char *end = NULL;
    long pin = -1;
    if ((head[0] == 'P' || head[0] == 'p') && eq && eq > head + 2) {
        port = (char)(head[1] >= 'a' && head[1] <= 'h' ? head[1] - 'a' + 'A' : head[1]);
        errno = 0;
        pin = strtol(head + 2, &end, 10);
        if (errno || end != eq || head[2] < '0' || head[2] > '9')
            pin = -1;
    }
    if (pin < 0 || pin > 15 || port < 'A' || port > 'H')
        return cli_fail(err, errlen, "%s: expected PIN=VOLTS[@TIME] like PA0=1.65V@2s, got '%s'", opt, value);
    if (!cli_adc_pin(port, (int)pin))
        return cli_fail(err, errlen, "%s: P%c%ld is no ADC input (PA0..7, PB0..1, PC0..5, PF3..10; DS10693 table 10)",
                        opt, port, pin);
    int64_t uv;
    const char *unit;
    bool ok = cli_fixed(eq + 1, 6, &uv, &unit) == 0;
    if (ok && strcasecmp(unit, "mV") == 0)
        uv /= 1000; /* the number was read as volts: millivolts are 1000 times smaller */
    else if (ok && strcasecmp(unit, "V") != 0)
        ok = false;
    if (!ok)
        return cli_fail(err, errlen, "%s: bad voltage '%s' (examples: 1.65V, 800mV)", opt, eq + 1);
    if (uv < 0 || uv > QSIM_VDDA_UV)
        return cli_fail(err, errlen, "%s: '%s' is outside 0..3.3V (VSSA..VDDA on the Nucleo)", opt, eq + 1);
    e->port = port;
    e->pin = (int)pin;
    e->value = (int32_t)uv;
    return 0;
}

int cli_chip_temp(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen)
{
    char head[64];
    int rc = cli_value_at(opt, value, head, sizeof head, &e->t_ns, err, errlen);
    if (rc)
        return rc;
    int64_t mc;
    const char *unit;
    if (cli_fixed(head, 3, &mc, &unit) != 0 || strcasecmp(unit, "C") != 0)
        return cli_fail(err, errlen, "%s: bad temperature '%s' (examples: 35C, -5.5C)", opt, head);
    if (mc < QSIM_TEMP_MIN_MC || mc > QSIM_TEMP_MAX_MC)
        return cli_fail(err, errlen, "%s: '%s' is outside -40C..125C (the STM32F446's junction range)", opt, head);
    e->value = (int32_t)mc;
    return 0;
}

int cli_parse_uid(const char *text, uint8_t uid[12])
{
    if (strlen(text) != 24)
        return -EINVAL;
    for (int i = 0; i < 24; i++) {
        int d = cli_hex_digit(text[i]);
        if (d < 0)
            return -EINVAL;
        uint8_t *b = &uid[11 - i / 2];
        *b = (uint8_t)(i % 2 ? (*b & 0xF0u) | (unsigned)d : (unsigned)d << 4);
    }
    return 0;
}

/* ---- the environment the BME280 measures (docs/simulator.md, "Environment") ---------------------- */

/* The sensor's operating range (BME280 datasheet tables 1 and 2; sim/board/env.h). */
#define ENV_T_MIN_MC (-40000)
#define ENV_T_MAX_MC 85000
#define ENV_P_MIN_MPA 30000000
#define ENV_P_MAX_MPA 110000000
#define ENV_H_MAX_MPCT 100000

/* A number then a unit from `units` (decimals each unit scales to; NULL name ends), or no unit
 * when `bare` >= 0 (the index of the unit a bare number is in). 0 or -EINVAL. */
struct cli_unit {
    const char *name;
    int digits;
};

static int cli_quantity(const char *text, const struct cli_unit *units, int bare, int64_t *value)
{
    const char *p = text;
    if (*p == '-')
        p++;
    while ((*p >= '0' && *p <= '9') || *p == '.')
        p++;
    int u = -1;
    if (!*p)
        u = bare;
    for (int k = 0; *p && units[k].name; k++)
        if (strcasecmp(p, units[k].name) == 0)
            u = k;
    const char *end;
    if (u < 0 || cli_fixed(text, units[u].digits, value, &end) != 0 || end != p)
        return -EINVAL;
    return 0;
}

static const struct cli_unit t_units[] = {{"C", 3}, {NULL, 0}};                         /* -> mC */
static const struct cli_unit p_units[] = {{"hPa", 5}, {"Pa", 3}, {"kPa", 6}, {"mbar", 5}, {NULL, 0}}; /* -> mPa */
static const struct cli_unit h_units[] = {{"%", 3}, {"%RH", 3}, {NULL, 0}};             /* -> m%RH */

/* One quantity `key` (T, P, H) = `text` into `v`; `bare` as in cli_quantity. */
static int cli_env_quantity(char key, const char *text, int bare, struct cli_env_value *v, const char **why)
{
    int64_t x;
    switch (key) {
    case 'T':
        if (cli_quantity(text, t_units, bare, &x) != 0)
            return *why = "bad temperature (examples: 21.5C, -5C)", -EINVAL;
        if (x < ENV_T_MIN_MC || x > ENV_T_MAX_MC)
            return *why = "temperature outside -40C..85C (the BME280's operating range)", -EINVAL;
        v->t_mc = (int32_t)x;
        return 0;
    case 'P':
        if (cli_quantity(text, p_units, bare, &x) != 0)
            return *why = "bad pressure (examples: 1013.25hPa, 101325Pa, 101.3kPa, 1000mbar)", -EINVAL;
        if (x < ENV_P_MIN_MPA || x > ENV_P_MAX_MPA)
            return *why = "pressure outside 300..1100hPa (the BME280's operating range)", -EINVAL;
        v->p_mpa = (int32_t)x;
        return 0;
    case 'H':
        if (cli_quantity(text, h_units, bare, &x) != 0)
            return *why = "bad humidity (examples: 45%, 45.5%RH)", -EINVAL;
        if (x < 0 || x > ENV_H_MAX_MPCT)
            return *why = "humidity outside 0..100%", -EINVAL;
        v->h_mpct = (int32_t)x;
        return 0;
    }
    return *why = "expected T=, P= or H=", -EINVAL;
}

int cli_env(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen)
{
    char head[128];
    int rc = cli_value_at(opt, value, head, sizeof head, &e->t_ns, err, errlen);
    if (rc)
        return rc;
    e->env_mask = 0;
    size_t n = strlen(head);
    if (n && (head[0] == ',' || head[n - 1] == ',' || strstr(head, ",,")))
        return cli_fail(err, errlen, "%s: empty item in '%s' (expected T=..,P=..,H=..[@TIME])", opt, value);
    char *save = NULL;
    for (char *item = strtok_r(head, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char key = (char)(item[0] >= 'a' && item[0] <= 'z' ? item[0] - 'a' + 'A' : item[0]);
        unsigned bit = key == 'T' ? CLI_ENV_T : key == 'P' ? CLI_ENV_P : key == 'H' ? CLI_ENV_H : 0;
        if (!bit || item[1] != '=')
            return cli_fail(err, errlen, "%s: expected T=..,P=..,H=..[@TIME] like T=21.5C,P=1013.25hPa,H=45%%@0s, got '%s'",
                            opt, value);
        if (e->env_mask & bit)
            return cli_fail(err, errlen, "%s: %c given twice in '%s'", opt, key, value);
        const char *why = NULL;
        if (cli_env_quantity(key, item + 2, -1, &e->env, &why) != 0)
            return cli_fail(err, errlen, "%s: '%s': %s", opt, item, why);
        e->env_mask |= bit;
    }
    if (!e->env_mask)
        return cli_fail(err, errlen, "%s: expected T=..,P=..,H=..[@TIME], got '%s'", opt, value);
    return 0;
}

/* Leading and trailing blanks off, in place. */
static char *cli_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* One CSV row "time,T,P,H" (bare numbers: seconds, C, hPa, %RH). 0, 1 for a header, or -EINVAL with `why`. */
static int cli_csv_row(char *line, bool first, struct cli_env_row *row, const char **why)
{
    char *field[4];
    int n = 0;
    char *save = NULL;
    for (char *f = strtok_r(line, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (n == 4)
            return *why = "more than 4 fields (time,T,P,H)", -EINVAL;
        field[n++] = cli_trim(f);
    }
    if (n != 4)
        return *why = "expected 4 fields: time,T,P,H", -EINVAL;
    char c = field[0][0];
    if (first && !(c >= '0' && c <= '9') && c != '.')
        return 1; /* a header line */
    char time[40];
    size_t len = strlen(field[0]);
    bool bare = len && field[0][len - 1] >= '0' && field[0][len - 1] <= '9';
    if (len + 2 > sizeof time || snprintf(time, sizeof time, "%s%s", field[0], bare ? "s" : "") < 0 ||
        qsim_parse_time(time, &row->t_ns) != 0 || row->t_ns > QSIM_TIME_MAX_NS)
        return *why = "bad time (examples: 0, 1.5, 250ms, 60s)", -EINVAL;
    int rc = cli_env_quantity('T', field[1], 0, &row->v, why);
    if (!rc)
        rc = cli_env_quantity('P', field[2], 0, &row->v, why);
    if (!rc)
        rc = cli_env_quantity('H', field[3], 0, &row->v, why);
    return rc;
}

#define CLI_CSV_MAX_ROWS 1000000u

int cli_env_csv(struct cli_options *o, const char *opt, const char *path, char *err, size_t errlen)
{
    if (o->env_rows)
        return cli_fail(err, errlen, "%s given twice", opt);
    FILE *f = fopen(path, "r");
    if (!f)
        return cli_fail(err, errlen, "%s %s: %s", opt, path, strerror(errno));
    char line[256];
    unsigned lineno = 0;
    bool first = true;
    int rc = 0;
    const char *why = NULL;
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            why = "line longer than 255 bytes";
            rc = -EINVAL;
            break;
        }
        char *text = cli_trim(line);
        if (!*text || *text == '#')
            continue;
        struct cli_env_row row;
        int r = cli_csv_row(text, first, &row, &why);
        first = false;
        if (r == 1)
            continue;
        if (r < 0) {
            rc = r;
            break;
        }
        if (o->n_env_rows && row.t_ns <= o->env_rows[o->n_env_rows - 1].t_ns) {
            why = "times must increase from row to row";
            rc = -EINVAL;
            break;
        }
        if (o->n_env_rows >= CLI_CSV_MAX_ROWS) {
            why = "more than 1000000 rows";
            rc = -EINVAL;
            break;
        }
        struct cli_env_row *grown = realloc(o->env_rows, (o->n_env_rows + 1) * sizeof *grown);
        if (!grown) {
            why = "out of memory";
            rc = -ENOMEM;
            break;
        }
        o->env_rows = grown;
        o->env_rows[o->n_env_rows++] = row;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (rc)
        return cli_fail(err, errlen, "%s %s:%u: %s", opt, path, lineno, why);
    if (read_error)
        return cli_fail(err, errlen, "%s %s: read error", opt, path);
    if (!o->n_env_rows)
        return cli_fail(err, errlen, "%s %s: no rows (expected lines time,T,P,H like 0,21.5,1013.25,45)", opt, path);
    return 0;
}

int cli_env_noise(struct cli_options *o, const char *opt, const char *value, char *err, size_t errlen)
{
    if (o->env_noise_given)
        return cli_fail(err, errlen, "%s given twice", opt);
    char *end;
    errno = 0;
    unsigned long long seed = strtoull(value, &end, 0);
    if (errno || end == value || *end || value[0] == '-')
        return cli_fail(err, errlen, "%s: '%s' is not a SEED (an unsigned 64-bit number)", opt, value);
    o->env_noise_given = true;
    o->env_noise_seed = seed;
    return 0;
}

/* --bme280 i2c[:0x76|:0x77] | spi1:PIN | spi2:PIN | none */
int cli_bme280(struct cli_options *o, const char *opt, const char *value, char *err, size_t errlen)
{
    if (o->bme280_given)
        return cli_fail(err, errlen, "%s given twice", opt);
    o->bme280_given = true;
    o->bme280_address = 0x76;
    if (strcasecmp(value, "none") == 0) {
        o->bme280_bus = CLI_BME280_NONE;
        return 0;
    }
    if (strcasecmp(value, "i2c") == 0 || strcasecmp(value, "i2c1") == 0 || strcasecmp(value, "i2c:0x76") == 0 ||
        strcasecmp(value, "i2c1:0x76") == 0) {
        o->bme280_bus = CLI_BME280_I2C1;
        return 0;
    }
    if (strcasecmp(value, "i2c:0x77") == 0 || strcasecmp(value, "i2c1:0x77") == 0) {
        o->bme280_bus = CLI_BME280_I2C1;
        o->bme280_address = 0x77;
        return 0;
    }
    if (strncasecmp(value, "spi", 3) == 0 && (value[3] == '1' || value[3] == '2') && value[4] == ':' &&
        (value[5] == 'P' || value[5] == 'p')) {
        char port = (char)(value[6] >= 'a' && value[6] <= 'h' ? value[6] - 'a' + 'A' : value[6]);
        char *end;
        errno = 0;
        long pin = value[7] >= '0' && value[7] <= '9' ? strtol(value + 7, &end, 10) : -1;
        if (port >= 'A' && port <= 'H' && pin >= 0 && pin <= 15 && !errno && !*end) {
            int bus = value[3] - '0';
            /* The bus's own pins (SPI1 PA5/PA6/PA7, SPI2 PB13/PB14/PB15) cannot be the chip select. */
            if ((bus == 1 && port == 'A' && pin >= 5 && pin <= 7) || (bus == 2 && port == 'B' && pin >= 13))
                return cli_fail(err, errlen, "%s: P%c%ld is a pin of SPI%d itself, not a chip select", opt, port, pin,
                                bus);
            o->bme280_bus = bus == 1 ? CLI_BME280_SPI1 : CLI_BME280_SPI2;
            o->bme280_cs_port = port;
            o->bme280_cs_pin = (int)pin;
            return 0;
        }
    }
    return cli_fail(err, errlen, "%s: expected i2c, i2c:0x76, i2c:0x77, spi1:PIN, spi2:PIN (chip select, e.g. spi2:PB12) or none, got '%s'",
                    opt, value);
}
