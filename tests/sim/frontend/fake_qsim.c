/*
 * A stand-in for libquartzsim with the same API (quartzsim.h) and trivial,
 * deterministic behaviour, so that main.c, the outputs and the interactive
 * board can be tested end to end without the simulator core. It runs no
 * firmware: time advances to whatever is asked, LD2 blinks at 1 Hz, the
 * console prints a line every 250 ms and one per B1 press, the OLED shows a
 * frame and a bar that grows with time. Only front-end tests use it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/elf.h"
#include "png.h"
#include "quartzsim.h"
#include "vcd.h"

#define FAKE_HZ 48000000u
#define FAKE_MAX_PRESSES 64

struct qsim {
    uint64_t now_ns;
    uint64_t press_ns[FAKE_MAX_PRESSES];
    unsigned n_presses, presses_done;
    char console[1 << 16];
    size_t console_len;
    FILE *vcd_file;
    struct vcd *vcd;
};

static void fake_print(struct qsim *s, const char *text)
{
    size_t n = strlen(text);
    if (s->console_len + n <= sizeof s->console) {
        memcpy(s->console + s->console_len, text, n);
        s->console_len += n;
    }
}

struct qsim *qsim_create(const struct qsim_options *opt)
{
    (void)opt;
    return calloc(1, sizeof(struct qsim));
}

void qsim_destroy(struct qsim *s)
{
    if (s)
        qsim_vcd_close(s);
    free(s);
}

/* The real loader's checks (sim/core/elf.c), so that the front end sees its messages. */
int qsim_load_elf(struct qsim *s, const char *path, char *err, size_t errlen)
{
    int rc = elf_load_file(path, NULL, NULL, err, errlen);
    if (rc == 0)
        fake_print(s, "fake firmware up\r\n");
    return rc;
}

void qsim_reset(struct qsim *s)
{
    s->now_ns = 0;
    s->console_len = 0;
    s->n_presses = s->presses_done = 0;
    fake_print(s, "fake firmware up\r\n");
}

int qsim_run_until(struct qsim *s, uint64_t until_ns, qsim_stop_fn stop, void *ctx)
{
    (void)stop;
    (void)ctx;
    while (s->now_ns < until_ns) {
        uint64_t next = (s->now_ns / 250000000u + 1) * 250000000u;
        for (unsigned i = s->presses_done; i < s->n_presses; i++)
            if (s->press_ns[i] >= s->now_ns && s->press_ns[i] < next)
                next = s->press_ns[i];
        if (next > until_ns)
            next = until_ns;
        s->now_ns = next;
        char line[64];
        while (s->presses_done < s->n_presses && s->press_ns[s->presses_done] <= s->now_ns) {
            snprintf(line, sizeof line, "B1 at %llu ms\r\n", (unsigned long long)(s->now_ns / 1000000u));
            fake_print(s, line);
            s->presses_done++;
        }
        if (s->now_ns % 250000000u == 0) {
            snprintf(line, sizeof line, "tick %llu\r\n", (unsigned long long)(s->now_ns / 250000000u));
            fake_print(s, line);
        }
        if (s->vcd)
            vcd_change(s->vcd, s->now_ns * 1000u, "PA5", 1, qsim_led(s));
    }
    return 0;
}

uint64_t qsim_time_ns(const struct qsim *s) { return s->now_ns; }
uint64_t qsim_cycles(const struct qsim *s) { return s->now_ns * (FAKE_HZ / 1000000u) / 1000u; }
uint64_t qsim_sleep_cycles(const struct qsim *s) { return qsim_cycles(s) / 100u * 99u; }
uint32_t qsim_hclk_hz(const struct qsim *s) { (void)s; return FAKE_HZ; }

void qsim_button_set(struct qsim *s, bool pressed)
{
    if (pressed)
        qsim_press_at(s, s->now_ns, 1);
}

int qsim_press_at(struct qsim *s, uint64_t t_ns, uint64_t hold_ns)
{
    (void)hold_ns;
    if (t_ns < s->now_ns || s->n_presses == FAKE_MAX_PRESSES ||
        (s->n_presses && t_ns < s->press_ns[s->n_presses - 1]))
        return -EINVAL;
    s->press_ns[s->n_presses++] = t_ns;
    return 0;
}

int qsim_oled_detach_at(struct qsim *s, uint64_t t_ns) { return t_ns >= s->now_ns ? 0 : -EINVAL; }
int qsim_oled_attach_at(struct qsim *s, uint64_t t_ns) { return t_ns >= s->now_ns ? 0 : -EINVAL; }
int qsim_stuck_sda_at(struct qsim *s, int bus, uint64_t t_ns, uint64_t d) { (void)d; return bus >= 1 && bus <= 3 && t_ns >= s->now_ns ? 0 : -EINVAL; }
int qsim_rx_at(struct qsim *s, const char *b, size_t len, uint64_t t_ns) { (void)b; (void)len; return t_ns >= s->now_ns ? 0 : -EINVAL; }
int qsim_reset_at(struct qsim *s, uint64_t t_ns) { return t_ns >= s->now_ns ? 0 : -EINVAL; }

/* Analog inputs have no visible effect in the fake: accepted when in the future. */
int qsim_analog_at(struct qsim *s, char port, int pin, uint32_t microvolts, uint64_t t_ns)
{
    (void)port;
    (void)pin;
    return microvolts <= QSIM_VDDA_UV && t_ns >= s->now_ns ? 0 : -EINVAL;
}

int qsim_chip_temp_at(struct qsim *s, int32_t millicelsius, uint64_t t_ns)
{
    (void)millicelsius;
    return t_ns >= s->now_ns ? 0 : -EINVAL;
}

const char *qsim_console(const struct qsim *s, size_t *len)
{
    *len = s->console_len;
    return s->console;
}

const uint8_t *qsim_oled_gddram(const struct qsim *s) { (void)s; return NULL; }
bool qsim_oled_display_on(const struct qsim *s) { (void)s; return true; }

bool qsim_oled_pixel(const struct qsim *s, int x, int y)
{
    int bar = (int)(s->now_ns / 100000000u % 120);
    return x == 0 || y == 0 || x == 127 || y == 63 || (y >= 28 && y < 36 && x >= 4 && x < 4 + bar);
}

int qsim_gpio_get(const struct qsim *s, char port, int pin) { return port == 'A' && pin == 5 ? qsim_led(s) : 0; }
bool qsim_led(const struct qsim *s) { return s->now_ns / 500000000u % 2 == 1; }
int qsim_read_mem(const struct qsim *s, uint32_t a, void *buf, size_t len) { (void)s; (void)a; (void)buf; (void)len; return -EFAULT; }

int qsim_write_report(const struct qsim *s, FILE *out)
{
    fprintf(out, "{\"virtual_ms\": %llu, \"cycles\": %llu, \"sleep_cycles\": %llu, \"presses\": %u}\n",
            (unsigned long long)(s->now_ns / 1000000u), (unsigned long long)qsim_cycles(s),
            (unsigned long long)qsim_sleep_cycles(s), s->presses_done);
    return ferror(out) ? -EIO : 0;
}

static bool fake_png_pixel(const void *ctx, int x, int y) { return qsim_oled_pixel(ctx, x, y); }

int qsim_write_oled_png(const struct qsim *s, FILE *out, int scale)
{
    return png_write_gray1(out, 128, 64, scale, fake_png_pixel, s);
}

int qsim_vcd_open(struct qsim *s, const char *path)
{
    s->vcd_file = fopen(path, "wb");
    if (!s->vcd_file)
        return -errno;
    s->vcd = vcd_create(s->vcd_file);
    if (!s->vcd) {
        fclose(s->vcd_file);
        return -EIO;
    }
    vcd_change(s->vcd, s->now_ns * 1000u, "PA5", 1, qsim_led(s));
    return 0;
}

int qsim_vcd_close(struct qsim *s)
{
    if (!s->vcd)
        return 0;
    int rc = vcd_close(s->vcd);
    s->vcd = NULL;
    if (fclose(s->vcd_file) != 0 && rc == 0)
        rc = -errno;
    s->vcd_file = NULL;
    return rc;
}

uint64_t qsim_irq_count(const struct qsim *s, const char *name) { (void)s; (void)name; return 0; }
unsigned qsim_fault_count(const struct qsim *s) { (void)s; return 0; }
unsigned qsim_oled_update_count(const struct qsim *s) { (void)s; return 0; }
uint64_t qsim_oled_update_ns(const struct qsim *s, unsigned i) { (void)s; (void)i; return 0; }

/* The GDB server (sim/frontend/gdb_server.c) needs the real core: the fake
 * board has no debugger. */
#include "gdb.h"
int gdb_serve(struct qsim *s, struct gdb_config *c) { (void)s; (void)c; return -ENOSYS; }
int gdb_server_open(struct gdb_server **out, struct qsim *s, struct gdb_config *c)
{
    (void)s;
    (void)c;
    *out = NULL;
    return -ENOSYS;
}
enum gdb_state gdb_server_poll(struct gdb_server *v, int timeout_ms) { (void)v; (void)timeout_ms; return GDB_RUNNING; }
int gdb_server_run(struct gdb_server *v, uint64_t until_ns, qsim_stop_fn stop, void *ctx)
{
    (void)v;
    (void)until_ns;
    (void)stop;
    (void)ctx;
    return 0;
}
bool gdb_server_ended(const struct gdb_server *v) { (void)v; return false; }
int gdb_server_fd(const struct gdb_server *v) { (void)v; return -1; }
void gdb_server_close(struct gdb_server *v) { (void)v; }

/* The environment and the BME280: checked as the library checks them, nothing measured. */
int qsim_env_at(struct qsim *s, uint64_t t_ns, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct)
{
    (void)t_mc;
    (void)p_mpa;
    (void)h_mpct;
    return mask && t_ns >= s->now_ns ? 0 : -EINVAL;
}

int qsim_env_table(struct qsim *s, const struct qsim_env_row *rows, size_t n)
{
    (void)s;
    return rows && n ? 0 : -EINVAL;
}

int qsim_env_noise(struct qsim *s, uint64_t seed)
{
    (void)s;
    (void)seed;
    return 0;
}

bool qsim_env_now(const struct qsim *s, int32_t *t_mc, int32_t *p_mpa, int32_t *h_mpct)
{
    (void)s;
    *t_mc = 25000;
    *p_mpa = 101325000;
    *h_mpct = 50000;
    return false;
}

int qsim_bme280_detach_at(struct qsim *s, uint64_t t_ns) { return t_ns >= s->now_ns ? 0 : -EINVAL; }
int qsim_bme280_attach_at(struct qsim *s, uint64_t t_ns) { return t_ns >= s->now_ns ? 0 : -EINVAL; }

int qsim_bme280_reg(const struct qsim *s, uint8_t reg, uint8_t *value)
{
    (void)s;
    (void)reg;
    *value = 0;
    return -ENODEV;
}
