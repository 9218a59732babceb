/* grid.h - where along the training time a run records: a logarithmic grid of steps.
 *
 * The grid is k = 0, then the distinct integers round(10^(j / per_decade)) for
 * j = 0, 1, 2, ... below kmax, then kmax itself: about per_decade points a decade
 * (fewer in the first decade, where neighbours round to the same integer), both ends
 * included. A network recording at steps k and a kernel evaluated at t = lr k are
 * compared point by point; the grids of two kmax agree below the smaller one.
 */
#ifndef NTK_GRID_H
#define NTK_GRID_H

#include <stddef.h>

/* The grid up to kmax (>= 1) into k (at most cap values; NULL: count only), its length
 * into *n. GSL_EINVAL for per_decade < 1 or kmax < 1 (or not finite), GSL_EBADLEN when
 * the grid has more than cap points. */
int ntk_grid_log_steps(size_t per_decade, double kmax, size_t cap, double *k, size_t *n);

#endif
