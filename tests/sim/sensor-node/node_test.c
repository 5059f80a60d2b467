/* What the sensor-node scenarios share (node_test.h). */
#define _GNU_SOURCE /* memmem */
#include "node_test.h"

const char *node_elf;
struct node node;

int node_teardown(void **state)
{
    (void)state;
    node_destroy(&node);
    return 0;
}

void node_fail_unless(bool ok, const char *what, unsigned from)
{
    if (ok)
        return;
    node_dump(&node, from);
    fail_msg("%s", what);
}

unsigned node_readings(unsigned from, struct env_reading *out, unsigned max)
{
    unsigned k = 0;
    for (unsigned i = from; i < node.n_msg && k < max; i++) {
        const struct node_msg *m = &node.msg[i];
        if (strcmp(m->topic, "env") != 0)
            continue;
        char why[96];
        if (env_parse(m->payload, m->len, &out[k], why, sizeof why) != 0) {
            node_dump(&node, i);
            fail_msg("env payload [%u] breaks docs/sensor-node.md: %s: %s", i, why, m->payload);
        }
        if (m->qos != 1)
            fail_msg("env payload [%u] came at QoS %u, not 1", i, m->qos);
        if (!out[k].dropped_report)
            k++;
    }
    return k;
}

unsigned node_up(unsigned uid_seed, const struct qsim_options *extra)
{
    assert_int_equal(node_create(&node, node_elf, uid_seed, extra), 0);
    int i = node_online(&node, 0);
    assert_true(i >= 0);
    return (unsigned)i;
}

bool node_cmd_refused(const char *cmd, size_t len)
{
    unsigned from = node.n_msg;
    assert_int_equal(node_publish(&node, "cmd", cmd, len), 0);
    return node_wait_msg(&node, "error", NULL, from, 3 * RIG_S) >= 0;
}

unsigned node_console_count(size_t from, const char *needle)
{
    size_t len;
    const char *c = qsim_console(node.r.s, &len);
    unsigned n = 0;
    for (const char *p = from < len ? memmem(c + from, len - from, needle, strlen(needle)) : NULL; p;
         p = memmem(p + 1, len - (size_t)(p + 1 - c), needle, strlen(needle)))
        n++;
    return n;
}

int node_main(int argc, char **argv, const char *group, const struct CMUnitTest *tests, size_t n)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s sensor-node.elf [scenario]\n", argv[0]);
        return 2;
    }
    node_elf = argv[1];
    if (argc > 2)
        cmocka_set_test_filter(argv[2]);
    return _cmocka_run_group_tests(group, tests, n, node_group_setup, node_group_teardown);
}
