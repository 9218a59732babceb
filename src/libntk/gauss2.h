/* gauss2.h - expectations over a centred 2-D Gaussian, by adaptive quadrature.
 *
 *   E[f(u) g(v)],  (u, v) ~ N(0, [[a, c], [c, b]]),  a, b >= 0, c^2 <= a b.
 *
 * Written u = sqrt(a) z1, v = sqrt(b) (rho z1 + sqrt(1 - rho^2) z2) with z1, z2
 * independent standard normals and rho = c / sqrt(a b) (clamped to [-1, 1]; rho = 0
 * when a b = 0), the expectation is a nested 1-D integral against the normal density,
 * each level computed on [-T, T] (T = NTK_GAUSS2_RANGE standard deviations) by
 * adaptive bisection over GSL's 21-point Gauss-Kronrod rule (gsl_integration_qk21),
 * the range first split at the points where f or g is not smooth (their "kinks",
 * mapped to z1 and z2). GSL's own qagp was tried and dropped: its heuristics gave up
 * with a round-off error, after returning values off by 1e-7, on easy integrands
 * with breakpoints of very different spacings. Because
 * of the breakpoints a kink costs nothing in accuracy: relu reaches the closed form
 * to ~1e-12, where plain Gauss-Hermite stalls near 1e-3. For |rho| = 1 the inner
 * integral degenerates to a point and the expectation is 1-D.
 */
#ifndef NTK_GAUSS2_H
#define NTK_GAUSS2_H

#include <stddef.h>

#define NTK_GAUSS2_RANGE 12.0

typedef struct ntk_gauss2_ws ntk_gauss2_ws;

ntk_gauss2_ws *ntk_gauss2_alloc(void);
void ntk_gauss2_free(ntk_gauss2_ws *ws); /* NULL is fine */

/* result = E[f(u) g(v)]; kinks_f (nkf of them) are the points where f is not smooth,
 * kinks_g likewise for g. epsrel is the relative tolerance asked of the quadrature
 * (1e-12 is a good value). Returns 0, or GSL_EINVAL for a bad covariance, or the GSL
 * status when the quadrature cannot reach the tolerance. */
int ntk_gauss2_expect(double (*f)(double), const double *kinks_f, size_t nkf,
                      double (*g)(double), const double *kinks_g, size_t nkg,
                      double a, double b, double c, double epsrel,
                      ntk_gauss2_ws *ws, double *result);

/* ---- Mehler expansion, for smooth f and g ----
 *
 * With u = sqrt(a) Z1, v = sqrt(b) Z2, Z1, Z2 standard normals of correlation rho,
 * Mehler's formula gives
 *
 *   E[f(u) g(v)] = sum_{k>=0} rho^k F_k G_k,
 *   F_k = E[f(sqrt(a) Z) He_k(Z)] / sqrt(k!),   G_k likewise for g and b,
 *
 * He_k the probabilists' Hermite polynomials. The coefficients of one function depend
 * on its own variance only, so in a Gram matrix they are computed once per point and
 * layer, and each pair costs one power series in rho: the expectation over the 2x2
 * covariance is split into what repeats (per point) and what does not (rho).
 *
 * Accuracy. By Parseval, sum_k F_k^2 = E[f(u)^2] =: m2_f, so after K terms the tail
 * of the series is at most sqrt(T_f(K) T_g(K)) (Cauchy-Schwarz, |rho| <= 1) with
 * T_f(K) = m2_f - sum_{k<K} F_k^2. m2_f comes from the adaptive 1-D quadrature
 * (relative tolerance 5e-14), independently of the coefficients, and K_f is the
 * first K with T_f(K) <= NTK_GAUSS2_HERMITE_TAIL m2_f: a pair summed to max(K_f, K_g)
 * is then within 1.1e-12 sqrt(E f(u)^2 E g(v)^2) of the expectation, for every rho
 * in [-1, 1] - the same Cauchy-Schwarz-relative target the adaptive quadrature
 * accepts. The coefficients themselves come from a Gauss-Hermite rule of
 * NTK_GAUSS2_HERMITE_NODES = 2 NTK_GAUSS2_HERMITE_K nodes (nodes by Newton on the
 * normalised three-term recurrence, weights by the Christoffel formula, both with
 * relative accuracy), which is exact for polynomials of degree < 4K: aliasing only
 * involves Hermite coefficients of f beyond index 3K, negligible once T_f(K) is.
 * A coefficient sum exceeding m2_f beyond rounding (aliasing) rejects the expansion.
 *
 * For functions analytic in a strip (tanh, sigmoid, softplus: poles at distance
 * pi/2, pi from the real axis; GELU, polynomials: entire) the coefficients decay
 * like exp(-c sqrt(k / a)): tanh' needs 13 terms at a = 0.05, 49 at a = 0.35, 123 at
 * a = 1 and is rejected from a = 2 on (tanh from a = 4, sigmoid, softplus and GELU
 * are accepted at a = 4). Where K terms do not reach the tail bound (large
 * variances; kinks, whose coefficients decay only like a power of k) the expansion
 * is rejected (K = 0) and the caller uses ntk_gauss2_expect.
 *
 * Cost: building the rule once per workspace ~10 ms; one expansion ~20-100 us (384
 * evaluations of f, a 192 x 384 GEMV, the 1-D quadrature of E f^2); one expectation
 * K multiply-adds. tests/test_hermite.c checks the coefficients against exact ones
 * (exp, x^5) and the expectations against the adaptive quadrature (tanh, sigmoid,
 * softplus, GELU and their derivatives; variances 1e-3 .. 1, correlations -1 .. 1:
 * largest difference 9e-13 CS), and Gram matrices against quadrature pairs. */

#define NTK_GAUSS2_HERMITE_K 192                          /* coefficients kept */
#define NTK_GAUSS2_HERMITE_NODES (2 * NTK_GAUSS2_HERMITE_K) /* Gauss-Hermite nodes */
#define NTK_GAUSS2_HERMITE_TAIL 1e-12                     /* T_f(K) / m2_f allowed */

typedef struct {
    size_t K;   /* terms needed: 1..NTK_GAUSS2_HERMITE_K; 0 when the expansion is rejected */
    double m2;  /* E[f(u)^2], u ~ N(0, a), by adaptive quadrature */
    double c[NTK_GAUSS2_HERMITE_K]; /* c[k] = E[f(sqrt(a) Z) He_k(Z)] / sqrt(k!) */
} ntk_gauss2_hermite;

/* The expansion of f at variance a >= 0 into *h (h->K = 0 when it is not accurate:
 * a too large for K terms, non-finite values). The Gauss-Hermite rule is built on
 * first use and kept in ws. Returns 0, GSL_EFAULT / GSL_EINVAL for bad arguments,
 * GSL_ENOMEM. */
int ntk_gauss2_hermite_coef(double (*f)(double), double a, ntk_gauss2_ws *ws,
                            ntk_gauss2_hermite *h);

/* sum_{k < max(Kf, Kg)} rho^k cf[k] cg[k]: E[f(u) g(v)] at correlation rho (in
 * [-1, 1]) for two accepted expansions (K > 0 both). */
double ntk_gauss2_hermite_expect(const ntk_gauss2_hermite *hf, const ntk_gauss2_hermite *hg,
                                 double rho);

#endif
