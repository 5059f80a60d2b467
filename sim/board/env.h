/*
 * The environment around the board as the scenario scripts it: air
 * temperature, pressure and relative humidity over virtual time, for the
 * sensors that measure it (the BME280, sim/board/bme280.h). Two sources:
 * steps (`--env T=21.5C,P=1013.25hPa,H=45%@0s`), each setting any subset
 * of the three from its time on, and a table (`--env-csv`) linearly
 * interpolated between its rows. A quantity takes the latest step at or
 * before the time; without one, the table; without a table, the default.
 */
#ifndef SIM_BOARD_ENV_H
#define SIM_BOARD_ENV_H

#include <stddef.h>
#include <stdint.h>

/* The sensor's operating range (BME280 datasheet table 1 and 2). */
#define SIM_ENV_T_MIN_MC (-40000)
#define SIM_ENV_T_MAX_MC 85000
#define SIM_ENV_P_MIN_MPA 30000000 /* 300 hPa */
#define SIM_ENV_P_MAX_MPA 110000000 /* 1100 hPa */
#define SIM_ENV_H_MIN_MPCT 0
#define SIM_ENV_H_MAX_MPCT 100000
/* Without a script: 25 C, 1013.25 hPa (ISA sea level), 50 %RH. */
#define SIM_ENV_DEFAULT_T_MC 25000
#define SIM_ENV_DEFAULT_P_MPA 101325000
#define SIM_ENV_DEFAULT_H_MPCT 50000

enum { SIM_ENV_T = 1u, SIM_ENV_P = 2u, SIM_ENV_H = 4u };

/* Temperature in millidegrees C, pressure in millipascal, humidity in milli-%RH. */
struct sim_env_value {
    int32_t t_mc, p_mpa, h_mpct;
};

struct sim_env_step {
    uint64_t t_ps;
    unsigned mask; /* which of `v` the step sets: SIM_ENV_T | SIM_ENV_P | SIM_ENV_H */
    struct sim_env_value v;
};

struct sim_env_row {
    uint64_t t_ps;
    struct sim_env_value v;
};

struct sim_env {
    struct sim_env_step *steps; /* sorted by time, equal times in the order given */
    size_t nsteps;
    struct sim_env_row *rows; /* strictly increasing times */
    size_t nrows;
};

/* A step: 0, -EINVAL (empty mask, value out of range) or -ENOMEM. */
int sim_env_step(struct sim_env *e, uint64_t t_ps, unsigned mask, struct sim_env_value v);
/* Replaces the table with a copy of `rows`: 0, -EINVAL (no rows, times not
 * increasing, value out of range) or -ENOMEM. */
int sim_env_table(struct sim_env *e, const struct sim_env_row *rows, size_t n);
struct sim_env_value sim_env_at(const struct sim_env *e, uint64_t t_ps);
/* Whether anything was scripted (the TUI shows the environment then). */
int sim_env_scripted(const struct sim_env *e);
void sim_env_free(struct sim_env *e);

#endif
