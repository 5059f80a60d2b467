/*
 * Signal and bounded channel. Both are touched from tasks and interrupt
 * handlers of any priority, so each operation is one short PRIMASK section;
 * waking happens after it.
 */
#include <errno.h>
#include <string.h>

#include <quartz/kernel/async.h>
#include <quartz/kernel/cpu.h>

void async_signal_raise(struct async_signal *s, uint32_t value)
{
    uint32_t key = cpu_irq_lock();
    s->value = value;
    s->set = true;
    struct async_task *w = s->waiter;
    s->waiter = NULL;
    cpu_irq_unlock(key);
    if (w != NULL) {
        async_wake(w);
    }
}

bool async_signal_take_(struct async_signal *s, struct async_task *t, uint32_t *value)
{
    uint32_t key = cpu_irq_lock();
    bool set = s->set;
    if (set) {
        s->set = false;
        if (value != NULL) {
            *value = s->value;
        }
    } else {
        s->waiter = t; /* registered under the same lock as the test */
    }
    cpu_irq_unlock(key);
    return set;
}

static int channel_send_locked(struct async_channel *ch, const void *item, struct async_task **wake)
{
    if (ch->count == ch->capacity) {
        return -ENOSPC;
    }
    uint16_t tail = (uint16_t)((ch->head + ch->count) % ch->capacity);
    memcpy(ch->buf + (size_t)tail * ch->item_size, item, ch->item_size);
    ch->count++;
    *wake = ch->rx_waiter;
    ch->rx_waiter = NULL;
    return 0;
}

static int channel_recv_locked(struct async_channel *ch, void *item, struct async_task **wake)
{
    if (ch->count == 0) {
        return -EAGAIN;
    }
    memcpy(item, ch->buf + (size_t)ch->head * ch->item_size, ch->item_size);
    ch->head = (uint16_t)((ch->head + 1U) % ch->capacity);
    ch->count--;
    *wake = ch->tx_waiter;
    ch->tx_waiter = NULL;
    return 0;
}

int async_channel_send_(struct async_channel *ch, struct async_task *t, const void *item)
{
    struct async_task *wake = NULL;
    uint32_t key = cpu_irq_lock();
    int rc = channel_send_locked(ch, item, &wake);
    if (rc != 0 && t != NULL) {
        ch->tx_waiter = t;
    }
    cpu_irq_unlock(key);
    if (wake != NULL) {
        async_wake(wake);
    }
    return rc;
}

int async_channel_recv_(struct async_channel *ch, struct async_task *t, void *item)
{
    struct async_task *wake = NULL;
    uint32_t key = cpu_irq_lock();
    int rc = channel_recv_locked(ch, item, &wake);
    if (rc != 0 && t != NULL) {
        ch->rx_waiter = t;
    }
    cpu_irq_unlock(key);
    if (wake != NULL) {
        async_wake(wake);
    }
    return rc;
}

int async_channel_try_send(struct async_channel *ch, const void *item)
{
    return async_channel_send_(ch, NULL, item);
}

int async_channel_try_recv(struct async_channel *ch, void *item)
{
    return async_channel_recv_(ch, NULL, item);
}
