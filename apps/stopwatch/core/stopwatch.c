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
