/* entk.h - the empirical NTK of a finite network, exactly, without a Jacobian.
 *
 * For a scalar output, Theta(x,x') = sum_p df/dtheta_p(x) df/dtheta_p(x'). Since
 * df/dW(l)_ij = d(l+1)_i a(l)_j / sqrt(n_l) and df/db(l)_i = beta d(l+1)_i, with
 * d(l) = df/dz(l) from backpropagation (net.h), the sum over parameters factors
 * layer by layer:
 *
 *   Theta(x,x') = sum_{l=0}^{L-1} [ a(l)(x).a(l)(x') / n_l + beta^2 ] d(l+1)(x).d(l+1)(x').
 *
 * So a Gram matrix on N inputs costs one forward and one backward pass over the batch
 * plus two N x N Gram products (SYRK) per layer; no N x P Jacobian is ever formed.
 *
 * Precision. For a double-precision network every sum is in double. For a
 * single-precision network (net.h) the forward and backward passes run in float,
 * and so do the Gram products, by panels: each product's sum over the n_l units is
 * cut into panels of at most NTK_ENTK_PANEL terms, each panel one SSYRK/SGEMM in
 * float, and the panels, the scale 1/n_l and the sum over layers are added in
 * double. A panel's float sum is within gamma_256 = 256 u / (1 - 256 u) (u = 2^-24)
 * of its exact value relative to the sum of its terms' absolute values, whatever
 * the width, so the rounding does not grow with n_l (tests/test_precision.c checks
 * this bound entry by entry). Why not double products: at width 1000 the nine
 * 512 x 512 DSYRK of a Gram took as long as the whole float forward and backward
 * pass (31 against 35 ms here), the float panels take 14 ms; and the factors
 * themselves come out of float GEMMs over the same n_l terms, with rounding of the
 * same order. The effect on every figure that uses a single-precision empirical
 * kernel was measured against the seed-to-seed spread (experiments' READMEs).
 */
#ifndef NTK_ENTK_H
#define NTK_ENTK_H

/* The longest sum the single-precision Gram products leave in float. */
#define NTK_ENTK_PANEL 256

#include <stddef.h>
#include "net.h"

/* K (N x N, row-major, exactly symmetric) = Theta on the inputs X (N x n[0]), through
 * the batch b (capacity >= N). Needs n[L] = 1. */
int ntk_entk_gram(const ntk_net *net, ntk_batch *b, const double *X, size_t N, double *K);

/* K (N1 x N2) = Theta(X1_i, X2_j), through two batches (capacities >= N1, N2). */
int ntk_entk_cross(const ntk_net *net, ntk_batch *b1, const double *X1, size_t N1,
                   ntk_batch *b2, const double *X2, size_t N2, double *K);

/* The empirical NNGP kernel of one network: the covariance of the output given the
 * last hidden layer,  Sigma_n(x,x') = a(L-1)(x).a(L-1)(x') / n_{L-1} + beta^2,
 * which tends to Sigma(L) as the widths grow (it is how a single wide network
 * estimates Sigma(L), as the paper did for its Figure 2). S (N1 x N2) through one
 * forward pass per set (batches b1, b2; b1 == b2 is allowed when X1 == X2). */
int ntk_entk_nngp_cross(const ntk_net *net, ntk_batch *b1, const double *X1, size_t N1,
                        ntk_batch *b2, const double *X2, size_t N2, double *S);

#endif
