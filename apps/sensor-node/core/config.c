/* The configuration record in flash (config.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "crc32.h"
#include "quartz/hal/flash.h"

#define MAGIC 0x47464351u /* "QCFG" little-endian */
#define TEXT_BYTES (CONFIG_TEXT_MAX + 1u)
#define AT_GEN 8u
#define AT_IP 12u
#define AT_PORT 16u
#define AT_INTERVAL 18u
#define AT_USER 20u
#define AT_PASSWORD (AT_USER + TEXT_BYTES)
#define AT_NAME (AT_PASSWORD + TEXT_BYTES)
#define AT_CRC (AT_NAME + TEXT_BYTES)
#define RECORD_BYTES (AT_CRC + 4u) /* 123 */
#define PROGRAM_BYTES ((RECORD_BYTES + 3u) & ~3u) /* whole words */

static void put_le(uint8_t *p, uint32_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint32_t get_le(const uint8_t *p, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
           ch == '_' || ch == '-';
}

/* A NUL-terminated text of min..CONFIG_TEXT_MAX characters, each passing `ok`. */
static bool text_valid(const char *s, size_t min, bool (*ok)(char))
{
    size_t n = strnlen(s, TEXT_BYTES);
    if (n < min || n > CONFIG_TEXT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ok(s[i]))
            return false;
    return true;
}

static bool password_char(char ch)
{
    return ch > ' ' && ch <= '~';
}

bool config_valid(const struct config *c)
{
    if (c->broker_port == 0 || c->interval_s < CONFIG_INTERVAL_MIN || c->interval_s > CONFIG_INTERVAL_MAX)
        return false;
    if (!text_valid(c->user, 0, name_char) || !text_valid(c->password, 0, password_char) ||
        !text_valid(c->name, 1, name_char))
        return false;
    return c->user[0] != '\0' || c->password[0] == '\0'; /* a password needs a user */
}

static void encode(const struct config *c, uint32_t gen, uint8_t rec[PROGRAM_BYTES])
{
    memset(rec, 0xFF, PROGRAM_BYTES);
    put_le(rec, MAGIC, 4);
    put_le(rec + 4, CONFIG_VERSION, 2);
    put_le(rec + 6, RECORD_BYTES, 2);
    put_le(rec + AT_GEN, gen, 4);
    memcpy(rec + AT_IP, c->broker_ip, 4);
    put_le(rec + AT_PORT, c->broker_port, 2);
    put_le(rec + AT_INTERVAL, c->interval_s, 2);
    memset(rec + AT_USER, 0, 3u * TEXT_BYTES);
    memcpy(rec + AT_USER, c->user, strnlen(c->user, CONFIG_TEXT_MAX));
    memcpy(rec + AT_PASSWORD, c->password, strnlen(c->password, CONFIG_TEXT_MAX));
    memcpy(rec + AT_NAME, c->name, strnlen(c->name, CONFIG_TEXT_MAX));
    put_le(rec + AT_CRC, crc32_ieee(rec, AT_CRC), 4);
}

static bool decode(const uint8_t rec[PROGRAM_BYTES], struct config *c, uint32_t *gen)
{
    if (get_le(rec, 4) != MAGIC || get_le(rec + 4, 2) != CONFIG_VERSION || get_le(rec + 6, 2) != RECORD_BYTES ||
        get_le(rec + AT_CRC, 4) != crc32_ieee(rec, AT_CRC))
        return false;
    struct config d;
    memcpy(d.broker_ip, rec + AT_IP, 4);
    d.broker_port = (uint16_t)get_le(rec + AT_PORT, 2);
    d.interval_s = (uint16_t)get_le(rec + AT_INTERVAL, 2);
    memcpy(d.user, rec + AT_USER, TEXT_BYTES);
    memcpy(d.password, rec + AT_PASSWORD, TEXT_BYTES);
    memcpy(d.name, rec + AT_NAME, TEXT_BYTES);
    if (d.user[CONFIG_TEXT_MAX] != '\0' || d.password[CONFIG_TEXT_MAX] != '\0' || d.name[CONFIG_TEXT_MAX] != '\0' ||
        !config_valid(&d))
        return false;
    *c = d;
    *gen = get_le(rec + AT_GEN, 4);
    return true;
}

/* What a scan of the sector found. */
struct scan {
    int latest;      /* slot of the newest valid record, -1 none */
    uint32_t gen;    /* its generation */
    int next_free;   /* first erased slot after every programmed one, -1 full */
    struct config config;
};

static bool erased(const uint8_t *p, size_t n, uint8_t value)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return false;
    return true;
}

static int scan(unsigned sector, struct scan *out)
{
    const struct flash_layout *l = flash_layout();
    if (sector >= l->count)
        return -EINVAL;
    const struct flash_sector *sec = &l->sectors[sector];
    unsigned slots = sec->size / CONFIG_SLOT_BYTES;
    out->latest = -1;
    out->next_free = 0;
    for (unsigned i = 0; i < slots; i++) {
        uint8_t rec[PROGRAM_BYTES];
        int rc = flash_read(sec->addr + i * CONFIG_SLOT_BYTES, rec, sizeof rec);
        if (rc != 0)
            return rc;
        if (erased(rec, sizeof rec, l->erased))
            continue;
        out->next_free = (int)i + 1;
        struct config c;
        uint32_t gen;
        if (decode(rec, &c, &gen) && (out->latest < 0 || (int32_t)(gen - out->gen) > 0)) {
            out->latest = (int)i;
            out->gen = gen;
            out->config = c;
        }
    }
    if (out->next_free >= (int)slots)
        out->next_free = -1;
    return 0;
}

int config_load(struct config *out, const struct config *defaults, unsigned sector)
{
    struct scan s;
    int rc = scan(sector, &s);
    if (rc != 0)
        return rc;
    if (s.latest < 0) {
        *out = *defaults;
        return 1;
    }
    *out = s.config;
    return 0;
}

static bool same(const struct config *a, const struct config *b)
{
    return memcmp(a->broker_ip, b->broker_ip, 4) == 0 && a->broker_port == b->broker_port &&
           a->interval_s == b->interval_s && strcmp(a->user, b->user) == 0 &&
           strcmp(a->password, b->password) == 0 && strcmp(a->name, b->name) == 0;
}

int config_save(const struct config *c, unsigned sector)
{
    if (!config_valid(c))
        return -EINVAL;
    struct scan s;
    int rc = scan(sector, &s);
    if (rc != 0)
        return rc;
    if (s.latest >= 0 && same(&s.config, c))
        return 0;
    uint32_t gen = s.latest >= 0 ? s.gen + 1u : 0u;
    if (s.next_free < 0) {
        rc = flash_erase_sector(sector);
        if (rc != 0)
            return rc;
        s.next_free = 0;
    }
    uint8_t rec[PROGRAM_BYTES];
    encode(c, gen, rec);
    uint32_t addr = flash_layout()->sectors[sector].addr + (uint32_t)s.next_free * CONFIG_SLOT_BYTES;
    return flash_program(addr, rec, sizeof rec);
}
