/* net.c - the NTK-parameterised network: forward, backward, gradient descent.
 * See net.h for the model; shapes are given at each buffer. */
#include "net.h"

#include "blas.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

ntk_net *ntk_net_alloc(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma)
{
    if (L < 1) { ntk_error(GSL_EINVAL, "network depth must be >= 1, got %zu", L); return NULL; }
    if (!n || !sigma) { ntk_error(GSL_EINVAL, "network widths and nonlinearity are required"); return NULL; }
    if (!(beta >= 0.0) || !isfinite(beta)) {
        ntk_error(GSL_EINVAL, "beta must be finite and >= 0, got %g", beta);
        return NULL;
    }
    size_t P = 0;
    for (size_t l = 0; l <= L; l++) {
        if (n[l] < 1) { ntk_error(GSL_EINVAL, "width n[%zu] must be >= 1, got %zu", l, n[l]); return NULL; }
        if (l < L) P += n[l + 1] * n[l] + n[l + 1];
    }
    ntk_net *net = calloc(1, sizeof *net);
    if (!net) goto oom;
    net->L = L;
    net->beta = beta;
    net->sigma = sigma;
    net->P = P;
    net->n = malloc((L + 1) * sizeof *net->n);
    net->off_w = malloc(L * sizeof *net->off_w);
    net->off_b = malloc(L * sizeof *net->off_b);
    net->theta = calloc(P, sizeof *net->theta);
    if (!net->n || !net->off_w || !net->off_b || !net->theta) goto oom;
    memcpy(net->n, n, (L + 1) * sizeof *n);
    size_t off = 0;
    for (size_t l = 0; l < L; l++) {
        net->off_w[l] = off;
        off += n[l + 1] * n[l];
        net->off_b[l] = off;
        off += n[l + 1];
    }
    return net;
oom:
    ntk_net_free(net);
    ntk_error(GSL_ENOMEM, "out of memory for a network of %zu parameters (%.1f GiB)", P,
              P * 8.0 / (1 << 30));
    return NULL;
}

void ntk_net_free(ntk_net *net)
{
    if (!net) return;
    free(net->n);
    free(net->off_w);
    free(net->off_b);
    free(net->theta);
    free(net);
}

int ntk_net_init(ntk_net *net, unsigned long seed)
{
    if (!net) NTK_FAIL(GSL_EINVAL, "ntk_net_init: no network");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) NTK_FAIL(GSL_ENOMEM, "ntk_net_init: cannot allocate the generator");
    gsl_rng_set(r, seed);
    for (size_t p = 0; p < net->P; p++) net->theta[p] = gsl_ran_gaussian_ziggurat(r, 1.0);
    gsl_rng_free(r);
    return 0;
}

double *ntk_net_W(const ntk_net *net, size_t l) { return net->theta + net->off_w[l]; }
double *ntk_net_b(const ntk_net *net, size_t l) { return net->theta + net->off_b[l]; }

size_t ntk_net_count_params(size_t L, const size_t *n)
{
    size_t P = 0;
    for (size_t l = 0; l < L; l++) P += n[l + 1] * (n[l] + 1);
    return P;
}

double ntk_net_step_flops(const ntk_net *net, size_t N) { return 6.0 * (double)N * (double)net->P; }

ntk_batch *ntk_batch_alloc(const ntk_net *net, size_t cap)
{
    if (!net || cap < 1) { ntk_error(GSL_EINVAL, "ntk_batch_alloc: need a network and a capacity >= 1"); return NULL; }
    size_t L = net->L, total = 0;
    for (size_t l = 0; l <= L; l++) total += (l < L ? 2 : 1) * cap * net->n[l] + (l > 0 ? cap * net->n[l] : 0);
    total += cap; /* ones */
    ntk_batch *b = calloc(1, sizeof *b);
    if (!b) goto oom;
    b->cap = cap;
    b->L = L;
    b->z = calloc(L + 1, sizeof *b->z);
    b->a = calloc(L + 1, sizeof *b->a);
    b->d = calloc(L + 1, sizeof *b->d);
    b->block = malloc(total * sizeof *b->block);
    if (!b->z || !b->a || !b->d || !b->block) goto oom;
    double *p = b->block;
    for (size_t l = 0; l <= L; l++) {
        size_t sz = cap * net->n[l];
        if (l < L) { b->a[l] = p; p += sz; }
        if (l > 0) { b->z[l] = p; p += sz; b->d[l] = p; p += sz; }
    }
    b->ones = p;
    for (size_t i = 0; i < cap; i++) b->ones[i] = 1.0;
    return b;
oom:
    ntk_batch_free(b);
    ntk_error(GSL_ENOMEM, "out of memory for a batch of %zu inputs (%.1f GiB)", cap, total * 8.0 / (1 << 30));
    return NULL;
}

void ntk_batch_free(ntk_batch *b)
{
    if (!b) return;
    free(b->z);
    free(b->a);
    free(b->d);
    free(b->block);
    free(b);
}

static int check_batch(const ntk_net *net, const ntk_batch *b, size_t N, const char *who)
{
    if (!net || !b) NTK_FAIL(GSL_EINVAL, "%s: network and batch are required", who);
    if (b->L != net->L) NTK_FAIL(GSL_EBADLEN, "%s: batch was allocated for another network", who);
    if (N < 1 || N > b->cap) NTK_FAIL(GSL_EBADLEN, "%s: batch of %zu inputs, capacity %zu", who, N, b->cap);
    return 0;
}

int ntk_net_forward(const ntk_net *net, ntk_batch *b, const double *X, size_t N)
{
    int st = check_batch(net, b, N, "ntk_net_forward");
    if (st) return st;
    if (!X) NTK_FAIL(GSL_EINVAL, "ntk_net_forward: no inputs");
    const size_t L = net->L, *n = net->n;
    memcpy(b->a[0], X, N * n[0] * sizeof *X);
    for (size_t l = 0; l < L; l++) {
        const double *W = ntk_net_W(net, l), *bias = ntk_net_b(net, l);
        double *z = b->z[l + 1]; /* N x n[l+1] */
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < n[l + 1]; j++) z[i * n[l + 1] + j] = net->beta * bias[j];
        /* z += A(l) W(l)^T / sqrt(n_l):  (N x n_l) (n_l x n_{l+1}) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)n[l + 1], (int)n[l],
                    1.0 / sqrt((double)n[l]), b->a[l], (int)n[l], W, (int)n[l], 1.0, z, (int)n[l + 1]);
        if (l + 1 < L) ntk_nonlin_apply(net->sigma, N * n[l + 1], z, b->a[l + 1]);
    }
    b->N = N;
    return 0;
}

/* Backpropagation from the top signals d[L] (N x n[L]) already in place:
 *   d(l) = sigma'(z(l)) * (d(l+1) W(l)) / sqrt(n_l),          l = L-1 .. 1,
 * and, when target is given (P values laid out like theta), the parameter update
 *   target_W(l) = keep target_W(l) + alpha d(l+1)^T A(l) / sqrt(n_l),
 *   target_b(l) = keep target_b(l) + alpha beta sum_i d(l+1)_i.
 * d(l) is computed before W(l) is touched, so target may be theta itself: the
 * gradient GEMM is then the gradient-descent update (keep = 1, alpha = -lr). */
static void backprop(const ntk_net *net, ntk_batch *b, double *target, double alpha, double keep)
{
    const size_t L = net->L, N = b->N, *n = net->n;
    for (size_t l = L; l-- > 0;) {
        const double *W = ntk_net_W(net, l);
        const double *dup = b->d[l + 1]; /* N x n[l+1] */
        const double scale = 1.0 / sqrt((double)n[l]);
        if (l >= 1) {
            double *d = b->d[l]; /* N x n[l] */
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)n[l], (int)n[l + 1],
                        scale, dup, (int)n[l + 1], W, (int)n[l], 0.0, d, (int)n[l]);
            const double *z = b->z[l];
            if (net->sigma->closed == NTK_CLOSED_RELU) {
                for (size_t k = 0; k < N * n[l]; k++) /* a select, not a branch */
                    d[k] = z[k] > 0.0 ? d[k] : 0.0;
            } else {
                for (size_t k = 0; k < N * n[l]; k++) d[k] *= net->sigma->df(z[k]);
            }
        }
        if (target) {
            double *tW = target + net->off_w[l], *tb = target + net->off_b[l];
            /* (n_{l+1} x N) (N x n_l) */
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n[l + 1], (int)n[l], (int)N,
                        alpha * scale, dup, (int)n[l + 1], b->a[l], (int)n[l], keep, tW, (int)n[l]);
            /* target_b = keep target_b + alpha beta D(l+1)^T 1: (n_{l+1} x N)(N), one
             * pass over D by rows (a loop over columns strides n_{l+1} doubles) */
            cblas_dgemv(CblasRowMajor, CblasTrans, (int)N, (int)n[l + 1], alpha * net->beta, dup,
                        (int)n[l + 1], b->ones, 1, keep, tb, 1);
        }
    }
}

int ntk_net_backward(const ntk_net *net, ntk_batch *b)
{
    int st = check_batch(net, b, b ? b->N : 0, "ntk_net_backward (after a forward pass)");
    if (st) return st;
    if (net->n[net->L] != 1)
        NTK_FAIL(GSL_EINVAL, "ntk_net_backward: needs a scalar output, network has %zu", net->n[net->L]);
    for (size_t i = 0; i < b->N; i++) b->d[net->L][i] = 1.0;
    backprop(net, b, NULL, 0.0, 0.0);
    return 0;
}

/* Forward pass, the cost, and the top signals d(L) = (f - y) / N = dC/df. */
static int forward_residual(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                            size_t N, double *loss, const char *who)
{
    if (!Y) NTK_FAIL(GSL_EINVAL, "%s: no targets", who);
    int st = ntk_net_forward(net, b, X, N);
    if (st) return st;
    const size_t m = N * net->n[net->L];
    const double *f = b->z[net->L];
    double *dL = b->d[net->L], c = 0.0;
    for (size_t k = 0; k < m; k++) {
        double r = f[k] - Y[k];
        c += r * r;
        dL[k] = r / (double)N;
    }
    if (loss) *loss = 0.5 * c / (double)N;
    return 0;
}

int ntk_net_gradient(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                     size_t N, double *grad, double *loss)
{
    if (!grad) NTK_FAIL(GSL_EINVAL, "ntk_net_gradient: no gradient buffer");
    int st = forward_residual(net, b, X, Y, N, loss, "ntk_net_gradient");
    if (st) return st;
    backprop(net, b, grad, 1.0, 0.0);
    return 0;
}

int ntk_net_gd_step(ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                    double lr, double *loss)
{
    if (!isfinite(lr)) NTK_FAIL(GSL_EINVAL, "ntk_net_gd_step: learning rate must be finite, got %g", lr);
    int st = forward_residual(net, b, X, Y, N, loss, "ntk_net_gd_step");
    if (st) return st;
    backprop(net, b, net->theta, -lr, 1.0);
    return 0;
}

int ntk_net_loss(const ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                 double *loss)
{
    if (!loss) NTK_FAIL(GSL_EINVAL, "ntk_net_loss: no output");
    return forward_residual(net, b, X, Y, N, loss, "ntk_net_loss");
}

int ntk_net_eval(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *F)
{
    if (!F) NTK_FAIL(GSL_EINVAL, "ntk_net_eval: no output buffer");
    int st = ntk_net_forward(net, b, X, N);
    if (st) return st;
    memcpy(F, b->z[net->L], N * net->n[net->L] * sizeof *F);
    return 0;
}
