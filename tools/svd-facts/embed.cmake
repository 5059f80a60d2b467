# cmake -DIN=chip.facts -DOUT=builtin_facts.c -P embed.cmake
# The device, periph and reg lines of a facts file as a C string, for
# quartz-sim's register names (sim/core/svd.c): built in, so that a run
# (and a copied binary) needs no file. Fields are not needed for names.
cmake_minimum_required(VERSION 3.20)
file(STRINGS ${IN} lines REGEX "^(device|periph|reg) ")
list(LENGTH lines n)
if(n LESS 2)
    message(FATAL_ERROR "${IN}: no facts")
endif()
list(TRANSFORM lines PREPEND "    \"")
list(TRANSFORM lines APPEND "\\n\"")
list(JOIN lines "\n" body)
file(WRITE ${OUT}.tmp
    "/* Generated from ${IN} by tools/svd-facts/embed.cmake. */\n"
    "#include <stddef.h>\n\n"
    "extern const char quartz_builtin_facts[];\n"
    "extern const size_t quartz_builtin_facts_len;\n\n"
    "const char quartz_builtin_facts[] =\n${body};\n"
    "const size_t quartz_builtin_facts_len = sizeof quartz_builtin_facts - 1;\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
