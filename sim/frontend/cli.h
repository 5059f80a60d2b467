/*
 * quartz-sim command line: parsing and checks that need no simulator, kept
 * apart from main.c so that tests can call them. Syntax and exit codes are
 * documented in docs/simulator-frontends.md and by `quartz-sim --help`.
 */
#ifndef QSIM_FRONTEND_CLI_H
#define QSIM_FRONTEND_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of quartz-sim. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_OUTPUT = 1, /* an output file could not be written */
    CLI_EXIT_USAGE = 2,  /* bad option or TIME, missing or unusable ELF */
    CLI_EXIT_LOCKUP = 3, /* the firmware locked up; the report holds the fault */
};

/* Headless runs without --until stop at this virtual time. */
#define CLI_DEFAULT_UNTIL_NS 10000000000ull /* 10 s */
#define CLI_DEFAULT_HOLD_NS 80000000ull     /* --press without +HOLD: 80 ms */
#define CLI_MAX_BOUNCE 64

enum cli_event_kind {
    CLI_PRESS,       /* B1 low at t for duration */
    CLI_OLED_DETACH, /* at t */
    CLI_OLED_ATTACH, /* at t */
    CLI_STUCK_SDA,   /* bus held low at t for duration */
    CLI_RX,          /* data[len] into the console's RX at t */
    CLI_RESET,       /* NRST at t */
    CLI_ANALOG,      /* port/pin at `value` microvolts from t on */
    CLI_CHIP_TEMP,   /* die temperature `value` millidegrees C from t on */
    CLI_ENV,         /* the quantities in env_mask set to `env` from t on */
    CLI_BME280_DETACH, /* at t */
    CLI_BME280_ATTACH, /* at t */
    CLI_LINK,        /* the W5500's link up (`value` 1) or down (0) at t */
};

/* Environment values (--env, --env-csv): millidegrees C, millipascal, milli-%RH. */
struct cli_env_value {
    int32_t t_mc, p_mpa, h_mpct;
};
#define CLI_ENV_T 1u
#define CLI_ENV_P 2u
#define CLI_ENV_H 4u

struct cli_env_row {
    uint64_t t_ns;
    struct cli_env_value v;
};

/* --bme280: where the sensor sits. */
enum cli_bme280_bus { CLI_BME280_I2C1 = 0, CLI_BME280_NONE, CLI_BME280_SPI1, CLI_BME280_SPI2 };

struct cli_event {
    enum cli_event_kind kind;
    uint64_t t_ns;
    uint64_t duration_ns;
    int bus;    /* CLI_STUCK_SDA: 1..3 */
    char *data; /* CLI_RX: owned, unescaped */
    size_t len;
    char port;     /* CLI_ANALOG: 'A'..'H' */
    int pin;       /* CLI_ANALOG: 0..15 */
    int32_t value; /* CLI_ANALOG: microvolts; CLI_CHIP_TEMP: millidegrees C */
    unsigned env_mask;        /* CLI_ENV: CLI_ENV_T | CLI_ENV_P | CLI_ENV_H */
    struct cli_env_value env; /* CLI_ENV */
};

struct cli_options {
    const char *firmware;
    uint64_t until_ns; /* 0 with until_given false in interactive mode: no end */
    bool until_given;
    int bounce;
    bool bounce_given;
    const char *console_path; /* "-" = stdout; NULL: stdout in headless mode */
    const char *report_path;  /* "-" = stdout */
    const char *png_path;
    const char *vcd_path;
    const char *svd_path;
    bool interactive;
    bool help;
    bool cycles_upper; /* --cycles upper: QSIM_CYCLES_UPPER */
    int gdb_port;      /* --gdb PORT; -1: no GDB server */
    bool gdb_wait;     /* --gdb-wait */
    bool uid_given;    /* --uid HEX24 */
    uint8_t uid[12];   /* as stored at 0x1FFF7A10: uid[0] = the last two hex digits */
    bool w5500;        /* --w5500 or any network option */
    const char **net_forwards, **net_allows; /* --net-forward / --net-allow values (argv's) */
    size_t n_net_forwards, n_net_allows;
    uint32_t net_lease_s; /* --net-lease: the DHCP lease, seconds (0: the default day) */
    uint64_t net_wait_ns; /* --net-wait: real time a host answer may hold virtual time (0: 500 ms) */
    struct cli_event *events; /* in command-line order */
    size_t n_events;
    struct cli_env_row *env_rows; /* --env-csv, owned */
    size_t n_env_rows;
    bool env_noise_given; /* --env-noise SEED */
    uint64_t env_noise_seed;
    bool bme280_given;    /* --bme280 PLACE */
    enum cli_bme280_bus bme280_bus;
    uint8_t bme280_address; /* on I2C1: 0x76 or 0x77 */
    char bme280_cs_port;    /* on SPI: 'A'..'H' */
    int bme280_cs_pin;
    const char *pane_path;  /* --pane FILE: followed beside the interactive board */
    const char *pane_title; /* --pane-title TEXT */
};

/*
 * Parse argv (argv[0] is the program). Returns 0 (also for --help, with
 * o->help set) or -EINVAL with one line in `err` (no program name, no
 * newline). Call cli_free afterwards in both cases.
 */
int cli_parse(struct cli_options *o, int argc, char *const argv[], char *err, size_t errlen);
void cli_free(struct cli_options *o);
void cli_usage(FILE *out);

/*
 * C escapes of --rx: \n \r \t \0 \\ \xNN (one or two hex digits); any
 * other byte is itself. `out` needs strlen(text) bytes. Returns 0 and the
 * length, or -EINVAL for an unknown or incomplete escape.
 */
int cli_unescape(const char *text, char *out, size_t *len);

/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int cli_hex_digit(char c);

/*
 * `text` with control bytes shown as \n \r \t \xNN, cut to fit `out`
 * (always terminated): what a one-line message may echo of an argument.
 */
void cli_escape(const char *text, char *out, size_t outlen);

/*
 * --uid text: 24 hex digits, the 96-bit ID most significant digit first,
 * into the bytes at 0x1FFF7A10 (least significant first). 0 or -EINVAL.
 */
int cli_parse_uid(const char *text, uint8_t uid[12]);

/* One of the outputs is "-" (so the headless console does not default to stdout). */
bool cli_stdout_taken(const struct cli_options *o);

/*
 * No output file is another output's file, the firmware or the SVD (by
 * name or, for existing files, by inode; "-" is stdout, not a file).
 * 0 or -EINVAL with one line in `err`. Called by cli_parse.
 */
int cli_check_paths(const struct cli_options *o, char *err, size_t errlen);

/* Shared by the parser's files (cli.c, cli_inputs.c). One line in `err`, -EINVAL. */
int cli_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cli_time(const char *opt, const char *text, uint64_t *ns, char *err, size_t errlen);
/* --analog and --chip-temp values into `e` (kind already set): 0 or -EINVAL with the message. */
int cli_analog(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen);
int cli_chip_temp(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen);
/* "[-]D[.D]" scaled by 10^digits (at most `digits` decimals); *end after it. 0 or -EINVAL. */
int cli_fixed(const char *text, int digits, int64_t *value, const char **end);
/* --env T=21.5C,P=1013.25hPa,H=45%[@TIME] into `e` (kind set), --env-csv FILE into o->env_rows,
 * --env-noise SEED, --bme280 PLACE (cli_inputs.c): 0 or -EINVAL with the message. */
int cli_env(struct cli_event *e, const char *opt, const char *value, char *err, size_t errlen);
int cli_env_csv(struct cli_options *o, const char *opt, const char *path, char *err, size_t errlen);
int cli_env_noise(struct cli_options *o, const char *opt, const char *value, char *err, size_t errlen);
int cli_bme280(struct cli_options *o, const char *opt, const char *value, char *err, size_t errlen);
/* The options that need a BME280 with --bme280 none: 0 or -EINVAL with the message. Called by cli_parse. */
int cli_bme280_check(const struct cli_options *o, char *err, size_t errlen);

/* The network options (cli_net.c): --w5500 (value NULL), --net-forward,
 * --net-allow, --net-lease, --net-wait, and --link into `link` (kind already set). 0 or -EINVAL. */
int cli_net(struct cli_options *o, struct cli_event *link, const char *opt, const char *value, char *err,
            size_t errlen);

/* The ELF itself is checked by qsim_load_elf (sim/core/elf.c): exit CLI_EXIT_USAGE. */

/*
 * --svd FILE is a CMSIS-SVD file quartz-sim can read (a missing file, a
 * folder or anything else is an error, not a run without names). 0, or
 * -errno with one line in `err` that names the option and the file.
 */
int cli_check_svd(const char *path, char *err, size_t errlen);

#endif
