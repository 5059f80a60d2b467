#include "stopwatch.h"

void sw_init(struct stopwatch *sw)
{
    sw->state = SW_READY;
    sw->clock.last = 0;
    sw->clock.wraps = 0;
}

enum sw_action sw_press(struct stopwatch *sw)
{
    switch (sw->state) {
    case SW_READY:
        sw->state = SW_RUNNING;
        sw->clock.last = 0;
        sw->clock.wraps = 0;
        return SW_START;
    case SW_RUNNING:
        sw->state = SW_STOPPED;
        return SW_STOP;
    default:
        return SW_NONE; /* Stopped stays stopped until reset (seed: no lap, no reset) */
    }
}

uint64_t sw_elapsed(struct stopwatch *sw, uint32_t count)
{
    if (count < sw->clock.last)
        sw->clock.wraps++;
    sw->clock.last = count;
    return ((uint64_t)sw->clock.wraps << 32) | count;
}
