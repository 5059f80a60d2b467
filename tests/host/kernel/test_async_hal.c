/* Awaitable HAL operations against fake HAL ports: the task resumes from the completion callback. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <quartz/hal/serial.h>
#include <quartz/kernel/async_hal.h>

#include "fake_mono.h"

/* ---- fake HAL ------------------------------------------------------------ */
static i2c_done_fn pending_done;
static void *pending_ctx;
static int start_error;

static int fake_transfer(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n)
{
    (void)bus; (void)msgs; (void)n;
    return -EIO;
}

static int fake_transfer_async(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                               i2c_done_fn done, void *ctx)
{
    (void)bus; (void)msgs; (void)n;
    if (start_error != 0) {
        return start_error;
    }
    pending_done = done;
    pending_ctx = ctx;
    return 0;
}

static const struct i2c_bus_ops fake_ops = {fake_transfer, fake_transfer_async};
static struct i2c_bus bus = {&fake_ops};

static gpio_irq_fn edge_fn;
static void *edge_ctx;

int gpio_irq_enable(struct gpio_pin pin, enum gpio_edge edge, gpio_irq_fn handler, void *ctx)
{
    (void)pin; (void)edge;
    edge_fn = handler;
    edge_ctx = ctx;
    return 0;
}

static const char *rx_data = "";

size_t serial_read(void *buf, size_t len)
{
    size_t n = strlen(rx_data);
    n = n < len ? n : len;
    memcpy(buf, rx_data, n);
    rx_data += n;
    return n;
}

/* ---- tasks ---------------------------------------------------------------- */
static struct async_executor ex = ASYNC_EXECUTOR_THREAD;

struct user {
    struct async_task task;
    struct async_i2c_op op;
    struct async_edge edge;
    struct i2c_msg msg;
    uint8_t byte;
    int step, result, edges;
    char rx[8];
};

static void user_poll(struct async_task *t)
{
    struct user *u = ASYNC_SELF(t, struct user, task);
    ASYNC_BEGIN(t);
    u->msg = (struct i2c_msg){&u->byte, 1, 0x3C, I2C_MSG_WRITE | I2C_MSG_STOP};
    u->step = 1;
    ASYNC_I2C_TRANSFER(t, &u->op, &bus, &u->msg, 1);
    u->result = t->status;
    u->step = 2;
    ASYNC_AWAIT_EDGE(t, &u->edge);
    u->edges = (int)u->edge.count;
    u->step = 3;
    ASYNC_SERIAL_READ(t, u->rx, sizeof u->rx - 1, 10);
    u->rx[t->status] = '\0';
    u->step = 4;
    ASYNC_END(t);
}

static void test_i2c_edge_uart(void **state)
{
    (void)state;
    struct user u = {.task = ASYNC_TASK_INIT(user_poll)};
    fake_now = 0;
    assert_int_equal(async_edge_init(&u.edge, (struct gpio_pin){'C', 13}, GPIO_EDGE_FALLING), 0);
    async_spawn(&ex, &u.task);
    async_run_pending(&ex);
    assert_int_equal(u.step, 1);
    assert_non_null(pending_done);
    async_run_pending(&ex);
    assert_int_equal(u.step, 1); /* not woken: not polled, still waiting */
    pending_done(pending_ctx, -ENXIO); /* completion "interrupt" */
    async_run_pending(&ex);
    assert_int_equal(u.result, -ENXIO);
    assert_int_equal(u.step, 2);
    edge_fn(edge_ctx);
    edge_fn(edge_ctx); /* two edges before the poll: one wake */
    async_run_pending(&ex);
    assert_int_equal(u.edges, 2);
    assert_int_equal(u.step, 3); /* nothing received: waits 10 ticks */
    rx_data = "hi";
    fake_advance(9);
    async_run_pending(&ex);
    assert_int_equal(u.step, 3);
    fake_advance(10);
    async_run_pending(&ex);
    assert_int_equal(u.step, 4);
    assert_string_equal(u.rx, "hi");
}

static void test_i2c_start_error(void **state)
{
    (void)state;
    struct async_task t = {0};
    struct async_i2c_op op;
    struct i2c_msg m = {0};
    start_error = -EBUSY;
    assert_int_equal(async_i2c_start_(&op, &t, &bus, &m, 1), -EBUSY);
    start_error = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i2c_edge_uart),
        cmocka_unit_test(test_i2c_start_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
