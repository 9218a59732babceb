/* grid.c - see grid.h. */
#include "grid.h"

#include <math.h>

#include "error.h"

int ntk_grid_log_steps(size_t per_decade, double kmax, size_t cap, double *k, size_t *n)
{
    if (per_decade < 1 || !(kmax >= 1.0) || isinf(kmax) || !n)
        NTK_FAIL(GSL_EINVAL, "ntk_grid_log_steps: need per_decade >= 1 (got %zu) and a finite kmax >= 1 (got %g)",
                 per_decade, kmax);
    size_t m = 1; /* k[0] = 0 */
    double last = 0.0;
    if (k && cap > 0) k[0] = 0.0;
    for (long j = 0;; j++) {
        const double kj = round(pow(10.0, (double)j / (double)per_decade));
        if (kj >= kmax) break;
        if (kj > last) {
            if (k && m < cap) k[m] = kj;
            m++, last = kj;
        }
    }
    if (k && m < cap) k[m] = kmax;
    m++;
    if (k && m > cap)
        NTK_FAIL(GSL_EBADLEN, "ntk_grid_log_steps: %zu points up to %g at %zu a decade, room for %zu", m, kmax,
                 per_decade, cap);
    *n = m;
    return 0;
}
