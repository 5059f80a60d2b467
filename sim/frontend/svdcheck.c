/* --svd FILE, checked before the run (see cli.h). */
#include <stdio.h>

#include "cli.h"
#include "facts.h"

int cli_check_svd(const char *path, char *err, size_t errlen)
{
    struct facts f;
    char msg[400] = "";
    int rc = svd_read(&f, path, msg, sizeof msg);
    facts_free(&f);
    if (rc && err && errlen)
        snprintf(err, errlen, "--svd %s", msg);
    return rc;
}
