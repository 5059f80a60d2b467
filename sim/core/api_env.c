/*
 * libquartzsim (quartzsim.h): the scripted environment and the BME280
 * that measures it (sim/board/env.h, sim/board/bme280.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "board/bme280.h"
#include "board/env.h"
#include "core/core.h"

_Static_assert(QSIM_ENV_T == SIM_ENV_T && QSIM_ENV_P == SIM_ENV_P && QSIM_ENV_H == SIM_ENV_H,
               "quartzsim.h and sim/board/env.h name the quantities alike");

int core_bme280_attach(struct qsim *s)
{
    switch (s->opt.bme280_bus) {
    case QSIM_BME280_I2C1:
        return nucleo_bme280_attach_i2c(s->board, s->opt.bme280_address ? s->opt.bme280_address : BME280_I2C_ADDRESS);
    case QSIM_BME280_SPI1:
    case QSIM_BME280_SPI2:
        return nucleo_bme280_attach_spi(s->board, s->opt.bme280_bus == QSIM_BME280_SPI1 ? 1 : 2,
                                        s->opt.bme280_cs_port, s->opt.bme280_cs_pin);
    case QSIM_BME280_NONE: return 0;
    }
    return -EINVAL;
}

static int env_due(const struct qsim *s, uint64_t t_ns, uint64_t *due_ps)
{
    uint64_t now_ps = sim_now_ps(s);
    if (t_ns > UINT64_MAX / 1000 || t_ns < now_ps / 1000)
        return -EINVAL;
    *due_ps = t_ns * 1000;
    return 0;
}

int qsim_env_at(struct qsim *s, uint64_t t_ns, unsigned mask, int32_t t_mc, int32_t p_mpa, int32_t h_mpct)
{
    uint64_t due_ps;
    int rc = env_due(s, t_ns, &due_ps);
    return rc ? rc : sim_env_step(nucleo_env(s->board), due_ps, mask, (struct sim_env_value){t_mc, p_mpa, h_mpct});
}

int qsim_env_table(struct qsim *s, const struct qsim_env_row *rows, size_t n)
{
    if (n == 0 || n > SIZE_MAX / sizeof(struct sim_env_row))
        return -EINVAL;
    struct sim_env_row *copy = calloc(n, sizeof *copy);
    if (!copy)
        return -ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (rows[i].t_ns > UINT64_MAX / 1000)
            rc = -EINVAL;
        copy[i] = (struct sim_env_row){rows[i].t_ns * 1000, {rows[i].t_mc, rows[i].p_mpa, rows[i].h_mpct}};
    }
    if (!rc)
        rc = sim_env_table(nucleo_env(s->board), copy, n);
    free(copy);
    return rc;
}

int qsim_env_noise(struct qsim *s, uint64_t seed)
{
    return nucleo_bme280_noise(s->board, seed);
}

bool qsim_env_now(const struct qsim *s, int32_t *t_mc, int32_t *p_mpa, int32_t *h_mpct)
{
    const struct sim_env *e = nucleo_env(s->board);
    struct sim_env_value v = sim_env_at(e, sim_now_ps(s));
    *t_mc = v.t_mc;
    *p_mpa = v.p_mpa;
    *h_mpct = v.h_mpct;
    return sim_env_scripted(e) != 0;
}

int qsim_bme280_reg(const struct qsim *s, uint8_t reg, uint8_t *value)
{
    const struct bme280 *d = nucleo_bme280(s->board);
    if (!d)
        return -ENODEV;
    *value = bme280_peek(d, reg);
    return 0;
}
