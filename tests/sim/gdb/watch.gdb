# A write watchpoint on the stopwatch's millisecond counter (a static in
# the timer driver, no debug info: watched through its address). It is hit
# once B1 has started the timer; then a read watchpoint on the same counter.
# Its first reader after the count reached 2 is the thread's snapshot (2) or,
# when the thread sleeps through that millisecond (it is not woken for every
# display flush since issue 12's third pass), TIM2's own increment, which
# GDB reports with the value after the handler's store (3).
tbreak ui_update
continue
monitor press B1
watch *(unsigned int *)&ms_count
continue
x/wx &ms_count
continue
x/wx &ms_count
delete
rwatch *(unsigned int *)&ms_count
continue
delete
kill
