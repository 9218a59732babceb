/* check.c - see check.h. */
#include "check.h"

#include <math.h>
#include <stdio.h>

#include "error.h"

static int close_enough(double a, double e, double rtol, double atol)
{
    if (isnan(a) || isnan(e)) return 0;
    if (isinf(e) || isinf(a)) return a == e;
    return fabs(a - e) <= atol + rtol * fabs(e);
}

int ntk_check_close_impl(double actual, double expected, double rtol, double atol,
                         const char *what, unsigned line, const char *file)
{
    int ok = close_enough(actual, expected, rtol, atol);
    char msg[512];
    snprintf(msg, sizeof msg, "%s = %.17g, expected %.17g (diff %.3g, rtol %.1g, atol %.1g)",
             what, actual, expected, actual - expected, rtol, atol);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
    return ok;
}

int ntk_check_array_impl(const double *actual, const double *expected, size_t n,
                         double rtol, double atol, const char *what, unsigned line,
                         const char *file)
{
    double worst = 0.0, max_abs = 0.0, max_rel = 0.0;
    size_t worst_i = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        double a = actual[i], e = expected[i];
        if (!close_enough(a, e, rtol, atol)) ok = 0;
        double d = fabs(a - e);
        if (isnan(d)) d = INFINITY;
        double score = d / (atol + rtol * fabs(e));
        if (d > max_abs) max_abs = d;
        if (e != 0.0 && d / fabs(e) > max_rel) max_rel = d / fabs(e);
        if (score > worst || isnan(score)) { worst = score; worst_i = i; }
    }
    printf("\n    %s: %zu values, max |diff| %.3g, max rel diff %.3g", what, n, max_abs, max_rel);
    char msg[512];
    snprintf(msg, sizeof msg, "%s: worst at %zu: %.17g vs %.17g (rtol %.1g, atol %.1g)", what,
             worst_i, n ? actual[worst_i] : 0.0, n ? expected[worst_i] : 0.0, rtol, atol);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
    return ok;
}

int ntk_check_ok_impl(int status, const char *what, unsigned line, const char *file)
{
    char msg[1200];
    snprintf(msg, sizeof msg, "%s returned %d: %s", what, status, ntk_last_error());
    CU_assertImplementation(status == 0 ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
    return status == 0;
}
