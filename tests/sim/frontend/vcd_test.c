/* vcd.c: output checked by an independent strict reader (vcdcheck.c), histories replayed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcd.h"
#include "vcdcheck.h"

static char *slurp(FILE *f)
{
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    return text;
}

/* The scripted trace used by several tests. */
static void scripted(struct vcd *v)
{
    vcd_change(v, 0, "PA5", 1, 0);
    vcd_change(v, 0, "I2C1.SDA", 1, 1);
    vcd_change(v, 0, "I2C1.SCL", 1, 1);
    vcd_change(v, 1000, "I2C1.SDA", 1, 0);      /* START */
    vcd_change(v, 2500, "I2C1.SCL", 1, 0);
    vcd_change(v, 2500, "I2C1.SCL", 1, 0);      /* no change: not written */
    vcd_change(v, 5000, "irq.TIM2", 1, 1);      /* first seen late: x before */
    vcd_change(v, 5000, "bus.data", 8, 0x3c);
    vcd_change(v, 7000, "irq.TIM2", 1, 0);
    vcd_change(v, 7000, "bus.data", 8, 0x1ff);  /* masked to 8 bits */
    vcd_change(v, 9000, "PA5", 1, 1);
}

static void test_round_trip(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    struct vcd *v = vcd_create(f);
    assert_non_null(v);
    scripted(v);
    assert_int_equal(vcd_close(v), 0);
    char *text = slurp(f);
    fclose(f);

    struct vcdcheck c;
    char why[256];
    if (vcdcheck_parse(text, &c, why, sizeof why) != 0)
        fail_msg("%s\n%s", why, text);
    assert_string_equal(c.timescale, "1ps");
    assert_int_equal(c.n_vars, 5);
    assert_true(c.last_time == 9000);
    assert_int_equal(c.n_timestamps, 6); /* #0 #1000 #2500 #5000 #7000 #9000 */

    const struct vcdcheck_var *pa5 = vcdcheck_find(&c, "PA5");
    assert_non_null(pa5);
    assert_int_equal(pa5->width, 1);
    assert_int_equal(pa5->n_changes, 2);
    assert_true(pa5->changes[0].t == 0 && pa5->changes[0].known && pa5->changes[0].value == 0);
    assert_true(pa5->changes[1].t == 9000 && pa5->changes[1].value == 1);

    const struct vcdcheck_var *scl = vcdcheck_find(&c, "I2C1.SCL");
    assert_non_null(scl);
    assert_int_equal(scl->n_changes, 2);
    assert_true(scl->changes[1].t == 2500 && scl->changes[1].value == 0);

    const struct vcdcheck_var *irq = vcdcheck_find(&c, "irq.TIM2");
    assert_non_null(irq);
    assert_int_equal(irq->n_changes, 3);
    assert_false(irq->changes[0].known); /* $dumpvars: x until first seen */
    assert_true(irq->changes[1].t == 5000 && irq->changes[1].value == 1);
    assert_true(irq->changes[2].t == 7000 && irq->changes[2].value == 0);

    const struct vcdcheck_var *data = vcdcheck_find(&c, "bus.data");
    assert_non_null(data);
    assert_int_equal(data->width, 8);
    assert_int_equal(data->n_changes, 3);
    assert_true(data->changes[1].value == 0x3c && data->changes[2].value == 0xff);

    assert_non_null(vcdcheck_find(&c, "I2C1.SDA"));
    /* One scope per prefix: both I2C1 signals share one $scope. */
    const char *first = strstr(text, "$scope module I2C1 $end");
    assert_non_null(first);
    assert_null(strstr(first + 1, "$scope module I2C1 $end"));
    vcdcheck_free(&c);
    free(text);
}

static void test_deterministic(void **state)
{
    (void)state;
    char *texts[2];
    for (int i = 0; i < 2; i++) {
        FILE *f = tmpfile();
        assert_non_null(f);
        struct vcd *v = vcd_create(f);
        scripted(v);
        assert_int_equal(vcd_close(v), 0);
        texts[i] = slurp(f);
        fclose(f);
    }
    assert_string_equal(texts[0], texts[1]);
    free(texts[0]);
    free(texts[1]);
}

static void test_many_signals_and_odd_input(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    struct vcd *v = vcd_create(f);
    char name[32];
    for (int i = 0; i < 300; i++) { /* more than 94: two-character identifier codes */
        snprintf(name, sizeof name, "grp%d.sig%d", i % 7, i);
        vcd_change(v, (uint64_t)(i + 1) * 10, name, (unsigned)(i % 32 + 1), (uint32_t)i);
    }
    vcd_change(v, 5, "late", 1, 1);               /* earlier than the last time: recorded at 3000 */
    vcd_change(v, 4000, "with space", 1, 1);      /* no white space in a reference */
    vcd_change(v, 4000, "wide", 32, 0xffffffffu);
    vcd_change(v, 4000, "", 1, 1);                /* ignored */
    assert_int_equal(vcd_close(v), 0);
    char *text = slurp(f);
    fclose(f);

    struct vcdcheck c;
    char why[256];
    if (vcdcheck_parse(text, &c, why, sizeof why) != 0)
        fail_msg("%s", why);
    assert_int_equal(c.n_vars, 303);
    const struct vcdcheck_var *late = vcdcheck_find(&c, "late");
    assert_non_null(late);
    assert_true(late->changes[late->n_changes - 1].t == 3000);
    assert_non_null(vcdcheck_find(&c, "with_space"));
    const struct vcdcheck_var *wide = vcdcheck_find(&c, "wide");
    assert_true(wide->changes[wide->n_changes - 1].value == 0xffffffffu);
    const struct vcdcheck_var *s299 = vcdcheck_find(&c, "grp5.sig299");
    assert_non_null(s299);
    assert_int_equal(s299->width, 299 % 32 + 1);
    assert_true(s299->changes[s299->n_changes - 1].value == (299u & ((1u << (299 % 32 + 1)) - 1)));
    vcdcheck_free(&c);
    free(text);
}

static void test_empty(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(vcd_close(vcd_create(f)), 0);
    char *text = slurp(f);
    fclose(f);
    struct vcdcheck c;
    char why[256];
    if (vcdcheck_parse(text, &c, why, sizeof why) != 0)
        fail_msg("%s", why);
    assert_int_equal(c.n_vars, 0);
    vcdcheck_free(&c);
    free(text);

    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    struct vcd *v = vcd_create(ro);
    vcd_change(v, 1, "PA5", 1, 1);
    assert_int_equal(vcd_close(v), -EIO);
    fclose(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_many_signals_and_odd_input), cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
