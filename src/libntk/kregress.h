/* kregress.h - least-squares kernel regression along the training time, for many outputs
 * and many test points at once: what the limiting kernel predicts about test error
 * (paper section 5).
 *
 * With K = K(X,X) (N x N, symmetric positive semi-definite) on N training inputs and
 * K_x = K(x,X) (M x N) on M test points, kernel gradient descent on the paper's cost
 * C = 1/(2N) sum_i |f(x_i) - y_i|^2 started from f_0 = 0 is, for targets Y (N x C, one
 * column per output),
 *   f_t(x) = K_x A_t Y,    A_t = K^-1 (I - exp(-t K/N)),    A_inf = K^-1.
 * With K = Theta(L) this is the mean of the limiting Gaussian of a network trained for
 * time t (ntk_kla_gp_limit is the same for one output and one t); at t = INFINITY it is
 * ridgeless kernel regression with the NTK. With K = Sigma(L) and t = INFINITY it is
 * the NNGP posterior mean (noise-free GP regression).
 *
 * One eigendecomposition K = V^T diag(lam) V (rows of V the eigenvectors) serves every
 * t: A_t = V^T diag(c) V with c_k = (1 - exp(-t lam_k/N)) / lam_k. The workspace keeps
 * B = K_x V^T (M x N), so a prediction at another t or for other targets costs
 * 2 N^2 C + 2 M N C flops.
 *
 * Spread over initialisations (ntk_kreg_prior, K = Theta): a limiting network has
 * independent outputs f_0 ~ GP(0, Sigma) at initialisation and NTK Theta x Id, so
 *   f_t(x) = f_0(x) + Theta_x A_t (Y - f_0(X))
 * is Gaussian with mean Theta_x A_t Y and, for each output, variance
 *   v_t(x) = Sigma(x,x) - 2 Theta_x A_t Sigma(X,x) + Theta_x A_t Sigma(X,X) A_t Theta(X,x).
 * The expected squared error of a random limiting network at x is then
 * |mean(x) - y(x)|^2 + C v_t(x) (C outputs).
 *
 * Matrices are row-major, double precision.
 */
#ifndef NTK_KREGRESS_H
#define NTK_KREGRESS_H

#include <stddef.h>

#include "nonlin.h"

typedef struct {
    size_t N, M;
    double *lam;   /* N eigenvalues of K, decreasing */
    double *V;     /* N x N, rows: the eigenvectors */
    double *B;     /* M x N: K_x V^T */
    double floor;  /* eigenvalues below this count as zero (rounding: 100 N eps lam_1) */
    /* set by ntk_kreg_prior (NULL before): */
    double *S;     /* N x N: V Sigma(X,X) V^T */
    double *G;     /* M x N: Sigma(x,X) V^T */
    double *W;     /* N x N: S .* (B^T B) / M, for the mean variance over the test points */
    double *g;     /* N: (1/M) sum_i B_ik G_ik */
    double sbar;   /* (1/M) sum_i Sigma(x_i, x_i) */
    double *sxx;   /* M: Sigma(x_i, x_i) */
    double *scratch; /* max(N x C_max, M x N) work, grown as needed */
    size_t scratch_len;
} ntk_kreg;

/* The eigendecomposition of K (N x N) and B = K_x V^T for M >= 0 test points (K_x,
 * M x N; may be NULL when M = 0). NULL on error (ntk_last_error()): a non-finite entry,
 * K not positive semi-definite beyond rounding (GSL_EDOM, naming its extreme eigenvalues),
 * out of memory. A K that is singular is accepted here; ntk_kreg_predict then refuses
 * t = INFINITY. */
ntk_kreg *ntk_kreg_alloc(size_t N, const double *K, size_t M, const double *Kx);
void ntk_kreg_free(ntk_kreg *r); /* NULL is fine */

/* F (M x C) = K_x A_t Y for targets Y (N x C) at time t > 0 (INFINITY: K_x K^-1 Y, which
 * needs K positive definite: GSL_EDOM otherwise, F untouched). */
int ntk_kreg_predict(ntk_kreg *r, double t, size_t C, const double *Y, double *F);

/* On the training inputs: F (N x C) = K A_t Y = (I - exp(-t K/N)) Y (t >= 0 or INFINITY). */
int ntk_kreg_fit(ntk_kreg *r, double t, size_t C, const double *Y, double *F);

/* Kernel gradient descent started from a given function f_0 instead of 0:
 *   F (M x C) = f_0(x) + K_x A_t (Y - f_0(X)),
 * with F0X = f_0 on the training inputs (N x C) and F0x = f_0 on the test points
 * (M x C). With K = Theta(L) and f_0 a network's own initial function, this is where
 * the limit takes that network by time t; over f_0 ~ GP(0, Sigma) it is the limiting
 * Gaussian, of mean ntk_kreg_predict and variance ntk_kreg_var. */
int ntk_kreg_predict_from(ntk_kreg *r, double t, size_t C, const double *Y, const double *F0X, const double *F0x,
                          double *F);

/* The initialisation prior Sigma(L): Sigma (N x N) on the training inputs, Sigma_x
 * (M x N), sigma_xx (M) on the test points. Needed by the two variance functions. */
int ntk_kreg_prior(ntk_kreg *r, const double *Sigma, const double *Sigma_x, const double *sigma_xx);

/* v_t(x) of each test point into var (M), clamped at 0 against rounding. 2 M N^2 flops. */
int ntk_kreg_var(ntk_kreg *r, double t, double *var);

/* The mean of v_t(x) over the M test points, without forming each: O(N^2) per t. */
int ntk_kreg_var_mean(const ntk_kreg *r, double t, double *vbar);

/* The limit of a depth-L network (nonlinearity sigma, bias scale beta) on N training
 * inputs X and M test inputs Xt (rows of n0): the workspace of K = Theta(L), with the
 * prior Sigma(L) set (ntk_kreg_prior), and, when nngp is not NULL, into *nngp the
 * workspace of K = Sigma(L) (the NNGP posterior mean is ntk_kreg_predict at t =
 * INFINITY). The kernels come from limit.h. NULL on error (ntk_last_error()). */
ntk_kreg *ntk_kreg_limit_alloc(const ntk_nonlin *sigma, size_t L, double beta, size_t n0, size_t N,
                               const double *X, size_t M, const double *Xt, ntk_kreg **nngp);

/* Centred one-hot targets: Y (N x C) with Y_ij = [labels_i = j] - 1/C. Labels in 0..C-1
 * (GSL_EINVAL naming the first one outside). */
int ntk_kreg_onehot(size_t N, size_t C, const int *labels, double *Y);

/* Test error of predictions F (M x C) against targets Y (M x C) and labels (M):
 * *mse = (1/(M C)) sum_ij (F_ij - Y_ij)^2 (the mean over every output, as Lee et al.
 * report it), *acc = the fraction of points whose largest output (the first, on ties)
 * is the label. Either may be NULL. GSL_EDOM when F holds a non-finite value. */
int ntk_kreg_score(size_t M, size_t C, const double *F, const double *Y, const int *labels,
                   double *mse, double *acc);

/* The test error of the limit at time t (>= 0 or INFINITY), for targets Y (N x C) on the
 * training inputs and Yt (M x C) with labels (M) on the test points: the mean's
 * predictions K_x A_t Y into F (M x C), their *mse and *acc (ntk_kreg_score), and *var,
 * the variance v_t averaged over the test points (ntk_kreg_var_mean, which needs the
 * prior), so that a random limiting network's expected test MSE is *mse + *var. Each of
 * mse, acc and var may be NULL. */
int ntk_kreg_test_error(ntk_kreg *r, double t, size_t C, const double *Y, const double *Yt, const int *labels,
                        double *F, double *mse, double *acc, double *var);

#endif
