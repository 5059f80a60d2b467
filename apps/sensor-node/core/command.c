/* The cmd topic's commands (command.h), on lib/json. */
#include "command.h"

#include <errno.h>
#include <string.h>

#include "quartz/json.h"

/* One object, one name, one value: three tokens. A fourth means more
 * than one value, refused either way. */
#define TOKENS 4

static int refuse(const char **reason, const char *why, int rc)
{
    *reason = why;
    return rc;
}

static int parse_value(const struct json_doc *d, int name, int value, struct command *c, const char **reason)
{
    if (json_string_is(d, name, "interval_s")) {
        int32_t s;
        int rc = json_get_int(d, value, COMMAND_INTERVAL_MIN, COMMAND_INTERVAL_MAX, &s);
        if (rc == -ERANGE)
            return refuse(reason, "interval_s must be 1..3600", -ERANGE);
        if (rc != 0)
            return refuse(reason, "interval_s must be an integer", -EINVAL);
        c->kind = COMMAND_INTERVAL;
        c->interval_s = (uint16_t)s;
        return 0;
    }
    if (json_string_is(d, name, "led")) {
        int32_t v;
        int rc = json_get_int(d, value, 0, 1, &v);
        if (rc == -ERANGE)
            return refuse(reason, "led must be 0 or 1", -ERANGE);
        if (rc != 0)
            return refuse(reason, "led must be the integer 0 or 1", -EINVAL);
        c->kind = COMMAND_LED;
        c->on = v == 1;
        return 0;
    }
    if (json_string_is(d, name, "display")) {
        if (d->tok[value].type != JSON_STRING)
            return refuse(reason, "display must be \"on\" or \"off\"", -EINVAL);
        if (json_string_is(d, value, "on"))
            c->on = true;
        else if (json_string_is(d, value, "off"))
            c->on = false;
        else
            return refuse(reason, "display must be \"on\" or \"off\"", -ERANGE);
        c->kind = COMMAND_DISPLAY;
        return 0;
    }
    if (json_string_is(d, name, "restart")) {
        bool b;
        if (json_get_bool(d, value, &b) != 0 || !b)
            return refuse(reason, "restart must be true", -EINVAL);
        c->kind = COMMAND_RESTART;
        return 0;
    }
    return refuse(reason, "unknown command", -EINVAL);
}

int command_parse(const char *text, size_t len, struct command *out, const char **reason)
{
    if (len > COMMAND_MAX_LEN)
        return refuse(reason, "command too long", -EMSGSIZE);
    struct json_token tok[TOKENS];
    struct json_doc d;
    int rc = json_parse(&d, text, len, tok, TOKENS);
    if (rc == -ENOMEM)
        return refuse(reason, "command has too many values", -EINVAL);
    if (rc != 0)
        return refuse(reason, "command is not JSON", -EINVAL);
    if (tok[0].type != JSON_OBJECT)
        return refuse(reason, "command must be an object", -EINVAL);
    if (tok[0].size != 1)
        return refuse(reason, "command must be one member", -EINVAL);
    struct command c = { 0 };
    rc = parse_value(&d, 1, 2, &c, reason);
    if (rc == 0)
        *out = c;
    return rc;
}

int command_error_json(const char *reason, char *buf, size_t cap)
{
    static const char head[] = "{\"error\":\"", tail[] = "\"}";
    /* The reasons are fixed texts; only their quotes need escaping. */
    size_t r = strlen(reason), quotes = 0;
    for (size_t i = 0; i < r; i++)
        quotes += reason[i] == '"';
    size_t n = sizeof head - 1 + r + quotes + sizeof tail - 1;
    if (n >= cap) {
        if (cap > 0)
            buf[0] = '\0';
        return -ENOSPC;
    }
    size_t o = sizeof head - 1;
    memcpy(buf, head, o);
    for (size_t i = 0; i < r; i++) {
        if (reason[i] == '"')
            buf[o++] = '\\';
        buf[o++] = reason[i];
    }
    memcpy(buf + o, tail, sizeof tail);
    return (int)n;
}
