/*
 * Exception observer (quartzsim.h qsim_set_exc_hook): exc.c reports every
 * entry, return and tail-chain with the cycle count at the boundary, so a
 * front end can time handlers entry-to-return without stop points.
 */
#include "core/core.h"

void qsim_set_exc_hook(struct qsim *s, qsim_exc_fn fn, void *ctx)
{
    s->exc_hook = fn;
    s->exc_hook_ctx = ctx;
}

const char *qsim_exc_name(int exc)
{
    return core_exc_name(exc);
}

void core_exc_hook(struct qsim *s, enum qsim_exc_event ev, int exc, uint64_t cycles)
{
    if (s->exc_hook)
        s->exc_hook(s->exc_hook_ctx, ev, exc, cycles);
}
