/* test_limit.c - the limiting kernels (limit.h) and the 2-D Gaussian quadrature under
 * them (gauss2.h).
 *
 * Tolerances. ntk_gauss2_expect aims at an error below epsrel E|f(u) g(v)| (epsrel =
 * 1e-12 here and inside limit.c), and E|f g| <= sqrt(E f^2 E g^2) =: CS by
 * Cauchy-Schwarz; the closed forms are exact to a few ulps. So a quadrature value is
 * checked against an exact one with rtol = atol / CS = QTOL = 1e-10: the requested
 * accuracy with a factor 100 for the Kronrod error estimates, which are heuristic.
 * Results of the layer recursion (depth <= 6) get KTOL = 1e-9: the per-layer error
 * QTOL carried through at most five layers whose maps (arc-cosine, arcsine) have
 * derivatives of order one away from correlation +-1, and scaled by the kernel's own
 * Cauchy-Schwarz bound sqrt(K(x,x) K(y,y)). Bit-for-bit identities are checked with ==.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_vector.h>
#include <gsl/gsl_vector.h>

#include "data.h"
#include "error.h"
#include "gauss2.h"
#include "limit.h"
#include "check.h"

#define EPSREL 1e-12 /* asked of ntk_gauss2_expect below */
#define QTOL 1e-10   /* quadrature against exact values, see the header */
#define KTOL 1e-9    /* kernels through up to 6 layers */

/* ---- the largest relative difference of a series of checks, for the log ---- */

typedef struct {
    const char *what;
    size_t n;
    double max_rel; /* |a - e| / |e| where |e| >= 1e-6 scale (not cancelled away) */
    double max_cs;  /* |a - e| / scale, scale = the Cauchy-Schwarz bound */
    int one_signed; /* the values are expectations of products >= 0: max_rel over all */
} worst;

static void note(worst *w, double actual, double expected, double scale)
{
    double d = fabs(actual - expected);
    if (isnan(d)) d = INFINITY;
    double floor = w->one_signed ? 0.0 : 1e-6 * scale;
    if (d > 0.0 && expected != 0.0 && fabs(expected) >= floor && d / fabs(expected) > w->max_rel)
        w->max_rel = d / fabs(expected);
    if (d > 0.0 && scale > 0.0 && d / scale > w->max_cs) w->max_cs = d / scale;
    w->n++;
}

static void report(const worst *w)
{
    printf("\n    %s: %zu values, max rel diff %.3g, max diff / CS bound %.3g", w->what, w->n,
           w->max_rel, w->max_cs);
}

/* ---- test functions with exact Gaussian moments ---- */

static double f_id(double x) { return x; }
static double f_sq(double x) { return x * x; }
static double f_cube(double x) { return x * x * x; }
static double f_cos(double x) { return cos(x); }
static double f_exp(double x) { return exp(x); }
static double f_abs(double x) { return fabs(x); }
static double f_sign(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }
static double f_step(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? 0.0 : 0.5); }

static const double kink0[] = {0.0};

/* Covariances [[a, c], [c, b]]: generic, very unequal variances, rho = +-1 exactly
 * (2.25 * 0.5625 = 1.125^2 in binary), rho = 0, degenerate; near +-1 added below. */
typedef struct {
    double a, b, c;
} cov;

static const cov base_covs[] = {
    {1.385, 0.77, -0.412}, {0.0237, 41.3, 0.55},  {812.0, 0.0031, -1.2},
    {2.25, 0.5625, 1.125}, {2.25, 0.5625, -1.125}, {0.37, 5.1, 0.0},
    {0.0, 2.3, 0.0},       {1.7, 0.0, 0.0},        {0.0, 0.0, 0.0},
};
enum { NBASE = sizeof base_covs / sizeof *base_covs, NCOVS = NBASE + 4 };

/* base_covs and rho = +-(1 - 1e-7), +-(1 - 1e-12) on a = 1.385, b = 0.77 */
static void make_covs(cov *k)
{
    memcpy(k, base_covs, sizeof base_covs);
    const double near[] = {1 - 1e-7, -(1 - 1e-7), 1 - 1e-12, -(1 - 1e-12)};
    for (size_t i = 0; i < 4; i++)
        k[NBASE + i] = (cov){1.385, 0.77, near[i] * sqrt(1.385) * sqrt(0.77)};
}

/* a b - c^2 without cancellation (a b and c^2 split into exact sums by fma): near
 * rho = +-1 the naive difference, and asin(c / sqrt(a b)), lose the digits that the
 * comparison needs (asin'(rho) = 1 / sqrt(1 - rho^2)). */
static double det_exact(double a, double b, double c)
{
    double p = a * b, q = c * c;
    double d = (p - q) + (fma(a, b, -p) - fma(c, c, -q));
    return d > 0.0 ? d : 0.0;
}

/* asin(rho) = atan2(c, sqrt(a b - c^2)), 0 when a b = 0 */
static double asin_rho(cov k)
{
    if (k.a == 0.0 || k.b == 0.0) return 0.0;
    return atan2(k.c, sqrt(det_exact(k.a, k.b, k.c)));
}

static void test_gauss2_exact(void)
{
    ntk_gauss2_ws *ws = ntk_gauss2_alloc();
    CU_ASSERT_FATAL(ws != NULL);
    worst w = {"gauss2 vs exact moments", 0, 0.0, 0.0, 0};
    cov covs[NCOVS];
    make_covs(covs);
    for (size_t i = 0; i < NCOVS; i++) {
        double a = covs[i].a, b = covs[i].b, c = covs[i].c, as = asin_rho(covs[i]);
        double r, e, cs;
        double sq = sqrt(det_exact(a, b, c));
        struct {
            double (*f)(double), (*g)(double);
            const double *kf, *kg;
            size_t nk;
            double exact, cs; /* E[f g] and sqrt(E f^2 E g^2) */
        } cases[] = {
            {f_id, f_id, NULL, NULL, 0, c, sqrt(a * b)},
            {f_sq, f_sq, NULL, NULL, 0, a * b + 2.0 * c * c, 3.0 * a * b},
            {f_cube, f_id, NULL, NULL, 0, 3.0 * a * c, sqrt(15.0 * a * a * a * b)},
            {f_cos, f_cos, NULL, NULL, 0,
             0.5 * (exp(-0.5 * (a + b - 2.0 * c)) + exp(-0.5 * (a + b + 2.0 * c))),
             0.5 * sqrt((1.0 + exp(-2.0 * a)) * (1.0 + exp(-2.0 * b)))},
            {f_abs, f_abs, kink0, kink0, 1, M_2_PI * (sq + c * as), sqrt(a * b)},
            {f_sign, f_sign, kink0, kink0, 1, M_2_PI * as, 1.0},
            {f_step, f_step, kink0, kink0, 1, 0.25 + as / (2.0 * M_PI), 0.5},
            {f_exp, f_exp, NULL, NULL, 0, exp(0.5 * (a + b + 2.0 * c)), exp(a + b)},
        };
        size_t ncases = sizeof cases / sizeof *cases;
        /* exp grows: the integral over [-T, T] is the full one only for small variances */
        if (a > 2.5 || b > 2.5) ncases--;
        for (size_t k = 0; k < ncases; k++) {
            CHECK_OK(ntk_gauss2_expect(cases[k].f, cases[k].kf, cases[k].nk, cases[k].g,
                                       cases[k].kg, cases[k].nk, a, b, c, EPSREL, ws, &r));
            cs = cases[k].cs;
            e = cases[k].exact;
            if (!CHECK_CLOSE(r, e, QTOL, QTOL * cs))
                printf("\n    case %zu on [[%g, %g], [%g, %g]]", k, a, c, c, b);
            note(&w, r, e, cs);
        }
    }
    report(&w);
    ntk_gauss2_free(ws);
    ntk_gauss2_free(NULL);
}

/* ---- closed forms ---- */

static void test_closed_special(void)
{
    ntk_limit_ws *ws = ntk_limit_alloc();
    const ntk_nonlin *relu = ntk_nonlin_find("relu"), *erfs = ntk_nonlin_find("erf");
    double ess, edd;
    /* a = 0: u is identically 0, relu(0) = relu'(0) = 0 */
    CHECK_OK(ntk_limit_expect(relu, 0.0, 2.3, 0.0, ws, &ess, &edd));
    CU_ASSERT(ess == 0.0 && edd == 0.0);
    /* diagonal: E[relu(u)^2] = a/2, E[relu'(u)^2] = P(u > 0) = 1/2 */
    CHECK_OK(ntk_limit_expect(relu, 1.385, 1.385, 1.385, ws, &ess, &edd));
    CHECK_CLOSE(ess, 1.385 / 2.0, 2 * DBL_EPSILON, 0.0);
    CHECK_CLOSE(edd, 0.5, 2 * DBL_EPSILON, 0.0);
    /* rho = -1: relu(u) relu(-u) = 0 */
    CHECK_OK(ntk_limit_expect(relu, 2.25, 0.5625, -1.125, ws, &ess, &edd));
    CU_ASSERT(ess == 0.0 && edd == 0.0);
    /* rho = 0: E[relu(u)] E[relu(v)] = sqrt(a b) / (2 pi), E[relu'] E[relu'] = 1/4 */
    CHECK_OK(ntk_limit_expect(relu, 0.37, 5.1, 0.0, ws, &ess, &edd));
    CHECK_CLOSE(ess, sqrt(0.37 * 5.1) / (2.0 * M_PI), 4 * DBL_EPSILON, 0.0);
    CHECK_CLOSE(edd, 0.25, 4 * DBL_EPSILON, 0.0);
    /* erf, a = 0: E[erf'(0) erf'(v)] = (2/sqrt(pi)) (2/sqrt(pi)) / sqrt(1 + 2b) */
    CHECK_OK(ntk_limit_expect(erfs, 0.0, 2.3, 0.0, ws, &ess, &edd));
    CU_ASSERT(ess == 0.0);
    CHECK_CLOSE(edd, 4.0 / M_PI / sqrt(1.0 + 2.0 * 2.3), 4 * DBL_EPSILON, 0.0);
    /* erf diagonal: (2/pi) asin(2a / (1 + 2a)) */
    CHECK_OK(ntk_limit_expect(erfs, 0.77, 0.77, 0.77, ws, &ess, &edd));
    CHECK_CLOSE(ess, M_2_PI * asin(2 * 0.77 / (1 + 2 * 0.77)), 4 * DBL_EPSILON, 0.0);
    /* a correlation past 1 by rounding is clamped (same as exactly 1); far past, rejected */
    double ess1, edd1;
    CHECK_OK(ntk_limit_expect(relu, 2.25, 0.5625, 1.125 * (1 + 1e-12), ws, &ess1, &edd1));
    CHECK_OK(ntk_limit_expect(relu, 2.25, 0.5625, 1.125, ws, &ess, &edd));
    CU_ASSERT(ess1 == ess && edd1 == edd);
    CU_ASSERT(ntk_limit_expect(relu, 2.25, 0.5625, 1.125 * (1 + 1e-6), ws, &ess, &edd) != 0);
    ntk_limit_free(ws);
}

/* Closed forms against forced quadrature, on covariances with variances 1e-3 .. 1e3
 * and correlations from -1 to 1, near +-1 included (where E[relu relu] = O(delta^3)). */
static void test_closed_vs_quadrature(void)
{
    static const double var[] = {1e-3, 1.385, 1e3};
    static const double rhos[] = {-1.0, -(1 - 1e-9), -0.999999, -0.9, -0.412, 0.0,
                                  0.137, 0.73, 0.999999, 1 - 1e-9, 1.0};
    const char *names[] = {"relu", "erf"};
    ntk_limit_ws *wc = ntk_limit_alloc(), *wq = ntk_limit_alloc();
    ntk_limit_force_quadrature(wq, 1);
    for (size_t n = 0; n < 2; n++) {
        const ntk_nonlin *s = ntk_nonlin_find(names[n]);
        char label[2][96];
        snprintf(label[0], sizeof label[0], "%s E[s s]: quadrature vs closed form", names[n]);
        snprintf(label[1], sizeof label[1], "%s E[s' s']: quadrature vs closed form", names[n]);
        worst w[2] = {{label[0], 0, 0.0, 0.0, n == 0}, {label[1], 0, 0.0, 0.0, 1}};
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++)
                for (size_t k = 0; k < sizeof rhos / sizeof *rhos; k++) {
                    double a = var[i], b = var[j];
                    double c = rhos[k] * sqrt(a) * sqrt(b);
                    if (fabs(rhos[k]) == 1.0 && i != j) { /* exactly singular instead */
                        a = 2.25;
                        b = 0.5625;
                        c = rhos[k] * 1.125;
                    }
                    double e1, d1, e2, d2, fa, fb, ga, gb;
                    CHECK_OK(ntk_limit_expect(s, a, b, c, wc, &e1, &d1));
                    CHECK_OK(ntk_limit_expect(s, a, b, c, wq, &e2, &d2));
                    CHECK_OK(ntk_limit_expect(s, a, a, a, wc, &fa, &ga)); /* E s(u)^2 ... */
                    CHECK_OK(ntk_limit_expect(s, b, b, b, wc, &fb, &gb));
                    double cs_s = sqrt(fa * fb), cs_d = sqrt(ga * gb);
                    /* relu s s, relu' relu', erf' erf' are >= 0: the tolerance is then
                     * relative, however small the value (relu near rho = -1: O(delta^3)) */
                    double atol_s = n == 0 ? 0.0 : QTOL * cs_s;
                    if (!CHECK_CLOSE(e2, e1, QTOL, atol_s) || !CHECK_CLOSE(d2, d1, QTOL, 0.0))
                        printf("\n    %s on a = %g, b = %g, rho = %.17g", names[n], a, b,
                               rhos[k]);
                    note(&w[0], e2, e1, cs_s);
                    note(&w[1], d2, d1, cs_d);
                }
        report(&w[0]);
        report(&w[1]);
    }
    ntk_limit_free(wc);
    ntk_limit_free(wq);
}

/* ---- the layer recursion ---- */

/* Sigma(L), Theta(L) at depths 1..6 on random pairs: closed forms against quadrature. */
static void test_depths_vs_quadrature(void)
{
    const char *names[] = {"relu", "erf"};
    static const double betas[] = {0.1, 0.37, 1.2};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2385);
    ntk_limit_ws *wc = ntk_limit_alloc(), *wq = ntk_limit_alloc();
    ntk_limit_force_quadrature(wq, 1);
    worst w = {"Sigma(L), Theta(L), L = 1..6: quadrature vs closed forms", 0, 0.0, 0.0, 0};
    for (size_t p = 0; p < 3; p++) {
        double x[3], y[3];
        for (size_t i = 0; i < 3; i++) {
            x[i] = 1.3 * gsl_ran_gaussian(rng, 1.0);
            y[i] = 0.8 * gsl_ran_gaussian(rng, 1.0);
        }
        for (size_t n = 0; n < 2; n++) {
            const ntk_nonlin *s = ntk_nonlin_find(names[n]);
            for (size_t L = 1; L <= 6; L++) {
                double S1, T1, S2, T2, Sx, Tx, Sy, Ty;
                CHECK_OK(ntk_limit_pair(s, L, betas[p], x, y, 3, wc, &S1, &T1));
                CHECK_OK(ntk_limit_pair(s, L, betas[p], x, y, 3, wq, &S2, &T2));
                CHECK_OK(ntk_limit_pair(s, L, betas[p], x, x, 3, wc, &Sx, &Tx));
                CHECK_OK(ntk_limit_pair(s, L, betas[p], y, y, 3, wc, &Sy, &Ty));
                CHECK_CLOSE(S2, S1, KTOL, KTOL * sqrt(Sx * Sy));
                CHECK_CLOSE(T2, T1, KTOL, KTOL * sqrt(Tx * Ty));
                note(&w, S2, S1, sqrt(Sx * Sy));
                note(&w, T2, T1, sqrt(Tx * Ty));
            }
        }
    }
    report(&w);
    gsl_rng_free(rng);
    ntk_limit_free(wc);
    ntk_limit_free(wq);
}

/* Depth 1: Sigma(1) = Theta(1) = x.y / n0 + beta^2, whatever the nonlinearity.
 * x.y = 0.75 - 0.9375 - 0.5 = -0.6875 exactly, so Sigma(1) = 1/48 up to the rounding of
 * the division and the sum. */
static void test_depth1_exact(void)
{
    const double x[] = {0.5, -1.25, 2.0}, y[] = {1.5, 0.75, -0.25};
    ntk_limit_ws *ws = ntk_limit_alloc();
    for (size_t i = 0; i < ntk_nonlin_count(); i++) {
        double S, T;
        CHECK_OK(ntk_limit_pair(ntk_nonlin_get(i), 1, 0.5, x, y, 3, ws, &S, &T));
        CHECK_CLOSE(S, 1.0 / 48.0, 0.0, 4 * DBL_EPSILON * (0.6875 / 3 + 0.25));
        CU_ASSERT(S == T);
    }
    ntk_limit_free(ws);
}

/* relu on the unit circle, n0 = 2, by hand. With q = Sigma(1)(x,x) = 1/2 + beta^2,
 * c = Sigma(1)(x,y) = cos(g)/2 + beta^2, rho = c/q, theta = arccos(rho):
 *   Sigma(2) = q (sin theta + (pi - theta) rho) / (2 pi) + beta^2,
 *   SigmaDot(2) = (pi - theta) / (2 pi),   Theta(2) = c SigmaDot(2) + Sigma(2).
 * (i) beta^2 = 1/2, x = (1,0), y = (0,1): q = 1, c = 1/2, theta = pi/3:
 *     Sigma(2) = 2/3 + sqrt(3)/(4 pi), Theta(2) = 1/6 + Sigma(2) = 5/6 + sqrt(3)/(4 pi).
 * (ii) beta = 0, y = (1/2, sqrt(3)/2): q = 1/2, c = 1/4, theta = pi/3:
 *     Sigma(2) = 1/12 + sqrt(3)/(8 pi), Theta(2) = 1/12 + Sigma(2) = 1/6 + sqrt(3)/(8 pi).
 * (iii) beta = 0, y = x: Sigma(l) = 2^-l, SigmaDot = 1/2, so Theta(L) = L 2^-L.
 * Each is a handful of rounded operations: 16 ulps. */
static void test_relu_circle_by_hand(void)
{
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    ntk_limit_ws *ws = ntk_limit_alloc();
    const double tol = 16 * DBL_EPSILON;
    double S, T;
    const double e1[] = {1.0, 0.0}, e2[] = {0.0, 1.0}, y[] = {0.5, 0.5 * sqrt(3.0)};
    CHECK_OK(ntk_limit_pair(relu, 2, M_SQRT1_2, e1, e2, 2, ws, &S, &T));
    CHECK_CLOSE(S, 2.0 / 3.0 + sqrt(3.0) / (4 * M_PI), tol, 0.0);
    CHECK_CLOSE(T, 5.0 / 6.0 + sqrt(3.0) / (4 * M_PI), tol, 0.0);
    CHECK_OK(ntk_limit_pair(relu, 2, 0.0, e1, y, 2, ws, &S, &T));
    CHECK_CLOSE(S, 1.0 / 12.0 + sqrt(3.0) / (8 * M_PI), tol, 0.0);
    CHECK_CLOSE(T, 1.0 / 6.0 + sqrt(3.0) / (8 * M_PI), tol, 0.0);
    const double u[] = {0.6, 0.8}; /* |u| = 1 up to rounding */
    for (size_t L = 1; L <= 6; L++) {
        CHECK_OK(ntk_limit_pair(relu, L, 0.0, u, u, 2, ws, &S, &T));
        CHECK_CLOSE(S, ldexp(1.0, -(int)L), tol, 0.0);
        CHECK_CLOSE(T, (double)L * ldexp(1.0, -(int)L), tol, 0.0);
    }
    ntk_limit_free(ws);
}

/* ---- Gram and cross matrices ---- */

static void check_gram(const char *name, size_t N, size_t n0, size_t L, double beta,
                       double rtol, unsigned long seed)
{
    const ntk_nonlin *s = ntk_nonlin_find(name);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    double *X = malloc(N * n0 * sizeof *X);         /* (N, n0) */
    double *Sg = malloc(N * N * sizeof *Sg);        /* (N, N) */
    double *Tg = malloc(N * N * sizeof *Tg), *T2 = malloc(N * N * sizeof *T2);
    double *Sc = malloc(N * N * sizeof *Sc), *Tc = malloc(N * N * sizeof *Tc);
    for (size_t i = 0; i < N * n0; i++) X[i] = gsl_ran_gaussian(rng, 1.0);
    ntk_limit_ws *ws = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(s, L, beta, X, N, n0, ws, Sg, Tg));
    CHECK_OK(ntk_limit_gram(s, L, beta, X, N, n0, ws, NULL, T2));
    CU_ASSERT(memcmp(Tg, T2, N * N * sizeof *Tg) == 0); /* Sigma optional, same Theta */
    int symmetric = 1, diag_same = 1;
    char label[96];
    snprintf(label, sizeof label, "%s Gram vs pairs", name);
    worst w = {label, 0, 0.0, 0.0, 0};
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            if (Tg[i * N + j] != Tg[j * N + i] || Sg[i * N + j] != Sg[j * N + i]) symmetric = 0;
            if (j < i) continue;
            double S, T, Sii = Sg[i * N + i], Sjj = Sg[j * N + j];
            double Tii = Tg[i * N + i], Tjj = Tg[j * N + j];
            CHECK_OK(ntk_limit_pair(s, L, beta, X + i * n0, X + j * n0, n0, ws, &S, &T));
            if (i == j) {
                if (S != Sg[i * N + i] || T != Tg[i * N + i]) diag_same = 0;
                continue;
            }
            /* off the diagonal Sigma(1) comes from BLAS there and a loop here: rounding,
             * carried through the layers (and, for quadrature, through separate runs) */
            CHECK_CLOSE(Sg[i * N + j], S, rtol, rtol * sqrt(Sii * Sjj));
            CHECK_CLOSE(Tg[i * N + j], T, rtol, rtol * sqrt(Tii * Tjj));
            note(&w, Tg[i * N + j], T, sqrt(Tii * Tjj));
        }
    }
    CU_ASSERT(symmetric);
    CU_ASSERT(diag_same);
    report(&w);

    /* cross(X[0..N1), X[N1..N)) against the same pairs; cross(X, X) against the Gram */
    size_t N1 = N / 2, N2 = N - N1;
    CHECK_OK(ntk_limit_cross(s, L, beta, X, N1, X + N1 * n0, N2, n0, ws, Sc, Tc));
    for (size_t i = 0; i < N1; i++)
        for (size_t j = 0; j < N2; j++) {
            double S, T, Sii = Sg[i * N + i], Tii = Tg[i * N + i];
            double Sjj = Sg[(N1 + j) * (N + 1)], Tjj = Tg[(N1 + j) * (N + 1)];
            CHECK_OK(ntk_limit_pair(s, L, beta, X + i * n0, X + (N1 + j) * n0, n0, ws, &S, &T));
            CHECK_CLOSE(Sc[i * N2 + j], S, rtol, rtol * sqrt(Sii * Sjj));
            CHECK_CLOSE(Tc[i * N2 + j], T, rtol, rtol * sqrt(Tii * Tjj));
        }
    CHECK_OK(ntk_limit_cross(s, L, beta, X, N, X, N, n0, ws, NULL, Tc));
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            CHECK_CLOSE(Tc[i * N + j], Tg[i * N + j], rtol,
                        rtol * sqrt(Tg[i * (N + 1)] * Tg[j * (N + 1)]));
    ntk_limit_free(ws);
    gsl_rng_free(rng);
    free(X);
    free(Sg);
    free(Tg);
    free(T2);
    free(Sc);
    free(Tc);
}

/* relu: closed forms on inputs differing by rounding (BLAS vs loop dot products,
 * n0 = 4 terms): 1e-13 covers the ulps and their growth over 3 layers. tanh:
 * separate quadratures, each within QTOL. */
static void test_gram_relu(void) { check_gram("relu", 7, 4, 4, 0.1, 1e-13, 11); }
static void test_gram_tanh(void) { check_gram("tanh", 4, 3, 3, 0.37, QTOL, 12); }

/* ---- positive definiteness on the circle (Prop. 2) ---- */

/* Eigenvalues of Theta(L) on N points of the unit circle: *lmin, *lmax. */
static void circle_spectrum(const char *name, size_t L, double beta, size_t N, double *lmin,
                            double *lmax)
{
    double *X = malloc(2 * N * sizeof *X); /* (N, 2) */
    for (size_t k = 0; k < N; k++) {
        double g = 0.3 + 2 * M_PI * (double)k / (double)N + 0.07 * (double)(k % 3);
        X[2 * k] = cos(g);
        X[2 * k + 1] = sin(g);
    }
    gsl_matrix *T = gsl_matrix_alloc(N, N);
    gsl_vector *ev = gsl_vector_alloc(N);
    gsl_eigen_symm_workspace *ew = gsl_eigen_symm_alloc(N);
    ntk_limit_ws *ws = ntk_limit_alloc();
    CHECK_OK(ntk_limit_gram(ntk_nonlin_find(name), L, beta, X, N, 2, ws, NULL, T->data));
    CHECK_OK(gsl_eigen_symm(T, ev, ew));
    *lmin = gsl_vector_min(ev);
    *lmax = gsl_vector_max(ev);
    ntk_limit_free(ws);
    gsl_eigen_symm_free(ew);
    gsl_vector_free(ev);
    gsl_matrix_free(T);
    free(X);
}

/* Entries are accurate to ~QTOL relative, so eigenvalues to N QTOL lambda_max:
 * lambda_min > 1e-8 lambda_max is positive beyond doubt. The controls (L = 1, a
 * polynomial sigma) have rank <= 3 on the circle, lambda_min = 0 up to that error. */
static void test_positive_definite(void)
{
    struct {
        const char *name;
        size_t L, N;
        double beta;
        int pd;
    } cases[] = {
        {"relu", 2, 8, 0.1, 1},     {"relu", 3, 8, 0.1, 1}, {"relu", 4, 8, 0.0, 1},
        {"tanh", 2, 6, 0.1, 1},     {"tanh", 3, 6, 0.1, 1}, {"relu", 1, 8, 0.0, 0},
        {"identity", 3, 6, 0.1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double lmin, lmax;
        circle_spectrum(cases[i].name, cases[i].L, cases[i].beta, cases[i].N, &lmin, &lmax);
        printf("\n    %s L = %zu: lambda_min / lambda_max = %.3g", cases[i].name, cases[i].L,
               lmin / lmax);
        if (cases[i].pd) {
            CU_ASSERT(lmin > 1e-8 * lmax);
        } else {
            CU_ASSERT(fabs(lmin) <= (double)cases[i].N * QTOL * lmax);
        }
    }
}

/* The rank bound of a polynomial Theta(L) (ntk_limit_rank_bound) is the numerical rank
 * of its Gram matrix on N = 40 random points of the sphere of R^n0 (ntk_data_sphere):
 * the eigenvalues above N QTOL lambda_max (the entries' error, see the header) number
 * exactly the bound, and the gap below the last of them is wide. Also the closed
 * forms on the circle and the 2-sphere, 2d + 1 and (d + 1)^2, and 0 where Theta(L) is
 * not a polynomial. */
static void test_rank_bound(void)
{
    enum { NP = 40 };
    struct {
        const char *name;
        size_t L, n0;
        double d;
    } cases[] = {
        {"relu", 1, 3, 1},     {"tanh", 1, 2, 1},     {"identity", 2, 2, 1}, {"identity", 3, 3, 1},
        {"identity", 2, 4, 1}, {"square", 2, 2, 2},   {"square", 2, 3, 2},   {"square", 3, 2, 4},
        {"square", 3, 3, 4},   {"square", 2, 4, 2},
    };
    double *X = malloc(NP * 4 * sizeof *X);
    gsl_matrix *T = gsl_matrix_alloc(NP, NP);
    gsl_vector *ev = gsl_vector_alloc(NP);
    gsl_eigen_symm_workspace *ew = gsl_eigen_symm_alloc(NP);
    ntk_limit_ws *ws = ntk_limit_alloc();
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const ntk_nonlin *sig = ntk_nonlin_find(cases[c].name);
        double bound = ntk_limit_rank_bound(sig, cases[c].L, cases[c].n0), d = cases[c].d;
        if (cases[c].n0 == 2) CHECK_CLOSE(bound, 2 * d + 1, 0.0, 0.0);
        if (cases[c].n0 == 3) CHECK_CLOSE(bound, (d + 1) * (d + 1), 0.0, 0.0);
        CHECK_OK(ntk_data_sphere(31 + c, NP, cases[c].n0, X));
        CHECK_OK(ntk_limit_gram(sig, cases[c].L, 0.1, X, NP, cases[c].n0, ws, NULL, T->data));
        CHECK_OK(gsl_eigen_symm(T, ev, ew));
        gsl_sort_vector(ev);
        double lmax = gsl_vector_get(ev, NP - 1), cut = NP * QTOL * lmax, kept = lmax, dropped = 0.0;
        size_t rank = 0;
        for (size_t k = 0; k < NP; k++) {
            double l = gsl_vector_get(ev, k);
            if (l > cut) rank++, kept = fmin(kept, l);
            else dropped = fmax(dropped, fabs(l));
        }
        printf("\n    %s L = %zu on the sphere of R^%zu: bound %g, numerical rank %zu (smallest kept %.2g, "
               "largest dropped %.2g, of lambda_max)", cases[c].name, cases[c].L, cases[c].n0, bound, rank,
               kept / lmax, dropped / lmax);
        CU_ASSERT(rank == (size_t)bound);
        CU_ASSERT(kept > 1e3 * cut); /* a wide gap: the count does not hang on the cut */
    }
    CU_ASSERT(ntk_limit_rank_bound(ntk_nonlin_find("relu"), 2, 2) == 0.0);
    CU_ASSERT(ntk_limit_rank_bound(ntk_nonlin_find("tanh"), 3, 3) == 0.0);
    ntk_limit_free(ws);
    gsl_eigen_symm_free(ew);
    gsl_vector_free(ev);
    gsl_matrix_free(T);
    free(X);
}

/* ---- switches and errors ---- */

static void test_force_switch(void)
{
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    const double x[] = {0.385, -1.21, 0.77}, y[] = {-0.62, 0.143, 1.9};
    ntk_limit_ws *a = ntk_limit_alloc(), *b = ntk_limit_alloc();
    double S1, T1, S2, T2;
    CHECK_OK(ntk_limit_pair(relu, 4, 0.1, x, y, 3, a, &S1, &T1));
    ntk_limit_force_quadrature(b, 1);
    CHECK_OK(ntk_limit_pair(relu, 4, 0.1, x, y, 3, b, &S2, &T2));
    CU_ASSERT(S1 != S2 || T1 != T2); /* a different computation... */
    CHECK_CLOSE(T2, T1, KTOL, 0.0);  /* ...of the same numbers */
    ntk_limit_force_quadrature(b, 0);
    CHECK_OK(ntk_limit_pair(relu, 4, 0.1, x, y, 3, b, &S2, &T2));
    CU_ASSERT(S1 == S2 && T1 == T2);
    ntk_limit_force_quadrature(NULL, 1); /* harmless */
    ntk_limit_free(a);
    ntk_limit_free(b);
    ntk_limit_free(NULL);
}

/* A call expected to fail: non-zero status and a message. */
#define CHECK_FAILS(call)                                                                    \
    do {                                                                                     \
        ntk_error(0, "%s", "");                                                              \
        CU_ASSERT((call) != 0);                                                              \
        CU_ASSERT(ntk_last_error()[0] != '\0');                                              \
    } while (0)

static void test_errors(void)
{
    const ntk_nonlin *relu = ntk_nonlin_find("relu"), *tanh_s = ntk_nonlin_find("tanh");
    const double x[] = {0.385, -1.21}, y[] = {-0.62, 0.143}, nan_x[] = {0.385, NAN};
    const double inf_X[] = {0.385, -1.21, INFINITY, 0.5};
    double S, T, M[4], r;
    ntk_limit_ws *ws = ntk_limit_alloc();
    ntk_gauss2_ws *g2 = ntk_gauss2_alloc();

    CHECK_FAILS(ntk_limit_pair(NULL, 2, 0.1, x, y, 2, ws, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, 0.1, NULL, y, 2, ws, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, 0.1, x, y, 2, NULL, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, 0.1, x, y, 2, ws, NULL, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 0, 0.1, x, y, 2, ws, &S, &T));
    CU_ASSERT(strstr(ntk_last_error(), "depth") != NULL);
    CHECK_FAILS(ntk_limit_pair(relu, 2, -0.1, x, y, 2, ws, &S, &T));
    CU_ASSERT(strstr(ntk_last_error(), "beta") != NULL);
    CHECK_FAILS(ntk_limit_pair(relu, 2, NAN, x, y, 2, ws, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, INFINITY, x, y, 2, ws, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, 0.1, x, y, 0, ws, &S, &T));
    CHECK_FAILS(ntk_limit_pair(relu, 2, 0.1, nan_x, y, 2, ws, &S, &T));
    CU_ASSERT(strstr(ntk_last_error(), "not finite") != NULL);
    CHECK_FAILS(ntk_limit_pair(tanh_s, 2, 0.1, x, nan_x, 2, ws, &S, &T));

    CHECK_FAILS(ntk_limit_gram(relu, 2, 0.1, NULL, 2, 2, ws, M, M));
    CHECK_FAILS(ntk_limit_gram(relu, 2, 0.1, x, 2, 1, ws, M, NULL));
    CHECK_FAILS(ntk_limit_gram(relu, 0, 0.1, x, 2, 1, ws, M, M));
    CHECK_FAILS(ntk_limit_gram(relu, 2, -1.0, x, 2, 1, ws, M, M));
    CHECK_FAILS(ntk_limit_gram(relu, 2, 0.1, inf_X, 2, 2, ws, M, M));
    CHECK_FAILS(ntk_limit_cross(relu, 2, 0.1, x, 1, NULL, 1, 2, ws, M, M));
    CHECK_FAILS(ntk_limit_cross(relu, 2, 0.1, x, 1, nan_x, 1, 2, ws, M, M));
    CHECK_FAILS(ntk_limit_cross(NULL, 2, 0.1, x, 1, y, 1, 2, ws, M, M));

    CHECK_FAILS(ntk_limit_expect(relu, -1.0, 1.0, 0.0, ws, &S, &T));
    CHECK_FAILS(ntk_limit_expect(relu, 1.0, 1.0, 2.0, ws, &S, &T));
    CHECK_FAILS(ntk_limit_expect(tanh_s, 1.0, NAN, 0.0, ws, &S, &T));
    CHECK_FAILS(ntk_limit_expect(NULL, 1.0, 1.0, 0.0, ws, &S, &T));

    CHECK_FAILS(ntk_gauss2_expect(NULL, NULL, 0, f_id, NULL, 0, 1.0, 1.0, 0.5, EPSREL, g2, &r));
    CHECK_FAILS(ntk_gauss2_expect(f_id, NULL, 1, f_id, NULL, 0, 1.0, 1.0, 0.5, EPSREL, g2, &r));
    CHECK_FAILS(ntk_gauss2_expect(f_id, NULL, 0, f_id, NULL, 0, -1.0, 1.0, 0.0, EPSREL, g2, &r));
    CHECK_FAILS(ntk_gauss2_expect(f_id, NULL, 0, f_id, NULL, 0, 1.0, 1.0, 1.5, EPSREL, g2, &r));
    CHECK_FAILS(ntk_gauss2_expect(f_id, NULL, 0, f_id, NULL, 0, 1.0, 1.0, 0.5, 0.0, g2, &r));
    CHECK_FAILS(ntk_gauss2_expect(f_id, NULL, 0, f_id, NULL, 0, 1.0, 1.0, 0.5, EPSREL, NULL, &r));

    /* nothing is computed for an empty set of inputs, and that is not an error */
    CHECK_OK(ntk_limit_gram(relu, 2, 0.1, NULL, 0, 2, ws, NULL, NULL));
    ntk_gauss2_free(g2);
    ntk_limit_free(ws);
}

void ntk_test_limit(void)
{
    CU_pSuite s = CU_add_suite("limit", NULL, NULL);
    CU_add_test(s, "gauss2: exact Gaussian moments (kinks, jumps, rho = 0, +-1, a b = 0)",
                test_gauss2_exact);
    CU_add_test(s, "closed forms: degenerate and diagonal covariances, clamping",
                test_closed_special);
    CU_add_test(s, "relu, erf closed forms vs forced quadrature, var 1e-3..1e3, rho -1..1",
                test_closed_vs_quadrature);
    CU_add_test(s, "Sigma(L), Theta(L), L = 1..6: closed forms vs quadrature",
                test_depths_vs_quadrature);
    CU_add_test(s, "depth 1: Sigma(1) = Theta(1) = x.y/n0 + beta^2", test_depth1_exact);
    CU_add_test(s, "relu on the unit circle: depth-2 values derived by hand",
                test_relu_circle_by_hand);
    CU_add_test(s, "relu Gram: symmetric, diagonal = pair, = pairs, cross = pairs",
                test_gram_relu);
    CU_add_test(s, "tanh Gram: symmetric, diagonal = pair, = pairs, cross = pairs",
                test_gram_tanh);
    CU_add_test(s, "Theta(L) positive definite on the circle for L >= 2 (Prop. 2)",
                test_positive_definite);
    CU_add_test(s, "rank bound of a polynomial Theta(L) = numerical rank on the sphere", test_rank_bound);
    CU_add_test(s, "force_quadrature switches on and back off", test_force_switch);
    CU_add_test(s, "bad arguments rejected with a message", test_errors);
}
