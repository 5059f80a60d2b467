/*
 * QEMU / quartz-sim cross-check of SPI1 (RM0390 section 26), as master
 * with software NSS and nothing on the bus: QEMU's netduinoplus2 has no
 * device on its SSI buses (a transfer returns 0), and on quartz-sim MISO
 * (PA6) is pulled down, so every received frame is 0 on both. Registers
 * only, no HAL; the console and the event log are the cross-check probe's
 * (tests/qemu/probe/console.c). Lines tagged "[dev:...]" depend on a QEMU
 * deviation from RM0390 (docs/qemu-crosscheck.md).
 */
#include <stdint.h>

#include "console.h"
#include "probe.h"
#include "stm32f446/regs.h"

/* A frame at /256 from the 16 MHz HSI is 2048 cycles; an iteration is at least 4. */
#define POLL_LIMIT 200000U
#define CR1_MASTER (SPI_CR1_MSTR | SPI_CR1_SSM | SPI_CR1_SSI | (7UL << SPI_CR1_BR_Pos))
/* RM0390 26.7.3: UDR is "not used in SPI mode". */
#define SR_SPI_BITS (SPI_SR_RXNE | SPI_SR_TXE | SPI_SR_CRCERR | SPI_SR_MODF | SPI_SR_OVR | SPI_SR_BSY)

static volatile uint32_t spi1_interrupts;

void SPI1_IRQHandler(void)
{
    spi1_interrupts = spi1_interrupts + 1U;
    log_hex("[dev:spi-irq] SPI1_IRQHandler SR=", SPI1->SR & SR_SPI_BITS);
    (void)SPI1->DR; /* clears RXNE and with it the request (26.3.7) */
}

static uint32_t wait_rxne(void)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        if (SPI1->SR & SPI_SR_RXNE) {
            return 1U;
        }
    }
    return 0U;
}

static uint32_t wait_not_busy(void)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        if ((SPI1->SR & SPI_SR_BSY) == 0U) {
            return 1U;
        }
    }
    return 0U;
}

static void flags(const char *what)
{
    uint32_t sr = SPI1->SR;
    log_event(what);
    log_value("  TXE=", (sr & SPI_SR_TXE) != 0U);
    log_value("  RXNE=", (sr & SPI_SR_RXNE) != 0U);
    log_value("  BSY=", (sr & SPI_SR_BSY) != 0U);
    log_value("  OVR=", (sr & SPI_SR_OVR) != 0U);
}

/* PA5 SCK, PA6 MISO (pull-down), PA7 MOSI in AF5 (DS10693 table 11); no-ops on QEMU. */
static void pins(void)
{
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
    RCC->APB2ENR |= RCC_APB2ENR_SPI1EN | RCC_APB2ENR_SPI4EN;
    RCC->APB1ENR |= RCC_APB1ENR_SPI2EN | RCC_APB1ENR_SPI3EN;
    (void)RCC->APB1ENR;
    for (uint32_t pin = 5U; pin <= 7U; pin++) {
        GPIOA->MODER = (GPIOA->MODER & ~(3UL << (2U * pin))) | (2UL << (2U * pin));
        GPIOA->AFRL = (GPIOA->AFRL & ~(0xFUL << (4U * pin))) | (5UL << (4U * pin));
    }
    GPIOA->PUPDR = (GPIOA->PUPDR & ~(3UL << 12)) | (2UL << 12);
}

static void reset_values(void)
{
    probe_section("spi reset values");
    struct stm32_spi *const spis[3] = { SPI1, SPI2, SPI3 };
    static const char *const names[3] = { "SPI1", "SPI2", "SPI3" };
    for (int i = 0; i < 3; i++) {
        log_event(names[i]);
        log_hex("  CR1=", spis[i]->CR1);
        log_hex("  CR2=", spis[i]->CR2);
        log_hex("  CRCPR=", spis[i]->CRCPR);
        log_hex("  SR without UDR=", spis[i]->SR & SR_SPI_BITS);
        log_hex("[dev:spi-sr-udr] SR=", spis[i]->SR);
    }
}

static void one_frame(void)
{
    probe_section("spi one frame");
    SPI1->CR1 = CR1_MASTER;
    SPI1->CR1 = CR1_MASTER | SPI_CR1_SPE;
    log_hex("CR1=", SPI1->CR1);
    SPI1->DR = 0xA5U;
    uint32_t sr = SPI1->SR;
    log_value("right after the DR write TXE=", (sr & SPI_SR_TXE) != 0U);
    log_value("[dev:spi-instant] right after the DR write BSY=", (sr & SPI_SR_BSY) != 0U);
    log_value("[dev:spi-instant] right after the DR write RXNE=", (sr & SPI_SR_RXNE) != 0U);
    log_value("RXNE within the bound=", wait_rxne());
    log_value("BSY clear within the bound=", wait_not_busy());
    flags("after the frame:");
    log_hex("DR=", SPI1->DR);
    flags("after the DR read:");

    SPI1->CR1 = CR1_MASTER;
    SPI1->CR1 = CR1_MASTER | SPI_CR1_DFF | SPI_CR1_SPE;
    SPI1->DR = 0x1234U;
    log_value("16-bit frame: RXNE within the bound=", wait_rxne());
    log_hex("16-bit frame: DR=", SPI1->DR);
    SPI1->CR1 = CR1_MASTER;
}

/* RM0390 26.3.10: a frame received while RXNE is set sets OVR; DR read then SR read clears it. */
static void overrun(void)
{
    probe_section("spi overrun");
    SPI1->CR1 = CR1_MASTER | SPI_CR1_SPE;
    SPI1->DR = 1U;
    (void)wait_rxne();
    SPI1->DR = 2U;
    (void)wait_not_busy();
    log_value("[dev:spi-ovr] two frames, no DR read: OVR=", (SPI1->SR & SPI_SR_OVR) != 0U);
    (void)SPI1->DR;
    (void)SPI1->SR;
    flags("after a DR read then an SR read:");
    SPI1->CR1 = CR1_MASTER;
}

/* RM0390 26.3.11: RXNEIE raises the SPI1 interrupt (35) at the end of a frame. */
static void rxne_interrupt(void)
{
    probe_section("spi rxne interrupt");
    irq_setup(SPI1_IRQn, PRIO_MID);
    SPI1->CR2 = SPI_CR2_RXNEIE;
    SPI1->CR1 = CR1_MASTER | SPI_CR1_SPE;
    SPI1->DR = 0x5AU;
    for (uint32_t i = 0; i < POLL_LIMIT && spi1_interrupts == 0U; i++) {
    }
    log_value("[dev:spi-irq] SPI1 interrupts=", spi1_interrupts);
    SPI1->CR2 = 0U;
    irq_off(SPI1_IRQn);
    (void)wait_not_busy();
    (void)SPI1->DR;
    SPI1->CR1 = CR1_MASTER;
}

/* RM0390 26.3.10: NSS low on a master (SSM=1, SSI=0) sets MODF and clears
 * SPE and MSTR; an SR access then a CR1 write clears MODF. */
static void mode_fault(void)
{
    probe_section("spi mode fault");
    SPI1->CR1 = (CR1_MASTER & ~SPI_CR1_SSI) | SPI_CR1_SPE;
    uint32_t sr = SPI1->SR;
    uint32_t cr1 = SPI1->CR1;
    log_value("[dev:spi-modf] NSS low: MODF=", (sr & SPI_SR_MODF) != 0U);
    log_value("[dev:spi-modf] NSS low: MSTR=", (cr1 & SPI_CR1_MSTR) != 0U);
    log_value("[dev:spi-modf] NSS low: SPE=", (cr1 & SPI_CR1_SPE) != 0U);
    SPI1->CR1 = CR1_MASTER;
    log_value("after an SR read and a CR1 write: MODF=", (SPI1->SR & SPI_SR_MODF) != 0U);
}

/* RM0390 26.3.6: CRC8 with CRCPR 0x07 over "123456789" is 0xf4 (the CRC-8
 * check value); all-zero frames received keep RXCRCR at 0. */
static void crc(void)
{
    probe_section("spi crc");
    SPI1->CRCPR = 0x31U;
    log_hex("[dev:spi-crc] CRCPR after writing 0x31=", SPI1->CRCPR);
    SPI1->CRCPR = 0x07U;
    SPI1->CR1 = CR1_MASTER | SPI_CR1_CRCEN;
    SPI1->CR1 = CR1_MASTER | SPI_CR1_CRCEN | SPI_CR1_SPE;
    static const char check[] = "123456789";
    for (unsigned i = 0; check[i] != '\0'; i++) {
        SPI1->DR = (uint8_t)check[i];
        (void)wait_rxne();
        (void)SPI1->DR;
    }
    log_hex("[dev:spi-crc] TXCRCR=", SPI1->TXCRCR);
    log_hex("RXCRCR=", SPI1->RXCRCR);
    SPI1->CR1 = CR1_MASTER;
}

int main(void)
{
    console_init();
    console_puts("quartz spi cross-check probe 1\n");
    pins();
    reset_values();
    one_frame();
    overrun();
    rxne_interrupt();
    mode_fault();
    crc();
    log_flush();
    console_puts("END\n");
    console_drain();
    for (;;) {
        __WFI();
    }
}

/* probe.h's helpers expect these from the probe's main sequence. */
void probe_section(const char *title)
{
    log_flush();
    console_puts("== ");
    console_puts(title);
    console_puts("\n");
}
