/*
 * quartz-sim command-line parser, see cli.h. Options take their value as
 * the next argument or after '=' (--until=2s). Scripted inputs name their
 * target and time as TARGET@TIME[+DURATION], e.g. --press B1@1334ms+80ms.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartzsim.h"

enum cli_opt_id {
    OPT_UNTIL, OPT_PRESS, OPT_BOUNCE, OPT_CONSOLE, OPT_REPORT, OPT_PNG, OPT_VCD,
    OPT_DETACH, OPT_ATTACH, OPT_STUCK_SDA, OPT_RX, OPT_RESET, OPT_INTERACTIVE,
    OPT_SVD, OPT_HELP,
    OPT_PANE, OPT_PANE_TITLE,
    OPT_CYCLES, OPT_GDB, OPT_GDB_WAIT, OPT_ANALOG, OPT_CHIP_TEMP, OPT_UID,
    OPT_ENV, OPT_ENV_CSV, OPT_ENV_NOISE, OPT_BME280,
    OPT_W5500, OPT_NET_FORWARD, OPT_NET_ALLOW, OPT_LINK, OPT_NET_LEASE, OPT_NET_WAIT,
};

static const struct {
    const char *name;
    enum cli_opt_id id;
    bool takes_value;
} cli_specs[] = {
    { "--until", OPT_UNTIL, true },
    { "--press", OPT_PRESS, true },
    { "--bounce", OPT_BOUNCE, true },
    { "--console", OPT_CONSOLE, true },
    { "--report", OPT_REPORT, true },
    { "--oled-png", OPT_PNG, true },
    { "--vcd", OPT_VCD, true },
    { "--detach", OPT_DETACH, true },
    { "--attach", OPT_ATTACH, true },
    { "--stuck-sda", OPT_STUCK_SDA, true },
    { "--rx", OPT_RX, true },
    { "--reset", OPT_RESET, true },
    { "--interactive", OPT_INTERACTIVE, false },
    { "--pane", OPT_PANE, true },
    { "--pane-title", OPT_PANE_TITLE, true },
    { "--svd", OPT_SVD, true },
    { "--help", OPT_HELP, false },
    { "-h", OPT_HELP, false },
    { "--cycles", OPT_CYCLES, true },
    { "--gdb", OPT_GDB, true },
    { "--gdb-wait", OPT_GDB_WAIT, false },
    { "--analog", OPT_ANALOG, true },
    { "--chip-temp", OPT_CHIP_TEMP, true },
    { "--uid", OPT_UID, true },
    { "--env", OPT_ENV, true },
    { "--env-csv", OPT_ENV_CSV, true },
    { "--env-noise", OPT_ENV_NOISE, true },
    { "--bme280", OPT_BME280, true },
    { "--w5500", OPT_W5500, false },
    { "--net-forward", OPT_NET_FORWARD, true },
    { "--net-allow", OPT_NET_ALLOW, true },
    { "--link", OPT_LINK, true },
    { "--net-lease", OPT_NET_LEASE, true },
    { "--net-wait", OPT_NET_WAIT, true },
};

void cli_usage(FILE *out)
{
    fputs("usage: quartz-sim [OPTIONS] FIRMWARE.elf\n"
          "Runs a firmware ELF on a virtual Nucleo-F446RE (STM32F446RE, SSD1306 OLED and BME280\n"
          "on I2C1, B1 on PC13, LD2 on PA5, USART2 console). TIME: 1334ms, 2.5s, 250us, 10ns;\n"
          "at most 18446744073709551ns (2^64 ps, about 213.5 days), the end of virtual time.\n"
          "\n"
          "  --until TIME              end of the run (headless default: 10s)\n"
          "  --press B1@TIME[+HOLD]    hold B1 from TIME for HOLD (default 80ms); repeatable\n"
          "  --bounce N                N contact-bounce edges per button edge (0..64)\n"
          "  --reset TIME              press the reset button (NRST) at TIME; repeatable\n"
          "  --detach oled@TIME        unplug the OLED (it stops acknowledging)\n"
          "  --attach oled@TIME        plug it back in\n"
          "  --detach bme280@TIME      unplug the BME280 (no ACK on I2C, MISO high on SPI)\n"
          "  --attach bme280@TIME      plug it back in (it powers up again)\n"
          "  --env T=..,P=..,H=..[@TIME]  the air the BME280 measures from TIME (default 0) on,\n"
          "                            any subset, e.g. T=21.5C,P=1013.25hPa,H=45%@0s, T=25C@60s;\n"
          "                            -40C..85C, 300..1100hPa (or Pa, kPa, mbar), 0..100%; repeatable\n"
          "                            (default 25C, 1013.25hPa, 50%)\n"
          "  --env-csv FILE            rows time,T,P,H (e.g. 0,21.5,1013.25,45 or 1.5s,21.5C,...),\n"
          "                            interpolated linearly; an --env step overrides it from its TIME\n"
          "  --env-noise SEED          realistic sensor noise, the same for the same SEED\n"
          "  --bme280 PLACE            i2c (0x76, default), i2c:0x77, spi1:PIN or spi2:PIN\n"
          "                            (chip select, e.g. spi2:PB12), or none\n"
          "  --stuck-sda I2CN@TIME+DURATION  hold SDA of I2C1..3 low for DURATION\n"
          "  --rx TEXT@TIME            send TEXT (escapes \\n \\r \\t \\0 \\\\ \\xNN) to the console RX\n"
          "  --analog PIN=VOLTS[@TIME] voltage on an ADC input pin from TIME (default 0) on,\n"
          "                            e.g. PA0=1.65V@2s, PC1=800mV; 0..3.3V (VDDA); repeatable\n"
          "  --chip-temp TEMP[@TIME]   die temperature the internal sensor sees, e.g. 35C,\n"
          "                            -5.5C@1s; -40C..125C, default 30C; repeatable\n"
          "  --uid HEX24               96-bit unique device ID at 0x1FFF7A10, 24 hex digits\n"
          "                            (default 3031373738345112002A0033)\n"
          "  --w5500                   a WIZnet W5500 on SPI2 bridged to host sockets (docs/networking.md)\n"
          "  --net-forward SIM=HOST    e.g. 10.0.2.2:1883=127.0.0.1:18830; repeatable (implies --w5500)\n"
          "  --net-allow ADDR[:PORT]   let the board reach this host address; repeatable\n"
          "  --link up|down@TIME       plug or pull the W5500's cable at TIME; repeatable\n"
          "  --net-lease TIME          the DHCP server's lease time (default 1 day, T1 half of it)\n"
          "  --net-wait TIME           real time virtual time waits for a host's answer (default 500ms)\n"
          "  --console FILE            USART2 output ('-' = stdout, the headless default)\n"
          "  --report FILE.json        run report: cycles, IRQs, I2C, OLED updates, faults\n"
          "  --oled-png FILE           the OLED at the end, 4x scale (512x256)\n"
          "  --vcd FILE                GPIO, IRQ and I2C trace for GTKWave\n"
          "  --svd FILE                SVD naming unmodeled registers in the report\n"
          "                            (default: the STM32F446's, built in)\n"
          "  --pane FILE               with --interactive: the end of FILE (or a FIFO) beside the board,\n"
          "                            followed as it grows (e.g. what mosquitto_sub -v prints)\n"
          "  --pane-title TEXT         the pane's header (default: FILE)\n"
          "  --gdb PORT                GDB server on 127.0.0.1:PORT (0: any free port, printed)\n"
          "  --gdb-wait                hold the CPU at reset until GDB attaches\n"
          "  --interactive             terminal board in real time (space: B1, r: reset, q: quit)\n"
          "  --cycles default|upper    cycle model: TRM costs (default) or a pessimistic bound\n"
          "                            (flash wait states on branches, MSR/MRS 2 cycles)\n"
          "  --help                    this text\n"
          "\n"
          "Exit status: 0 ok, 1 an output could not be written, 2 bad usage or firmware file,\n"
          "3 the firmware locked up (fault in the report).\n",
          out);
}

void cli_escape(const char *text, char *out, size_t outlen)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && outlen; p++) {
        char esc[5] = { (char)*p, '\0' };
        if (*p == '\n')
            strcpy(esc, "\\n");
        else if (*p == '\r')
            strcpy(esc, "\\r");
        else if (*p == '\t')
            strcpy(esc, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *p);
        size_t k = strlen(esc);
        if (n + k >= outlen)
            break;
        memcpy(out + n, esc, k);
        n += k;
    }
    if (outlen)
        out[n] = '\0';
}

/* Arguments are echoed in messages: their control bytes are escaped, so an error stays one line. */
int cli_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        char line[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line, sizeof line, fmt, ap);
        va_end(ap);
        cli_escape(line, err, errlen);
    }
    return -EINVAL;
}

int cli_time(const char *opt, const char *text, uint64_t *ns, char *err, size_t errlen)
{
    if (qsim_parse_time(text, ns) != 0)
        return cli_fail(err, errlen, "%s: bad TIME '%s' (examples: 1334ms, 2.5s, 250us, 10ns)", opt, text);
    if (*ns > QSIM_TIME_MAX_NS)
        return cli_fail(err, errlen, "%s: TIME '%s' is past the end of virtual time, %lluns (about 213.5 days)",
                        opt, text, (unsigned long long)QSIM_TIME_MAX_NS);
    return 0;
}

/* "TIME" or "TIME+DURATION"; `duration` NULL forbids the +, *need_duration requires it. */
static int cli_time_span(const char *opt, const char *text, uint64_t *t, uint64_t *duration,
                         bool need_duration, char *err, size_t errlen)
{
    const char *plus = strchr(text, '+');
    if (!plus) {
        if (need_duration)
            return cli_fail(err, errlen, "%s: '%s' needs +DURATION (e.g. @1s+20ms)", opt, text);
        return cli_time(opt, text, t, err, errlen);
    }
    if (!duration)
        return cli_fail(err, errlen, "%s: '%s' takes no +DURATION", opt, text);
    char head[64];
    size_t n = (size_t)(plus - text);
    if (n >= sizeof head)
        return cli_fail(err, errlen, "%s: bad TIME '%.*s'", opt, (int)n, text);
    memcpy(head, text, n);
    head[n] = '\0';
    int rc = cli_time(opt, head, t, err, errlen);
    if (rc == 0)
        rc = cli_time(opt, plus + 1, duration, err, errlen);
    if (rc == 0 && *duration == 0)
        return cli_fail(err, errlen, "%s: duration in '%s' must be more than 0", opt, text);
    if (rc == 0 && *duration > QSIM_TIME_MAX_NS - *t)
        return cli_fail(err, errlen, "%s: '%s' ends past the end of virtual time, %lluns (about 213.5 days)",
                        opt, text, (unsigned long long)QSIM_TIME_MAX_NS);
    return rc;
}

/* "TARGET@REST": checks TARGET against `target` (case-insensitive), returns REST. */
static const char *cli_target(const char *opt, const char *value, const char *target,
                              char *err, size_t errlen)
{
    const char *at = strchr(value, '@');
    size_t n = strlen(target);
    if (!at || (size_t)(at - value) != n || strncasecmp(value, target, n) != 0) {
        cli_fail(err, errlen, "%s: expected %s@TIME, got '%s'", opt, target, value);
        return NULL;
    }
    return at + 1;
}

static struct cli_event *cli_add_event(struct cli_options *o, enum cli_event_kind kind)
{
    struct cli_event *grown = realloc(o->events, (o->n_events + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    o->events = grown;
    struct cli_event *e = &o->events[o->n_events++];
    *e = (struct cli_event){ .kind = kind };
    return e;
}

int cli_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cli_unescape(const char *text, char *out, size_t *len)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p != '\\') {
            out[n++] = *p;
            continue;
        }
        switch (*++p) {
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case '0': out[n++] = '\0'; break;
        case '\\': out[n++] = '\\'; break;
        case 'x': {
            unsigned value = 0;
            int digits = 0;
            for (; digits < 2; digits++) {
                int d = cli_hex_digit(p[1]);
                if (d < 0)
                    break;
                value = value * 16 + (unsigned)d;
                p++;
            }
            if (digits == 0)
                return -EINVAL;
            out[n++] = (char)value;
            break;
        }
        default:
            return -EINVAL; /* also a lone backslash at the end */
        }
    }
    *len = n;
    return 0;
}

static int cli_set_once(const char **slot, const char *opt, const char *value, char *err, size_t errlen)
{
    if (*slot)
        return cli_fail(err, errlen, "%s given twice", opt);
    if (!*value)
        return cli_fail(err, errlen, "%s: empty file name", opt);
    *slot = value;
    return 0;
}

static int cli_option(struct cli_options *o, enum cli_opt_id id, const char *opt,
                      const char *value, char *err, size_t errlen)
{
    struct cli_event *e;
    const char *rest;
    switch (id) {
    case OPT_UNTIL:
        if (o->until_given)
            return cli_fail(err, errlen, "--until given twice");
        o->until_given = true;
        return cli_time(opt, value, &o->until_ns, err, errlen);
    case OPT_PRESS:
        if (!(rest = cli_target(opt, value, "B1", err, errlen)))
            return -EINVAL;
        if (!(e = cli_add_event(o, CLI_PRESS)))
            return cli_fail(err, errlen, "out of memory");
        e->duration_ns = CLI_DEFAULT_HOLD_NS;
        return cli_time_span(opt, rest, &e->t_ns, &e->duration_ns, false, err, errlen);
    case OPT_BOUNCE: {
        if (o->bounce_given)
            return cli_fail(err, errlen, "--bounce given twice");
        o->bounce_given = true;
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno || end == value || *end || n < 0 || n > CLI_MAX_BOUNCE)
            return cli_fail(err, errlen, "--bounce: '%s' is not a number 0..%d", value, CLI_MAX_BOUNCE);
        o->bounce = (int)n;
        return 0;
    }
    case OPT_CONSOLE: return cli_set_once(&o->console_path, opt, value, err, errlen);
    case OPT_REPORT: return cli_set_once(&o->report_path, opt, value, err, errlen);
    case OPT_PNG: return cli_set_once(&o->png_path, opt, value, err, errlen);
    case OPT_VCD: return cli_set_once(&o->vcd_path, opt, value, err, errlen);
    case OPT_SVD: return cli_set_once(&o->svd_path, opt, value, err, errlen);
    case OPT_PANE: return cli_set_once(&o->pane_path, opt, value, err, errlen);
    case OPT_PANE_TITLE:
        if (o->pane_title)
            return cli_fail(err, errlen, "%s given twice", opt);
        o->pane_title = value;
        return 0;
    case OPT_DETACH:
    case OPT_ATTACH: {
        bool bme = strncasecmp(value, "bme280@", 7) == 0;
        if (!bme && !(rest = cli_target(opt, value, "oled", err, errlen))) {
            cli_fail(err, errlen, "%s: expected oled@TIME or bme280@TIME, got '%s'", opt, value);
            return -EINVAL;
        }
        enum cli_event_kind kind = bme ? (id == OPT_DETACH ? CLI_BME280_DETACH : CLI_BME280_ATTACH)
                                       : (id == OPT_DETACH ? CLI_OLED_DETACH : CLI_OLED_ATTACH);
        if (!(e = cli_add_event(o, kind)))
            return cli_fail(err, errlen, "out of memory");
        return cli_time_span(opt, bme ? value + 7 : rest, &e->t_ns, NULL, false, err, errlen);
    }
    case OPT_STUCK_SDA: {
        if (strncasecmp(value, "I2C", 3) != 0 || value[3] < '1' || value[3] > '3' || value[4] != '@')
            return cli_fail(err, errlen, "%s: expected I2C1@TIME+DURATION (buses I2C1..3), got '%s'",
                            opt, value);
        if (!(e = cli_add_event(o, CLI_STUCK_SDA)))
            return cli_fail(err, errlen, "out of memory");
        e->bus = value[3] - '0';
        return cli_time_span(opt, value + 5, &e->t_ns, &e->duration_ns, true, err, errlen);
    }
    case OPT_RX: {
        const char *at = strrchr(value, '@'); /* the text itself may hold '@' */
        if (!at || at == value)
            return cli_fail(err, errlen, "%s: expected TEXT@TIME, got '%s'", opt, value);
        if (!(e = cli_add_event(o, CLI_RX)) || !(e->data = malloc((size_t)(at - value) + 1)))
            return cli_fail(err, errlen, "out of memory");
        char *text = strndup(value, (size_t)(at - value));
        int rc = text ? cli_unescape(text, e->data, &e->len) : -ENOMEM;
        free(text);
        if (rc)
            return cli_fail(err, errlen, "%s: bad escape in '%.*s' (use \\n \\r \\t \\0 \\\\ \\xNN)",
                            opt, (int)(at - value), value);
        return cli_time(opt, at + 1, &e->t_ns, err, errlen);
    }
    case OPT_RESET:
        if (!(e = cli_add_event(o, CLI_RESET)))
            return cli_fail(err, errlen, "out of memory");
        return cli_time(opt, value, &e->t_ns, err, errlen);
    case OPT_INTERACTIVE:
        o->interactive = true;
        return 0;
    case OPT_HELP:
        o->help = true;
        return 0;
    case OPT_GDB: {
        if (o->gdb_port >= 0)
            return cli_fail(err, errlen, "--gdb given twice");
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno || end == value || *end || n < 0 || n > 65535)
            return cli_fail(err, errlen, "--gdb: '%s' is not a TCP port 0..65535", value);
        o->gdb_port = (int)n;
        return 0;
    }
    case OPT_GDB_WAIT:
        o->gdb_wait = true;
        return 0;
    case OPT_ANALOG:
        if (!(e = cli_add_event(o, CLI_ANALOG)))
            return cli_fail(err, errlen, "out of memory");
        return cli_analog(e, opt, value, err, errlen);
    case OPT_CHIP_TEMP:
        if (!(e = cli_add_event(o, CLI_CHIP_TEMP)))
            return cli_fail(err, errlen, "out of memory");
        return cli_chip_temp(e, opt, value, err, errlen);
    case OPT_UID:
        if (o->uid_given)
            return cli_fail(err, errlen, "--uid given twice");
        o->uid_given = true;
        if (cli_parse_uid(value, o->uid) != 0)
            return cli_fail(err, errlen, "--uid: '%s' is not 24 hex digits (the 96-bit ID, e.g. 3031373738345112002A0033)",
                            value);
        return 0;
    case OPT_ENV:
        if (!(e = cli_add_event(o, CLI_ENV)))
            return cli_fail(err, errlen, "out of memory");
        return cli_env(e, opt, value, err, errlen);
    case OPT_ENV_CSV: return cli_env_csv(o, opt, value, err, errlen);
    case OPT_ENV_NOISE: return cli_env_noise(o, opt, value, err, errlen);
    case OPT_BME280: return cli_bme280(o, opt, value, err, errlen);
    case OPT_W5500:
    case OPT_NET_FORWARD:
    case OPT_NET_ALLOW:
    case OPT_NET_LEASE:
    case OPT_NET_WAIT:
        return cli_net(o, NULL, opt, value, err, errlen);
    case OPT_LINK:
        if (!(e = cli_add_event(o, CLI_LINK)))
            return cli_fail(err, errlen, "out of memory");
        return cli_net(o, e, opt, value, err, errlen);
    case OPT_CYCLES:
        if (strcmp(value, "default") != 0 && strcmp(value, "upper") != 0)
            return cli_fail(err, errlen, "--cycles: '%s' is not default or upper", value);
        o->cycles_upper = strcmp(value, "upper") == 0;
        return 0;
    }
    return cli_fail(err, errlen, "%s: unhandled option", opt);
}

static int cli_check(struct cli_options *o, char *err, size_t errlen)
{
    if (!o->firmware)
        return cli_fail(err, errlen, "no FIRMWARE.elf given (see --help)");
    if (o->gdb_wait && o->gdb_port < 0)
        return cli_fail(err, errlen, "--gdb-wait needs --gdb PORT");
    if (cli_bme280_check(o, err, errlen) != 0)
        return -EINVAL;
    if (!o->interactive && !o->until_given && o->gdb_port < 0)
        o->until_ns = CLI_DEFAULT_UNTIL_NS;
    if (o->pane_path && !o->interactive)
        return cli_fail(err, errlen, "--pane needs --interactive (the pane is part of the terminal board)");
    if (o->pane_title && !o->pane_path)
        return cli_fail(err, errlen, "--pane-title needs --pane FILE");
    const char *to_stdout = NULL;
    const char *const stdout_options[][2] = {
        { "--console", o->console_path }, { "--report", o->report_path }, { "--oled-png", o->png_path },
    };
    for (size_t i = 0; i < sizeof stdout_options / sizeof stdout_options[0]; i++) {
        if (!stdout_options[i][1] || strcmp(stdout_options[i][1], "-") != 0)
            continue;
        if (to_stdout)
            return cli_fail(err, errlen, "%s and %s cannot both go to stdout ('-')", to_stdout,
                            stdout_options[i][0]);
        to_stdout = stdout_options[i][0];
    }
    int rc = cli_check_paths(o, err, errlen);
    if (rc)
        return rc;
    if (!o->interactive || o->until_given) {
        for (size_t i = 0; i < o->n_events; i++)
            if (o->events[i].t_ns > o->until_ns)
                return cli_fail(err, errlen,
                                "scripted input at %llu ns comes after the end of the run (%llu ns%s)",
                                (unsigned long long)o->events[i].t_ns, (unsigned long long)o->until_ns,
                                o->until_given ? "" : ", the default --until 10s");
    }
    return 0;
}

int cli_parse(struct cli_options *o, int argc, char *const argv[], char *err, size_t errlen)
{
    *o = (struct cli_options){ .gdb_port = -1 };
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->firmware)
                return cli_fail(err, errlen, "more than one FIRMWARE.elf: '%s' and '%s'", o->firmware, arg);
            o->firmware = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        size_t k = 0;
        const size_t n_specs = sizeof cli_specs / sizeof cli_specs[0];
        while (k < n_specs && !(strlen(cli_specs[k].name) == name_len &&
                                strncmp(cli_specs[k].name, arg, name_len) == 0))
            k++;
        if (k == n_specs)
            return cli_fail(err, errlen, "unknown option '%.*s' (see --help)", (int)name_len, arg);
        const char *name = cli_specs[k].name;
        const char *value = NULL;
        if (cli_specs[k].takes_value) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return cli_fail(err, errlen, "%s needs a value (see --help)", name);
        } else if (eq) {
            return cli_fail(err, errlen, "%s takes no value", name);
        }
        int rc = cli_option(o, cli_specs[k].id, name, value, err, errlen);
        if (rc)
            return rc;
    }
    if (o->help)
        return 0;
    return cli_check(o, err, errlen);
}

bool cli_stdout_taken(const struct cli_options *o)
{
    const char *paths[] = { o->console_path, o->report_path, o->png_path };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (paths[i] && strcmp(paths[i], "-") == 0)
            return true;
    return false;
}

void cli_free(struct cli_options *o)
{
    for (size_t i = 0; i < o->n_events; i++)
        free(o->events[i].data);
    free(o->events);
    o->events = NULL;
    free(o->net_forwards);
    free(o->net_allows);
    o->net_forwards = o->net_allows = NULL;
    o->n_events = 0;
    free(o->env_rows);
    o->env_rows = NULL;
    o->n_env_rows = 0;
}
