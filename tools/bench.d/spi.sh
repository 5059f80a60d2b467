#!/bin/sh
# SPI by DMA (issue 12): spi_dma_bus_util, bytes x 8 / (SCK rate x
# transaction time) of one 4 KB full-duplex transaction through the SPI1
# loopback test device by DMA2 (tests/sim/spi/probe.c), timed with DWT
# CYCCNT in virtual time: deterministic, one run is the figure.
set -eu
test=$HOST_DIR/tests/sim/spi/test_spi_probe
elf=$FW_DIR/tests/sim/spi/spi-probe.elf
if [ ! -x "$test" ] || [ ! -f "$elf" ]; then
    echo "spi.sh: no $test or $elf (tree not built)" >&2
    exit 1
fi
"$test" "$elf" --bench
