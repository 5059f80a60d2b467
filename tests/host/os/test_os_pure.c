/*
 * The kernel layer's pure parts on the host: the pointer check behind
 * every syscall (kernel/sys/span.c) and the shell's line editor and word
 * splitter (apps/shell/line.c). The fuzzers beside this file hammer the
 * same functions; these are the cases named in issue 14.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "line.h"
#include "span.h"

static const struct sys_span ram[2] = {
    { 0x20004000u, 0x1000u }, /* a process's RAM */
    { 0x08000000u, 0x8000u }, /* flash */
};

static void test_span_cases(void **state)
{
    (void)state;
    assert_int_equal(sys_span_check(ram, 2, 0x20004000u, 0x1000u), 0);      /* the whole region */
    assert_int_equal(sys_span_check(ram, 2, 0x20004FFFu, 1), 0);             /* its last byte */
    assert_int_equal(sys_span_check(ram, 2, 0x08000010u, 16), 0);            /* flash */
    assert_int_equal(sys_span_check(ram, 2, 0, 4), -EFAULT);                 /* NULL */
    assert_int_equal(sys_span_check(ram, 2, 0, 0), -EFAULT);                 /* NULL, even empty */
    assert_int_equal(sys_span_check(ram, 2, 0x20000000u, 4), -EFAULT);       /* kernel memory */
    assert_int_equal(sys_span_check(ram, 2, 0x20005000u, 4), -EFAULT);       /* the next process */
    assert_int_equal(sys_span_check(ram, 2, 0x20004FFCu, 8), -EFAULT);       /* straddles the end */
    assert_int_equal(sys_span_check(ram, 2, 0x20003FFCu, 8), -EFAULT);       /* straddles the start */
    assert_int_equal(sys_span_check(ram, 2, 0x20004100u, 0xFFFFFF00u), -EFAULT); /* wraps */
    assert_int_equal(sys_span_check(ram, 2, 0xFFFFFFFFu, 2), -EFAULT);       /* wraps by one */
    assert_int_equal(sys_span_check(ram, 2, 0x20004100u, 0), 0);             /* empty, non-NULL */
    /* two adjacent spans: a buffer across both is still refused */
    const struct sys_span adj[2] = { { 0x1000u, 0x100u }, { 0x1100u, 0x100u } };
    assert_int_equal(sys_span_check(adj, 2, 0x10F0u, 0x20u), -EFAULT);
    /* a span that ends at 2^32 exactly */
    const struct sys_span top = { 0xFFFFFF00u, 0x100u };
    assert_int_equal(sys_span_check(&top, 1, 0xFFFFFF00u, 0x100u), 0);
    assert_int_equal(sys_span_check(&top, 1, 0xFFFFFF01u, 0x100u), -EFAULT);
}

static enum line_event feed(struct line *l, const char *s, char *echo, size_t *n)
{
    enum line_event ev = LINE_MORE;
    size_t total = 0;
    for (; *s != '\0'; s++) {
        size_t k;
        ev = line_feed(l, (uint8_t)*s, echo + total, &k);
        total += k;
    }
    *n = total;
    return ev;
}

static void test_line_editing(void **state)
{
    (void)state;
    struct line l;
    static char echo[4096];
    size_t n;
    line_reset(&l);
    assert_int_equal(feed(&l, "ecX\x7fho hi\r", echo, &n), LINE_DONE);
    assert_string_equal(l.buf, "echo hi");
    line_reset(&l);
    assert_int_equal(feed(&l, "junk\x15ps\n", echo, &n), LINE_DONE);
    assert_string_equal(l.buf, "ps");
    line_reset(&l);
    assert_int_equal(feed(&l, "abc\x03", echo, &n), LINE_CANCEL);
    assert_memory_equal(echo + n - 4, "^C\r\n", 4);
    line_reset(&l);
    assert_int_equal(feed(&l, "\x01\xff\x1b[Aok\r", echo, &n), LINE_DONE);
    assert_string_equal(l.buf, "ok");
    line_reset(&l);
    char longl[LINE_MAX + 3];
    memset(longl, 'a', LINE_MAX + 1);
    longl[LINE_MAX + 1] = '\r';
    longl[LINE_MAX + 2] = '\0';
    assert_int_equal(feed(&l, longl, echo, &n), LINE_TOO_LONG);
    /* the next line is fine again; CR LF ends one line, not two */
    assert_int_equal(feed(&l, "x\r\n", echo, &n), LINE_MORE);
    assert_string_equal(l.buf, "x");
}

static void test_parse(void **state)
{
    (void)state;
    struct shell_cmd c;
    char a[] = "  echo  hi\tthere > /dev/led0 ";
    assert_int_equal(shell_parse(a, &c), 0);
    assert_int_equal(c.argc, 3);
    assert_string_equal(c.argv[2], "there");
    assert_string_equal(c.redirect, "/dev/led0");
    char b[] = "echo x>f";
    assert_int_equal(shell_parse(b, &c), 0);
    assert_string_equal(c.argv[1], "x");
    assert_string_equal(c.redirect, "f");
    char d[] = "echo a > b > c";
    assert_int_equal(shell_parse(d, &c), -EINVAL);
    char e[] = "echo >";
    assert_int_equal(shell_parse(e, &c), -EINVAL);
    char f[] = "1 2 3 4 5 6 7 8 9";
    assert_int_equal(shell_parse(f, &c), -E2BIG);
    char g[] = "";
    assert_int_equal(shell_parse(g, &c), 0);
    assert_int_equal(c.argc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_span_cases),
        cmocka_unit_test(test_line_editing),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
