/*
 * libquartzsim (quartzsim.h): lifecycle, scripted inputs as core events,
 * outputs delegated to the board model, PNG and VCD output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/elf.h"
#include "frontend/png.h"
#include "frontend/vcd.h"
#include "stm32f446/f446.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * LeakSanitizer's built-in suppressions (a hook it looks up by name): the
 * one leak it must not report is Unicorn 2.0.1's own, the self-modifying-code
 * bitmap it allocates for a page that holds translated code and is then
 * written, and never frees (docs/simulator.md, "Unicorn 2.0.1 notes"). Only
 * that allocation site is suppressed; any leak of ours is still reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:tb_invalidate_phys_page_fast_arm\n";
}
#endif

#define HSI_HZ 16000000u               /* reset clock (RM0390 6.2.2) */
#define DEFAULT_HOLD_NS 80000000ull    /* a press of 80 ms */
#define DEFAULT_BOUNCE_NS 2000000u

enum script_kind {
    SC_PRESS, SC_RELEASE, SC_DETACH, SC_ATTACH, SC_STUCK, SC_UNSTUCK, SC_SCL_STUCK, SC_SCL_UNSTUCK, SC_RX, SC_RESET,
    SC_BME280_DETACH, SC_BME280_ATTACH
};

_Static_assert(ELF_FLASH_BASE == CORE_FLASH_BASE && ELF_FLASH_SIZE == CORE_FLASH_SIZE &&
               ELF_SRAM_BASE == CORE_SRAM_BASE && ELF_SRAM_SIZE == CORE_SRAM_SIZE,
               "the loader and the core disagree on the memory map");

#define HOST_PAGE 4096u

/* Host-page aligned, for Unicorn's uc_mem_map_ptr. C11 7.22.3.1 wants the
 * size of aligned_alloc to be a multiple of the alignment (31 KB is not). */
static void *page_alloc(size_t size, int fill)
{
    void *p = aligned_alloc(HOST_PAGE, (size + HOST_PAGE - 1) / HOST_PAGE * HOST_PAGE);
    if (p)
        memset(p, fill, size);
    return p;
}

/* The unique device ID unless qsim_options.uid is given: fixed, so runs are deterministic. */
static const uint8_t default_uid[12] = {0x33, 0x00, 0x2A, 0x00, 0x12, 0x51, 0x34, 0x38, 0x37, 0x37, 0x31, 0x30};

static void put16(uint8_t *sysmem, uint32_t address, uint16_t value)
{
    sysmem[address - CORE_SYSMEM_BASE] = (uint8_t)value;
    sysmem[address - CORE_SYSMEM_BASE + 1] = (uint8_t)(value >> 8);
}

/* System memory area contents the firmware may read (RM0390 39.1, 39.2, 3.6;
 * the ADC calibration values: datasheet DS10693, "Temperature sensor calibration
 * values" and "Internal reference voltage calibration values"). */
static void fill_system_memory(struct qsim *s)
{
    const uint8_t *uid = s->opt.uid_given ? s->opt.uid : default_uid;
    memcpy(s->sysmem + (0x1FFF7A10u - CORE_SYSMEM_BASE), uid, sizeof default_uid); /* unique device ID */
    put16(s->sysmem, 0x1FFF7A22u, 512);                                            /* F_SIZE in KB */
    put16(s->sysmem, ADC_VREFINT_CAL_ADDR, ADC_VREFINT_CAL);
    put16(s->sysmem, ADC_TS_CAL1_ADDR, ADC_TS_CAL1);
    put16(s->sysmem, ADC_TS_CAL2_ADDR, ADC_TS_CAL2);
    const uint8_t opt[] = {0xEC, 0xAA, 0, 0, 0, 0, 0, 0, 0xFF, 0x0F}; /* USER, RDP level 0, nWRP */
    memcpy(s->option, opt, sizeof opt);
}

struct qsim *qsim_create(const struct qsim_options *opt)
{
    struct qsim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (opt)
        s->opt = *opt;
    core_time_init(s, HSI_HZ);
    s->flash = page_alloc(CORE_FLASH_SIZE, 0xFF);
    s->flash_alias = page_alloc(CORE_FLASH_SIZE, 0xFF);
    s->sram = page_alloc(CORE_SRAM_SIZE, 0);
    s->sysmem = page_alloc(CORE_SYSMEM_SIZE, 0xFF);
    s->option = page_alloc(CORE_PAGE, 0xFF);
    s->blocks = calloc(CORE_BLOCK_CACHE, sizeof *s->blocks);
    if (!s->flash || !s->flash_alias || !s->sram || !s->sysmem || !s->option || !s->blocks) {
        qsim_destroy(s);
        return NULL;
    }
    fill_system_memory(s);
    core_scs_reset(s);
    if (core_cpu_init(s) != 0) {
        qsim_destroy(s);
        return NULL;
    }
    /* Register names of unmodeled accesses: from --svd, else the facts
     * built in; read at the first unmodeled access (sim_unmodeled), as
     * parsing an SVD takes longer than a short run. */
    if (s->opt.svd_path && !(s->svd_path = strdup(s->opt.svd_path))) {
        qsim_destroy(s);
        return NULL;
    }
    s->board = nucleo_create(s);
    if (!s->board) {
        qsim_destroy(s);
        return NULL;
    }
    if (s->opt.eeprom && nucleo_eeprom_attach(s->board) != 0) {
        qsim_destroy(s);
        return NULL;
    }
    if (s->opt.spi_test_devices && nucleo_spi_test_devices_attach(s->board) != 0) {
        qsim_destroy(s);
        return NULL;
    }
    if (core_bme280_attach(s) != 0) {
        qsim_destroy(s);
        return NULL;
    }
    core_mmio_commit(s);
    uint64_t window = s->opt.bounce_window_ns ? s->opt.bounce_window_ns : DEFAULT_BOUNCE_NS;
    nucleo_set_bounce(s->board, s->opt.bounce_edges, window * 1000);
    return s;
}

void qsim_destroy(struct qsim *s)
{
    if (!s)
        return;
    qsim_vcd_close(s);
    if (s->board)
        nucleo_destroy(s->board);
    if (s->uc)
        uc_close(s->uc);
    core_mmio_free(s);
    core_traps_free(s);
    while (s->scripts) {
        struct core_script *n = s->scripts->next;
        free(s->scripts->bytes);
        free(s->scripts);
        s->scripts = n;
    }
    for (unsigned i = 0; i < s->warning_count; i++)
        free(s->warnings[i].message);
    free(s->warnings);
    free(s->unmodeled);
    free(s->faults);
    core_svd_free(s->svd);
    free(s->svd_path);
    free(s->blocks);
    free(s->flash);
    free(s->flash_alias);
    free(s->sram);
    free(s->sysmem);
    free(s->option);
    free(s);
}

int qsim_load_elf(struct qsim *s, const char *path, char *err, size_t errlen)
{
    memset(s->flash, 0xFF, CORE_FLASH_SIZE);
    memset(s->sram, 0, CORE_SRAM_SIZE);
    int rc = elf_load_file(path, s->flash, s->sram, err, errlen);
    /* The firmware cannot write flash, so the copy at 0 stays identical. */
    memcpy(s->flash_alias, s->flash, CORE_FLASH_SIZE);
    /* Code translated from an earlier image is stale (kept partial cuts too).
     * Only flush when something was translated: Unicorn 2.0.1's tb_flush
     * clears its whole 1 GB code buffer (tcg_region_reset_all), which costs
     * about 0.3 s, longer than a 20 s stopwatch run. */
    if (s->translated) {
        uc_ctl_flush_tlb(s->uc);
        s->translated = false;
    }
    memset(s->kept_cuts, 0, sizeof s->kept_cuts);
    s->loaded = rc == 0;
    core_blocks_flush(s);
    if (!rc)
        qsim_reset(s);
    return rc;
}

uint64_t qsim_time_ns(const struct qsim *s)
{
    return sim_now_ps(s) / 1000;
}

uint64_t qsim_cycles(const struct qsim *s)
{
    return s->cycles;
}

uint64_t qsim_sleep_cycles(const struct qsim *s)
{
    return s->sleep_cycles;
}

uint32_t qsim_hclk_hz(const struct qsim *s)
{
    return s->hclk;
}

void sim_irq_set_level(sim_t *s, int irqn, bool level)
{
    if (irqn < 0 || irqn >= CORE_NUM_IRQ)
        return;
    int e = EXC_IRQ0 + irqn;
    if (level && !s->scs.level[e]) {
        core_pend(s, e);
        core_scs_dirty(s);
        if (s->scs.enabled[e])
            core_request_check(s);
    }
    s->scs.level[e] = level;
}

/* ---- scripted inputs ----------------------------------------------------- */

static void script_fire(sim_t *s, void *dev, uint32_t arg)
{
    struct core_script *sc = dev;
    (void)arg;
    switch (sc->kind) {
    case SC_PRESS: nucleo_button_set(s->board, true); break;
    case SC_RELEASE: nucleo_button_set(s->board, false); break;
    case SC_DETACH: nucleo_oled_attach(s->board, false); break;
    case SC_ATTACH: nucleo_oled_attach(s->board, true); break;
    case SC_STUCK: nucleo_i2c_stuck_sda(s->board, sc->bus, true); break;
    case SC_UNSTUCK: nucleo_i2c_stuck_sda(s->board, sc->bus, false); break;
    case SC_SCL_STUCK: nucleo_i2c_stuck_scl(s->board, sc->bus, true); break;
    case SC_SCL_UNSTUCK: nucleo_i2c_stuck_scl(s->board, sc->bus, false); break;
    case SC_RX: nucleo_console_rx(s->board, sc->bytes, sc->len); break;
    case SC_RESET: s->reset_requested = true; break;
    case SC_BME280_DETACH: nucleo_bme280_plug(s->board, false); break;
    case SC_BME280_ATTACH: nucleo_bme280_plug(s->board, true); break;
    }
}

static int script(struct qsim *s, int kind, uint64_t t_ns, int bus, const void *bytes, size_t len)
{
    /* "Now" in ns (qsim_time_ns) truncates the ps clock: a time in the
     * current nanosecond is now, not the past. */
    uint64_t now_ps = sim_now_ps(s);
    if (t_ns > UINT64_MAX / 1000 || t_ns < now_ps / 1000)
        return -EINVAL;
    uint64_t due_ps = t_ns * 1000 < now_ps ? now_ps : t_ns * 1000;
    struct core_script *sc = calloc(1, sizeof *sc);
    if (!sc)
        return -ENOMEM;
    sc->kind = kind;
    sc->bus = bus;
    if (len) {
        sc->bytes = malloc(len);
        if (!sc->bytes) {
            free(sc);
            return -ENOMEM;
        }
        memcpy(sc->bytes, bytes, len);
        sc->len = len;
    }
    sc->next = s->scripts;
    s->scripts = sc;
    sim_event_at(s, &sc->ev, due_ps, script_fire, sc, 0);
    return 0;
}

void qsim_button_set(struct qsim *s, bool pressed)
{
    nucleo_button_set(s->board, pressed);
}

int qsim_press_at(struct qsim *s, uint64_t t_ns, uint64_t hold_ns)
{
    if (!hold_ns)
        hold_ns = DEFAULT_HOLD_NS;
    int rc = script(s, SC_PRESS, t_ns, 0, NULL, 0);
    return rc ? rc : script(s, SC_RELEASE, t_ns + hold_ns, 0, NULL, 0);
}

int qsim_oled_detach_at(struct qsim *s, uint64_t t_ns)
{
    return script(s, SC_DETACH, t_ns, 0, NULL, 0);
}

int qsim_oled_attach_at(struct qsim *s, uint64_t t_ns)
{
    return script(s, SC_ATTACH, t_ns, 0, NULL, 0);
}

int qsim_bme280_detach_at(struct qsim *s, uint64_t t_ns)
{
    return nucleo_bme280(s->board) ? script(s, SC_BME280_DETACH, t_ns, 0, NULL, 0) : -ENODEV;
}

int qsim_bme280_attach_at(struct qsim *s, uint64_t t_ns)
{
    return nucleo_bme280(s->board) ? script(s, SC_BME280_ATTACH, t_ns, 0, NULL, 0) : -ENODEV;
}

int qsim_stuck_sda_at(struct qsim *s, int i2c_bus, uint64_t t_ns, uint64_t duration_ns)
{
    if (i2c_bus < 1 || i2c_bus > 3)
        return -EINVAL;
    int rc = script(s, SC_STUCK, t_ns, i2c_bus, NULL, 0);
    return rc ? rc : script(s, SC_UNSTUCK, t_ns + duration_ns, i2c_bus, NULL, 0);
}

int qsim_stuck_scl_at(struct qsim *s, int i2c_bus, uint64_t t_ns, uint64_t duration_ns)
{
    if (i2c_bus < 1 || i2c_bus > 3)
        return -EINVAL;
    int rc = script(s, SC_SCL_STUCK, t_ns, i2c_bus, NULL, 0);
    return rc ? rc : script(s, SC_SCL_UNSTUCK, t_ns + duration_ns, i2c_bus, NULL, 0);
}

int qsim_hold_scl_after(struct qsim *s, int i2c_bus, unsigned bytes, uint64_t duration_ns)
{
    if (i2c_bus < 1 || i2c_bus > 3 || bytes == 0 || duration_ns > UINT64_MAX / 1000)
        return -EINVAL;
    nucleo_i2c_hold_scl_after(s->board, i2c_bus, bytes, duration_ns * 1000);
    return 0;
}

int qsim_eeprom_read(const struct qsim *s, uint32_t address, void *buf, size_t len)
{
    return nucleo_eeprom_read(s->board, address, buf, len);
}

int qsim_spi_regfile_read(const struct qsim *s, unsigned address, void *buf, size_t len)
{
    return nucleo_spi_regfile_read(s->board, address, buf, len);
}

int qsim_rx_at(struct qsim *s, const char *bytes, size_t len, uint64_t t_ns)
{
    if (!bytes || !len)
        return -EINVAL;
    return script(s, SC_RX, t_ns, 0, bytes, len);
}

int qsim_reset_at(struct qsim *s, uint64_t t_ns)
{
    return script(s, SC_RESET, t_ns, 0, NULL, 0);
}

/* Analog inputs: applied by the chip's analog side at their time (sim/stm32f446/adc_analog.c). */
static int analog_due(struct qsim *s, uint64_t t_ns, uint64_t *due_ps)
{
    uint64_t now_ps = sim_now_ps(s);
    if (t_ns > UINT64_MAX / 1000 || t_ns < now_ps / 1000)
        return -EINVAL;
    *due_ps = t_ns * 1000 < now_ps ? now_ps : t_ns * 1000;
    return 0;
}

int qsim_analog_at(struct qsim *s, char port, int pin, uint32_t microvolts, uint64_t t_ns)
{
    struct adc_common *adc = &nucleo_chip(s->board)->adc;
    int p = port >= 'a' ? port - 'a' : port - 'A';
    bool adc_input = false;
    for (int k = 0; k < ADC_COUNT; k++)
        for (int ch = 0; ch < 16; ch++) {
            int cp, cpin;
            if (adc_channel_pad(k, ch, &cp, &cpin) == 0 && cp == p && cpin == pin)
                adc_input = true;
        }
    uint64_t due_ps;
    if (!adc_input || microvolts > QSIM_VDDA_UV || analog_due(s, t_ns, &due_ps) != 0)
        return -EINVAL;
    return adc_input_at(adc, due_ps, p, pin, (int32_t)microvolts);
}

int qsim_chip_temp_at(struct qsim *s, int32_t millicelsius, uint64_t t_ns)
{
    uint64_t due_ps;
    if (millicelsius < QSIM_TEMP_MIN_MC || millicelsius > QSIM_TEMP_MAX_MC || analog_due(s, t_ns, &due_ps) != 0)
        return -EINVAL;
    return adc_input_at(&nucleo_chip(s->board)->adc, due_ps, -1, 0, millicelsius);
}

/* ---- outputs ------------------------------------------------------------- */

const char *qsim_console(const struct qsim *s, size_t *len)
{
    return nucleo_console(s->board, len);
}

const uint8_t *qsim_oled_gddram(const struct qsim *s)
{
    return nucleo_oled_gddram(s->board);
}

bool qsim_oled_display_on(const struct qsim *s)
{
    return nucleo_oled_display_on(s->board);
}

bool qsim_oled_pixel(const struct qsim *s, int x, int y)
{
    return nucleo_oled_pixel(s->board, x, y);
}

int qsim_gpio_get(const struct qsim *s, char port, int pin)
{
    return nucleo_gpio_get(s->board, port, pin);
}

bool qsim_led(const struct qsim *s)
{
    return nucleo_gpio_get(s->board, 'A', 5) == 1;
}

unsigned qsim_oled_update_count(const struct qsim *s)
{
    return nucleo_oled_update_count(s->board);
}

uint64_t qsim_oled_update_ns(const struct qsim *s, unsigned i)
{
    return nucleo_oled_update_ps(s->board, i) / 1000;
}

int qsim_read_mem(const struct qsim *s, uint32_t address, void *buf, size_t len)
{
    static const struct { uint32_t base, size; int which; } areas[] = {
        {0, CORE_FLASH_SIZE, 0},
        {CORE_FLASH_BASE, CORE_FLASH_SIZE, 0},
        {CORE_SRAM_BASE, CORE_SRAM_SIZE, 1},
        {CORE_SYSMEM_BASE, CORE_SYSMEM_SIZE, 2},
        {CORE_OPTION_BASE, CORE_PAGE, 3},
    };
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        uint32_t off = address - areas[i].base;
        if (off >= areas[i].size || len > areas[i].size - off)
            continue;
        const uint8_t *mem[] = {s->flash, s->sram, s->sysmem, s->option};
        memcpy(buf, mem[areas[i].which] + off, len);
        return 0;
    }
    return -EFAULT;
}

static bool png_pixel(const void *ctx, int x, int y)
{
    return nucleo_oled_pixel(((const struct qsim *)ctx)->board, x, y);
}

int qsim_write_oled_png(const struct qsim *s, FILE *out, int scale)
{
    return png_write_gray1(out, 128, 64, scale, png_pixel, s);
}

int qsim_vcd_open(struct qsim *s, const char *path)
{
    if (s->vcd)
        return -EBUSY;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -errno;
    s->vcd = vcd_create(f);
    if (!s->vcd) {
        fclose(f);
        return -ENOMEM;
    }
    s->vcd_file = f;
    return 0;
}

int qsim_vcd_close(struct qsim *s)
{
    if (!s->vcd)
        return 0;
    int rc = vcd_close(s->vcd);
    s->vcd = NULL;
    if (fclose(s->vcd_file) != 0 && rc == 0)
        rc = -errno;
    s->vcd_file = NULL;
    return rc;
}
