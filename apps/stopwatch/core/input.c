#include "input.h"

#include "quartz/board.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/cpu.h"
#include "quartz/hal/timer.h"

void input_init(struct input *in)
{
    sw_init(&in->sw);
    debounce_init(&in->button);
    in->final_count = 0;
}

int input_arm(gpio_irq_fn on_edge, void *ctx)
{
    int rc = gpio_irq_enable(board_button, GPIO_EDGE_FALLING, on_edge, ctx);
    if (rc < 0)
        return rc;
    /* Masked: an edge from now on is pending, not yet handled. If it is the
     * press read here, its handler runs after the unlock and the debounce
     * ignores it (the press is held). */
    uint32_t key = cpu_irq_lock();
    if (!gpio_read(board_button))
        on_edge(ctx);
    cpu_irq_unlock(key);
    return 0;
}

enum sw_action input_edge(struct input *in)
{
    if (!debounce_edge(&in->button, clock_uptime_ms()))
        return SW_NONE;
    enum sw_action action = sw_press(&in->sw);
    if (action == SW_START)
        timer_ms_start();
    else if (action == SW_STOP)
        in->final_count = timer_ms_stop();
    return action;
}

void input_sample_held_(struct input *in, uint64_t now_ms)
{
    debounce_sample(&in->button, now_ms, !gpio_read(board_button));
}

struct input_snapshot input_take(struct input *in)
{
    struct input_snapshot s;
    s.state = in->sw.state;
    uint32_t count = s.state == SW_RUNNING ? timer_ms_count() : in->final_count;
    s.elapsed_ms = sw_elapsed(&in->sw, count);
    return s;
}
