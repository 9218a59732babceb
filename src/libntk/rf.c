/* rf.c - the random-features model and its two training iterations; see rf.h. */
#include "rf.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "kla.h"

ntk_rf *ntk_rf_alloc(size_t P, size_t M)
{
    if (P < 1 || M < 1) {
        ntk_error(GSL_EINVAL, "ntk_rf_alloc: need P >= 1 and M >= 1 (P = %zu, M = %zu)", P, M);
        return NULL;
    }
    ntk_rf *rf = calloc(1, sizeof *rf);
    if (!rf) goto nomem;
    rf->P = P;
    rf->M = M;
    rf->F = calloc(P * M, sizeof *rf->F);
    rf->root = malloc(M * M * sizeof *rf->root);
    rf->evals = malloc(M * sizeof *rf->evals);
    rf->z = malloc(NTK_RF_CHUNK * M * sizeof *rf->z);
    rf->r = malloc(M * sizeof *rf->r);
    if (!rf->F || !rf->root || !rf->evals || !rf->z || !rf->r) goto nomem;
    return rf;
nomem:
    ntk_rf_free(rf);
    ntk_error(GSL_ENOMEM, "ntk_rf_alloc: out of memory (P = %zu, M = %zu)", P, M);
    return NULL;
}

void ntk_rf_free(ntk_rf *rf)
{
    if (!rf) return;
    free(rf->F);
    free(rf->root);
    free(rf->evals);
    free(rf->z);
    free(rf->r);
    free(rf);
}

int ntk_rf_sample(ntk_rf *rf, const double *K, unsigned long seed)
{
    if (!rf || !K) NTK_FAIL(GSL_EINVAL, "ntk_rf_sample: NULL argument");
    const size_t M = rf->M, P = rf->P;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j <= i; j++) {
            double a = K[i * M + j], b = K[j * M + i];
            if (!isfinite(a) || !isfinite(b))
                NTK_FAIL(GSL_EINVAL, "ntk_rf_sample: K[%zu][%zu] is not finite", i, j);
            if (fabs(a - b) > 1e-12 * (fabs(a) + fabs(b)))
                NTK_FAIL(GSL_EINVAL, "ntk_rf_sample: K is not symmetric (K[%zu][%zu] = %.17g, K[%zu][%zu] = %.17g)",
                         i, j, a, j, i, b);
        }
    /* K = V^T diag(lambda) V (rows of V in root) */
    int st = ntk_kla_eig_sym(M, K, rf->evals, rf->root);
    if (st) return st;
    const double lmax = fabs(rf->evals[0]), floor = 100.0 * (double)M * 2.2e-16 * lmax;
    if (rf->evals[M - 1] < -floor)
        NTK_FAIL(GSL_EDOM, "ntk_rf_sample: K is not positive semi-definite: eigenvalues from %.6g to %.6g",
                 rf->evals[M - 1], rf->evals[0]);
    /* the symmetric square root V^T W, W = diag(sqrt lambda) V, into root */
    double *W = malloc(2 * M * M * sizeof *W);
    if (!W) NTK_FAIL(GSL_ENOMEM, "ntk_rf_sample: out of memory for 2 x %zu x %zu", M, M);
    double *S = W + M * M;
    for (size_t k = 0; k < M; k++) {
        double s = rf->evals[k] > 0.0 ? sqrt(rf->evals[k]) : 0.0;
        for (size_t m = 0; m < M; m++) W[k * M + m] = s * rf->root[k * M + m];
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)M, (int)M, (int)M, 1.0, rf->root, (int)M, W, (int)M,
                0.0, S, (int)M);
    memcpy(rf->root, S, M * M * sizeof *S);
    free(W);
    /* F = Z root, NTK_RF_CHUNK rows of Z at a time; row p of F has covariance root^2 = K */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) NTK_FAIL(GSL_ENOMEM, "ntk_rf_sample: out of memory");
    gsl_rng_set(r, seed);
    for (size_t p0 = 0; p0 < P; p0 += NTK_RF_CHUNK) {
        size_t rows = P - p0 < NTK_RF_CHUNK ? P - p0 : NTK_RF_CHUNK;
        for (size_t i = 0; i < rows * M; i++) rf->z[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)M, (int)M, 1.0, rf->z, (int)M,
                    rf->root, (int)M, 0.0, rf->F + p0 * M, (int)M);
    }
    gsl_rng_free(r);
    return 0;
}

int ntk_rf_kernel(const ntk_rf *rf, double *Khat)
{
    if (!rf || !Khat) NTK_FAIL(GSL_EINVAL, "ntk_rf_kernel: NULL argument");
    const size_t M = rf->M;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)M, (int)rf->P, 1.0 / (double)rf->P, rf->F, (int)M,
                0.0, Khat, (int)M);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < i; j++) Khat[i * M + j] = Khat[j * M + i];
    return 0;
}

int ntk_rf_eval(const ntk_rf *rf, const double *theta, double *f)
{
    if (!rf || !theta || !f) NTK_FAIL(GSL_EINVAL, "ntk_rf_eval: NULL argument");
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)rf->P, (int)rf->M, 1.0 / sqrt((double)rf->P), rf->F,
                (int)rf->M, theta, 1, 0.0, f, 1);
    return 0;
}

static int check_train(const char *fn, size_t M, size_t N, const size_t *idx, const double *y)
{
    if (N < 1 || !idx || !y) NTK_FAIL(GSL_EINVAL, "%s: need N >= 1 training points (N = %zu)", fn, N);
    for (size_t i = 0; i < N; i++)
        if (idx[i] >= M) NTK_FAIL(GSL_EINVAL, "%s: training index %zu is %zu, past the %zu points", fn, i, idx[i], M);
    return 0;
}

int ntk_rf_gd_step(ntk_rf *rf, double *theta, size_t N, const size_t *idx, const double *y, double lr,
                   double *loss)
{
    if (!rf || !theta) NTK_FAIL(GSL_EINVAL, "ntk_rf_gd_step: NULL argument");
    int st = check_train("ntk_rf_gd_step", rf->M, N, idx, y);
    if (st) return st;
    if (N > rf->M) NTK_FAIL(GSL_EINVAL, "ntk_rf_gd_step: N = %zu training points, more than M = %zu", N, rf->M);
    const size_t P = rf->P, M = rf->M;
    const double s = 1.0 / sqrt((double)P);
    /* residuals r_i = f(x_i) - y_i, f(x_i) = s sum_p theta_p F[p][idx_i] */
    double C = 0.0;
    for (size_t i = 0; i < N; i++) {
        rf->r[i] = s * cblas_ddot((int)P, theta, 1, rf->F + idx[i], (int)M) - y[i];
        C += rf->r[i] * rf->r[i];
    }
    if (loss) *loss = 0.5 * C / (double)N;
    /* theta_p -= lr (1/N) sum_i r_i F[p][idx_i] s */
    const double c = lr * s / (double)N;
    for (size_t p = 0; p < P; p++) {
        const double *Fp = rf->F + p * M;
        double g = 0.0;
        for (size_t i = 0; i < N; i++) g += rf->r[i] * Fp[idx[i]];
        theta[p] -= c * g;
    }
    return 0;
}

int ntk_rf_kgd_step(size_t M, const double *K, size_t N, const size_t *idx, const double *y, double lr,
                    double *f, double *work, double *loss)
{
    if (M < 1 || !K || !f || !work) NTK_FAIL(GSL_EINVAL, "ntk_rf_kgd_step: bad arguments");
    int st = check_train("ntk_rf_kgd_step", M, N, idx, y);
    if (st) return st;
    double C = 0.0;
    for (size_t i = 0; i < N; i++) {
        work[i] = f[idx[i]] - y[i];
        C += work[i] * work[i];
    }
    if (loss) *loss = 0.5 * C / (double)N;
    const double c = lr / (double)N;
    for (size_t m = 0; m < M; m++) {
        const double *Km = K + m * M;
        double g = 0.0;
        for (size_t i = 0; i < N; i++) g += Km[idx[i]] * work[i];
        f[m] -= c * g;
    }
    return 0;
}

double ntk_rf_expected_sqdist(size_t M, const double *K)
{
    double tr = 0.0, fro2 = 0.0;
    for (size_t i = 0; i < M; i++) {
        tr += K[i * M + i];
        for (size_t j = 0; j < M; j++) fro2 += K[i * M + j] * K[i * M + j];
    }
    return tr * tr + fro2;
}
