/*
 * The network rules of the W5500 model (w5500.h): --net-forward
 * SIMADDR[:PORT]=HOSTADDR[:PORT] and --net-allow ADDR[:PORT]. Apart from
 * the model so that the command-line parser links it alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quartzsim.h"
#include "w5500_rules.h"

/* "A.B.C.D" or "A.B.C.D:PORT" (port 1..65535); `port` NULL forbids the port. */
static int parse_address(const char *text, size_t len, uint32_t *ip, uint16_t *port)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return -EINVAL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *colon = strchr(buf, ':');
    *port = 0;
    if (colon) {
        char *end;
        errno = 0;
        long p = strtol(colon + 1, &end, 10);
        if (errno || end == colon + 1 || *end || p < 1 || p > 65535)
            return -EINVAL;
        *port = (uint16_t)p;
        *colon = '\0';
    }
    struct in_addr a;
    if (inet_pton(AF_INET, buf, &a) != 1)
        return -EINVAL;
    *ip = ntohl(a.s_addr);
    return 0;
}

int w5500_parse_forward(const char *text, struct w5500_rule *r)
{
    const char *eq = strchr(text, '=');
    if (!eq)
        return -EINVAL;
    memset(r, 0, sizeof *r);
    if (parse_address(text, (size_t)(eq - text), &r->sim_ip, &r->sim_port) != 0 ||
        parse_address(eq + 1, strlen(eq + 1), &r->host_ip, &r->host_port) != 0)
        return -EINVAL;
    if (!r->sim_port != !r->host_port)
        return -EINVAL; /* a port on one side only maps nothing definite */
    return 0;
}

int w5500_parse_allow(const char *text, struct w5500_rule *r)
{
    memset(r, 0, sizeof *r);
    if (parse_address(text, strlen(text), &r->sim_ip, &r->sim_port) != 0)
        return -EINVAL;
    r->host_ip = r->sim_ip;
    r->host_port = r->sim_port;
    return 0;
}

int qsim_net_check_forward(const char *text)
{
    struct w5500_rule r;
    return w5500_parse_forward(text, &r);
}

int qsim_net_check_allow(const char *text)
{
    struct w5500_rule r;
    return w5500_parse_allow(text, &r);
}
