/* rf.h - the random-features model (paper section 3.1), the "simple linear example":
 * a model whose tangent kernel is random, does not move, and tends to a known K.
 *
 * P random functions f_p, drawn i.i.d. from the centred Gaussian process with
 * covariance K, are known on M fixed points x_1..x_M:
 *   F (P x M, row-major),  F[p][m] = f_p(x_m),   E F[p][m] F[p][m'] = K[m][m'].
 * The model and its tangent kernel are
 *   f_theta(x_m) = (1/sqrt P) sum_p theta_p F[p][m],
 *   Khat(x, x') = sum_p df(x)/dtheta_p df(x')/dtheta_p = (1/P) sum_p f_p(x) f_p(x'),
 * which does not depend on theta. E Khat = K, and by Wick's theorem
 * (E f(x)^2 f(x')^2 = K(x,x) K(x',x') + 2 K(x,x')^2)
 *   E |Khat - K|_F^2 = ( (tr K)^2 + |K|_F^2 ) / P,
 * the law of large numbers: the relative error falls like P^-1/2.
 *
 * Least squares on N training points (indices idx[0..N-1] among the M),
 *   C = 1/(2N) sum_i (f(x_i) - y_i)^2,   dC/dtheta_p = (1/N) sum_i r_i F[p][i] / sqrt(P),
 * with residuals r_i = f(x_i) - y_i. A gradient step theta <- theta - lr dC/dtheta
 * changes f at every point by
 *   f(x) <- f(x) - lr (1/N) sum_i Khat(x, x_i) r_i,
 * which is one step of kernel gradient descent with Khat (ntk_rf_kgd_step): for a
 * linear model the two iterations are the same map, summed in a different order.
 */
#ifndef NTK_RF_H
#define NTK_RF_H

#include <stddef.h>

typedef struct {
    size_t P, M;     /* features, points */
    double *F;       /* P x M: F[p*M + m] = f_p(x_m) */
    double *root;    /* M x M: the symmetric square root of K (K = root root), after sampling */
    double *evals;   /* M work: eigenvalues of K */
    double *z;       /* NTK_RF_CHUNK x M work: standard normals */
    double *r;       /* M work: residuals on the training points */
} ntk_rf;

#define NTK_RF_CHUNK 256

/* A model of P >= 1 features on M >= 1 points; F is zero until ntk_rf_sample.
 * NULL on error (ntk_last_error()). */
ntk_rf *ntk_rf_alloc(size_t P, size_t M);
void ntk_rf_free(ntk_rf *rf); /* NULL is fine */

/* Draw the P features i.i.d. from N(0, K), K (M x M, symmetric positive
 * semi-definite), from a GSL mt19937 generator seeded with seed: F = Z S with Z
 * standard normal (P x M) and S = V^T diag(sqrt(lambda)) V the symmetric square root
 * of K, from its eigendecomposition K = V^T diag(lambda) V (rows of V). The
 * eigendecomposition rather than a Cholesky factor, because kernels on fine grids of
 * the circle are singular to rounding (a grid with both ends of [-pi, pi] repeats a
 * point). The symmetric root rather than diag(sqrt(lambda)) V, because it is the one
 * square root that depends on K alone: K on equally spaced circle points has paired
 * eigenvalues, whose eigenvectors an eigensolver may turn within their plane (another
 * LAPACK, or the same one under another BLAS thread count, does), and with
 * diag(sqrt(lambda)) V the same seed then drew other features; with S it draws the
 * same ones to rounding. Eigenvalues down to
 * -100 M eps lambda_max count as rounding and are set to 0; below that GSL_EDOM.
 * Non-finite or non-symmetric K: GSL_EINVAL. */
int ntk_rf_sample(ntk_rf *rf, const double *K, unsigned long seed);

/* The tangent kernel Khat = F^T F / P (M x M, exactly symmetric). */
int ntk_rf_kernel(const ntk_rf *rf, double *Khat);

/* f = f_theta on the M points (theta: P values, f: M values). */
int ntk_rf_eval(const ntk_rf *rf, const double *theta, double *f);

/* One gradient step on theta for the least-squares cost on the training points
 * idx[0..N-1] (distinct or not, each < M) with targets y (N): theta <- theta - lr dC/dtheta,
 * in place. *loss (may be NULL) receives C before the step. */
int ntk_rf_gd_step(ntk_rf *rf, double *theta, size_t N, const size_t *idx, const double *y,
                   double lr, double *loss);

/* One step of kernel gradient descent in function space with any kernel K (M x M):
 * f(x_m) <- f(x_m) - lr (1/N) sum_i K[m][idx_i] (f(x_{idx_i}) - y_i) for every m, in
 * place (f: M values). work: N values. *loss (may be NULL) receives C before the step. */
int ntk_rf_kgd_step(size_t M, const double *K, size_t N, const size_t *idx, const double *y,
                    double lr, double *f, double *work, double *loss);

/* (tr K)^2 + |K|_F^2 for K (M x M): P times the expected |Khat - K|_F^2 of P
 * Gaussian features with covariance K (above). */
double ntk_rf_expected_sqdist(size_t M, const double *K);

#endif
