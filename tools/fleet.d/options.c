/*
 * tools/fleet's command line and the per-node weather (fleet.h), apart
 * from the run itself (fleet.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet.h"
#include "quartzsim.h"

static void usage(FILE *out)
{
    fputs("usage: fleet N --sim QUARTZ_SIM --elf SENSOR_NODE.elf [--broker HOST:PORT] [--duration T]\n"
          "             [--scenario FILE] [--out DIR] [--interval S] [--warmup T] [--drain T]\n"
          "             [--stagger T] [--no-table]\n"
          "N simulated sensor nodes (1..2000), each a quartz-sim --realtime process with its own UID,\n"
          "weather and fault plan, against HOST:PORT (default: a private mosquitto on a free loopback\n"
          "port). --duration (default 60s), then up to --drain (default 60s) for every node's buffered\n"
          "readings; the summary (DIR/summary.json) lists every seq that did not arrive.\n"
          "Defaults: --out fleet-out, --interval 1 (sent as a retained {\"interval_s\":S}), --warmup 15s\n"
          "(not counted in the lag), --stagger 250ms between two nodes' starts (each runs --duration\n"
          "from its own start; a host loading a hundred images at once falls seconds behind).\n"
          "Exit: 0 nothing lost, 1 lost or silent nodes, 2 usage, 3 setup failed.\n",
          out);
}

static int time_ms(const char *opt, const char *text, uint64_t *ms)
{
    uint64_t ns;
    if (qsim_parse_time(text, &ns) != 0 || ns % 1000000u != 0) {
        fprintf(stderr, "fleet: %s: '%s' is not a TIME in whole ms (e.g. 90s, 2500ms)\n", opt, text);
        return -1;
    }
    *ms = ns / 1000000u;
    return 0;
}

int fleet_parse_options(struct fleet_options *o, int argc, char **argv)
{
    *o = (struct fleet_options){ .duration_ms = 60000, .out_dir = "fleet-out", .interval_s = 1,
                                 .warmup_ms = 15000, .drain_ms = 60000, .stagger_ms = 250,
                                 .table = isatty(STDOUT_FILENO) };
    bool have_n = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--no-table") == 0) {
            o->table = false;
            continue;
        }
        if (a[0] != '-') {
            char *end;
            unsigned long n = strtoul(a, &end, 10);
            if (have_n || *end || end == a || n < 1 || n > FLEET_MAX_NODES) {
                fprintf(stderr, "fleet: '%s': N must be given once, 1..%d\n", a, FLEET_MAX_NODES);
                return -1;
            }
            o->nodes = (unsigned)n;
            have_n = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "fleet: %s needs a value (see --help)\n", a);
            return -1;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--broker") == 0)
            o->broker = v;
        else if (strcmp(a, "--duration") == 0) {
            if (time_ms(a, v, &o->duration_ms) != 0)
                return -1;
        } else if (strcmp(a, "--warmup") == 0) {
            if (time_ms(a, v, &o->warmup_ms) != 0)
                return -1;
        } else if (strcmp(a, "--drain") == 0) {
            if (time_ms(a, v, &o->drain_ms) != 0)
                return -1;
        } else if (strcmp(a, "--stagger") == 0) {
            if (time_ms(a, v, &o->stagger_ms) != 0)
                return -1;
        } else if (strcmp(a, "--scenario") == 0)
            o->scenario_path = v;
        else if (strcmp(a, "--sim") == 0)
            o->sim = v;
        else if (strcmp(a, "--elf") == 0)
            o->elf = v;
        else if (strcmp(a, "--out") == 0)
            o->out_dir = v;
        else if (strcmp(a, "--interval") == 0) {
            char *end;
            unsigned long s = strtoul(v, &end, 10);
            if (*end || end == v || s < 1 || s > 3600) {
                fprintf(stderr, "fleet: --interval: '%s' is not 1..3600\n", v);
                return -1;
            }
            o->interval_s = (unsigned)s;
        } else {
            fprintf(stderr, "fleet: unknown option '%s' (see --help)\n", a);
            return -1;
        }
    }
    if (!have_n || !o->sim || !o->elf) {
        fprintf(stderr, "fleet: N, --sim and --elf are needed (see --help; tools/fleet gives the last two)\n");
        return -1;
    }
    if (o->duration_ms < 1000) {
        fprintf(stderr, "fleet: --duration must be at least 1s\n");
        return -1;
    }
    return 0;
}

/* HOST:PORT with HOST a dotted quad (quartz-sim's --net-forward takes no names). */
int fleet_split_broker(const char *text, char *host, size_t cap, unsigned *port)
{
    const char *colon = strrchr(text, ':');
    char *end;
    if (!colon || (size_t)(colon - text) >= cap)
        return -1;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p < 1 || p > 65535)
        return -1;
    *port = (unsigned)p;
    char rule[96];
    snprintf(rule, sizeof rule, "10.0.2.2:1883=%s:%u", host, *port);
    return qsim_net_check_forward(rule) == 0 ? 0 : -1;
}

/*
 * A seeded weather curve per node: a base temperature, a slow swing, a
 * drifting pressure and humidity, one row every 10 s; quartz-sim
 * interpolates between the rows and adds sensor noise (--env-noise).
 */
int fleet_write_weather(const char *path, unsigned node, uint64_t span_ms)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    uint64_t x = 0x9E3779B97F4A7C15ull * (node + 1); /* splitmix64 */
    uint64_t r[4];
    for (int k = 0; k < 4; k++) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        r[k] = z ^ (z >> 31);
    }
    int base_mc = 15000 + (int)(r[0] % 10000);         /* 15..25 C */
    int swing_mc = 500 + (int)(r[1] % 2500);           /* 0.5..3 C */
    int period_s = 120 + (int)(r[2] % 480);            /* 2..10 min */
    int p_pa = 99000 + (int)(r[3] % 4000);             /* 990..1030 hPa */
    int h_dpct = 300 + (int)((r[0] >> 32) % 400);      /* 30..70 % */
    fputs("time,T,P,H\n", f);
    for (uint64_t t = 0; t <= span_ms + 10000; t += 10000) {
        /* A triangle wave: integer arithmetic, no libm. */
        int64_t phase = (int64_t)((t / 1000 + r[1] % 600) % (uint64_t)period_s) * 4000 / period_s; /* 0..3999 */
        int64_t tri = phase < 2000 ? phase - 1000 : 3000 - phase;                                  /* -1000..1000 */
        int t_mc = base_mc + (int)(tri * swing_mc / 1000);
        fprintf(f, "%llu,%d.%03d,%d.%02d,%d.%d\n", (unsigned long long)(t / 1000), t_mc / 1000, t_mc % 1000,
                p_pa / 100 + (int)(tri / 500), p_pa % 100, h_dpct / 10 - (int)(tri / 200), h_dpct % 10);
    }
    return fclose(f) == 0 ? 0 : -1;
}

