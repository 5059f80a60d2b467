#include "debounce.h"

void debounce_init(struct debounce *d)
{
    *d = (struct debounce){ 0 };
}

bool debounce_edge(struct debounce *d, uint64_t now_ms)
{
    if (d->held) {
        d->ignored++;
        d->release_seen = false; /* contact activity: the release is not stable yet */
        return false;
    }
    d->held = true;
    d->release_seen = false;
    d->accepted_ms = now_ms;
    d->presses++;
    return true;
}

void debounce_sample(struct debounce *d, uint64_t now_ms, bool pressed)
{
    if (!d->held)
        return;
    if (pressed) {
        d->release_seen = false;
        return;
    }
    if (!d->release_seen) {
        d->release_seen = true;
        d->release_since = now_ms;
        return;
    }
    if (now_ms - d->release_since >= DEBOUNCE_RELEASE_MS &&
        now_ms - d->accepted_ms >= DEBOUNCE_LOCKOUT_MS)
        d->held = false;
}
