/*
 * libquartzsim: the W5500 and its simulated network from qsim_options
 * (docs/networking.md), apart from api.c.
 */
#include <errno.h>
#include <string.h>

#include "board/w5500.h"
#include "core/core.h"

/*
 * The W5500 and its network (docs/networking.md). The DHCP lease is
 * 10.0.2.15, or with a --uid of its own an address from 10.0.2.16..215
 * that the UID picks, so boards of a fleet on one broker differ.
 */
int core_w5500_attach(struct qsim *s)
{
    struct w5500_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (s->opt.n_net_forwards + s->opt.n_net_allows > W5500_MAX_RULES)
        return -EINVAL;
    for (size_t i = 0; i < s->opt.n_net_forwards; i++)
        if (w5500_parse_forward(s->opt.net_forwards[i], &cfg.rules[cfg.nrules++]) != 0)
            return -EINVAL;
    for (size_t i = 0; i < s->opt.n_net_allows; i++)
        if (w5500_parse_allow(s->opt.net_allows[i], &cfg.rules[cfg.nrules++]) != 0)
            return -EINVAL;
    cfg.lease_ip = W5500_NET_LEASE;
    if (s->opt.uid_given) {
        uint32_t h = 2166136261u; /* FNV-1a over the 12 bytes */
        for (size_t i = 0; i < sizeof s->opt.uid; i++)
            h = (h ^ s->opt.uid[i]) * 16777619u;
        cfg.lease_ip = (W5500_NET_GATEWAY & W5500_NET_MASK) | (16u + h % 200u);
    }
    cfg.lease_s = s->opt.net_lease_s;
    cfg.wait_bound_ns = s->opt.net_wait_ns;
    return nucleo_w5500_attach(s->board, &cfg);
}
