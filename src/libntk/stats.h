/* stats.h - the small statistics the experiments report, in one place so that they
 * are tested once: relative L2 distances between curves, means and spreads over
 * seeds, percentiles of a normal, and least-squares slopes on log-log axes. */
#ifndef NTK_STATS_H
#define NTK_STATS_H

#include <stddef.h>

/* |a - b|_2 / |b|_2 over n values (b the reference; NAN if |b| = 0). */
double ntk_stats_rel_l2_dist(size_t n, const double *a, const double *b);

/* Mean and sample standard deviation (n - 1 in the denominator; 0 when n = 1). */
void ntk_stats_mean_std(size_t n, const double *x, double *mean, double *std);

/* The p-quantile of N(mean, var): mean + sqrt(var) Phi^-1(p). */
double ntk_stats_normal_quantile(double mean, double var, double p);

/* Least-squares fit of log(y) = slope log(x) + c over n points (x, y > 0):
 * returns the slope, *intercept (may be NULL) receives c. NAN if n < 2. */
double ntk_stats_loglog_slope(size_t n, const double *x, const double *y, double *intercept);

#endif
