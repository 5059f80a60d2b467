/*
 * qsim_parse_time (quartzsim.h): "1334ms", "2.5s", "250us", "10ns".
 * A decimal number (no sign, no exponent) directly followed by a unit
 * s, ms, us or ns. Exact integer arithmetic: the result must be a whole
 * number of nanoseconds that fits in 64 bits, otherwise -EINVAL.
 */
#include "quartzsim.h"

#include <errno.h>
#include <string.h>

int qsim_parse_time(const char *text, uint64_t *ns)
{
    if (!text || !ns)
        return -EINVAL;
    const char *p = text;
    uint64_t whole = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        unsigned d = (unsigned)(*p - '0');
        if (whole > (UINT64_MAX - d) / 10)
            return -EINVAL;
        whole = whole * 10 + d;
    }
    const char *frac = NULL;
    int frac_digits = 0;
    if (*p == '.') {
        frac = ++p;
        for (; *p >= '0' && *p <= '9'; p++)
            frac_digits++;
    }
    if (digits + frac_digits == 0)
        return -EINVAL;

    static const struct {
        const char *unit;
        uint64_t ns;
        int decimals; /* fraction digits that still give whole nanoseconds */
    } units[] = {
        { "s", 1000000000ull, 9 },
        { "ms", 1000000ull, 6 },
        { "us", 1000ull, 3 },
        { "ns", 1ull, 0 },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(p, units[i].unit) != 0)
            continue;
        /* Trailing zeros in the fraction do not add precision. */
        while (frac_digits > 0 && frac[frac_digits - 1] == '0')
            frac_digits--;
        if (frac_digits > units[i].decimals)
            return -EINVAL;
        if (whole > UINT64_MAX / units[i].ns)
            return -EINVAL;
        uint64_t total = whole * units[i].ns;
        uint64_t scale = units[i].ns;
        uint64_t part = 0;
        for (int k = 0; k < frac_digits; k++) {
            scale /= 10;
            part += (uint64_t)(frac[k] - '0') * scale;
        }
        if (total > UINT64_MAX - part)
            return -EINVAL;
        *ns = total + part;
        return 0;
    }
    return -EINVAL;
}
