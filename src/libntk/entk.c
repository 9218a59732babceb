/* entk.c - the exact empirical NTK by the layer-wise identity; see entk.h. */
#include "entk.h"

#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"

/* The factors of layer l as doubles: the activations A(l) or the signals D(l) (m =
 * N n_l values): the batch's own array in double precision; in single precision its
 * float array widened (exactly) into scratch, so that every Gram product below sums
 * in double whatever the network's precision. */
static const double *acts(const ntk_batch *b, size_t l, size_t m, double *scratch)
{
    if (b->precision == NTK_DOUBLE) return b->a[l];
    for (size_t k = 0; k < m; k++) scratch[k] = b->a_float[l][k];
    return scratch;
}

static const double *sigs(const ntk_batch *b, size_t l, size_t m, double *scratch)
{
    if (b->precision == NTK_DOUBLE) return b->d[l];
    for (size_t k = 0; k < m; k++) scratch[k] = b->d_float[l][k];
    return scratch;
}

/* Room for the widened factors of N inputs (N x max_l n_l), or NULL when the network
 * is double and needs none; *fail is set when the allocation failed. */
static double *widen_scratch(const ntk_net *net, size_t N, int *fail)
{
    *fail = 0;
    if (net->precision == NTK_DOUBLE) return NULL;
    size_t widest = 0;
    for (size_t l = 0; l <= net->L; l++) widest = net->n[l] > widest ? net->n[l] : widest;
    double *s = malloc(N * widest * sizeof *s);
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

int ntk_entk_gram(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *K)
{
    if (!K) NTK_FAIL(GSL_EINVAL, "ntk_entk_gram: no output matrix");
    int st = features(net, b, X, N);
    if (st) return st;
    int fail;
    double *G = malloc(2 * N * N * sizeof *G); /* two N x N Grams: signals, activations */
    double *wide = widen_scratch(net, N, &fail);
    if (!G || fail) {
        free(G), free(wide);
        NTK_FAIL(GSL_ENOMEM, "ntk_entk_gram: out of memory for 2 x %zu x %zu", N, N);
    }
    double *H = G + N * N;
    const double beta2 = net->beta * net->beta;
    memset(K, 0, N * N * sizeof *K);
    for (size_t l = 0; l < net->L; l++) {
        const size_t nl = net->n[l], nu = net->n[l + 1];
        /* G = D(l+1) D(l+1)^T and H = A(l) A(l)^T / n_l, upper triangles:
         * (N x nu)(nu x N) and (N x nl)(nl x N) */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)N, (int)nu, 1.0,
                    sigs(b, l + 1, N * nu, wide), (int)nu, 0.0, G, (int)N);
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)N, (int)nl, 1.0 / (double)nl,
                    acts(b, l, N * nl, wide), (int)nl, 0.0, H, (int)N);
        for (size_t i = 0; i < N; i++)
            for (size_t j = i; j < N; j++) K[i * N + j] += (H[i * N + j] + beta2) * G[i * N + j];
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++) K[i * N + j] = K[j * N + i];
    free(G);
    free(wide);
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
    int fail1, fail2;
    double *G = malloc(2 * N1 * N2 * sizeof *G);
    double *w1 = widen_scratch(net, N1, &fail1), *w2 = widen_scratch(net, N2, &fail2);
    if (!G || fail1 || fail2) {
        free(G), free(w1), free(w2);
        NTK_FAIL(GSL_ENOMEM, "ntk_entk_cross: out of memory for 2 x %zu x %zu", N1, N2);
    }
    double *H = G + N1 * N2;
    const double beta2 = net->beta * net->beta;
    memset(K, 0, N1 * N2 * sizeof *K);
    for (size_t l = 0; l < net->L; l++) {
        const size_t nl = net->n[l], nu = net->n[l + 1];
        /* G = D1(l+1) D2(l+1)^T: (N1 x nu)(nu x N2); H = A1(l) A2(l)^T / n_l */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)nu, 1.0,
                    sigs(b1, l + 1, N1 * nu, w1), (int)nu, sigs(b2, l + 1, N2 * nu, w2), (int)nu, 0.0,
                    G, (int)N2);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)nl,
                    1.0 / (double)nl, acts(b1, l, N1 * nl, w1), (int)nl, acts(b2, l, N2 * nl, w2),
                    (int)nl, 0.0, H, (int)N2);
        for (size_t k = 0; k < N1 * N2; k++) K[k] += (H[k] + beta2) * G[k];
    }
    free(G);
    free(w1);
    free(w2);
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
    int fail1, fail2;
    double *w1 = widen_scratch(net, N1, &fail1), *w2 = b2 == b1 ? NULL : widen_scratch(net, N2, &fail2);
    if (fail1 || (b2 != b1 && fail2)) {
        free(w1), free(w2);
        NTK_FAIL(GSL_ENOMEM, "ntk_entk_nngp_cross: out of memory for %zu + %zu inputs", N1, N2);
    }
    const double *A1 = acts(b1, l, N1 * nl, w1), *A2 = b2 == b1 ? A1 : acts(b2, l, N2 * nl, w2);
    /* S = A1(L-1) A2(L-1)^T / n_{L-1} + beta^2: (N1 x nl)(nl x N2) */
    for (size_t k = 0; k < N1 * N2; k++) S[k] = net->beta * net->beta;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)nl, 1.0 / (double)nl,
                A1, (int)nl, A2, (int)nl, 1.0, S, (int)N2);
    free(w1);
    free(w2);
    return 0;
}
