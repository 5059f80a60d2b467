/*
 * The fleet's temperature chart: every node's readings over the run as a
 * line, axes with a tick every 10 s... and every degree (or every 5), as a
 * 1-bit PNG by quartz-sim's encoder (sim/frontend/png.c).
 */
#ifndef FLEET_CHART_H
#define FLEET_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "track.h"

#define CHART_W 960
#define CHART_H 480

/* 0, or -errno (-EIO: the file could not be written). */
int chart_write(FILE *out, const struct track_node *nodes, size_t n, unsigned end_ms);

#endif
