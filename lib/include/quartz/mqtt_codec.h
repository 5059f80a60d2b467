/*
 * MQTT 3.1.1 packets (OASIS Standard, 29 October 2014; sections cited as
 * "spec x.y"): encoders into a caller's buffer, a streaming decoder that
 * takes bytes as they come, and checked parsers for what a server sends a
 * client. No I/O and no state besides the decoder's; the client
 * (quartz/mqtt.h) is built on it.
 *
 * Encoders return the packet's length, or -ENOBUFS when it does not fit
 * `cap` (nothing useful is left in `buf` then), or -EINVAL for a field the
 * protocol cannot carry (a string over 65535 bytes, QoS 2 or more, packet
 * id 0, a remaining length over 268435455).
 */
#ifndef QUARTZ_MQTT_CODEC_H
#define QUARTZ_MQTT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Control packet types, spec 2.2.1 Table 2.1 (the high nibble of byte 1). */
enum mqtt_type {
    MQTT_CONNECT = 1,
    MQTT_CONNACK = 2,
    MQTT_PUBLISH = 3,
    MQTT_PUBACK = 4,
    MQTT_PUBREC = 5,
    MQTT_PUBREL = 6,
    MQTT_PUBCOMP = 7,
    MQTT_SUBSCRIBE = 8,
    MQTT_SUBACK = 9,
    MQTT_UNSUBSCRIBE = 10,
    MQTT_UNSUBACK = 11,
    MQTT_PINGREQ = 12,
    MQTT_PINGRESP = 13,
    MQTT_DISCONNECT = 14,
};

/* PUBLISH fixed-header flags, spec 3.3.1. */
#define MQTT_PUBLISH_DUP 0x08u
#define MQTT_PUBLISH_QOS_SHIFT 1
#define MQTT_PUBLISH_RETAIN 0x01u

#define MQTT_REMAINING_MAX 268435455u /* 4 bytes of 7 bits, spec 2.2.3 */
#define MQTT_SUBACK_FAILURE 0x80u     /* spec 3.9.3 */

/* CONNACK return codes, spec 3.2.2.3 Table 3.1. */
#define MQTT_CONNACK_ACCEPTED 0u
#define MQTT_CONNACK_PROTOCOL 1u
#define MQTT_CONNACK_IDENTIFIER 2u
#define MQTT_CONNACK_UNAVAILABLE 3u
#define MQTT_CONNACK_CREDENTIALS 4u
#define MQTT_CONNACK_NOT_AUTHORIZED 5u

/* Remaining length (spec 2.2.3) into `out`: returns 1..4 bytes written, or
 * -EINVAL over MQTT_REMAINING_MAX. */
int mqtt_encode_remaining(uint8_t out[4], uint32_t len);

struct mqtt_connect {
    const char *client_id; /* may be "" (then clean_session must be set, spec 3.1.3.1) */
    const char *username;  /* NULL: no user name */
    const char *password;  /* NULL: none; needs a user name (spec 3.1.2.9) */
    const char *will_topic; /* NULL: no will */
    const uint8_t *will_msg;
    uint16_t will_len;
    uint8_t will_qos; /* 0 or 1 */
    bool will_retain;
    bool clean_session;
    uint16_t keepalive_s;
};

int mqtt_encode_connect(uint8_t *buf, size_t cap, const struct mqtt_connect *c);
/* `id` is ignored at QoS 0. */
int mqtt_encode_publish(uint8_t *buf, size_t cap, const char *topic, const void *payload, size_t len,
                        unsigned qos, bool retain, bool dup, uint16_t id);
/* One topic filter per SUBSCRIBE. */
int mqtt_encode_subscribe(uint8_t *buf, size_t cap, uint16_t id, const char *filter, unsigned qos);
int mqtt_encode_unsubscribe(uint8_t *buf, size_t cap, uint16_t id, const char *filter);
int mqtt_encode_puback(uint8_t *buf, size_t cap, uint16_t id);
int mqtt_encode_pingreq(uint8_t *buf, size_t cap);
int mqtt_encode_disconnect(uint8_t *buf, size_t cap);

/*
 * Streaming decoder. It asks for the bytes it needs next (mqtt_decoder_want:
 * where to put them and how many at most) and is told how many came
 * (mqtt_decoder_advance), so a transport read can go straight into the
 * packet buffer and may stop at any byte: a partial fixed header or a
 * remaining length split over reads is kept in the decoder, never lost.
 *
 * The first byte is checked at once against what a server may send a
 * client (mqtt_check_first_byte), the remaining length as it arrives (a
 * fifth length byte, a length over `cap`): both end in -EPROTO before any
 * body byte is stored, so nothing is written past `buf + cap`.
 */
struct mqtt_decoder {
    uint8_t *buf;
    uint32_t cap;
    uint32_t remaining; /* body length, once the fixed header is complete */
    uint32_t have;      /* body bytes read (stored, or skipped past `keep`) */
    uint32_t keep;      /* a PUBLISH longer than cap: the bytes kept (cap / 2), 0 otherwise */
    uint8_t first;      /* fixed header byte 1 */
    uint8_t len_bytes;  /* remaining-length bytes seen */
    uint8_t stage;      /* decoder.c: first byte, length, body, done, failed */
    uint8_t scratch;    /* where a header byte lands */
};

struct mqtt_packet {
    uint8_t first; /* type << 4 | flags */
    uint32_t len;  /* the bytes at body: the kept head when truncated */
    const uint8_t *body;
    bool truncated; /* a PUBLISH longer than the buffer: the rest was read past */
};

void mqtt_decoder_init(struct mqtt_decoder *d, uint8_t *buf, uint32_t cap);
/* Start the next packet (after mqtt_decoder_advance returned 1 or an error). */
void mqtt_decoder_reset(struct mqtt_decoder *d);
/* How many bytes to read next (>= 1) and where to store them. */
size_t mqtt_decoder_want(struct mqtt_decoder *d, uint8_t **dst);
/* `n` (1..want) bytes were stored: returns 1 when a packet is complete (see
 * mqtt_decoder_packet), 0 when more are needed, or -EPROTO. */
int mqtt_decoder_advance(struct mqtt_decoder *d, size_t n);
void mqtt_decoder_packet(const struct mqtt_decoder *d, struct mqtt_packet *p);
/* Feed bytes from memory (tests, fuzzing): consumes up to the end of the
 * first complete packet; *used says how many. Same results as advance. */
int mqtt_decoder_feed(struct mqtt_decoder *d, const uint8_t *data, size_t len, size_t *used);

/* 0 when `first` is a packet type and flags a server may send this client,
 * which never asks for QoS 2: CONNACK, PUBLISH at QoS 0/1, PUBACK, SUBACK,
 * UNSUBACK, PINGRESP with the flags of spec 2.2.2 Table 2.2; else -EPROTO. */
int mqtt_check_first_byte(uint8_t first);

/* Parsers for complete packets; each returns 0 or -EPROTO (wrong type,
 * length, reserved bits or values). */
int mqtt_parse_connack(const struct mqtt_packet *p, bool *session_present, uint8_t *code);

struct mqtt_publish_in {
    const char *topic; /* not NUL-terminated */
    uint16_t topic_len;
    const uint8_t *payload;
    uint32_t payload_len;
    uint16_t id; /* 0 at QoS 0 */
    uint8_t qos;
    bool retain;
    bool dup;
};
int mqtt_parse_publish(const struct mqtt_packet *p, struct mqtt_publish_in *out);
/* PUBACK or UNSUBACK: the packet id (never 0). */
int mqtt_parse_ack(const struct mqtt_packet *p, uint16_t *id);
/* SUBACK for one topic filter asked at QoS 0 or 1: its return code, 0, 1 or
 * MQTT_SUBACK_FAILURE (2 was never asked for). */
int mqtt_parse_suback(const struct mqtt_packet *p, uint16_t *id, uint8_t *code);

#endif
