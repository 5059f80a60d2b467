/*
 * The sensor node's own device files, as the application process sees
 * them (docs/sensor-node.md, "Device files"). The kernel side is
 * netd.c and node_dev.c; the app and the console process use only these
 * paths, quartz/sys.h and core/reading.h.
 */
#ifndef SENSOR_NODE_ABI_H
#define SENSOR_NODE_ABI_H

#include "reading.h"

#define NODE_DEV_ENV "/dev/env"       /* write: one struct reading (seq filled in); read: "<last seq>\n" */
#define NODE_DEV_EVENT "/dev/event"   /* write: one JSON payload for quartz/<id>/event */
#define NODE_DEV_ERROR "/dev/error"   /* write: one JSON payload for quartz/<id>/error */
#define NODE_DEV_CMD "/dev/cmd"       /* read: one payload received on quartz/<id>/cmd (blocks) */
#define NODE_DEV_NET "/dev/net"       /* read: the status text; ioctl NODE_IOC_* */
#define NODE_DEV_CONFIG "/dev/config" /* write: a config shell line; read: its reply */

/* A payload written to /dev/event or /dev/error, at most. */
#define NODE_NOTE_MAX 96u
/* A command payload as read from /dev/cmd: one byte more than a command
 * may have, so a longer one reads as too long. */
#define NODE_CMD_READ_MAX 129u

/* ioctl requests of /dev/net and /dev/cmd (the app keeps /dev/cmd open) */
#define NODE_IOC_INTERVAL 0x300u     /* () -> the sampling interval in s */
#define NODE_IOC_SET_INTERVAL 0x301u /* (s, 1..3600) this boot's interval (`save` keeps it) */
#define NODE_IOC_RESTART 0x302u      /* () reset the node (the will tells the broker) */
#define NODE_IOC_STATE 0x303u        /* () -> NODE_STATE_* bits | buffered count << 8 */
#define NODE_IOC_LAST_SEQ 0x304u     /* () -> the seq of the last reading written to /dev/env */

#define NODE_STATE_LINK 0x1u
#define NODE_STATE_DHCP 0x2u
#define NODE_STATE_BROKER 0x4u
#define NODE_STATE_REFUSED 0x8u /* the broker refused the credentials: stopped */

#endif
