# The stopwatch started from GDB (monitor press B1), stopped in its
# millisecond timer handler, its millisecond counter changed, then left
# running: the --press at 1000 ms stops it and the console shows the change.
tbreak ui_update
continue
monitor press B1
break TIM2_IRQHandler
continue
info registers pc
stepi
stepi
info registers pc
x/wx &ms_count
set var *(unsigned int *)&ms_count = 4000
x/wx &ms_count
delete
monitor irq
detach
