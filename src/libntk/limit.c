/* limit.c - the limiting kernels Sigma(L), Theta(L); see limit.h.
 *
 * The recursion of limit.h for one pair (x, y) needs, at every layer, the diagonal
 * entries Sigma(l)(x,x) and Sigma(l)(y,y): they follow the same recursion with x = y,
 * so each point's diagonal is computed once, through all layers ("diagonal chain"),
 * and every pair then runs its own chain over l on its off-diagonal entry alone:
 *
 *   q_x(1) = |x|^2 / n0 + beta^2,   q_x(l+1) = E[s(u) s(u)] + beta^2, u ~ N(0, q_x(l))
 *   S(1) = x.y / n0 + beta^2,  T(1) = S(1)
 *   (ess, edd) = expectations under [[q_x(l), S(l)], [S(l), q_y(l)]]
 *   S(l+1) = ess + beta^2,  T(l+1) = T(l) edd + S(l+1).
 *
 * The diagonal chain is the pair chain with x = y (the same function on the same
 * numbers), so Sigma(l)(x,x) from either is bit-for-bit the same, and so is the Gram
 * diagonal and ntk_limit_pair(x, x). For Gram and cross matrices, S(1) of all pairs
 * is one BLAS product (dsyrk for a Gram matrix: one triangle, mirrored so the result
 * is exactly symmetric; dgemm for a cross matrix); the Gram diagonal uses the same
 * dot product as the pair, not the BLAS value, to keep the bit-for-bit identity above.
 *
 * Closed forms, with d = a b - c^2 (computed from exact fma products, so it keeps
 * its relative accuracy as |rho| -> 1), r = sqrt(d) = sqrt(a b) sin(theta),
 * theta = arccos(c / sqrt(a b)) and delta = pi - theta = atan2(r, -c):
 *
 *   relu:  E[s' s'] = delta / (2 pi),
 *          E[s s]   = sqrt(a b) (sin delta - delta cos delta) / (2 pi)
 *                   = (r + delta c) / (2 pi).
 *          Near rho = -1 (delta -> 0) the difference cancels: sin d - d cos d =
 *          d^3/3 - d^5/30 + ..., summed as a series for delta < 1, so the closed form
 *          keeps full relative accuracy where the value is O(delta^3).
 *          If a or b is 0, u or v is identically 0 and both expectations are 0
 *          (relu(0) = relu'(0) = 0).
 *   erf:   E[s s]   = (2/pi) asin(2c / sqrt((1 + 2a)(1 + 2b))),
 *          E[s' s'] = (4/pi) / sqrt((1 + 2a)(1 + 2b) - 4c^2)
 *                   = (4/pi) / sqrt(1 + 2(a + b) + 4d)     (Williams 1997).
 * A smooth nonlinearity (no closed form, no kinks) uses Mehler's expansion
 * (gauss2.h): the expansions of s and s' at the variance q_x(l) are computed in the
 * diagonal chain of each point, as soon as q_x(l) is known (two 1-D adaptive
 * quadratures for E s^2, E s'^2 and a 192 x 384 GEMV each), stored per point and
 * layer in the workspace, and a pair's step is then two power series in rho of
 * max(K_x, K_y) terms (tanh on MNIST-shaped inputs: ~50). The expectation depends on
 * the covariance only through q_x, q_y and rho, and this is the split: what repeats
 * per point, once; per pair, the series. A rejected expansion (K = 0: variance too
 * large for the terms kept) sends that step to the quadrature.
 * Every other nonlinearity uses ntk_gauss2_expect (relative tolerance
 * LIMIT_EPSREL) with the table's kinks.
 *
 * Correlations are clamped: |c| up to sqrt(a b) (1 + 1e-8) is taken as +-sqrt(a b)
 * (rounding, quadrature error); beyond, the covariance is rejected.
 *
 * Speed: a relu Gram matrix is one dsyrk and (L - 1) N (N + 1) / 2 closed-form steps
 * (a sqrt, a division and an atan each). A single chain is latency-bound (each layer
 * waits for the last), so each row's chains advance together, layer by layer
 * (row_chain), and the processor overlaps them: 512 inputs of dimension 784 at depth
 * 5 take about 20 ms here (dsyrk about 3 ms of it).
 *
 * Storage: the per-point diagonals (and one row of scratch) and, for smooth
 * nonlinearities, the per-point expansions (3 KiB per point and layer: 7.5 MiB for
 * 512 points at depth 5) live in the workspace, grown (never shrunk) on demand, so
 * repeated calls of one size allocate nothing.
 *
 * Errors: bad arguments (GSL_EFAULT for NULL, GSL_EINVAL, GSL_EBADLEN for n0 = 0),
 * non-finite inputs, a kernel that overflows (GSL_EOVRFLW: square at depth 12), and
 * quadrature failures come back as status codes with a message.
 */
#include "limit.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "gauss2.h"

#define LIMIT_EPSREL 1e-12
#define LIMIT_RHO_SLACK 1e-8

/* The Mehler expansions of one point at one layer: of s and of s'. */
typedef struct {
    ntk_gauss2_hermite f, df;
} expansion;

struct ntk_limit_ws {
    ntk_gauss2_ws *g2;
    int force_quadrature;
    double *diag;    /* per-point diagonal chains, (points, L) row-major */
    size_t diag_cap; /* doubles allocated in diag */
    expansion *ex;   /* per-point expansions, (points, L) like diag (smooth s only) */
    size_t ex_cap;   /* expansions allocated in ex */
};

ntk_limit_ws *ntk_limit_alloc(void)
{
    ntk_limit_ws *ws = calloc(1, sizeof *ws);
    if (!ws) {
        ntk_error(GSL_ENOMEM, "ntk_limit_alloc: out of memory");
        return NULL;
    }
    ws->g2 = ntk_gauss2_alloc();
    if (!ws->g2) {
        free(ws);
        return NULL; /* message from ntk_gauss2_alloc */
    }
    return ws;
}

void ntk_limit_free(ntk_limit_ws *ws)
{
    if (!ws) return;
    ntk_gauss2_free(ws->g2);
    free(ws->diag);
    free(ws->ex);
    free(ws);
}

void ntk_limit_force_quadrature(ntk_limit_ws *ws, int on)
{
    if (ws) ws->force_quadrature = on != 0;
}

/* ---- the expectations ---- */

/* a b - c^2 with a b and c^2 split into exact sums by fma. */
static double cov_det(double a, double b, double c)
{
    double p = a * b, ep = fma(a, b, -p);
    double q = c * c, eq = fma(c, c, -q);
    return (p - q) + (ep - eq);
}

/* sin d - d cos d for d in [0, pi]. Below 1 it is the series
 * sum_{k>=1} (-1)^(k+1) 2k d^(2k+1) / (2k+1)!  = d^3/3 - d^5/30 + d^7/840 - ...,
 * whose 11 terms reach 1e-19 relative at d = 1 (Horner in d^2). */
static double sin_minus_dcos(double d)
{
    if (d >= 1.0) return sin(d) - d * cos(d);
    static const double c[] = {
        1.0 / 3.0,         -1.0 / 30.0,         1.0 / 840.0,         -1.0 / 45360.0,
        1.0 / 3991680.0,   -1.0 / 518918400.0,  1.0 / 93405312000.0, -1.0 / 22230464256000.0,
        1.0 / 6758061133824000.0, -1.0 / 2554547108585472000.0,
        1.0 / 1175091669949317120000.0};
    double d2 = d * d, sum = 0.0;
    for (int k = (int)(sizeof c / sizeof *c) - 1; k >= 0; k--) sum = sum * d2 + c[k];
    return sum * d2 * d;
}

/* Arc-cosine kernel; a, b >= 0. A c with c^2 > a b (by rounding) counts as
 * +-sqrt(a b). */
static inline void relu_expect(double a, double b, double c, double *ess, double *edd)
{
    if (a == 0.0 || b == 0.0) {
        *ess = 0.0;
        *edd = 0.0;
        return;
    }
    double d = cov_det(a, b, c), r = 0.0;
    if (d > 0.0)
        r = sqrt(d);
    else
        c = copysign(sqrt(a) * sqrt(b), c);
    /* delta = pi - theta = atan2(r, -c), by atan (half the price of atan2 here) */
    double delta = c < 0.0 ? atan(r / -c) : c > 0.0 ? M_PI - atan(r / c) : M_PI_2;
    *edd = delta * (0.5 / M_PI);
    if (delta >= 1.0)
        *ess = (r + delta * c) * (0.5 / M_PI);
    else
        *ess = sqrt(a) * sqrt(b) * sin_minus_dcos(delta) * (0.5 / M_PI);
}

/* Arcsine kernel. */
static void erf_expect(double a, double b, double c, double *ess, double *edd)
{
    double d = cov_det(a, b, c);
    if (d < 0.0) d = 0.0;
    double arg = 2.0 * c / sqrt((1.0 + 2.0 * a) * (1.0 + 2.0 * b));
    if (arg > 1.0) arg = 1.0;
    if (arg < -1.0) arg = -1.0;
    *ess = M_2_PI * asin(arg);
    *edd = 2.0 * M_2_PI / sqrt(1.0 + 2.0 * (a + b) + 4.0 * d);
}

/* Whether s takes the Mehler expansion: no closed form, no kink, not forced to
 * quadrature. */
static int smooth(const ntk_nonlin *s, const ntk_limit_ws *ws)
{
    return s->closed == NTK_CLOSED_NONE && s->nkinks == 0 && !ws->force_quadrature;
}

/* The expansions of s and s' at variance a (rejected ones have K = 0). */
static int expand(const ntk_nonlin *s, double a, ntk_limit_ws *ws, expansion *e)
{
    int status = ntk_gauss2_hermite_coef(s->f, a, ws->g2, &e->f);
    if (!status) status = ntk_gauss2_hermite_coef(s->df, a, ws->g2, &e->df);
    return status;
}

/* The expectations for a covariance already validated and clamped; ex, ey: the
 * expansions at a and b (NULL when s is not smooth), used when both are accepted. */
static int expect_checked(const ntk_nonlin *s, double a, double b, double c,
                          const expansion *ex, const expansion *ey, ntk_limit_ws *ws,
                          double *ess, double *edd)
{
    if (ex && ey && ex->f.K && ex->df.K && ey->f.K && ey->df.K) {
        double sab = sqrt(a) * sqrt(b), rho = sab > 0.0 ? c / sab : 0.0;
        if (rho > 1.0) rho = 1.0;
        if (rho < -1.0) rho = -1.0;
        *ess = ntk_gauss2_hermite_expect(&ex->f, &ey->f, rho);
        *edd = ntk_gauss2_hermite_expect(&ex->df, &ey->df, rho);
        return GSL_SUCCESS;
    }
    if (!ws->force_quadrature) {
        if (s->closed == NTK_CLOSED_RELU) {
            relu_expect(a, b, c, ess, edd);
            return GSL_SUCCESS;
        }
        if (s->closed == NTK_CLOSED_ERF) {
            erf_expect(a, b, c, ess, edd);
            return GSL_SUCCESS;
        }
    }
    int status = ntk_gauss2_expect(s->f, s->kinks, s->nkinks, s->f, s->kinks, s->nkinks, a,
                                   b, c, LIMIT_EPSREL, ws->g2, ess);
    if (!status)
        status = ntk_gauss2_expect(s->df, s->kinks, s->nkinks, s->df, s->kinks, s->nkinks,
                                   a, b, c, LIMIT_EPSREL, ws->g2, edd);
    return status; /* message from ntk_gauss2_expect */
}

/* Check a covariance and clamp c into [-sqrt(a b), sqrt(a b)]. */
static int check_cov(const char *who, double a, double b, double *c)
{
    if (!isfinite(a) || !isfinite(b) || !isfinite(*c) || a < 0.0 || b < 0.0)
        NTK_FAIL(GSL_EINVAL, "%s: bad covariance [[%g, %g], [%g, %g]]", who, a, *c, *c, b);
    double sab = sqrt(a) * sqrt(b);
    if (fabs(*c) > sab * (1.0 + LIMIT_RHO_SLACK))
        NTK_FAIL(GSL_EINVAL, "%s: covariance [[%g, %g], [%g, %g]] is not positive semi-definite",
                 who, a, *c, *c, b);
    if (*c > sab) *c = sab;
    if (*c < -sab) *c = -sab;
    return GSL_SUCCESS;
}

int ntk_limit_expect(const ntk_nonlin *s, double a, double b, double c,
                     ntk_limit_ws *ws, double *ess, double *edd)
{
    if (!s || !ws || !ess || !edd) NTK_FAIL(GSL_EFAULT, "ntk_limit_expect: NULL argument");
    int status = check_cov("ntk_limit_expect", a, b, &c);
    if (status) return status;
    if (smooth(s, ws)) {
        expansion e[2];
        if ((status = expand(s, a, ws, &e[0]))) return status;
        if (b != a && (status = expand(s, b, ws, &e[1]))) return status;
        return expect_checked(s, a, b, c, &e[0], b != a ? &e[1] : &e[0], ws, ess, edd);
    }
    return expect_checked(s, a, b, c, NULL, NULL, ws, ess, edd);
}

/* ---- the layer recursion ---- */

/* Sigma(1)(x,y) = x.y / n0 + beta^2: the one dot product used for pairs and for every
 * diagonal. */
static double sigma1(const double *x, const double *y, size_t n0, double beta2)
{
    double acc = 0.0;
    for (size_t i = 0; i < n0; i++) acc += x[i] * y[i];
    return acc / (double)n0 + beta2;
}

/* One layer: from S = Sigma(l)(x,y), T = Theta(l)(x,y) and the diagonals a, b to
 * Sigma(l+1), Theta(l+1); ex, ey the expansions at a and b (NULL unless s is
 * smooth). Pairs and diagonals both go through here. */
static inline int step(const ntk_nonlin *s, double beta2, double a, double b,
                       const expansion *ex, const expansion *ey, double *S, double *T,
                       ntk_limit_ws *ws)
{
    double ess, edd, c = *S;
    if (s->closed == NTK_CLOSED_RELU && !ws->force_quadrature) {
        /* the hot loop of a relu Gram matrix: a, b, c come from this file, valid,
         * and relu_expect clamps c itself */
        relu_expect(a, b, c, &ess, &edd);
    } else {
        int status = check_cov("ntk_limit", a, b, &c);
        if (!status) status = expect_checked(s, a, b, c, ex, ey, ws, &ess, &edd);
        if (status) return status;
    }
    *S = ess + beta2;
    *T = *T * edd + *S;
    if (!isfinite(*T)) /* S finite, as the expectation of the next layer checks */
        NTK_FAIL(GSL_EOVRFLW, "ntk_limit: Theta overflows (%s grows too fast with depth)",
                 s->name);
    return GSL_SUCCESS;
}

/* The chain of one pair from S(1) = c1 to S(L), T(L); qx, qy (L values each) are the
 * diagonal chains of the two points (entries 0..L-2 are read), ex, ey their
 * expansions (L each, or NULL). */
static int chain(const ntk_nonlin *s, size_t L, double beta2, double c1, const double *qx,
                 const double *qy, const expansion *ex, const expansion *ey, ntk_limit_ws *ws,
                 double *sigma, double *theta)
{
    double S = c1, T = c1;
    for (size_t l = 0; l + 1 < L; l++) {
        int status = step(s, beta2, qx[l], qy[l], ex ? ex + l : NULL, ey ? ey + l : NULL, &S,
                          &T, ws);
        if (status) return status;
    }
    *sigma = S;
    *theta = T;
    return GSL_SUCCESS;
}

/* q[0..L-1] = Sigma(l)(x,x), l = 1..L: the pair chain with x = y, kept at every layer.
 * ex (L expansions, or NULL when s is not smooth) receives the expansions at
 * q[0..L-2], each computed as soon as its variance is known. */
static int diag_chain(const ntk_nonlin *s, size_t L, double beta2, const double *x,
                      size_t n0, ntk_limit_ws *ws, double *q, expansion *ex)
{
    q[0] = sigma1(x, x, n0, beta2);
    if (!isfinite(q[0]))
        NTK_FAIL(GSL_EDOM, "ntk_limit: |x|^2 / n0 overflows (input too large)");
    double S = q[0], T = q[0];
    for (size_t l = 1; l < L; l++) {
        const expansion *e = NULL;
        if (ex) {
            int status = expand(s, q[l - 1], ws, &ex[l - 1]);
            if (status) return status;
            e = &ex[l - 1];
        }
        int status = step(s, beta2, q[l - 1], q[l - 1], e, e, &S, &T, ws);
        if (status) return status;
        q[l] = S;
    }
    return GSL_SUCCESS;
}

/* The chains of n pairs (x, y_j) at once, layer by layer: S[j], T[j] hold S(1) on entry
 * and S(L), T(L) on return; qx (L values) is the diagonal chain of x, qy (n, L) those
 * of the y_j. The same arithmetic as chain() for each pair; running the independent
 * pairs side by side lets the processor overlap their latencies (sqrt, division,
 * atan), which a single chain, each layer waiting for the last, cannot. */
static int row_chain(const ntk_nonlin *s, size_t L, double beta2, const double *qx,
                     const double *qy, const expansion *ex, const expansion *ey, size_t n,
                     double *S, double *T, ntk_limit_ws *ws)
{
    for (size_t l = 0; l + 1 < L; l++) {
        for (size_t j = 0; j < n; j++) {
            int status = step(s, beta2, qx[l], qy[j * L + l], ex ? ex + l : NULL,
                              ey ? ey + j * L + l : NULL, &S[j], &T[j], ws);
            if (status) return status;
        }
    }
    return GSL_SUCCESS;
}

/* Grow ws->diag to n doubles. */
static int reserve(ntk_limit_ws *ws, size_t n, const char *who)
{
    if (n <= ws->diag_cap) return GSL_SUCCESS;
    double *p = realloc(ws->diag, n * sizeof *p);
    if (!p) NTK_FAIL(GSL_ENOMEM, "%s: out of memory (%zu doubles)", who, n);
    ws->diag = p;
    ws->diag_cap = n;
    return GSL_SUCCESS;
}

/* ws->ex with room for n expansions when s is smooth (*ex = ws->ex), else *ex = NULL.
 * n is at most the diag size already reserved, so n * sizeof(expansion) fits. */
static int reserve_ex(const ntk_nonlin *s, ntk_limit_ws *ws, size_t n, expansion **ex,
                      const char *who)
{
    *ex = NULL;
    if (!smooth(s, ws)) return GSL_SUCCESS;
    if (n > ((size_t)-1) / sizeof(expansion))
        NTK_FAIL(GSL_EINVAL, "%s: too many points for the expansions", who);
    if (n > ws->ex_cap) {
        expansion *p = realloc(ws->ex, n * sizeof *p);
        if (!p)
            NTK_FAIL(GSL_ENOMEM, "%s: out of memory (%zu expansions, %.1f MiB)", who, n,
                     (double)(n * sizeof *p) / (1 << 20));
        ws->ex = p;
        ws->ex_cap = n;
    }
    *ex = ws->ex;
    return GSL_SUCCESS;
}

static int check_common(const char *who, const ntk_nonlin *s, size_t L, double beta,
                        size_t n0, const ntk_limit_ws *ws)
{
    if (!s || !ws) NTK_FAIL(GSL_EFAULT, "%s: NULL argument", who);
    if (L < 1) NTK_FAIL(GSL_EINVAL, "%s: depth L = %zu must be >= 1", who, L);
    if (!isfinite(beta) || beta < 0.0)
        NTK_FAIL(GSL_EINVAL, "%s: beta = %g must be finite and >= 0", who, beta);
    if (n0 < 1) NTK_FAIL(GSL_EBADLEN, "%s: input dimension n0 = 0", who);
    return GSL_SUCCESS;
}

static int check_finite(const char *who, const char *name, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            NTK_FAIL(GSL_EINVAL, "%s: %s[%zu] = %g is not finite", who, name, i, x[i]);
    return GSL_SUCCESS;
}

int ntk_limit_pair(const ntk_nonlin *s, size_t L, double beta,
                   const double *x, const double *y, size_t n0,
                   ntk_limit_ws *ws, double *sigma, double *theta)
{
    const char *who = "ntk_limit_pair";
    int status = check_common(who, s, L, beta, n0, ws);
    if (status) return status;
    if (!x || !y || !sigma || !theta) NTK_FAIL(GSL_EFAULT, "%s: NULL argument", who);
    if ((status = check_finite(who, "x", x, n0))) return status;
    if ((status = check_finite(who, "y", y, n0))) return status;
    if (L > ((size_t)-1) / (2 * sizeof(double)))
        NTK_FAIL(GSL_EINVAL, "%s: depth L = %zu too large", who, L);
    if ((status = reserve(ws, 2 * L, who))) return status;
    expansion *ex;
    if ((status = reserve_ex(s, ws, 2 * L, &ex, who))) return status;

    double beta2 = beta * beta, *qx = ws->diag, *qy = ws->diag + L; /* L values each */
    expansion *ey = ex ? ex + L : NULL;
    if ((status = diag_chain(s, L, beta2, x, n0, ws, qx, ex))) return status;
    if ((status = diag_chain(s, L, beta2, y, n0, ws, qy, ey))) return status;
    return chain(s, L, beta2, sigma1(x, y, n0, beta2), qx, qy, ex, ey, ws, sigma, theta);
}

int ntk_limit_gram(const ntk_nonlin *s, size_t L, double beta,
                   const double *X, size_t N, size_t n0,
                   ntk_limit_ws *ws, double *Sigma, double *Theta)
{
    const char *who = "ntk_limit_gram";
    int status = check_common(who, s, L, beta, n0, ws);
    if (status) return status;
    if (N == 0) return GSL_SUCCESS;
    if (!X || !Theta) NTK_FAIL(GSL_EFAULT, "%s: NULL argument", who);
    if (N > INT_MAX || n0 > INT_MAX || N > ((size_t)-1) / n0 || N > ((size_t)-1) / N)
        NTK_FAIL(GSL_EINVAL, "%s: N = %zu, n0 = %zu too large", who, N, n0);
    if ((status = check_finite(who, "X", X, N * n0))) return status;
    if (L + 1 > ((size_t)-1) / (N * sizeof(double)))
        NTK_FAIL(GSL_EINVAL, "%s: N L too large", who);
    if ((status = reserve(ws, N * L + N, who))) return status;
    expansion *ex; /* (N, L), or NULL */
    if ((status = reserve_ex(s, ws, N * L, &ex, who))) return status;

    double beta2 = beta * beta;
    double *q = ws->diag;               /* (N, L): row i = diagonal chain of x_i */
    double *scratch = ws->diag + N * L; /* (N): Sigma row when Sigma is NULL */
    for (size_t i = 0; i < N; i++)
        if ((status = diag_chain(s, L, beta2, X + i * n0, n0, ws, q + i * L,
                                 ex ? ex + i * L : NULL)))
            return status;

    /* Upper triangle of X X^T / n0 into Theta (N x N); each row is then turned into
     * Theta(L) in place and mirrored into the lower triangle. */
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)N, (int)n0, 1.0 / (double)n0,
                X, (int)n0, 0.0, Theta, (int)N);
    for (size_t i = 0; i < N; i++) {
        double *T = Theta + i * N + i, *S = Sigma ? Sigma + i * N + i : scratch; /* N - i */
        T[0] = q[i * L]; /* the diagonal: the pair's own dot product, not the BLAS one */
        for (size_t k = 1; k < N - i; k++) T[k] += beta2;
        for (size_t k = 0; k < N - i; k++) S[k] = T[k];
        status = row_chain(s, L, beta2, q + i * L, q + i * L, ex ? ex + i * L : NULL,
                           ex ? ex + i * L : NULL, N - i, S, T, ws);
        if (status) return status;
        for (size_t j = i + 1; j < N; j++) {
            Theta[j * N + i] = Theta[i * N + j];
            if (Sigma) Sigma[j * N + i] = Sigma[i * N + j];
        }
    }
    return GSL_SUCCESS;
}

int ntk_limit_cross(const ntk_nonlin *s, size_t L, double beta,
                    const double *X1, size_t N1, const double *X2, size_t N2, size_t n0,
                    ntk_limit_ws *ws, double *Sigma, double *Theta)
{
    const char *who = "ntk_limit_cross";
    int status = check_common(who, s, L, beta, n0, ws);
    if (status) return status;
    if (N1 == 0 || N2 == 0) return GSL_SUCCESS;
    if (!X1 || !X2 || !Theta) NTK_FAIL(GSL_EFAULT, "%s: NULL argument", who);
    size_t N = N1 + N2;
    if (N1 > INT_MAX || N2 > INT_MAX || n0 > INT_MAX || N > ((size_t)-1) / n0 ||
        N1 > ((size_t)-1) / N2)
        NTK_FAIL(GSL_EINVAL, "%s: N1 = %zu, N2 = %zu too large", who, N1, N2);
    if ((status = check_finite(who, "X1", X1, N1 * n0))) return status;
    if ((status = check_finite(who, "X2", X2, N2 * n0))) return status;
    if (L + 1 > ((size_t)-1) / (N * sizeof(double)))
        NTK_FAIL(GSL_EINVAL, "%s: (N1 + N2) L too large", who);
    if ((status = reserve(ws, N * L + N2, who))) return status;
    expansion *e1; /* (N1 + N2, L), or NULL */
    if ((status = reserve_ex(s, ws, N * L, &e1, who))) return status;
    expansion *e2 = e1 ? e1 + N1 * L : NULL;

    double beta2 = beta * beta;
    double *q1 = ws->diag, *q2 = ws->diag + N1 * L; /* (N1, L) and (N2, L) */
    double *scratch = ws->diag + N * L;             /* (N2): Sigma row when Sigma is NULL */
    for (size_t i = 0; i < N1; i++)
        if ((status = diag_chain(s, L, beta2, X1 + i * n0, n0, ws, q1 + i * L,
                                 e1 ? e1 + i * L : NULL)))
            return status;
    for (size_t j = 0; j < N2; j++)
        if ((status = diag_chain(s, L, beta2, X2 + j * n0, n0, ws, q2 + j * L,
                                 e2 ? e2 + j * L : NULL)))
            return status;

    /* X1 X2^T / n0 into Theta (N1 x N2), each row then turned into Theta(L) in place. */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N1, (int)N2, (int)n0,
                1.0 / (double)n0, X1, (int)n0, X2, (int)n0, 0.0, Theta, (int)N2);
    for (size_t i = 0; i < N1; i++) {
        double *T = Theta + i * N2, *S = Sigma ? Sigma + i * N2 : scratch; /* N2 each */
        for (size_t j = 0; j < N2; j++) {
            T[j] += beta2;
            S[j] = T[j];
        }
        status = row_chain(s, L, beta2, q1 + i * L, q2, e1 ? e1 + i * L : NULL, e2, N2, S, T,
                           ws);
        if (status) return status;
    }
    return GSL_SUCCESS;
}

/* C(a, k) in double: exact while it stays below 2^53 (each partial product is itself a
 * binomial coefficient, an integer). */
static double choose(double a, double k)
{
    if (k < 0.0 || k > a) return 0.0;
    if (a - k < k) k = a - k;
    double r = 1.0;
    for (double j = 1.0; j <= k; j++) r = r * (a - k + j) / j;
    return r;
}

double ntk_limit_rank_bound(const ntk_nonlin *s, size_t L, size_t n0)
{
    double d;
    if (L == 1 || strcmp(s->name, "identity") == 0) d = 1.0;
    else if (strcmp(s->name, "square") == 0 && L <= 40) d = ldexp(1.0, (int)L - 1);
    else return 0.0;
    double n = (double)n0, r = choose(n + d - 1.0, d) + choose(n + d - 2.0, d - 1.0);
    return r < 0x1p53 ? r : 0.0;
}
