/* test_rf.c - the random-features model: the features' covariance is K (entry by
 * entry within measured standard errors), the mean squared distance of the tangent
 * kernel to K is Wick's ((tr K)^2 + |K|_F^2) / P, gradient descent on theta is kernel
 * gradient descent with the tangent kernel (to a rounding bound), discrete kernel
 * gradient descent on the data is (I - lr K/N)^k, the features are drawn through the
 * symmetric square root of K (so a seed draws the same features whatever basis the
 * eigensolver returns), and every error path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "data.h"
#include "error.h"
#include "kla.h"
#include "limit.h"
#include "nonlin.h"
#include "rf.h"
#include "check.h"

/* K: the relu NNGP Sigma(3) (beta 0.1) on M points of the unit circle. */
enum { M = 6 };
static const double angles[M] = {-2.385, -1.02, -0.31, 0.447, 1.618, 2.9};

static void kernel(double *K)
{
    double X[2 * M];
    double T[M * M];
    ntk_data_circle_at(M, angles, X);
    ntk_limit_ws *ws = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(ntk_nonlin_find("relu"), 3, 0.1, X, M, 2, ws, K, T));
    ntk_limit_free(ws);
}

/* Khat - K entry by entry: Khat[x][x'] is a mean of P i.i.d. products with variance
 * K[x][x] K[x'][x'] + K[x][x']^2 (Wick), so each error is within 5 standard errors
 * (21 entries: a false alarm has probability below 1e-4). */
static void test_covariance(void)
{
    const size_t P = 200000;
    double K[M * M], Kh[M * M];
    kernel(K);
    ntk_rf *rf = ntk_rf_alloc(P, M);
    CU_ASSERT_FATAL(rf != NULL);
    CHECK_OK(ntk_rf_sample(rf, K, 17));
    CHECK_OK(ntk_rf_kernel(rf, Kh));
    double worst = 0.0;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < M; j++) {
            double se = sqrt((K[i * M + i] * K[j * M + j] + K[i * M + j] * K[i * M + j]) / (double)P);
            double z = fabs(Kh[i * M + j] - K[i * M + j]) / se;
            if (z > worst) worst = z;
            CU_ASSERT(Kh[i * M + j] == Kh[j * M + i]);
        }
    printf("\n    largest |Khat - K| / standard error over the entries: %.3f (P = %zu)", worst, P);
    CU_ASSERT(worst < 5.0);
    ntk_rf_free(rf);
}

/* The square root the features are drawn through is the symmetric one, S S = K, and
 * so depends on K alone: on 12 equally spaced circle points (K circulant: its
 * eigenvalues come in pairs, whose eigenvectors the solver may turn in their plane)
 * and on the same points listed in another order (another K, another eigenbasis), the
 * roots are the same matrix with rows and columns in that order. Since F = Z S, a seed
 * then draws the same features from K whatever basis the eigensolver returns (the
 * reordered points themselves get other noise, by position). Tolerances: rounding of
 * sums of 12 terms of size lambda_max (1e-12 relative to the largest entry). A root
 * built from the eigenvectors, diag(sqrt(lambda)) V, passes S^T S = K but fails the
 * other two. */
enum { MC = 12 };

static void circle_kernel(const size_t *order, double *K)
{
    double a[MC], X[2 * MC], T[MC * MC];
    for (size_t i = 0; i < MC; i++) a[i] = -M_PI + 2.0 * M_PI * (double)order[i] / MC;
    ntk_data_circle_at(MC, a, X);
    ntk_limit_ws *ws = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(ntk_nonlin_find("relu"), 3, 0.1, X, MC, 2, ws, K, T));
    ntk_limit_free(ws);
}

static void test_symmetric_root(void)
{
    const size_t P = 5, same[MC] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                 order[MC] = {7, 2, 11, 0, 5, 9, 3, 10, 1, 6, 4, 8};
    double K[MC * MC], Kp[MC * MC], SS[MC * MC], S1[MC * MC];
    circle_kernel(same, K);
    circle_kernel(order, Kp);
    ntk_rf *a = ntk_rf_alloc(P, MC), *b = ntk_rf_alloc(P, MC);
    CU_ASSERT_FATAL(a && b);
    CHECK_OK(ntk_rf_sample(a, K, 23));
    CHECK_OK(ntk_rf_sample(b, Kp, 23));
    double kmax = 0.0, smax = 0.0;
    for (size_t i = 0; i < MC * MC; i++) kmax = fmax(kmax, fabs(K[i])), smax = fmax(smax, fabs(a->root[i]));
    for (size_t i = 0; i < MC; i++)
        for (size_t j = 0; j < MC; j++) {
            double s = 0.0;
            for (size_t k = 0; k < MC; k++) s += a->root[i * MC + k] * a->root[k * MC + j];
            SS[i * MC + j] = s;
        }
    for (size_t i = 0; i < MC; i++) /* b's root, rows and columns in a's order */
        for (size_t j = 0; j < MC; j++) S1[order[i] * MC + order[j]] = b->root[i * MC + j];
    CHECK_ARRAY(SS, K, MC * MC, 0, 1e-12 * kmax, "S S against K");
    double asym = 0.0;
    for (size_t i = 0; i < MC; i++)
        for (size_t j = 0; j < MC; j++) asym = fmax(asym, fabs(a->root[i * MC + j] - a->root[j * MC + i]));
    printf("\n    largest |S - S^T|: %.3g (largest |S| %.3g)", asym, smax);
    CU_ASSERT(asym <= 1e-12 * smax);
    CHECK_ARRAY(S1, a->root, MC * MC, 0, 1e-12 * smax, "root of the reordered K, back in order");
    ntk_rf_free(a), ntk_rf_free(b);
}

/* P |Khat - K|_F^2 averaged over R seeds against (tr K)^2 + |K|_F^2, within 5
 * standard errors measured from the same R samples. */
static void test_wick(void)
{
    const size_t P = 40, R = 2000;
    double K[M * M], Kh[M * M];
    kernel(K);
    ntk_rf *rf = ntk_rf_alloc(P, M);
    CU_ASSERT_FATAL(rf != NULL);
    double sum = 0.0, sum2 = 0.0;
    for (size_t s = 0; s < R; s++) {
        CHECK_OK(ntk_rf_sample(rf, K, 1000 + s));
        ntk_rf_kernel(rf, Kh);
        double d2 = 0.0;
        for (size_t i = 0; i < M * M; i++) d2 += (Kh[i] - K[i]) * (Kh[i] - K[i]);
        sum += (double)P * d2;
        sum2 += (double)P * d2 * (double)P * d2;
    }
    double mean = sum / (double)R, sd = sqrt((sum2 / (double)R - mean * mean) * (double)R / (double)(R - 1));
    double expect = ntk_rf_expected_sqdist(M, K), se = sd / sqrt((double)R);
    printf("\n    P E|Khat - K|_F^2: measured %.6g +- %.2g, Wick %.6g", mean, se, expect);
    CHECK_CLOSE(mean, expect, 0, 5.0 * se);
    ntk_rf_free(rf);
}

/* The two training iterations from the same start. They compute one map summed in
 * two orders, so after k steps they differ by at most k times the rounding of one
 * update, (P + N) eps lr max_x Khat(x,x) max|r| (Cauchy-Schwarz bounds each sum of
 * |F[p][x] F[p][i]| / P by sqrt(Khat(x,x) Khat(i,i))); the iteration is non-expanding
 * for lr lambda_max(Khat/N) <= 2, so earlier differences do not grow. */
static void test_gd_is_kernel_gd(void)
{
    const size_t P = 300, N = 3, steps = 200, idx[3] = {0, 2, 5};
    const double y[3] = {0.173, -0.291, 0.05}, lr = 2.5;
    double K[M * M], Kh[M * M], theta[300], f_theta[M], f_k[M], work[3];
    kernel(K);
    ntk_rf *rf = ntk_rf_alloc(P, M);
    CU_ASSERT_FATAL(rf != NULL);
    CHECK_OK(ntk_rf_sample(rf, K, 5));
    ntk_rf_kernel(rf, Kh);
    for (size_t p = 0; p < P; p++) theta[p] = sin(2.385 * (double)p + 0.3);
    CHECK_OK(ntk_rf_eval(rf, theta, f_k));
    double diag = 0.0, r0 = 0.0, worst = 0.0, loss_gd, loss_k;
    for (size_t m = 0; m < M; m++) diag = fmax(diag, Kh[m * M + m]);
    for (size_t i = 0; i < N; i++) r0 = fmax(r0, fabs(f_k[idx[i]] - y[i]));
    for (size_t k = 0; k < steps; k++) {
        CHECK_OK(ntk_rf_gd_step(rf, theta, N, idx, y, lr, &loss_gd));
        CHECK_OK(ntk_rf_kgd_step(M, Kh, N, idx, y, lr, f_k, work, &loss_k));
        CHECK_CLOSE(loss_gd, loss_k, 1e-10, 0);
        ntk_rf_eval(rf, theta, f_theta);
        for (size_t m = 0; m < M; m++) worst = fmax(worst, fabs(f_theta[m] - f_k[m]));
    }
    double bound = (double)steps * (double)(P + N) * 2.2e-16 * lr * diag * r0;
    printf("\n    largest |f_theta - f_kernel| over %zu steps: %.3g (rounding bound %.3g); final loss %.3g",
           steps, worst, bound, loss_gd);
    CU_ASSERT(worst <= bound);
    CU_ASSERT(loss_gd < 1e-3 * 0.5 * r0 * r0); /* and it did train */
    ntk_rf_free(rf);
}

/* On the training points, k steps of kernel gradient descent give
 * f_k - y = (I - lr K_TT/N)^k (f_0 - y): compare with the eigendecomposition of K_TT. */
static void test_kgd_closed_form(void)
{
    enum { N = 4 };
    const size_t idx[N] = {1, 2, 3, 5}, steps = 37;
    const double y[N] = {0.3, -0.2, 0.25, -0.1}, lr = 3.1;
    double K[M * M], KT[N * N], ev[N], V[N * N], f[M], work[N], e0[N], expect[N], got[N];
    kernel(K);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) KT[i * N + j] = K[idx[i] * M + idx[j]];
    for (size_t m = 0; m < M; m++) f[m] = 0.1 * cos(1.7 * (double)m);
    for (size_t i = 0; i < N; i++) e0[i] = f[idx[i]] - y[i];
    for (size_t k = 0; k < steps; k++) CHECK_OK(ntk_rf_kgd_step(M, K, N, idx, y, lr, f, work, NULL));
    CHECK_OK(ntk_kla_eig_sym(N, KT, ev, V));
    for (size_t i = 0; i < N; i++) expect[i] = 0.0;
    for (size_t q = 0; q < N; q++) {
        double c = 0.0;
        for (size_t i = 0; i < N; i++) c += V[q * N + i] * e0[i];
        c *= pow(1.0 - lr * ev[q] / N, (double)steps);
        for (size_t i = 0; i < N; i++) expect[i] += c * V[q * N + i];
    }
    for (size_t i = 0; i < N; i++) got[i] = f[idx[i]] - y[i];
    CHECK_ARRAY(got, expect, N, 0, 1e-13, "kernel GD on the data vs (I - lr K/N)^k");
}

static void test_errors(void)
{
    double K[M * M], Kh[M * M], f[M], w[M], th[4] = {0};
    const size_t bad_idx[1] = {M};
    const double y[1] = {0.0};
    kernel(K);
    CU_ASSERT(ntk_rf_alloc(0, 3) == NULL);
    CU_ASSERT(ntk_rf_alloc(3, 0) == NULL);
    ntk_rf_free(NULL);
    ntk_rf *rf = ntk_rf_alloc(4, M);
    CU_ASSERT_FATAL(rf != NULL);
    double notpsd[4] = {1.0, 2.0, 2.0, 1.0}, nan2[4] = {1.0, NAN, NAN, 1.0}, asym[4] = {1.0, 0.5, 0.2, 1.0};
    ntk_rf *r2 = ntk_rf_alloc(4, 2);
    CU_ASSERT(ntk_rf_sample(r2, notpsd, 1) == GSL_EDOM);
    CU_ASSERT(ntk_rf_sample(r2, nan2, 1) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_sample(r2, asym, 1) == GSL_EINVAL);
    double sing[4] = {1.0, 1.0, 1.0, 1.0}; /* a repeated point: singular, still fine */
    CHECK_OK(ntk_rf_sample(r2, sing, 1));
    CU_ASSERT(r2->F[0] == r2->F[1] || fabs(r2->F[0] - r2->F[1]) < 1e-14);
    ntk_rf_free(r2);
    CU_ASSERT(ntk_rf_sample(rf, NULL, 1) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_kernel(NULL, Kh) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_eval(rf, NULL, f) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_gd_step(rf, th, 1, bad_idx, y, 1.0, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_gd_step(rf, th, 0, bad_idx, y, 1.0, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_kgd_step(M, K, 1, bad_idx, y, 1.0, f, w, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_rf_kgd_step(M, K, 1, bad_idx, y, 1.0, f, NULL, NULL) == GSL_EINVAL);
    ntk_rf_free(rf);
}

void ntk_test_rf(void)
{
    CU_pSuite s = CU_add_suite("rf", NULL, NULL);
    CU_add_test(s, "features have covariance K (within 5 standard errors per entry)", test_covariance);
    CU_add_test(s, "the square root of K is the symmetric one: the same root for the points in any order", test_symmetric_root);
    CU_add_test(s, "P E|Khat - K|_F^2 = (tr K)^2 + |K|_F^2 (Wick)", test_wick);
    CU_add_test(s, "gradient descent on theta = kernel gradient descent with Khat", test_gd_is_kernel_gd);
    CU_add_test(s, "kernel gradient descent on the data = (I - lr K/N)^k", test_kgd_closed_form);
    CU_add_test(s, "bad arguments are rejected", test_errors);
}
