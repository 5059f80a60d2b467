# quartz_add_image(NAME <name>
#                  SOURCES <c files...>
#                  [USES <layers...>]        board hal drivers lib sched async async_hal mono mono_systick
#                  [LIBS <object libraries...>]  the image's own (e.g. stopwatch_core)
#                  [CHIP_REGISTERS]          tests that poke the chip only, never apps
#                  [EXCLUDE_FROM_ALL]
#                  [FLASH_BUDGET <bytes>] [RAM_BUDGET <bytes>])
#
# Links one firmware image against the runtime (quartz_rt: startup, vector
# table, fault handlers, the chip's linker script). An image names each layer
# it uses once; a layer brings what it uses in turn (its QUARTZ_USES
# property: board -> hal -> lib, mono -> mono_port -> hal, ...), so
# `USES board drivers sched mono` is the whole list. Layer `x` is the OBJECT
# library quartz_x. Object libraries are used for every layer so that strong
# interrupt handlers always replace the weak defaults (an archive member is
# not pulled in just to override a weak symbol); CMake does not pass an
# object library's objects on to whoever links it, hence the list here.
#
# The chip's register headers are private to the chip and board targets:
# an image's sources see include/quartz (portable interfaces), the layers'
# public headers and arch/cortex-m, never chip/<name>/include. Only test
# images that check the hardware itself ask for CHIP_REGISTERS.
#
# Produces <name>.elf, .bin, .map, .lst and records the image and its budgets
# in ${CMAKE_BINARY_DIR}/images.txt for `make size` and the size test.

set(QUARTZ_IMAGES_FILE ${CMAKE_BINARY_DIR}/images.txt)
file(WRITE ${QUARTZ_IMAGES_FILE} "# name elf flash_budget ram_budget\n")

# quartz_resolve_uses(<out var> <layer>...): the object libraries of the
# layers and of everything they use, each once, users before the used.
function(quartz_resolve_uses out)
    set(pending ${ARGN})
    set(done "")
    while(pending)
        list(POP_FRONT pending layer)
        set(tgt quartz_${layer})
        if(NOT TARGET ${tgt})
            message(FATAL_ERROR "quartz_add_image: no layer '${layer}' (no target ${tgt})")
        endif()
        if(tgt IN_LIST done)
            continue()
        endif()
        list(APPEND done ${tgt})
        get_target_property(more ${tgt} QUARTZ_USES)
        if(more)
            list(APPEND pending ${more})
        endif()
    endwhile()
    set(${out} ${done} PARENT_SCOPE)
endfunction()

function(quartz_add_image)
    cmake_parse_arguments(IMG "CHIP_REGISTERS;EXCLUDE_FROM_ALL" "NAME;FLASH_BUDGET;RAM_BUDGET"
        "SOURCES;LIBS;USES" ${ARGN})
    if(NOT IMG_FLASH_BUDGET)
        set(IMG_FLASH_BUDGET 524288)
    endif()
    if(NOT IMG_RAM_BUDGET)
        set(IMG_RAM_BUDGET 131072)
    endif()
    set(exclude "")
    if(IMG_EXCLUDE_FROM_ALL)
        set(exclude EXCLUDE_FROM_ALL)
    endif()
    quartz_resolve_uses(layers ${IMG_USES})
    add_executable(${IMG_NAME} ${exclude} ${IMG_SOURCES})
    set_target_properties(${IMG_NAME} PROPERTIES OUTPUT_NAME ${IMG_NAME}.elf)
    target_link_libraries(${IMG_NAME} PRIVATE ${IMG_LIBS} ${layers} quartz_rt)
    if(IMG_CHIP_REGISTERS)
        if(CMAKE_CURRENT_SOURCE_DIR MATCHES "^${CMAKE_SOURCE_DIR}/apps/")
            message(FATAL_ERROR "${IMG_NAME}: an app never sees chip registers (CHIP_REGISTERS is for tests); "
                "use include/quartz/hal, or add the facts it needs to the chip's public/ folder")
        endif()
        target_link_libraries(${IMG_NAME} PRIVATE quartz_chip_internal)
    endif()
    target_link_options(${IMG_NAME} PRIVATE
        -T${QUARTZ_LINKER_SCRIPT}
        -L${QUARTZ_LINKER_DIR}
        -Wl,-Map=$<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.map)
    set_target_properties(${IMG_NAME} PROPERTIES LINK_DEPENDS "${QUARTZ_LINKER_DEPENDS}")
    add_custom_command(TARGET ${IMG_NAME} POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${IMG_NAME}> $<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.bin
        COMMAND arm-none-eabi-objdump -d -S $<TARGET_FILE:${IMG_NAME}> > $<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.lst
        VERBATIM)
    if(NOT IMG_EXCLUDE_FROM_ALL)
        file(APPEND ${QUARTZ_IMAGES_FILE}
            "${IMG_NAME} ${CMAKE_CURRENT_BINARY_DIR}/${IMG_NAME}.elf ${IMG_FLASH_BUDGET} ${IMG_RAM_BUDGET}\n")
    endif()
endfunction()

# The linker script is the chip's (QUARTZ_LINKER_SCRIPT, set by
# chip/<name>/CMakeLists.txt); it includes the generic sections script from
# arch/cortex-m (INCLUDE searches the -L directory).
set(QUARTZ_LINKER_DIR ${CMAKE_SOURCE_DIR}/arch/cortex-m)
