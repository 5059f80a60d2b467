/*
 * quartz-sim as a program: error exits (status 2, exactly one line on
 * stderr, nothing on stdout), --help, and a headless run whose outputs are
 * valid (PNG and VCD read back by independent readers) and byte-identical
 * when repeated. Usage: cli_exit_test QUARTZ_SIM [FIRMWARE.elf]
 * (without FIRMWARE the run uses a minimal ARM image that passes the
 * loader's checks, enough for the front-end double fake_qsim.c; the real
 * library needs a real image to run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elfmake.h"
#include "pngread.h"
#include "vcdcheck.h"

extern char **environ;

static const char *program;
static const char *firmware; /* NULL: the synthetic header below */
static char dir[] = "/tmp/qsim-cli-XXXXXX";
static char scratch_elf[128], text_file[128];

struct result {
    int status;
    char *out, *err;
    size_t out_len, err_len;
};

static char *read_all(const char *path, size_t *len)
{
    char *text = (char *)pngread_file(path, len);
    assert_non_null(text);
    text[*len] = '\0'; /* pngread_file leaves room: its buffer is never full */
    return text;
}

/* Runs quartz-sim with the NULL-terminated arguments, stdin from /dev/null. */
static struct result run(const char *first, ...)
{
    char *argv[32] = { (char *)program };
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    char out_path[160], err_path[160];
    snprintf(out_path, sizeof out_path, "%s/stdout", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, program, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    struct result r = { .status = WEXITSTATUS(status) };
    r.out = read_all(out_path, &r.out_len);
    r.err = read_all(err_path, &r.err_len);
    return r;
}

static void free_result(struct result *r)
{
    free(r->out);
    free(r->err);
}

/* `status`, one line "quartz-sim: ..." holding `part`, stdout empty. */
static void expect_error(struct result r, int status, const char *part)
{
    if (r.status != status || r.out_len != 0 || strncmp(r.err, "quartz-sim: ", 12) != 0 ||
        strchr(r.err, '\n') != r.err + r.err_len - 1 || !strstr(r.err, part))
        fail_msg("status %d, stdout %zu bytes, stderr '%s' (expected %d, '%s')", r.status, r.out_len, r.err,
                 status, part);
    free_result(&r);
}

static void expect_usage_error(struct result r, const char *part)
{
    expect_error(r, 2, part);
}

static void test_errors(void **state)
{
    (void)state;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.elf", dir);
    expect_usage_error(run(NULL), "no FIRMWARE.elf");
    expect_usage_error(run("--frobnicate", scratch_elf, NULL), "unknown option");
    expect_usage_error(run(missing, NULL), "missing.elf");
    expect_usage_error(run(text_file, NULL), "not an ELF file");
    if (access("/bin/true", R_OK) == 0)
        expect_usage_error(run("/bin/true", NULL), "not a 32-bit little-endian ARM");
    expect_usage_error(run("--until", "2.5x", scratch_elf, NULL), "bad TIME");
    expect_usage_error(run("--press", "B1@1s+", scratch_elf, NULL), "bad TIME");
    expect_usage_error(run("--interactive", scratch_elf, NULL), "not a TTY");
    expect_usage_error(run("--analog", "PA0=5V", scratch_elf, NULL), "outside 0..3.3V");
    expect_usage_error(run("--analog", "PD2=1V", scratch_elf, NULL), "PD2 is no ADC input");
    expect_usage_error(run("--chip-temp", "hot", scratch_elf, NULL), "bad temperature");
    expect_usage_error(run("--uid", "12", scratch_elf, NULL), "not 24 hex digits");
    expect_usage_error(run("--net-forward", "10.0.2.2:1883", scratch_elf, NULL), "expected SIMADDR:PORT=HOSTADDR:PORT");
    expect_usage_error(run("--link", "sideways@1s", scratch_elf, NULL), "expected up@TIME or down@TIME");
}

static void test_help(void **state)
{
    (void)state;
    struct result r = run("--help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: quartz-sim"));
    assert_int_equal(r.err_len, 0);
    free_result(&r);
}

/* An ARM executable whose one PT_LOAD segment is larger than the 512 KB flash. */
static void test_too_big_for_flash(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/huge.elf", dir);
    const uint32_t filesz = 600u * 1024u;
    uint8_t h[52 + 32] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
    h[16] = 2;  /* ET_EXEC */
    h[18] = 40; /* EM_ARM */
    h[20] = 1;  /* EV_CURRENT */
    memcpy(h + 24, &(uint32_t){ 0x08000000u }, 4); /* e_entry */
    memcpy(h + 28, &(uint32_t){ 52 }, 4);          /* e_phoff */
    h[40] = 52;                                    /* e_ehsize */
    h[42] = 32;                                    /* e_phentsize */
    h[44] = 1;                                     /* e_phnum */
    uint32_t ph[8] = { 1 /* PT_LOAD */, 4096, 0x08000000u, 0x08000000u, filesz, filesz, 5, 4096 };
    memcpy(h + 52, ph, sizeof ph);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(h, 1, sizeof h, f);
    fseek(f, 4096 + filesz - 1, SEEK_SET);
    fputc(0, f);
    fclose(f);
    expect_usage_error(run(path, NULL), "huge.elf");
    unlink(path);
}

static char *outputs(int i, const char *name)
{
    static char paths[2][4][160];
    static const char *const names[] = { "console.txt", "report.json", "oled.png", "trace.vcd" };
    for (int k = 0; k < 4; k++)
        if (strcmp(names[k], name) == 0) {
            snprintf(paths[i][k], sizeof paths[i][k], "%s/run%d-%s", dir, i, name);
            return paths[i][k];
        }
    fail_msg("unknown output %s", name);
    return NULL;
}

static void test_run_outputs(void **state)
{
    (void)state;
    const char *elf = firmware ? firmware : scratch_elf;
    for (int i = 0; i < 2; i++) {
        struct result r = run("--until", "1s", "--press", "B1@300ms", "--console", outputs(i, "console.txt"),
                              "--report", outputs(i, "report.json"), "--oled-png", outputs(i, "oled.png"),
                              "--vcd", outputs(i, "trace.vcd"), elf, NULL);
        if (r.status != 0)
            fail_msg("run %d: status %d, stderr '%s'", i, r.status, r.err);
        assert_int_equal(r.out_len, 0); /* the console went to its file */
        free_result(&r);
    }
    static const char *const names[] = { "console.txt", "report.json", "oled.png", "trace.vcd" };
    for (int k = 0; k < 4; k++) {
        size_t a_len, b_len;
        char *a = read_all(outputs(0, names[k]), &a_len);
        char *b = read_all(outputs(1, names[k]), &b_len);
        if (a_len != b_len || memcmp(a, b, a_len) != 0)
            fail_msg("%s differs between two identical runs", names[k]);
        free(a);
        free(b);
    }

    size_t len;
    char why[256];
    uint8_t *png = (uint8_t *)read_all(outputs(0, "oled.png"), &len);
    struct pngread_image img;
    if (pngread(png, len, &img, why, sizeof why) != 0)
        fail_msg("oled.png: %s", why);
    assert_int_equal(img.width, 512);
    assert_int_equal(img.height, 256);
    free(img.pixels);
    free(png);

    char *vcd = read_all(outputs(0, "trace.vcd"), &len);
    struct vcdcheck c;
    if (vcdcheck_parse(vcd, &c, why, sizeof why) != 0)
        fail_msg("trace.vcd: %s", why);
    assert_true(c.n_vars > 0);
    assert_true(c.last_time <= 1000000000000ull); /* 1 s in ps */
    vcdcheck_free(&c);
    free(vcd);

    char *report = read_all(outputs(0, "report.json"), &len);
    assert_true(len > 2 && report[0] == '{');
    assert_non_null(strstr(report, "\"virtual_ms\""));
    free(report);
}

static void test_console_to_stdout(void **state)
{
    (void)state;
    const char *elf = firmware ? firmware : scratch_elf;
    char path[160];
    snprintf(path, sizeof path, "%s/console-file.txt", dir);
    struct result a = run("--until", "600ms", "--console", path, elf, NULL);
    struct result b = run("--until", "600ms", elf, NULL); /* headless default: stdout */
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    size_t len;
    char *file = read_all(path, &len);
    assert_int_equal(len, b.out_len);
    assert_memory_equal(file, b.out, len);
    free(file);
    free_result(&a);
    free_result(&b);
}

/* Issue 9.4: an output that cannot be written (a full disk) is one line and status 1. */
static void test_output_write_errors(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    const char *elf = firmware ? firmware : scratch_elf;
    char sink[160];
    snprintf(sink, sizeof sink, "%s/sink.txt", dir);
    static const char *const options[] = { "--vcd", "--console", "--report", "--oled-png" };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char part[64];
        snprintf(part, sizeof part, "%s /dev/full: ", options[i]);
        bool console = strcmp(options[i], "--console") == 0;
        expect_error(run("--until", "100ms", console ? "--report" : "--console", sink, options[i], "/dev/full",
                         elf, NULL),
                     1, part);
    }
    unlink(sink);
}

static bool file_equal(const char *a, const char *b)
{
    size_t a_len, b_len;
    char *x = read_all(a, &a_len), *y = read_all(b, &b_len);
    bool same = a_len == b_len && memcmp(x, y, a_len) == 0;
    free(x);
    free(y);
    return same;
}

/* Issue 9.5: outputs that would overwrite each other or the firmware are refused before the run. */
static void test_output_clash(void **state)
{
    (void)state;
    char fw[160], copy[160], out[160];
    snprintf(fw, sizeof fw, "%s/clash.elf", dir);
    snprintf(copy, sizeof copy, "%s/clash-copy.elf", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(elfmake_minimal(fw), 0);
    assert_int_equal(elfmake_minimal(copy), 0);
    expect_usage_error(run("--console", out, "--report", out, fw, NULL), "--console and --report both write");
    expect_usage_error(run("--vcd", out, "--oled-png", out, fw, NULL), "both write");
    assert_int_not_equal(access(out, F_OK), 0); /* refused before anything was opened */
    expect_usage_error(run("--report", fw, fw, NULL), "would overwrite the firmware");
    expect_usage_error(run("--until", "10ms", "--vcd", fw, fw, NULL), "would overwrite the firmware");
    assert_true(file_equal(fw, copy));
    unlink(fw);
    unlink(copy);
}

/* Issues 9.6-9.9: the loader's verdicts on bad images reach the user as status 2. */
static void test_bad_images(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/bad.elf", dir);
    const struct elfmake_seg sram_only = { ELFMAKE_PT_LOAD, 0x20000000u, 0x20000000u, 64, 64 };
    assert_int_equal(elfmake_file(path, &sram_only, 1), 0);
    expect_usage_error(run("--until", "10ms", path, NULL), "no vector table at 0x08000000");
    const struct elfmake_seg empty = { ELFMAKE_PT_LOAD, 0x08000000u, 0x08000000u, 0, 0 };
    assert_int_equal(elfmake_file(path, &empty, 1), 0);
    expect_usage_error(run("--until", "10ms", path, NULL), "no vector table at 0x08000000");
    const struct elfmake_seg big_bss[] = {
        { ELFMAKE_PT_LOAD, 0x08000000u, 0x08000000u, 64, 64 },
        { ELFMAKE_PT_LOAD, 0x20000000u, 0x20000000u, 0, 1024u * 1024u },
    };
    assert_int_equal(elfmake_file(path, big_bss, 2), 0);
    expect_usage_error(run("--until", "10ms", path, NULL), "does not fit the 128 KB SRAM");
    const struct elfmake_seg twice[] = {
        { ELFMAKE_PT_LOAD, 0x08000000u, 0x08000000u, 288u * 1024u, 288u * 1024u },
        { ELFMAKE_PT_LOAD, 0x08000000u, 0x08000000u, 288u * 1024u, 288u * 1024u },
    };
    assert_int_equal(elfmake_file(path, twice, 2), 0);
    expect_usage_error(run("--until", "10ms", path, NULL), "segments 0 and 1 both load 0x08000000");
    size_t len;
    uint8_t *image = elfmake(twice, 1, &len);
    for (size_t n = 16; n < 52; n += 7) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(image, 1, n, f);
        fclose(f);
        expect_usage_error(run(path, NULL), "truncated ELF header");
    }
    free(image);
    unlink(path);
}

/* Issue 9.11: a repeated --bounce is an error; control bytes in an argument do not break the line. */
static void test_option_consistency(void **state)
{
    (void)state;
    expect_usage_error(run("--bounce", "1", "--bounce", "2", scratch_elf, NULL), "--bounce given twice");
    expect_usage_error(run("--x\ny", scratch_elf, NULL), "unknown option '--x\\ny'");
    expect_usage_error(run("--until", "1s\r", scratch_elf, NULL), "bad TIME '1s\\r'");
    char odd[160];
    snprintf(odd, sizeof odd, "%s/no\nsuch.elf", dir);
    expect_usage_error(run(odd, NULL), "no\\nsuch.elf");
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(scratch_elf, sizeof scratch_elf, "%s/bare.elf", dir);
    snprintf(text_file, sizeof text_file, "%s/notes.txt", dir);
    FILE *t = fopen(text_file, "w");
    if (elfmake_minimal(scratch_elf) != 0 || !t)
        return -1;
    fputs("not firmware\n", t);
    fclose(t);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s QUARTZ_SIM [FIRMWARE.elf]\n", argv[0]);
        return 2;
    }
    program = argv[1];
    firmware = argc > 2 ? argv[2] : NULL;
    const struct CMUnitTest common[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_output_clash),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_option_consistency),
    };
    const struct CMUnitTest with_image[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_too_big_for_flash),
        cmocka_unit_test(test_output_clash),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_option_consistency),
        cmocka_unit_test(test_output_write_errors),
        cmocka_unit_test(test_run_outputs),
        cmocka_unit_test(test_console_to_stdout),
    };
    const struct CMUnitTest with_fake[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_output_clash),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_option_consistency),
        cmocka_unit_test(test_output_write_errors),
        cmocka_unit_test(test_run_outputs),
        cmocka_unit_test(test_console_to_stdout),
    };
    bool fake = getenv("QSIM_FRONTEND_FAKE") != NULL;
    if (fake)
        return cmocka_run_group_tests(with_fake, setup, teardown);
    if (firmware)
        return cmocka_run_group_tests(with_image, setup, teardown);
    return cmocka_run_group_tests(common, setup, teardown);
}
