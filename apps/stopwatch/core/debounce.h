/*
 * Push-button debounce that acts on the FIRST edge of a press.
 *
 * The original stopwatch had no debounce, so one bouncy press could start
 * and stop it. Waiting for the contact to settle would delay the start and
 * stop instants by the debounce window; instead the first falling edge is
 * accepted at once (its time is the press time), and the button is re-armed
 * only after it has been seen released for DEBOUNCE_RELEASE_MS and at least
 * DEBOUNCE_LOCKOUT_MS have passed. Edges in between (press and release
 * bounce) are ignored.
 */
#ifndef STOPWATCH_DEBOUNCE_H
#define STOPWATCH_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#define DEBOUNCE_RELEASE_MS 20u
#define DEBOUNCE_LOCKOUT_MS 50u

struct debounce {
    bool held;              /* a press was accepted, not yet re-armed */
    bool release_seen;      /* released since release_since */
    uint64_t accepted_ms;   /* time of the accepted (first) edge */
    uint64_t release_since; /* first released sample of the current release */
    uint32_t presses;       /* accepted presses */
    uint32_t ignored;       /* edges ignored as bounce */
};

void debounce_init(struct debounce *d);

/* A press edge (falling, active low) at now_ms. True: a new press, act on it now. */
bool debounce_edge(struct debounce *d, uint64_t now_ms);

/* Periodic sample of the button level (at least every 10 ms). */
void debounce_sample(struct debounce *d, uint64_t now_ms, bool pressed);

#endif
