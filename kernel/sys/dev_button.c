/*
 * /dev/button0: the user button's presses and releases, each a struct
 * sys_button_event with the uptime of the edge. A read with nothing queued
 * puts the caller to sleep; the EXTI interrupt queues the event and wakes
 * it (no polling).
 */
#include <errno.h>
#include <string.h>

#include "dev.h"
#include "quartz/assert.h"
#include "quartz/board.h"
#include "quartz/cpu.h"
#include "quartz/hal/gpio.h"

#define BUTTON_EVENTS 8u /* queued; older ones are dropped when full */

struct sys_waitq sys_button_wq;

static struct sys_button_event events[BUTTON_EVENTS];
static uint32_t head, tail; /* head written by the interrupt, tail by readers under the lock */

static void on_edge(void *ctx)
{
    (void)ctx;
    /* B1 is active low (board.h). */
    struct sys_button_event e = { .ms = sys_ms(), .pressed = gpio_read(board_button) ? 0u : 1u };
    if (head - tail == BUTTON_EVENTS)
        tail++;
    events[head % BUTTON_EVENTS] = e;
    head++;
    sys_wake_all(&sys_button_wq);
}

void sys_dev_button_init(void)
{
    int rc = gpio_irq_enable(board_button, GPIO_EDGE_BOTH, on_edge, NULL);
    QUARTZ_ASSERT(rc == 0); /* the button's line is free: a taken one is a wrong image */
}

static int button_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    (void)f;
    if (len < sizeof(struct sys_button_event))
        return -EINVAL;
    uint32_t key = cpu_irq_lock();
    if (head == tail) {
        cpu_irq_unlock(key);
        return -EAGAIN;
    }
    memcpy(buf, &events[tail % BUTTON_EVENTS], sizeof(struct sys_button_event));
    tail++;
    cpu_irq_unlock(key);
    return (int)sizeof(struct sys_button_event);
}

static int button_poll(struct sys_file *f)
{
    (void)f;
    return head != tail ? (int)SYS_POLLIN : 0;
}

const struct sys_dev_ops sys_dev_button_ops = { .read = button_read, .poll = button_poll };
