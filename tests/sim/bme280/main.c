/* The BME280 model tests: test_bme280_model.c, test_bme280_bus.c. */
#include "bme280_fixture.h"

int main(void)
{
    int failed = bme280_model_tests();
    failed += bme280_bus_tests();
    return failed ? 1 : 0;
}
