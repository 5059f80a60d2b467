/*
 * Commands on quartz/<id>/cmd: one JSON object with exactly one member.
 *
 *   {"interval_s":S}       S an integer, 1..3600
 *   {"led":0} {"led":1}
 *   {"display":"on"} {"display":"off"}
 *   {"restart":true}
 *
 * Anything else is refused with a reason and changes nothing: text over
 * COMMAND_MAX_LEN bytes, text that is not strict JSON (lib/json: no
 * duplicate names, no trailing commas, valid UTF-8, ...), a value that is
 * not an object, no member or more than one, an unknown name, a wrong type
 * ("1", 1.0, 1e1, true for a number; 1 for true), a value out of range.
 * The reason is a fixed text naming the rule, never an echo of the input;
 * command_error_json() wraps it for quartz/<id>/error.
 */
#ifndef SENSOR_NODE_COMMAND_H
#define SENSOR_NODE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COMMAND_MAX_LEN 128u
#define COMMAND_INTERVAL_MIN 1
#define COMMAND_INTERVAL_MAX 3600

enum command_kind { COMMAND_INTERVAL = 1, COMMAND_LED, COMMAND_DISPLAY, COMMAND_RESTART };

struct command {
    enum command_kind kind;
    uint16_t interval_s; /* COMMAND_INTERVAL */
    bool on;             /* COMMAND_LED, COMMAND_DISPLAY */
};

/*
 * Parse `len` bytes of `text`. Returns 0 and fills `out`; or -EMSGSIZE
 * (too long), -EINVAL (not JSON, not an object, not one member, unknown
 * name, wrong type), -ERANGE (out of range), with `*reason` set to a
 * static text and `out` untouched.
 */
int command_parse(const char *text, size_t len, struct command *out, const char **reason);

/* {"error":"<reason>"}, NUL-terminated: its length, or -ENOSPC. */
int command_error_json(const char *reason, char *buf, size_t cap);

#endif
