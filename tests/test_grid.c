/* test_grid.c - the logarithmic grid of recording steps (grid.h) against the list
 * written out by hand, its ends, counting without storing, its capacity, and bad
 * arguments. */
#include <math.h>
#include <string.h>

#include "error.h"
#include "grid.h"
#include "check.h"

/* 8 a decade up to 300: round(10^(j/8)) = 1 1 2 2 3 4 6 7 10 13 18 24 32 42 56 75 100
 * 133 178 237 (316 is past the end), the repeats once, 0 first and 300 last. */
static void test_by_hand(void)
{
    const double want[] = {0, 1, 2, 3, 4, 6, 7, 10, 13, 18, 24, 32, 42, 56, 75, 100, 133, 178, 237, 300};
    enum { W = sizeof want / sizeof want[0] };
    double k[64];
    size_t n = 0;
    CHECK_OK(ntk_grid_log_steps(8, 300, 64, k, &n));
    CU_ASSERT_FATAL(n == W);
    CU_ASSERT(memcmp(k, want, sizeof want) == 0);
    CHECK_OK(ntk_grid_log_steps(8, 300, 0, NULL, &n)); /* counting only */
    CU_ASSERT(n == W);
    CHECK_OK(ntk_grid_log_steps(8, 300, W, k, &n)); /* exactly full */
    CU_ASSERT(n == W);
    CU_ASSERT(ntk_grid_log_steps(8, 300, W - 1, k, &n) == GSL_EBADLEN);
    CU_ASSERT(strstr(ntk_last_error(), "20 points up to 300") != NULL);
    /* an end on the grid is not repeated; the shortest grid is both ends */
    CHECK_OK(ntk_grid_log_steps(8, 10, 64, k, &n));
    CU_ASSERT(n == 8 && k[6] == 7 && k[7] == 10);
    CHECK_OK(ntk_grid_log_steps(8, 1, 64, k, &n));
    CU_ASSERT(n == 2 && k[0] == 0 && k[1] == 1);
    CHECK_OK(ntk_grid_log_steps(1, 2385, 64, k, &n));
    CU_ASSERT(n == 6 && k[1] == 1 && k[2] == 10 && k[3] == 100 && k[4] == 1000 && k[5] == 2385);
}

/* A longer grid is the shorter one continued: they agree below the shorter one's end. */
static void test_prefix(void)
{
    double a[64], b[256];
    size_t na, nb;
    CHECK_OK(ntk_grid_log_steps(8, 300, 64, a, &na));
    CHECK_OK(ntk_grid_log_steps(8, 5e7, 256, b, &nb));
    CU_ASSERT(nb == 1 + 60 + 1); /* 0; round(10^(j/8)), j = 0..61, less the repeats at j = 1, 3; 5e7 */
    CU_ASSERT(memcmp(a, b, (na - 1) * sizeof *a) == 0);
    CU_ASSERT(b[na - 1] == 316 && b[nb - 1] == 5e7);
    for (size_t i = 1; i < nb; i++) CU_ASSERT(b[i] > b[i - 1]);
}

static void test_bad_args(void)
{
    double k[4];
    size_t n;
    CU_ASSERT(ntk_grid_log_steps(0, 300, 4, k, &n) == GSL_EINVAL);
    CU_ASSERT(ntk_grid_log_steps(8, 0.5, 4, k, &n) == GSL_EINVAL);
    CU_ASSERT(ntk_grid_log_steps(8, NAN, 4, k, &n) == GSL_EINVAL);
    CU_ASSERT(ntk_grid_log_steps(8, INFINITY, 4, k, &n) == GSL_EINVAL);
    CU_ASSERT(ntk_grid_log_steps(8, 300, 4, k, NULL) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "ntk_grid_log_steps") != NULL);
}

void ntk_test_grid(void)
{
    CU_pSuite s = CU_add_suite("grid", NULL, NULL);
    CU_add_test(s, "log steps by hand: repeats once, both ends, counting, capacity", test_by_hand);
    CU_add_test(s, "a longer grid continues a shorter one", test_prefix);
    CU_add_test(s, "bad arguments rejected", test_bad_args);
}
