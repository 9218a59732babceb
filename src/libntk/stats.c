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

double ntk_stats_rms_dist(size_t n, const double *a, const double *b)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(d / (double)n);
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

double ntk_stats_band_fraction(size_t S, size_t M, const double *F, const double *mean, const double *var,
                               double lo, double hi, double sd_floor, double *below, double *above)
{
    size_t in = 0, under = 0, over = 0;
    for (size_t q = 0; q < S; q++)
        for (size_t i = 0; i < M; i++) {
            if (!(sqrt(var[i]) > sd_floor)) continue;
            double f = F[q * M + i], plo = ntk_stats_normal_quantile(mean[i], var[i], lo);
            double phi = ntk_stats_normal_quantile(mean[i], var[i], hi);
            if (f < plo) under++;
            else if (f > phi) over++;
            else in++;
        }
    const double n = (double)(in + under + over);
    if (below) *below = (double)under / n;
    if (above) *above = (double)over / n;
    return (double)in / n;
}

double ntk_stats_mean_abs_dev(size_t S, size_t M, const double *F, const double *m)
{
    double sum = 0.0;
    for (size_t i = 0; i < M; i++) {
        double fm = 0.0;
        for (size_t q = 0; q < S; q++) fm += F[q * M + i] / (double)S;
        sum += fabs(fm - m[i]) / (double)M;
    }
    return sum;
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
