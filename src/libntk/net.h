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
 * with A(l), Z(l) row-major N x n_l. Everything is double precision: the GEMM rate
 * on this machine's 2 cores is ~105 GFLOP/s, and every kernel sum is then
 * accumulated in double without conversions.
 *
 * Training is full-batch gradient descent on the paper's cost
 *   C = 1/(2N) sum_i |f(x_i) - y_i|^2,
 * written so that each weight update is the GEMM that computes its gradient (no
 * gradient buffer, no separate update pass: see ntk_net_gd_step).
 */
#ifndef NTK_NET_H
#define NTK_NET_H

#include <stddef.h>
#include "nonlin.h"

typedef struct {
    size_t L;                 /* depth: number of weight matrices */
    size_t *n;                /* widths n[0..L]: n[0] inputs, n[L] outputs */
    double beta;              /* bias scale */
    const ntk_nonlin *sigma;  /* nonlinearity */
    size_t P;                 /* number of parameters */
    double *theta;            /* all P parameters in one block: for l = 0..L-1,
                                 W(l) (n[l+1] x n[l], row-major) then b(l) (n[l+1]) */
    size_t *off_w, *off_b;    /* offsets of W(l) and b(l) in theta (L each) */
} ntk_net;

/* A network of depth L >= 1 with widths n[0..L] (all >= 1), bias scale beta >= 0.
 * Parameters are zero until ntk_net_init. NULL on error (ntk_last_error()). */
ntk_net *ntk_net_alloc(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma);
void ntk_net_free(ntk_net *net); /* NULL is fine */

/* Draw every parameter i.i.d. N(0, 1) from a GSL mt19937 generator seeded with seed
 * (in the order of theta): the same seed gives bit-identical parameters. */
int ntk_net_init(ntk_net *net, unsigned long seed);

/* Views of W(l) (n[l+1] x n[l]) and b(l) (n[l+1]) inside theta. */
double *ntk_net_W(const ntk_net *net, size_t l);
double *ntk_net_b(const ntk_net *net, size_t l);

/* The number of parameters of a network of depth L and widths n[0..L]:
 * sum_l n[l+1] (n[l] + 1). */
size_t ntk_net_count_params(size_t L, const size_t *n);

/* Floating-point work of one full-batch gradient step on N inputs: forward,
 * backpropagation and weight gradients, 2 N P flops each (the GEMMs). */
double ntk_net_step_flops(const ntk_net *net, size_t N);

/* The buffers of one batch of up to cap inputs: pre-activations, activations and
 * backpropagated signals of every layer. Allocated once; the forward, backward and
 * training functions allocate nothing. */
typedef struct {
    size_t cap;     /* largest batch */
    size_t N;       /* rows of the last forward pass */
    size_t L;
    double **z;     /* z[l], l = 1..L: pre-activations (cap x n[l]); z[L] = outputs */
    double **a;     /* a[l], l = 0..L-1: activations (cap x n[l]); a[0] = the inputs */
    double **d;     /* d[l], l = 1..L: signals (cap x n[l]), see ntk_net_backward */
    double *ones;   /* cap ones: bias gradients as one GEMV, sum_i d_i = D^T 1 */
    double *block;  /* the one allocation behind z, a, d, ones */
} ntk_batch;

ntk_batch *ntk_batch_alloc(const ntk_net *net, size_t cap);
void ntk_batch_free(ntk_batch *b); /* NULL is fine */

/* Forward pass of the N <= cap inputs X (N x n[0]). Afterwards the outputs are
 * b->z[L] (N x n[L]) and every a[l], z[l] is kept for the backward pass. */
int ntk_net_forward(const ntk_net *net, ntk_batch *b, const double *X, size_t N);

/* After a forward pass, for a scalar output (n[L] = 1): d[l] = df/dz(l) for every
 * input of the batch, l = 1..L (d[L] = 1):
 *   d(l) = sigma'(z(l)) * (W(l)^T d(l+1)) / sqrt(n_l).
 * These are what the empirical NTK needs (entk.h). */
int ntk_net_backward(const ntk_net *net, ntk_batch *b);

/* Gradient of C = 1/(2N) sum_i |f(x_i) - Y_i|^2 with respect to theta, into grad
 * (P values, same layout as theta), for the batch X (N x n[0]), Y (N x n[L]).
 * *loss (may be NULL) receives C. Used by tests and by anyone who needs the gradient
 * itself; training uses ntk_net_gd_step. */
int ntk_net_gradient(const ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                     size_t N, double *grad, double *loss);

/* One step of full-batch gradient descent theta <- theta - lr grad C, in place.
 * *loss (may be NULL) receives C before the step. Allocates nothing.
 * Afterwards b->z[L] (N x n[L]) holds the outputs f(X) of the parameters before the
 * step, the very numbers ntk_net_eval gives for them (the same forward pass): a
 * training loop reads f_theta(t) there instead of evaluating again (tests/test_net.c
 * checks this bit for bit). */
int ntk_net_gd_step(ntk_net *net, ntk_batch *b, const double *X, const double *Y,
                    size_t N, double lr, double *loss);

/* The cost C = 1/(2N) sum_i |f(x_i) - Y_i|^2 into *loss, by one forward pass. Allocates
 * nothing. */
int ntk_net_loss(const ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                 double *loss);

/* The outputs f(x) of N inputs (N x n[L] into F), through the batch b. */
int ntk_net_eval(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *F);

#endif
