/* Deliberately bad firmware: uses the heap. The link must fail. */
#include <stdlib.h>

int main(void)
{
    char *p = malloc(16);
    if (!p)
        return 1;
    p[0] = 1;
    int r = p[0];
    free(p);
    return r;
}
