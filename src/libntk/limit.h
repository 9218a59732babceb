/* limit.h - the limiting kernels of the infinitely wide network (paper Prop. 1, Thm. 1).
 *
 *   Sigma(1)(x,x')   = x.x' / n0 + beta^2
 *   Sigma(l+1)(x,x') = E[s(u) s(v)] + beta^2,   SigmaDot(l+1)(x,x') = E[s'(u) s'(v)],
 *   Theta(1) = Sigma(1),   Theta(l+1) = Theta(l) SigmaDot(l+1) + Sigma(l+1),
 * with (u, v) ~ N(0, [[Sigma(l)(x,x), Sigma(l)(x,x')], [Sigma(l)(x,x'), Sigma(l)(x',x')]]).
 * Sigma(L) is the NNGP kernel (the covariance of the network at initialisation),
 * Theta(L) the limiting NTK of a depth-L network (L = number of weight matrices).
 *
 * The expectations use the closed form of the nonlinearity when the table has one
 * (relu: arc-cosine kernel, erf: arcsine kernel); for a smooth nonlinearity without
 * one (tanh, sigmoid, softplus, GELU, polynomials: no kinks) Mehler's expansion
 * (gauss2.h), with per-point coefficients computed once per point and layer and a
 * power series in the correlation per pair, accurate to ~1e-12 of the Cauchy-Schwarz
 * bound; and the adaptive 2-D quadrature (gauss2.h) otherwise, and wherever the
 * expansion is rejected (large variances). A 512 x 512 tanh Gram at depth 5 takes
 * well under a second this way, against hours by quadrature alone.
 * Correlations are clamped to [-1, 1] against rounding.
 */
#ifndef NTK_LIMIT_H
#define NTK_LIMIT_H

#include <stddef.h>
#include "nonlin.h"

typedef struct ntk_limit_ws ntk_limit_ws;

ntk_limit_ws *ntk_limit_alloc(void);
void ntk_limit_free(ntk_limit_ws *ws); /* NULL is fine */

/* Make every later call on ws use the direct adaptive quadrature for every expectation,
 * even where a closed form or the Mehler expansion applies (on = 1), or those again
 * (on = 0). For checking the one against the other. */
void ntk_limit_force_quadrature(ntk_limit_ws *ws, int on);

/* The two expectations for one 2x2 covariance [[a, c], [c, b]]:
 * *ess = E[s(u) s(v)], *edd = E[s'(u) s'(v)]. */
int ntk_limit_expect(const ntk_nonlin *s, double a, double b, double c,
                     ntk_limit_ws *ws, double *ess, double *edd);

/* Sigma(L)(x,y) and Theta(L)(x,y) for two inputs of dimension n0. */
int ntk_limit_pair(const ntk_nonlin *s, size_t L, double beta,
                   const double *x, const double *y, size_t n0,
                   ntk_limit_ws *ws, double *sigma, double *theta);

/* Gram matrices on X (N x n0, row-major): Sigma (N x N, may be NULL), Theta (N x N). */
int ntk_limit_gram(const ntk_nonlin *s, size_t L, double beta,
                   const double *X, size_t N, size_t n0,
                   ntk_limit_ws *ws, double *Sigma, double *Theta);

/* Cross matrices between X1 (N1 x n0) and X2 (N2 x n0): Sigma, Theta (N1 x N2);
 * Sigma may be NULL. */
int ntk_limit_cross(const ntk_nonlin *s, size_t L, double beta,
                    const double *X1, size_t N1, const double *X2, size_t N2, size_t n0,
                    ntk_limit_ws *ws, double *Sigma, double *Theta);

/* When Theta(L) is a polynomial in x.x' (L = 1, any sigma: degree 1; the identity:
 * degree 1; the square: degree 2^(L-1)), an upper bound on the rank of its Gram matrix
 * on any points of the unit sphere of R^n0: the dimension of the polynomials of degree
 * <= d on that sphere, C(n0 + d - 1, d) + C(n0 + d - 2, d - 1) (2d + 1 on the circle,
 * (d + 1)^2 on the 2-sphere). 0 when Theta(L) is not a polynomial (Proposition 2: then
 * it is positive definite for L >= 2) or the bound overflows. */
double ntk_limit_rank_bound(const ntk_nonlin *s, size_t L, size_t n0);

#endif
