/* The console's config commands (config.h, config_shell): a pure function
 * of the line and the working config, for the OS layer's shell to call. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "quartz/fmt.h"

#define MAX_WORDS 3

struct reply {
    char *buf;
    size_t cap, len;
};

static void say(struct reply *r, const char *s)
{
    size_t n = strlen(s);
    if (r->cap == 0)
        return;
    size_t room = r->cap - 1u - r->len;
    if (n > room)
        n = room; /* cut, as the contract says */
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    r->buf[r->len] = '\0';
}

static void say_u(struct reply *r, uint32_t v)
{
    char d[12];
    if (fmt_u64(d, sizeof d, v) > 0)
        say(r, d);
}

static int fail(struct reply *r, const char *why)
{
    r->len = 0;
    if (r->cap > 0)
        r->buf[0] = '\0';
    say(r, "error: ");
    say(r, why);
    return -EINVAL;
}

/* A decimal of 1..`digits` digits, no leading zero, at most `max`. */
static bool number(const char **p, unsigned digits, uint32_t max, uint32_t *out)
{
    const char *s = *p;
    uint32_t v = 0;
    unsigned n = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (n == digits)
            return false;
        v = v * 10u + (uint32_t)(s[n] - '0');
        n++;
    }
    if (n == 0 || (n > 1 && s[0] == '0') || v > max)
        return false;
    *p = s + n;
    *out = v;
    return true;
}

/* "A.B.C.D:PORT" exactly. */
static bool parse_broker(const char *s, uint8_t ip[4], uint16_t *port)
{
    uint32_t v;
    for (int i = 0; i < 4; i++) {
        if (!number(&s, 3, 255, &v))
            return false;
        ip[i] = (uint8_t)v;
        if (*s++ != (i < 3 ? '.' : ':'))
            return false;
    }
    if (!number(&s, 5, 65535, &v) || v == 0 || *s != '\0')
        return false;
    *port = (uint16_t)v;
    return true;
}

static bool set_text(char *field, const char *value)
{
    size_t n = strlen(value);
    if (n > CONFIG_TEXT_MAX)
        return false;
    memcpy(field, value, n + 1u);
    return true;
}

static int set(struct config *c, int nwords, char words[MAX_WORDS][CONFIG_SHELL_LINE_MAX + 1], struct reply *r)
{
    struct config next = *c;
    const char *what = words[1], *value = words[2];
    if (nwords == 2 && strcmp(what, "anonymous") == 0) {
        next.user[0] = next.password[0] = '\0';
    } else if (nwords != 3) {
        return fail(r, "usage: set broker|user|password|name|interval VALUE, or set anonymous");
    } else if (strcmp(what, "broker") == 0) {
        if (!parse_broker(value, next.broker_ip, &next.broker_port))
            return fail(r, "broker must be A.B.C.D:PORT (port 1..65535)");
    } else if (strcmp(what, "interval") == 0) {
        uint32_t s;
        const char *p = value;
        if (!number(&p, 4, CONFIG_INTERVAL_MAX, &s) || *p != '\0' || s < CONFIG_INTERVAL_MIN)
            return fail(r, "interval must be 1..3600 seconds");
        next.interval_s = (uint16_t)s;
    } else if (strcmp(what, "user") == 0 || strcmp(what, "name") == 0) {
        char *field = what[0] == 'u' ? next.user : next.name;
        if (!set_text(field, value))
            return fail(r, "at most 32 characters");
    } else if (strcmp(what, "password") == 0) {
        if (!set_text(next.password, value))
            return fail(r, "at most 32 characters");
    } else {
        return fail(r, "unknown setting");
    }
    if (!config_valid(&next))
        return fail(r, "names take A-Z a-z 0-9 . _ -, a password needs a user");
    *c = next;
    say(r, "ok");
    return 0;
}

static void show(const struct config *c, struct reply *r)
{
    say(r, "broker ");
    for (int i = 0; i < 4; i++) {
        say_u(r, c->broker_ip[i]);
        say(r, i < 3 ? "." : ":");
    }
    say_u(r, c->broker_port);
    say(r, "\nuser ");
    say(r, c->user[0] != '\0' ? c->user : "(anonymous)");
    say(r, "\npassword ");
    say(r, c->password[0] != '\0' ? "(set)" : "(none)");
    say(r, "\nname ");
    say(r, c->name);
    say(r, "\ninterval ");
    say_u(r, c->interval_s);
    say(r, " s");
}

int config_shell(struct config *c, const char *line, char *out, size_t cap)
{
    struct reply r = { out, cap, 0 };
    if (cap > 0)
        out[0] = '\0';
    size_t len = strnlen(line, CONFIG_SHELL_LINE_MAX + 1u);
    if (len > CONFIG_SHELL_LINE_MAX)
        return fail(&r, "line too long");
    char words[MAX_WORDS][CONFIG_SHELL_LINE_MAX + 1];
    int nwords = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)line[i] < ' ' || (unsigned char)line[i] > '~')
            return fail(&r, "unprintable character");
        if (line[i] == ' ') {
            i++;
            continue;
        }
        if (nwords == MAX_WORDS)
            return fail(&r, "too many words");
        size_t n = 0;
        while (i < len && line[i] != ' ' && (unsigned char)line[i] >= ' ' && (unsigned char)line[i] <= '~')
            words[nwords][n++] = line[i++];
        words[nwords++][n] = '\0';
    }
    if (nwords == 0)
        return fail(&r, "empty line");
    if (strcmp(words[0], "show") == 0 && nwords == 1) {
        show(c, &r);
        return 0;
    }
    if (strcmp(words[0], "save") == 0 && nwords == 1) {
        if (!config_valid(c))
            return fail(&r, "config invalid, not saved");
        say(&r, "saving");
        return CONFIG_SHELL_SAVE;
    }
    if (strcmp(words[0], "set") == 0 && nwords >= 2)
        return set(c, nwords, words, &r);
    return fail(&r, "commands: show, save, set");
}
