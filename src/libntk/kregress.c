/* kregress.c - kernel regression along the training time; see kregress.h. */
#include "kregress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "kla.h"
#include "limit.h"

static int check_finite(size_t n, const double *a, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i])) NTK_FAIL(GSL_EINVAL, "%s has a non-finite entry (index %zu: %g)", what, i, a[i]);
    return 0;
}

void ntk_kreg_free(ntk_kreg *r)
{
    if (!r) return;
    free(r->lam), free(r->V), free(r->B);
    free(r->S), free(r->G), free(r->W), free(r->g), free(r->sxx);
    free(r->scratch);
    free(r);
}

ntk_kreg *ntk_kreg_alloc(size_t N, const double *K, size_t M, const double *Kx)
{
    if (N < 1 || !K || (M > 0 && !Kx)) {
        ntk_error(GSL_EINVAL, "ntk_kreg_alloc: need N >= 1, K (N x N) and K(x,X) (M x N)");
        return NULL;
    }
    if (check_finite(N * N, K, "ntk_kreg_alloc: K(X,X)") || (M && check_finite(M * N, Kx, "ntk_kreg_alloc: K(x,X)")))
        return NULL;
    ntk_kreg *r = calloc(1, sizeof *r);
    if (!r) goto oom;
    r->N = N, r->M = M;
    r->lam = malloc(N * sizeof *r->lam);
    r->V = malloc(N * N * sizeof *r->V);
    r->B = malloc((M ? M : 1) * N * sizeof *r->B);
    if (!r->lam || !r->V || !r->B) goto oom;
    if (ntk_kla_eig_sym(N, K, r->lam, r->V)) { ntk_kreg_free(r); return NULL; }
    /* eigenvalues of a PSD matrix computed in double are exact to about N eps lam_1 */
    r->floor = 100.0 * (double)N * 2.2e-16 * fabs(r->lam[0]);
    if (r->lam[0] <= 0.0 || r->lam[N - 1] < -r->floor) {
        ntk_error(GSL_EDOM, "ntk_kreg_alloc: K(X,X) is not positive semi-definite: eigenvalues range from %.6g "
                  "to %.6g", r->lam[N - 1], r->lam[0]);
        ntk_kreg_free(r);
        return NULL;
    }
    if (M) /* B = K_x V^T: (M x N)(N x N) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)N, 1.0, Kx, (int)N, r->V,
                    (int)N, 0.0, r->B, (int)N);
    return r;
oom:
    ntk_kreg_free(r);
    ntk_error(GSL_ENOMEM, "ntk_kreg_alloc: out of memory (N = %zu, M = %zu)", N, M);
    return NULL;
}

/* c_k = (1 - exp(-t lam_k/N)) / lam_k, the spectrum of A_t (t/N for a zero eigenvalue);
 * with fit, lam_k c_k = 1 - exp(-t lam_k/N) instead (the spectrum of K A_t). */
static int spectrum(const ntk_kreg *r, double t, int fit, double *c, const char *who)
{
    if (isinf(t) && t > 0.0 && r->lam[r->N - 1] <= r->floor)
        NTK_FAIL(GSL_EDOM, "%s: K(X,X) is not positive definite (eigenvalues from %.6g to %.6g, need > %.3g); "
                 "are two training inputs equal?", who, r->lam[r->N - 1], r->lam[0], r->floor);
    if (!(t >= 0.0)) NTK_FAIL(GSL_EINVAL, "%s: time must be >= 0 (or INFINITY), got %g", who, t);
    const double N = (double)r->N;
    for (size_t k = 0; k < r->N; k++) {
        double l = r->lam[k];
        if (fit) c[k] = isinf(t) ? 1.0 : l > r->floor ? -expm1(-t * l / N) : 0.0;
        else c[k] = isinf(t) ? 1.0 / l : l > r->floor ? -expm1(-t * l / N) / l : t / N;
    }
    return 0;
}

static double *scratch(ntk_kreg *r, size_t len)
{
    if (len > r->scratch_len) {
        double *p = realloc(r->scratch, len * sizeof *p);
        if (!p) return NULL;
        r->scratch = p, r->scratch_len = len;
    }
    return r->scratch;
}

/* F (rows x C) = Lhs diag(c) V Y with Lhs = B (test points) or V^T (training points). */
static int apply(ntk_kreg *r, double t, int fit, size_t C, const double *Y, double *F, const char *who)
{
    if (!r || C < 1 || !Y || !F) NTK_FAIL(GSL_EINVAL, "%s: bad arguments", who);
    if (!fit && r->M == 0) NTK_FAIL(GSL_EINVAL, "%s: the workspace has no test points", who);
    const size_t N = r->N;
    double *c = malloc(N * sizeof *c), *Z = scratch(r, N * C);
    if (!c || !Z) { free(c); NTK_FAIL(GSL_ENOMEM, "%s: out of memory", who); }
    int st = check_finite(N * C, Y, who);
    if (!st) st = spectrum(r, t, fit, c, who);
    if (st) { free(c); return st; }
    /* Z = diag(c) V Y (N x C) */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)C, (int)N, 1.0, r->V, (int)N, Y, (int)C,
                0.0, Z, (int)C);
    for (size_t k = 0; k < N; k++)
        for (size_t j = 0; j < C; j++) Z[k * C + j] *= c[k];
    if (fit) /* F = V^T Z */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)N, (int)C, (int)N, 1.0, r->V, (int)N, Z, (int)C,
                    0.0, F, (int)C);
    else /* F = B Z */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)r->M, (int)C, (int)N, 1.0, r->B, (int)N, Z,
                    (int)C, 0.0, F, (int)C);
    free(c);
    return 0;
}

int ntk_kreg_predict(ntk_kreg *r, double t, size_t C, const double *Y, double *F)
{
    return apply(r, t, 0, C, Y, F, "ntk_kreg_predict");
}

int ntk_kreg_fit(ntk_kreg *r, double t, size_t C, const double *Y, double *F)
{
    return apply(r, t, 1, C, Y, F, "ntk_kreg_fit");
}

int ntk_kreg_predict_from(ntk_kreg *r, double t, size_t C, const double *Y, const double *F0X, const double *F0x,
                          double *F)
{
    if (!r || C < 1 || !Y || !F0X || !F0x || !F) NTK_FAIL(GSL_EINVAL, "ntk_kreg_predict_from: bad arguments");
    const size_t n = r->N * C;
    double *D = malloc(n * sizeof *D);
    if (!D) NTK_FAIL(GSL_ENOMEM, "ntk_kreg_predict_from: out of memory");
    for (size_t i = 0; i < n; i++) D[i] = Y[i] - F0X[i];
    int st = apply(r, t, 0, C, D, F, "ntk_kreg_predict_from");
    free(D);
    if (st) return st;
    for (size_t i = 0; i < r->M * C; i++) F[i] += F0x[i];
    return 0;
}

int ntk_kreg_prior(ntk_kreg *r, const double *Sigma, const double *Sigma_x, const double *sigma_xx)
{
    if (!r || !Sigma || (r->M && (!Sigma_x || !sigma_xx))) NTK_FAIL(GSL_EINVAL, "ntk_kreg_prior: bad arguments");
    const size_t N = r->N, M = r->M;
    int st = check_finite(N * N, Sigma, "ntk_kreg_prior: Sigma(X,X)");
    if (!st && M) st = check_finite(M * N, Sigma_x, "ntk_kreg_prior: Sigma(x,X)");
    if (!st && M) st = check_finite(M, sigma_xx, "ntk_kreg_prior: Sigma(x,x)");
    if (st) return st;
    free(r->S), free(r->G), free(r->W), free(r->g), free(r->sxx);
    r->S = malloc(N * N * sizeof *r->S);
    r->G = malloc((M ? M : 1) * N * sizeof *r->G);
    r->W = malloc(N * N * sizeof *r->W);
    r->g = calloc(N, sizeof *r->g);
    r->sxx = malloc((M ? M : 1) * sizeof *r->sxx);
    double *T = scratch(r, N * N);
    if (!r->S || !r->G || !r->W || !r->g || !r->sxx || !T) {
        free(r->S), free(r->G), free(r->W), free(r->g), free(r->sxx);
        r->S = r->G = r->W = r->g = r->sxx = NULL;
        NTK_FAIL(GSL_ENOMEM, "ntk_kreg_prior: out of memory (N = %zu, M = %zu)", N, M);
    }
    /* S = V Sigma V^T: T = V Sigma, S = T V^T */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)N, (int)N, 1.0, r->V, (int)N, Sigma, (int)N,
                0.0, T, (int)N);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)N, (int)N, 1.0, T, (int)N, r->V, (int)N, 0.0,
                r->S, (int)N);
    r->sbar = 0.0;
    memset(r->W, 0, N * N * sizeof *r->W);
    if (M) {
        memcpy(r->sxx, sigma_xx, M * sizeof *sigma_xx);
        for (size_t i = 0; i < M; i++) r->sbar += sigma_xx[i] / (double)M;
        /* G = Sigma_x V^T (M x N); g_k = (1/M) sum_i B_ik G_ik */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)N, 1.0, Sigma_x, (int)N, r->V,
                    (int)N, 0.0, r->G, (int)N);
        for (size_t i = 0; i < M; i++)
            for (size_t k = 0; k < N; k++) r->g[k] += r->B[i * N + k] * r->G[i * N + k] / (double)M;
        /* W = S .* (B^T B) / M: the third term of the variance, averaged over the test points,
         * is (1/M) sum_i (B c)_i S (B c)_i^T = c^T W c */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)N, (int)M, 1.0 / (double)M, r->B, (int)N, 0.0,
                    r->W, (int)N);
        for (size_t k = 0; k < N; k++)
            for (size_t l = k; l < N; l++) {
                double w = r->W[k * N + l];
                r->W[k * N + l] = w * r->S[k * N + l];
                r->W[l * N + k] = w * r->S[l * N + k];
            }
    }
    return 0;
}

int ntk_kreg_var(ntk_kreg *r, double t, double *var)
{
    if (!r || !var) NTK_FAIL(GSL_EINVAL, "ntk_kreg_var: bad arguments");
    if (!r->S) NTK_FAIL(GSL_EINVAL, "ntk_kreg_var: no prior (call ntk_kreg_prior first)");
    const size_t N = r->N, M = r->M;
    if (M == 0) return 0;
    double *c = malloc(N * sizeof *c), *E = malloc(M * N * sizeof *E), *F = scratch(r, M * N);
    int st = (!c || !E || !F) ? ntk_error(GSL_ENOMEM, "ntk_kreg_var: out of memory (M = %zu, N = %zu)", M, N) : 0;
    if (!st) st = spectrum(r, t, 0, c, "ntk_kreg_var");
    if (!st) {
        /* E = B diag(c) = Theta_x A_t V^T; F = E S; v_i = sxx_i - 2 E_i.G_i + E_i.F_i */
        for (size_t i = 0; i < M; i++)
            for (size_t k = 0; k < N; k++) E[i * N + k] = r->B[i * N + k] * c[k];
        cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, (int)M, (int)N, 1.0, r->S, (int)N, E, (int)N, 0.0, F,
                    (int)N);
        for (size_t i = 0; i < M; i++) {
            double v = r->sxx[i] - 2.0 * cblas_ddot((int)N, E + i * N, 1, r->G + i * N, 1) +
                       cblas_ddot((int)N, E + i * N, 1, F + i * N, 1);
            var[i] = v > 0.0 ? v : 0.0;
        }
    }
    free(c), free(E);
    return st;
}

int ntk_kreg_var_mean(const ntk_kreg *r, double t, double *vbar)
{
    if (!r || !vbar) NTK_FAIL(GSL_EINVAL, "ntk_kreg_var_mean: bad arguments");
    if (!r->S) NTK_FAIL(GSL_EINVAL, "ntk_kreg_var_mean: no prior (call ntk_kreg_prior first)");
    const size_t N = r->N;
    if (r->M == 0) NTK_FAIL(GSL_EINVAL, "ntk_kreg_var_mean: the workspace has no test points");
    double *c = malloc(N * sizeof *c), *Wc = malloc(N * sizeof *Wc);
    int st = (!c || !Wc) ? ntk_error(GSL_ENOMEM, "ntk_kreg_var_mean: out of memory") : 0;
    if (!st) st = spectrum(r, t, 0, c, "ntk_kreg_var_mean");
    if (!st) {
        cblas_dsymv(CblasRowMajor, CblasUpper, (int)N, 1.0, r->W, (int)N, c, 1, 0.0, Wc, 1);
        double v = r->sbar - 2.0 * cblas_ddot((int)N, c, 1, r->g, 1) + cblas_ddot((int)N, c, 1, Wc, 1);
        *vbar = v > 0.0 ? v : 0.0;
    }
    free(c), free(Wc);
    return st;
}

int ntk_kreg_onehot(size_t N, size_t C, const int *labels, double *Y)
{
    if (C < 2 || !labels || !Y) NTK_FAIL(GSL_EINVAL, "ntk_kreg_onehot: need C >= 2, labels and a buffer");
    for (size_t i = 0; i < N; i++)
        if (labels[i] < 0 || (size_t)labels[i] >= C)
            NTK_FAIL(GSL_EINVAL, "ntk_kreg_onehot: label %d of point %zu is outside 0..%zu", labels[i], i, C - 1);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < C; j++) Y[i * C + j] = ((size_t)labels[i] == j ? 1.0 : 0.0) - 1.0 / (double)C;
    return 0;
}

int ntk_kreg_score(size_t M, size_t C, const double *F, const double *Y, const int *labels, double *mse,
                   double *acc)
{
    if (M < 1 || C < 1 || !F || (mse && !Y) || (acc && !labels)) NTK_FAIL(GSL_EINVAL, "ntk_kreg_score: bad arguments");
    double s = 0.0;
    size_t right = 0;
    for (size_t i = 0; i < M; i++) {
        size_t best = 0;
        for (size_t j = 0; j < C; j++) {
            double f = F[i * C + j];
            if (!isfinite(f)) NTK_FAIL(GSL_EDOM, "ntk_kreg_score: prediction %zu, output %zu is %g", i, j, f);
            if (f > F[i * C + best]) best = j;
            if (mse) s += (f - Y[i * C + j]) * (f - Y[i * C + j]);
        }
        if (acc && (int)best == labels[i]) right++;
    }
    if (mse) *mse = s / ((double)M * (double)C);
    if (acc) *acc = (double)right / (double)M;
    return 0;
}

ntk_kreg *ntk_kreg_limit_alloc(const ntk_nonlin *sigma, size_t L, double beta, size_t n0, size_t N,
                               const double *X, size_t M, const double *Xt, ntk_kreg **nngp)
{
    if (!sigma || !X || (M && !Xt) || N < 1 || n0 < 1) {
        ntk_error(GSL_EINVAL, "ntk_kreg_limit_alloc: bad arguments");
        return NULL;
    }
    if (nngp) *nngp = NULL;
    double *T = malloc(N * N * sizeof *T), *S = malloc(N * N * sizeof *S);
    double *Tx = malloc((M ? M : 1) * N * sizeof *Tx), *Sx = malloc((M ? M : 1) * N * sizeof *Sx);
    double *sxx = malloc((M ? M : 1) * sizeof *sxx), th;
    ntk_limit_ws *ws = ntk_limit_alloc();
    ntk_kreg *k = NULL;
    int st = (!T || !S || !Tx || !Sx || !sxx || !ws) ? ntk_error(GSL_ENOMEM, "ntk_kreg_limit_alloc: out of memory") : 0;
    if (!st) st = ntk_limit_gram(sigma, L, beta, X, N, n0, ws, S, T);
    if (!st && M) st = ntk_limit_cross(sigma, L, beta, Xt, M, X, N, n0, ws, Sx, Tx);
    for (size_t i = 0; i < M && !st; i++) st = ntk_limit_pair(sigma, L, beta, Xt + i * n0, Xt + i * n0, n0, ws, sxx + i, &th);
    if (!st) st = (k = ntk_kreg_alloc(N, T, M, Tx)) ? ntk_kreg_prior(k, S, Sx, sxx) : 1;
    if (!st && nngp) st = (*nngp = ntk_kreg_alloc(N, S, M, Sx)) ? 0 : 1;
    if (st) {
        ntk_kreg_free(k), k = NULL;
    }
    ntk_limit_free(ws);
    free(T), free(S), free(Tx), free(Sx), free(sxx);
    return k;
}

int ntk_kreg_test_error(ntk_kreg *r, double t, size_t C, const double *Y, const double *Yt, const int *labels,
                        double *F, double *mse, double *acc, double *var)
{
    int st = ntk_kreg_predict(r, t, C, Y, F);
    if (!st) st = ntk_kreg_score(r->M, C, F, Yt, labels, mse, acc);
    if (!st && var) st = ntk_kreg_var_mean(r, t, var);
    return st;
}
