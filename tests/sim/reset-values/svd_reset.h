/* Register reset values from a CMSIS-SVD file (expat), derivedFrom resolved. */
#ifndef SVD_RESET_H
#define SVD_RESET_H

#include <stdbool.h>
#include <stdint.h>

struct svd;

struct svd *svd_load(const char *path);
void svd_free(struct svd *svd);
/* false when the SVD has no such register */
bool svd_reset_value(const struct svd *svd, const char *peripheral, const char *reg, uint32_t *value);

#endif
