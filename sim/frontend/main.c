/*
 * quartz-sim: run a firmware ELF on the virtual Nucleo-F446RE, headless
 * (scripted inputs, console/report/PNG/VCD outputs) or on the interactive
 * terminal board. Options and exit codes: cli.h, docs/simulator-frontends.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gdb.h"
#include "quartzsim.h"
#include "realtime.h"
#include "tui.h"
#include "tuipane.h"

#define OLED_PNG_SCALE 4
#define BOUNCE_WINDOW_NS 2000000u

/* Every error is one line on stderr (control bytes of names escaped). */
static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int code, const char *fmt, ...)
{
    char line[1024], shown[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    cli_escape(line, shown, sizeof shown);
    fprintf(stderr, "quartz-sim: %s\n", shown);
    return code;
}

struct output {
    const char *option;
    const char *path;
    FILE *file;
};

/* Opened before the run, so that a bad path fails at once, not after it. */
static int output_open(struct output *out)
{
    if (!out->path)
        return 0;
    out->file = strcmp(out->path, "-") == 0 ? stdout : fopen(out->path, "wb");
    if (!out->file)
        return fail(CLI_EXIT_OUTPUT, "%s %s: %s", out->option, out->path, strerror(errno));
    return 0;
}

static int output_close(struct output *out, int rc)
{
    if (!out->file)
        return 0;
    if (rc == 0 && ferror(out->file))
        rc = -EIO;
    if (out->file == stdout ? fflush(stdout) != 0 : fclose(out->file) != 0)
        rc = rc ? rc : -errno;
    out->file = NULL;
    if (rc)
        return fail(CLI_EXIT_OUTPUT, "%s %s: %s", out->option, out->path, strerror(-rc));
    return 0;
}

static int schedule(struct qsim *s, const struct cli_event *e)
{
    switch (e->kind) {
    case CLI_PRESS: return qsim_press_at(s, e->t_ns, e->duration_ns);
    case CLI_OLED_DETACH: return qsim_oled_detach_at(s, e->t_ns);
    case CLI_OLED_ATTACH: return qsim_oled_attach_at(s, e->t_ns);
    case CLI_STUCK_SDA: return qsim_stuck_sda_at(s, e->bus, e->t_ns, e->duration_ns);
    case CLI_RX: return qsim_rx_at(s, e->data, e->len, e->t_ns);
    case CLI_RESET: return qsim_reset_at(s, e->t_ns);
    case CLI_ANALOG: return qsim_analog_at(s, e->port, e->pin, (uint32_t)e->value, e->t_ns);
    case CLI_CHIP_TEMP: return qsim_chip_temp_at(s, e->value, e->t_ns);
    case CLI_ENV: return qsim_env_at(s, e->t_ns, e->env_mask, e->env.t_mc, e->env.p_mpa, e->env.h_mpct);
    case CLI_BME280_DETACH: return qsim_bme280_detach_at(s, e->t_ns);
    case CLI_BME280_ATTACH: return qsim_bme280_attach_at(s, e->t_ns);
    case CLI_LINK: return qsim_link_at(s, e->value != 0, e->t_ns);
    }
    return -EINVAL;
}

/* --env-csv and --env-noise (the --env steps are scheduled inputs). */
static int environment(const struct cli_options *o, struct qsim *s)
{
    if (o->n_env_rows) {
        struct qsim_env_row *rows = calloc(o->n_env_rows, sizeof *rows);
        if (!rows)
            return fail(CLI_EXIT_OUTPUT, "--env-csv: out of memory");
        for (size_t i = 0; i < o->n_env_rows; i++) {
            const struct cli_env_row *r = &o->env_rows[i];
            rows[i] = (struct qsim_env_row){r->t_ns, r->v.t_mc, r->v.p_mpa, r->v.h_mpct};
        }
        int rc = qsim_env_table(s, rows, o->n_env_rows);
        free(rows);
        if (rc)
            return fail(CLI_EXIT_USAGE, "--env-csv: cannot use the table: %s", strerror(-rc));
    }
    if (o->env_noise_given && qsim_env_noise(s, o->env_noise_seed) != 0)
        return fail(CLI_EXIT_USAGE, "--env-noise needs a BME280");
    return 0;
}

/* When the process started (--realtime paces from there, realtime.h). */
static uint64_t started_ns;

static int run(const struct cli_options *o, struct qsim *s)
{
    char err[512] = "";
    int rc = qsim_load_elf(s, o->firmware, err, sizeof err);
    if (rc)
        return err[0] ? fail(CLI_EXIT_USAGE, "%s", err)
                      : fail(CLI_EXIT_USAGE, "%s: cannot load: %s", o->firmware, strerror(-rc));
    if ((rc = environment(o, s)) != 0)
        return rc;
    for (size_t i = 0; i < o->n_events; i++) {
        rc = schedule(s, &o->events[i]);
        if (rc)
            return fail(CLI_EXIT_USAGE, "cannot schedule scripted input %zu at %llu ns: %s", i + 1,
                        (unsigned long long)o->events[i].t_ns, strerror(-rc));
    }

    /* Headless, the console goes to stdout unless told otherwise. */
    const char *console = o->console_path;
    if (!console && !o->interactive && !cli_stdout_taken(o))
        console = "-";
    struct output outputs[] = {
        { "--console", console, NULL },
        { "--report", o->report_path, NULL },
        { "--oled-png", o->png_path, NULL },
    };
    enum { OUT_CONSOLE, OUT_REPORT, OUT_PNG, OUT_COUNT };
    int code = 0;
    for (int i = 0; i < OUT_COUNT && !code; i++)
        code = output_open(&outputs[i]);
    if (!code && o->vcd_path && (rc = qsim_vcd_open(s, o->vcd_path)) != 0)
        code = fail(CLI_EXIT_OUTPUT, "--vcd %s: %s", o->vcd_path, strerror(-rc));

    size_t console_done = 0; /* bytes a --realtime run already wrote */
    bool locked_up = false;
    if (!code && o->interactive) {
        struct gdb_config gc = {o->gdb_port, o->gdb_wait, 0, 0};
        struct gdb_server *gdb = NULL;
        struct tui_pane *pane = NULL;
        if (o->pane_path && (rc = tui_pane_open(&pane, o->pane_path)) != 0) {
            code = fail(CLI_EXIT_USAGE, "--pane %s: %s", o->pane_path, strerror(-rc));
        } else if (o->gdb_port >= 0 && (rc = gdb_server_open(&gdb, s, &gc)) != 0) {
            code = fail(CLI_EXIT_OUTPUT, "--gdb %d: %s", o->gdb_port, strerror(-rc));
        } else {
            rc = tui_run(s, o->firmware, o->until_given ? o->until_ns : 0, gdb, pane,
                         o->pane_title ? o->pane_title : o->pane_path);
            if (rc)
                code = fail(CLI_EXIT_USAGE, "--interactive: %s", strerror(-rc));
        }
        gdb_server_close(gdb);
        tui_pane_close(pane);
    } else if (!code && o->gdb_port >= 0) {
        struct gdb_config gc = {o->gdb_port, o->gdb_wait, o->until_given ? o->until_ns : 0, 0};
        rc = gdb_serve(s, &gc);
        locked_up = rc == -EFAULT;
        if (rc < 0 && !locked_up)
            code = fail(CLI_EXIT_OUTPUT, "--gdb %d: %s", o->gdb_port, strerror(-rc));
    } else if (!code && o->realtime) {
        rc = realtime_run(s, started_ns, o->until_ns, outputs[OUT_CONSOLE].file, &console_done);
        locked_up = rc == -EFAULT;
        if (rc == -EIO)
            code = fail(CLI_EXIT_OUTPUT, "--console %s: %s", console, strerror(EIO));
    } else if (!code) {
        rc = qsim_run_until(s, o->until_ns, NULL, NULL);
        locked_up = rc == -EFAULT;
        if (rc < 0 && !locked_up)
            code = fail(CLI_EXIT_OUTPUT, "simulation stopped: %s", strerror(-rc));
    }

    /* Outputs are written after a lock-up too: that is when they matter. */
    if (!code) {
        size_t len = 0;
        const char *text = qsim_console(s, &len);
        rc = 0;
        if (outputs[OUT_CONSOLE].file && len > console_done &&
            fwrite(text + console_done, 1, len - console_done, outputs[OUT_CONSOLE].file) != len - console_done)
            rc = -EIO;
        code = output_close(&outputs[OUT_CONSOLE], rc);
    }
    if (!code && outputs[OUT_REPORT].file)
        code = output_close(&outputs[OUT_REPORT], qsim_write_report(s, outputs[OUT_REPORT].file));
    if (!code && outputs[OUT_PNG].file)
        code = output_close(&outputs[OUT_PNG], qsim_write_oled_png(s, outputs[OUT_PNG].file, OLED_PNG_SCALE));
    for (int i = 0; i < OUT_COUNT; i++)
        if (outputs[i].file && outputs[i].file != stdout)
            fclose(outputs[i].file);
    /* The VCD is written now, from the changes buffered during the run. */
    rc = qsim_vcd_close(s);
    if (!code && rc)
        code = fail(CLI_EXIT_OUTPUT, "--vcd %s: %s", o->vcd_path, strerror(-rc));

    if (!code && locked_up) {
        uint64_t us = qsim_time_ns(s) / 1000u;
        code = fail(CLI_EXIT_LOCKUP, "the firmware locked up at %llu.%03llu ms virtual time; %s",
                    (unsigned long long)(us / 1000), (unsigned long long)(us % 1000),
                    o->report_path ? "the fault is in the report" : "use --report FILE.json to see the fault");
    }
    return code;
}

int main(int argc, char **argv)
{
    started_ns = realtime_clock_ns();
    struct cli_options o;
    char err[512] = "";
    if (cli_parse(&o, argc, argv, err, sizeof err) != 0) {
        cli_free(&o);
        return fail(CLI_EXIT_USAGE, "%s", err);
    }
    if (o.help) {
        cli_usage(stdout);
        cli_free(&o);
        return CLI_EXIT_OK;
    }
    int code = 0;
    if (o.svd_path && cli_check_svd(o.svd_path, err, sizeof err) != 0)
        code = fail(CLI_EXIT_USAGE, "%s", err);
    else if (o.interactive && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
        code = fail(CLI_EXIT_USAGE, "--interactive needs a terminal, but stdin or stdout is not a TTY "
                                    "(use the headless options instead)");
    if (!code) {
        struct qsim_options qo = {
            .bounce_edges = o.bounce,
            .bounce_window_ns = BOUNCE_WINDOW_NS,
            .svd_path = o.svd_path,
            .cycles = o.cycles_upper ? QSIM_CYCLES_UPPER : QSIM_CYCLES_DEFAULT,
            .uid_given = o.uid_given,
            .bme280_address = o.bme280_address,
            .bme280_cs_port = o.bme280_cs_port,
            .bme280_cs_pin = o.bme280_cs_pin,
            .w5500 = o.w5500,
            .net_forwards = o.net_forwards,
            .n_net_forwards = o.n_net_forwards,
            .net_allows = o.net_allows,
            .n_net_allows = o.n_net_allows,
            .net_lease_s = o.net_lease_s,
            .net_wait_ns = o.net_wait_ns,
        };
        static const int buses[] = {[CLI_BME280_I2C1] = QSIM_BME280_I2C1, [CLI_BME280_NONE] = QSIM_BME280_NONE,
                                    [CLI_BME280_SPI1] = QSIM_BME280_SPI1, [CLI_BME280_SPI2] = QSIM_BME280_SPI2};
        qo.bme280_bus = buses[o.bme280_bus];
        memcpy(qo.uid, o.uid, sizeof qo.uid);
        struct qsim *s = qsim_create(&qo);
        if (!s) {
            code = fail(CLI_EXIT_OUTPUT, "cannot create the simulator: out of memory");
        } else {
            code = run(&o, s);
            qsim_destroy(s);
        }
    }
    cli_free(&o);
    return code;
}
