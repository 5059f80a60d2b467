# quartz-sim -DSIM=... -DELF=... -P cli_run.cmake: the ADC probe run from
# the command line with --chip-temp, --analog and --uid; the console must
# show the scripted values (temperature within 1 C, VDDA 3300 mV within
# 10 mV, PA0 within 2 LSB = 1.6 mV plus the VDDA rounding) and the UID.
execute_process(COMMAND ${SIM} --until 1.2s --chip-temp 35C --chip-temp 85C@600ms
    --analog PA0=1.65V --analog PA0=0.5V@600ms --uid 0123456789ABCDEF00112233 ${ELF}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "quartz-sim exit ${rc}: ${err}")
endif()
if(NOT out MATCHES "uid=01234567-89ABCDEF-00112233 fsize=512")
    message(FATAL_ERROR "UID or F_SIZE not as scripted:\n${out}")
endif()
# t=300: before the change; t=1000: after it.
foreach(check "t=3[0-9][0-9] temp=(3[4-5][0-9][0-9]|3600) vdda=(329[0-9]|330[0-9]|3310) pa0=16(4[6-9]|5[0-4])"
              "t=10[0-9][0-9] temp=(8[4-5][0-9][0-9]|8600) vdda=(329[0-9]|330[0-9]|3310) pa0=(49[6-9]|50[0-4])")
    if(NOT out MATCHES "${check}")
        message(FATAL_ERROR "no line matches '${check}':\n${out}")
    endif()
endforeach()
if(NOT out MATCHES "rc=0\r?\n" OR out MATCHES "rc=-")
    message(FATAL_ERROR "an ADC call failed:\n${out}")
endif()
