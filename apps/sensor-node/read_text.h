/*
 * Process side: a text node's whole content (a few lines at most) read
 * into a caller's buffer through the OS layer's files. For the app and the
 * console, which both show /dev/net and friends.
 */
#ifndef SENSOR_NODE_READ_TEXT_H
#define SENSOR_NODE_READ_TEXT_H

#include <stddef.h>

/* Reads `path` until its end or `cap` - 1 bytes, NUL-terminated; when the
 * node cannot be opened the buffer is left as it was (a display keeps its
 * last text). Returns the length, or -errno from open or read. */
int read_text(const char *path, char *buf, size_t cap);

#endif
