/*
 * The board's members of the JSON run report. Everything printed is a
 * function of the virtual run only (no addresses, no wall clock), so the
 * same ELF and script give the same bytes.
 */
#include <inttypes.h>

#include "nucleo_priv.h"

static void print_ms(FILE *out, uint64_t ps)
{
    /* virtual milliseconds with nanosecond resolution */
    uint64_t ns = (uint64_t)(ps / SIM_PS_PER_NS);
    fprintf(out, "%" PRIu64 ".%06" PRIu64, ns / 1000000u, ns % 1000000u);
}

static void report_i2c(const struct nucleo *b, FILE *out)
{
    fputs(",\"i2c\":{", out);
    for (int k = 0; k < 3; k++) {
        const struct i2c *i = &b->chip.i2c[k];
        uint64_t busy_ps = i->busy_ps, busy_cycles = i->busy_cycles;
        if (i->busy) { /* still busy at the end of the run */
            uint64_t dt = sim_now_ps(b->sim) - i->busy_since_ps;
            busy_ps += dt;
            busy_cycles += (uint64_t)((unsigned __int128)dt * sim_hclk(b->sim) / SIM_PS_PER_S);
        }
        fprintf(out,
                "%s\"%s\":{\"transactions\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"busy_cycles\":%" PRIu64
                ",\"busy_ns\":%" PRIu64 ",\"nacks\":%" PRIu64 "}",
                k ? "," : "", i->name, i->transactions, i->bytes, busy_cycles, (uint64_t)(busy_ps / SIM_PS_PER_NS), i->nacks);
    }
    fputc('}', out);
}

static void report_oled(const struct nucleo *b, FILE *out)
{
    const struct ssd1306 *d = &b->oled;
    fprintf(out, ",\"oled\":{\"attached\":%s,\"display_on\":%s,\"charge_pump\":%s,\"updates\":[",
            d->attached ? "true" : "false", d->display_on ? "true" : "false", d->charge_pump ? "true" : "false");
    for (size_t k = 0; k < d->nupdates; k++) {
        if (k)
            fputc(',', out);
        print_ms(out, d->updates[k]);
    }
    fputs("],\"frame\":\"", out);
    for (int p = 0; p < 8; p++)
        for (int c = 0; c < 128; c++)
            fprintf(out, "%02x", d->ram[p][c]);
    fputs("\"}", out);
}

static void report_uart(const struct nucleo *b, FILE *out)
{
    fputs(",\"uart\":{", out);
    for (int k = 0; k < 6; k++) {
        const struct usart *u = &b->chip.usart[k];
        fprintf(out,
                "%s\"%s\":{\"tx_bytes\":%" PRIu64 ",\"rx_bytes\":%" PRIu64 ",\"overruns\":%" PRIu64
                ",\"rx_dropped\":%" PRIu64 "}",
                k ? "," : "", u->name, u->tx_bytes, u->rx_bytes, u->overruns, u->rx_dropped);
    }
    fputc('}', out);
}

/* Streams that moved data or failed, per controller (docs/sim-peripherals.md). */
static void report_dma(const struct nucleo *b, FILE *out)
{
    fputs(",\"dma\":{", out);
    for (int n = 0; n < 2; n++) {
        const struct dma *d = &b->chip.dma[n];
        fprintf(out, "%s\"%s\":{", n ? "," : "", d->name);
        bool first = true;
        for (int k = 0; k < DMA_STREAMS; k++) {
            const struct dma_stream *st = &d->s[k];
            if (!st->transfers && !st->errors)
                continue;
            fprintf(out, "%s\"S%d\":{\"transfers\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"errors\":%" PRIu64 "}",
                    first ? "" : ",", k, st->transfers, st->bytes, st->errors);
            first = false;
        }
        fputc('}', out);
    }
    fputc('}', out);
}

/* TIM2..TIM5 update interrupts, and updates that came while UIF was still set: with the
 * interrupt enabled, each is a period the firmware did not handle before the next (a missed
 * tick). Timers that never raised one with UIE set are left out. */
static void report_timers(const struct nucleo *b, FILE *out)
{
    fputs(",\"timers\":{", out);
    bool first = true;
    for (int k = 0; k < 4; k++) {
        const struct tim *t = &b->chip.tim[k];
        if (!t->update_irqs)
            continue;
        fprintf(out, "%s\"%s\":{\"update_irqs\":%" PRIu64 ",\"missed_updates\":%" PRIu64 "}", first ? "" : ",",
                t->name, t->update_irqs, t->missed_updates);
        first = false;
    }
    fputc('}', out);
}

static void report_spi(const struct nucleo *b, FILE *out)
{
    fputs(",\"spi\":{", out);
    for (int k = 0; k < 4; k++) {
        const struct spi *p = &b->chip.spi[k];
        uint64_t busy_ps = p->busy_ps;
        if (p->shifting) /* still busy at the end of the run */
            busy_ps += sim_now_ps(b->sim) - p->busy_since_ps;
        fprintf(out,
                "%s\"%s\":{\"frames\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"busy_ns\":%" PRIu64
                ",\"overruns\":%" PRIu64 ",\"mode_faults\":%" PRIu64 ",\"crc_errors\":%" PRIu64 "}",
                k ? "," : "", p->name, p->frames, p->bytes, (uint64_t)(busy_ps / SIM_PS_PER_NS), p->overruns,
                p->mode_faults, p->crc_errors);
    }
    fputc('}', out);
}

static void report_adc(const struct nucleo *b, FILE *out)
{
    fputs(",\"adc\":{", out);
    for (int k = 0; k < ADC_COUNT; k++) {
        const struct adc *a = &b->chip.adc.adc[k];
        fprintf(out,
                "%s\"ADC%d\":{\"conversions\":%" PRIu64 ",\"overruns\":%" PRIu64 ",\"dma_requests\":%" PRIu64
                "}",
                k ? "," : "", k + 1, a->conversions, a->overruns, a->dma_requests);
    }
    fputc('}', out);
}

static void report_clocks(const struct nucleo *b, FILE *out)
{
    static const char *const sws[4] = {"HSI", "HSE", "PLL_P", "PLL_R"};
    const struct rcc *r = &b->chip.rcc;
    fprintf(out,
            ",\"clocks\":{\"sysclk_source\":\"%s\",\"sysclk_hz\":%u,\"hclk_hz\":%u,\"pclk1_hz\":%u,"
            "\"pclk2_hz\":%u,\"timclk1_hz\":%u,\"timclk2_hz\":%u,\"flash_latency\":%u}",
            sws[(r->CFGR >> 2) & 3u], rcc_sysclk_hz(r), rcc_hclk_hz(r), rcc_pclk1_hz(r), rcc_pclk2_hz(r),
            rcc_timclk1_hz(r), rcc_timclk2_hz(r), b->chip.flash.ACR & 0xFu);
}

/* FLASH interface operations (RM0390 3.5): what a run did to the array. */
static void report_flash(const struct nucleo *b, FILE *out)
{
    const struct flash_if *f = &b->chip.flash;
    fprintf(out, ",\"flash\":{\"programs\":%" PRIu32 ",\"erases\":%" PRIu32 ",\"errors\":%" PRIu32
                 ",\"cr_locked_until_reset\":%s}",
            f->programs, f->erases, f->errors, f->key_locked ? "true" : "false");
}

/* The scripted air at the end of the run and the BME280's registers (docs/sim-peripherals.md). */
static void report_bme280(const struct nucleo *b, FILE *out)
{
    struct sim_env_value v = sim_env_at(&b->env, sim_now_ps(b->sim));
    fprintf(out, ",\"environment\":{\"scripted\":%s,\"t_mC\":%d,\"p_mPa\":%d,\"h_mpct\":%d}",
            sim_env_scripted(&b->env) ? "true" : "false", v.t_mc, v.p_mpa, v.h_mpct);
    const struct bme280 *d = b->bme280;
    if (!d)
        return;
    fputs(",\"bme280\":{", out);
    if (b->bme280_spi_bus)
        fprintf(out, "\"bus\":\"SPI%d\",\"cs\":\"P%c%d\"", b->bme280_spi_bus, b->bme280_cs_port, b->bme280_cs_pin);
    else
        fprintf(out, "\"bus\":\"I2C1\",\"address\":%u", d->i2c.address);
    static const char *const modes[4] = {"sleep", "forced", "forced", "normal"};
    fprintf(out,
            ",\"attached\":%s,\"mode\":\"%s\",\"conversions\":%" PRIu64 ",\"soft_resets\":%" PRIu64
            ",\"noise\":%s,\"registers\":{\"id\":%u,\"ctrl_hum\":%u,\"status\":%u,\"ctrl_meas\":%u,"
            "\"config\":%u},\"data\":\"",
            d->attached ? "true" : "false", modes[d->ctrl_meas & 3u], d->conversions, d->soft_resets,
            d->noise ? "true" : "false", bme280_peek(d, 0xD0), d->ctrl_hum, bme280_peek(d, 0xF3), d->ctrl_meas,
            d->config);
    for (int k = 0; k < 8; k++)
        fprintf(out, "%02x", d->data[k]);
    fprintf(out, "\",\"last_conversion_env\":{\"t_mC\":%d,\"p_mPa\":%d,\"h_mpct\":%d}}", d->last_env.t_mc,
            d->last_env.p_mpa, d->last_env.h_mpct);
}

/* Per W5500 socket: its Sn_SR changes (virtual ms, state), bytes each way,
 * timeouts; only sockets that did something. */
static void report_w5500(const struct nucleo *b, FILE *out)
{
    const struct w5500 *w = b->w5500;
    if (!w)
        return;
    fprintf(out,
            ",\"w5500\":{\"link\":%s,\"frames\":%" PRIu64 ",\"dhcp\":{\"offers\":%" PRIu64 ",\"acks\":%" PRIu64
            ",\"naks\":%" PRIu64 "},\"wait_bound_hits\":%" PRIu64 ",\"sockets\":{",
            w->link_up ? "true" : "false", w->frames, w->dhcp_offers, w->dhcp_acks, w->dhcp_naks, w->wait_bound_hits);
    bool first = true;
    for (unsigned n = 0; n < W5500_SOCKETS; n++) {
        const struct w5500_socket *k = &w->sock[n];
        if (!k->nchanges && !k->bytes_tx && !k->bytes_rx)
            continue;
        fprintf(out, "%s\"%u\":{\"bytes_tx\":%" PRIu64 ",\"bytes_rx\":%" PRIu64 ",\"timeouts\":%" PRIu64
                ",\"rx_dropped\":%" PRIu64 ",\"changes_dropped\":%" PRIu64 ",\"states\":[",
                first ? "" : ",", n, k->bytes_tx, k->bytes_rx, k->timeouts, k->rx_dropped, k->changes_dropped);
        for (unsigned i = 0; i < k->nchanges; i++) {
            fputs(i ? ",[" : "[", out);
            print_ms(out, k->changes[i].t_ps);
            fprintf(out, ",\"0x%02x\"]", k->changes[i].sr);
        }
        fputs("]}", out);
        first = false;
    }
    fputs("}}", out);
}

void nucleo_report_json(const struct nucleo *b, FILE *out)
{
    report_i2c(b, out);
    report_oled(b, out);
    report_uart(b, out);
    report_dma(b, out);
    report_spi(b, out);
    report_timers(b, out);
    report_adc(b, out);
    report_flash(b, out);
    report_clocks(b, out);
    report_bme280(b, out);
    report_w5500(b, out);
    fprintf(out, ",\"led\":{\"on\":%s,\"toggles\":%" PRIu64 "},\"button\":{\"pressed\":%s}",
            nucleo_led(b) ? "true" : "false", b->led_toggles, b->pressed ? "true" : "false");
}
