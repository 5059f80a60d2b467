/*
 * /dev/oled0: the SSD1306 frame (1024 bytes in GDDRAM order: byte
 * x + 128 * page holds 8 rows of column x). write/read at the file
 * position (ioctl SYS_IOC_SEEK moves it); OLED_IOC_FLUSH sends what
 * changed, using the driver's dirty tracking (ssd1306_put marks, the
 * asynchronous flush sends only dirty columns); CONTRAST, INVERT, POWER
 * send one command (SSD1306 datasheet 10.1.7, 10.1.10, 10.1.12). The
 * caller sleeps until the bus is done; the I2C completion wakes it.
 */
#include <errno.h>

#include "dev.h"
#include "quartz/board.h"
#include "quartz/cpu.h"
#include "quartz/hal/i2c.h"
#include "ssd1306/ssd1306.h"

#define CMD_CONTRAST 0x81u
#define CMD_NORMAL 0xA6u
#define CMD_INVERT 0xA7u
#define CMD_DISPLAY_OFF 0xAEu
#define CMD_DISPLAY_ON 0xAFu
#define CONTROL_COMMANDS 0x00u /* Co = 0, D/C# = 0: commands follow (datasheet 8.1.5.2) */

struct sys_waitq sys_oled_wq;

static const struct ssd1306_config oled_cfg = {
    .addr = SSD1306_ADDR, .powerup_ms = 25, .init_tries = 3,
};
static struct ssd1306_config oled_cfg_bus;
static struct ssd1306 oled;
static bool busy;     /* a flush or a command on the bus */
static int last_rc;   /* of the last one */
static uint8_t cmd[3];
static struct i2c_msg cmd_msg;

void sys_dev_oled_init(void)
{
    oled_cfg_bus = oled_cfg;
    oled_cfg_bus.bus = board_display_bus();
    ssd1306_setup(&oled, &oled_cfg_bus);
    last_rc = ssd1306_init(&oled); /* thread mode, before the processes: it may block */
}

bool sys_oled_busy(void)
{
    return busy;
}

static void done(void *ctx, int status)
{
    (void)ctx;
    last_rc = status;
    busy = false;
    sys_wake_all(&sys_oled_wq);
}

static int oled_read(struct sys_file *f, uint8_t *buf, size_t len)
{
    size_t n = 0;
    while (n < len && f->pos < SSD1306_FB_SIZE)
        buf[n++] = oled.fb[f->pos++];
    return (int)n;
}

static int oled_write(struct sys_file *f, const uint8_t *buf, size_t len)
{
    if (len != 0 && f->pos >= SSD1306_FB_SIZE)
        return -ENOSPC;
    size_t n = 0;
    for (; n < len && f->pos < SSD1306_FB_SIZE; n++, f->pos++)
        ssd1306_put(&oled, f->pos % SSD1306_WIDTH, f->pos / SSD1306_WIDTH, buf[n]);
    return (int)n;
}

/* Wait for the bus (the call runs again when it is free). */
static int wait_bus(uint32_t seq)
{
    return sys_block(&sys_oled_wq, seq, SYS_NEVER, 0);
}

static int send_command(uint32_t seq, uint8_t c0, int c1)
{
    cmd[0] = CONTROL_COMMANDS;
    cmd[1] = c0;
    cmd[2] = (uint8_t)c1;
    cmd_msg = (struct i2c_msg){ cmd, (uint16_t)(c1 < 0 ? 2 : 3), SSD1306_ADDR, I2C_MSG_WRITE | I2C_MSG_STOP };
    busy = true;
    int rc = i2c_transfer_async(oled_cfg_bus.bus, &cmd_msg, 1, done, NULL);
    if (rc < 0) {
        busy = false;
        return rc;
    }
    return wait_bus(seq);
}

/*
 * A request runs as: bus busy -> sleep; free -> start it and sleep; woken,
 * the call runs again and finds its own work done (nothing dirty for a
 * flush) -> the status. `started` keeps that second run apart from a new
 * request of the same kind.
 */
static int oled_ioctl(struct sys_file *f, uint32_t request, uint32_t value)
{
    uint32_t seq = sys_oled_wq.seq;
    if (busy)
        return wait_bus(seq);
    if (f->flags & SYS_F_STARTED) { /* this file's request finished */
        f->flags &= ~SYS_F_STARTED;
        return last_rc;
    }
    int rc;
    switch (request) {
    case OLED_IOC_FLUSH:
        rc = ssd1306_flush_async(&oled, done, NULL);
        if (rc == 1)
            return 0; /* nothing changed */
        if (rc == 0) {
            busy = true;
            rc = wait_bus(seq);
        }
        break;
    case OLED_IOC_CONTRAST:
        if (value > 255u)
            return -EINVAL;
        rc = send_command(seq, CMD_CONTRAST, (int)value);
        break;
    case OLED_IOC_INVERT:
        if (value > 1u)
            return -EINVAL;
        rc = send_command(seq, value ? CMD_INVERT : CMD_NORMAL, -1);
        break;
    case OLED_IOC_POWER:
        if (value > 1u)
            return -EINVAL;
        rc = send_command(seq, value ? CMD_DISPLAY_ON : CMD_DISPLAY_OFF, -1);
        break;
    default:
        return -ENOTTY;
    }
    if (rc == SYS_BLOCKED_RC)
        f->flags |= SYS_F_STARTED;
    return rc;
}

const struct sys_dev_ops sys_dev_oled_ops = { .read = oled_read, .write = oled_write, .ioctl = oled_ioctl };
