# cmake -DSIM=... -DELF=... -DEXPECTED=... -P shell_run.cmake: the shell
# image driven through the console with --rx scripts (docs/os.md); the
# transcript must equal EXPECTED once the numbers that depend on code
# layout or stack use are masked (fault PCs, ps stack and CPU columns).
# Every line-editing case and bad input of issue 14 is in the script.
set(rx
    [=[help\r@300ms]=]
    [=[ls /dev\r@350ms]=]
    [=[cat /dev/uptime\r@400ms]=]
    [=[echo 1 > /dev/led0\r@450ms]=]
    [=[cat /dev/led0\r@500ms]=]
    [=[echo hi   there\r@550ms]=]
    [=[echo x > /dev/uptime\r@600ms]=]
    [=[cat /dev/nope\r@650ms]=]
    [=[frobnicate now\r@700ms]=]
    [=[ecX\x7fho edited\r@750ms]=]
    [=[junk\x15echo after ctrl-u\r@800ms]=]
    [=[abc\x03@850ms]=]
    [=[\x01\x02\xff\xfe\x1b\x5bAecho ok\r@900ms]=]
    [=[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r@950ms]=]
    [=[echo a > b > c\r@1000ms]=]
    [=[ps\r@1050ms]=]
    [=[crash\r@1100ms]=]
    [=[faults\r@1300ms]=]
    [=[kill 99\r@1350ms]=]
    [=[kill 0\r@1380ms]=]
    [=[kill 1\r@1400ms]=]
    [=[ps\r@1450ms]=]
    [=[restart 1\r@1500ms]=]
    [=[cat /dev/log0\r@3700ms]=]
    [=[uptime\r@3800ms]=]
    [=[cat /dev/dietemp0\r@3850ms]=]
    [=[cat /dev/temp0\r@3880ms]=]
    [=[cat /dev/press0\r@3910ms]=]
    [=[cat /dev/hum0\r@3940ms]=])
# The air changes at 3.2 s: /dev/temp0, press0, hum0 and the log follow it.
set(args --until 4s --console - --env T=21.53C,P=990.5hPa,H=40%@3200ms)
foreach(r IN LISTS rx)
    list(APPEND args --rx "${r}")
endforeach()
execute_process(COMMAND ${SIM} ${args} ${ELF} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "quartz-sim exit ${rc}: ${err}")
endif()
string(REPLACE "\r" "" out "${out}")
string(REGEX REPLACE "pc=0x[0-9a-f]+" "pc=<pc>" out "${out}")
# ps rows: PID NAME STATE PRIO then stack used/size, CPU share, starts
string(REGEX REPLACE "( +[0-9]+ [a-z_]+ +[a-z]+ +[0-9]+) +[0-9]+/ *[0-9]+ +[0-9]+\\.[0-9]" "\\1 <stack> <cpu>" out "${out}")
string(REGEX REPLACE "t=[0-9]+ms" "t=<t>ms" out "${out}")
string(REGEX REPLACE "up [0-9]+\\.[0-9]+ s" "up <t> s" out "${out}")
string(REGEX REPLACE "\nnsh> cat /dev/uptime\n[0-9]+\n" "\nnsh> cat /dev/uptime\n<ms>\n" out "${out}")
if(UPDATE)
    file(WRITE ${EXPECTED} "${out}")
    return()
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/shell-transcript.txt "${out}")
    message(FATAL_ERROR "the shell's transcript differs from ${EXPECTED}:\n${out}")
endif()
