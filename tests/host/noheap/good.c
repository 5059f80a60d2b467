/* A harmless image, linked with impossible sizes to trip the linker ASSERTs. */
#ifndef BIG_BYTES
#define BIG_BYTES 16
#endif
#ifndef ROM_BYTES
#define ROM_BYTES 16
#endif

volatile unsigned char big[BIG_BYTES];
const unsigned char rom[ROM_BYTES] = {1};
volatile unsigned rom_index = ROM_BYTES - 1; /* keeps rom[] from being folded away */

int main(void)
{
    return big[BIG_BYTES - 1] + rom[rom_index];
}
