# quartz_add_image(NAME <name>
#                  SOURCES <c files...>
#                  [LIBS <object libraries...>]
#                  [FLASH_BUDGET <bytes>] [RAM_BUDGET <bytes>])
#
# Links one firmware image against the runtime (quartz_rt: startup, vector
# table, fault handlers, linker script). Object libraries are used for every
# layer so that strong interrupt handlers always replace the weak defaults
# (an archive member is not pulled in just to override a weak symbol).
# Produces <name>.elf, .bin, .map, .lst and records the image and its budgets
# in ${CMAKE_BINARY_DIR}/images.txt for `make size` and the size test.

set(QUARTZ_IMAGES_FILE ${CMAKE_BINARY_DIR}/images.txt)
file(WRITE ${QUARTZ_IMAGES_FILE} "# name elf flash_budget ram_budget\n")

function(quartz_add_image)
    cmake_parse_arguments(IMG "" "NAME;FLASH_BUDGET;RAM_BUDGET" "SOURCES;LIBS" ${ARGN})
    if(NOT IMG_FLASH_BUDGET)
        set(IMG_FLASH_BUDGET 524288)
    endif()
    if(NOT IMG_RAM_BUDGET)
        set(IMG_RAM_BUDGET 131072)
    endif()
    add_executable(${IMG_NAME} ${IMG_SOURCES})
    set_target_properties(${IMG_NAME} PROPERTIES OUTPUT_NAME ${IMG_NAME}.elf)
    target_link_libraries(${IMG_NAME} PRIVATE ${IMG_LIBS} quartz_rt)
    target_link_options(${IMG_NAME} PRIVATE
        -T${QUARTZ_LINKER_SCRIPT}
        -L${QUARTZ_LINKER_DIR}
        -Wl,-Map=$<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.map)
    set_target_properties(${IMG_NAME} PROPERTIES LINK_DEPENDS "${QUARTZ_LINKER_DEPENDS}")
    add_custom_command(TARGET ${IMG_NAME} POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${IMG_NAME}> $<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.bin
        COMMAND arm-none-eabi-objdump -d -S $<TARGET_FILE:${IMG_NAME}> > $<TARGET_FILE_DIR:${IMG_NAME}>/${IMG_NAME}.lst
        VERBATIM)
    file(APPEND ${QUARTZ_IMAGES_FILE}
        "${IMG_NAME} ${CMAKE_CURRENT_BINARY_DIR}/${IMG_NAME}.elf ${IMG_FLASH_BUDGET} ${IMG_RAM_BUDGET}\n")
endfunction()

# The chip's memory map includes the generic sections script from
# arch/cortex-m (INCLUDE searches the -L directory).
set(QUARTZ_LINKER_SCRIPT ${CMAKE_SOURCE_DIR}/chip/stm32f446/stm32f446.ld)
set(QUARTZ_LINKER_DIR ${CMAKE_SOURCE_DIR}/arch/cortex-m)
set(QUARTZ_LINKER_DEPENDS ${QUARTZ_LINKER_SCRIPT} ${QUARTZ_LINKER_DIR}/sections.ld)
