/*
 * bme280_compensate_cycles: T + P + H compensation of one sample
 * (bme280_compensate: the datasheet's integer formulas, P in 64 bits), in
 * CPU cycles of quartz-sim's M4 cycle model, measured with DWT CYCCNT
 * (ARMv7-M C1.8.8). tools/bench.d/bme280.sh runs this image and reads the
 * lines "bme280_compensate_cycles <n>", one per round; it judges their median.
 *
 * Bracketing as in tests/sim/kernel/bench.c: every read is
 * `isb; ldr rX, [CYCCNT]; isb`, so the counter advances between two reads
 * by the code in between plus the read's own cost, which the empty bracket
 * measures and which is subtracted. Inputs come from volatile copies so the
 * compiler cannot fold anything; the pimoroni/bme280-python test set
 * (tests/host/bme280) with its raw values, and the result is checked.
 */
#include <stdint.h>

#include <cortex_m/core.h>

#include "bme280/bme280.h"
#include "quartz/fmt.h"
#include "quartz/hal/serial.h"

#define ROUNDS 8U

#define CYC_READ_ "movw %1, #0x1004\n\tmovt %1, #0xE000\n\tisb\n\tldr %0, [%1]\n\tisb"
static inline __attribute__((always_inline)) uint32_t cyc(void)
{
    uint32_t v, a;
    __asm__ volatile(CYC_READ_ : "=r"(v), "=&r"(a) : : "memory");
    return v;
}

static volatile struct bme280_calib calib_in = {
    .t1 = 28009, .t2 = 25654, .t3 = 50,
    .p1 = 39145, .p2 = -10750, .p3 = 3024, .p4 = 5667, .p5 = -120,
    .p6 = -7, .p7 = 15500, .p8 = -14600, .p9 = 6000,
    .h1 = 75, .h2 = 376, .h3 = 0, .h4 = 286, .h5 = 50, .h6 = 30,
};
static volatile int32_t raw_in[3] = { 529191, 326816, 30281 };

static void put_line(const char *name, uint32_t v)
{
    char s[12];
    fmt_u64(s, sizeof s, v);
    serial_puts(name);
    serial_puts(" ");
    serial_puts(s);
    serial_puts("\r\n");
}

int main(void)
{
    CoreDebug->DEMCR |= CoreDebug_DEMCR_TRCENA;
    DWT->CYCCNT = 0;
    DWT->CTRL |= DWT_CTRL_CYCCNTENA;

    struct bme280_calib c;
    c.t1 = calib_in.t1, c.t2 = calib_in.t2, c.t3 = calib_in.t3;
    c.p1 = calib_in.p1, c.p2 = calib_in.p2, c.p3 = calib_in.p3, c.p4 = calib_in.p4;
    c.p5 = calib_in.p5, c.p6 = calib_in.p6, c.p7 = calib_in.p7, c.p8 = calib_in.p8;
    c.p9 = calib_in.p9;
    c.h1 = calib_in.h1, c.h2 = calib_in.h2, c.h3 = calib_in.h3, c.h4 = calib_in.h4;
    c.h5 = calib_in.h5, c.h6 = calib_in.h6;
    struct bme280_raw raw = { raw_in[0], raw_in[1], raw_in[2] };

    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t t0 = cyc();
        uint32_t t1 = cyc();
        uint32_t base = t1 - t0;
        t0 = cyc();
        struct bme280_sample s = bme280_compensate(&c, &raw);
        t1 = cyc();
        /* 24.79 degC, 100661.5 Pa, 68.67 %RH (tests/host/bme280) */
        if (s.valid != 7u || s.t_centi_c < 2478 || s.t_centi_c > 2479 || (s.p_q24_8 >> 8) != 100661u ||
            s.h_q22_10 / 1024u != 68u) {
            serial_puts("bme280_compensate: wrong result\r\n");
            break;
        }
        put_line("bme280_compensate_cycles", t1 - t0 - base);
    }
    serial_puts("END\r\n");
    serial_drain();
    for (;;)
        __asm__ volatile("wfi");
}
