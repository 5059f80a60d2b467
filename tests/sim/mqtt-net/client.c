/*
 * MQTT client image for quartz-sim with the W5500 (issue 15): the W5500 on
 * SPI2 as in tests/sim/net/probe.c, a DHCP lease, then lib/mqtt against
 * the broker at 10.0.2.2:1883, driven by console lines (USART2 RX), one
 * command per line:
 *
 *   c ID USER PASS KEEPALIVE_S  start the client (clean session false)
 *   s FILTER                  subscribe at QoS 1
 *   p0 TOPIC PAYLOAD          publish at QoS 0 (p1: QoS 1)
 *   b N                       N QoS 1 publishes of 64 bytes, one at a time
 *   ?                         the client's state
 *
 * It prints one line per event ("mqtt connected ...", "mqtt msg ...");
 * test_mqtt_net.c reads them. The main loop sleeps between events
 * (woken by INTn through the interface's event hook, or by the tick at the
 * client's next deadline, or every 50 ms to read the console), so DWT
 * CYCCNT, which stops in sleep, counts the CPU's awake cycles: the bench
 * gives those from mqtt_publish to the PUBACK handled, and the virtual
 * time of the whole run by TIM5 (quartz/hal/mono_timer.h, 1 MHz).
 * No heap; every wait is bounded.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cortex_m/core.h"
#include "cortex_m/intrinsics.h"
#include "dhcp.h"
#include "quartz/fmt.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/mono_timer.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/spi.h"
#include "quartz/mqtt.h"
#include "quartz/board.h"
#include "w5500.h"

static struct w5500_config w5500_cfg = {
    .has_intn = true,
    .has_rstn = true,
    .mac = { 0x02, 0x51, 0x75, 0x61, 0x72, 0x7B },
};
static struct w5500 eth;

#define CONSOLE_POLL_MS 50u
#define BENCH_MAX 64u
#define BENCH_PAYLOAD 64u

static struct mqtt_client mq;
static struct mqtt_config mq_cfg;
static uint8_t rx_buf[512], tx_buf[512], store[1024];
static char client_id[24], user[24], pass[24];
static bool started;
static unsigned connects;

/* The bench: one QoS 1 publish in flight at a time. */
struct bench_run {
    unsigned left, done;
    uint16_t id;        /* in flight, 0: none */
    uint32_t start;     /* DWT->CYCCNT at mqtt_publish */
    uint64_t t0_us;
    uint32_t cycles[BENCH_MAX];
};
static struct bench_run bench;

static volatile bool woken; /* set by the interface's event hook (INTn) */

static void put_int(int v)
{
    char s[24];
    if (v < 0) {
        serial_puts("-");
        v = -v;
    }
    fmt_u64(s, sizeof s, (uint64_t)v);
    serial_puts(s);
}

static void put_u64(uint64_t v)
{
    char s[24];
    fmt_u64(s, sizeof s, v);
    serial_puts(s);
}

static void put_n(const char *s, size_t n) { serial_write(s, n); }

/* Decimal digits at `s` (stops at the first other character). */
static uint32_t parse_u32(const char *s)
{
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9' && v < 100000000u)
        v = v * 10u + (uint32_t)(*s++ - '0');
    return v;
}

/* The TX queue holds 256 bytes: every line is drained before the next. */
static void end(void)
{
    serial_puts("\r\n");
    (void)serial_drain();
}

static void say(const char *what, int v)
{
    serial_puts("mqtt ");
    serial_puts(what);
    serial_puts(" ");
    put_int(v);
    end();
}

static void net_event(void *ctx)
{
    (void)ctx;
    woken = true;
    cpu_wake();
}

static void on_event(void *ctx, const struct mqtt_event *ev)
{
    (void)ctx;
    switch (ev->kind) {
    case MQTT_EV_CONNECTED:
        connects++;
        serial_puts("mqtt connected session ");
        put_int(ev->status);
        serial_puts(" n ");
        put_int((int)connects);
        end();
        break;
    case MQTT_EV_DISCONNECTED:
        say("disconnected", ev->status);
        break;
    case MQTT_EV_PUBACK:
        if (bench.id && ev->id == bench.id) {
            bench.cycles[bench.done % BENCH_MAX] = DWT->CYCCNT - bench.start;
            bench.id = 0;
            bench.done++;
        } else {
            say("puback", ev->id);
        }
        break;
    case MQTT_EV_SUBACK:
        serial_puts("mqtt suback ");
        put_int(ev->id);
        serial_puts(" ");
        put_int(ev->status);
        end();
        break;
    case MQTT_EV_UNSUBACK:
        say("unsuback", ev->id);
        break;
    }
}

static void on_message(void *ctx, const struct mqtt_message *m)
{
    (void)ctx;
    serial_puts("mqtt msg ");
    put_n(m->topic, m->topic_len > 64u ? 64u : m->topic_len);
    serial_puts(" ");
    put_n((const char *)m->payload, m->payload_len > 64u ? 64u : m->payload_len);
    serial_puts(" ");
    put_int(m->qos);
    serial_puts(m->dup ? " dup" : "");
    end();
}

/* Split `line` at spaces into at most `max` words; how many. */
static unsigned split(char *line, char **words, unsigned max)
{
    unsigned n = 0;
    for (char *p = line; *p && n < max;) {
        words[n++] = p;
        while (*p && *p != ' ')
            p++;
        while (*p == ' ')
            *p++ = '\0';
    }
    return n;
}

static void start_client(char *args)
{
    char *w[4];
    if (split(args, w, 4) != 4 || started) {
        say("init", -EINVAL);
        return;
    }
    strncpy(client_id, w[0], sizeof client_id - 1);
    strncpy(user, w[1], sizeof user - 1);
    strncpy(pass, w[2], sizeof pass - 1);
    mq_cfg = (struct mqtt_config){
        .broker = { { 10, 0, 2, 2 }, 1883 },
        .connect = { .client_id = client_id, .username = user, .password = pass,
                     .clean_session = false, .keepalive_s = (uint16_t)parse_u32(w[3]) },
        .connect_timeout_ms = 5000,
        .backoff_min_ms = 1000,
        .backoff_max_ms = 8000,
        .rx_buf = rx_buf, .rx_len = sizeof rx_buf,
        .tx_buf = tx_buf, .tx_len = sizeof tx_buf,
        .store = store, .store_len = sizeof store,
        .on_message = on_message,
        .on_event = on_event,
    };
    int rc = mqtt_init(&mq, &eth.nif, &mq_cfg, (uint32_t)clock_uptime_ms());
    started = rc == 0;
    say("init", rc);
}

static void bench_publish(void)
{
    static const char payload[BENCH_PAYLOAD] = "quartz-sim bench: one QoS 1 publish of 64 bytes to the broker..";
    bench.start = DWT->CYCCNT;
    int rc = mqtt_publish(&mq, "quartz/bench", payload, sizeof payload, 1, false);
    if (rc < 0) {
        say("bench error", rc);
        bench.left = 0;
        return;
    }
    bench.id = (uint16_t)rc;
    bench.left--;
    (void)mqtt_poll(&mq, (uint32_t)clock_uptime_ms());
}

static void bench_report(void)
{
    unsigned n = bench.done < BENCH_MAX ? bench.done : BENCH_MAX;
    /* insertion sort for the median: n <= 64 */
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && bench.cycles[j - 1] > bench.cycles[j]; j--) {
            uint32_t t = bench.cycles[j];
            bench.cycles[j] = bench.cycles[j - 1];
            bench.cycles[j - 1] = t;
        }
    uint64_t us = mono_timer_now() - bench.t0_us;
    serial_puts("mqtt bench ");
    put_int((int)bench.done);
    serial_puts(" cycles median ");
    put_u64(n ? bench.cycles[n / 2] : 0);
    serial_puts(" min ");
    put_u64(n ? bench.cycles[0] : 0);
    serial_puts(" max ");
    put_u64(n ? bench.cycles[n - 1] : 0);
    serial_puts(" us ");
    put_u64(us);
    end();
}

static void command(char *line)
{
    if (line[0] == 'c' && line[1] == ' ') {
        start_client(line + 2);
        return;
    }
    if (!started) {
        say("not started", -EINVAL);
        return;
    }
    if (line[0] == 's' && line[1] == ' ') {
        say("sub", mqtt_subscribe(&mq, line + 2, 1));
    } else if (line[0] == 'p' && (line[1] == '0' || line[1] == '1') && line[2] == ' ') {
        char *topic = line + 3, *payload = strchr(topic, ' ');
        if (!payload) {
            say("pub", -EINVAL);
            return;
        }
        *payload++ = '\0';
        say("pub", mqtt_publish(&mq, topic, payload, strlen(payload), (unsigned)(line[1] - '0'), false));
    } else if (line[0] == 'b' && line[1] == ' ') {
        uint32_t n = parse_u32(line + 2);
        bench = (struct bench_run){ .left = n > BENCH_MAX ? BENCH_MAX : n, .t0_us = mono_timer_now() };
    } else if (line[0] == '?') {
        serial_puts("mqtt state ");
        put_int((int)mqtt_state(&mq));
        serial_puts(" pending ");
        put_int((int)mqtt_pending(&mq));
        serial_puts(" connects ");
        put_int((int)connects);
        serial_puts(" error ");
        put_int(mqtt_last_error(&mq));
        end();
    } else {
        say("unknown", -EINVAL);
    }
    (void)mqtt_poll(&mq, (uint32_t)clock_uptime_ms());
}

/* Console bytes into lines; a line too long is dropped whole. */
static void read_console(void)
{
    static char line[80];
    static size_t len;
    static bool overlong;
    char c;
    while (serial_read(&c, 1) == 1) {
        if (c == '\r')
            continue;
        if (c == '\n') {
            line[len] = '\0';
            if (!overlong && len)
                command(line);
            len = 0;
            overlong = false;
        } else if (len < sizeof line - 1) {
            line[len++] = c;
        } else {
            overlong = true;
        }
    }
}

/* Sleep until INTn, the client's next deadline or the console poll. */
static void sleep_a_while(uint32_t wait_ms)
{
    if (wait_ms > CONSOLE_POLL_MS)
        wait_ms = CONSOLE_POLL_MS;
    unsigned key = cpu_irq_lock();
    if (!woken && wait_ms > 0) {
        clock_wake_at(clock_uptime_ms() + wait_ms);
        cpu_sleep_until_woken_locked();
    }
    cpu_irq_unlock(key);
    cpu_wake();
}

static void timer_unused(void) {}

int main(void)
{
    serial_puts("mqtt client\r\n");
    struct board_net wiring;
    int rc = board_net(&wiring); /* SPI2, CS PB12, INTn PC8, RSTn PC9 */
    w5500_cfg.spi = wiring.spi;
    w5500_cfg.intn = wiring.intn;
    w5500_cfg.rstn = wiring.rstn;
    if (rc == 0)
        rc = mono_timer_init(1, timer_unused);
    if (rc == 0)
        rc = w5500_init(&eth, &w5500_cfg);
    say("w5500", rc);
    eth.nif.event = net_event;

    struct dhcp_lease lease;
    rc = rc ? rc : dhcp_acquire(&eth.nif, &lease, 10000);
    serial_puts("mqtt dhcp ");
    put_int(rc);
    for (int i = 0; i < 4; i++) {
        serial_puts(i ? "." : " ");
        put_int(rc ? 0 : lease.ip.addr[i]);
    }
    end();

    for (;;) {
        woken = false;
        read_console();
        uint32_t now = (uint32_t)clock_uptime_ms();
        if (started) {
            if (bench.left && !bench.id && mqtt_state(&mq) == MQTT_CONNECTED)
                bench_publish();
            (void)mqtt_poll(&mq, now);
            if (bench.done && !bench.left && !bench.id) {
                bench_report();
                bench.done = 0;
            }
        }
        sleep_a_while(started ? mqtt_poll_in(&mq, (uint32_t)clock_uptime_ms()) : CONSOLE_POLL_MS);
    }
}
