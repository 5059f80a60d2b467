# The kernel ordering scenarios, shared by tests/qemu/kernel (QEMU) and
# tests/sim/kernel (quartz-sim): the same images, the same transcripts.
set(KERNEL_SCENARIOS_SCHED sched_preempt sched_lock sched_fifo sched_full)
set(KERNEL_SCENARIOS_TIMED sched_timerq)
set(KERNEL_SCENARIOS_ASYNC async_wake async_channel async_timers async_prio)
set(KERNEL_SCENARIOS ${KERNEL_SCENARIOS_SCHED} ${KERNEL_SCENARIOS_TIMED} ${KERNEL_SCENARIOS_ASYNC})
set(KERNEL_SCENARIO_DIR ${CMAKE_SOURCE_DIR}/tests/qemu/kernel)
