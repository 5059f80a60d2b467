/*
 * Portable I2C master interface.
 *
 * A bus is an instance with a pointer to a const ops table (DESIGN.md "How
 * interfaces are bound"). The core operation is a transfer of messages; the
 * read/write/write_read helpers below are built on it. Each message carries
 * its 7-bit address, so a transfer may talk to one device with a repeated
 * START between messages.
 *
 * Wire rules for a message list:
 *  - consecutive WRITE messages to the same address without I2C_MSG_RESTART
 *    go out as one stream (no START between them), so a driver can send a
 *    control byte from one buffer and a payload from another without copying;
 *  - a change of direction or I2C_MSG_RESTART produces a repeated START;
 *  - the last message always ends with a STOP (I2C_MSG_STOP is implied).
 *
 * Errors (negative errno): -ENXIO address not acknowledged (no device, or it
 * is unplugged), -EIO data byte not acknowledged or bus error, -ETIMEDOUT the
 * bus did not progress within the driver's bound (a stuck SCL or SDA: the bus
 * is recovered before the error is returned; after a non-blocking transfer
 * the recovery waits for the next transfer started from thread context),
 * -EBUSY a transfer is already in flight, or a transfer was started from an
 * interrupt while the bus needs that recovery, -EINVAL bad message list.
 */
#ifndef QUARTZ_HAL_I2C_H
#define QUARTZ_HAL_I2C_H

#include <stddef.h>
#include <stdint.h>

#define I2C_MSG_WRITE 0x00u
#define I2C_MSG_READ 0x01u
#define I2C_MSG_RESTART 0x02u /* repeated START before this message */
#define I2C_MSG_STOP 0x04u    /* STOP after this message (always after the last) */

struct i2c_msg {
    uint8_t *buf;
    uint16_t len;
    uint8_t addr; /* 7-bit */
    uint8_t flags;
};

struct i2c_bus;

/* Called once per non-blocking transfer, from interrupt context, with 0 or a negative errno. */
typedef void (*i2c_done_fn)(void *ctx, int status);

struct i2c_bus_ops {
    /* Blocking; thread context with interrupts enabled only (a call from a
     * handler or with interrupts masked is a broken contract: QUARTZ_ASSERT). */
    int (*transfer)(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n);
    /*
     * Non-blocking: returns 0 when the transfer was started (then `done` runs
     * exactly once), or a negative errno when it was not (then `done` never
     * runs). `msgs` and their buffers must stay valid until `done`.
     */
    int (*transfer_async)(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                          i2c_done_fn done, void *ctx);
};

struct i2c_bus {
    const struct i2c_bus_ops *ops;
};

static inline int i2c_transfer(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n)
{
    return bus->ops->transfer(bus, msgs, n);
}

static inline int i2c_transfer_async(struct i2c_bus *bus, const struct i2c_msg *msgs, size_t n,
                                     i2c_done_fn done, void *ctx)
{
    return bus->ops->transfer_async(bus, msgs, n, done, ctx);
}

static inline int i2c_write(struct i2c_bus *bus, uint8_t addr, const uint8_t *buf, uint16_t len)
{
    struct i2c_msg msg = { (uint8_t *)buf, len, addr, I2C_MSG_WRITE | I2C_MSG_STOP };
    return i2c_transfer(bus, &msg, 1);
}

static inline int i2c_read(struct i2c_bus *bus, uint8_t addr, uint8_t *buf, uint16_t len)
{
    struct i2c_msg msg = { buf, len, addr, I2C_MSG_READ | I2C_MSG_STOP };
    return i2c_transfer(bus, &msg, 1);
}

static inline int i2c_write_read(struct i2c_bus *bus, uint8_t addr, const uint8_t *wbuf,
                                 uint16_t wlen, uint8_t *rbuf, uint16_t rlen)
{
    struct i2c_msg msgs[2] = {
        { (uint8_t *)wbuf, wlen, addr, I2C_MSG_WRITE },
        { rbuf, rlen, addr, I2C_MSG_READ | I2C_MSG_RESTART | I2C_MSG_STOP },
    };
    return i2c_transfer(bus, msgs, 2);
}

#endif
