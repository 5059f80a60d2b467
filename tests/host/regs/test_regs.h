/* Shared by test_regs.c (chip, against the SVD) and test_core.c (core). */
#ifndef QUARTZ_TEST_REGS_H
#define QUARTZ_TEST_REGS_H

extern int regs_failures;
void regs_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void test_core_addresses(void **state);
void test_core_fields(void **state);
void test_core_exceptions(void **state);

#endif
