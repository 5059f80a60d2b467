/* The client test rig (rig.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"

struct rig rig;

#define EVENTS (sizeof rig.events / sizeof rig.events[0])

static void on_message(void *ctx, const struct mqtt_message *m)
{
    struct rig *r = ctx;
    assert_true(r->nmsgs < sizeof r->msgs / sizeof r->msgs[0]);
    struct rig_msg *out = &r->msgs[r->nmsgs++];
    assert_true(m->topic_len < sizeof out->topic && m->payload_len <= sizeof out->payload);
    memcpy(out->topic, m->topic, m->topic_len);
    out->topic[m->topic_len] = '\0';
    memcpy(out->payload, m->payload, m->payload_len);
    out->len = m->payload_len;
    out->qos = m->qos;
    out->dup = m->dup;
    out->retain = m->retain;
    out->truncated = m->truncated;
    if (r->reply_armed) {
        /* Fill what is left of the transmit buffer: topic "reply" (7 bytes
         * with its length), a 2-byte remaining length. */
        static const uint8_t filler[512];
        uint32_t room = r->cfg.tx_len - (r->c.tx_used - r->c.tx_head);
        r->reply = mqtt_publish(&r->c, "reply", filler, room - 3 - 7, 0, false);
        r->reply_armed = false;
    }
}

static void on_event(void *ctx, const struct mqtt_event *ev)
{
    struct rig *r = ctx;
    r->events[r->nevents++ % EVENTS] = *ev;
}

void rig_init(bool clean_session, uint16_t keepalive_s)
{
    memset(&rig, 0, sizeof rig);
    fake_net_init(&rig.net);
    rig.cfg = (struct mqtt_config){
        .broker = { { 10, 0, 2, 2 }, 1883 },
        .connect = { .client_id = "quartz", .clean_session = clean_session, .keepalive_s = keepalive_s },
        .connect_timeout_ms = RIG_CONNECT_TIMEOUT,
        .backoff_min_ms = RIG_BACKOFF_MIN,
        .backoff_max_ms = RIG_BACKOFF_MAX,
        .rx_buf = rig.rx, .rx_len = sizeof rig.rx,
        .tx_buf = rig.tx, .tx_len = sizeof rig.tx,
        .store = rig.store, .store_len = sizeof rig.store,
        .on_message = on_message,
        .on_event = on_event,
        .ctx = &rig,
    };
    assert_int_equal(mqtt_init(&rig.c, &rig.net.nif, &rig.cfg, 0), 0);
}

int rig_poll(uint32_t now)
{
    rig.now = now;
    return mqtt_poll(&rig.c, now);
}

void rig_connect(uint32_t now, bool session)
{
    fake_new_connection(&rig.net);
    assert_int_equal(rig_poll(now), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNACK_WAIT);
    assert_int_equal(fake_count_type(&rig.net, MQTT_CONNECT), 1);
    uint8_t connect[FAKE_TX_MAX];
    (void)fake_take_tx(&rig.net, connect, sizeof connect);
    const uint8_t connack[] = { 0x20, 2, session, 0 };
    fake_push(&rig.net, connack, sizeof connack);
    assert_int_equal(rig_poll(now), 0);
    assert_int_equal(mqtt_state(&rig.c), MQTT_CONNECTED);
    const struct mqtt_event *ev = rig_last_event(MQTT_EV_CONNECTED);
    assert_non_null(ev);
    assert_int_equal(ev->status, session);
}

unsigned rig_count_events(enum mqtt_event_kind kind)
{
    unsigned n = 0;
    for (unsigned i = 0; i < rig.nevents && i < EVENTS; i++) {
        n += rig.events[i].kind == kind;
    }
    return n;
}

const struct mqtt_event *rig_last_event(enum mqtt_event_kind kind)
{
    for (unsigned i = rig.nevents; i-- > 0 && rig.nevents - i <= EVENTS;) {
        if (rig.events[i % EVENTS].kind == kind) {
            return &rig.events[i % EVENTS];
        }
    }
    return NULL;
}
