/* test_stats.c - the statistics behind the experiments' headline numbers (stats.h):
 * Figure 2's share of network values inside the limiting Gaussian's 10-90% band and
 * the mean absolute deviation of the ensemble mean, each against an independent
 * computation (the normal CDF instead of quantiles; explicit sums on a hand-made
 * ensemble), and the RMS distance by hand. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

#include "stats.h"
#include "check.h"

enum { S = 3, M = 5 };
/* three draws of a function on five points; the Gaussian at each point */
static const double F[S * M] = {0.21, -1.3, 2.05, 0.0, 0.7,
                                -0.4, -0.95, 1.1, 0.3, 0.69,
                                1.9, -1.02, 1.6, -0.25, 0.71};
static const double mean[M] = {0.1, -1.0, 1.5, 0.05, 0.7};
static const double var[M] = {0.81, 0.04, 0.25, 0.09, 0.0};

/* Inside [p_lo, p_hi] of N(m, v) is lo <= Phi((f - m) / sd) <= hi: count that way. */
static double band_by_cdf(size_t s, const double *f, double lo, double hi, double floor, double *below, double *above)
{
    double in = 0, under = 0, over = 0;
    for (size_t q = 0; q < s; q++)
        for (size_t i = 0; i < M; i++) {
            double sd = sqrt(var[i]);
            if (!(sd > floor)) continue;
            double u = sd > 0 ? gsl_cdf_ugaussian_P((f[q * M + i] - mean[i]) / sd) : (f[q * M + i] < mean[i] ? 0 : f[q * M + i] > mean[i] ? 1 : 0.5);
            if (u < lo) under++;
            else if (u > hi) over++;
            else in++;
        }
    *below = under / (in + under + over), *above = over / (in + under + over);
    return in / (in + under + over);
}

static void test_band_fraction(void)
{
    const double floors[3] = {-1.0, 0.0, 0.25};
    for (int k = 0; k < 3; k++) {
        double b, a, eb, ea;
        double got = ntk_stats_band_fraction(S, M, F, mean, var, 0.1, 0.9, floors[k], &b, &a);
        double want = band_by_cdf(S, F, 0.1, 0.9, floors[k], &eb, &ea);
        printf("\n    sd floor %g: band fraction %.4f (CDF count %.4f), below %.4f, above %.4f", floors[k], got, want, b, a);
        CHECK_CLOSE(got, want, 0.0, 0.0);
        CHECK_CLOSE(b, eb, 0.0, 0.0);
        CHECK_CLOSE(a, ea, 0.0, 0.0);
        CHECK_CLOSE(got + b + a, 1.0, 1e-15, 0.0);
    }
    /* a single draw, a wider band, and no point above the floor: NaN */
    double b, a, eb, ea;
    CHECK_CLOSE(ntk_stats_band_fraction(1, M, F + M, mean, var, 0.05, 0.95, -1.0, NULL, NULL),
                band_by_cdf(1, F + M, 0.05, 0.95, -1.0, &eb, &ea), 0.0, 0.0);
    CU_ASSERT(isnan(ntk_stats_band_fraction(S, M, F, mean, var, 0.1, 0.9, 10.0, &b, &a)));
}

/* Exact draws of N(m, v) fall inside the 10-90% band 80% of the time: a large
 * deterministic "sample" by inverse CDF at the midpoints of 1000 equal strata. */
static void test_band_fraction_of_exact_draws(void)
{
    enum { D = 1000 };
    static double G[D * M];
    for (size_t q = 0; q < D; q++)
        for (size_t i = 0; i < M; i++)
            G[q * M + i] = mean[i] + sqrt(var[i]) * gsl_cdf_ugaussian_Pinv((q + 0.5) / D);
    double b, a, frac = ntk_stats_band_fraction(D, M, G, mean, var, 0.1, 0.9, 0.0, &b, &a);
    CHECK_CLOSE(frac, 0.8, 0.0, 1e-12);
    CHECK_CLOSE(b, 0.1, 0.0, 1e-12);
    CHECK_CLOSE(a, 0.1, 0.0, 1e-12);
}

/* mean_i |mean_q F[q][i] - m[i]| written out for the hand-made ensemble. */
static void test_mean_abs_dev(void)
{
    double want = 0.0;
    for (size_t i = 0; i < M; i++) want += fabs((F[i] + F[M + i] + F[2 * M + i]) / 3.0 - mean[i]);
    want /= M;
    CHECK_CLOSE(ntk_stats_mean_abs_dev(S, M, F, mean), want, 1e-15, 0.0);
    /* one draw equal to m: zero */
    CHECK_CLOSE(ntk_stats_mean_abs_dev(1, M, mean, mean), 0.0, 0.0, 0.0);
}

/* RMS distance by hand: differences 0, 2, -4, 1 -> sqrt(21 / 4). */
static void test_rms_dist(void)
{
    const double a[4] = {1.5, 2.0, -3.0, 0.25}, b[4] = {1.5, 0.0, 1.0, -0.75};
    CHECK_CLOSE(ntk_stats_rms_dist(4, a, b), sqrt(21.0 / 4.0), 1e-15, 0);
    CHECK_CLOSE(ntk_stats_rms_dist(4, a, a), 0.0, 0, 0);
    CHECK_CLOSE(ntk_stats_rms_dist(1, a + 2, b + 2), 4.0, 0, 0);
}

void ntk_test_stats(void)
{
    CU_pSuite s = CU_add_suite("stats", NULL, NULL);
    CU_add_test(s, "band fraction against a count by the normal CDF", test_band_fraction);
    CU_add_test(s, "band fraction of exact draws is hi - lo", test_band_fraction_of_exact_draws);
    CU_add_test(s, "mean absolute deviation of the ensemble mean", test_mean_abs_dev);
    CU_add_test(s, "RMS distance by hand", test_rms_dist);
}
