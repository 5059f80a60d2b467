/*
 * libFuzzer target: the option parser (cli_parse) on arbitrary argument
 * vectors (the input split at NUL bytes). Any input gives 0, or -EINVAL
 * with one non-empty line and no control bytes; cli_free releases all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 1] = { "quartz-sim" };
    int argc = 1;
    for (char *p = text; p <= text + size && argc < MAX_ARGS; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    struct cli_options o;
    char err[256] = "";
    int rc = cli_parse(&o, argc, argv, err, sizeof err);
    if (rc != 0 && rc != -EINVAL)
        abort();
    if (rc != 0)
        for (const unsigned char *c = (const unsigned char *)err; *c || c == (const unsigned char *)err; c++)
            if (*c < 0x20 || *c == 0x7f)
                abort(); /* also an empty message */
    cli_free(&o);
    free(text);
    return 0;
}
