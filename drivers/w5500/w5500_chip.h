/* Register map and chip helpers shared by the W5500 driver's files (ds 4.1, 4.2). */
#ifndef QUARTZ_DRIVERS_W5500_CHIP_H
#define QUARTZ_DRIVERS_W5500_CHIP_H

#include <stdint.h>

#include "w5500.h"

/* ds 2.2 Table 3: block select */
#define BSB_COMMON 0u
#define BSB_SREG(n) ((uint8_t)(4u * (n) + 1u))
#define BSB_TXBUF(n) ((uint8_t)(4u * (n) + 2u))
#define BSB_RXBUF(n) ((uint8_t)(4u * (n) + 3u))

/* ds 4.1 */
#define MR 0x0000u
#define MR_RST 0x80u
#define GAR 0x0001u
#define SUBR 0x0005u
#define SHAR 0x0009u
#define SIPR 0x000Fu
#define SIR 0x0017u
#define SIMR 0x0018u
#define RTR 0x0019u
#define PHYCFGR 0x002Eu
#define PHYCFGR_LNK 0x01u
#define VERSIONR 0x0039u
#define W5500_VERSIONR_VALUE 0x04u
#define W5500_RTR_RESET 0x07D0u

/* ds 4.2 */
#define Sn_MR 0x0000u
#define Sn_MR_TCP 0x01u
#define Sn_MR_UDP 0x02u
#define Sn_CR 0x0001u
#define Sn_IR 0x0002u
#define Sn_SR 0x0003u
#define Sn_PORT 0x0004u
#define Sn_DIPR 0x000Cu
#define Sn_DPORT 0x0010u
#define Sn_RXBUF_SIZE 0x001Eu
#define Sn_TXBUF_SIZE 0x001Fu
#define Sn_TX_FSR 0x0020u
#define Sn_TX_WR 0x0024u
#define Sn_RX_RSR 0x0026u
#define Sn_RX_RD 0x0028u

#define CR_OPEN 0x01u
#define CR_CONNECT 0x04u
#define CR_DISCON 0x08u
#define CR_CLOSE 0x10u
#define CR_SEND 0x20u
#define CR_RECV 0x40u

#define IR_CON 0x01u
#define IR_DISCON 0x02u
#define IR_RECV 0x04u
#define IR_TIMEOUT 0x08u
#define IR_SENDOK 0x10u

#define SOCK_CLOSED 0x00u
#define SOCK_INIT 0x13u
#define SOCK_SYNSENT 0x15u
#define SOCK_ESTABLISHED 0x17u
#define SOCK_CLOSE_WAIT 0x1Cu
#define SOCK_UDP 0x22u

#define W5500_BUF_KB 2u
#define W5500_BUF_SIZE (W5500_BUF_KB * 1024u)

int w5500_read8(struct w5500 *w, uint8_t bsb, uint16_t addr, uint8_t *v);
int w5500_write8(struct w5500 *w, uint8_t bsb, uint16_t addr, uint8_t v);
int w5500_write16(struct w5500 *w, uint8_t bsb, uint16_t addr, uint16_t v);
/* A 16-bit register read until two reads agree (ds 4.2 Sn_TX_FSR, Sn_RX_RSR notes). */
int w5500_read16_stable(struct w5500 *w, uint8_t bsb, uint16_t addr, uint16_t *v);
/* Sn_CR, then a bounded wait until it reads 0 (accepted). 0 or -EIO. */
int w5500_command(struct w5500 *w, unsigned n, uint8_t cr);
/* Reads and clears socket n's Sn_IR into w->sock[n].ir. */
int w5500_take_ir(struct w5500 *w, unsigned n);

extern const struct net_if_ops w5500_net_ops;

#endif
