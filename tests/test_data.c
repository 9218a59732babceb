/* test_data.c - the input sets: circle angles and points, seeded Gaussians (bit-for-bit
 * determinism, moments within 5 standard errors), points on the sphere, random draws
 * and test/training splits, bad arguments.
 * The statistical tolerances are 5 standard errors computed from the distribution's
 * own moments; with fixed seeds the outcome is deterministic anyway. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "check.h"

static void test_circle(void)
{
    enum { M = 13 };
    double gamma[M], X[2 * M];
    CHECK_OK(ntk_data_circle(M, gamma, X));
    /* Both ends exactly, and the middle exactly 0 (k / (M - 1) = 1/2). */
    CU_ASSERT(gamma[0] == -M_PI && gamma[M - 1] == M_PI && gamma[M / 2] == 0.0);
    /* Equal spacing 2 pi / (M - 1): each angle is one rounding of -pi + 2 pi k/(M-1),
     * so a spacing is off by at most a few ulps of pi (4.4e-16 each). */
    for (size_t k = 0; k + 1 < M; k++)
        CHECK_CLOSE(gamma[k + 1] - gamma[k], 2.0 * M_PI / (M - 1), 0.0, 4e-15);
    /* Points on the unit circle, at their angle: x^2 + y^2 = 1 to rounding, and
     * atan2 recovers gamma (at the ends sin(+-pi) = +-1.2e-16 keeps the sign). */
    for (size_t k = 0; k < M; k++) {
        double x = X[2 * k], y = X[2 * k + 1];
        CHECK_CLOSE(x * x + y * y, 1.0, 0.0, 4e-16);
        CHECK_CLOSE(atan2(y, x), gamma[k], 0.0, 2e-15);
    }
    CU_ASSERT(X[0] == -1.0 && fabs(X[1]) < 2e-16);
    CU_ASSERT(X[2 * (M - 1)] == -1.0 && fabs(X[2 * (M - 1) + 1]) < 2e-16);
    CU_ASSERT(X[2 * (M / 2)] == 1.0 && X[2 * (M / 2) + 1] == 0.0);

    /* gamma may be NULL; the points are the same. */
    double X2[2 * M];
    CHECK_OK(ntk_data_circle(M, NULL, X2));
    CU_ASSERT(memcmp(X, X2, sizeof X) == 0);

    /* The smallest circle: the two ends, both (-1, 0) up to sin's rounding. */
    double g2[2], X3[4];
    CHECK_OK(ntk_data_circle(2, g2, X3));
    CU_ASSERT(g2[0] == -M_PI && g2[1] == M_PI && X3[0] == -1.0 && X3[2] == -1.0);

    /* Points at given angles. */
    const double at[] = {2.385, -0.7, 0.0, 3.0 * M_PI};
    double Y[8];
    CHECK_OK(ntk_data_circle_at(4, at, Y));
    for (size_t k = 0; k < 4; k++) {
        CHECK_CLOSE(Y[2 * k] * Y[2 * k] + Y[2 * k + 1] * Y[2 * k + 1], 1.0, 0.0, 4e-16);
        CHECK_CLOSE(atan2(Y[2 * k + 1], Y[2 * k]), k < 3 ? at[k] : M_PI, 0.0, 2e-15);
    }
}

static void test_gaussian_determinism(void)
{
    enum { N = 500, D = 4 };
    double *a = malloc(N * D * sizeof *a), *b = malloc(N * D * sizeof *b);
    CU_ASSERT_FATAL(a && b);
    CHECK_OK(ntk_data_gaussian(20180607, N, D, a));
    CHECK_OK(ntk_data_gaussian(20180607, N, D, b));
    CU_ASSERT(memcmp(a, b, N * D * sizeof *a) == 0);
    /* A shorter set from the same seed is the start of the same stream. */
    CHECK_OK(ntk_data_gaussian(20180607, 100, D, b));
    CU_ASSERT(memcmp(a, b, 100 * D * sizeof *a) == 0);
    /* Another seed: no value in common. */
    CHECK_OK(ntk_data_gaussian(20180608, N, D, b));
    size_t same = 0;
    for (size_t i = 0; i < N * D; i++) same += a[i] == b[i];
    CU_ASSERT(same == 0);
    free(a);
    free(b);
}

/* Sample moments of n = N d values against N(0, 1): mean 0 (sd of the mean 1/sqrt n),
 * variance 1 (sd sqrt(2/n)), fourth moment 3 (sd sqrt((105 - 9)/n)), and the
 * correlation of coordinates 0 and 1 over the N rows (sd 1/sqrt N). */
static void test_gaussian_moments(void)
{
    enum { N = 50000, D = 4 };
    const double n = (double)N * D;
    double *X = malloc((size_t)N * D * sizeof *X);
    CU_ASSERT_FATAL(X != NULL);
    CHECK_OK(ntk_data_gaussian(2385, N, D, X));
    double s1 = 0, s2 = 0, s4 = 0, c01 = 0;
    for (size_t i = 0; i < (size_t)N * D; i++) {
        double x = X[i];
        s1 += x;
        s2 += x * x;
        s4 += x * x * x * x;
    }
    for (size_t i = 0; i < N; i++) c01 += X[i * D] * X[i * D + 1];
    double mean = s1 / n;
    CHECK_CLOSE(mean, 0.0, 0.0, 5.0 / sqrt(n));
    CHECK_CLOSE(s2 / n - mean * mean, 1.0, 0.0, 5.0 * sqrt(2.0 / n));
    CHECK_CLOSE(s4 / n, 3.0, 0.0, 5.0 * sqrt(96.0 / n));
    CHECK_CLOSE(c01 / N, 0.0, 0.0, 5.0 / sqrt((double)N));
    free(X);
}

/* Uniform on the sphere of R^d: unit norms, each row the normalised Gaussian row of
 * the same seed, coordinate means 0 (sd sqrt(1/(d N))) and E x_j^2 = 1/d (sd
 * sqrt((3/(d(d+2)) - 1/d^2) / N), from E x_j^4 = 3/(d(d+2))). */
static void test_sphere(void)
{
    enum { N = 20000, D = 5 };
    double *X = malloc((size_t)N * D * sizeof *X), *G = malloc((size_t)N * D * sizeof *G);
    CU_ASSERT_FATAL(X && G);
    CHECK_OK(ntk_data_sphere(7, N, D, X));
    CHECK_OK(ntk_data_gaussian(7, N, D, G));
    double worst = 0, worst_dir = 0, m[D] = {0}, q[D] = {0};
    for (size_t i = 0; i < N; i++) {
        double s = 0, g = 0;
        for (size_t j = 0; j < D; j++) {
            s += X[i * D + j] * X[i * D + j];
            g += G[i * D + j] * G[i * D + j];
            m[j] += X[i * D + j];
            q[j] += X[i * D + j] * X[i * D + j];
        }
        worst = fmax(worst, fabs(sqrt(s) - 1.0));
        for (size_t j = 0; j < D; j++)
            worst_dir = fmax(worst_dir, fabs(X[i * D + j] - G[i * D + j] / sqrt(g)));
    }
    CHECK_CLOSE(worst, 0.0, 0.0, 1e-15);
    CHECK_CLOSE(worst_dir, 0.0, 0.0, 1e-15);
    double sd2 = sqrt((3.0 / (D * (D + 2.0)) - 1.0 / (D * D)) / N);
    for (size_t j = 0; j < D; j++) {
        CHECK_CLOSE(m[j] / N, 0.0, 0.0, 5.0 * sqrt(1.0 / (D * (double)N)));
        CHECK_CLOSE(q[j] / N, 1.0 / D, 0.0, 5.0 * sd2);
    }
    /* Same seed, same bits. */
    CHECK_OK(ntk_data_sphere(7, N, D, G));
    CU_ASSERT(memcmp(X, G, (size_t)N * D * sizeof *X) == 0);
    /* d = 1: the sphere is {-1, 1}. */
    CHECK_OK(ntk_data_sphere(11, 100, 1, X));
    int pm1 = 1;
    for (size_t i = 0; i < 100; i++) pm1 &= X[i] == 1.0 || X[i] == -1.0;
    CU_ASSERT(pm1);
    free(X);
    free(G);
}

/* Draws: k distinct indices in range; the same seed the same draw, and a shorter draw a
 * prefix of a longer one; every item equally likely in every position (the count of
 * item j at position 0 and among the first 3, over 20000 seeds, within 5 binomial
 * standard errors). */
static void test_draw(void)
{
    enum { C = 10, S = 20000 };
    size_t a[C], b[C];
    CHECK_OK(ntk_data_draw(42, C, C, a));
    int seen[C] = {0}, perm = 1;
    for (size_t i = 0; i < C; i++) perm &= a[i] < C && !seen[a[i]]++;
    CU_ASSERT(perm);
    CHECK_OK(ntk_data_draw(42, C, 4, b));
    CU_ASSERT(memcmp(a, b, 4 * sizeof *a) == 0);
    CHECK_OK(ntk_data_draw(43, C, C, b));
    CU_ASSERT(memcmp(a, b, sizeof a) != 0);
    double first[C] = {0}, top3[C] = {0};
    for (unsigned long seed = 1; seed <= S; seed++) {
        CHECK_OK(ntk_data_draw(seed, C, 3, b));
        first[b[0]] += 1.0;
        for (int i = 0; i < 3; i++) top3[b[i]] += 1.0;
    }
    for (int j = 0; j < C; j++) {
        CHECK_CLOSE(first[j] / S, 0.1, 0, 5.0 * sqrt(0.1 * 0.9 / S));
        CHECK_CLOSE(top3[j] / S, 0.3, 0, 5.0 * sqrt(0.3 * 0.7 / S));
    }
    CHECK_OK(ntk_data_draw(1, 5, 0, NULL));
    CU_ASSERT(ntk_data_draw(1, 5, 6, b) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "6 items asked of 5") != NULL);
    CU_ASSERT(ntk_data_draw(1, 5, 2, NULL) == GSL_EINVAL);
}

/* A data set whose rows say where they came from: row i is (i, i + 0.25, i + 0.5),
 * label i mod 7. */
enum { SN = 40, SD = 3 };
static void numbered(double *X, int *lab)
{
    for (int i = 0; i < SN; i++) {
        for (int d = 0; d < SD; d++) X[i * SD + d] = i + 0.25 * d;
        lab[i] = i % 7;
    }
}

/* The split copies the rows of one draw: the first M test, the next N training, so the
 * two are disjoint, training sets of one seed are nested, and labels follow their rows. */
static void test_split(void)
{
    double X[SN * SD], Xt[10 * SD], Xs[20 * SD], Xt2[10 * SD], Xs2[8 * SD];
    int lab[SN], lt[10], ls[20], lt2[10], ls2[8];
    size_t idx[30];
    numbered(X, lab);
    CHECK_OK(ntk_data_split(2385, SN, SD, X, lab, 10, 20, Xt, lt, Xs, ls));
    CHECK_OK(ntk_data_draw(2385, SN, 30, idx));
    int ok = 1, seen[SN] = {0};
    for (int i = 0; i < 30; i++) {
        const double *row = i < 10 ? Xt + i * SD : Xs + (i - 10) * SD;
        const int l = i < 10 ? lt[i] : ls[i - 10];
        ok &= memcmp(row, X + idx[i] * SD, SD * sizeof *row) == 0 && l == lab[idx[i]];
        ok &= !seen[(size_t)row[0]]++; /* each row of X once: disjoint sets */
    }
    CU_ASSERT(ok);
    /* a smaller training set of the same seed and M: the same test set, the start of the larger one */
    CHECK_OK(ntk_data_split(2385, SN, SD, X, lab, 10, 8, Xt2, lt2, Xs2, ls2));
    CU_ASSERT(memcmp(Xt2, Xt, sizeof Xt) == 0 && memcmp(lt2, lt, sizeof lt) == 0);
    CU_ASSERT(memcmp(Xs2, Xs, sizeof Xs2) == 0 && memcmp(ls2, ls, sizeof ls2) == 0);
    /* no labels; every row; too many rows */
    CHECK_OK(ntk_data_split(2385, SN, SD, X, NULL, 10, 8, Xt2, NULL, Xs2, NULL));
    CU_ASSERT(memcmp(Xs2, Xs, sizeof Xs2) == 0);
    double all[SN * SD];
    CHECK_OK(ntk_data_split(7, SN, SD, X, NULL, 0, SN, NULL, NULL, all, NULL));
    double sum = 0.0;
    for (int i = 0; i < SN; i++) sum += all[i * SD];
    CHECK_CLOSE(sum, SN * (SN - 1) / 2.0, 0, 0); /* a permutation of the rows */
    CU_ASSERT(ntk_data_split(1, SN, SD, X, lab, 30, 11, Xt, lt, Xs, ls) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "30 test and 11 training rows asked of 40") != NULL);
    CU_ASSERT(ntk_data_split(1, SN, SD, X, lab, 10, 20, Xt, NULL, Xs, ls) == GSL_EINVAL);
    CU_ASSERT(ntk_data_split(1, SN, SD, NULL, lab, 10, 20, Xt, lt, Xs, ls) == GSL_EINVAL);
}

static void test_bad_args(void)
{
    double X[8], g[4] = {0.1, 0.2, 0.3, 0.4};
    CU_ASSERT(ntk_data_circle(0, g, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_circle(1, g, X) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "ntk_data_circle") != NULL);
    CU_ASSERT(ntk_data_circle(4, g, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_data_circle_at(0, g, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_circle_at(4, NULL, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_circle_at(4, g, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_data_gaussian(1, 0, 2, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_gaussian(1, 2, 0, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_gaussian(1, 2, 2, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_data_gaussian(1, SIZE_MAX / 2, 3, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_sphere(1, 0, 2, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_sphere(1, 2, 0, X) == GSL_EINVAL);
    CU_ASSERT(ntk_data_sphere(1, 2, 2, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_data_sphere(1, SIZE_MAX / 2, 3, X) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "ntk_data_sphere") != NULL);
}

void ntk_test_data(void)
{
    CU_pSuite s = CU_add_suite("data", NULL, NULL);
    CU_add_test(s, "circle: exact ends, equal spacing, unit norm", test_circle);
    CU_add_test(s, "gaussian: same seed same bits, other seed other values",
                test_gaussian_determinism);
    CU_add_test(s, "gaussian: moments within 5 standard errors", test_gaussian_moments);
    CU_add_test(s, "sphere: unit norms, normalised gaussians, uniform moments", test_sphere);
    CU_add_test(s, "draw: distinct, deterministic, prefixes, uniform", test_draw);
    CU_add_test(s, "split: rows of one draw, disjoint, nested, labels with their rows", test_split);
    CU_add_test(s, "bad arguments rejected", test_bad_args);
}
