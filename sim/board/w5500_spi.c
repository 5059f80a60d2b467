/*
 * W5500 model, part 1: the SPI frame, the common registers, reset and
 * INTn. Section numbers are those of the W5500 Datasheet v1.0.x ("ds").
 *
 * ds 2.2 "SPI Frame": a frame is a 16-bit offset address (MSB first), a
 * control byte (BSB[4:0] in bits 7..3, RWB in bit 2: 0 read / 1 write,
 * OM[1:0] in bits 1..0), then the data phase. ds 2.2.1 "Variable Length
 * Data Mode" (OM = 00): the data phase lasts while SCSn stays low, the
 * address increasing by one per byte. ds 2.2.2 "Fixed Length Data Mode"
 * (OM = 01/10/11: 1, 2 or 4 bytes): the frame ends after that many bytes
 * and the next byte starts a new frame's address phase, SCSn held low
 * (the mode is for an SCSn tied to ground). ds 2.2 "Block Select Bits":
 * 00000 common registers, then per socket n: 4n+1 registers, 4n+2 TX
 * buffer, 4n+3 RX buffer; the other values are reserved.
 *
 * The SPI modes 0 and 3 both sample on the rising edge (ds 2.1); the board
 * attaches the device in mode 0. What MISO carries during the address and
 * control phases the datasheet leaves undefined: the model sends 0x00.
 */
#include <string.h>

#include "w5500.h"

/* ds 5.5.1 "Reset Timing": RSTn low for at least 500 us (TRC); the
 * internal PLL locks within 1 ms (TPL) after RSTn rises. */
#define W5500_TPL_PS (1ull * SIM_PS_PER_MS)

/* ds 4.1 common register offsets */
enum {
    REG_MR = 0x00, REG_GAR = 0x01, REG_SUBR = 0x05, REG_SHAR = 0x09, REG_SIPR = 0x0F, REG_INTLEVEL = 0x13,
    REG_IR = 0x15, REG_IMR = 0x16, REG_SIR = 0x17, REG_SIMR = 0x18, REG_RTR = 0x19, REG_RCR = 0x1B,
    REG_PTIMER = 0x1C, REG_PMAGIC = 0x1D, REG_PHAR = 0x1E, REG_PSID = 0x24, REG_PMRU = 0x26, REG_UIPR = 0x28,
    REG_UPORTR = 0x2C, REG_PHYCFGR = 0x2E, REG_VERSIONR = 0x39,
};

/* ds 4.1 PHYCFGR reset value 0b1011_1XXX: RST=1, OPMD=0, OPMDC=111 (all capable, auto-negotiation). */
#define PHYCFGR_RESET 0xB8u
#define PHYCFGR_WRITABLE 0x78u /* OPMD, OPMDC[2:0] */

uint32_t w5500_ip(const uint8_t b[4])
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void w5500_update_intn(struct w5500 *w)
{
    /* ds 4.1 SIR: bit n is set while Sn_IR is not 0; SIMR and IMR gate
     * which of SIR and IR assert INTn. INTLEVEL (the assert wait time) is 0
     * after reset and not modeled. */
    uint8_t sir = 0;
    for (unsigned n = 0; n < W5500_SOCKETS; n++)
        if (w->sock[n].IR)
            sir |= (uint8_t)(1u << n);
    bool low = !w->rstn_low && ((sir & w->SIMR) || (w->IR & w->IMR & 0xF0u));
    if (low == w->intn_low)
        return;
    w->intn_low = low;
    if (w->set_intn)
        w->set_intn(w->ctx, low);
}

void w5500_reset_registers(struct w5500 *w)
{
    w->MR = 0;
    memset(w->GAR, 0, sizeof w->GAR);
    memset(w->SUBR, 0, sizeof w->SUBR);
    memset(w->SHAR, 0, sizeof w->SHAR);
    memset(w->SIPR, 0, sizeof w->SIPR);
    memset(w->PHAR, 0, sizeof w->PHAR);
    memset(w->UIPR, 0, sizeof w->UIPR);
    w->INTLEVEL = 0;
    w->IR = w->IMR = w->SIMR = 0;
    w->RTR = 0x07D0;
    w->RCR = 0x08;
    w->PTIMER = 0x28;
    w->PMAGIC = 0;
    w->PSID = 0;
    w->PMRU = 0xFFFF;
    w->UPORTR = 0;
    w->PHYCFGR = PHYCFGR_RESET & PHYCFGR_WRITABLE;
    for (unsigned n = 0; n < W5500_SOCKETS; n++)
        w5500_socket_reset(w, n);
    w5500_update_intn(w);
}

static uint8_t phycfgr(const struct w5500 *w)
{
    uint8_t v = (uint8_t)(W5500_PHYCFGR_RST | w->PHYCFGR);
    if (w->link_up) /* the simulated link: 100 Mbps full duplex */
        v |= W5500_PHYCFGR_LNK | W5500_PHYCFGR_SPD | W5500_PHYCFGR_DPX;
    return v;
}

static uint8_t be16(uint16_t v, uint16_t at) { return (uint8_t)(at ? v : v >> 8); }

static void set_be16(uint16_t *reg, uint16_t at, uint8_t v)
{
    *reg = at ? (uint16_t)((*reg & 0xFF00u) | v) : (uint16_t)((*reg & 0x00FFu) | v << 8);
}

static uint8_t common_read(struct w5500 *w, uint16_t a)
{
    if (a >= REG_GAR && a < REG_GAR + 4)
        return w->GAR[a - REG_GAR];
    if (a >= REG_SUBR && a < REG_SUBR + 4)
        return w->SUBR[a - REG_SUBR];
    if (a >= REG_SHAR && a < REG_SHAR + 6)
        return w->SHAR[a - REG_SHAR];
    if (a >= REG_SIPR && a < REG_SIPR + 4)
        return w->SIPR[a - REG_SIPR];
    if (a >= REG_PHAR && a < REG_PHAR + 6)
        return w->PHAR[a - REG_PHAR];
    if (a >= REG_UIPR && a < REG_UIPR + 4)
        return w->UIPR[a - REG_UIPR];
    switch (a) {
    case REG_MR: return w->MR;
    case REG_INTLEVEL:
    case REG_INTLEVEL + 1: return be16(w->INTLEVEL, (uint16_t)(a - REG_INTLEVEL));
    case REG_IR: return w->IR;
    case REG_IMR: return w->IMR;
    case REG_SIR: {
        uint8_t sir = 0;
        for (unsigned n = 0; n < W5500_SOCKETS; n++)
            if (w->sock[n].IR)
                sir |= (uint8_t)(1u << n);
        return sir;
    }
    case REG_SIMR: return w->SIMR;
    case REG_RTR:
    case REG_RTR + 1: return be16(w->RTR, (uint16_t)(a - REG_RTR));
    case REG_RCR: return w->RCR;
    case REG_PTIMER: return w->PTIMER;
    case REG_PMAGIC: return w->PMAGIC;
    case REG_PSID:
    case REG_PSID + 1: return be16(w->PSID, (uint16_t)(a - REG_PSID));
    case REG_PMRU:
    case REG_PMRU + 1: return be16(w->PMRU, (uint16_t)(a - REG_PMRU));
    case REG_UPORTR:
    case REG_UPORTR + 1: return be16(w->UPORTR, (uint16_t)(a - REG_UPORTR));
    case REG_PHYCFGR: return phycfgr(w);
    case REG_VERSIONR: return W5500_VERSION;
    default: return 0x00; /* reserved */
    }
}

static void common_write(struct w5500 *w, uint16_t a, uint8_t v)
{
    if (a >= REG_GAR && a < REG_GAR + 4)
        w->GAR[a - REG_GAR] = v;
    else if (a >= REG_SUBR && a < REG_SUBR + 4)
        w->SUBR[a - REG_SUBR] = v;
    else if (a >= REG_SHAR && a < REG_SHAR + 6)
        w->SHAR[a - REG_SHAR] = v;
    else if (a >= REG_SIPR && a < REG_SIPR + 4)
        w->SIPR[a - REG_SIPR] = v;
    else if (a >= REG_PHAR && a < REG_PHAR + 6)
        w->PHAR[a - REG_PHAR] = v;
    else
        switch (a) {
        case REG_MR:
            /* ds 4.1 MR.RST: software reset, every register to its reset
             * value; the bit reads 0 again once the reset is done. */
            if (v & W5500_MR_RST)
                w5500_reset_registers(w);
            else
                w->MR = v;
            break;
        case REG_INTLEVEL:
        case REG_INTLEVEL + 1: set_be16(&w->INTLEVEL, (uint16_t)(a - REG_INTLEVEL), v); break;
        case REG_IR: /* ds 4.1 IR: a 1 clears the bit */
            w->IR &= (uint8_t)~(v & 0xF0u);
            w5500_update_intn(w);
            break;
        case REG_IMR:
            w->IMR = v & 0xF0u;
            w5500_update_intn(w);
            break;
        case REG_SIMR:
            w->SIMR = v;
            w5500_update_intn(w);
            break;
        case REG_RTR:
        case REG_RTR + 1: set_be16(&w->RTR, (uint16_t)(a - REG_RTR), v); break;
        case REG_RCR: w->RCR = v; break;
        case REG_PTIMER: w->PTIMER = v; break;
        case REG_PMAGIC: w->PMAGIC = v; break;
        case REG_PSID:
        case REG_PSID + 1: set_be16(&w->PSID, (uint16_t)(a - REG_PSID), v); break;
        case REG_PMRU:
        case REG_PMRU + 1: set_be16(&w->PMRU, (uint16_t)(a - REG_PMRU), v); break;
        case REG_PHYCFGR:
            /* ds 4.1 PHYCFGR: RST written 0 resets the PHY (it reads 1
             * again at once here); OPMD/OPMDC are stored; LNK, SPD and DPX
             * are read-only status. */
            w->PHYCFGR = v & PHYCFGR_WRITABLE;
            break;
        default: break; /* SIR, UIPR, UPORTR, VERSIONR are read-only; the rest reserved */
        }
}

static uint8_t mem_access(struct w5500 *w, unsigned n, bool tx, uint16_t addr, bool write, uint8_t v)
{
    /* ds 4.2 Sn_TXBUF_SIZE: the buffer block is reached with 16-bit
     * offsets 0x0000..0xFFFF whatever its size: the offset wraps inside
     * the socket's buffer. */
    unsigned size;
    unsigned base = w5500_buf_base(w, n, tx, &size);
    if (!size)
        return 0x00;
    uint8_t *mem = tx ? w->tx_mem : w->rx_mem;
    uint8_t *at = &mem[base + (addr & (size - 1u))];
    if (write)
        *at = v;
    return *at;
}

static uint8_t data_byte(struct w5500 *w, uint8_t in)
{
    unsigned bsb = w->control >> 3;
    bool write = (w->control & 0x04u) != 0;
    uint16_t a = w->addr;
    w->addr = (uint16_t)(w->addr + 1u);
    if (bsb == 0) {
        if (write) {
            common_write(w, a, in);
            return 0x00;
        }
        return common_read(w, a);
    }
    unsigned n = bsb >> 2, kind = bsb & 3u;
    if (kind == 0) { /* reserved block: ds 2.2 Table 3 */
        w->bad_blocks++;
        sim_warn(w->sim, "W5500: block select %u is reserved (ds 2.2 Table 3)", bsb);
        return 0x00;
    }
    if (kind == 1) {
        if (write) {
            w5500_socket_write(w, n, a, in);
            return 0x00;
        }
        return w5500_socket_read(w, n, a);
    }
    return mem_access(w, n, kind == 2, a, write, in);
}

static uint8_t frame_byte(struct w5500 *w, uint8_t in)
{
    static const unsigned fixed_len[4] = {0, 1, 2, 4};
    switch (w->phase) {
    case W5500_ADDR_HI:
        w->addr = (uint16_t)(in << 8);
        w->phase = W5500_ADDR_LO;
        return 0x00;
    case W5500_ADDR_LO:
        w->addr |= in;
        w->phase = W5500_CONTROL;
        return 0x00;
    case W5500_CONTROL:
        w->control = in;
        w->data_bytes = 0;
        w->phase = W5500_DATA;
        w->frames++;
        return 0x00;
    case W5500_DATA: {
        uint8_t out = data_byte(w, in);
        unsigned len = fixed_len[w->control & 3u];
        if (len && ++w->data_bytes == len)
            w->phase = W5500_ADDR_HI; /* ds 2.2.2: the next byte is a new frame's address */
        return out;
    }
    }
    return 0x00;
}

static bool ready(const struct w5500 *w)
{
    return !w->rstn_low && sim_now_ps(w->sim) >= w->ready_ps;
}

static void on_select(void *dev)
{
    struct w5500 *w = dev;
    w->phase = W5500_ADDR_HI;
}

static void on_deselect(void *dev)
{
    struct w5500 *w = dev;
    if (w->phase == W5500_DATA && (w->control & 3u) != 0)
        sim_warn(w->sim, "W5500: SCSn rose inside a fixed-length frame (ds 2.2.2)");
    w->phase = W5500_ADDR_HI;
}

static uint16_t on_exchange(void *dev, uint16_t mosi, unsigned bits)
{
    struct w5500 *w = dev;
    if (!ready(w))
        return 0x0000; /* in reset: MISO is not driven */
    if (bits == 16u)
        return (uint16_t)(frame_byte(w, (uint8_t)(mosi >> 8)) << 8 | frame_byte(w, (uint8_t)mosi));
    return frame_byte(w, (uint8_t)mosi);
}

static const struct spi_device_ops w5500_spi_ops = {on_select, on_deselect, on_exchange};

void w5500_init(struct w5500 *w, sim_t *s, const struct w5500_config *cfg, void (*set_intn)(void *ctx, bool low),
                void *ctx)
{
    memset(w, 0, sizeof *w);
    w->sim = s;
    w->bus.ops = &w5500_spi_ops;
    w->bus.dev = w;
    w->bus.mode = 0;
    w->set_intn = set_intn;
    w->ctx = ctx;
    if (cfg)
        w->cfg = *cfg;
    if (!w->cfg.lease_ip)
        w->cfg.lease_ip = W5500_NET_LEASE;
    if (!w->cfg.lease_s)
        w->cfg.lease_s = 86400;
    if (!w->cfg.wait_bound_ns)
        w->cfg.wait_bound_ns = 500000000ull;
    for (unsigned n = 0; n < W5500_SOCKETS; n++)
        w->sock[n].fd = -1;
    w->link_up = true;
    w5500_reset_registers(w);
    for (unsigned n = 0; n < W5500_SOCKETS; n++)
        w->sock[n].nchanges = 0; /* the report starts with the run, not with the reset's CLOSED */
}

void w5500_free(struct w5500 *w)
{
    for (unsigned n = 0; n < W5500_SOCKETS; n++) {
        w5500_net_close(w, n);
        sim_event_cancel(w->sim, &w->sock[n].ev_timeout);
        sim_event_cancel(w->sim, &w->sock[n].ev_sendok);
    }
    sim_event_cancel(w->sim, &w->ev_poll);
    sim_event_cancel(w->sim, &w->ev_dhcp);
}

void w5500_set_rstn(struct w5500 *w, bool level)
{
    if (level == !w->rstn_low)
        return;
    w->rstn_low = !level;
    if (w->rstn_low) {
        w5500_reset_registers(w);
        w5500_update_intn(w);
    } else {
        w->ready_ps = sim_now_ps(w->sim) + W5500_TPL_PS;
    }
}

void w5500_set_link(struct w5500 *w, bool up)
{
    w->link_up = up;
    w5500_net_kick(w);
}
