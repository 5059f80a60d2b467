/*
 * Portable GPIO: pins are (port, number) pairs named in the board's const
 * tables; bound at link time to the chip port.
 */
#ifndef QUARTZ_HAL_GPIO_H
#define QUARTZ_HAL_GPIO_H

#include <stdbool.h>
#include <stdint.h>

struct gpio_pin {
    uint8_t port; /* 'A'..'H' */
    uint8_t pin;  /* 0..15 */
};

enum gpio_mode { GPIO_INPUT, GPIO_OUTPUT, GPIO_ALTERNATE, GPIO_ANALOG };
enum gpio_pull { GPIO_PULL_NONE, GPIO_PULL_UP, GPIO_PULL_DOWN };
enum gpio_speed { GPIO_SPEED_LOW, GPIO_SPEED_MEDIUM, GPIO_SPEED_FAST, GPIO_SPEED_HIGH };
enum gpio_edge { GPIO_EDGE_RISING = 1, GPIO_EDGE_FALLING = 2, GPIO_EDGE_BOTH = 3 };

struct gpio_config {
    uint8_t mode;       /* enum gpio_mode */
    uint8_t pull;       /* enum gpio_pull */
    uint8_t speed;      /* enum gpio_speed */
    uint8_t open_drain; /* 1: open-drain output stage */
    uint8_t af;         /* alternate function number for GPIO_ALTERNATE */
};

/* Clocks the port and configures the pin. Returns 0 or -EINVAL (a bad
 * alternate function). Contract of gpio_configure, gpio_write and gpio_read
 * (QUARTZ_ASSERT): the pin exists on the chip (a port or pin number out of
 * range is a wrong board table, a bug). */
int gpio_configure(struct gpio_pin pin, const struct gpio_config *cfg);
void gpio_write(struct gpio_pin pin, bool level);
bool gpio_read(struct gpio_pin pin);

/*
 * Edge interrupt on `pin` (one pin per line number). `handler` runs in
 * interrupt context with the pending flag already cleared.
 * Returns 0, -EINVAL or -EBUSY (line taken by another port).
 */
typedef void (*gpio_irq_fn)(void *ctx);
int gpio_irq_enable(struct gpio_pin pin, enum gpio_edge edge, gpio_irq_fn handler, void *ctx);

#endif
