/* tools/fleet's outputs, see report.h. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chart.h"

void report_sys(struct report_totals *t, const char *topic, const char *payload)
{
    long long v = atoll(payload);
    if (strcmp(topic, "messages/received") == 0)
        t->sys_received = v;
    else if (strcmp(topic, "messages/sent") == 0)
        t->sys_sent = v;
    else if (strcmp(topic, "clients/connected") == 0)
        t->sys_clients = v;
    else
        return;
    t->sys_seen = true;
}

static unsigned reconnects(const struct fleet_node *n)
{
    return n->t.onlines > 1 ? n->t.onlines - 1 : 0;
}

static void reading(const struct fleet_node *n, char *out, size_t cap)
{
    if (!n->t.have_reading)
        snprintf(out, cap, "-");
    else if (n->t.sensor_missing)
        snprintf(out, cap, "sensor missing");
    else
        snprintf(out, cap, "%6.2f C %7.2f hPa %5.1f %%", n->t.t_mc / 1000.0, n->t.p_pa / 100.0, n->t.h_dpct / 10.0);
}

void report_table(FILE *out, const struct fleet_node *nodes, unsigned n, const struct report_totals *t,
                  uint64_t elapsed_ms, bool draining, bool table)
{
    uint64_t msgs = 0, missing = 0;
    unsigned online = 0;
    int64_t lag = 0;
    for (unsigned i = 0; i < n; i++) {
        msgs += nodes[i].t.msgs;
        missing += nodes[i].t.max_seq >= 0 ? track_missing(&nodes[i].t) : 0;
        online += nodes[i].t.have_reading;
        lag = nodes[i].t.max_lag_ms > lag ? nodes[i].t.max_lag_ms : lag;
    }
    char broker[96] = "broker: no $SYS yet";
    if (t->sys_seen)
        snprintf(broker, sizeof broker, "broker: %lld clients, %lld msgs in, %lld out", t->sys_clients,
                 t->sys_received, t->sys_sent);
    if (!table) {
        fprintf(out, "fleet %5llus%s: %u/%u nodes heard, %llu readings, %llu seqs missing so far, lag %lld ms; %s\n",
                (unsigned long long)(elapsed_ms / 1000), draining ? " (draining)" : "", online, n,
                (unsigned long long)msgs, (unsigned long long)missing, (long long)lag, broker);
        fflush(out);
        return;
    }
    struct winsize ws;
    int rows = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 8 ? ws.ws_row : 24;
    fputs("\x1b[H\x1b[2J", out);
    fprintf(out, "quartz fleet  %llus%s  nodes %u (%u heard)  readings %llu  missing %llu  max lag %lld ms\n%s\n\n",
            (unsigned long long)(elapsed_ms / 1000), draining ? " draining" : "", n, online,
            (unsigned long long)msgs, (unsigned long long)missing, (long long)lag, broker);
    fprintf(out, "%-14s %-34s %8s %6s %8s %8s %8s\n", "node", "last reading", "msgs/min", "recon", "buffered",
            "last seq", "missing");
    unsigned shown = (unsigned)rows - 6 < n ? (unsigned)rows - 6 : n;
    for (unsigned i = 0; i < shown; i++) {
        const struct fleet_node *f = &nodes[i];
        char r[48], b[16], s[16];
        reading(f, r, sizeof r);
        snprintf(b, sizeof b, f->t.buffered >= 0 ? "%d" : "-", f->t.buffered);
        snprintf(s, sizeof s, f->t.max_seq >= 0 ? "%lld" : "-", (long long)f->t.max_seq);
        fprintf(out, "%-14s %-34s %8u %6u %8s %8s %8llu\n", f->t.id, r, track_per_min(&f->t, elapsed_ms),
                reconnects(f), b, s, (unsigned long long)(f->t.max_seq >= 0 ? track_missing(&f->t) : 0));
    }
    if (shown < n)
        fprintf(out, "... and %u more nodes (all in summary.json)\n", n - shown);
    fflush(out);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

bool report_summary(const struct fleet_options *o, const struct scenario *sc, const struct fleet_node *nodes,
                    const struct report_totals *t, const char *host, unsigned port, bool private_broker)
{
    uint64_t msgs = 0, unique = 0, dups = 0, missing = 0, skips = 0, malformed = 0, dropped = 0;
    unsigned silent = 0, behind = 0, reconn = 0, exits_bad = 0;
    int64_t lag = 0;
    for (unsigned i = 0; i < o->nodes; i++) {
        const struct track_node *n = &nodes[i].t;
        msgs += n->msgs;
        dups += n->dups;
        unique += n->msgs - n->dups;
        malformed += n->malformed;
        dropped += n->dropped_reported;
        reconn += reconnects(&nodes[i]);
        if (n->max_seq < 0) {
            silent++;
            continue;
        }
        missing += track_missing(n);
        skips += track_reset_skips(n);
        lag = n->max_lag_ms > lag ? n->max_lag_ms : lag;
        behind += n->max_lag_ms > 1000;
        /* SIGTERM ends quartz-sim --realtime with status 0 (outputs written). */
        exits_bad += !(nodes[i].exit_status >= 0 && WIFEXITED(nodes[i].exit_status) &&
                       WEXITSTATUS(nodes[i].exit_status) == 0);
    }
    uint64_t lost = missing - skips;
    char path[600];
    snprintf(path, sizeof path, "%s/summary.json", o->out_dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "fleet: %s: %s\n", path, strerror(errno));
        return true;
    }
    fprintf(f, "{\"nodes\":%u,\"duration_ms\":%llu,\"end_ms\":%llu,\"interval_s\":%u,\"broker\":\"%s:%u\","
               "\"private_broker\":%s,\n",
            o->nodes, (unsigned long long)o->duration_ms, (unsigned long long)t->end_ms, o->interval_s, host, port,
            private_broker ? "true" : "false");
    fputs("\"scenario\":[", f);
    for (size_t k = 0; k < sc->n; k++) {
        char line[128];
        scenario_format(&sc->ev[k], line, sizeof line);
        fputs(k ? "," : "", f);
        json_string(f, line);
    }
    fprintf(f, "],\n\"drained\":%s,\"readings\":%llu,\"unique\":%llu,\"duplicates\":%llu,\"missing\":%llu,"
               "\"skipped_at_reset\":%llu,\"lost\":%llu,\"silent_nodes\":%u,\"malformed\":%llu,"
               "\"dropped_reported\":%llu,\"reconnects\":%u,\"max_lag_ms\":%lld,\"nodes_behind\":%u,"
               "\"bad_exits\":%u,\"foreign_messages\":%llu,\"broker_restarts\":%u,\n",
            t->drained ? "true" : "false", (unsigned long long)msgs, (unsigned long long)unique,
            (unsigned long long)dups, (unsigned long long)missing, (unsigned long long)skips,
            (unsigned long long)lost, silent, (unsigned long long)malformed, (unsigned long long)dropped, reconn,
            (long long)lag, behind, exits_bad, (unsigned long long)t->foreign, t->broker_restarts);
    fprintf(f, "\"broker_totals\":{\"received\":%lld,\"sent\":%lld,\"clients\":%lld},\n\"per_node\":[\n",
            t->sys_received, t->sys_sent, t->sys_clients);
    for (unsigned i = 0; i < o->nodes; i++) {
        const struct fleet_node *fn = &nodes[i];
        const struct track_node *n = &fn->t;
        fprintf(f, "{\"id\":\"%s\",\"uid\":\"%s\",\"readings\":%llu,\"duplicates\":%llu,\"max_seq\":%lld,"
                   "\"reconnects\":%u,\"max_lag_ms\":%lld,\"dropped_reported\":%llu,\"exit\":%d,",
                n->id, fn->uid_hex, (unsigned long long)n->msgs, (unsigned long long)n->dups, (long long)n->max_seq,
                reconnects(fn), (long long)n->max_lag_ms, (unsigned long long)n->dropped_reported,
                fn->exit_status >= 0 && WIFEXITED(fn->exit_status) ? WEXITSTATUS(fn->exit_status) : -1);
        track_write_missing(n, f);
        fprintf(f, "}%s\n", i + 1 < o->nodes ? "," : "");
    }
    fputs("]}\n", f);
    bool write_failed = ferror(f) != 0;
    write_failed |= fclose(f) != 0;

    snprintf(path, sizeof path, "%s/temperature.png", o->out_dir);
    FILE *png = fopen(path, "wb");
    if (png) {
        /* The chart wants the track nodes side by side. */
        struct track_node *series = calloc(o->nodes, sizeof *series);
        int rc = series ? 0 : -ENOMEM;
        for (unsigned i = 0; series && i < o->nodes; i++)
            series[i] = nodes[i].t;
        if (series) {
            rc = chart_write(png, series, o->nodes, (unsigned)(t->end_ms ? t->end_ms : o->duration_ms));
        }
        free(series);
        write_failed |= rc != 0;
        write_failed |= fclose(png) != 0;
    } else {
        write_failed = true;
    }

    printf("fleet: %u nodes, %llu readings (%llu duplicates), %llu seqs missing: %llu lost, %llu skipped at a "
           "reset (documented); %u silent nodes; %s; max lag %lld ms (%u nodes over 1 s); %u reconnects\n",
           o->nodes, (unsigned long long)unique, (unsigned long long)dups, (unsigned long long)missing,
           (unsigned long long)lost, (unsigned long long)skips, silent,
           t->drained ? "every node drained" : "NOT every node drained (buffered readings unchecked)",
           (long long)lag, behind, reconn);
    printf("fleet: %s/summary.json, %s/temperature.png\n", o->out_dir, o->out_dir);
    return lost || silent || !t->drained || write_failed;
}
