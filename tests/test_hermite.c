/* test_hermite.c - the Mehler (Hermite) expansion of 2-D Gaussian expectations
 * (gauss2.h) and the limiting kernels that use it (limit.h, smooth nonlinearities).
 *
 * References: exact expansions (polynomials; exp, whose coefficients are
 * e^(a/2) a^(k/2) / sqrt(k!) and whose expectation is e^((a + b + 2c) / 2)), and the
 * nested adaptive quadrature (ntk_gauss2_expect, relative tolerance 1e-12), which the
 * expansion replaces for smooth nonlinearities. Tolerances: the expansion's tail bound
 * is 1.1e-12 sqrt(E f^2 E g^2) =: 1.1e-12 CS, the quadrature's target 1e-12 E|f g| <=
 * 1e-12 CS; QTOL = 1e-10 CS leaves the factor 100 test_limit.c uses for the heuristic
 * Kronrod estimates. Kernels through 4 layers: KTOL = 1e-9, as in test_limit.c.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "gauss2.h"
#include "limit.h"
#include "nonlin.h"
#include "check.h"

#define QTOL 1e-10
#define KTOL 1e-9

static double f_exp(double x) { return exp(x); }
static double f_pow5(double x) { return x * x * x * x * x; }

/* exp and x^5: every coefficient against its exact value; Mehler's sum for exp. */
static void test_exact_expansions(void)
{
    ntk_gauss2_ws *ws = ntk_gauss2_alloc();
    ntk_gauss2_hermite *h = malloc(2 * sizeof *h), *g = h + 1;
    double worst = 0.0;
    static const double vars[] = {1e-3, 0.385, 2.0};
    for (size_t v = 0; v < 3; v++) {
        double a = vars[v];
        CHECK_OK(ntk_gauss2_hermite_coef(f_exp, a, ws, h));
        CU_ASSERT(h->K > 0);
        CHECK_CLOSE(h->m2, exp(2 * a), 1e-13, 0.0);
        double ck = exp(0.5 * a); /* e^(a/2) a^(k/2) / sqrt(k!) */
        for (size_t k = 0; k < NTK_GAUSS2_HERMITE_K; k++) {
            double d = fabs(h->c[k] - ck) / sqrt(h->m2);
            if (d > worst) worst = d;
            CU_ASSERT(d <= 1e-14);
            ck *= sqrt(a / (double)(k + 1));
        }
        /* x^5 = He_5 + 10 He_3 + 15 He_1 at u = sqrt(a) z */
        CHECK_OK(ntk_gauss2_hermite_coef(f_pow5, a, ws, g));
        CU_ASSERT(g->K == 6);
        double s5 = pow(a, 2.5);
        CHECK_CLOSE(g->c[1], 15 * s5, 1e-13, 0.0);
        CHECK_CLOSE(g->c[3], 10 * sqrt(6.0) * s5, 1e-13, 0.0);
        CHECK_CLOSE(g->c[5], sqrt(120.0) * s5, 1e-13, 0.0);
        for (size_t k = 0; k < 8; k++)
            if (k != 1 && k != 3 && k != 5) CHECK_CLOSE(g->c[k], 0.0, 0.0, 1e-13 * s5 * 30);
        /* E[e^u e^v] = e^((a + b + 2c) / 2), b = 0.77, for rho from -1 to 1 */
        ntk_gauss2_hermite *e2 = malloc(sizeof *e2);
        CHECK_OK(ntk_gauss2_hermite_coef(f_exp, 0.77, ws, e2));
        for (double rho = -1.0; rho <= 1.0; rho += 0.25) {
            double c = rho * sqrt(a * 0.77);
            CHECK_CLOSE(ntk_gauss2_hermite_expect(h, e2, rho), exp(0.5 * (a + 0.77 + 2 * c)),
                        1e-12, 0.0);
        }
        free(e2);
    }
    printf("\n    exp: Hermite coefficients vs exact, %d values, max |diff| / sqrt(m2) %.2g",
           3 * NTK_GAUSS2_HERMITE_K, worst);
    free(h);
    ntk_gauss2_free(ws);
}

/* Smooth table entries, s and s', against the adaptive quadrature. */
static void test_vs_quadrature(void)
{
    static const char *names[] = {"tanh", "sigmoid", "softplus", "gelu"};
    static const double vars[] = {1e-3, 0.35, 1.0};
    static const double rhos[] = {-1.0, -0.999999, -0.6, 0.0, 0.3, 0.9, 0.999999, 1.0};
    ntk_gauss2_ws *ws = ntk_gauss2_alloc();
    ntk_gauss2_hermite *h = malloc(2 * sizeof *h), *g = h + 1;
    for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
        const ntk_nonlin *s = ntk_nonlin_find(names[n]);
        double worst = 0.0;
        size_t count = 0;
        for (int d = 0; d < 2; d++) {
            double (*f)(double) = d ? s->df : s->f;
            for (size_t i = 0; i < 3; i++)
                for (size_t j = i; j < 3; j++) {
                    double a = vars[i], b = vars[j];
                    CHECK_OK(ntk_gauss2_hermite_coef(f, a, ws, h));
                    CHECK_OK(ntk_gauss2_hermite_coef(f, b, ws, g));
                    CU_ASSERT(h->K > 0 && g->K > 0);
                    if (!h->K || !g->K) continue;
                    double cs = sqrt(h->m2 * g->m2);
                    for (size_t r = 0; r < sizeof rhos / sizeof *rhos; r++) {
                        double q, c = rhos[r] * sqrt(a) * sqrt(b);
                        CHECK_OK(ntk_gauss2_expect(f, NULL, 0, f, NULL, 0, a, b, c, 1e-12, ws, &q));
                        double e = ntk_gauss2_hermite_expect(h, g, rhos[r]);
                        if (!CHECK_CLOSE(e, q, 0.0, QTOL * cs))
                            printf("\n    %s%s a = %g, b = %g, rho = %g", names[n], d ? "'" : "",
                                   a, b, rhos[r]);
                        if (fabs(e - q) / cs > worst) worst = fabs(e - q) / cs;
                        count++;
                    }
                }
        }
        printf("\n    %s, %s': expansion vs quadrature, %zu values, max |diff| / CS %.2g",
               names[n], names[n], count, worst);
    }
    free(h);
    ntk_gauss2_free(ws);
}

/* Where K terms cannot reach the tail bound the expansion is rejected, and
 * ntk_limit_expect falls back to the quadrature: the same numbers as forced. */
static void test_rejection(void)
{
    ntk_gauss2_ws *ws = ntk_gauss2_alloc();
    ntk_gauss2_hermite *h = malloc(sizeof *h);
    const ntk_nonlin *th = ntk_nonlin_find("tanh"), *relu = ntk_nonlin_find("relu");
    CHECK_OK(ntk_gauss2_hermite_coef(th->df, 4.0, ws, h));
    CU_ASSERT(h->K == 0); /* tanh' at variance 4 */
    CHECK_OK(ntk_gauss2_hermite_coef(relu->f, 1.0, ws, h));
    CU_ASSERT(h->K == 0); /* a kink: coefficients decay like a power */
    CHECK_OK(ntk_gauss2_hermite_coef(th->f, 0.0, ws, h));
    CU_ASSERT(h->K == 1 && h->m2 == 0.0 && h->c[0] == 0.0);
    ntk_limit_ws *wf = ntk_limit_alloc(), *wq = ntk_limit_alloc();
    ntk_limit_force_quadrature(wq, 1);
    double e1, d1, e2, d2;
    CHECK_OK(ntk_limit_expect(th, 4.0, 0.35, 0.9, wf, &e1, &d1));
    CHECK_OK(ntk_limit_expect(th, 4.0, 0.35, 0.9, wq, &e2, &d2));
    CU_ASSERT(e1 == e2 && d1 == d2); /* the fallback is the quadrature itself */
    CHECK_OK(ntk_limit_expect(th, 0.35, 0.2, 0.1, wf, &e1, &d1));
    CHECK_OK(ntk_limit_expect(th, 0.35, 0.2, 0.1, wq, &e2, &d2));
    CHECK_CLOSE(e1, e2, QTOL, 0.0);
    CHECK_CLOSE(d1, d2, QTOL, 0.0);
    /* errors */
    CU_ASSERT(ntk_gauss2_hermite_coef(NULL, 1.0, ws, h) == GSL_EFAULT);
    CU_ASSERT(ntk_gauss2_hermite_coef(th->f, -0.5, ws, h) == GSL_EINVAL);
    CU_ASSERT(ntk_gauss2_hermite_coef(th->f, NAN, ws, h) == GSL_EINVAL);
    CU_ASSERT(ntk_gauss2_hermite_coef(th->f, INFINITY, ws, h) == GSL_EINVAL);
    ntk_limit_free(wf);
    ntk_limit_free(wq);
    free(h);
    ntk_gauss2_free(ws);
}

/* The benchmark's case in small: a tanh Gram of MNIST-shaped inputs (784 intensities
 * in [0, 1]) at depth 5, and a GELU Gram at depth 4, entry by entry against pairs by
 * forced adaptive quadrature. */
static void check_gram(const char *name, size_t L, size_t N)
{
    const size_t n0 = 784;
    const ntk_nonlin *s = ntk_nonlin_find(name);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2385);
    double *X = malloc(N * n0 * sizeof *X), *S = malloc(2 * N * N * sizeof *S), *T = S + N * N;
    for (size_t k = 0; k < N * n0; k++) X[k] = gsl_rng_uniform(rng);
    ntk_limit_ws *wf = ntk_limit_alloc(), *wq = ntk_limit_alloc();
    ntk_limit_force_quadrature(wq, 1);
    CHECK_OK(ntk_limit_gram(s, L, 0.1, X, N, n0, wf, S, T));
    double worst = 0.0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = i; j < N; j++) {
            double Sq, Tq;
            CHECK_OK(ntk_limit_pair(s, L, 0.1, X + i * n0, X + j * n0, n0, wq, &Sq, &Tq));
            CHECK_CLOSE(S[i * N + j], Sq, KTOL, 0.0);
            CHECK_CLOSE(T[i * N + j], Tq, KTOL, 0.0);
            double e = fmax(fabs(S[i * N + j] - Sq) / Sq, fabs(T[i * N + j] - Tq) / Tq);
            if (e > worst) worst = e;
        }
    printf("\n    %s Gram, depth %zu, %zu MNIST-shaped points: max rel diff vs quadrature %.2g",
           name, L, N, worst);
    ntk_limit_free(wf);
    ntk_limit_free(wq);
    gsl_rng_free(rng);
    free(X);
    free(S);
}

static void test_gram_vs_quadrature(void)
{
    check_gram("tanh", 5, 4);
    check_gram("gelu", 4, 3);
}

void ntk_test_hermite(void)
{
    CU_pSuite s = CU_add_suite("hermite", NULL, NULL);
    CU_add_test(s, "Mehler expansion: exp and x^5 coefficients exact, E[e^u e^v] exact",
                test_exact_expansions);
    CU_add_test(s, "tanh, sigmoid, softplus, gelu (and ') vs adaptive quadrature, rho -1..1",
                test_vs_quadrature);
    CU_add_test(s, "rejected expansions (large variance, kinks) fall back to quadrature",
                test_rejection);
    CU_add_test(s, "tanh, gelu Gram (MNIST-shaped inputs) vs quadrature pairs",
                test_gram_vs_quadrature);
}
