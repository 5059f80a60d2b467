/*
 * The sensor node's kernel state (netd.h): the backup-SRAM record
 * (core/store.c), the notes waiting for the event and error topics, the
 * commands received, the configuration (core/config.c, flash sector
 * NETD_CONFIG_SECTOR). Kernel RAM, reached by the image's device nodes
 * (the SVC handler) and the network worker (thread mode); every function
 * takes cpu_irq_lock around what it touches, so neither sees the other's
 * half-done change. The longest lock is a store update: a header of 36
 * bytes with its CRC and one 15-byte entry into backup SRAM.
 */
#include <errno.h>
#include <string.h>

#include "cortex_m/intrinsics.h"
#include "dev.h"
#include "netd.h"
#include "quartz/cpu.h"
#include "quartz/hal/backup.h"
#include "quartz/hal/serial.h"
#include "quartz/hal/uid.h"
#include "store.h"
#include "text.h"

#define NOTES 4u
#define CMDS 4u
#define LOG_TRIES 50u /* 1 ms each: a full TX queue (256 bytes) drains in 22 ms at 115200 */

struct sys_waitq netd_wq;
char netd_id[IDENTITY_LEN + 1];
struct netd_view netd_view;

static struct store store;
static bool kicked;
static bool held_any;      /* netd_reading_held */
static uint32_t held_upto;

static struct netd_note notes[NOTES];
static uint32_t notes_head, notes_tail;

struct cmd_slot {
    uint8_t len; /* NODE_CMD_READ_MAX: longer than a command may be */
    char text[NODE_CMD_READ_MAX];
};
static struct cmd_slot cmds[CMDS];
static uint32_t cmds_head, cmds_tail;

static struct config active, edit;
static unsigned generation;
static bool from_flash, restart;

/*
 * The "sent" mark, in backup SRAM after the record: the newest seq whose
 * PUBLISH is in the W5500's SEND, written just before that command
 * (netd.c before_send). After a reset, the buffered readings up to it are
 * not published again, so a reset in the middle of a publish never gives
 * the broker a seq twice (MQTT QoS 1 alone would: the PUBACK may have
 * been on its way). The price, documented: a reset between this write
 * and the SEND command (one SPI write), or before a SEND the chip took
 * reached the broker, loses that round (at most the window, 4). A torn
 * mark (seq written, check
 * not) is invalid and skips nothing.
 */
#define SENT_MARK_AT 4032u /* after STORE_BYTES (3983), word-aligned */
#define SENT_MARK_KEY 0x53454e54u /* "SENT" */

struct sent_mark {
    uint32_t seq;
    uint32_t check; /* seq ^ SENT_MARK_KEY */
};
_Static_assert(SENT_MARK_AT >= STORE_BYTES, "the sent mark overlaps the record");

static volatile struct sent_mark *mark;

void netd_sent_mark(uint32_t seq)
{
    if (mark == NULL || mark->seq == seq)
        return;
    mark->seq = seq;
    mark->check = seq ^ SENT_MARK_KEY;
}

/* At boot: pops what the mark covers (only from a record that survived:
 * a fresh one restarts seq). Returns how many. */
static unsigned sent_mark_apply(uint8_t *base, size_t size, bool kept)
{
    if (size < SENT_MARK_AT + sizeof(struct sent_mark))
        return 0;
    mark = (volatile struct sent_mark *)(base + SENT_MARK_AT);
    unsigned n = 0;
    struct reading r;
    if (kept && mark->check == (mark->seq ^ SENT_MARK_KEY)) {
        while (store_get(&store, 0, &r) == 0 && (int32_t)(r.seq - mark->seq) <= 0 && store_pop(&store) == 0)
            n++;
    }
    return n;
}

void netd_state_init(void)
{
    uint8_t uid[CHIP_UID_BYTES];
    chip_uid(uid);
    (void)identity_node_id(uid, netd_id, sizeof netd_id);

    struct backup_ram ram;
    (void)backup_ram_enable(&ram); /* -ETIMEDOUT: usable while powered, said in the boot line */
    int rc = store_open(&store, ram.base, ram.size, NULL);
    unsigned skipped = sent_mark_apply((uint8_t *)ram.base, ram.size, rc == 0);

    from_flash = config_load(&active, &node_defaults, NETD_CONFIG_SECTOR) == 0;
    edit = active;

    char line[96];
    struct text t = text_on(line, sizeof line);
    text_s(&t, "node: ");
    text_s(&t, netd_id);
    text_s(&t, rc == 1 ? " fresh record" : " record kept");
    text_s(&t, ", next seq ");
    text_u(&t, store.cur.next_seq);
    text_s(&t, ", buffered ");
    text_u(&t, store_count(&store));
    text_s(&t, from_flash ? ", config from flash" : ", config defaults");
    netd_log(line);
    if (skipped) {
        t = text_on(line, sizeof line);
        text_s(&t, "node: ");
        text_u(&t, skipped);
        text_s(&t, " readings were on their way to the broker at the reset: not sent again");
        netd_log(line);
    }
}

void netd_kick(void)
{
    kicked = true;
    sys_wake_all(&netd_wq);
}

bool netd_kicked(void *ctx)
{
    (void)ctx;
    return kicked;
}

bool netd_kicked_clear(void)
{
    uint32_t key = cpu_irq_lock();
    bool was = kicked;
    kicked = false;
    cpu_irq_unlock(key);
    return was;
}

/* --- the record --- */

uint32_t netd_reading_push(struct reading *r)
{
    uint32_t key = cpu_irq_lock();
    r->seq = store_seq_take(&store);
    /* A seq just taken is above every buffered one. A full ring drops its
     * oldest; one the client holds is not lost, so not counted. */
    (void)store_push_held(&store, r, held_any, held_upto);
    cpu_irq_unlock(key);
    netd_kick();
    return r->seq;
}

uint32_t netd_last_seq(void)
{
    uint32_t key = cpu_irq_lock();
    uint32_t s = store.cur.next_seq - 1u;
    cpu_irq_unlock(key);
    return s;
}

uint32_t netd_next_seq(void)
{
    return store.cur.next_seq;
}

int netd_reading_after(uint32_t seq, bool any, unsigned window, struct reading *r)
{
    /* The ones in flight are the oldest buffered: the next is within
     * `window` entries of the head, so the walk stays short (store_get
     * walks the seq chain). */
    uint32_t key = cpu_irq_lock();
    int rc = -ENOENT;
    for (unsigned i = 0; i <= window && store_get(&store, i, r) == 0; i++) {
        if (!any || (int32_t)(r->seq - seq) > 0) {
            rc = 0;
            break;
        }
    }
    cpu_irq_unlock(key);
    return rc;
}

void netd_reading_acked(uint32_t seq)
{
    struct reading r;
    uint32_t key = cpu_irq_lock();
    /* The oldest may have left a full ring (uncounted: it was held) while
     * it was on its way. */
    if (store_get(&store, 0, &r) == 0 && r.seq == seq)
        (void)store_pop(&store);
    cpu_irq_unlock(key);
}

unsigned netd_buffered(void)
{
    return store_count(&store);
}

uint32_t netd_dropped(void)
{
    return store_dropped(&store);
}

void netd_dropped_ack(uint32_t n)
{
    uint32_t key = cpu_irq_lock();
    store_dropped_ack(&store, n);
    cpu_irq_unlock(key);
}

void netd_reading_held(bool any, uint32_t upto)
{
    uint32_t key = cpu_irq_lock();
    held_any = any;
    held_upto = upto;
    cpu_irq_unlock(key);
}

void netd_dropped_add(uint32_t n)
{
    uint32_t key = cpu_irq_lock();
    store_dropped_add(&store, n);
    cpu_irq_unlock(key);
}

/* --- notes --- */

int netd_note_put(enum netd_note_kind kind, const char *text, size_t len)
{
    if (len > NODE_NOTE_MAX)
        return -EMSGSIZE;
    uint32_t key = cpu_irq_lock();
    if (notes_head - notes_tail == NOTES) {
        cpu_irq_unlock(key);
        return -ENOSPC;
    }
    struct netd_note *n = &notes[notes_head % NOTES];
    n->kind = (uint8_t)kind;
    n->len = (uint8_t)len;
    memcpy(n->text, text, len);
    notes_head++;
    cpu_irq_unlock(key);
    netd_kick();
    return 0;
}

bool netd_note_peek(struct netd_note *out)
{
    uint32_t key = cpu_irq_lock();
    bool any = notes_head != notes_tail;
    if (any)
        *out = notes[notes_tail % NOTES];
    cpu_irq_unlock(key);
    return any;
}

void netd_note_drop(void)
{
    uint32_t key = cpu_irq_lock();
    if (notes_head != notes_tail)
        notes_tail++;
    cpu_irq_unlock(key);
}

/* --- commands --- */

void netd_cmd_put(const uint8_t *payload, uint32_t len)
{
    uint32_t key = cpu_irq_lock();
    if (cmds_head - cmds_tail == CMDS)
        cmds_tail++; /* the oldest unread goes: a flood must not block the network */
    struct cmd_slot *c = &cmds[cmds_head % CMDS];
    c->len = (uint8_t)(len > NODE_CMD_READ_MAX ? NODE_CMD_READ_MAX : len);
    memcpy(c->text, payload, c->len);
    cmds_head++;
    cpu_irq_unlock(key);
    sys_wake_all(&sys_button_wq); /* /dev/cmd's queue (node_dev.c) */
}

int netd_cmd_take(char *buf, size_t cap)
{
    uint32_t key = cpu_irq_lock();
    if (cmds_head == cmds_tail) {
        cpu_irq_unlock(key);
        return -EAGAIN;
    }
    struct cmd_slot *c = &cmds[cmds_tail % CMDS];
    size_t n = c->len < cap ? c->len : cap;
    memcpy(buf, c->text, n);
    cmds_tail++;
    cpu_irq_unlock(key);
    return (int)n;
}

bool netd_cmd_ready(void)
{
    return cmds_head != cmds_tail;
}

/* --- configuration --- */

const struct config *netd_config_active(void)
{
    return &active;
}

unsigned netd_config_generation(void)
{
    return generation;
}

bool netd_config_from_flash(void)
{
    return from_flash;
}

/* In the SVC handler: a save programs one 256-byte slot (about 1 ms) and
 * erases only a full sector (2 s, the whole CPU stalls: RM0390 3.5). */
int netd_config_line(const char *line, char *reply, size_t cap)
{
    int rc = config_shell(&edit, line, reply, cap);
    if (rc != CONFIG_SHELL_SAVE)
        return rc;
    rc = config_save(&edit, NETD_CONFIG_SECTOR);
    struct text t = text_on(reply, cap);
    if (rc < 0) {
        text_s(&t, "error: flash ");
        text_i(&t, rc);
        return rc;
    }
    uint32_t key = cpu_irq_lock();
    active = edit;
    generation++;
    cpu_irq_unlock(key);
    text_s(&t, "saved to flash sector ");
    text_u(&t, NETD_CONFIG_SECTOR);
    netd_log("config: saved, applied");
    netd_kick();
    return 0;
}

int netd_set_interval(uint32_t s)
{
    if (s < CONFIG_INTERVAL_MIN || s > CONFIG_INTERVAL_MAX)
        return -EINVAL;
    uint32_t key = cpu_irq_lock();
    active.interval_s = (uint16_t)s;
    edit.interval_s = (uint16_t)s;
    cpu_irq_unlock(key);
    return 0;
}

void netd_restart_request(void)
{
    restart = true;
    netd_kick();
}

bool netd_restart_pending(void)
{
    return restart;
}

/* --- status --- */

size_t netd_status_text(char *buf, size_t cap)
{
    struct netd_view v = netd_view;
    struct text t = text_on(buf, cap);
    text_s(&t, netd_id);
    text_s(&t, "\nlink ");
    text_s(&t, v.state & NODE_STATE_LINK ? "up" : "down");
    text_s(&t, "\ndhcp ");
    if (v.state & NODE_STATE_DHCP)
        text_ip(&t, v.ip);
    else
        text_s(&t, "none");
    text_s(&t, "\nbroker ");
    text_s(&t, v.state & NODE_STATE_BROKER ? "up" : v.state & NODE_STATE_REFUSED ? "refused" : "down");
    if (!(v.state & NODE_STATE_BROKER) && v.last_error != 0) {
        text_s(&t, " ");
        text_i(&t, v.last_error);
    }
    text_s(&t, "\n");
    text_ip(&t, active.broker_ip);
    text_s(&t, ":");
    text_u(&t, active.broker_port);
    text_s(&t, "\nbuffered ");
    text_u(&t, netd_buffered());
    text_s(&t, "\ndropped ");
    text_u(&t, netd_dropped());
    text_s(&t, "\nnext seq ");
    text_u(&t, store.cur.next_seq);
    text_s(&t, "\nconnects ");
    text_u(&t, v.connects);
    text_s(&t, "\n");
    return t.len;
}

void netd_log(const char *line)
{
    size_t n = strlen(line), done = 0;
    bool thread = sys_cur != NULL && sys_cur->control == 0u && __get_IPSR() == 0u;
    for (unsigned tries = 0; done < n && tries < LOG_TRIES; tries++) {
        done += serial_write(line + done, n - done);
        if (done < n && thread)
            sys_ksleep_us(1000u);
    }
    (void)serial_write("\r\n", 2);
}
