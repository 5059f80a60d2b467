# Break at main, single-step into input_init, read every register group.
break main
continue
stepi
stepi
stepi
info registers pc
info registers r0 r1 sp lr xpsr
info registers msp psp primask basepri faultmask control
info registers d0 d15 fpscr
p $sp == $msp && $pc == (unsigned int)&input_init + 4
set var $r7 = 0x12345678
set var $d3 = 2.5
p/x $r7
p $d3
monitor time
monitor report
monitor reset
maintenance flush register-cache
p $pc == (unsigned int)&Reset_Handler
p/x $msp
kill
