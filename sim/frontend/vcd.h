/*
 * Value change dump writer (IEEE 1364-2005 clause 18, the format GTKWave
 * reads). Signals are discovered as they change: "PA5", "I2C1.SDA",
 * "irq.TIM2" (each dot opens a $scope). Because VCD wants every $var before
 * the first value change, changes are buffered in a tmpfile() and the file
 * is written at vcd_close: header ($timescale 1ps), $dumpvars at #0 (x for
 * a signal first seen later), then the changes. The output depends only on
 * the sequence of calls, so a deterministic run gives an identical file.
 */
#ifndef QSIM_FRONTEND_VCD_H
#define QSIM_FRONTEND_VCD_H

#include <stdint.h>
#include <stdio.h>

struct vcd;

/* NULL when no temporary file can be made. `out` stays owned by the caller. */
struct vcd *vcd_create(FILE *out);

/*
 * `t_ps` must not decrease between calls (an earlier time is recorded at
 * the last time seen). `width` is 1..32 bits, fixed by the first change
 * of a signal; `value` is masked to it. A change to the current value is
 * not written.
 */
void vcd_change(struct vcd *v, uint64_t t_ps, const char *signal, unsigned width, uint32_t value);

/* Write the file, free `v`. Returns 0, or -EIO when a write failed. */
int vcd_close(struct vcd *v);

#endif
