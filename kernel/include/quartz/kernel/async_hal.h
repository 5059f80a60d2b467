/*
 * Awaitable HAL operations for async tasks, on the non-blocking HAL
 * interfaces of include/quartz/hal (library quartz_async_hal; the image
 * links the HAL too). Each macro leaves its result in t->status.
 *
 *   I2C transfer   i2c_transfer_async() with a completion callback that
 *                  wakes the task: no polling.
 *   GPIO edge      gpio_irq_enable() with a handler that raises a signal.
 *   UART read      serial_read() never blocks and serial.h has no receive
 *                  callback, so the task re-checks once per `poll_ticks`
 *                  of the monotonic clock while nothing has arrived.
 */
#ifndef QUARTZ_KERNEL_ASYNC_HAL_H
#define QUARTZ_KERNEL_ASYNC_HAL_H

#include <stdbool.h>
#include <stddef.h>

#include <quartz/hal/gpio.h>
#include <quartz/hal/i2c.h>
#include <quartz/kernel/async.h>

struct async_i2c_op {
    struct async_task *task;
    volatile int status;
    volatile bool done;
};

/* 0 when started (the task is woken at completion), else the HAL's error. */
int async_i2c_start_(struct async_i2c_op *op, struct async_task *t, struct i2c_bus *bus,
                     const struct i2c_msg *msgs, size_t n);

#define ASYNC_I2C_TRANSFER(t, op, bus, msgs, n)                                                  \
    do {                                                                                         \
        (t)->status = async_i2c_start_((op), (t), (bus), (msgs), (n));                           \
        if ((t)->status == 0) {                                                                  \
            ASYNC_AWAIT_ARMED(t, (void)0, (op)->done);                                           \
            (t)->status = (op)->status;                                                          \
        }                                                                                        \
    } while (0)

struct async_edge {
    struct async_signal sig;
    uint32_t count; /* edges seen, the signal's value */
};

/* Returns what gpio_irq_enable returns. */
int async_edge_init(struct async_edge *e, struct gpio_pin pin, enum gpio_edge edge);

/* Waits for the next edge after the previous wait (edges in between are
 * merged into one wake; e->count says how many there were). */
#define ASYNC_AWAIT_EDGE(t, e) ASYNC_AWAIT_SIGNAL(t, &(e)->sig, NULL)

/* Reads what has arrived, at least one byte: (t)->status = bytes read. */
size_t async_serial_try_read_(void *buf, size_t len);
#define ASYNC_SERIAL_READ(t, buf, len, poll_ticks)                                               \
    do {                                                                                         \
        for (;;) {                                                                               \
            (t)->status = (int)async_serial_try_read_((buf), (len));                             \
            if ((t)->status > 0) {                                                               \
                break;                                                                           \
            }                                                                                    \
            ASYNC_AWAIT_AFTER(t, (poll_ticks));                                                  \
        }                                                                                        \
    } while (0)

#endif
