/*
 * WIZnet W5500 hardwired TCP/IP controller on SPI (W5500 Datasheet v1.0.x,
 * cited as "ds" with its section numbers), bridged to the host's sockets.
 *
 * The model is four files: w5500_spi.c (2.2 SPI frame, 3.1/4.1 common
 * registers, reset, INTn), w5500_socket.c (4.2 socket registers, buffers,
 * commands, the Sn_SR state machine, RTR/RCR timeouts), w5500_net.c (the
 * simulated network 10.0.2.0/24 and the host bridge) and w5500_dhcp.c (the
 * network's DHCP server, RFC 2131). docs/sim-peripherals.md, "W5500".
 */
#ifndef SIM_BOARD_W5500_H
#define SIM_BOARD_W5500_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "spi_bus.h"
#include "w5500_rules.h"

#define W5500_SOCKETS 8
#define W5500_MEM_SIZE 16384u /* ds 1: 16 KB TX memory and 16 KB RX memory */
#define W5500_MAX_CHANGES 64  /* Sn_SR changes kept per socket for the report */
#define W5500_MAX_RULES 16

/* ds 4.2 Sn_MR P[3:0] */
#define W5500_Sn_MR_P_MASK 0x0Fu
#define W5500_Sn_MR_CLOSE 0x00u
#define W5500_Sn_MR_TCP 0x01u
#define W5500_Sn_MR_UDP 0x02u
#define W5500_Sn_MR_MACRAW 0x04u
#define W5500_Sn_MR_BCASTB 0x40u
/* ds 4.2 Sn_CR */
#define W5500_CR_OPEN 0x01u
#define W5500_CR_LISTEN 0x02u
#define W5500_CR_CONNECT 0x04u
#define W5500_CR_DISCON 0x08u
#define W5500_CR_CLOSE 0x10u
#define W5500_CR_SEND 0x20u
#define W5500_CR_SEND_MAC 0x21u
#define W5500_CR_SEND_KEEP 0x22u
#define W5500_CR_RECV 0x40u
/* ds 4.2 Sn_IR */
#define W5500_IR_CON 0x01u
#define W5500_IR_DISCON 0x02u
#define W5500_IR_RECV 0x04u
#define W5500_IR_TIMEOUT 0x08u
#define W5500_IR_SENDOK 0x10u
/* ds 4.2 Sn_SR, tables "Sn_SR" and "temporary status" */
#define W5500_SOCK_CLOSED 0x00u
#define W5500_SOCK_INIT 0x13u
#define W5500_SOCK_LISTEN 0x14u
#define W5500_SOCK_SYNSENT 0x15u
#define W5500_SOCK_SYNRECV 0x16u
#define W5500_SOCK_ESTABLISHED 0x17u
#define W5500_SOCK_FIN_WAIT 0x18u
#define W5500_SOCK_CLOSING 0x1Au
#define W5500_SOCK_TIME_WAIT 0x1Bu
#define W5500_SOCK_CLOSE_WAIT 0x1Cu
#define W5500_SOCK_LAST_ACK 0x1Du
#define W5500_SOCK_UDP 0x22u
#define W5500_SOCK_MACRAW 0x42u
/* ds 4.1 common registers */
#define W5500_MR_RST 0x80u
#define W5500_MR_PB 0x10u
#define W5500_PHYCFGR_RST 0x80u
#define W5500_PHYCFGR_DPX 0x04u
#define W5500_PHYCFGR_SPD 0x02u
#define W5500_PHYCFGR_LNK 0x01u
#define W5500_VERSION 0x04u

/* The simulated network (QEMU user-mode convention): the host is 10.0.2.2. */
#define W5500_NET_GATEWAY 0x0A000202u /* 10.0.2.2 */
#define W5500_NET_MASK 0xFFFFFF00u
#define W5500_NET_LEASE 0x0A00020Fu   /* 10.0.2.15 */


struct w5500_config {
    struct w5500_rule rules[W5500_MAX_RULES];
    size_t nrules;
    uint32_t lease_ip;       /* the address the DHCP server leases */
    uint32_t lease_s;        /* lease time, seconds */
    uint64_t wait_bound_ns;  /* real time virtual time waits for a host reply (docs/simulator.md) */
};

struct w5500_change {
    uint64_t t_ps;
    uint8_t sr;
};

struct w5500_socket {
    /* registers, ds 4.2 */
    uint8_t MR, IR, SR, TOS, TTL, RXBUF_SIZE, TXBUF_SIZE, IMR, KPALVTR;
    uint16_t PORT, DPORT, MSSR, FRAG;
    uint8_t DHAR[6], DIPR[4];
    uint16_t TX_RD, TX_WR, RX_RD, RX_WR;
    uint16_t rx_rd; /* the chip's read pointer: Sn_RX_RD as of the last RECV */
    bool arp_done;  /* UDP: the destination of the last SEND answered ARP */
    uint32_t arp_ip;
    /* pending work */
    struct sim_event ev_timeout, ev_sendok;
    uint16_t send_end; /* Sn_TX_RD after the SEND in progress */
    bool send_busy;
    /* host bridge */
    int fd;               /* host socket, -1 = none */
    bool connecting;      /* non-blocking connect in progress */
    bool awaiting;        /* the firmware waits for a host answer (w5500_net.c) */
    uint64_t await_real_ns;
    uint8_t *out;         /* bytes for the host not yet written */
    size_t out_len;
    bool peer_eof, shut_wr;
    /* report */
    uint64_t bytes_tx, bytes_rx, timeouts, rx_dropped;
    struct w5500_change changes[W5500_MAX_CHANGES];
    unsigned nchanges;
    uint64_t changes_dropped;
};

enum w5500_phase { W5500_ADDR_HI, W5500_ADDR_LO, W5500_CONTROL, W5500_DATA };

struct w5500 {
    sim_t *sim;
    struct spi_device bus;
    /* INTn as the board wires it: low = asserted (ds 1.1 pin description) */
    void (*set_intn)(void *ctx, bool low);
    void *ctx;
    struct w5500_config cfg;
    /* SPI frame, ds 2.2 */
    enum w5500_phase phase;
    uint16_t addr;
    uint8_t control;
    unsigned data_bytes;
    bool rstn_low;
    uint64_t ready_ps; /* ds 5.5.1: registers reachable after the PLL locks */
    /* common registers, ds 4.1 */
    uint8_t MR, GAR[4], SUBR[4], SHAR[6], SIPR[4], IR, IMR, SIMR, RCR, PTIMER, PMAGIC, PHAR[6], UIPR[4];
    uint8_t PHYCFGR; /* the writable bits; LNK/SPD/DPX come from `link_up` */
    uint16_t INTLEVEL, RTR, PSID, PMRU, UPORTR;
    struct w5500_socket sock[W5500_SOCKETS];
    uint8_t tx_mem[W5500_MEM_SIZE], rx_mem[W5500_MEM_SIZE];
    bool link_up;
    bool intn_low;
    /* host bridge */
    struct sim_event ev_poll;
    uint64_t wait_bound_hits;
    /* DHCP server */
    struct sim_event ev_dhcp;
    uint8_t dhcp_reply[300];
    size_t dhcp_reply_len;
    uint64_t dhcp_offers, dhcp_acks, dhcp_naks;
    /* statistics */
    uint64_t frames, bad_blocks;
};

/* ---- board interface ------------------------------------------------------ */

/* Registers at their reset values, link up, no socket open. */
void w5500_init(struct w5500 *w, sim_t *s, const struct w5500_config *cfg, void (*set_intn)(void *ctx, bool low),
                void *ctx);
void w5500_free(struct w5500 *w); /* closes the host sockets */
/* The RSTn pin's level (ds 5.5.1: held low at least 500 us resets the chip). */
void w5500_set_rstn(struct w5500 *w, bool level);
/* The cable: PHYCFGR.LNK; a link that goes down stalls traffic (w5500_net.c). */
void w5500_set_link(struct w5500 *w, bool up);

/* ---- between the model's files ------------------------------------------- */

/* w5500_spi.c */
void w5500_update_intn(struct w5500 *w);
void w5500_reset_registers(struct w5500 *w);
/* w5500_socket.c */
uint8_t w5500_socket_read(struct w5500 *w, unsigned n, uint16_t addr);
void w5500_socket_write(struct w5500 *w, unsigned n, uint16_t addr, uint8_t v);
void w5500_socket_reset(struct w5500 *w, unsigned n);
/* Buffer of socket n: offset in the 16 KB memory and size; size 0 when the
 * sizes of the sockets before it already use the 16 KB (ds 4.2 Sn_RXBUF_SIZE). */
unsigned w5500_buf_base(const struct w5500 *w, unsigned n, bool tx, unsigned *size);
void w5500_set_sr(struct w5500 *w, unsigned n, uint8_t sr);
void w5500_raise(struct w5500 *w, unsigned n, uint8_t ir);
uint16_t w5500_rx_free(const struct w5500 *w, unsigned n);
/* Puts bytes into the RX buffer at Sn_RX_WR; UDP frames get the 8-byte
 * header (ds 5.2.2.1: peer IP, port, length). Returns false when they do not fit. */
bool w5500_rx_put(struct w5500 *w, unsigned n, const uint8_t *data, size_t len);
bool w5500_rx_put_udp(struct w5500 *w, unsigned n, uint32_t ip, uint16_t port, const uint8_t *data, size_t len);
uint32_t w5500_ip(const uint8_t b[4]);
/* The network took a SEND's `len` bytes: SENDOK after their time on the wire. */
void w5500_send_done(struct w5500 *w, unsigned n, size_t len);
/* ARP and TCP timeouts, ds 4.1 RTR/RCR: in picoseconds. */
uint64_t w5500_arpto_ps(const struct w5500 *w);
uint64_t w5500_tcpto_ps(const struct w5500 *w);
/* w5500_net.c: where a destination goes */
enum w5500_route_kind {
    W5500_ROUTE_HOST,      /* bridged to a host address */
    W5500_ROUTE_DHCP,      /* the simulated DHCP server */
    W5500_ROUTE_NO_ARP,    /* no ARP answer: ARPTO */
    W5500_ROUTE_NO_ANSWER, /* resolved (the gateway) but nothing answers: TCPTO, UDP dropped */
};
enum w5500_route_kind w5500_route(const struct w5500 *w, uint32_t ip, uint16_t port, bool udp, uint32_t *host_ip,
                                  uint16_t *host_port);
/* TCP CONNECT to a host address: 0, or -errno (the socket times out). */
int w5500_net_connect(struct w5500 *w, unsigned n, uint32_t host_ip, uint16_t host_port);
/* Data of a SEND for the host (TCP stream, or one UDP datagram). */
void w5500_net_send(struct w5500 *w, unsigned n, const uint8_t *data, size_t len, uint32_t host_ip,
                    uint16_t host_port);
void w5500_net_shutdown(struct w5500 *w, unsigned n); /* DISCON: our FIN */
void w5500_net_close(struct w5500 *w, unsigned n);
void w5500_net_kick(struct w5500 *w); /* (re)arms the poll of the host sockets */
/* w5500_dhcp.c: a datagram for UDP port 67 from socket n */
void w5500_dhcp_request(struct w5500 *w, unsigned n, const uint8_t *data, size_t len);

#endif
