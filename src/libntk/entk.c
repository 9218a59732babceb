/* entk.c - the exact empirical NTK by the layer-wise identity; see entk.h. */
#include "entk.h"

#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"

/* The factor F of layer l, N x n_l row-major: the activations a(l) or the signals
 * d(l), in the batch's precision. */
typedef struct {
    const ntk_batch *b;
    int signals; /* d(l) instead of a(l) */
    size_t l, N, m; /* layer, rows, columns (n_l) */
} factor;

static const double *factor_double(factor f) { return f.signals ? f.b->d[f.l] : f.b->a[f.l]; }
static const float *factor_float(factor f) { return f.signals ? f.b->d_float[f.l] : f.b->a_float[f.l]; }

/* C (F1.N x F2.N, row-major) = alpha F1 F2^T; sym (F1 and F2 the same factor): the
 * upper triangle only. In double precision one DSYRK or DGEMM. In single precision
 * the sum over the m columns runs in float by panels of at most NTK_ENTK_PANEL terms
 * (SSYRK or SGEMM into the float N1 x N2 scratch `panel`), and the panels are added,
 * times alpha, in double: see entk.h for why and what it costs in accuracy. */
static void product(factor f1, factor f2, int sym, double alpha, double *C, float *panel)
{
    const size_t N1 = f1.N, N2 = f2.N, m = f1.m;
    if (f1.b->precision == NTK_DOUBLE) {
        if (sym)
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)N1, (int)m, alpha, factor_double(f1),
                        (int)m, 0.0, C, (int)N2);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)m, alpha,
                        factor_double(f1), (int)m, factor_double(f2), (int)m, 0.0, C, (int)N2);
        return;
    }
    const float *F1 = factor_float(f1), *F2 = factor_float(f2);
    for (size_t i = 0; i < N1; i++)
        for (size_t j = sym ? i : 0; j < N2; j++) C[i * N2 + j] = 0.0;
    for (size_t k0 = 0; k0 < m; k0 += NTK_ENTK_PANEL) {
        const size_t k = m - k0 < NTK_ENTK_PANEL ? m - k0 : NTK_ENTK_PANEL;
        if (sym)
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)N1, (int)k, 1.0f, F1 + k0, (int)m, 0.0f,
                        panel, (int)N2);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)k, 1.0f, F1 + k0,
                        (int)m, F2 + k0, (int)m, 0.0f, panel, (int)N2);
        for (size_t i = 0; i < N1; i++)
            for (size_t j = sym ? i : 0; j < N2; j++) C[i * N2 + j] += alpha * (double)panel[i * N2 + j];
    }
}

/* The float panel scratch (N1 x N2) of a single-precision network, or NULL when the
 * network is double and needs none; *fail is set when the allocation failed. */
static float *panel_scratch(const ntk_net *net, size_t N1, size_t N2, int *fail)
{
    *fail = 0;
    if (net->precision == NTK_DOUBLE) return NULL;
    float *s = malloc(N1 * N2 * sizeof *s);
    *fail = !s;
    return s;
}

/* Forward and backward pass: afterwards b->a[l] and b->d[l+1] hold the factors. */
static int features(const ntk_net *net, ntk_batch *b, const double *X, size_t N)
{
    if (!net) NTK_FAIL(GSL_EINVAL, "empirical NTK: no network");
    if (net->n[net->L] != 1)
        NTK_FAIL(GSL_EINVAL, "empirical NTK: needs a scalar output, network has %zu", net->n[net->L]);
    int st = ntk_net_forward(net, b, X, N);
    return st ? st : ntk_net_backward(net, b);
}

/* K (N1 x N2) = sum_l (H + beta^2) G with G = D1(l+1) D2(l+1)^T and
 * H = A1(l) A2(l)^T / n_l, from the factors in b1 and b2 (b1 == b2: the upper
 * triangle of the Gram). G, H: N1 x N2 scratch. */
static void layer_sum(const ntk_net *net, const ntk_batch *b1, size_t N1, const ntk_batch *b2, size_t N2,
                      double *G, double *H, float *panel, double *K)
{
    const int sym = b1 == b2;
    const double beta2 = net->beta * net->beta;
    memset(K, 0, N1 * N2 * sizeof *K);
    for (size_t l = 0; l < net->L; l++) {
        const size_t nl = net->n[l], nu = net->n[l + 1];
        product((factor){b1, 1, l + 1, N1, nu}, (factor){b2, 1, l + 1, N2, nu}, sym, 1.0, G, panel);
        product((factor){b1, 0, l, N1, nl}, (factor){b2, 0, l, N2, nl}, sym, 1.0 / (double)nl, H, panel);
        for (size_t i = 0; i < N1; i++)
            for (size_t j = sym ? i : 0; j < N2; j++) K[i * N2 + j] += (H[i * N2 + j] + beta2) * G[i * N2 + j];
    }
}

int ntk_entk_gram(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *K)
{
    if (!K) NTK_FAIL(GSL_EINVAL, "ntk_entk_gram: no output matrix");
    int st = features(net, b, X, N);
    if (st) return st;
    int fail;
    double *G = malloc(2 * N * N * sizeof *G); /* two N x N Grams: signals, activations */
    float *panel = panel_scratch(net, N, N, &fail);
    if (!G || fail) {
        free(G), free(panel);
        NTK_FAIL(GSL_ENOMEM, "ntk_entk_gram: out of memory for 2 x %zu x %zu", N, N);
    }
    layer_sum(net, b, N, b, N, G, G + N * N, panel, K);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) K[i * N + j] = K[j * N + i];
    free(G);
    free(panel);
    return 0;
}

int ntk_entk_cross(const ntk_net *net, ntk_batch *b1, const double *X1, size_t N1,
                   ntk_batch *b2, const double *X2, size_t N2, double *K)
{
    if (!K) NTK_FAIL(GSL_EINVAL, "ntk_entk_cross: no output matrix");
    if (b1 == b2) NTK_FAIL(GSL_EINVAL, "ntk_entk_cross: the two input sets need two batches");
    int st = features(net, b1, X1, N1);
    if (!st) st = features(net, b2, X2, N2);
    if (st) return st;
    int fail;
    double *G = malloc(2 * N1 * N2 * sizeof *G);
    float *panel = panel_scratch(net, N1, N2, &fail);
    if (!G || fail) {
        free(G), free(panel);
        NTK_FAIL(GSL_ENOMEM, "ntk_entk_cross: out of memory for 2 x %zu x %zu", N1, N2);
    }
    layer_sum(net, b1, N1, b2, N2, G, G + N1 * N2, panel, K);
    free(G);
    free(panel);
    return 0;
}

int ntk_entk_nngp_cross(const ntk_net *net, ntk_batch *b1, const double *X1, size_t N1,
                        ntk_batch *b2, const double *X2, size_t N2, double *S)
{
    if (!net || !S) NTK_FAIL(GSL_EINVAL, "ntk_entk_nngp_cross: bad arguments");
    if (b1 == b2 && (X1 != X2 || N1 != N2))
        NTK_FAIL(GSL_EINVAL, "ntk_entk_nngp_cross: two different input sets need two batches");
    const size_t l = net->L - 1, nl = net->n[l];
    int st = ntk_net_forward(net, b1, X1, N1);
    if (!st && b2 != b1) st = ntk_net_forward(net, b2, X2, N2);
    if (st) return st;
    int fail;
    float *panel = panel_scratch(net, N1, N2, &fail);
    if (fail) NTK_FAIL(GSL_ENOMEM, "ntk_entk_nngp_cross: out of memory for %zu x %zu", N1, N2);
    /* S = A1(L-1) A2(L-1)^T / n_{L-1} + beta^2: (N1 x nl)(nl x N2), the whole matrix */
    product((factor){b1, 0, l, N1, nl}, (factor){b2, 0, l, N2, nl}, 0, 1.0 / (double)nl, S, panel);
    for (size_t k = 0; k < N1 * N2; k++) S[k] += net->beta * net->beta;
    free(panel);
    return 0;
}
