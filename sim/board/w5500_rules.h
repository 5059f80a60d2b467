/* The W5500 model's network rules (w5500_rules.c), apart so the command line links them alone. */
#ifndef SIM_BOARD_W5500_RULES_H
#define SIM_BOARD_W5500_RULES_H

#include <stdint.h>

/* One --net-forward (sim destination to host address) or --net-allow
 * (host = sim). Addresses in host byte order; port 0 = every port. */
struct w5500_rule {
    uint32_t sim_ip, host_ip;
    uint16_t sim_port, host_port;
};

/* Parses "10.0.2.2:1883=127.0.0.1:18830" (forward) or "1.2.3.4[:PORT]"
 * (allow) into `r`: 0 or -EINVAL. */
int w5500_parse_forward(const char *text, struct w5500_rule *r);
int w5500_parse_allow(const char *text, struct w5500_rule *r);

#endif
