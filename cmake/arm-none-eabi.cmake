# Cross toolchain: Debian's arm-none-eabi-gcc for the STM32F446 (Cortex-M4F).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(QUARTZ_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${QUARTZ_CPU_FLAGS} -ffunction-sections -fdata-sections -fno-common -ffreestanding")
set(CMAKE_ASM_FLAGS_INIT "${QUARTZ_CPU_FLAGS}")
# nano newlib for memcpy/memset only; no syscalls are linked, so printf or
# malloc cannot sneak in (see the ASSERTs in arch/cortex-m/sections.ld).
set(CMAKE_EXE_LINKER_FLAGS_INIT "${QUARTZ_CPU_FLAGS} -nostartfiles --specs=nano.specs -Wl,--gc-sections -Wl,--print-memory-usage")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
