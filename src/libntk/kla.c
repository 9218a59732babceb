/* kla.c - kernel linear algebra; see kla.h. */
#include "kla.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"

void ntk_kla_eig_fix_sign(size_t n, double *v)
{
    double sum = 0.0, l1 = 0.0, big = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        l1 += fabs(v[i]);
        if (fabs(v[i]) > fabs(big)) big = v[i];
    }
    int flip = fabs(sum) >= 1e-6 * l1 ? sum < 0.0 : big < 0.0;
    if (flip)
        for (size_t i = 0; i < n; i++) v[i] = -v[i];
}

static int check_finite(size_t n, const double *a, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i])) NTK_FAIL(GSL_EINVAL, "%s has a non-finite entry (index %zu: %g)", what, i, a[i]);
    return 0;
}

int ntk_kla_eig_sym(size_t N, const double *K, double *evals, double *evecs)
{
    if (N < 1 || !K || !evals || !evecs) NTK_FAIL(GSL_EINVAL, "ntk_kla_eig_sym: bad arguments");
    if (N > 46340) NTK_FAIL(GSL_EINVAL, "ntk_kla_eig_sym: N = %zu is beyond LAPACK's int indices", N);
    int st = check_finite(N * N, K, "ntk_kla_eig_sym: the matrix");
    if (st) return st;
    /* LAPACK dsyevd (divide and conquer, blocked; see kla.h for its speed). K is symmetric, so its row-major array is its column-major array; the
     * eigenvectors come back as columns of the column-major A, that is as rows of the
     * row-major array, in increasing order of eigenvalue. */
    const int n = (int)N;
    int info = 0, lwork = -1, liwork = -1, iw;
    double ww, *A = malloc(N * N * sizeof *A), *w = malloc(N * sizeof *w), *work = NULL;
    int *iwork = NULL;
    if (!A || !w) { st = ntk_error(GSL_ENOMEM, "ntk_kla_eig_sym: out of memory (N = %zu)", N); goto done; }
    memcpy(A, K, N * N * sizeof *K);
    dsyevd_("V", "U", &n, A, &n, w, &ww, &lwork, &iw, &liwork, &info, 1, 1); /* workspace query */
    lwork = (int)ww, liwork = iw;
    work = malloc((size_t)lwork * sizeof *work);
    iwork = malloc((size_t)liwork * sizeof *iwork);
    if (!work || !iwork) { st = ntk_error(GSL_ENOMEM, "ntk_kla_eig_sym: out of memory (N = %zu)", N); goto done; }
    dsyevd_("V", "U", &n, A, &n, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    if (info != 0) { st = ntk_error(GSL_EFAILED, "ntk_kla_eig_sym: LAPACK dsyevd failed (info %d)", info); goto done; }
    for (size_t k = 0; k < N; k++) { /* decreasing order */
        evals[k] = w[N - 1 - k];
        memcpy(evecs + k * N, A + (N - 1 - k) * N, N * sizeof *A);
        ntk_kla_eig_fix_sign(N, evecs + k * N);
    }
done:
    free(A), free(w), free(work), free(iwork);
    return st;
}

int ntk_kla_power_top(size_t N, const double *K, size_t k, double tol, size_t max_iter,
                  unsigned long seed, double *evals, double *evecs, size_t *iters)
{
    if (N < 1 || !K || !evals || !evecs || k < 1 || k > N)
        NTK_FAIL(GSL_EINVAL, "ntk_kla_power_top: need N >= 1, 1 <= k <= N and buffers (k = %zu, N = %zu)", k, N);
    if (!(tol > 0.0) || max_iter < 1) NTK_FAIL(GSL_EINVAL, "ntk_kla_power_top: need tol > 0 and max_iter >= 1");
    int st = check_finite(N * N, K, "ntk_kla_power_top: the matrix");
    if (st) return st;
    double *M = malloc(N * N * sizeof *M), *w = malloc(N * sizeof *w);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!M || !w || !r) { st = ntk_error(GSL_ENOMEM, "ntk_kla_power_top: out of memory (N = %zu)", N); goto done; }
    memcpy(M, K, N * N * sizeof *K);
    gsl_rng_set(r, seed);
    double scale = 0.0; /* lambda_1: the residual tolerance is relative to it */
    for (size_t p = 0; p < k; p++) {
        double *v = evecs + p * N, lambda = 0.0;
        for (size_t i = 0; i < N; i++) v[i] = gsl_ran_gaussian(r, 1.0);
        double nv = cblas_dnrm2((int)N, v, 1);
        cblas_dscal((int)N, 1.0 / nv, v, 1);
        size_t it = 0;
        for (;;) {
            /* w = M v, lambda = v.w (Rayleigh quotient), residual |w - lambda v| */
            cblas_dsymv(CblasRowMajor, CblasUpper, (int)N, 1.0, M, (int)N, v, 1, 0.0, w, 1);
            lambda = cblas_ddot((int)N, v, 1, w, 1);
            double res2 = 0.0;
            for (size_t i = 0; i < N; i++) res2 += (w[i] - lambda * v[i]) * (w[i] - lambda * v[i]);
            double ref = p == 0 ? fabs(lambda) : scale;
            if (sqrt(res2) <= tol * ref) break;
            if (++it > max_iter) {
                st = ntk_error(GSL_EMAXITER, "ntk_kla_power_top: eigenpair %zu did not converge in %zu iterations "
                               "(residual %.3g, tolerance %.3g)", p + 1, max_iter, sqrt(res2), tol * ref);
                goto done;
            }
            double nw = cblas_dnrm2((int)N, w, 1);
            if (nw == 0.0) { lambda = 0.0; break; } /* v is in the null space */
            for (size_t i = 0; i < N; i++) v[i] = w[i] / nw;
        }
        if (p == 0) scale = fabs(lambda);
        evals[p] = lambda;
        if (iters) iters[p] = it;
        /* deflation: M <- M - lambda v v^T (upper triangle is all dsymv reads) */
        cblas_dsyr(CblasRowMajor, CblasUpper, (int)N, -lambda, v, 1, M, (int)N);
        ntk_kla_eig_fix_sign(N, v);
    }
done:
    free(M);
    free(w);
    gsl_rng_free(r);
    return st;
}

int ntk_kla_gp_limit(size_t N, const double *Theta, const double *Sigma, const double *y,
                 size_t M, const double *Theta_x, const double *Sigma_x,
                 const double *sigma_xx, double t, double *mean, double *var)
{
    if (N < 1 || !Theta || !Sigma || !y || (M > 0 && (!Theta_x || !Sigma_x || !sigma_xx || !mean || !var)))
        NTK_FAIL(GSL_EINVAL, "ntk_kla_gp_limit: bad arguments");
    if (!(t > 0.0)) NTK_FAIL(GSL_EINVAL, "ntk_kla_gp_limit: time must be > 0 (or INFINITY), got %g", t);
    int st = check_finite(N * N, Sigma, "ntk_kla_gp_limit: Sigma(X,X)");
    if (!st) st = check_finite(N, y, "ntk_kla_gp_limit: the targets");
    if (!st && M) st = check_finite(M * N, Theta_x, "ntk_kla_gp_limit: Theta(x,X)");
    if (!st && M) st = check_finite(M * N, Sigma_x, "ntk_kla_gp_limit: Sigma(x,X)");
    if (st) return st;
    double *lam = malloc(N * sizeof *lam), *V = malloc(N * N * sizeof *V);
    double *B = malloc(M * N * sizeof *B + 1), *R = malloc(M * N * sizeof *R + 1);
    double *S = malloc(M * N * sizeof *S + 1), *c = malloc(N * sizeof *c);
    if (!lam || !V || !B || !R || !S || !c) { st = ntk_error(GSL_ENOMEM, "ntk_kla_gp_limit: out of memory"); goto done; }
    st = ntk_kla_eig_sym(N, Theta, lam, V); /* Theta = V^T diag(lam) V, rows of V */
    if (st) goto done;
    /* Positive definiteness, judged against rounding: eigenvalues of a PSD matrix
     * computed in double are accurate to about N eps lambda_max. */
    const double floor = 100.0 * (double)N * 2.2e-16 * fabs(lam[0]);
    if (lam[0] <= 0.0 || (isinf(t) && lam[N - 1] <= floor) || lam[N - 1] < -floor) {
        st = ntk_error(GSL_EDOM, "Theta(X,X) is not positive definite: eigenvalues range from %.6g to %.6g "
                       "(need > %.3g); are two training inputs equal?", lam[N - 1], lam[0], floor);
        goto done;
    }
    /* c_k = (1 - exp(-t lam_k / N)) / lam_k, the spectrum of A_t (t/N in the limit lam -> 0) */
    for (size_t k = 0; k < N; k++) {
        if (isinf(t)) c[k] = 1.0 / lam[k];
        else if (lam[k] > floor) c[k] = -expm1(-t * lam[k] / (double)N) / lam[k];
        else c[k] = t / (double)N;
    }
    if (M == 0) goto done;
    /* B = Theta_x V^T (M x N); B <- B diag(c); R = B V = Theta_x A_t (M x N) */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)N, 1.0, Theta_x, (int)N,
                V, (int)N, 0.0, B, (int)N);
    for (size_t i = 0; i < M; i++)
        for (size_t k = 0; k < N; k++) B[i * N + k] *= c[k];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)N, 1.0, B, (int)N, V,
                (int)N, 0.0, R, (int)N);
    /* mean = R y; S = R Sigma; var_i = sigma_xx - 2 R_i.Sigma_x_i + S_i.R_i */
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)M, (int)N, 1.0, R, (int)N, y, 1, 0.0, mean, 1);
    cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, (int)M, (int)N, 1.0, Sigma, (int)N, R, (int)N,
                0.0, S, (int)N);
    for (size_t i = 0; i < M; i++) {
        double v = sigma_xx[i] - 2.0 * cblas_ddot((int)N, R + i * N, 1, Sigma_x + i * N, 1) +
                   cblas_ddot((int)N, S + i * N, 1, R + i * N, 1);
        var[i] = v > 0.0 ? v : 0.0;
    }
done:
    free(lam);
    free(V);
    free(B);
    free(R);
    free(S);
    free(c);
    return st;
}

ntk_kla_kgd *ntk_kla_kgd_alloc(size_t N, const double *K)
{
    if (N < 1 || !K) { ntk_error(GSL_EINVAL, "ntk_kla_kgd_alloc: need N >= 1 and a matrix"); return NULL; }
    ntk_kla_kgd *k = calloc(1, sizeof *k);
    double *Pi = malloc(N * N * sizeof *Pi);
    if (!k || !Pi) goto oom;
    k->N = N;
    k->evals = malloc(N * sizeof *k->evals);
    k->evecs = malloc(N * N * sizeof *k->evecs);
    k->tmp = malloc(N * sizeof *k->tmp);
    if (!k->evals || !k->evecs || !k->tmp) goto oom;
    for (size_t i = 0; i < N * N; i++) Pi[i] = K[i] / (double)N;
    if (ntk_kla_eig_sym(N, Pi, k->evals, k->evecs)) { free(Pi); ntk_kla_kgd_free(k); return NULL; }
    free(Pi);
    return k;
oom:
    free(Pi);
    ntk_kla_kgd_free(k);
    ntk_error(GSL_ENOMEM, "ntk_kla_kgd_alloc: out of memory (N = %zu)", N);
    return NULL;
}

void ntk_kla_kgd_free(ntk_kla_kgd *k)
{
    if (!k) return;
    free(k->evals);
    free(k->evecs);
    free(k->tmp);
    free(k);
}

int ntk_kla_kgd_solve(ntk_kla_kgd *k, const double *f0, const double *fstar, double t, double *ft)
{
    if (!k || !f0 || !fstar || !ft) NTK_FAIL(GSL_EINVAL, "ntk_kla_kgd_solve: bad arguments");
    if (!(t >= 0.0) || isinf(t)) NTK_FAIL(GSL_EINVAL, "ntk_kla_kgd_solve: time must be finite and >= 0, got %g", t);
    const size_t N = k->N;
    /* tmp = V (f0 - f*), scaled by exp(-t lambda); ft = f* + V^T tmp */
    for (size_t i = 0; i < N; i++) ft[i] = f0[i] - fstar[i];
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)N, 1.0, k->evecs, (int)N, ft, 1, 0.0, k->tmp, 1);
    for (size_t j = 0; j < N; j++) k->tmp[j] *= exp(-t * k->evals[j]);
    memcpy(ft, fstar, N * sizeof *ft);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)N, (int)N, 1.0, k->evecs, (int)N, k->tmp, 1, 1.0, ft, 1);
    return 0;
}

void ntk_kla_split(size_t N, const double *f, const double *y, const double *u, double *g, double *h)
{
    double c = 0.0, h2 = 0.0;
    for (size_t i = 0; i < N; i++) c += (f[i] - y[i]) * u[i] / (double)N;
    for (size_t i = 0; i < N; i++) h2 += pow(f[i] - y[i] - c * u[i], 2) / (double)N;
    *g = fabs(c), *h = sqrt(h2);
}
