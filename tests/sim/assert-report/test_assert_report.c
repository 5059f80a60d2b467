/*
 * The assert-report image on quartz-sim: the first boot fails a
 * QUARTZ_ASSERT; the second boot must print "assert file=<id> line=<n>"
 * with the id of the file that holds the assertion (cmake/file_ids.cmake,
 * given by CTest) and its line (the first line of that source with both
 * "QUARTZ_ASSERT(" and the marker given by CTest), then run.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quartzsim.h"

#define MS 1000000ull

static const char *image, *file_id, *source, *marker;

static bool second_boot(struct qsim *s, void *ctx)
{
    (void)ctx;
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    return memmem(c, len, "boot 2: running", 15) != NULL;
}

static int probe_line(void)
{
    FILE *f = fopen(source, "r");
    assert_non_null(f);
    char line[256];
    int n = 0, found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        n++;
        if (found == 0 && strstr(line, "QUARTZ_ASSERT(") != NULL && strstr(line, marker) != NULL)
            found = n;
    }
    fclose(f);
    assert_true(found > 0);
    return found;
}

static void test_assert_reported_on_next_boot(void **state)
{
    (void)state;
    struct qsim *s = qsim_create(&(struct qsim_options){0});
    assert_non_null(s);
    char err[256];
    assert_int_equal(qsim_load_elf(s, image, err, sizeof err), 0);
    int rc = qsim_run_until(s, 500 * MS, second_boot, NULL);
    size_t len = 0;
    const char *c = qsim_console(s, &len);
    char console[4096];
    size_t n = len < sizeof console - 1 ? len : sizeof console - 1;
    memcpy(console, c, n);
    console[n] = '\0';
    print_message("console:\n%s\n", console);
    assert_int_equal(rc, 1); /* stopped by second_boot, not by time or lock-up */
    assert_int_equal(qsim_fault_count(s), 0); /* an assertion is not an exception */
    assert_non_null(strstr(console, "boot 1: breaking a contract"));
    assert_null(strstr(console, "did not stop the firmware"));
    char expect[96];
    snprintf(expect, sizeof expect, "fault: previous boot ended in assert file=0x%08lx line=%d in thread",
             strtoul(file_id, NULL, 16), probe_line());
    print_message("expect: %s\n", expect);
    const char *report = strstr(console, expect);
    assert_non_null(report);
    assert_true(report < strstr(console, "boot 2: running"));
    qsim_destroy(s);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s IMAGE.elf FILE_ID SOURCE MARKER\n", argv[0]);
        return 2;
    }
    image = argv[1];
    file_id = argv[2];
    source = argv[3];
    marker = argv[4];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_assert_reported_on_next_boot)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
