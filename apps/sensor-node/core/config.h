/*
 * The node's configuration: the broker (IPv4 address and port), MQTT
 * credentials, a node name and the sampling interval. Defaults come from
 * board data (the caller's const struct config); changes from the console
 * shell (config_shell) are kept in one flash sector through
 * quartz/hal/flash.h.
 *
 * Flash record: the sector is a row of CONFIG_SLOT_BYTES slots written in
 * order, one record per save, so a save programs a slot and erases nothing
 * until the sector is full (512 saves in a 128 KB sector; an erase stalls
 * the CPU for up to 2 s). A slot:
 *
 *   0   magic "QCFG"     4   version (u16)   6  record bytes (u16)
 *   8   generation (u32)
 *   12  broker IPv4 (4)  16  port (u16)      18 interval_s (u16)
 *   20  user (33, NUL-padded)  53  password (33)  86  name (33)
 *   119 CRC-32 (crc32.h) of bytes 0..118
 *   123 unprogrammed to the slot's end
 *
 * The valid slot with the highest generation wins. A save torn by a reset
 * leaves a slot whose CRC fails; load skips it and the previous record
 * stands; the next save takes the next erased slot. Only when the sector
 * is full does a save erase it first: a reset between that erase and the
 * program leaves no record, and the defaults apply.
 */
#ifndef SENSOR_NODE_CONFIG_H
#define SENSOR_NODE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_TEXT_MAX 32u /* user, password, name */
#define CONFIG_SLOT_BYTES 256u
#define CONFIG_VERSION 1u
#define CONFIG_INTERVAL_MIN 1u
#define CONFIG_INTERVAL_MAX 3600u

struct config {
    uint8_t broker_ip[4];
    uint16_t broker_port;                /* 1..65535 */
    uint16_t interval_s;                 /* CONFIG_INTERVAL_MIN..MAX */
    char user[CONFIG_TEXT_MAX + 1];      /* "" = anonymous; [A-Za-z0-9._-] */
    char password[CONFIG_TEXT_MAX + 1];  /* "" only with no user; printable, no space */
    char name[CONFIG_TEXT_MAX + 1];      /* 1..32 of [A-Za-z0-9._-] */
};

/* Every field within its rule above (strings NUL-terminated in their arrays). */
bool config_valid(const struct config *c);

/*
 * The latest valid record of flash sector `sector` into `out`: 0; 1 when
 * there is none (or the defaults are newer in version) and `out` holds
 * `defaults`; -EINVAL for a sector the chip does not have.
 */
int config_load(struct config *out, const struct config *defaults, unsigned sector);

/*
 * Append `c` as the newest record (nothing written when it equals the
 * latest one): 0, -EINVAL for an invalid config or sector, or the flash
 * error (-EIO, -EPERM, -ETIMEDOUT, -EBUSY).
 */
int config_save(const struct config *c, unsigned sector);

/*
 * One console line: "show", "save", "set broker A.B.C.D:PORT",
 * "set user NAME", "set password WORD", "set anonymous", "set name NAME",
 * "set interval S". Changes `c` only when the whole line is valid, and
 * writes a reply (NUL-terminated, cut to `cap`) into `out`. Returns 0,
 * CONFIG_SHELL_SAVE when the caller should config_save() `c`, or -EINVAL
 * (the reply says why).
 */
#define CONFIG_SHELL_SAVE 1
#define CONFIG_SHELL_LINE_MAX 80u
int config_shell(struct config *c, const char *line, char *out, size_t cap);

#endif
