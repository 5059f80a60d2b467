/*
 * quartz-sim command line: the network options (docs/networking.md):
 * --w5500, --net-forward SIM=HOST, --net-allow ADDR, --link up|down@TIME,
 * --net-lease TIME, --net-wait TIME.
 * Any of them attaches the W5500 on SPI2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "quartzsim.h"

#define CLI_MAX_NET_RULES 16 /* W5500_MAX_RULES */

static int cli_add_rule(struct cli_options *o, const char *value)
{
    if (o->n_net_forwards + o->n_net_allows >= CLI_MAX_NET_RULES)
        return -ENOSPC;
    bool forward = strchr(value, '=') != NULL;
    const char ***list = forward ? &o->net_forwards : &o->net_allows;
    size_t *n = forward ? &o->n_net_forwards : &o->n_net_allows;
    const char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return -ENOMEM;
    grown[(*n)++] = value;
    *list = grown;
    return 0;
}

int cli_net(struct cli_options *o, struct cli_event *link, const char *opt, const char *value, char *err,
            size_t errlen)
{
    o->w5500 = true;
    if (!value) /* --w5500 */
        return 0;
    if (strcmp(opt, "--net-forward") == 0) {
        if (qsim_net_check_forward(value) != 0)
            return cli_fail(err, errlen, "%s: expected SIMADDR:PORT=HOSTADDR:PORT (e.g. 10.0.2.2:1883=127.0.0.1:18830), "
                            "got '%s'", opt, value);
    } else if (strcmp(opt, "--net-lease") == 0) {
        uint64_t ns;
        int rc = cli_time(opt, value, &ns, err, errlen);
        if (rc)
            return rc;
        if (ns < 1000000000ull || ns / 1000000000ull > UINT32_MAX)
            return cli_fail(err, errlen, "%s: '%s' is not 1s..%us", opt, value, UINT32_MAX);
        o->net_lease_s = (uint32_t)(ns / 1000000000ull);
        return 0;
    } else if (strcmp(opt, "--net-wait") == 0) {
        int rc = cli_time(opt, value, &o->net_wait_ns, err, errlen);
        if (rc == 0 && (o->net_wait_ns == 0 || o->net_wait_ns > 60000000000ull))
            return cli_fail(err, errlen, "%s: '%s' is not 1ns..60s", opt, value);
        return rc;
    } else if (strcmp(opt, "--net-allow") == 0) {
        if (qsim_net_check_allow(value) != 0)
            return cli_fail(err, errlen, "%s: expected ADDR or ADDR:PORT (e.g. 192.0.2.7:80), got '%s'", opt, value);
    } else {
        const char *at = strchr(value, '@');
        size_t n = at ? (size_t)(at - value) : 0;
        bool up = n == 2 && strncasecmp(value, "up", 2) == 0;
        if (!at || !(up || (n == 4 && strncasecmp(value, "down", 4) == 0)))
            return cli_fail(err, errlen, "%s: expected up@TIME or down@TIME, got '%s'", opt, value);
        link->value = up;
        return cli_time(opt, at + 1, &link->t_ns, err, errlen);
    }
    int rc = cli_add_rule(o, value);
    if (rc == -ENOSPC)
        return cli_fail(err, errlen, "%s: more than %d forward and allow rules", opt, CLI_MAX_NET_RULES);
    return rc ? cli_fail(err, errlen, "out of memory") : 0;
}
