/*
 * libFuzzer: tools/fleet's scenario parser on any bytes. A refusal says
 * where (a line number); an accepted script holds only valid events, and
 * its canonical text (scenario_format) parses back to the same events.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static struct scenario a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (scenario_parse(&a, (const char *)data, size, err, sizeof err) != 0) {
        if (strncmp(err, "line ", 5) != 0 && strncmp(err, "more than", 9) != 0)
            abort();
        return 0;
    }
    static char text[SCENARIO_MAX_EVENTS * 128];
    size_t n = 0;
    for (size_t i = 0; i < a.n; i++) {
        const struct scenario_event *e = &a.ev[i];
        if (e->kind != SCENARIO_RESET && e->duration_ns == 0)
            abort();
        if (e->kind != SCENARIO_BROKER_RESTART && (e->count == 0 || (e->percent && e->count > 100)))
            abort();
        int k = scenario_format(e, text + n, 128);
        if (k <= 0)
            abort();
        n += (size_t)k;
        text[n++] = '\n';
    }
    if (scenario_parse(&b, text, n, err, sizeof err) != 0 || b.n != a.n)
        abort();
    for (size_t i = 0; i < a.n; i++)
        if (a.ev[i].kind != b.ev[i].kind || a.ev[i].at_ns != b.ev[i].at_ns ||
            a.ev[i].duration_ns != b.ev[i].duration_ns || a.ev[i].count != b.ev[i].count ||
            a.ev[i].percent != b.ev[i].percent)
            abort();
    return 0;
}
