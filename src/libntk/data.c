/* data.c - input sets of the experiments: the unit circle, Gaussian inputs, the sphere;
 * see data.h.
 *
 * Random inputs come from GSL's mt19937 seeded with gsl_rng_set(seed) and its
 * ziggurat Gaussian sampler, so a seed names one input set on every machine. (GSL's
 * mt19937 maps seed 0 to its default seed 4357: those two seeds give the same set.)
 */
#include "data.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int ntk_data_circle(size_t M, double *gamma, double *X)
{
    if (M < 2) NTK_FAIL(GSL_EINVAL, "ntk_data_circle: M = %zu, need at least 2 points", M);
    if (!X) NTK_FAIL(GSL_EINVAL, "ntk_data_circle: X is NULL");
    for (size_t k = 0; k < M; k++) {
        /* k / (M - 1) is exactly 0 and 1 at the ends, so the ends are exactly -pi, pi. */
        double g = -M_PI + 2.0 * M_PI * ((double)k / (double)(M - 1));
        if (gamma) gamma[k] = g;
        X[2 * k] = cos(g);
        X[2 * k + 1] = sin(g);
    }
    return 0;
}

int ntk_data_circle_at(size_t M, const double *gamma, double *X)
{
    if (M == 0) NTK_FAIL(GSL_EINVAL, "ntk_data_circle_at: no angles (M = 0)");
    if (!gamma || !X) NTK_FAIL(GSL_EINVAL, "ntk_data_circle_at: gamma or X is NULL");
    for (size_t k = 0; k < M; k++) {
        X[2 * k] = cos(gamma[k]);
        X[2 * k + 1] = sin(gamma[k]);
    }
    return 0;
}

/* The arguments shared by the random sets, checked; a seeded generator into *r. */
static int random_setup(const char *who, unsigned long seed, size_t N, size_t d,
                        const double *X, gsl_rng **r)
{
    if (N == 0 || d == 0) NTK_FAIL(GSL_EINVAL, "%s: empty set (N = %zu, d = %zu)", who, N, d);
    if (N > SIZE_MAX / d) NTK_FAIL(GSL_EINVAL, "%s: N d overflows (N = %zu, d = %zu)", who, N, d);
    if (!X) NTK_FAIL(GSL_EINVAL, "%s: X is NULL", who);
    *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!*r) NTK_FAIL(GSL_ENOMEM, "%s: cannot allocate the random number generator", who);
    gsl_rng_set(*r, seed);
    return 0;
}

int ntk_data_gaussian(unsigned long seed, size_t N, size_t d, double *X)
{
    gsl_rng *r;
    int status = random_setup("ntk_data_gaussian", seed, N, d, X, &r);
    if (status) return status;
    for (size_t i = 0; i < N * d; i++) X[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
    gsl_rng_free(r);
    return 0;
}

int ntk_data_sphere(unsigned long seed, size_t N, size_t d, double *X)
{
    gsl_rng *r;
    int status = random_setup("ntk_data_sphere", seed, N, d, X, &r);
    if (status) return status;
    /* Row i is the Gaussian row of ntk_data_gaussian(seed) divided by its norm; a row
     * of norm 0 (probability 0, but possible for d = 1 in principle) is drawn again. */
    for (size_t i = 0; i < N; i++) {
        double *x = X + i * d, norm2;
        do {
            norm2 = 0.0;
            for (size_t j = 0; j < d; j++) {
                x[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
                norm2 += x[j] * x[j];
            }
        } while (!(norm2 > 0.0));
        double norm = sqrt(norm2);
        for (size_t j = 0; j < d; j++) x[j] /= norm;
    }
    gsl_rng_free(r);
    return 0;
}

int ntk_data_draw(unsigned long seed, size_t count, size_t k, size_t *index)
{
    if (k > count) NTK_FAIL(GSL_EINVAL, "ntk_data_draw: %zu items asked of %zu", k, count);
    if (k > 0 && !index) NTK_FAIL(GSL_EINVAL, "ntk_data_draw: index is NULL");
    size_t *perm = malloc((count ? count : 1) * sizeof *perm);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!perm || !r) {
        free(perm), gsl_rng_free(r);
        NTK_FAIL(GSL_ENOMEM, "ntk_data_draw: out of memory (%zu items)", count);
    }
    gsl_rng_set(r, seed);
    /* partial Fisher-Yates: position i takes a uniform pick among the count - i left */
    for (size_t i = 0; i < count; i++) perm[i] = i;
    for (size_t i = 0; i < k; i++) {
        size_t j = i + gsl_rng_uniform_int(r, count - i), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
        index[i] = perm[i];
    }
    free(perm);
    gsl_rng_free(r);
    return 0;
}

int ntk_data_split(unsigned long seed, size_t count, size_t dim, const double *X, const int *labels, size_t M,
                   size_t N, double *Xt, int *lt, double *Xs, int *ls)
{
    const size_t K = M + N;
    if (K > count) NTK_FAIL(GSL_EINVAL, "ntk_data_split: %zu test and %zu training rows asked of %zu", M, N, count);
    if (!X || (M && !Xt) || (N && !Xs) || (labels && ((M && !lt) || (N && !ls))))
        NTK_FAIL(GSL_EINVAL, "ntk_data_split: a NULL array");
    size_t *idx = malloc((K ? K : 1) * sizeof *idx);
    if (!idx) NTK_FAIL(GSL_ENOMEM, "ntk_data_split: out of memory (%zu rows)", K);
    int st = ntk_data_draw(seed, count, K, idx);
    for (size_t i = 0; !st && i < K; i++) {
        const int test = i < M;
        const size_t r = test ? i : i - M;
        memcpy((test ? Xt : Xs) + r * dim, X + idx[i] * dim, dim * sizeof *X);
        if (labels) (test ? lt : ls)[r] = labels[idx[i]];
    }
    free(idx);
    return st;
}
