/*
 * netd: the sensor node's network worker, a kernel process
 * (SYS_PROC_KERNEL: privileged, thread mode, its own stack, like the
 * kernel's sensor worker in kernel/sys/dev_sensor.c). It owns the W5500
 * (drivers/w5500), the DHCP lease and the MQTT client (lib/mqtt); the
 * application process reaches it only through the image's device files
 * (node_dev.c), so a fault in the application ends that process and
 * nothing here.
 *
 * Readings: the /dev/env write has already buffered every reading in the
 * backup-SRAM record (netd_state.c); this worker publishes the oldest
 * buffered one at QoS 1 and pops it at its PUBACK, one at a time, so the
 * ring drains oldest first and a reading leaves the ring only once the
 * broker has it. The client keeps its session (clean session false): a
 * publish cut by a lost connection goes out again with DUP and the same
 * packet id after the reconnect (MQTT 3.1.1 section 4.4).
 *
 * It sleeps in sys_kwait_us until something needs it: the W5500's INTn
 * (the driver's event hook), a device node with work (netd_kick), the
 * client's next deadline (mqtt_poll_in), or the once-a-second link check.
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/nvic.h"
#include "dhcp.h"
#include "dev.h"
#include "netd.h"
#include "payload.h"
#include "quartz/board.h"
#include "quartz/hal/serial.h"
#include "quartz/mqtt.h"
#include "text.h"
#include "w5500.h"

#define NETD_STACK 4096u /* 1.9 KB used at the deepest seen (ps): DHCP messages, the client, a log line */
#define LINK_CHECK_MS 2000u /* the W5500 has no link interrupt (IR, datasheet 3.1) */
#define DHCP_TIMEOUT_MS 3000u
#define DHCP_RETRY_MS 5000u
#define DHCP_RENEW_TIMEOUT_MS 2000u
#define W5500_RETRY_MS 5000u
#define KEEPALIVE_S 15u
#define RESTART_WAIT_MS 500u /* for the "offline" status's PUBACK before a restart */
#define TOPIC_MAX 40u

struct netd_ram {
    uint8_t stack[NETD_STACK];
};
SYS_PROC_RAM(struct netd_ram, netd_ram, 4096);

static struct w5500_config eth_cfg = { .has_intn = true, .has_rstn = true };
static struct w5500 eth;
static struct dhcp_lease lease;
static bool have_lease, link_up;
static uint32_t dhcp_next_ms, link_next_ms;

static struct mqtt_client mq;
static struct mqtt_config mq_cfg;
static bool mq_started, mq_reconfig, mq_fresh; /* fresh: just (re)started, poll it */
static unsigned mq_generation;
/* The broker may send a command of any length: a PUBLISH over rx_buf is
 * read past by the client and handed over truncated (on_message refuses
 * it); the cmd topic is subscribed at QoS 0. */
static uint8_t rx_buf[1024], tx_buf[512], mq_store[1024];
static char t_env[TOPIC_MAX], t_status[TOPIC_MAX], t_event[TOPIC_MAX], t_error[TOPIC_MAX], t_cmd[TOPIC_MAX];
static char user[CONFIG_TEXT_MAX + 1], password[CONFIG_TEXT_MAX + 1];
static const uint8_t offline_msg[] = "offline";

/* Readings in flight at QoS 1, oldest first: a window of ENV_WINDOW, so
 * a backlog drains at ENV_WINDOW readings per round trip. PUBACKs come in
 * publish order (the client keeps them in order, spec 4.6). */
#define ENV_WINDOW 4u
struct env_flight {
    uint16_t id;
    bool acked;
    uint32_t seq;
};
static struct env_flight env_fl[ENV_WINDOW];
static unsigned env_n;          /* in flight */
static uint32_t env_last;       /* the newest seq handed to the client */
static bool env_any;            /* env_last is valid */
/* Other QoS 1 messages in flight (packet id 0: none). */
static uint16_t dropped_id, status_id;
static uint32_t dropped_n;

static void log_rc(const char *what, int rc)
{
    char line[80];
    struct text t = text_on(line, sizeof line);
    text_s(&t, what);
    text_i(&t, rc);
    netd_log(line);
}

static void topic(char *out, const char *leaf)
{
    struct text t = text_on(out, TOPIC_MAX);
    text_s(&t, "quartz/");
    text_s(&t, netd_id);
    text_s(&t, "/");
    text_s(&t, leaf);
}

static void view_state(uint8_t bit, bool on)
{
    uint8_t was = netd_view.state;
    netd_view.state = (uint8_t)(on ? was | bit : was & ~bit);
    if (netd_view.state != was)
        sys_wake_all(&sys_button_wq); /* the app redraws the OLED (/dev/cmd's poll, node_dev.c) */
}

static void on_net_event(void *ctx)
{
    (void)ctx;
    netd_kick(); /* from the INTn interrupt: the worker polls the chip */
}

/*
 * The "sent" mark (netd_state.c) is written here, in the driver, just
 * before the SEND command that puts the last byte of the client's
 * transmit buffer on the wire: every PUBLISH handed to the client so far
 * (env_last) is then in this SEND. A reset before the mark: the readings
 * go again after the reboot (the broker never had them); after it: they
 * are on the wire and not sent again. No window in which a PUBLISH is out
 * but not marked; the window in which one is marked but not out is the
 * one SPI write of the command (a few microseconds, docs/sensor-node.md).
 */
static void before_send(struct w5500 *w, int sock, size_t len)
{
    (void)w;
    if (env_any && mq_started && sock == mq.sock && mq.store_sent == mq.store_used
        && mq.tx_head + len == mq.tx_used)
        netd_sent_mark(env_last);
}

static void report_dropped(void)
{
    uint32_t n = netd_dropped();
    if (n == 0 || dropped_id != 0)
        return;
    char p[PAYLOAD_MAX];
    int len = payload_format_dropped(n, p, sizeof p);
    int rc = len < 0 ? len : mqtt_publish(&mq, t_event, p, (size_t)len, 1, false);
    if (rc > 0) {
        dropped_id = (uint16_t)rc;
        dropped_n = n;
        log_rc("mqtt: reporting dropped readings ", (int)n);
    }
}

/* A PUBACK for a reading: pop the readings acknowledged, oldest first. */
static bool env_ack(uint16_t id)
{
    unsigned i = 0;
    while (i < env_n && env_fl[i].id != id)
        i++;
    if (i == env_n)
        return false;
    env_fl[i].acked = true;
    unsigned done = 0;
    while (done < env_n && env_fl[done].acked)
        netd_reading_acked(env_fl[done++].seq);
    memmove(env_fl, env_fl + done, (env_n - done) * sizeof env_fl[0]);
    env_n -= done;
    return true;
}

static void on_event(void *ctx, const struct mqtt_event *ev)
{
    (void)ctx;
    char line[80];
    struct text t = text_on(line, sizeof line);
    switch (ev->kind) {
    case MQTT_EV_CONNECTED:
        netd_view.connects++;
        view_state(NODE_STATE_BROKER, true);
        text_s(&t, "mqtt: connected ");
        text_ip(&t, mq_cfg.broker.addr);
        text_s(&t, ":");
        text_u(&t, mq_cfg.broker.port);
        text_s(&t, " as ");
        text_s(&t, netd_id);
        netd_log(line);
        {
            int rc = mqtt_publish(&mq, t_status, "online", 6, 1, true);
            status_id = rc > 0 ? (uint16_t)rc : 0u;
        }
        (void)mqtt_subscribe(&mq, t_cmd, 0);
        break;
    case MQTT_EV_DISCONNECTED:
        view_state(NODE_STATE_BROKER, false);
        netd_view.last_error = ev->status;
        if (mq_reconfig) {
            netd_log("mqtt: disconnected, reconnecting with the saved configuration");
        } else if (mqtt_state(&mq) == MQTT_STOPPED && mq_started) {
            view_state(NODE_STATE_REFUSED, true);
            log_rc("mqtt: refused by the broker (check user/password), not retrying: ", ev->status);
        } else {
            log_rc("mqtt: disconnected ", ev->status);
        }
        break;
    case MQTT_EV_PUBACK:
        if (env_ack(ev->id)) {
        } else if (ev->id == dropped_id) {
            netd_dropped_ack(dropped_n);
            dropped_id = 0;
        } else if (ev->id == status_id) {
            status_id = 0;
        }
        break;
    case MQTT_EV_SUBACK:
        text_s(&t, ev->status < 0 ? "mqtt: subscription refused " : "mqtt: subscribed ");
        text_s(&t, t_cmd);
        netd_log(line);
        break;
    case MQTT_EV_UNSUBACK:
        break;
    }
}

static void on_message(void *ctx, const struct mqtt_message *m)
{
    (void)ctx;
    size_t n = strlen(t_cmd);
    if (m->topic_len != n || memcmp(m->topic, t_cmd, n) != 0)
        return;
    /* Too long for rx_buf (m->truncated): its head is still longer than
     * a command may be (NODE_CMD_READ_MAX), so the application refuses
     * it on quartz/<id>/error like any other too-long one. */
    static const uint8_t too_long[NODE_CMD_READ_MAX] = { 0 };
    if (m->truncated && m->payload_len < NODE_CMD_READ_MAX)
        netd_cmd_put(too_long, NODE_CMD_READ_MAX);
    else
        netd_cmd_put(m->payload, m->payload_len);
}

/* (Re)start the client on the active configuration. */
static void mqtt_start(uint32_t now)
{
    const struct config *c = netd_config_active();
    mq_generation = netd_config_generation();
    strcpy(user, c->user);
    strcpy(password, c->password);
    mq_cfg = (struct mqtt_config){
        .broker = { { c->broker_ip[0], c->broker_ip[1], c->broker_ip[2], c->broker_ip[3] }, c->broker_port },
        .connect = {
            .client_id = netd_id,
            .username = user[0] ? user : NULL,
            .password = password[0] ? password : NULL,
            .will_topic = t_status,
            .will_msg = offline_msg,
            .will_len = sizeof offline_msg - 1u,
            .will_qos = 1,
            .will_retain = true,
            .clean_session = false,
            .keepalive_s = KEEPALIVE_S,
        },
        .connect_timeout_ms = 5000,
        .backoff_min_ms = 1000,
        .backoff_max_ms = 8000,
        .rx_buf = rx_buf, .rx_len = sizeof rx_buf,
        .tx_buf = tx_buf, .tx_len = sizeof tx_buf,
        .store = mq_store, .store_len = sizeof mq_store,
        .on_message = on_message,
        .on_event = on_event,
    };
    /* A new client: what was in flight goes again from the ring; what a
     * full ring let go because the old client held it is lost now. */
    struct reading oldest;
    bool any = netd_reading_after(0, false, 0, &oldest) == 0;
    unsigned lost = 0;
    for (unsigned i = 0; i < env_n; i++)
        if (!env_fl[i].acked && (!any || (int32_t)(env_fl[i].seq - oldest.seq) < 0))
            lost++;
    netd_dropped_add(lost);
    env_n = 0;
    env_any = false;
    netd_reading_held(false, 0);
    dropped_id = status_id = 0;
    view_state(NODE_STATE_REFUSED | NODE_STATE_BROKER, false);
    int rc = mqtt_init(&mq, &eth.nif, &mq_cfg, now);
    mq_started = rc == 0;
    mq_fresh = true;
    if (rc < 0)
        log_rc("mqtt: config refused by the client ", rc);
}

/* The oldest buffered reading, the notes, the dropped count: what can go now. */
static void publish_work(void)
{
    if (mqtt_state(&mq) != MQTT_CONNECTED)
        return;
    report_dropped();
    struct reading r;
    while (env_n < ENV_WINDOW && netd_reading_after(env_last, env_any, ENV_WINDOW, &r) == 0) {
        char p[PAYLOAD_MAX];
        int len = payload_format(&r, p, sizeof p);
        int rc = len < 0 ? len : mqtt_publish(&mq, t_env, p, (size_t)len, 1, false);
        if (rc == -ENOBUFS)
            break; /* after PUBACKs */
        env_last = r.seq;
        env_any = true;
        netd_reading_held(true, env_last);
        if (rc > 0) {
            env_fl[env_n++] = (struct env_flight){ (uint16_t)rc, false, r.seq };
        } else {
            log_rc("mqtt: reading not publishable, dropped: ", rc);
            netd_reading_acked(r.seq);
        }
    }
    struct netd_note n;
    while (netd_note_peek(&n)) {
        const char *to = n.kind == NETD_NOTE_EVENT ? t_event : t_error;
        int rc = mqtt_publish(&mq, to, n.text, n.len, 1, false);
        if (rc == -ENOBUFS)
            break; /* after PUBACKs */
        netd_note_drop();
    }
}

static void restart_now(void)
{
    netd_log("node: restart (command)");
    if (mq_started && mqtt_state(&mq) == MQTT_CONNECTED) {
        int rc = mqtt_publish(&mq, t_status, offline_msg, sizeof offline_msg - 1u, 1, true);
        status_id = rc > 0 ? (uint16_t)rc : 0u;
        uint32_t start = sys_ms();
        while (status_id != 0 && sys_ms() - start < RESTART_WAIT_MS) {
            (void)mqtt_poll(&mq, sys_ms());
            sys_ksleep_us(2000u);
        }
    }
    (void)serial_drain();
    nvic_system_reset();
}

static void check_link(uint32_t now)
{
    if ((int32_t)(now - link_next_ms) < 0)
        return;
    link_next_ms = now + LINK_CHECK_MS;
    bool up = net_link(&eth.nif) == 1;
    if (up != link_up)
        netd_log(up ? "net: link up" : "net: link down");
    link_up = up;
    view_state(NODE_STATE_LINK, up);
}

static void check_dhcp(uint32_t now)
{
    if (have_lease) {
        int rc = dhcp_renew_if_due(&eth.nif, &lease, DHCP_RENEW_TIMEOUT_MS);
        if (rc < 0)
            log_rc("net: dhcp renewal failed ", rc);
        return;
    }
    if (!link_up || (int32_t)(now - dhcp_next_ms) < 0)
        return;
    int rc = dhcp_acquire(&eth.nif, &lease, DHCP_TIMEOUT_MS);
    if (rc < 0) {
        dhcp_next_ms = sys_ms() + DHCP_RETRY_MS;
        log_rc("net: dhcp failed ", rc);
        return;
    }
    have_lease = true;
    memcpy(netd_view.ip, lease.ip.addr, 4);
    view_state(NODE_STATE_DHCP, true);
    char line[48];
    struct text t = text_on(line, sizeof line);
    text_s(&t, "net: dhcp ");
    text_ip(&t, lease.ip.addr);
    netd_log(line);
}

static int bring_up(void)
{
    struct board_net wiring;
    int rc = board_net(&wiring); /* SPI2, CS PB12, INTn PC8, RSTn PC9 */
    if (rc == 0) {
        eth_cfg.spi = wiring.spi;
        eth_cfg.intn = wiring.intn;
        eth_cfg.rstn = wiring.rstn;
        /* A locally administered MAC from the node id (02:51:75 and its 24 bits). */
        static const uint8_t oui[3] = { 0x02, 0x51, 0x75 };
        memcpy(eth_cfg.mac, oui, 3);
        for (int i = 0; i < 3; i++) {
            const char *h = netd_id + sizeof IDENTITY_PREFIX - 1u + 2 * i;
            uint8_t b = 0;
            for (int k = 0; k < 2; k++)
                b = (uint8_t)(b * 16u + (uint8_t)(h[k] <= '9' ? h[k] - '0' : h[k] - 'a' + 10));
            eth_cfg.mac[3 + i] = b;
        }
        rc = w5500_init(&eth, &eth_cfg);
    }
    if (rc == 0) {
        eth.nif.event = on_net_event;
        eth.before_send = before_send;
        netd_log("net: w5500 ready");
    }
    return rc;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static void netd_main(uint32_t starts)
{
    (void)starts;
    topic(t_env, "env");
    topic(t_status, "status");
    topic(t_event, "event");
    topic(t_error, "error");
    topic(t_cmd, "cmd");
    int rc;
    while ((rc = bring_up()) < 0) {
        log_rc("net: no w5500, retrying in 5 s: ", rc);
        sys_kwait_us(&netd_wq, netd_kicked, NULL, W5500_RETRY_MS * 1000u);
        (void)netd_kicked_clear();
        if (netd_restart_pending())
            restart_now();
    }
    for (;;) {
        bool kicked = netd_kicked_clear();
        if (netd_restart_pending())
            restart_now();
        uint32_t now = sys_ms();
        check_link(now);
        check_dhcp(now);
        now = sys_ms();
        if (have_lease && (!mq_started || mq_generation != netd_config_generation())) {
            mq_reconfig = true;
            if (mq_started && mqtt_state(&mq) == MQTT_CONNECTED) {
                (void)mqtt_disconnect(&mq); /* DISCONNECT: no will (spec 3.14.4) */
                (void)mqtt_poll(&mq, now);
            }
            if (mq_started && mqtt_state(&mq) != MQTT_STOPPED)
                (void)mqtt_disconnect(&mq); /* not sent in one poll, or not connected: the socket closes now */
            mq_started = false;
            mqtt_start(now);
            mq_reconfig = false;
        }
        uint32_t wait = min_u32(LINK_CHECK_MS, link_next_ms - now);
        /* The client only when something happened (INTn, a node's work)
         * or its timer is due: a wake-up for the link check alone costs one
         * SPI read. */
        if (mq_started && (kicked || mqtt_poll_in(&mq, now) == 0 || mq_fresh)) {
            mq_fresh = false;
            (void)mqtt_poll(&mq, now);
            publish_work();
            (void)mqtt_poll(&mq, sys_ms()); /* the sent mark: before_send */
        }
        if (mq_started)
            wait = min_u32(wait, mqtt_poll_in(&mq, sys_ms()));
        if (!have_lease && link_up)
            wait = min_u32(wait, dhcp_next_ms - now);
        if (wait > 0)
            (void)sys_kwait_us(&netd_wq, netd_kicked, NULL, wait * 1000u);
    }
}

const struct sys_proc_desc netd_proc = {
    .name = "netd",
    .entry = netd_main,
    .ram = &netd_ram,
    .ram_size = sizeof netd_ram,
    .stack_size = NETD_STACK,
    .prio = 3,
    .flags = SYS_PROC_KERNEL | SYS_PROC_RESTART,
};
