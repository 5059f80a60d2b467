/*
 * The sensor node's device files (node_abi.h), added to the kernel's
 * registry as the image's own table (sys_image_devs, kernel/sys/dev.c).
 * They run in the SVC handler of the calling process, on buffers the
 * kernel has already checked against the caller's region, and touch the
 * node's kernel state only through netd.h.
 */
#include <errno.h>
#include <string.h>

#include "dev.h"
#include "netd.h"
#include "quartz/fmt.h"

/* --- /dev/env: write one struct reading; read the last seq --- */

static int env_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    if (len != sizeof(struct reading))
        return -EINVAL;
    struct reading r;
    memcpy(&r, buf, sizeof r);
    r.flags &= READING_SENSOR_OK | READING_DIE_OK;
    (void)netd_reading_push(&r);
    return (int)len;
}

static int env_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    char text[16];
    size_t n = fmt_u64(text, sizeof text - 1u, netd_last_seq());
    text[n++] = '\n';
    return sys_dev_text(f, buf, len, text, n);
}

static const struct sys_dev_ops env_ops = { .read = env_read, .write = env_write };

/* --- /dev/event, /dev/error: one payload per write --- */

static int note_write(enum netd_note_kind kind, const uint8_t *buf, size_t len)
{
    int rc = netd_note_put(kind, (const char *)buf, len);
    return rc < 0 ? rc : (int)len;
}

static int event_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    return note_write(NETD_NOTE_EVENT, buf, len);
}

static int error_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    (void)f;
    return note_write(NETD_NOTE_ERROR, buf, len);
}

static const struct sys_dev_ops event_ops = { .write = event_write };
static const struct sys_dev_ops error_ops = { .write = error_write };

/* --- /dev/cmd: one received command payload per read ---
 *
 * sys_poll takes one fd, and the app waits for three things: a command,
 * a B1 edge, a change of the network state (for the OLED). So the node's
 * wait queue is the button's (the EXTI handler wakes it, and so do
 * netd_cmd_put and a state change, netd.h), and its poll says readable
 * for any of the three: the app sleeps until one of them, or its next
 * sample, and never polls on a timer. */

static uint8_t state_seen; /* netd_view.state when the app last asked (NODE_IOC_STATE) */

static int cmd_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    (void)f;
    if (len < NODE_CMD_READ_MAX)
        return -EINVAL; /* a short buffer would cut a command into a different one */
    return netd_cmd_take((char *)buf, len);
}

static int cmd_poll(struct sys_file *f)
{
    bool any = netd_cmd_ready() || netd_view.state != state_seen || sys_dev_button_ops.poll(f) > 0;
    return any ? (int)SYS_POLLIN : 0;
}

static int node_ioctl(struct sys_file *f, uint32_t request, uint32_t value);
static const struct sys_dev_ops cmd_ops = { .read = cmd_read, .poll = cmd_poll, .ioctl = node_ioctl };

/* --- /dev/net: the status text; the node's ioctls --- */

static int net_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    char text[200];
    size_t n = netd_status_text(text, sizeof text);
    return sys_dev_text(f, buf, len, text, n);
}

static int node_ioctl(struct sys_file *f, uint32_t request, uint32_t value)
{
    (void)f;
    switch (request) {
    case NODE_IOC_INTERVAL:
        return netd_config_active()->interval_s;
    case NODE_IOC_SET_INTERVAL:
        return netd_set_interval(value);
    case NODE_IOC_RESTART:
        netd_restart_request();
        return 0;
    case NODE_IOC_LAST_SEQ:
        return (int)(netd_last_seq() & 0x7FFFFFFFu);
    case NODE_IOC_STATE: {
        state_seen = netd_view.state;
        unsigned buffered = netd_buffered();
        return (int)(netd_view.state | (buffered > 0xFFFFu ? 0xFFFFu : buffered) << 8);
    }
    default:
        return -ENOTTY;
    }
}

static const struct sys_dev_ops net_ops = { .read = net_read, .ioctl = node_ioctl };

/* --- /dev/config: a config shell line in, its reply out --- */

static char config_reply[160];

static int config_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    char line[CONFIG_SHELL_LINE_MAX + 2];
    if (len > CONFIG_SHELL_LINE_MAX)
        return -EMSGSIZE;
    memcpy(line, buf, len);
    line[len] = '\0';
    (void)netd_config_line(line, config_reply, sizeof config_reply);
    f->pos = 0; /* the reply is read from its start */
    return (int)len;
}

static int config_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    return sys_dev_text(f, buf, len, config_reply, strlen(config_reply));
}

static const struct sys_dev_ops config_ops = { .read = config_read, .write = config_write };

const struct sys_dev sys_image_devs[] = {
    { NODE_DEV_ENV, &env_ops, NULL },
    { NODE_DEV_EVENT, &event_ops, NULL },
    { NODE_DEV_ERROR, &error_ops, NULL },
    { NODE_DEV_CMD, &cmd_ops, &sys_button_wq },
    { NODE_DEV_NET, &net_ops, NULL },
    { NODE_DEV_CONFIG, &config_ops, NULL },
};
const unsigned sys_image_dev_count = sizeof sys_image_devs / sizeof sys_image_devs[0];

void sys_image_devs_init(void)
{
    netd_state_init();
}
