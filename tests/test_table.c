/* test_table.c - data files read back (table.h) as output.h wrote them, and the
 * statistics of stats.h against values worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "output.h"
#include "stats.h"
#include "table.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];

static void test_round_trip(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/a.dat", dir);
    ntk_out *o = ntk_out_open(path, "test_table");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_param(o, "width", "%d", 500));
    CHECK_OK(ntk_out_param(o, "theta", "%.17g", 0.1 + 0.2));
    CHECK_OK(ntk_out_columns(o, "gamma theta_0 theta_T"));
    const double rows[4][3] = {{-3.14, 1.0 / 3.0, 2e-300}, {0.0, -0.0, 1e300}, {1.5, 2.5, 3.5}, {7, 8, 9}};
    for (int i = 0; i < 2; i++) CHECK_OK(ntk_out_row(o, 3, rows[i]));
    CHECK_OK(ntk_out_next_set(o));
    for (int i = 2; i < 4; i++) CHECK_OK(ntk_out_row(o, 3, rows[i]));
    CHECK_OK(ntk_out_close(o));
    ntk_table t;
    CHECK_OK(ntk_table_read(path, &t));
    CU_ASSERT(t.ncols == 3 && t.nrows == 4 && t.nsets == 2 && t.set_end[0] == 2 && t.set_end[1] == 4);
    CU_ASSERT(ntk_table_col(&t, "theta_T") == 2 && ntk_table_col(&t, "nope") == -1);
    CU_ASSERT(memcmp(t.v, rows, sizeof rows) == 0); /* %.17g round-trips exactly */
    CU_ASSERT(strcmp(ntk_table_param(&t, "width"), "500") == 0);
    CU_ASSERT(atof(ntk_table_param(&t, "theta")) == 0.1 + 0.2);
    CU_ASSERT(ntk_table_param(&t, "depth") == NULL);
    CU_ASSERT(ntk_table_get(&t, 3, "theta_0") == 8.0 && isnan(ntk_table_get(&t, 0, "x")));
    ntk_table_free(&t);
    ntk_table_free(&t); /* twice is safe */
}

static void test_rejects(void)
{
    const char *bad[][2] = {
        {"# columns: a b\n1 2\n3\n", "too few"},
        {"# columns: a b\n1 2 3\n", "too many"},
        {"1 2\n", "before the '# columns:'"},
        {"# columns: a b\n1 x\n", "not a number"},
        {"# columns: a\n# columns: b\n", "second columns"},
        {"# just a comment\n", "no '# columns:'"},
    };
    char path[256];
    snprintf(path, sizeof path, "%s/bad.dat", dir);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ntk_tmpdir_write(path, bad[i][0]);
        ntk_table t;
        CU_ASSERT(ntk_table_read(path, &t) != 0);
        CU_ASSERT(strstr(ntk_last_error(), bad[i][1]) != NULL);
        CU_ASSERT(strstr(ntk_last_error(), path) != NULL);
        CU_ASSERT(t.v == NULL && t.ncols == 0);
    }
    ntk_table t;
    snprintf(path, sizeof path, "%s/missing.dat", dir);
    CU_ASSERT(ntk_table_read(path, &t) != 0 && strstr(ntk_last_error(), "cannot open"));
}

static void test_stats(void)
{
    const double a[3] = {1, 2, 2}, b[3] = {1, 2, 4};
    CHECK_CLOSE(ntk_stats_rel_l2_dist(3, a, b), 2.0 / sqrt(21.0), 1e-15, 0);
    const double z[2] = {0, 0};
    CU_ASSERT(isnan(ntk_stats_rel_l2_dist(2, a, z)));
    double m, s;
    const double x[4] = {2, 4, 4, 6};
    ntk_stats_mean_std(4, x, &m, &s);
    CHECK_CLOSE(m, 4.0, 1e-15, 0);
    CHECK_CLOSE(s, sqrt(8.0 / 3.0), 1e-15, 0);
    ntk_stats_mean_std(1, x, &m, &s);
    CU_ASSERT(m == 2.0 && s == 0.0);
    /* Phi^-1(0.9) = 1.2815515655446004 */
    CHECK_CLOSE(ntk_stats_normal_quantile(0.5, 4.0, 0.9), 0.5 + 2.0 * 1.2815515655446004, 1e-14, 0);
    CHECK_CLOSE(ntk_stats_normal_quantile(0.5, 4.0, 0.5), 0.5, 0, 1e-15);
    CHECK_CLOSE(ntk_stats_normal_quantile(0.5, -1e-18, 0.1), 0.5, 0, 0);
    /* y = 3 x^-0.5 exactly */
    const double px[4] = {10, 100, 1000, 10000};
    double py[4], c;
    for (int i = 0; i < 4; i++) py[i] = 3.0 / sqrt(px[i]);
    CHECK_CLOSE(ntk_stats_loglog_slope(4, px, py, &c), -0.5, 1e-13, 0);
    CHECK_CLOSE(c, log(3.0), 1e-13, 0);
    CU_ASSERT(isnan(ntk_stats_loglog_slope(1, px, py, NULL)));
    py[2] = -1.0;
    CU_ASSERT(isnan(ntk_stats_loglog_slope(4, px, py, NULL)));
}

static int setup(void) { return ntk_tmpdir_make(dir, sizeof dir, "table"); }
static int teardown(void) { return ntk_tmpdir_remove(dir); }

void ntk_test_table(void)
{
    CU_pSuite s = CU_add_suite("table", setup, teardown);
    CU_add_test(s, "data files read back exactly", test_round_trip);
    CU_add_test(s, "malformed data files rejected with a message", test_rejects);
    CU_add_test(s, "statistics: distances, spreads, quantiles, slopes", test_stats);
}
