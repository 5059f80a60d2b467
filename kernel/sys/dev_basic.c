/*
 * The small nodes: /dev/console (USART2 through quartz/hal/serial.h),
 * /dev/null, /dev/uptime, /dev/led0, /dev/log0, /dev/dietemp0.
 * Text nodes (uptime, led0, dietemp0) give one line per open file and
 * then the end of file, so `cat` ends.
 */
#include <errno.h>
#include <string.h>

#include "dev.h"
#include "quartz/board.h"
#include "quartz/cpu.h"
#include "quartz/fmt.h"
#include "quartz/hal/adc.h"
#include "quartz/hal/gpio.h"
#include "quartz/hal/serial.h"

#define CONSOLE_RX_BYTES 64u
#define LOG_BYTES 256u
#define CONSOLE_RETRY_US 1000u /* wait for room in the TX queue: 11 bytes at 115200 */

struct sys_waitq sys_console_wq;

/* --- console --- */

/* Received bytes moved out of the HAL's ring (filled by the USART2 interrupt). */
static uint8_t con_rx[CONSOLE_RX_BYTES];
static uint32_t con_rx_len;

volatile bool sys_console_rx_seen;

static void console_received(void)
{
    sys_console_rx_seen = true; /* from USART2's interrupt: the idle loop polls */
}

void sys_dev_console_init(void)
{
    serial_on_receive(console_received);
}

void sys_dev_console_poll(void)
{
    uint32_t key = cpu_irq_lock();
    size_t n = serial_read(con_rx + con_rx_len, sizeof con_rx - con_rx_len);
    con_rx_len += (uint32_t)n;
    bool waiting = con_rx_len != 0 && sys_console_wq.waiters != 0;
    cpu_irq_unlock(key);
    if (waiting)
        sys_wake_all(&sys_console_wq);
}

static int console_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    (void)f;
    sys_dev_console_poll();
    uint32_t key = cpu_irq_lock();
    size_t n = con_rx_len < len ? con_rx_len : len;
    memcpy(buf, con_rx, n);
    memmove(con_rx, con_rx + n, con_rx_len - n);
    con_rx_len -= (uint32_t)n;
    cpu_irq_unlock(key);
    return n != 0 ? (int)n : (len == 0 ? 0 : -EAGAIN);
}

static int console_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    size_t n = serial_write(buf, len);
    if (n == 0 && len != 0)
        return sys_block(NULL, 0, sys_now() + CONSOLE_RETRY_US, SYS_TIMEOUT_RETRY);
    return (int)n;
}

static int console_poll(struct sys_file *f)
{
    (void)f;
    sys_dev_console_poll();
    return con_rx_len != 0 ? (int)SYS_POLLIN : 0;
}

const struct sys_dev_ops sys_dev_console_ops = {
    .read = console_read,
    .write = console_write,
    .poll = console_poll,
};

void sys_console_puts(const char *s)
{
    (void)serial_puts(s);
}

void sys_console_dec(const char *label, uint32_t v)
{
    char buf[12];
    size_t n = fmt_u64(buf, sizeof buf, v);
    sys_console_puts(label);
    (void)serial_write(buf, n);
}

void sys_console_hex(const char *label, uint32_t v)
{
    char buf[10] = "0x";
    for (int i = 0; i < 8; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xFu];
    sys_console_puts(label);
    (void)serial_write(buf, sizeof buf);
}

/* --- null --- */

static int null_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    (void)f;
    (void)buf;
    (void)len;
    return 0;
}

static int null_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    (void)buf;
    return (int)len;
}

const struct sys_dev_ops sys_dev_null_ops = { .read = null_read, .write = null_write };

/* --- uptime --- */

static int uptime_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    char text[24];
    size_t n = fmt_u64(text, sizeof text - 1u, sys_ms());
    text[n++] = '\n';
    return sys_dev_text(f, buf, len, text, n);
}

const struct sys_dev_ops sys_dev_uptime_ops = { .read = uptime_read };

/* --- led0: write '0' or '1' (a trailing newline is fine), read the state --- */

static int led_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    const char *text = gpio_read(board_led) ? "1\n" : "0\n";
    return sys_dev_text(f, buf, len, text, 2);
}

static int led_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    if (len == 0)
        return 0;
    if ((buf[0] != '0' && buf[0] != '1') || (len > 1 && buf[1] != '\n') || len > 2)
        return -EINVAL;
    gpio_write(board_led, buf[0] == '1');
    return (int)len;
}

const struct sys_dev_ops sys_dev_led_ops = { .read = led_read, .write = led_write };

/* --- log0: a ring of the last LOG_BYTES bytes written; a reader starts at
 * the oldest byte still there and ends at the newest --- */

static uint8_t log_ring[LOG_BYTES];
static uint32_t log_written; /* bytes ever written */

static int log_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    uint32_t oldest = log_written > LOG_BYTES ? log_written - LOG_BYTES : 0u;
    if (f->pos < oldest)
        f->pos = oldest;
    size_t n = 0;
    while (n < len && f->pos < log_written)
        buf[n++] = log_ring[f->pos++ % LOG_BYTES];
    return (int)n;
}

static int log_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    for (size_t i = 0; i < len; i++)
        log_ring[log_written++ % LOG_BYTES] = buf[i];
    return (int)len;
}

const struct sys_dev_ops sys_dev_log_ops = { .read = log_read, .write = log_write };

/* --- dietemp0: the die temperature, "31.25\n" --- */

static int dietemp_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    if (f->pos != 0)
        return 0;
    int32_t c;
    int rc = adc_temp_centi_c(&c);
    if (rc < 0)
        return rc;
    char text[16];
    size_t n = 0;
    uint32_t mag = (uint32_t)(c < 0 ? -c : c);
    if (c < 0)
        text[n++] = '-';
    n += fmt_u64(text + n, sizeof text - n, mag / 100u);
    text[n++] = '.';
    text[n++] = (char)('0' + mag / 10u % 10u);
    text[n++] = (char)('0' + mag % 10u);
    text[n++] = '\n';
    return sys_dev_text(f, buf, len, text, n);
}

static int dietemp_open(struct sys_file *f)
{
    (void)f;
    static bool powered;
    if (!powered) {
        int rc = adc_init();
        if (rc < 0)
            return rc;
        powered = true;
    }
    return 0;
}

const struct sys_dev_ops sys_dev_dietemp_ops = { .open = dietemp_open, .read = dietemp_read };

/* --- /dev itself: the node names, one a line (`ls /dev`) --- */

static int dir_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    char text[SYS_DEV_MAX * 16u];
    size_t n = 0;
    for (unsigned i = 0; i < sys_dev_total(); i++) {
        const char *path = sys_dev_at(i)->path;
        size_t k = strlen(path);
        if (k == 4u || n + k + 1u > sizeof text)
            continue; /* "/dev" itself */
        memcpy(text + n, path, k);
        n += k;
        text[n++] = '\n';
    }
    return sys_dev_text(f, buf, len, text, n);
}

const struct sys_dev_ops sys_dev_dir_ops = { .read = dir_read };
