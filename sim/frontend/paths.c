/*
 * cli_check_paths (cli.h): outputs are opened for writing (truncated)
 * before the run, so an output that names another output, the firmware or
 * the SVD would silently destroy it. Refused before anything is opened.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct path_use {
    const char *option;
    const char *path;
    bool output;
};

/* The directory part of `path` ("." for a bare name) into `dir`, the last part returned. */
static const char *split(const char *path, char *dir, size_t dirlen)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dirlen, ".");
        return path;
    }
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    snprintf(dir, dirlen, "%.*s", (int)n, path);
    return slash + 1;
}

/* Would writing `a` change the file `b`? (Devices such as /dev/null are not clobbered.) */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    bool a_exists = stat(a, &sa) == 0, b_exists = stat(b, &sb) == 0;
    if (a_exists && b_exists)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (strcmp(a, b) == 0)
        return true;
    if (a_exists || b_exists)
        return false;
    /* Neither exists yet: the same name in the same directory. */
    char dir_a[4096], dir_b[4096];
    const char *name_a = split(a, dir_a, sizeof dir_a);
    const char *name_b = split(b, dir_b, sizeof dir_b);
    return strcmp(name_a, name_b) == 0 && stat(dir_a, &sa) == 0 && stat(dir_b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Inputs come first in the table, so `b` is always an output. */
static int clash(char *err, size_t errlen, const struct path_use *a, const struct path_use *b)
{
    char line[1024];
    if (a->output)
        snprintf(line, sizeof line, "%s and %s both write '%s': give each output its own file", a->option,
                 b->option, b->path);
    else
        snprintf(line, sizeof line, "%s '%s' would overwrite %s '%s'", b->option, b->path, a->option, a->path);
    if (err && errlen)
        cli_escape(line, err, errlen);
    return -EINVAL;
}

int cli_check_paths(const struct cli_options *o, char *err, size_t errlen)
{
    const struct path_use uses[] = {
        { "the firmware", o->firmware, false },
        { "the --svd file", o->svd_path, false },
        { "--console", o->console_path, true },
        { "--report", o->report_path, true },
        { "--oled-png", o->png_path, true },
        { "--vcd", o->vcd_path, true }, /* a file name, even "-" (qsim_vcd_open) */
    };
    const size_t n = sizeof uses / sizeof uses[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            const struct path_use *a = &uses[i], *b = &uses[j];
            if (!a->path || !b->path || (!a->output && !b->output))
                continue;
            bool a_stdout = a->output && strcmp(a->option, "--vcd") != 0 && strcmp(a->path, "-") == 0;
            bool b_stdout = b->output && strcmp(b->option, "--vcd") != 0 && strcmp(b->path, "-") == 0;
            if (a_stdout || b_stdout) /* two stdouts: cli_parse's own message */
                continue;
            if (same_file(a->path, b->path))
                return clash(err, errlen, a, b);
        }
    }
    return 0;
}
