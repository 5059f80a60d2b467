/* The processes of the shell image (main.c lists them in sys_procs). */
#ifndef SHELL_PROCS_H
#define SHELL_PROCS_H

#include "quartz/kernel/proc.h"

extern const struct sys_proc_desc shell_proc, sampler_proc, crash_proc;

#endif
