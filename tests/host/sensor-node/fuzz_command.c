/*
 * libFuzzer target for the cmd topic's parser (command.c on lib/json):
 * any input is taken or refused without a fault (ASan, UBSan); a refusal
 * leaves the command untouched with a known reason; what is taken is in
 * range, and its canonical text parses to the same command; an input over
 * the length limit is never taken.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

static size_t canonical(const struct command *c, char *buf, size_t cap)
{
    switch (c->kind) {
    case COMMAND_INTERVAL: return (size_t)snprintf(buf, cap, "{\"interval_s\":%u}", c->interval_s);
    case COMMAND_LED: return (size_t)snprintf(buf, cap, "{\"led\":%d}", c->on ? 1 : 0);
    case COMMAND_DISPLAY: return (size_t)snprintf(buf, cap, "{\"display\":\"%s\"}", c->on ? "on" : "off");
    case COMMAND_RESTART: return (size_t)snprintf(buf, cap, "{\"restart\":true}");
    }
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct command c, before;
    memset(&c, 0x5A, sizeof c);
    before = c;
    const char *why = NULL;
    int rc = command_parse((const char *)data, size, &c, &why);
    if (rc != 0) {
        CHECK(rc == -EINVAL || rc == -ERANGE || rc == -EMSGSIZE);
        CHECK(why != NULL && strlen(why) > 0 && strlen(why) < 64);
        CHECK(memcmp(&c, &before, sizeof c) == 0);
        char err[96];
        CHECK(command_error_json(why, err, sizeof err) > 0);
        return 0;
    }
    CHECK(size <= COMMAND_MAX_LEN);
    CHECK(c.kind >= COMMAND_INTERVAL && c.kind <= COMMAND_RESTART);
    if (c.kind == COMMAND_INTERVAL)
        CHECK(c.interval_s >= COMMAND_INTERVAL_MIN && c.interval_s <= COMMAND_INTERVAL_MAX);
    char text[64];
    size_t n = canonical(&c, text, sizeof text);
    struct command again;
    CHECK(command_parse(text, n, &again, &why) == 0);
    CHECK(again.kind == c.kind && again.on == c.on && again.interval_s == c.interval_s);
    return 0;
}
