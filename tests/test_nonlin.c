/* test_nonlin.c - the nonlinearity table: lookups, and each derivative against a
 * central difference. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nonlin.h"
#include "check.h"

static void test_lookup(void)
{
    const char *required[] = {"relu", "erf", "tanh", "sigmoid", "softplus", "gelu"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        const ntk_nonlin *s = ntk_nonlin_find(required[i]);
        CU_ASSERT(s != NULL && strcmp(s->name, required[i]) == 0);
    }
    CU_ASSERT(ntk_nonlin_find("ReLU") == NULL);
    CU_ASSERT(ntk_nonlin_find("") == NULL);
    CU_ASSERT(ntk_nonlin_find(NULL) == NULL);
    CU_ASSERT(ntk_nonlin_get(ntk_nonlin_count()) == NULL);
    CU_ASSERT(strstr(ntk_nonlin_names(), "softplus") != NULL);
    CU_ASSERT(ntk_nonlin_find("relu")->closed == NTK_CLOSED_RELU);
    CU_ASSERT(ntk_nonlin_find("erf")->closed == NTK_CLOSED_ERF);
}

/* sigma'(x) against (sigma(x+h) - sigma(x-h)) / 2h, whose error is h^2 sigma'''/6 plus
 * rounding eps |sigma| / h: with h = 1e-5 both are below 1e-9 for these functions on
 * |x| <= 4. Kinks are avoided by the sample points (none is within h of 0). */
static void test_derivatives(void)
{
    const double xs[] = {-3.7, -1.385, -0.25, 0.0137, 0.41, 1.0, 2.385, 3.9};
    const double h = 1e-5;
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        const ntk_nonlin *s = ntk_nonlin_get(k);
        double fd[8], d[8];
        for (size_t i = 0; i < 8; i++) {
            fd[i] = (s->f(xs[i] + h) - s->f(xs[i] - h)) / (2.0 * h);
            d[i] = s->df(xs[i]);
        }
        char what[64];
        snprintf(what, sizeof what, "%s' vs central difference", s->name);
        CHECK_ARRAY(d, fd, 8, 1e-8, 1e-9, what);
    }
}

/* Known values, computed by hand. */
static void test_values(void)
{
    CHECK_CLOSE(ntk_nonlin_find("relu")->f(-2.0), 0.0, 0, 0);
    CHECK_CLOSE(ntk_nonlin_find("relu")->f(2.385), 2.385, 0, 0);
    CHECK_CLOSE(ntk_nonlin_find("relu")->df(0.0), 0.0, 0, 0);
    CHECK_CLOSE(ntk_nonlin_find("sigmoid")->f(0.0), 0.5, 1e-16, 0);
    CHECK_CLOSE(ntk_nonlin_find("sigmoid")->f(-800.0), 0.0, 0, 1e-300);
    CHECK_CLOSE(ntk_nonlin_find("softplus")->f(0.0), log(2.0), 1e-16, 0);
    CHECK_CLOSE(ntk_nonlin_find("softplus")->f(800.0), 800.0, 1e-16, 0);
    CHECK_CLOSE(ntk_nonlin_find("gelu")->f(1.0), 0.8413447460685429, 1e-15, 0); /* Phi(1) */
    CHECK_CLOSE(ntk_nonlin_find("erf")->df(0.0), 2.0 / sqrt(M_PI), 1e-16, 0);
    /* the vectorised form agrees with the scalar one */
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        const ntk_nonlin *s = ntk_nonlin_get(k);
        double z[5] = {-1.5, -0.2, 0.0, 0.7, 3.1}, a[5], ra[5];
        ntk_nonlin_apply(s, 5, z, a);
        for (int i = 0; i < 5; i++) ra[i] = s->f(z[i]);
        CU_ASSERT(memcmp(a, ra, sizeof a) == 0);
    }
}

void ntk_test_nonlin(void)
{
    CU_pSuite s = CU_add_suite("nonlin", NULL, NULL);
    CU_add_test(s, "table lookups", test_lookup);
    CU_add_test(s, "derivatives against central differences", test_derivatives);
    CU_add_test(s, "values at known points", test_values);
}
