/* stats.c - see stats.h. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <math.h>

double ntk_stats_rel_l2_dist(size_t n, const double *a, const double *b)
{
    double d = 0.0, r = 0.0;
    for (size_t i = 0; i < n; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        r += b[i] * b[i];
    }
    return r > 0.0 ? sqrt(d / r) : NAN;
}

void ntk_stats_mean_std(size_t n, const double *x, double *mean, double *std)
{
    double m = 0.0, s = 0.0;
    for (size_t i = 0; i < n; i++) m += x[i];
    m = n ? m / (double)n : NAN;
    for (size_t i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
    if (mean) *mean = m;
    if (std) *std = n > 1 ? sqrt(s / (double)(n - 1)) : 0.0;
}

double ntk_stats_normal_quantile(double mean, double var, double p)
{
    return mean + sqrt(var > 0.0 ? var : 0.0) * gsl_cdf_ugaussian_Pinv(p);
}

double ntk_stats_loglog_slope(size_t n, const double *x, const double *y, double *intercept)
{
    if (n < 2) return NAN;
    double lx[n], ly[n], c0, c1, cov00, cov01, cov11, sumsq;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0.0) || !(y[i] > 0.0)) return NAN;
        lx[i] = log(x[i]);
        ly[i] = log(y[i]);
    }
    gsl_fit_linear(lx, 1, ly, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    if (intercept) *intercept = c0;
    return c1;
}
