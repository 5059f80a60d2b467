/* MPU test image for quartz-sim: the steps of mpu.c, then `done`. */
#include "cortex_m/intrinsics.h"
#include "results.h"

int main(void)
{
    mpu_steps();
    res.done = 1;
    for (;;)
        __WFI();
}
