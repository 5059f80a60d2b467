# quartz_fuzz_test(NAME <ctest name> BINARY <file name> SOURCES <files...>
#                  [INCLUDES <dirs...>] [MAX_LEN <bytes>] [CORPUS <dir>] [ARGS <more...>])
#
# One policy for every parser that takes outside input: a libFuzzer binary
# built with clang (-fsanitize=fuzzer,address,undefined, no recovery), run
# inside `make test` for QUARTZ_FUZZ_SECONDS with a fixed seed. CORPUS is
# a committed seed folder; new units go to a folder in the build tree, never
# into the source tree. Without clang (tools/bootstrap installs it) the test
# is left out with one STATUS line.
set(QUARTZ_FUZZ_SECONDS 4 CACHE STRING "seconds each fuzz test runs inside make test")
find_program(CLANG_PROGRAM clang)

function(quartz_fuzz_test)
    cmake_parse_arguments(FZ "" "NAME;BINARY;MAX_LEN;CORPUS" "SOURCES;INCLUDES;ARGS" ${ARGN})
    if(NOT CLANG_PROGRAM)
        message(STATUS "clang not found: ${FZ_NAME} is left out (tools/bootstrap installs clang)")
        return()
    endif()
    if(NOT FZ_MAX_LEN)
        set(FZ_MAX_LEN 512)
    endif()
    set(includes)
    foreach(dir IN LISTS FZ_INCLUDES)
        list(APPEND includes -I${dir})
    endforeach()
    add_custom_command(OUTPUT ${FZ_BINARY}
        COMMAND ${CLANG_PROGRAM} -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
                ${includes} ${FZ_SOURCES} -o ${FZ_BINARY}
        DEPENDS ${FZ_SOURCES} VERBATIM)
    add_custom_target(${FZ_BINARY}_build ALL DEPENDS ${FZ_BINARY})
    set(run ./${FZ_BINARY} -max_total_time=${QUARTZ_FUZZ_SECONDS} -max_len=${FZ_MAX_LEN} -seed=1 ${FZ_ARGS})
    if(FZ_CORPUS)
        list(JOIN run " " line) # one shell line: a list would put ';' between the words
        add_test(NAME ${FZ_NAME}
                 COMMAND sh -c "mkdir -p ${FZ_BINARY}_corpus && exec ${line} ${FZ_BINARY}_corpus '${FZ_CORPUS}'"
                 WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    else()
        add_test(NAME ${FZ_NAME} COMMAND ${run} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    endif()
    # A run that ignored its time limit must not hold make test (or the cores).
    math(EXPR limit "${QUARTZ_FUZZ_SECONDS} * 10 + 30")
    set_tests_properties(${FZ_NAME} PROPERTIES TIMEOUT ${limit})
endfunction()
