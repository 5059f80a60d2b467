#include "periph_test.h"

int main(void)
{
    int failed = 0;
    failed += test_rcc_group();
    failed += test_gpio_group();
    failed += test_tim_group();
    failed += test_i2c_group();
    failed += test_usart_group();
    failed += test_oled_group();
    failed += test_fidelity_group();
    failed += test_time_group();
    failed += test_dma_group();
    failed += test_spi_group();
    failed += test_adc_group();
    failed += test_adc_dma_group();
    failed += test_flash_group();
    return failed ? 1 : 0;
}
