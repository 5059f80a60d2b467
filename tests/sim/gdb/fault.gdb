# fault-report reads a reserved address at its first boot: a precise
# BusFault. GDB stops at the handler's entry with SIGBUS; `monitor fault`
# decodes the SCB fault registers.
continue
p $pc == (unsigned int)&BusFault_Handler
p/x $xpsr & 0x1ff
monitor fault
kill
