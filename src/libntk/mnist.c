/* mnist.c - see mnist.h. */
#include "mnist.h"

#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "idx.h"
#include "kregress.h"

void ntk_mnist_free(ntk_mnist_set *s)
{
    if (!s) return;
    free(s->X), free(s->labels), free(s->Y);
    memset(s, 0, sizeof *s);
}

static int set_alloc(ntk_mnist_set *s, size_t n, size_t dim)
{
    s->n = n, s->dim = dim;
    s->X = malloc(n * dim * sizeof *s->X);
    s->labels = malloc(n * sizeof *s->labels);
    s->Y = malloc(n * NTK_MNIST_CLASSES * sizeof *s->Y);
    if (!s->X || !s->labels || !s->Y) NTK_FAIL(GSL_ENOMEM, "ntk_mnist_split: out of memory (%zu digits)", n);
    return 0;
}

int ntk_mnist_split(const char *images, const char *labels, unsigned long seed, size_t M, size_t N,
                    ntk_mnist_set *test, ntk_mnist_set *train)
{
    if (!test || !train) NTK_FAIL(GSL_EINVAL, "ntk_mnist_split: no set to fill");
    memset(test, 0, sizeof *test), memset(train, 0, sizeof *train);
    if (M < 1 || N < 1) NTK_FAIL(GSL_EINVAL, "ntk_mnist_split: need test and training digits (M = %zu, N = %zu)", M, N);
    double *all;
    int *lab;
    size_t count, dim;
    int st = ntk_idx_mnist_load(images, labels, &all, &lab, &count, &dim);
    if (st) return st;
    if (M + N > count)
        st = ntk_error(GSL_EINVAL, "%s holds %zu digits, fewer than %zu test + %zu training", images, count, M, N);
    if (!st) st = set_alloc(test, M, dim);
    if (!st) st = set_alloc(train, N, dim);
    if (!st) st = ntk_data_split(seed, count, dim, all, lab, M, N, test->X, test->labels, train->X, train->labels);
    if (!st) st = ntk_kreg_onehot(M, NTK_MNIST_CLASSES, test->labels, test->Y);
    if (!st) st = ntk_kreg_onehot(N, NTK_MNIST_CLASSES, train->labels, train->Y);
    free(all), free(lab);
    if (st) ntk_mnist_free(test), ntk_mnist_free(train);
    return st;
}
