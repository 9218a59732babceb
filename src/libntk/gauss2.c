/* gauss2.c - E[f(u) g(v)] over a centred 2-D Gaussian by nested adaptive quadrature;
 * see gauss2.h.
 *
 * Coordinates. With (a, b, c) the covariance, rho = c / sqrt(a b) and
 * s = sqrt(1 - rho^2), write u = sqrt(a) z1, v = sqrt(b) (rho z1 + s z2), z1, z2
 * independent N(0, 1), phi the standard normal density:
 *
 *   E[f(u) g(v)] = int phi(z1) f(sqrt(a) z1) I(z1) dz1,
 *   I(z1)        = int phi(z2) g(sqrt(b) (rho z1 + s z2)) dz2        (the inner integral).
 *
 * Both levels run over [-T, T] (T = NTK_GAUSS2_RANGE = 12: the mass beyond is
 * 2 Phi(-12) ~ 4e-33), split at breakpoints into pieces on which the integrand is
 * smooth, and integrated by adaptive bisection with GSL's 21-point Gauss-Kronrod rule
 * (gsl_integration_qk21): the piece with the largest error estimate is halved until
 * the estimates add up to the tolerance. (The inner level is often integrated in the
 * shifted variable t = z2 + rho z1 / s, v = sqrt(b) s t, so that the quadrature nodes
 * are exact where g is steep: see inner_integral.)
 *
 * Breakpoints. A kink k of g sits at v = k, i.e. z2 = (k / sqrt(b) - rho z1) / s
 * (t = k / (sqrt(b) s)) for the inner integral; a kink k of f at z1 = k / sqrt(a).
 * The inner integral I(z1) is g
 * smoothed by a Gaussian of standard deviation sqrt(b) s, as a function of
 * sqrt(b) rho z1: where g has a kink, I has a smoothed kink at z1* = k / (sqrt(b) rho)
 * of width w = s / |rho| in z1. As |rho| -> 1 this is a near-kink that the outer level
 * must resolve; so z1* and z1* +- w {1, 4, 16} become outer breakpoints when w is
 * small, which turns the sharp layer into pieces on which the integrand is smooth at
 * the pieces' own scale. The point 0 (relu's kink; the centre of tanh, erf,
 * sigmoid, ...) is a breakpoint for both functions in any case: an extra breakpoint
 * costs one Kronrod rule, never accuracy. Breakpoints outside (-T, T) are dropped,
 * the rest sorted and deduplicated.
 *
 * Exact special cases, so that no 2-D quadrature runs where the problem is 1-D:
 *   a b = 0 or c = 0 (rho = 0):  E[f(u)] E[g(v)], each 1-D (f(0) when a = 0);
 *   a b = c^2 (|rho| = 1):       int phi(z) f(sqrt(a) z) g(+-sqrt(b) z) dz, 1-D.
 * 1 - rho^2 is computed as (a b - c^2) / (a b) with a b and c^2 split exactly by fma,
 * so s keeps full relative accuracy as |rho| -> 1 (a naive 1 - rho^2 loses
 * log10(1 / (1 - rho^2)) digits, and E[relu relu] near rho = -1 is O(s^3)).
 *
 * Tolerances. Each 1-D integral of h aims at an error below eps int |h|, int |h| from
 * the first Kronrod rule on every piece (eps = epsrel for the outer level and for
 * the 1-D cases, epsrel / 4 for the inner level, never below 5e-14, a little above the
 * rule's own round-off floor 50 DBL_EPSILON int |h|). For an integrand of one sign this
 * is a relative tolerance, at every z1: that is what E[relu relu] near rho = -1
 * (a value O(s^3) living on a layer of width s) needs. Where f g changes sign and
 * cancels (tanh against tanh at rho = 0 is exactly 0), relative accuracy does not
 * exist in floating point and the target is eps E|f(u) g(v)| instead (inner errors add
 * at most epsrel / 4 E|f(u) g(v)|).
 *
 * Bisection stops early, as QUADPACK's does, when halving stops reducing the error
 * (a rounding-noise floor: tanh' = 1 - tanh^2 is noisy where it is tiny, for one).
 * Such a result is kept when its total error estimate (outer estimate, plus for each
 * early-stopped inner integral sup |f| phi err(I) over the outer range) stays below
 * epsrel sqrt(E f(u)^2 E g(v)^2), the Cauchy-Schwarz bound of |E[f g]|; otherwise the
 * call fails with GSL_ETOL. Nothing here calls GSL's error handler: GSL's own drivers
 * (qag, qagp) report round-off through it, and qagp's level-based heuristics, fed
 * breakpoints of very different spacings, bisect pieces already at round-off level
 * and give up with GSL_EROUND on easy integrals (erf against erf at rho = 0.999999).
 *
 * Covariance check: a, b >= 0 and finite, c finite with |c| <= sqrt(a b) (1 + 1e-8);
 * the slack lets rounding and quadrature error on computed kernels through (c is then
 * clamped to +-sqrt(a b)); anything further is GSL_EINVAL.
 */
#include "gauss2.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "blas.h"
#include "error.h"

#define GAUSS2_PIECES 1000       /* pieces per level (a bisection count limit) */
#define GAUSS2_MAX_KINKS 8       /* kinks per function accepted by ntk_gauss2_expect */
#define GAUSS2_RHO_SLACK 1e-8    /* |c| may exceed sqrt(a b) by this relative amount */
#define GAUSS2_EPS_FLOOR 5e-14   /* smallest tolerance asked of one level */
#define GAUSS2_SHARP 0.25        /* add the layer breakpoints when w < this */

/* Candidate breakpoints: per function its kinks plus 0; the outer level 7 per g-kink. */
#define GAUSS2_MAX_PTS (2 + (GAUSS2_MAX_KINKS + 1) * 8)

/* One piece of an adaptive integration. */
typedef struct {
    double a, b; /* the interval */
    double r, e; /* Kronrod value and error estimate */
} piece;

struct ntk_gauss2_ws {
    piece *outer, *inner; /* GAUSS2_PIECES each: one set per level of the nesting */

    /* The problem being integrated, read by the integrands below. */
    double (*f)(double), (*g)(double);
    const double *kg;   /* kinks of g (nkg); 0 is added */
    size_t nkg;
    double sa, sb;      /* sqrt(a), sqrt(b) */
    double rho, s;      /* correlation and sqrt(1 - rho^2) */
    double sbs;         /* sqrt(b) s */
    double sign;        /* +-1 for the 1-D case |rho| = 1 */
    double eps_inner;   /* tolerance of the inner level */
    size_t inner_short; /* inner integrals stopped before their tolerance */
    double inner_err;   /* sup over those of |f| phi err(I) (times 2T at the end) */

    /* The Gauss-Hermite rule of the Mehler expansion, built on first use:
     * gh_z the nodes (NTK_GAUSS2_HERMITE_NODES), gh_P (NTK_GAUSS2_HERMITE_K x nodes,
     * row-major) gh_P[k][i] = w_i He_k(z_i) / sqrt(k!), w_i the weights of the
     * standard normal measure. */
    double *gh_z, *gh_P;
    double gh_F[NTK_GAUSS2_HERMITE_NODES]; /* f at the nodes, scratch */
};

ntk_gauss2_ws *ntk_gauss2_alloc(void)
{
    ntk_gauss2_ws *ws = calloc(1, sizeof *ws);
    piece *p = malloc(2 * GAUSS2_PIECES * sizeof *p);
    if (!ws || !p) {
        free(ws);
        free(p);
        ntk_error(GSL_ENOMEM, "ntk_gauss2_alloc: out of memory");
        return NULL;
    }
    ws->outer = p;
    ws->inner = p + GAUSS2_PIECES;
    return ws;
}

void ntk_gauss2_free(ntk_gauss2_ws *ws)
{
    if (!ws) return;
    free(ws->outer); /* the one block behind outer and inner */
    free(ws->gh_z);
    free(ws->gh_P);
    free(ws);
}

/* The standard normal density. */
static double phi(double z) { return exp(-0.5 * z * z) * (0.5 * M_2_SQRTPI * M_SQRT1_2); }

/* pts[0..n-1]: lo, the candidates cand[0..nc-1] inside (lo, hi) sorted and without
 * duplicates, hi. Returns n. pts has room for nc + 2 values. */
static size_t make_points(double *pts, double lo, double hi, const double *cand, size_t nc)
{
    size_t n = 0;
    pts[n++] = lo;
    for (size_t i = 0; i < nc; i++) {
        double x = cand[i];
        if (!(x > lo && x < hi)) continue; /* also drops NaN */
        size_t j = n;                       /* insertion sort: n is small */
        while (j > 1 && pts[j - 1] > x) {
            pts[j] = pts[j - 1];
            j--;
        }
        pts[j] = x;
        n++;
    }
    /* drop points that coincide (to rounding) with their predecessor */
    const double tiny = 8.0 * DBL_EPSILON * (fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi));
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (pts[i] - pts[m - 1] > tiny) pts[m++] = pts[i];
    if (hi - pts[m - 1] > tiny)
        pts[m++] = hi;
    else
        pts[m - 1] = hi;
    return m;
}

/* int h over [pts[0], pts[npts-1]], breakpoints pts, aiming at an error below
 * eps int |h|: *result, *abserr (the sum of the pieces' estimates). Returns 1 when
 * that is reached, 0 when bisection stopped before (round-off floor, or all p[0..cap)
 * used). */
static int adapt(const gsl_function *h, const double *pts, size_t npts, double eps,
                 piece *p, size_t cap, double *result, double *abserr)
{
    size_t n = 0;
    double err = 0.0, sumabs = 0.0;
    for (size_t i = 0; i + 1 < npts; i++) {
        double ra, rasc;
        piece *q = &p[n++];
        q->a = pts[i];
        q->b = pts[i + 1];
        gsl_integration_qk21(h, q->a, q->b, &q->r, &q->e, &ra, &rasc);
        err += q->e;
        sumabs += ra;
    }
    const double tol = eps * sumabs;
    int stalled = 0, grew = 0;
    while (err > tol && n < cap) {
        size_t k = 0; /* the piece with the largest error */
        for (size_t i = 1; i < n; i++)
            if (p[i].e > p[k].e) k = i;
        piece old = p[k], *lo = &p[k], *hi = &p[n];
        double mid = 0.5 * (old.a + old.b), ra, rasc;
        if (!(old.a < mid && mid < old.b)) break; /* cannot be halved */
        lo->a = old.a;
        lo->b = mid;
        hi->a = mid;
        hi->b = old.b;
        gsl_integration_qk21(h, lo->a, lo->b, &lo->r, &lo->e, &ra, &rasc);
        gsl_integration_qk21(h, hi->a, hi->b, &hi->r, &hi->e, &ra, &rasc);
        n++;
        double r12 = lo->r + hi->r, e12 = lo->e + hi->e;
        err += e12 - old.e;
        /* QUADPACK's round-off tests: halving changed neither value nor error, or
         * the error grew */
        if (fabs(old.r - r12) <= 1e-5 * fabs(r12) && e12 >= 0.99 * old.e) stalled++;
        if (e12 > old.e) grew++;
        if (stalled >= 10 || grew >= 20) break;
    }
    double r = 0.0, e = 0.0;
    for (size_t i = 0; i < n; i++) {
        r += p[i].r;
        e += p[i].e;
    }
    *result = r;
    *abserr = e;
    return e <= tol;
}

/* ---- integrands ---- */

/* The inner integrand, in one of two variables. With mu = rho z1 / s,
 * v = sqrt(b) s (z2 + mu), and
 *   I(z1) = int phi(z2) g(sqrt(b) s (z2 + mu)) dz2 = int phi(t - mu) g(sqrt(b) s t) dt.
 * Rounding of the quadrature nodes (relative DBL_EPSILON) shifts each evaluation by
 * eps |node|, which matters where the integrand is steep: g near v = 0 when b is
 * large (erf' at b = 1000 has width 0.03 in v). In t, v = 0 is the node t = 0, so
 * nodes there are exact; but when |mu| is large the nodes t ~ mu are coarse in
 * phi(t - mu). So t is the variable when v = 0 lies within 2T of the bulk of phi
 * (|mu| <= 2T), z2 otherwise (then g's steep part, if any, sits where
 * phi < phi(T)). */
struct inner_params {
    const ntk_gauss2_ws *ws;
    double mu;
};

static double inner_integrand_t(double t, void *params)
{
    const struct inner_params *p = params;
    return p->ws->g(p->ws->sbs * t) * phi(t - p->mu);
}

static double inner_integrand_z(double z2, void *params)
{
    const struct inner_params *p = params;
    return p->ws->g(p->ws->sbs * (z2 + p->mu)) * phi(z2);
}

/* I(z1) of the header comment, and its error estimate (0 when within tolerance). */
static double inner_integral(ntk_gauss2_ws *ws, double z1, double *err)
{
    const double T = NTK_GAUSS2_RANGE;
    double cand[GAUSS2_MAX_KINKS + 1], pts[GAUSS2_MAX_KINKS + 3];
    struct inner_params p = {ws, ws->rho * z1 / ws->s};
    int in_t = fabs(p.mu) <= 2.0 * T;
    double shift = in_t ? 0.0 : p.mu; /* kink v = k sits at t = k / sbs, z2 = t - mu */
    size_t nc = 0;
    cand[nc++] = -shift; /* v = 0 */
    for (size_t k = 0; k < ws->nkg; k++) cand[nc++] = ws->kg[k] / ws->sbs - shift;
    size_t np = in_t ? make_points(pts, p.mu - T, p.mu + T, cand, nc)
                     : make_points(pts, -T, T, cand, nc);
    gsl_function h = {in_t ? inner_integrand_t : inner_integrand_z, &p};
    double I;
    if (!adapt(&h, pts, np, ws->eps_inner, ws->inner, GAUSS2_PIECES, &I, err))
        ws->inner_short++;
    else
        *err = 0.0; /* within its tolerance: accounted for in the header's bound */
    return I;
}

/* phi(z1) f(sqrt(a) z1) I(z1) */
static double outer_integrand(double z1, void *params)
{
    ntk_gauss2_ws *ws = params;
    double fu = ws->f(ws->sa * z1);
    if (fu == 0.0) return 0.0; /* relu on half the line: no inner integral needed */
    double err, w = fu * phi(z1);
    double I = inner_integral(ws, z1, &err);
    if (fabs(w) * err > ws->inner_err) ws->inner_err = fabs(w) * err;
    return w * I;
}

/* phi(z) f(sqrt(a) z) g(sign sqrt(b) z): the 1-D case |rho| = 1 */
static double line_integrand(double z, void *params)
{
    const ntk_gauss2_ws *ws = params;
    return ws->f(ws->sa * z) * ws->g(ws->sign * ws->sb * z) * phi(z);
}

/* phi(z) f(sd z)^power, for E[f(w)] and E[f(w)^2], w ~ N(0, sd^2) */
struct single_params {
    double (*f)(double);
    double sd;
    int power;
};

static double single_integrand(double z, void *params)
{
    const struct single_params *p = params;
    double y = p->f(p->sd * z);
    return (p->power == 2 ? y * y : y) * phi(z);
}

/* E[f(w)^power], w ~ N(0, var), power 1 or 2; returns adapt's verdict. */
static int moment_1d(double (*f)(double), const double *kinks, size_t nk, double var,
                     int power, double eps, ntk_gauss2_ws *ws, double *result,
                     double *abserr)
{
    if (var == 0.0) {
        double y = f(0.0);
        *result = power == 2 ? y * y : y;
        *abserr = 0.0;
        return 1;
    }
    struct single_params p = {f, sqrt(var), power};
    double cand[GAUSS2_MAX_KINKS + 1], pts[GAUSS2_MAX_KINKS + 3];
    size_t nc = 0;
    cand[nc++] = 0.0;
    for (size_t k = 0; k < nk; k++) cand[nc++] = kinks[k] / p.sd;
    size_t np = make_points(pts, -NTK_GAUSS2_RANGE, NTK_GAUSS2_RANGE, cand, nc);
    gsl_function h = {single_integrand, &p};
    return adapt(&h, pts, np, eps, ws->outer, GAUSS2_PIECES, result, abserr);
}

/* ---- the expectation ---- */

/* The end of every computation: a finite result that met its tolerance is returned as
 * it is (ok = 1); one that missed it is kept if err <= epsrel sqrt(E f^2 E g^2). */
static int accept(int ok, double result, double (*f)(double), const double *kf, size_t nkf,
                  double (*g)(double), const double *kg, size_t nkg, double a, double b,
                  double c, double epsrel, double err, ntk_gauss2_ws *ws)
{
    if (!isfinite(result))
        NTK_FAIL(GSL_EOVRFLW,
                 "ntk_gauss2_expect: E[f g] is not finite on covariance [[%g, %g], [%g, %g]] "
                 "(overflow)",
                 a, c, c, b);
    if (ok) return GSL_SUCCESS;
    double f2, g2, e;
    moment_1d(f, kf, nkf, a, 2, 1e-6, ws, &f2, &e);
    moment_1d(g, kg, nkg, b, 2, 1e-6, ws, &g2, &e);
    double bound = epsrel * sqrt(f2 * g2);
    if (err <= bound) return GSL_SUCCESS;
    NTK_FAIL(GSL_ETOL,
             "ntk_gauss2_expect: quadrature error estimate %.3g exceeds %.3g (epsrel %g of "
             "sqrt(E f^2 E g^2)) on covariance [[%g, %g], [%g, %g]]: integrand too noisy?",
             err, bound, epsrel, a, c, c, b);
}

int ntk_gauss2_expect(double (*f)(double), const double *kinks_f, size_t nkf,
                      double (*g)(double), const double *kinks_g, size_t nkg,
                      double a, double b, double c, double epsrel,
                      ntk_gauss2_ws *ws, double *result)
{
    if (!f || !g || !ws || !result || (nkf && !kinks_f) || (nkg && !kinks_g))
        NTK_FAIL(GSL_EFAULT, "ntk_gauss2_expect: NULL argument");
    if (nkf > GAUSS2_MAX_KINKS || nkg > GAUSS2_MAX_KINKS)
        NTK_FAIL(GSL_EINVAL, "ntk_gauss2_expect: at most %d kinks per function",
                 GAUSS2_MAX_KINKS);
    for (size_t k = 0; k < nkf; k++)
        if (!isfinite(kinks_f[k])) NTK_FAIL(GSL_EINVAL, "ntk_gauss2_expect: kink not finite");
    for (size_t k = 0; k < nkg; k++)
        if (!isfinite(kinks_g[k])) NTK_FAIL(GSL_EINVAL, "ntk_gauss2_expect: kink not finite");
    if (!(epsrel > 0.0) || !isfinite(epsrel))
        NTK_FAIL(GSL_EINVAL, "ntk_gauss2_expect: epsrel = %g must be positive", epsrel);
    if (!isfinite(a) || !isfinite(b) || !isfinite(c) || a < 0.0 || b < 0.0)
        NTK_FAIL(GSL_EINVAL, "ntk_gauss2_expect: bad covariance [[%g, %g], [%g, %g]]", a, c,
                 c, b);
    double sab = sqrt(a) * sqrt(b);
    if (fabs(c) > sab * (1.0 + GAUSS2_RHO_SLACK))
        NTK_FAIL(GSL_EINVAL,
                 "ntk_gauss2_expect: covariance [[%g, %g], [%g, %g]] is not positive "
                 "semi-definite",
                 a, c, c, b);

    const double eps = epsrel > GAUSS2_EPS_FLOOR ? epsrel : GAUSS2_EPS_FLOOR;
    double err;
    *result = 0.0;
    ws->f = f;
    ws->g = g;
    ws->kg = kinks_g;
    ws->nkg = nkg;
    ws->sa = sqrt(a);
    ws->sb = sqrt(b);
    ws->rho = 0.0;

    /* Independent (rho = 0): a product of 1-D expectations. */
    if (sab == 0.0 || c == 0.0) {
        double ef, eg, errf, errg;
        int okf = moment_1d(f, kinks_f, nkf, a, 1, eps, ws, &ef, &errf);
        int okg = moment_1d(g, kinks_g, nkg, b, 1, eps, ws, &eg, &errg);
        *result = ef * eg;
        return accept(okf && okg, *result, f, kinks_f, nkf, g, kinks_g, nkg, a, b, c, epsrel,
                      fabs(ef) * errg + fabs(eg) * errf + errf * errg, ws);
    }

    /* 1 - rho^2 = (a b - c^2) / (a b), the difference taken from exact products. */
    double p = a * b, ep = fma(a, b, -p);
    double q = c * c, eq = fma(c, c, -q);
    double d = (p - q) + (ep - eq);
    double rho = c / sab, s2 = d / p;
    if (rho > 1.0) rho = 1.0;
    if (rho < -1.0) rho = -1.0;
    ws->rho = rho;
    ws->s = s2 > 0.0 ? sqrt(s2 < 1.0 ? s2 : 1.0) : 0.0;
    ws->sbs = ws->sb * ws->s;

    double cand[GAUSS2_MAX_PTS], pts[GAUSS2_MAX_PTS + 2];
    size_t nc = 0;
    cand[nc++] = 0.0;
    for (size_t k = 0; k < nkf; k++) cand[nc++] = kinks_f[k] / ws->sa;

    /* |rho| = 1: v = +-sqrt(b/a) u, a 1-D integral. */
    if (ws->s == 0.0) {
        ws->sign = c > 0.0 ? 1.0 : -1.0;
        for (size_t k = 0; k < nkg; k++) cand[nc++] = ws->sign * kinks_g[k] / ws->sb;
        size_t np = make_points(pts, -NTK_GAUSS2_RANGE, NTK_GAUSS2_RANGE, cand, nc);
        gsl_function h = {line_integrand, ws};
        int ok = adapt(&h, pts, np, eps, ws->outer, GAUSS2_PIECES, result, &err);
        return accept(ok, *result, f, kinks_f, nkf, g, kinks_g, nkg, a, b, c, epsrel, err, ws);
    }

    /* The general case: nested. */
    ws->eps_inner = 0.25 * eps > GAUSS2_EPS_FLOOR ? 0.25 * eps : GAUSS2_EPS_FLOOR;
    ws->inner_short = 0;
    ws->inner_err = 0.0;
    const double w = ws->s / fabs(rho); /* width of the smoothed kinks of I(z1) */
    for (size_t k = 0; k <= nkg; k++) {
        double z = (k < nkg ? kinks_g[k] : 0.0) / (ws->sb * rho);
        cand[nc++] = z;
        if (k < nkg && w < GAUSS2_SHARP) { /* a real kink, not the 0 added to all */
            static const double mult[] = {1.0, 4.0, 16.0};
            for (size_t m = 0; m < 3; m++) {
                cand[nc++] = z - mult[m] * w;
                cand[nc++] = z + mult[m] * w;
            }
        }
    }
    size_t np = make_points(pts, -NTK_GAUSS2_RANGE, NTK_GAUSS2_RANGE, cand, nc);
    gsl_function h = {outer_integrand, ws};
    int ok = adapt(&h, pts, np, eps, ws->outer, GAUSS2_PIECES, result, &err);
    return accept(ok && ws->inner_short == 0, *result, f, kinks_f, nkf, g, kinks_g, nkg, a, b,
                  c, epsrel, err + 2.0 * NTK_GAUSS2_RANGE * ws->inner_err, ws);
}

/* ---- Mehler expansion (see gauss2.h) ---- */

/* psi_k(z) = He_k(z) / sqrt(k!) by the normalised recurrence
 *   psi_{k+1} = (z psi_k - sqrt(k) psi_{k-1}) / sqrt(k + 1),
 * started from psi_0 = scale: *p1 = scale psi_{n-1}(z), returns scale psi_n(z).
 * With scale = exp(-z^2/4) the values stay bounded (Hermite functions) for any n. */
static double hermite_psi(size_t n, double z, double scale, double *p1)
{
    double pm = 0.0, p = scale;
    for (size_t k = 0; k < n; k++) {
        double next = (z * p - sqrt((double)k) * pm) / sqrt((double)(k + 1));
        pm = p;
        p = next;
    }
    *p1 = pm;
    return p;
}

/* The rule: nodes from GSL's Golub-Welsch (eigenvalues, absolute accuracy), polished
 * by Newton on psi_M (psi_M' = sqrt(M) psi_{M-1}), weights by the Christoffel formula
 * w = 1 / (M psi_{M-1}(z)^2) (relative accuracy, even where they are tiny), then
 * the table w_i psi_k(z_i) by the same recurrence started from w_i. Nodes whose
 * weight is below 1e-280 (|z| > 35) are dropped: their terms are below 1e-200. */
static int hermite_rule(ntk_gauss2_ws *ws)
{
    const size_t M = NTK_GAUSS2_HERMITE_NODES, K = NTK_GAUSS2_HERMITE_K;
    double *z = malloc(M * sizeof *z), *P = calloc(K * M, sizeof *P);
    gsl_integration_fixed_workspace *gw =
        gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, M, 0.0, 0.5, 0.0, 0.0);
    if (!z || !P || !gw) {
        free(z);
        free(P);
        if (gw) gsl_integration_fixed_free(gw);
        NTK_FAIL(GSL_ENOMEM, "ntk_gauss2_hermite_coef: out of memory for the rule");
    }
    const double *z0 = gsl_integration_fixed_nodes(gw);
    for (size_t i = 0; i < M; i++) {
        double x = z0[i], pm1, p;
        for (int it = 0; it < 3; it++) {
            p = hermite_psi(M, x, exp(-0.25 * x * x), &pm1);
            if (pm1 != 0.0) x -= p / (sqrt((double)M) * pm1);
        }
        z[i] = x;
        p = hermite_psi(M, x, exp(-0.25 * x * x), &pm1);
        double w = exp(-0.5 * x * x) / ((double)M * pm1 * pm1);
        if (!(w > 1e-280) || !isfinite(w)) continue; /* column stays 0 */
        double pk = w, pkm = 0.0;
        for (size_t k = 0; k < K; k++) {
            P[k * M + i] = pk;
            double next = (x * pk - sqrt((double)k) * pkm) / sqrt((double)(k + 1));
            pkm = pk;
            pk = next;
        }
    }
    gsl_integration_fixed_free(gw);
    ws->gh_z = z;
    ws->gh_P = P;
    return GSL_SUCCESS;
}

int ntk_gauss2_hermite_coef(double (*f)(double), double a, ntk_gauss2_ws *ws,
                            ntk_gauss2_hermite *h)
{
    if (!f || !ws || !h) NTK_FAIL(GSL_EFAULT, "ntk_gauss2_hermite_coef: NULL argument");
    if (!(a >= 0.0) || !isfinite(a))
        NTK_FAIL(GSL_EINVAL, "ntk_gauss2_hermite_coef: variance %g must be finite and >= 0", a);
    if (!ws->gh_P) {
        int status = hermite_rule(ws);
        if (status) return status;
    }
    const size_t M = NTK_GAUSS2_HERMITE_NODES, K = NTK_GAUSS2_HERMITE_K;
    h->K = 0;
    h->m2 = NAN;

    /* m2 = E f(u)^2, by the adaptive rule: independent of the coefficients */
    double m2, err;
    if (!moment_1d(f, NULL, 0, a, 2, GAUSS2_EPS_FLOOR, ws, &m2, &err) || !isfinite(m2))
        return GSL_SUCCESS;
    h->m2 = m2;

    const double sa = sqrt(a);
    for (size_t i = 0; i < M; i++) {
        double y = f(sa * ws->gh_z[i]);
        if (!isfinite(y)) return GSL_SUCCESS;
        ws->gh_F[i] = y;
    }
    /* c = P F: (K x M)(M) */
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)K, (int)M, 1.0, ws->gh_P, (int)M, ws->gh_F, 1,
                0.0, h->c, 1);

    /* K_f: the first K with m2 - sum_{k<K} c_k^2 <= TAIL m2; a sum beyond m2 by more
     * than the two tolerances (quadrature 5e-14, rounding of K squares) is aliasing */
    double sum = 0.0;
    size_t Kf = 0;
    for (size_t k = 0; k < K; k++) {
        if (!isfinite(h->c[k])) return GSL_SUCCESS;
        sum += h->c[k] * h->c[k];
        if (!Kf && m2 - sum <= NTK_GAUSS2_HERMITE_TAIL * m2) Kf = k + 1;
    }
    if (m2 == 0.0) {
        if (sum != 0.0) return GSL_SUCCESS;
        Kf = 1;
    }
    if (sum > m2 * (1.0 + 1e-13 + 4.0 * (double)K * DBL_EPSILON)) return GSL_SUCCESS;
    h->K = Kf;
    return GSL_SUCCESS;
}

double ntk_gauss2_hermite_expect(const ntk_gauss2_hermite *hf, const ntk_gauss2_hermite *hg,
                                 double rho)
{
    size_t K = hf->K > hg->K ? hf->K : hg->K;
    const double *cf = hf->c, *cg = hg->c;
    double acc = 0.0;
    for (size_t k = K; k-- > 0;) acc = acc * rho + cf[k] * cg[k];
    return acc;
}
