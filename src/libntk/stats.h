/* stats.h - the small statistics the experiments report, in one place so that they
 * are tested once: relative L2 and RMS distances between curves, means and spreads over
 * seeds, percentiles of a normal, how an ensemble of functions sits against a
 * Gaussian band, and least-squares slopes on log-log axes. */
#ifndef NTK_STATS_H
#define NTK_STATS_H

#include <stddef.h>

/* |a - b|_2 / |b|_2 over n values (b the reference; NAN if |b| = 0). */
double ntk_stats_rel_l2_dist(size_t n, const double *a, const double *b);

/* The root mean square of a - b over n values: sqrt((1/n) sum_i (a_i - b_i)^2). */
double ntk_stats_rms_dist(size_t n, const double *a, const double *b);

/* Mean and sample standard deviation (n - 1 in the denominator; 0 when n = 1). */
void ntk_stats_mean_std(size_t n, const double *x, double *mean, double *std);

/* The p-quantile of N(mean, var): mean + sqrt(var) Phi^-1(p). */
double ntk_stats_normal_quantile(double mean, double var, double p);

/* An ensemble against a Gaussian process: F holds S draws of a function on M points
 * (S x M, row q the q-th draw), and N(mean[i], var[i]) is the distribution at point
 * i. The share of the S M values F[q][i] inside the band [lo-quantile, hi-quantile]
 * of their point's normal (ntk_stats_normal_quantile), over the points whose standard
 * deviation exceeds sd_floor (all of them for a negative floor). *below and *above
 * (may be NULL) receive the shares under and over the band. NAN when no point counts.
 * For exact draws the share is hi - lo on average. */
double ntk_stats_band_fraction(size_t S, size_t M, const double *F, const double *mean, const double *var,
                               double lo, double hi, double sd_floor, double *below, double *above);

/* The mean over the M points of |the mean over the S draws of F (S x M) - m[i]|: how far
 * the ensemble's mean function is from m. */
double ntk_stats_mean_abs_dev(size_t S, size_t M, const double *F, const double *m);

/* Least-squares fit of log(y) = slope log(x) + c over n points (x, y > 0):
 * returns the slope, *intercept (may be NULL) receives c. NAN if n < 2. */
double ntk_stats_loglog_slope(size_t n, const double *x, const double *y, double *intercept);

#endif
