/* test_params.c - profiles and command-line parameters of the experiments. */
#include <string.h>

#include "error.h"
#include "params.h"
#include "check.h"

static const ntk_param_def defs[] = {
    {"widths", "10,20", "500,2000", "500,10000", "hidden widths"},
    {"steps", "5", "200", "200", "gradient steps"},
    {"lr", "1.0", "1.0", "1.0", "learning rate"},
};
#define ND (sizeof defs / sizeof *defs)

static int parse(ntk_params *p, int argc, const char **argv)
{
    return ntk_params_parse(p, defs, ND, argc, (char **)argv);
}

static void test_profiles(void)
{
    ntk_params p;
    const char *a0[] = {"prog"};
    CHECK_OK(parse(&p, 1, a0));
    CU_ASSERT(strcmp(p.profile, "default") == 0);
    CU_ASSERT(strcmp(ntk_params_str(&p, "widths"), "500,2000") == 0);
    const char *a1[] = {"prog", "profile=paper"};
    CHECK_OK(parse(&p, 2, a1));
    CU_ASSERT(strcmp(ntk_params_str(&p, "widths"), "500,10000") == 0);
    const char *a2[] = {"prog", "--profile", "smoke", "steps=7", "--lr=0.5"};
    CHECK_OK(parse(&p, 5, a2));
    long steps;
    double lr;
    CHECK_OK(ntk_params_long(&p, "steps", 0, 100, &steps));
    CHECK_OK(ntk_params_double(&p, "lr", 0, 10, &lr));
    CU_ASSERT(steps == 7 && lr == 0.5 && p.overridden[1] && !p.overridden[0]);
    long w[4];
    size_t nw;
    CHECK_OK(ntk_params_longs(&p, "widths", 1, 100000, 4, w, &nw));
    CU_ASSERT(nw == 2 && w[0] == 10 && w[1] == 20);
    const char *a3[] = {"prog", "--help"};
    CU_ASSERT(parse(&p, 2, a3) == NTK_PARAMS_HELP);
}

static void test_errors(void)
{
    ntk_params p;
    const char *a1[] = {"prog", "profile=huge"};
    CU_ASSERT(parse(&p, 2, a1) == GSL_EINVAL && strstr(ntk_last_error(), "unknown profile 'huge'"));
    const char *a2[] = {"prog", "stepz=3"};
    CU_ASSERT(parse(&p, 2, a2) == GSL_EINVAL && strstr(ntk_last_error(), "unknown parameter 'stepz'"));
    const char *a3[] = {"prog", "--steps"};
    CU_ASSERT(parse(&p, 2, a3) == GSL_EINVAL && strstr(ntk_last_error(), "needs a value"));
    const char *a4[] = {"prog", "steps"};
    CU_ASSERT(parse(&p, 2, a4) == GSL_EINVAL);
    const char *a5[] = {"prog", "steps="};
    CU_ASSERT(parse(&p, 2, a5) == GSL_EINVAL && strstr(ntk_last_error(), "empty value"));
    long v, w[2];
    double d;
    size_t n;
    const char *a6[] = {"prog", "steps=-4", "lr=abc", "widths=0,5"};
    CHECK_OK(parse(&p, 4, a6));
    CU_ASSERT(ntk_params_long(&p, "steps", 0, 100, &v) == GSL_EINVAL && strstr(ntk_last_error(), "out of range"));
    CU_ASSERT(ntk_params_double(&p, "lr", 0, 10, &d) == GSL_EINVAL && strstr(ntk_last_error(), "not a finite number"));
    CU_ASSERT(ntk_params_longs(&p, "widths", 1, 100, 2, w, &n) == GSL_EINVAL);
    const char *a7[] = {"prog", "widths=1,,2", "steps=3x", "lr=inf"};
    CHECK_OK(parse(&p, 4, a7));
    CU_ASSERT(ntk_params_longs(&p, "widths", 1, 100, 4, w, &n) == GSL_EINVAL);
    CU_ASSERT(ntk_params_long(&p, "steps", 0, 100, &v) == GSL_EINVAL);
    CU_ASSERT(ntk_params_double(&p, "lr", 0, 10, &d) == GSL_EINVAL);
    const char *a8[] = {"prog", "widths=1,2,3"};
    CHECK_OK(parse(&p, 2, a8));
    CU_ASSERT(ntk_params_longs(&p, "widths", 1, 100, 2, w, &n) == GSL_EINVAL);
}

void ntk_test_params(void)
{
    CU_pSuite s = CU_add_suite("params", NULL, NULL);
    CU_add_test(s, "profiles and overrides", test_profiles);
    CU_add_test(s, "bad arguments are rejected with a message", test_errors);
}
