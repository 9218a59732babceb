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

#endif
