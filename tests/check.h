/* check.h - numerical assertions for the CUnit suites.
 *
 * A value passes when it is finite (or equals an expected infinity) and
 *   |actual - expected| <= atol + rtol |expected|,
 * so a zero expected value needs atol, and NaN never passes. On failure the values
 * and the difference go to CUnit's failure record (and so to the summary).
 * Tolerances in the suites follow from the mathematics (rounding, quadrature error,
 * first-order remainders) or from statistics measured in the test, never from the
 * code's own output.
 */
#ifndef NTK_CHECK_H
#define NTK_CHECK_H

#include <CUnit/CUnit.h>
#include <stddef.h>

int ntk_check_close_impl(double actual, double expected, double rtol, double atol,
                         const char *what, unsigned line, const char *file);

/* Largest |a - e| / (atol + rtol |e|) over n values, asserted <= 1; prints the
 * largest absolute and relative difference with the label `what` on stdout. */
int ntk_check_array_impl(const double *actual, const double *expected, size_t n,
                         double rtol, double atol, const char *what, unsigned line,
                         const char *file);

#define CHECK_CLOSE(actual, expected, rtol, atol)                                     \
    ntk_check_close_impl((actual), (expected), (rtol), (atol), #actual, __LINE__, __FILE__)

#define CHECK_ARRAY(actual, expected, n, rtol, atol, what)                            \
    ntk_check_array_impl((actual), (expected), (n), (rtol), (atol), (what), __LINE__,  \
                         __FILE__)

/* Assert an integer status is 0, showing ntk_last_error() when not. */
int ntk_check_ok_impl(int status, const char *what, unsigned line, const char *file);
#define CHECK_OK(call) ntk_check_ok_impl((call), #call, __LINE__, __FILE__)

/* Each test file registers its suite with one of these (see tests/main.c). */
void ntk_test_nonlin(void);
void ntk_test_net(void);
void ntk_test_entk(void);
void ntk_test_limit(void);
void ntk_test_hermite(void);
void ntk_test_kla(void);
void ntk_test_kregress(void);
void ntk_test_data(void);
void ntk_test_grid(void);
void ntk_test_mnist(void);
void ntk_test_idx(void);
void ntk_test_output(void);
void ntk_test_params(void);
void ntk_test_cli(void);
void ntk_test_blas(void);
void ntk_test_table(void);
void ntk_test_experiments(void);
void ntk_test_rf(void);
void ntk_test_checkpoint(void);
void ntk_test_precision(void);
void ntk_test_stats(void);
void ntk_test_atomic(void);

#endif
