# A write watchpoint on the stopwatch's millisecond counter (a static in
# the timer driver, no debug info: watched through its address). It is hit
# once B1 has started the timer; then a read watchpoint on the same counter.
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
