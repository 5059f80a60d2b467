/*
 * ADC probe image for quartz-sim: every 100 ms it prints one line with the
 * die temperature, VDDA and the voltages on PA0 and PA1 through the
 * portable ADC interface (quartz/hal/adc.h), so the host test can compare
 * them with the scripted --chip-temp and --analog inputs. The first line
 * gives the device data in system memory: the unique ID and F_SIZE.
 *
 *   uid=<UID[95:64]>-<UID[63:32]>-<UID[31:0]> fsize=<KB>
 *   t=<ms> temp=<0.01 C> vdda=<mV> pa0=<mV> pa1=<raw> rc=<first error or 0>
 *
 * then one scan of PA1, PA0, VREFINT, PA1 (scan rc=<rc> codes=<a>,<b>,<c>,<d>)
 * and a call with a channel the chip does not have.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "quartz/fmt.h"
#include "quartz/hal/adc.h"
#include "quartz/hal/clock.h"
#include "quartz/hal/serial.h"

#define UID_BASE 0x1FFF7A10u   /* RM0390 39.1 */
#define F_SIZE_ADDR 0x1FFF7A22u /* RM0390 39.2 */
#define PERIOD_MS 100u
#define LINES 12u /* t = 0..1100 ms, then the -EINVAL check */

static void put_u(uint64_t v)
{
    char buf[24];
    if (fmt_u64(buf, sizeof buf, v) > 0)
        serial_puts(buf);
}

static void put_i(int64_t v)
{
    if (v < 0) {
        serial_puts("-");
        v = -v;
    }
    put_u((uint64_t)v);
}

static void put_hex32(uint32_t v)
{
    char buf[9];
    for (int i = 7; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789ABCDEF"[v & 0xFu];
    buf[8] = '\0';
    serial_puts(buf);
}

int main(void)
{
    const volatile uint32_t *uid = (const volatile uint32_t *)UID_BASE;
    serial_puts("uid=");
    put_hex32(uid[2]);
    serial_puts("-");
    put_hex32(uid[1]);
    serial_puts("-");
    put_hex32(uid[0]);
    serial_puts(" fsize=");
    put_u(*(const volatile uint16_t *)F_SIZE_ADDR);
    serial_puts("\r\n");

    int first = adc_init();
    uint64_t next = clock_uptime_ms();
    for (unsigned line = 0; line < LINES; line++) {
        while (clock_uptime_ms() < next) {
        }
        next += PERIOD_MS;
        int32_t temp = 0;
        uint32_t vdda = 0, pa0 = 0;
        uint16_t pa1 = 0;
        int rc[4] = {adc_temp_centi_c(&temp), adc_vdda_mv(&vdda), adc_read_mv(0, &pa0), adc_read(1, &pa1)};
        for (unsigned k = 0; k < 4 && !first; k++)
            first = rc[k];
        serial_puts("t=");
        put_u(clock_uptime_ms());
        serial_puts(" temp=");
        put_i(temp);
        serial_puts(" vdda=");
        put_u(vdda);
        serial_puts(" pa0=");
        put_u(pa0);
        serial_puts(" pa1=");
        put_u(pa1);
        serial_puts(" rc=");
        put_i(first);
        serial_puts("\r\n");
    }
    /* One scan of a sequence into a buffer: PA1, PA0, VREFINT, PA1. */
    static const uint16_t seq[4] = {1, 0, ADC_CHANNEL_VREFINT, 1};
    uint16_t codes[4] = {0, 0, 0, 0};
    int rc = adc_scan(seq, 4, codes);
    serial_puts("scan rc=");
    put_i(rc);
    for (unsigned k = 0; k < 4; k++) {
        serial_puts(k ? "," : " codes=");
        put_u(codes[k]);
    }
    serial_puts("\r\n");
    /* A channel the chip does not have: the interface's -EINVAL. */
    uint16_t none;
    serial_puts(adc_read(40, &none) == -EINVAL ? "einval ok\r\n" : "einval bad\r\n");
    serial_drain();
    for (;;) {
    }
}
