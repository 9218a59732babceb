/* test_kla.c - eigenpairs (power iteration against the full eigensolve), the limiting
 * Gaussian (interpolation, vanishing variance, finite t) and kernel gradient descent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "kla.h"
#include "limit.h"
#include "check.h"

/* A symmetric positive definite matrix with a known spectrum: Q diag(lam) Q^T with Q
 * the eigenvectors of a fixed symmetric matrix. */
enum { N = 12 };
static const double lam_true[N] = {5.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01};

static void make_spd(double *A, double *Q)
{
    double S[N * N], ev[N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j <= i; j++) S[i * N + j] = S[j * N + i] = sin(1.0 + 3.1 * i + 1.7 * j * j);
    ntk_kla_eig_sym(N, S, ev, Q); /* rows of Q: an orthonormal basis */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < N; k++) s += Q[k * N + i] * lam_true[k] * Q[k * N + j];
            A[i * N + j] = s;
        }
}

static void test_eig_sym(void)
{
    double A[N * N], Q[N * N], ev[N], V[N * N];
    make_spd(A, Q);
    CHECK_OK(ntk_kla_eig_sym(N, A, ev, V));
    CHECK_ARRAY(ev, lam_true, N, 1e-13, 1e-14, "eigenvalues of Q diag(lam) Q^T");
    for (int k = 0; k < N; k++) { /* A v = lam v, |v| = 1 */
        double r = 0.0, nv = 0.0;
        for (int i = 0; i < N; i++) {
            double s = 0.0;
            for (int j = 0; j < N; j++) s += A[i * N + j] * V[k * N + j];
            r += (s - ev[k] * V[k * N + i]) * (s - ev[k] * V[k * N + i]);
            nv += V[k * N + i] * V[k * N + i];
        }
        CHECK_CLOSE(sqrt(r), 0.0, 0, 1e-13);
        CHECK_CLOSE(nv, 1.0, 1e-14, 0);
    }
    double bad[4] = {1, NAN, NAN, 1};
    CU_ASSERT(ntk_kla_eig_sym(2, bad, ev, V) == GSL_EINVAL);
}

/* The residual test |A v - lam v| <= tol lam_1 bounds the eigenvalue error by
 * tol lam_1 and the vector error by tol lam_1 / gap (gap >= 0.5 here). */
static void test_power_vs_eig(void)
{
    double A[N * N], Q[N * N], ev[N], V[N * N], pev[3], pv[3 * N];
    size_t it[3];
    make_spd(A, Q);
    CHECK_OK(ntk_kla_eig_sym(N, A, ev, V));
    CHECK_OK(ntk_kla_power_top(N, A, 3, 1e-12, 100000, 9, pev, pv, it));
    printf("\n    power iterations: %zu, %zu, %zu", it[0], it[1], it[2]);
    CHECK_ARRAY(pev, ev, 3, 1e-11, 0, "power iteration eigenvalues vs eigensolve");
    CHECK_ARRAY(pv, V, 3 * N, 0, 5e-11, "power iteration eigenvectors vs eigensolve");
    CU_ASSERT(ntk_kla_power_top(N, A, 3, 1e-14, 3, 9, pev, pv, it) == GSL_EMAXITER);
    CU_ASSERT(ntk_kla_power_top(N, A, 0, 1e-12, 10, 9, pev, pv, it) == GSL_EINVAL);
}

/* Training set: 4 points of the unit circle, targets; test points: the same 4 and 3
 * others. Kernels: the limiting relu Theta(3), Sigma(3). */
enum { NT = 4, MT = 7 };
static const double g_train[NT] = {-2.2, -0.4, 0.9, 2.0}, g_test[MT] = {-2.2, -0.4, 0.9, 2.0, 0.0, 1.5, 3.0};
static const double y_train[NT] = {0.3, -0.2, 0.25, -0.1};

static void kernels(double *TXX, double *SXX, double *TxX, double *SxX, double *sxx)
{
    double Xt[NT * 2], Xs[MT * 2], st;
    ntk_data_circle_at(NT, g_train, Xt);
    ntk_data_circle_at(MT, g_test, Xs);
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    ntk_limit_ws *w = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(relu, 3, 0.1, Xt, NT, 2, w, SXX, TXX));
    CHECK_OK(ntk_limit_cross(relu, 3, 0.1, Xs, MT, Xt, NT, 2, w, SxX, TxX));
    for (int i = 0; i < MT; i++) CHECK_OK(ntk_limit_pair(relu, 3, 0.1, Xs + 2 * i, Xs + 2 * i, 2, w, sxx + i, &st));
    ntk_limit_free(w);
}

static void test_gp_limit(void)
{
    double TXX[NT * NT], SXX[NT * NT], TxX[MT * NT], SxX[MT * NT], sxx[MT], mean[MT], var[MT];
    kernels(TXX, SXX, TxX, SxX, sxx);
    CHECK_OK(ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, INFINITY, mean, var));
    /* on the training points: mean = targets, variance 0 (to rounding of Theta^-1) */
    CHECK_ARRAY(mean, y_train, NT, 1e-10, 1e-12, "limiting mean on the training points");
    double zero[NT] = {0};
    CHECK_ARRAY(var, zero, NT, 0, 1e-10, "limiting variance on the training points");
    for (int i = NT; i < MT; i++) CU_ASSERT(var[i] > 1e-6 && var[i] < sxx[i]);
    /* finite t: A_t -> Theta^-1 as t -> infinity, A_t ~ (t/N) I as t -> 0 */
    double m2[MT], v2[MT];
    CHECK_OK(ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, 1e9, m2, v2));
    CHECK_ARRAY(m2, mean, MT, 1e-9, 1e-12, "mean at t = 1e9 vs t = infinity");
    const double t = 1e-6;
    CHECK_OK(ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, t, m2, v2));
    double pred[MT];
    for (int i = 0; i < MT; i++) {
        pred[i] = 0.0;
        for (int j = 0; j < NT; j++) pred[i] += t / NT * TxX[i * NT + j] * y_train[j];
    }
    CHECK_ARRAY(m2, pred, MT, 1e-5, 1e-15, "mean at t = 1e-6 vs (t/N) Theta_x y");
    CHECK_ARRAY(v2, sxx, MT, 1e-5, 0, "variance at t = 1e-6 vs Sigma(x,x)");
    /* on the data the finite-t mean is kernel gradient descent from f0 = 0 */
    ntk_kla_kgd *k = ntk_kla_kgd_alloc(NT, TXX);
    double zero0[NT] = {0}, ft[NT];
    CHECK_OK(ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, 3.7, m2, v2));
    CHECK_OK(ntk_kla_kgd_solve(k, zero0, y_train, 3.7, ft));
    CHECK_ARRAY(m2, ft, NT, 1e-12, 1e-14, "finite-t mean on data vs kernel gradient descent");
    ntk_kla_kgd_free(k);
}

static void test_gp_not_pd(void)
{
    double TXX[NT * NT], SXX[NT * NT], TxX[MT * NT], SxX[MT * NT], sxx[MT], mean[MT], var[MT];
    kernels(TXX, SXX, TxX, SxX, sxx);
    /* two equal training inputs: rows 0 and 1 equal */
    for (int j = 0; j < NT; j++) { TXX[1 * NT + j] = TXX[0 * NT + j]; TXX[j * NT + 1] = TXX[j * NT + 0]; }
    TXX[1 * NT + 1] = TXX[0];
    for (int i = 0; i < MT; i++) mean[i] = var[i] = 12345.0;
    int st = ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, INFINITY, mean, var);
    CU_ASSERT(st == GSL_EDOM);
    CU_ASSERT(strstr(ntk_last_error(), "not positive definite") != NULL);
    for (int i = 0; i < MT; i++) CU_ASSERT(mean[i] == 12345.0 && var[i] == 12345.0);
    double nanT[NT * NT];
    memcpy(nanT, TXX, sizeof nanT);
    nanT[5] = NAN;
    CU_ASSERT(ntk_kla_gp_limit(NT, nanT, SXX, y_train, MT, TxX, SxX, sxx, INFINITY, mean, var) != 0);
    CU_ASSERT(ntk_kla_gp_limit(NT, TXX, SXX, y_train, MT, TxX, SxX, sxx, -1.0, mean, var) == GSL_EINVAL);
}

/* f_t = f* + exp(-t K/N)(f0 - f*): f_0 = f0, and df/dt = -(K/N)(f_t - f*) checked by a
 * central difference in t (error h^2 |f'''| ~ 1e-10). */
static void test_kgd(void)
{
    double A[N * N], Q[N * N], f0[N], fs[N], ft[N], fp[N], fm[N];
    make_spd(A, Q);
    for (int i = 0; i < N; i++) { f0[i] = cos(0.7 * i); fs[i] = sin(0.3 * i + 1.0); }
    ntk_kla_kgd *k = ntk_kla_kgd_alloc(N, A);
    CU_ASSERT_FATAL(k != NULL);
    CHECK_OK(ntk_kla_kgd_solve(k, f0, fs, 0.0, ft));
    CHECK_ARRAY(ft, f0, N, 1e-13, 1e-14, "f_t at t = 0");
    const double t = 2.5, h = 1e-5;
    CHECK_OK(ntk_kla_kgd_solve(k, f0, fs, t, ft));
    CHECK_OK(ntk_kla_kgd_solve(k, f0, fs, t + h, fp));
    CHECK_OK(ntk_kla_kgd_solve(k, f0, fs, t - h, fm));
    double d[N], rhs[N];
    for (int i = 0; i < N; i++) {
        d[i] = (fp[i] - fm[i]) / (2 * h);
        rhs[i] = 0.0;
        for (int j = 0; j < N; j++) rhs[i] -= A[i * N + j] / N * (ft[j] - fs[j]);
    }
    CHECK_ARRAY(d, rhs, N, 1e-6, 1e-9, "d f_t / dt vs -(K/N)(f_t - f*)");
    CHECK_OK(ntk_kla_kgd_solve(k, f0, fs, 1e6, ft));
    CHECK_ARRAY(ft, fs, N, 1e-10, 1e-12, "f_t at t = 1e6 reaches f*");
    CU_ASSERT(ntk_kla_kgd_solve(k, f0, fs, -1.0, ft) == GSL_EINVAL);
    ntk_kla_kgd_free(k);
    ntk_kla_kgd_free(NULL);
}

/* The split of an error along a unit-RMS direction (ntk_kla_split): made from known
 * parts, r = c u + w with w orthogonal to u by construction (Gram-Schmidt), g = |c|
 * and h = RMS(w) come back; the parts' sum is f - y. */
static void test_split(void)
{
    double u[N], w[N], f[N], y[N], norm = 0.0, uw = 0.0, w2 = 0.0;
    for (int i = 0; i < N; i++) u[i] = cos(0.7 + 1.3 * i), w[i] = sin(2.1 * i * i + 0.4), y[i] = 0.3 * i - 1.1;
    for (int i = 0; i < N; i++) norm += u[i] * u[i] / N;
    for (int i = 0; i < N; i++) u[i] /= sqrt(norm); /* RMS 1 */
    for (int i = 0; i < N; i++) uw += u[i] * w[i] / N;
    for (int i = 0; i < N; i++) w[i] -= uw * u[i], w2 += w[i] * w[i] / N;
    const double c = -0.385;
    for (int i = 0; i < N; i++) f[i] = y[i] + c * u[i] + w[i];
    double g, h;
    ntk_kla_split(N, f, y, u, &g, &h);
    CHECK_CLOSE(g, fabs(c), 1e-13, 1e-15);
    CHECK_CLOSE(h, sqrt(w2), 1e-13, 0.0);
    /* along u only, orthogonal only */
    for (int i = 0; i < N; i++) f[i] = y[i] + 2.5 * u[i];
    ntk_kla_split(N, f, y, u, &g, &h);
    CHECK_CLOSE(g, 2.5, 1e-14, 0.0);
    CHECK_CLOSE(h, 0.0, 0.0, 1e-14);
    for (int i = 0; i < N; i++) f[i] = y[i] + w[i];
    ntk_kla_split(N, f, y, u, &g, &h);
    CHECK_CLOSE(g, 0.0, 0.0, 1e-15);
    CHECK_CLOSE(h, sqrt(w2), 1e-14, 0.0);
}

void ntk_test_kla(void)
{
    CU_pSuite s = CU_add_suite("kla", NULL, NULL);
    CU_add_test(s, "full symmetric eigensolve", test_eig_sym);
    CU_add_test(s, "power iteration with deflation vs eigensolve", test_power_vs_eig);
    CU_add_test(s, "limiting Gaussian: interpolation, variance, finite t", test_gp_limit);
    CU_add_test(s, "limiting Gaussian: clear error when Theta(X,X) is singular", test_gp_not_pd);
    CU_add_test(s, "kernel gradient descent on the data", test_kgd);
    CU_add_test(s, "split of an error along a direction and orthogonal to it", test_split);
}
