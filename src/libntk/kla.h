/* kla.h - kernel linear algebra: eigenpairs, the limiting Gaussian, kernel gradient
 * descent on the data (paper sections 4 and 5).
 *
 * Matrices are row-major, double precision. Eigenvectors are returned as rows
 * (evecs[k*N + i] is component i of eigenvector k): each row is a function on the
 * data. Their sign is fixed by one rule (ntk_kla_eig_fix_sign) so that two methods give
 * comparable vectors.
 */
#ifndef NTK_KLA_H
#define NTK_KLA_H

#include <stddef.h>

/* Full symmetric eigensolve (LAPACK dsyevd, from OpenBLAS) of K (N x N): evals (N) in
 * decreasing order, evecs (N x N) unit rows, signs fixed. Measured on this machine
 * (2 cores, shared): N = 1024 in 1.5 s, where gsl_eigen_symmv took 31 s. */
int ntk_kla_eig_sym(size_t N, const double *K, double *evals, double *evecs);

/* Flip v (n values) so that its sum is positive; when the sum is negligible
 * (|sum| < 1e-6 |v|_1), so that its largest-magnitude component is positive. */
void ntk_kla_eig_fix_sign(size_t n, double *v);

/* The top k eigenpairs of a symmetric positive semi-definite K (N x N) by power
 * iteration with deflation (the paper's method): v <- K v / |K v| from a seeded
 * random start until the residual |K v - lambda v| <= tol * lambda_1, then
 * K <- K - lambda v v^T and on to the next. evals (k), evecs (k x N, unit rows, signs
 * fixed); iters (k, may be NULL) the iterations each took. GSL_EMAXITER when one
 * pair needs more than max_iter. */
int ntk_kla_power_top(size_t N, const double *K, size_t k, double tol, size_t max_iter,
                  unsigned long seed, double *evals, double *evecs, size_t *iters);

/* The limiting Gaussian of f_t off the data (notes section 4). With Theta = Theta(X,X),
 * Sigma = Sigma(X,X) on the N training inputs, targets y, and for M test points
 * Theta_x = Theta(x, X) (M x N), Sigma_x = Sigma(x, X) (M x N), sigma_xx = Sigma(x,x) (M):
 *   A_t     = Theta^-1 (I - exp(-t Theta / N))        (A_inf = Theta^-1; t = INFINITY)
 *   mean(x) = Theta_x A_t y
 *   var(x)  = Sigma(x,x) - 2 Theta_x A_t Sigma_x^T + Theta_x A_t Sigma A_t Theta_x^T
 * computed through the eigendecomposition of Theta. Rounding can leave a variance
 * of order -1e-16 on a training point: variances are returned as max(var, 0).
 * Theta must be positive definite for t = INFINITY (semi-definite for finite t):
 * otherwise GSL_EDOM with a message giving its extreme eigenvalues, never NaNs. */
int ntk_kla_gp_limit(size_t N, const double *Theta, const double *Sigma, const double *y,
                 size_t M, const double *Theta_x, const double *Sigma_x,
                 const double *sigma_xx, double t, double *mean, double *var);

/* Kernel gradient descent on the data for least squares: with Pi = K / N (K the
 * N x N Gram matrix of the kernel on the training inputs),
 *   f_t = f* + exp(-t Pi) (f_0 - f*),
 * evaluated through one eigendecomposition of Pi, reused for every t. */
typedef struct {
    size_t N;
    double *evals;  /* N eigenvalues of K/N, decreasing: the rates lambda_i */
    double *evecs;  /* N x N, rows: the kernel principal components */
    double *tmp;    /* N, scratch */
} ntk_kla_kgd;

ntk_kla_kgd *ntk_kla_kgd_alloc(size_t N, const double *K);
void ntk_kla_kgd_free(ntk_kla_kgd *k); /* NULL is fine */
int ntk_kla_kgd_solve(ntk_kla_kgd *k, const double *f0, const double *fstar, double t, double *ft);

/* The error r = f - y on N points split along a direction u of RMS 1 (sum u_i^2 = N)
 * and orthogonal to it: r = c u + w with c = <r, u> / N; *g = |c| and *h = the RMS of
 * w, sqrt(sum w_i^2 / N). (Paper section 5: g_t and h_t of Figure 3, u = f2.) */
void ntk_kla_split(size_t N, const double *f, const double *y, const double *u, double *g, double *h);

#endif
