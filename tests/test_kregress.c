/* test_kregress.c - kernel regression along the training time (kregress.h): the closed
 * form against explicit kernel gradient descent steps (from 0 and from a given initial
 * function), the t = infinity limit against a Cholesky solve, the variance against
 * explicit steps from the prior's own functions and against ntk_kla_gp_limit, the scores
 * against hand computations, and every error path. */
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "kla.h"
#include "kregress.h"
#include "limit.h"
#include "check.h"

/* N training and M test inputs in R^3 (Gaussian), relu Theta(3) and Sigma(3), beta 0.1,
 * on the joint set Z = (X, x): T and S are (N+M) x (N+M). */
enum { N = 7, M = 5, D = 3, C = 3, J = N + M };

static void joint_kernels(double *T, double *S)
{
    double Z[J * D];
    CHECK_OK(ntk_data_gaussian(2385, J, D, Z));
    ntk_limit_ws *w = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(ntk_nonlin_find("relu"), 3, 0.1, Z, J, D, w, S, T));
    ntk_limit_free(w);
}

/* Blocks of a joint matrix A (J x J): training block (N x N), cross block (M x N),
 * diagonal of the test block (M). */
static void blocks(const double *A, double *AXX, double *AxX, double *axx)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) AXX[i * N + j] = A[i * J + j];
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) AxX[i * N + j] = A[(N + i) * J + j];
        if (axx) axx[i] = A[(N + i) * J + N + i];
    }
}

/* Explicit kernel gradient descent on the joint set: n forward Euler steps of size dt of
 * df/dt(z) = -(1/N) sum_j K(z, x_j) (f(x_j) - y_j), for every z in Z and each of the q
 * columns of f (J x q, in place; Y is N x q). */
static void euler(const double *K, size_t q, const double *Y, double dt, long n, double *f)
{
    double r[N * J];
    for (long s = 0; s < n; s++) {
        for (int j = 0; j < N; j++)
            for (size_t c = 0; c < q; c++) r[j * q + c] = f[j * q + c] - Y[j * q + c];
        for (int z = 0; z < J; z++)
            for (size_t c = 0; c < q; c++) {
                double g = 0.0;
                for (int j = 0; j < N; j++) g += K[z * J + j] * r[j * q + c];
                f[z * q + c] -= dt / N * g;
            }
    }
}

static void targets(double *Y)
{
    for (int i = 0; i < N; i++)
        for (int c = 0; c < C; c++) Y[i * C + c] = sin(1.3 * i + 2.385 * c + 0.4);
}

/* The closed form at t against Euler steps from f_0 = 0 with step h and h/10: the error
 * of a first-order method falls tenfold, and at h/10 it is small. */
static void test_against_steps(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], Y[N * C];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    targets(Y);
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    /* t: the slowest rate lam_N/N times t is about 1, so no component is at 0 or at the end */
    const double t = (double)N / r->lam[N - 1];
    printf("\n    rates lam/N from %.3g to %.3g, t = %.4g", r->lam[N - 1] / N, r->lam[0] / N, t);
    double exact[J * C], err[2];
    CHECK_OK(ntk_kreg_fit(r, t, C, Y, exact));
    CHECK_OK(ntk_kreg_predict(r, t, C, Y, exact + N * C));
    for (int pass = 0; pass < 2; pass++) {
        const long n = pass ? 200000 : 20000;
        double f[J * C] = {0};
        euler(T, C, Y, t / (double)n, n, f);
        double e = 0.0, ref = 0.0;
        for (int k = 0; k < J * C; k++) e = fmax(e, fabs(f[k] - exact[k])), ref = fmax(ref, fabs(exact[k]));
        err[pass] = e / ref;
        if (pass) CHECK_ARRAY(f, exact, J * C, 0, 1e-4 * ref, "closed form vs 200000 explicit steps (train, test)");
    }
    printf("\n    relative error of Euler: %.3g (n = 2e4), %.3g (n = 2e5)", err[0], err[1]);
    CHECK_CLOSE(err[0] / err[1], 10.0, 0.05, 0); /* first order: the closed form is the limit */
    /* at t = 0 nothing has moved; at t = infinity the training targets are fitted */
    double F[J * C];
    CHECK_OK(ntk_kreg_fit(r, 0.0, C, Y, F));
    for (int k = 0; k < N * C; k++) CU_ASSERT(F[k] == 0.0);
    CHECK_OK(ntk_kreg_fit(r, INFINITY, C, Y, F));
    CHECK_ARRAY(F, Y, N * C, 1e-10, 1e-12, "fit at t = infinity interpolates the targets");
    ntk_kreg_free(r);
}

/* Started from a function f_0 that is not 0: the closed form against Euler steps from
 * f_0 on the joint set (test points: f_0(x) + K_x A_t (Y - f_0(X))), the same
 * tolerance as from 0; it is f_0's own test values at t = 0. */
static void test_from_init(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], Y[N * C], f0[J * C];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    targets(Y);
    for (int z = 0; z < J; z++)
        for (int c = 0; c < C; c++) f0[z * C + c] = 0.7 * cos(0.9 * z - 1.7 * c + 0.3);
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    const double t = (double)N / r->lam[N - 1];
    double F[M * C], f[J * C], ref = 0.0;
    CHECK_OK(ntk_kreg_predict_from(r, t, C, Y, f0, f0 + N * C, F));
    memcpy(f, f0, sizeof f);
    euler(T, C, Y, t / 200000.0, 200000, f);
    for (int k = 0; k < M * C; k++) ref = fmax(ref, fabs(F[k]));
    CHECK_ARRAY(F, f + N * C, M * C, 0, 1e-4 * ref, "from f_0: closed form vs 200000 explicit steps (test)");
    CHECK_OK(ntk_kreg_predict_from(r, 0.0, C, Y, f0, f0 + N * C, F));
    CU_ASSERT(memcmp(F, f0 + N * C, sizeof F) == 0);
    CU_ASSERT(ntk_kreg_predict_from(r, t, C, Y, NULL, f0 + N * C, F) == GSL_EINVAL);
    CU_ASSERT(ntk_kreg_predict_from(r, -1.0, C, Y, f0, f0 + N * C, F) == GSL_EINVAL);
    ntk_kreg_free(r);
}

/* t = infinity: K_x K^-1 Y by a Cholesky solve (GSL), and t = 1e12 tends to it. */
static void test_infinity(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], Y[N * C], F[M * C], F2[M * C], ref[M * C];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    targets(Y);
    double L[N * N], a[N * C];
    memcpy(L, TXX, sizeof L);
    memcpy(a, Y, sizeof a);
    gsl_matrix_view Lv = gsl_matrix_view_array(L, N, N);
    CHECK_OK(gsl_linalg_cholesky_decomp1(&Lv.matrix));
    for (int c = 0; c < C; c++) {
        gsl_vector_view col = gsl_vector_view_array_with_stride(a + c, C, N);
        CHECK_OK(gsl_linalg_cholesky_svx(&Lv.matrix, &col.vector));
    }
    for (int i = 0; i < M; i++)
        for (int c = 0; c < C; c++) {
            ref[i * C + c] = 0.0;
            for (int j = 0; j < N; j++) ref[i * C + c] += TxX[i * N + j] * a[j * C + c];
        }
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    CHECK_OK(ntk_kreg_predict(r, INFINITY, C, Y, F));
    CHECK_ARRAY(F, ref, M * C, 1e-9, 1e-12, "t = infinity vs Cholesky solve");
    CHECK_OK(ntk_kreg_predict(r, 1e12, C, Y, F2));
    CHECK_ARRAY(F2, F, M * C, 1e-8, 1e-12, "t = 1e12 vs t = infinity");
    ntk_kreg_free(r);
}

/* The variance over initialisations by explicit steps: with Sigma on the joint set equal
 * to R R^T (Cholesky), f_0 = R u with u ~ N(0, I), so f_t - mean is the response of the
 * steps (targets 0) to the J initial functions R e_j, and var_t(z) = sum_j (f_t(z) e_j)^2. */
static void test_variance(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], SXX[N * N], SxX[M * N], sxx[M];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    blocks(S, SXX, SxX, sxx);
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(ntk_kreg_var(r, 1.0, sxx) == GSL_EINVAL); /* no prior yet */
    CHECK_OK(ntk_kreg_prior(r, SXX, SxX, sxx));
    const double t = 0.5 * (double)N / r->lam[N - 1];
    double R[J * J], zeros[N * J] = {0};
    memcpy(R, S, sizeof R);
    gsl_matrix_view Rv = gsl_matrix_view_array(R, J, J);
    CHECK_OK(gsl_linalg_cholesky_decomp1(&Rv.matrix)); /* lower triangle: R */
    for (int i = 0; i < J; i++)
        for (int j = i + 1; j < J; j++) R[i * J + j] = 0.0;
    const long n = 200000;
    euler(T, J, zeros, t / (double)n, n, R);
    double vsteps[M], var[M], vgp[M], mgp[M], vbar, mean = 0.0;
    for (int i = 0; i < M; i++) {
        vsteps[i] = 0.0;
        for (int j = 0; j < J; j++) vsteps[i] += R[(N + i) * J + j] * R[(N + i) * J + j];
    }
    CHECK_OK(ntk_kreg_var(r, t, var));
    CHECK_ARRAY(var, vsteps, M, 1e-4, 1e-8, "variance vs explicit steps from the prior's functions");
    /* the same against ntk_kla_gp_limit, at t and at infinity; and the mean over points */
    double y0[N] = {0};
    for (int pass = 0; pass < 2; pass++) {
        double tt = pass ? INFINITY : t;
        CHECK_OK(ntk_kreg_var(r, tt, var));
        CHECK_OK(ntk_kla_gp_limit(N, TXX, SXX, y0, M, TxX, SxX, sxx, tt, mgp, vgp));
        CHECK_ARRAY(var, vgp, M, 1e-9, 1e-12, pass ? "variance at infinity vs ntk_kla_gp_limit" : "variance at t vs ntk_kla_gp_limit");
        CHECK_OK(ntk_kreg_var_mean(r, tt, &vbar));
        mean = 0.0;
        for (int i = 0; i < M; i++) mean += var[i] / M;
        CHECK_CLOSE(vbar, mean, 1e-10, 1e-14);
    }
    ntk_kreg_free(r);
}

/* ntk_kreg_limit_alloc builds the same workspaces as the kernels assembled here by hand:
 * the same predictions, variances and NNGP mean. */
static void test_limit_alloc(void)
{
    double Z[J * D], T[J * J], S[J * J], TXX[N * N], TxX[M * N], SXX[N * N], SxX[M * N], sxx[M], Y[N * C];
    double F1[M * C], F2[M * C], v1[M], v2[M];
    CHECK_OK(ntk_data_gaussian(2385, J, D, Z));
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    blocks(S, SXX, SxX, sxx);
    targets(Y);
    ntk_kreg *ng, *k = ntk_kreg_limit_alloc(ntk_nonlin_find("relu"), 3, 0.1, D, N, Z, M, Z + N * D, &ng);
    ntk_kreg *hk = ntk_kreg_alloc(N, TXX, M, TxX), *hn = ntk_kreg_alloc(N, SXX, M, SxX);
    CU_ASSERT_FATAL(k && ng && hk && hn);
    CHECK_OK(ntk_kreg_prior(hk, SXX, SxX, sxx));
    CHECK_OK(ntk_kreg_predict(k, 7.5, C, Y, F1));
    CHECK_OK(ntk_kreg_predict(hk, 7.5, C, Y, F2));
    CHECK_ARRAY(F1, F2, M * C, 1e-13, 1e-15, "ntk_kreg_limit_alloc: NTK mean vs kernels by hand");
    CHECK_OK(ntk_kreg_var(k, 7.5, v1));
    CHECK_OK(ntk_kreg_var(hk, 7.5, v2));
    CHECK_ARRAY(v1, v2, M, 1e-13, 1e-15, "ntk_kreg_limit_alloc: variance vs kernels by hand");
    CHECK_OK(ntk_kreg_predict(ng, INFINITY, C, Y, F1));
    CHECK_OK(ntk_kreg_predict(hn, INFINITY, C, Y, F2));
    CHECK_ARRAY(F1, F2, M * C, 1e-13, 1e-15, "ntk_kreg_limit_alloc: NNGP mean vs kernels by hand");
    ntk_kreg_free(k), ntk_kreg_free(ng), ntk_kreg_free(hk), ntk_kreg_free(hn);
    CU_ASSERT(ntk_kreg_limit_alloc(ntk_nonlin_find("relu"), 3, 0.1, D, N, NULL, M, Z, NULL) == NULL);
}

static void test_errors(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], Y[N * C], F[M * C];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    targets(Y);
    /* two equal training inputs: singular; finite t works, infinity is refused */
    for (int j = 0; j < N; j++) TXX[1 * N + j] = TXX[0 * N + j], TXX[j * N + 1] = TXX[j * N + 0];
    TXX[1 * N + 1] = TXX[0];
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    CHECK_OK(ntk_kreg_predict(r, 10.0, C, Y, F));
    for (int k = 0; k < M * C; k++) F[k] = 12345.0;
    CU_ASSERT(ntk_kreg_predict(r, INFINITY, C, Y, F) == GSL_EDOM);
    CU_ASSERT(strstr(ntk_last_error(), "not positive definite") != NULL);
    for (int k = 0; k < M * C; k++) CU_ASSERT(F[k] == 12345.0);
    CU_ASSERT(ntk_kreg_predict(r, -1.0, C, Y, F) == GSL_EINVAL);
    CU_ASSERT(ntk_kreg_predict(r, NAN, C, Y, F) == GSL_EINVAL);
    Y[4] = NAN;
    CU_ASSERT(ntk_kreg_predict(r, 1.0, C, Y, F) == GSL_EINVAL);
    ntk_kreg_free(r);
    /* not positive semi-definite, non-finite, missing test kernel */
    double bad[4] = {1.0, 2.0, 2.0, 1.0}; /* eigenvalues 3, -1 */
    CU_ASSERT(ntk_kreg_alloc(2, bad, 0, NULL) == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "not positive semi-definite") != NULL);
    bad[1] = bad[2] = NAN;
    CU_ASSERT(ntk_kreg_alloc(2, bad, 0, NULL) == NULL);
    CU_ASSERT(ntk_kreg_alloc(N, TXX, M, NULL) == NULL);
    ntk_kreg_free(NULL);
}

/* ntk_kreg_test_error is the prediction, its score and the mean variance, each as the
 * separate calls give it, bit for bit; without a prior it needs var = NULL. */
static void test_test_error(void)
{
    double T[J * J], S[J * J], TXX[N * N], TxX[M * N], SXX[N * N], SxX[M * N], sxx[M], Y[N * C], Yt[M * C];
    int lt[M];
    joint_kernels(T, S);
    blocks(T, TXX, TxX, NULL);
    blocks(S, SXX, SxX, sxx);
    targets(Y);
    for (int i = 0; i < M; i++) {
        lt[i] = (3 * i + 1) % C;
        for (int c = 0; c < C; c++) Yt[i * C + c] = (c == lt[i]) - 1.0 / C;
    }
    ntk_kreg *r = ntk_kreg_alloc(N, TXX, M, TxX);
    CU_ASSERT_FATAL(r != NULL);
    double F[M * C], F2[M * C], mse, acc, var, m2, a2, v2;
    CU_ASSERT(ntk_kreg_test_error(r, 2.5, C, Y, Yt, lt, F, &mse, &acc, &var) == GSL_EINVAL); /* no prior */
    CHECK_OK(ntk_kreg_test_error(r, 2.5, C, Y, Yt, lt, F, &mse, &acc, NULL));
    CHECK_OK(ntk_kreg_prior(r, SXX, SxX, sxx));
    for (int pass = 0; pass < 2; pass++) {
        const double t = pass ? INFINITY : 2.5;
        CHECK_OK(ntk_kreg_test_error(r, t, C, Y, Yt, lt, F, &mse, &acc, &var));
        CHECK_OK(ntk_kreg_predict(r, t, C, Y, F2));
        CHECK_OK(ntk_kreg_score(M, C, F2, Yt, lt, &m2, &a2));
        CHECK_OK(ntk_kreg_var_mean(r, t, &v2));
        CU_ASSERT(memcmp(F, F2, sizeof F) == 0 && mse == m2 && acc == a2 && var == v2);
    }
    ntk_kreg_free(r);
}

/* Hand computations: 4 points, 3 classes. */
static void test_scores(void)
{
    const int lab[4] = {2, 0, 1, 1};
    double Y[12], Yh[12] = {-1. / 3, -1. / 3, 2. / 3, 2. / 3, -1. / 3, -1. / 3,
                            -1. / 3, 2. / 3, -1. / 3, -1. / 3, 2. / 3, -1. / 3};
    CHECK_OK(ntk_kreg_onehot(4, 3, lab, Y));
    CHECK_ARRAY(Y, Yh, 12, 0, 4e-16, "centred one-hot targets");
    /* point 0: argmax 2 (right); 1: argmax 1 (wrong); 2: tie 0/1 -> 0 (wrong); 3: argmax 1 (right) */
    const double F[12] = {0.1, -0.2, 0.5, 0.0, 0.3, -0.1, 0.4, 0.4, 0.2, -0.5, 0.25, 0.2};
    double mse, acc, s = 0.0;
    for (int k = 0; k < 12; k++) s += (F[k] - Yh[k]) * (F[k] - Yh[k]);
    CHECK_OK(ntk_kreg_score(4, 3, F, Y, lab, &mse, &acc));
    CHECK_CLOSE(acc, 0.5, 0, 0);
    CHECK_CLOSE(mse, s / 12.0, 1e-15, 0);
    /* by hand: squared errors of the 12 entries, summed */
    CHECK_CLOSE(s, 7.0 / 30 + 9.0 / 10 + 67.0 / 75 + 583.0 / 1200, 1e-14, 0); /* per point, exact fractions */
    CHECK_OK(ntk_kreg_score(4, 3, F, NULL, lab, NULL, &acc));
    double Fn[12];
    memcpy(Fn, F, sizeof Fn);
    Fn[7] = NAN;
    CU_ASSERT(ntk_kreg_score(4, 3, Fn, Y, lab, &mse, &acc) == GSL_EDOM);
    const int badlab[2] = {0, 3};
    CU_ASSERT(ntk_kreg_onehot(2, 3, badlab, Y) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "label 3 of point 1") != NULL);
}

void ntk_test_kregress(void)
{
    CU_pSuite s = CU_add_suite("kregress", NULL, NULL);
    CU_add_test(s, "closed form vs explicit kernel gradient descent steps", test_against_steps);
    CU_add_test(s, "from a given f_0: closed form vs explicit steps", test_from_init);
    CU_add_test(s, "t = infinity vs a Cholesky solve", test_infinity);
    CU_add_test(s, "variance vs explicit steps and ntk_kla_gp_limit; its mean", test_variance);
    CU_add_test(s, "ntk_kreg_limit_alloc vs kernels by hand", test_limit_alloc);
    CU_add_test(s, "singular, indefinite and non-finite kernels, bad times", test_errors);
    CU_add_test(s, "one-hot targets, MSE and accuracy by hand", test_scores);
    CU_add_test(s, "the test error of the limit at t: prediction, score, mean variance", test_test_error);
}
