/* net.c - the NTK-parameterised network: forward, backward, gradient descent.
 * See net.h for the model. The arithmetic is net_source.inc, compiled here once per
 * precision; this file holds what does not depend on it (allocation, argument checks)
 * and the public functions, which call the instance of the network's precision. */
#include "net.h"

#include "blas.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define BASE_DOUBLE
#include "templates_on.h"
#include "net_source.inc"
#include "templates_off.h"
#undef BASE_DOUBLE

#define BASE_FLOAT
#include "templates_on.h"
#include "net_source.inc"
#include "templates_off.h"
#undef BASE_FLOAT

/* Call FUNCTION(name)(args) of the network's precision. */
#define DISPATCH(net, name, ...) \
    ((net)->precision == NTK_SINGLE ? name##_float(__VA_ARGS__) : name##_double(__VA_ARGS__))

const char *ntk_precision_name(ntk_precision p) { return p == NTK_SINGLE ? "single" : "double"; }

int ntk_precision_find(const char *name, ntk_precision *p)
{
    if (name && strcmp(name, "double") == 0) *p = NTK_DOUBLE;
    else if (name && strcmp(name, "single") == 0) *p = NTK_SINGLE;
    else NTK_FAIL(GSL_EINVAL, "unknown precision '%s': use double or single", name ? name : "(null)");
    return 0;
}

ntk_net *ntk_net_alloc(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma)
{
    return ntk_net_alloc_precision(L, n, beta, sigma, NTK_DOUBLE);
}

ntk_net *ntk_net_alloc_precision(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma,
                                 ntk_precision precision)
{
    if (precision != NTK_DOUBLE && precision != NTK_SINGLE) {
        ntk_error(GSL_EINVAL, "network precision must be NTK_DOUBLE or NTK_SINGLE, got %d", (int)precision);
        return NULL;
    }
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
    net->precision = precision;
    net->n = malloc((L + 1) * sizeof *net->n);
    net->off_w = malloc(L * sizeof *net->off_w);
    net->off_b = malloc(L * sizeof *net->off_b);
    if (precision == NTK_SINGLE)
        net->theta_float = calloc(P, sizeof *net->theta_float);
    else
        net->theta = calloc(P, sizeof *net->theta);
    if (!net->n || !net->off_w || !net->off_b || !(net->theta || net->theta_float)) goto oom;
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
              P * (precision == NTK_SINGLE ? 4.0 : 8.0) / (1 << 30));
    return NULL;
}

void ntk_net_free(ntk_net *net)
{
    if (!net) return;
    free(net->n);
    free(net->off_w);
    free(net->off_b);
    free(net->theta);
    free(net->theta_float);
    free(net);
}

int ntk_net_init(ntk_net *net, unsigned long seed)
{
    if (!net) NTK_FAIL(GSL_EINVAL, "ntk_net_init: no network");
    return DISPATCH(net, init, net, seed);
}

int ntk_net_get_params(const ntk_net *net, double *theta)
{
    if (!net || !theta) NTK_FAIL(GSL_EINVAL, "ntk_net_get_params: a network and an output are needed");
    DISPATCH(net, get_params, net, theta);
    return 0;
}

int ntk_net_set_params(ntk_net *net, const double *theta)
{
    if (!net || !theta) NTK_FAIL(GSL_EINVAL, "ntk_net_set_params: a network and the parameters are needed");
    DISPATCH(net, set_params, net, theta);
    return 0;
}

double *ntk_net_W(const ntk_net *net, size_t l) { return net->theta ? net->theta + net->off_w[l] : NULL; }
double *ntk_net_b(const ntk_net *net, size_t l) { return net->theta ? net->theta + net->off_b[l] : NULL; }

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
    const size_t L = net->L;
    size_t bytes = DISPATCH(net, batch_bytes, net, cap);
    ntk_batch *b = calloc(1, sizeof *b);
    if (!b) goto oom;
    b->cap = cap;
    b->L = L;
    b->precision = net->precision;
    b->z = calloc(L + 1, sizeof *b->z);
    if (net->precision == NTK_SINGLE) {
        b->z_float = calloc(L + 1, sizeof *b->z_float);
        b->a_float = calloc(L + 1, sizeof *b->a_float);
        b->d_float = calloc(L + 1, sizeof *b->d_float);
        if (!b->z_float || !b->a_float || !b->d_float) goto oom;
    } else {
        b->a = calloc(L + 1, sizeof *b->a);
        b->d = calloc(L + 1, sizeof *b->d);
        if (!b->a || !b->d) goto oom;
    }
    b->block = malloc(bytes);
    if (!b->z || !b->block) goto oom;
    DISPATCH(net, batch_carve, net, b);
    return b;
oom:
    ntk_batch_free(b);
    ntk_error(GSL_ENOMEM, "out of memory for a batch of %zu inputs (%.1f GiB)", cap, bytes / (double)(1 << 30));
    return NULL;
}

void ntk_batch_free(ntk_batch *b)
{
    if (!b) return;
    free(b->z);
    free(b->a);
    free(b->d);
    free(b->z_float);
    free(b->a_float);
    free(b->d_float);
    free(b->block);
    free(b);
}

/* The BLAS threads of a batch of N inputs. With a handful of inputs each product is
 * nearly a matrix-vector product that reads every weight once for 2N flops, and
 * OpenBLAS's second thread costs more than it brings: measured on this 2-core
 * machine, one sgemm of 4 (8) inputs by a 1000 x 1000 matrix took 265 (347) us on one
 * thread against 353 (387) on two, while 16 inputs took 480 against 310; a whole
 * Figure 2 step (4 inputs, width 1000, single) 1.05-1.12 against 1.98 ms. So a batch
 * of at most NTK_NET_SERIAL_BATCH inputs runs its products on one thread, and the
 * caller's thread count is restored after. (GEMM results do not depend on the thread
 * count: each entry is summed by one thread in the same order.) */
static int serial_begin(size_t N)
{
    int threads = openblas_get_num_threads();
    if (N > NTK_NET_SERIAL_BATCH || threads <= 1) return 0;
    openblas_set_num_threads(1);
    return threads;
}

static void serial_end(int threads)
{
    if (threads > 1) openblas_set_num_threads(threads);
}

static int check_batch(const ntk_net *net, const ntk_batch *b, size_t N, const char *who)
{
    if (!net || !b) NTK_FAIL(GSL_EINVAL, "%s: network and batch are required", who);
    if (b->L != net->L || b->precision != net->precision)
        NTK_FAIL(GSL_EBADLEN, "%s: batch was allocated for another network", who);
    if (N < 1 || N > b->cap) NTK_FAIL(GSL_EBADLEN, "%s: batch of %zu inputs, capacity %zu", who, N, b->cap);
    return 0;
}

int ntk_net_forward(const ntk_net *net, ntk_batch *b, const double *X, size_t N)
{
    int st = check_batch(net, b, N, "ntk_net_forward");
    if (st) return st;
    if (!X) NTK_FAIL(GSL_EINVAL, "ntk_net_forward: no inputs");
    int threads = serial_begin(N);
    DISPATCH(net, forward, net, b, X, N);
    serial_end(threads);
    return 0;
}

int ntk_net_backward(const ntk_net *net, ntk_batch *b)
{
    int st = check_batch(net, b, b ? b->N : 0, "ntk_net_backward (after a forward pass)");
    if (st) return st;
    if (net->n[net->L] != 1)
        NTK_FAIL(GSL_EINVAL, "ntk_net_backward: needs a scalar output, network has %zu", net->n[net->L]);
    DISPATCH(net, unit_signals, b);
    int threads = serial_begin(b->N);
    DISPATCH(net, backprop, net, b, NULL, 0.0, 0.0);
    serial_end(threads);
    return 0;
}

/* Forward pass, the cost, and the top signals d(L) = (f - y) / N = dC/df. */
static int forward_residual(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                            size_t N, double *loss, const char *who)
{
    if (!Y) NTK_FAIL(GSL_EINVAL, "%s: no targets", who);
    int st = ntk_net_forward(net, b, X, N);
    if (st) return st;
    double c = DISPATCH(net, residual, net, b, Y, N);
    if (loss) *loss = c;
    return 0;
}

int ntk_net_gradient(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                     size_t N, double *grad, double *loss)
{
    if (!grad) NTK_FAIL(GSL_EINVAL, "ntk_net_gradient: no gradient buffer");
    int st = forward_residual(net, b, X, Y, N, loss, "ntk_net_gradient");
    if (st) return st;
    float *g = NULL; /* single precision: the float gradient, widened into grad after */
    if (net->precision == NTK_SINGLE && !(g = malloc(net->P * sizeof *g)))
        NTK_FAIL(GSL_ENOMEM, "ntk_net_gradient: out of memory for %zu parameters", net->P);
    int threads = serial_begin(N);
    if (g) backprop_float(net, b, g, 1.0, 0.0);
    else backprop_double(net, b, grad, 1.0, 0.0);
    serial_end(threads);
    for (size_t p = 0; g && p < net->P; p++) grad[p] = g[p];
    free(g);
    return 0;
}

int ntk_net_gd_step(ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                    double lr, double *loss)
{
    if (!isfinite(lr)) NTK_FAIL(GSL_EINVAL, "ntk_net_gd_step: learning rate must be finite, got %g", lr);
    int st = forward_residual(net, b, X, Y, N, loss, "ntk_net_gd_step");
    if (st) return st;
    int threads = serial_begin(N);
    if (net->precision == NTK_SINGLE) backprop_float(net, b, net->theta_float, -lr, 1.0);
    else backprop_double(net, b, net->theta, -lr, 1.0);
    serial_end(threads);
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
    int st = check_batch(net, b, N ? 1 : 0, "ntk_net_eval"); /* N itself may exceed b->cap */
    if (st) return st;
    const size_t n0 = net->n[0], nL = net->n[net->L];
    for (size_t i = 0; i < N; i += b->cap) { /* in batches of b->cap */
        const size_t m = N - i < b->cap ? N - i : b->cap;
        if ((st = ntk_net_forward(net, b, X + i * n0, m))) return st;
        memcpy(F + i * nL, b->z[net->L], m * nL * sizeof *F);
    }
    return 0;
}
