/*
 * The kernel side of the sensor node (privileged code, kernel RAM):
 * netd.c is the network worker (W5500, DHCP, MQTT: a SYS_PROC_KERNEL
 * process), netd_state.c the state it shares with the image's device
 * nodes (node_dev.c): the backup-SRAM record, the outgoing notes, the
 * incoming commands, the configuration. Every access to that state goes
 * through these functions, each under cpu_irq_lock: the nodes run in the
 * SVC handler, which preempts the worker in thread mode.
 */
#ifndef SENSOR_NODE_NETD_H
#define SENSOR_NODE_NETD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "identity.h"
#include "node_abi.h"
#include "reading.h"
#include "sys_impl.h"

#define NETD_CONFIG_SECTOR 7u /* the last 128 KB sector: far from the code */

enum netd_note_kind { NETD_NOTE_EVENT, NETD_NOTE_ERROR };

struct netd_note {
    uint8_t kind; /* enum netd_note_kind */
    uint8_t len;
    char text[NODE_NOTE_MAX];
};

/* What the worker tells the nodes (written by the worker only; a change
 * of `state` wakes /dev/cmd's pollers, node_dev.c). */
struct netd_view {
    uint8_t state; /* NODE_STATE_* */
    uint8_t ip[4];
    int last_error; /* the broker connection's last error */
    uint32_t connects;
};

extern struct sys_waitq netd_wq; /* the worker waits here for work */
extern const struct sys_proc_desc netd_proc;
extern char netd_id[IDENTITY_LEN + 1];
extern struct netd_view netd_view;
/* The board's defaults (main.c): broker, credentials, name, interval. */
extern const struct config node_defaults;

/* Bring-up before the processes (thread mode): the id, the record, the config. */
void netd_state_init(void);
/* The worker has work (sets a flag and wakes it). */
void netd_kick(void);
bool netd_kicked_clear(void);
bool netd_kicked(void *ctx);

/* The record: a reading in (seq taken and buffered), the oldest out. */
uint32_t netd_reading_push(struct reading *r);
uint32_t netd_last_seq(void);
/* The oldest buffered reading with a seq after `seq` (any: the oldest of
 * all), looking at most `window` entries past the oldest: 0 or -ENOENT. */
int netd_reading_after(uint32_t seq, bool any, unsigned window, struct reading *r);
void netd_reading_acked(uint32_t seq); /* pops the oldest when it is `seq` */
/* The PUBLISH of every reading up to `seq` is in the W5500's next SEND
 * (netd.c before_send): after a reset, those are not published again
 * (netd_state.c). */
void netd_sent_mark(uint32_t seq);
unsigned netd_buffered(void);
uint32_t netd_dropped(void);
void netd_dropped_ack(uint32_t n);
/* The client holds (in flight, sent until PUBACK) the readings up to
 * `upto` (any: false, none): a full ring drops them uncounted. */
void netd_reading_held(bool any, uint32_t upto);
/* Held readings no longer in the ring whose holder went (a new client): lost, counted. */
void netd_dropped_add(uint32_t n);
uint32_t netd_next_seq(void);

/* Notes for the event and error topics, oldest first. */
int netd_note_put(enum netd_note_kind kind, const char *text, size_t len); /* 0, -EMSGSIZE, -ENOSPC */
bool netd_note_peek(struct netd_note *out);
void netd_note_drop(void);

/* Commands received on the cmd topic (too long ones kept as too long). */
void netd_cmd_put(const uint8_t *payload, uint32_t len);
int netd_cmd_take(char *buf, size_t cap); /* length, or -EAGAIN */
bool netd_cmd_ready(void);

/* The configuration: `edit` is what the shell changes, `active` what runs. */
const struct config *netd_config_active(void);
int netd_config_line(const char *line, char *reply, size_t cap);
unsigned netd_config_generation(void); /* counts the saves applied */
bool netd_config_from_flash(void);
int netd_set_interval(uint32_t s);
void netd_restart_request(void);
bool netd_restart_pending(void);

/* The status text of /dev/net (lines of at most 21 characters: the OLED's width). */
size_t netd_status_text(char *buf, size_t cap);

/* A line on the console from kernel code (waits for room in thread mode). */
void netd_log(const char *line);

#endif
