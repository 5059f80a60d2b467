/*
 * The scripted environment (env.h). Lookups are by time, not events: a
 * sensor asks for the value when it converts, so steps and table rows
 * cost nothing between conversions.
 */
#include "env.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool in_range(unsigned mask, struct sim_env_value v)
{
    if ((mask & SIM_ENV_T) && (v.t_mc < SIM_ENV_T_MIN_MC || v.t_mc > SIM_ENV_T_MAX_MC))
        return false;
    if ((mask & SIM_ENV_P) && (v.p_mpa < SIM_ENV_P_MIN_MPA || v.p_mpa > SIM_ENV_P_MAX_MPA))
        return false;
    if ((mask & SIM_ENV_H) && (v.h_mpct < SIM_ENV_H_MIN_MPCT || v.h_mpct > SIM_ENV_H_MAX_MPCT))
        return false;
    return true;
}

int sim_env_step(struct sim_env *e, uint64_t t_ps, unsigned mask, struct sim_env_value v)
{
    mask &= SIM_ENV_T | SIM_ENV_P | SIM_ENV_H;
    if (!mask || !in_range(mask, v))
        return -EINVAL;
    struct sim_env_step *grown = realloc(e->steps, (e->nsteps + 1) * sizeof *grown);
    if (!grown)
        return -ENOMEM;
    e->steps = grown;
    size_t at = e->nsteps;
    while (at > 0 && e->steps[at - 1].t_ps > t_ps)
        at--;
    memmove(&e->steps[at + 1], &e->steps[at], (e->nsteps - at) * sizeof *grown);
    e->steps[at] = (struct sim_env_step){t_ps, mask, v};
    e->nsteps++;
    return 0;
}

int sim_env_table(struct sim_env *e, const struct sim_env_row *rows, size_t n)
{
    if (n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!in_range(SIM_ENV_T | SIM_ENV_P | SIM_ENV_H, rows[i].v) || (i && rows[i].t_ps <= rows[i - 1].t_ps))
            return -EINVAL;
    struct sim_env_row *copy = malloc(n * sizeof *copy);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, rows, n * sizeof *copy);
    free(e->rows);
    e->rows = copy;
    e->nrows = n;
    return 0;
}

/* a + (b - a) * num / den, rounded to nearest, in 64 bits (num <= den). */
static int32_t lerp(int32_t a, int32_t b, uint64_t num, uint64_t den)
{
    /* num and den are picoseconds: scale both down so the product fits. */
    while (den > (1ull << 31)) {
        num >>= 1;
        den >>= 1;
    }
    int64_t d = ((int64_t)b - a) * (int64_t)num;
    int64_t half = (int64_t)den / 2;
    d = d >= 0 ? (d + half) / (int64_t)den : -((-d + half) / (int64_t)den);
    return (int32_t)(a + d);
}

static struct sim_env_value table_at(const struct sim_env *e, uint64_t t_ps)
{
    if (t_ps <= e->rows[0].t_ps)
        return e->rows[0].v;
    size_t i = 1;
    while (i < e->nrows && e->rows[i].t_ps < t_ps)
        i++;
    if (i == e->nrows)
        return e->rows[e->nrows - 1].v;
    const struct sim_env_row *a = &e->rows[i - 1], *b = &e->rows[i];
    uint64_t num = t_ps - a->t_ps, den = b->t_ps - a->t_ps;
    return (struct sim_env_value){lerp(a->v.t_mc, b->v.t_mc, num, den), lerp(a->v.p_mpa, b->v.p_mpa, num, den),
                                  lerp(a->v.h_mpct, b->v.h_mpct, num, den)};
}

struct sim_env_value sim_env_at(const struct sim_env *e, uint64_t t_ps)
{
    struct sim_env_value v = {SIM_ENV_DEFAULT_T_MC, SIM_ENV_DEFAULT_P_MPA, SIM_ENV_DEFAULT_H_MPCT};
    if (e->nrows)
        v = table_at(e, t_ps);
    for (size_t i = 0; i < e->nsteps && e->steps[i].t_ps <= t_ps; i++) {
        const struct sim_env_step *s = &e->steps[i];
        if (s->mask & SIM_ENV_T)
            v.t_mc = s->v.t_mc;
        if (s->mask & SIM_ENV_P)
            v.p_mpa = s->v.p_mpa;
        if (s->mask & SIM_ENV_H)
            v.h_mpct = s->v.h_mpct;
    }
    return v;
}

int sim_env_scripted(const struct sim_env *e) { return e->nsteps > 0 || e->nrows > 0; }

void sim_env_free(struct sim_env *e)
{
    free(e->steps);
    free(e->rows);
    e->steps = NULL;
    e->rows = NULL;
    e->nsteps = e->nrows = 0;
}
