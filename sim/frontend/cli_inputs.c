/*
 * quartz-sim command line: the values of the analog scenario options,
 * --analog PIN=VOLTS[@TIME], --chip-temp TEMP[@TIME] and --uid HEX24
 * (cli.h; docs/simulator-frontends.md). Numbers are parsed as fixed point,
 * never through floating point, so 1.65V is exactly 1650000 uV.
 */
#include <errno.h>
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
static int cli_fixed(const char *text, int digits, int64_t *value, const char **end)
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
