/*
 * QUARTZ_ASSERT(cond): a contract of the caller (STYLE.md 11). A broken
 * contract is a bug in the calling code, not an error to return: the
 * firmware stops there, records where, and resets.
 *
 * Firmware: a failed assertion calls quartz_assert_fail() with the file's
 * 16-bit id and the line, packed in one word (no strings in flash). The
 * runtime (arch/cortex-m/fault.c) writes them into the fault record in
 * .noinit and resets; the next boot reports "assert file 0x<id> line <n>"
 * like any fault. The build gives every firmware source its id
 * (QUARTZ_FILE_ID, cmake/file_ids.cmake) and lists them in
 * build/fw/assert-files.txt. The passing path is a compare and a branch, so
 * the checks stay on in release images.
 *
 * Host unit tests (QUARTZ_ASSERT_CMOCKA): the assertion is cmocka's
 * mock_assert(), so a broken contract fails the test, and a test can
 * expect one with expect_assert_failure(). Other host programs that reuse
 * firmware sources (quartz-sim's test decoders) trap at once.
 */
#ifndef QUARTZ_ASSERT_H
#define QUARTZ_ASSERT_H

#include <stdint.h>

#if defined(QUARTZ_ASSERT_CMOCKA)

void mock_assert(const int result, const char *const expression, const char *const file,
                 const int line);
#define QUARTZ_ASSERT(cond) mock_assert(!!(cond), #cond, __FILE__, __LINE__)

#elif !defined(__arm__)

#define QUARTZ_ASSERT(cond)            \
    do {                               \
        if (!(cond))                   \
            __builtin_trap();          \
    } while (0)

#else

#ifndef QUARTZ_FILE_ID
#error "QUARTZ_FILE_ID is not set: firmware sources get it from cmake/file_ids.cmake"
#endif

/* Records `where` (file id << 16 | line) and resets; never returns. */
__attribute__((noreturn, cold)) void quartz_assert_fail(uint32_t where);

#define QUARTZ_ASSERT(cond)                                                                 \
    do {                                                                                    \
        if (__builtin_expect(!(cond), 0))                                                   \
            quartz_assert_fail(((uint32_t)(QUARTZ_FILE_ID) << 16) | ((uint32_t)__LINE__ & 0xFFFFU)); \
    } while (0)

#endif

#endif
