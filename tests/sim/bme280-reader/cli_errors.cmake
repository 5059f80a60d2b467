# cmake -DSIM=quartz-sim -DELF=reader.elf -DDIR=build-dir -P cli_errors.cmake: every bad
# environment or BME280 option ends quartz-sim with exit status 2 and one line on stderr
# that names the option (a bad --env-csv file also names its line).
file(WRITE ${DIR}/bad-env.csv "time,T,P,H\n0,20,1000,30\n1,20,2000,30\n")
set(cases
    "--env|T=99C|--env: 'T=99C': temperature outside"
    "--env|X=1|--env: expected T="
    "--env|P=1013.25|--env: 'P=1013.25': bad pressure"
    "--env-csv|${DIR}/bad-env.csv|bad-env.csv:3: pressure outside"
    "--env-csv|${DIR}/missing.csv|missing.csv: No such file"
    "--env-noise|seed|--env-noise: 'seed' is not a SEED"
    "--bme280|spi2:PB14|--bme280: PB14 is a pin of SPI2"
    "--bme280|i2c:0x42|--bme280: expected"
    "--detach|bme@1s|--detach: expected oled@TIME or bme280@TIME")
foreach(case IN LISTS cases)
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 opt)
    list(GET parts 1 value)
    list(GET parts 2 says)
    execute_process(COMMAND ${SIM} ${opt} ${value} ${ELF} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(REGEX MATCHALL "\n" newlines "${err}")
    list(LENGTH newlines lines)
    string(FIND "${err}" "${says}" at)
    if(NOT rc EQUAL 2 OR NOT lines EQUAL 1 OR at EQUAL -1 OR NOT err MATCHES "^quartz-sim: ")
        message(FATAL_ERROR "${opt} ${value}: exit ${rc}, stderr '${err}' (want 2 and one line with '${says}')")
    endif()
endforeach()
execute_process(COMMAND ${SIM} --bme280 none --detach bme280@1s ${ELF} ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT err MATCHES "needs a BME280")
    message(FATAL_ERROR "--bme280 none --detach bme280@1s: exit ${rc}, '${err}'")
endif()
