/*
 * A fake broker (fake_broker.h): a host TCP server on a free loopback
 * port, in a thread, that answers each connection with the next packet of
 * its script after the client's CONNECT. The malformed answers break MQTT
 * 3.1.1 as the client must refuse them (-EPROTO, then a reconnect):
 *   1. a CONNACK whose remaining length has a fifth byte (spec 2.2.3: at most four);
 *   2. a valid CONNACK, then a PUBACK for packet id 0x1234, never in flight (4.6);
 *   3. a valid CONNACK, then packet type 15, reserved (2.2.1);
 *   4. a valid CONNACK, then nothing: the connection is held open.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_broker.h"

static const uint8_t connack_ok[] = { 0x20, 0x02, 0x00, 0x00 };
static const struct {
    const uint8_t *bytes;
    size_t len;
} script[FAKE_BROKER_STEPS] = {
    { (const uint8_t[]){ 0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, 6 },
    { (const uint8_t[]){ 0x20, 0x02, 0x00, 0x00, 0x40, 0x02, 0x12, 0x34 }, 8 },
    { (const uint8_t[]){ 0x20, 0x02, 0x00, 0x00, 0xF0, 0x00 }, 6 },
    { connack_ok, sizeof connack_ok },
};

static struct {
    int listener;
    pthread_t thread;
    int held[FAKE_BROKER_STEPS];
    unsigned accepted;
    unsigned connects_seen; /* first bytes 0x10: a CONNECT */
    pthread_mutex_t lock;
} F = { .listener = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

/* Wait up to 2 s (real time) for the client's CONNECT; true when its first byte came. */
static bool read_connect(int c)
{
    struct pollfd p = { c, POLLIN, 0 };
    uint8_t buf[256];
    if (poll(&p, 1, 2000) != 1)
        return false;
    ssize_t n = recv(c, buf, sizeof buf, 0);
    return n > 0 && buf[0] == 0x10;
}

static void *serve(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < FAKE_BROKER_STEPS; i++) {
        int c = accept(F.listener, NULL, NULL);
        if (c < 0)
            return NULL;
        pthread_mutex_lock(&F.lock);
        F.accepted++;
        pthread_mutex_unlock(&F.lock);
        bool got = read_connect(c);
        pthread_mutex_lock(&F.lock);
        F.connects_seen += got;
        pthread_mutex_unlock(&F.lock);
        if (send(c, script[i].bytes, script[i].len, MSG_NOSIGNAL) != (ssize_t)script[i].len)
            fprintf(stderr, "fake broker: send %u failed\n", i);
        F.held[i] = c; /* closed at the end: the client closes first */
    }
    /* A fifth connection would be a client that did not keep the last one. */
    int c = accept(F.listener, NULL, NULL);
    if (c >= 0) {
        pthread_mutex_lock(&F.lock);
        F.accepted++;
        pthread_mutex_unlock(&F.lock);
        close(c);
    }
    return NULL;
}

int fake_broker_start(uint16_t *port)
{
    for (unsigned i = 0; i < FAKE_BROKER_STEPS; i++)
        F.held[i] = -1;
    F.accepted = F.connects_seen = 0;
    F.listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (F.listener < 0 || bind(F.listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(F.listener, (struct sockaddr *)&a, &len) != 0 || listen(F.listener, 4) != 0 ||
        pthread_create(&F.thread, NULL, serve, NULL) != 0) {
        perror("fake broker");
        if (F.listener >= 0)
            close(F.listener);
        F.listener = -1;
        return -1;
    }
    *port = ntohs(a.sin_port);
    return 0;
}

void fake_broker_stop(void)
{
    if (F.listener < 0)
        return;
    shutdown(F.listener, SHUT_RDWR); /* ends the accept */
    pthread_join(F.thread, NULL);
    close(F.listener);
    F.listener = -1;
    for (unsigned i = 0; i < FAKE_BROKER_STEPS; i++)
        if (F.held[i] >= 0)
            close(F.held[i]);
}

unsigned fake_broker_accepted(void)
{
    pthread_mutex_lock(&F.lock);
    unsigned n = F.accepted;
    pthread_mutex_unlock(&F.lock);
    return n;
}

unsigned fake_broker_connects(void)
{
    pthread_mutex_lock(&F.lock);
    unsigned n = F.connects_seen;
    pthread_mutex_unlock(&F.lock);
    return n;
}
