/* Awaitable HAL operations: completion callbacks that wake tasks. See async_hal.h. */
#include <quartz/hal/serial.h>
#include <quartz/kernel/async_hal.h>

static void async_i2c_done(void *ctx, int status)
{
    struct async_i2c_op *op = ctx;
    op->status = status;
    op->done = true;
    async_wake(op->task);
}

int async_i2c_start_(struct async_i2c_op *op, struct async_task *t, struct i2c_bus *bus,
                     const struct i2c_msg *msgs, size_t n)
{
    op->task = t;
    op->done = false;
    op->status = 0;
    return i2c_transfer_async(bus, msgs, n, async_i2c_done, op);
}

static void async_edge_handler(void *ctx)
{
    struct async_edge *e = ctx;
    e->count++;
    async_signal_raise(&e->sig, e->count);
}

int async_edge_init(struct async_edge *e, struct gpio_pin pin, enum gpio_edge edge)
{
    e->count = 0;
    e->sig.set = false;
    e->sig.waiter = NULL;
    return gpio_irq_enable(pin, edge, async_edge_handler, e);
}

size_t async_serial_try_read_(void *buf, size_t len)
{
    return serial_read(buf, len);
}
