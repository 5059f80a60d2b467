/* The fleet's UIDs and node ids (fleet.h). */
#include <stdio.h>
#include <string.h>

#include "fleet.h"
#include "identity.h"

/*
 * UID bytes as at 0x1FFF7A10: the node number (little-endian), "FLEE",
 * and a salt bumped until the node's id clashes with no earlier node's:
 * the id has 24 bits, so 500 nodes clash with a chance of about 0.7 %.
 */
int fleet_make_uids(struct fleet_node *nodes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct fleet_node *f = &nodes[i];
        for (uint32_t salt = 0;; salt++) {
            uint8_t *u = f->uid;
            for (int k = 0; k < 4; k++) {
                u[k] = (uint8_t)(i >> (8 * k));
                u[8 + k] = (uint8_t)(salt >> (8 * k));
            }
            memcpy(u + 4, "FLEE", 4);
            char id[IDENTITY_LEN + 1];
            if (identity_node_id(u, id, sizeof id) < 0)
                return -1;
            unsigned j = 0;
            while (j < i && strcmp(nodes[j].t.id, id) != 0)
                j++;
            if (j == i) {
                track_init(&f->t, id);
                break;
            }
            if (salt == 1000)
                return -1;
        }
        /* --uid: the most significant digit first, so uid[11] first. */
        for (int k = 0; k < 12; k++)
            snprintf(&f->uid_hex[2 * k], 3, "%02X", f->uid[11 - k]);
    }
    return 0;
}
