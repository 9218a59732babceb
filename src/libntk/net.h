/* net.h - the fully connected network in the NTK parameterisation (paper section 2).
 *
 *   a(0) = x,   z(l+1) = W(l) a(l) / sqrt(n_l) + beta b(l),   a(l) = sigma(z(l)),
 *   f(x) = z(L),
 * for l = 0..L-1: depth L is the number of weight matrices (L - 1 hidden layers),
 * W(l) is n_{l+1} x n_l, b(l) has n_{l+1} entries, all i.i.d. N(0, 1) at
 * initialisation.
 *
 * Computation is batched: a batch of N inputs is a row-major N x n_0 matrix X, and
 * each layer is one GEMM,  Z(l+1) = A(l) W(l)^T / sqrt(n_l) + 1 (beta b(l))^T,
 * with A(l), Z(l) row-major N x n_l.
 *
 * Two precisions, chosen per network when it is allocated (a run-time choice: an
 * experiment's `precision` parameter):
 *   NTK_DOUBLE  parameters and batches in double, dgemm;
 *   NTK_SINGLE  parameters and batches in float, sgemm (about twice the double GEMM
 *               rate on this machine's 2 cores, and half the memory).
 * In both, what the experiments record is computed in double: the outputs f (the last
 * layer's sums, over the float activations and weights, accumulate in double), the
 * cost C, and the empirical kernels (entk.h: their Gram products run in float by
 * panels of at most 256 terms, the panels and layers added in double). Inputs,
 * targets and every result cross the interface in double. The code is one text for both (net_source.inc, compiled once per precision
 * as GSL does: templates_on.h); the public functions below take either network.
 *
 * Training is full-batch gradient descent on the paper's cost
 *   C = 1/(2N) sum_i |f(x_i) - y_i|^2,
 * written so that each weight update is the GEMM that computes its gradient (no
 * gradient buffer, no separate update pass: see ntk_net_gd_step).
 */
#ifndef NTK_NET_H
#define NTK_NET_H

/* Batches of at most this many inputs run their BLAS products on one thread (net.c:
 * below it OpenBLAS's threads cost more than they bring); larger ones on all the
 * threads OpenBLAS was given. Not for concurrent calls from several threads: the
 * count is OpenBLAS's, process-wide. */
#define NTK_NET_SERIAL_BATCH 8

#include <stddef.h>
#include "nonlin.h"

/* The storage and GEMM precision of a network and its batches. */
typedef enum { NTK_DOUBLE = 0, NTK_SINGLE = 1 } ntk_precision;

/* "double" or "single"; and back: the precision named `name` into *p, 0 on success,
 * GSL_EINVAL (message naming both choices) otherwise. */
const char *ntk_precision_name(ntk_precision p);
int ntk_precision_find(const char *name, ntk_precision *p);

typedef struct {
    size_t L;                 /* depth: number of weight matrices */
    size_t *n;                /* widths n[0..L]: n[0] inputs, n[L] outputs */
    double beta;              /* bias scale */
    const ntk_nonlin *sigma;  /* nonlinearity */
    size_t P;                 /* number of parameters */
    ntk_precision precision;  /* which of theta, theta_float holds them */
    double *theta;            /* NTK_DOUBLE: all P parameters in one block: for
                                 l = 0..L-1, W(l) (n[l+1] x n[l], row-major) then b(l)
                                 (n[l+1]); NULL in single precision */
    float *theta_float;       /* NTK_SINGLE: the same block in float; NULL in double */
    size_t *off_w, *off_b;    /* offsets of W(l) and b(l) in the block (L each) */
} ntk_net;

/* A double-precision network of depth L >= 1 with widths n[0..L] (all >= 1), bias
 * scale beta >= 0. Parameters are zero until ntk_net_init. NULL on error
 * (ntk_last_error()). ntk_net_alloc_precision: the same in the given precision. */
ntk_net *ntk_net_alloc(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma);
ntk_net *ntk_net_alloc_precision(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma,
                                 ntk_precision precision);
void ntk_net_free(ntk_net *net); /* NULL is fine */

/* Draw every parameter i.i.d. N(0, 1) from a GSL mt19937 generator seeded with seed
 * (in the order of theta): the same seed gives bit-identical parameters, and a
 * single-precision network the same draws as a double one, rounded to float. */
int ntk_net_init(ntk_net *net, unsigned long seed);

/* The P parameters as doubles (theta, or theta_float widened: exact), and back (a
 * single-precision network rounds them to float), for either precision. */
int ntk_net_get_params(const ntk_net *net, double *theta);
int ntk_net_set_params(ntk_net *net, const double *theta);

/* Views of W(l) (n[l+1] x n[l]) and b(l) (n[l+1]) inside theta: double precision only
 * (NULL for a single-precision network). */
double *ntk_net_W(const ntk_net *net, size_t l);
double *ntk_net_b(const ntk_net *net, size_t l);

/* The number of parameters of a network of depth L and widths n[0..L]:
 * sum_l n[l+1] (n[l] + 1). */
size_t ntk_net_count_params(size_t L, const size_t *n);

/* Floating-point work of one full-batch gradient step on N inputs: forward,
 * backpropagation and weight gradients, 2 N P flops each (the GEMMs). */
double ntk_net_step_flops(const ntk_net *net, size_t N);

/* The buffers of one batch of up to cap inputs: pre-activations, activations and
 * backpropagated signals of every layer, in the network's precision, except the
 * outputs z[L], which are double in both. Allocated once; the forward, backward and
 * training functions allocate nothing. */
typedef struct {
    size_t cap;     /* largest batch */
    size_t N;       /* rows of the last forward pass */
    size_t L;
    ntk_precision precision; /* the network's: which of the members below are set */
    double **z;     /* z[L] (cap x n[L]): the outputs f, in double in both precisions;
                       double precision: z[l], l = 1..L-1, pre-activations (cap x n[l]) */
    double **a;     /* double: a[l], l = 0..L-1: activations (cap x n[l]); a[0] = inputs */
    double **d;     /* double: d[l], l = 1..L: signals (cap x n[l]), see ntk_net_backward */
    double *ones;   /* double: cap ones: bias gradients as one GEMV, sum_i d_i = D^T 1 */
    float **z_float, **a_float, **d_float; /* single: z[1..L-1], a[0..L-1], d[1..L] */
    float *ones_float;                     /* single: cap ones */
    void *block;    /* the one allocation behind all of them */
} ntk_batch;

/* A batch for net's precision (it serves only networks of that precision). */
ntk_batch *ntk_batch_alloc(const ntk_net *net, size_t cap);
void ntk_batch_free(ntk_batch *b); /* NULL is fine */

/* Forward pass of the N <= cap inputs X (N x n[0]). Afterwards the outputs are
 * b->z[L] (N x n[L]) and every a[l], z[l] is kept for the backward pass. */
int ntk_net_forward(const ntk_net *net, ntk_batch *b, const double *X, size_t N);

/* After a forward pass, for a scalar output (n[L] = 1): d[l] (d_float[l] in single
 * precision) = df/dz(l) for every input of the batch, l = 1..L (d[L] = 1):
 *   d(l) = sigma'(z(l)) * (W(l)^T d(l+1)) / sqrt(n_l).
 * These are what the empirical NTK needs (entk.h). */
int ntk_net_backward(const ntk_net *net, ntk_batch *b);

/* Gradient of C = 1/(2N) sum_i |f(x_i) - Y_i|^2 with respect to theta, into grad
 * (P values, same layout as theta), for the batch X (N x n[0]), Y (N x n[L]).
 * *loss (may be NULL) receives C. Used by tests and by anyone who needs the gradient
 * itself; training uses ntk_net_gd_step. A single-precision network computes it in
 * float, in a temporary of P floats that this function allocates. */
int ntk_net_gradient(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                     size_t N, double *grad, double *loss);

/* One step of full-batch gradient descent theta <- theta - lr grad C, in place.
 * *loss (may be NULL) receives C before the step. Allocates nothing.
 * Afterwards b->z[L] (N x n[L]) holds the outputs f(X) of the parameters before the
 * step (in double, in either precision), the very numbers ntk_net_eval gives for them
 * (the same forward pass): a
 * training loop reads f_theta(t) there instead of evaluating again (tests/test_net.c
 * checks this bit for bit). */
int ntk_net_gd_step(ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                    size_t N, double lr, double *loss);

/* The cost C = 1/(2N) sum_i |f(x_i) - Y_i|^2 into *loss, by one forward pass. Allocates
 * nothing. */
int ntk_net_loss(const ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                 double *loss);

/* The outputs f(x) of N inputs (N x n[L] into F), through the batch b: any N >= 1, in
 * forward passes of b->cap inputs (the last one shorter). */
int ntk_net_eval(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *F);

#endif
