/*
 * Compiled with the include folders and definitions of one firmware target
 * (tests/host/layers/CMakeLists.txt). With PROBE_CHIP_REGISTERS it includes
 * the chip's registers, which must not compile anywhere above the chip and
 * the board; without it, it must compile (the flags themselves work).
 */
#include <stdint.h>

#ifdef PROBE_CHIP_REGISTERS
#include <stm32f446/regs.h>
#endif

uint32_t layer_probe;
