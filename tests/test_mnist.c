/* test_mnist.c - MNIST as a task (mnist.h), on a small IDX pair written here: the test
 * and training digits are the rows of one draw (data.h), scaled to [0, 1], with their
 * own labels and centred one-hot targets; nested training sets; the errors. */
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "idx.h"
#include "mnist.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];
static int suite_init(void) { return ntk_tmpdir_make(dir, sizeof dir, "mnist"); }
static int suite_clean(void) { return ntk_tmpdir_remove(dir); }

/* 12 digits of 2 x 3 pixels: digit i has pixels 20 i + p, label (5 i + 2) mod 10. */
enum { CNT = 12, PIX = 6 };

static void write_pair(char *images, char *labels, size_t size)
{
    double pix[CNT * PIX], lab[CNT];
    for (int i = 0; i < CNT; i++) {
        for (int p = 0; p < PIX; p++) pix[i * PIX + p] = 20 * i + p;
        lab[i] = (5 * i + 2) % 10;
    }
    const size_t di[] = {CNT, 2, 3}, dl[] = {CNT};
    snprintf(images, size, "%s", ntk_tmpdir_path(dir, "t10k-images-idx3-ubyte.gz"));
    snprintf(labels, size, "%s", ntk_tmpdir_path(dir, "t10k-labels-idx1-ubyte.gz"));
    CHECK_OK(ntk_idx_write(images, NTK_IDX_UBYTE, 3, di, pix, 1));
    CHECK_OK(ntk_idx_write(labels, NTK_IDX_UBYTE, 1, dl, lab, 0));
}

static void test_split(void)
{
    char images[256], labels[256];
    write_pair(images, labels, sizeof images);
    ntk_mnist_set test, train, small, small_test;
    CHECK_OK(ntk_mnist_split(images, labels, 2385, 4, 6, &test, &train));
    CU_ASSERT_FATAL(test.n == 4 && train.n == 6 && test.dim == PIX && train.dim == PIX);
    size_t idx[10];
    CHECK_OK(ntk_data_draw(2385, CNT, 10, idx));
    int ok = 1;
    for (int k = 0; k < 10; k++) {
        const ntk_mnist_set *s = k < 4 ? &test : &train;
        const size_t r = k < 4 ? (size_t)k : (size_t)k - 4, i = idx[k];
        for (int p = 0; p < PIX; p++) ok &= s->X[r * PIX + p] == (20.0 * i + p) / 255.0;
        ok &= s->labels[r] == (int)((5 * i + 2) % 10);
        for (int j = 0; j < NTK_MNIST_CLASSES; j++) ok &= s->Y[r * 10 + j] == (j == s->labels[r]) - 0.1;
    }
    CU_ASSERT(ok);
    /* a smaller training set: the same test digits, the start of the larger one */
    CHECK_OK(ntk_mnist_split(images, labels, 2385, 4, 3, &small_test, &small));
    CU_ASSERT(memcmp(small_test.X, test.X, 4 * PIX * sizeof *test.X) == 0);
    CU_ASSERT(memcmp(small.X, train.X, 3 * PIX * sizeof *train.X) == 0);
    CU_ASSERT(memcmp(small.Y, train.Y, 3 * 10 * sizeof *train.Y) == 0);
    ntk_mnist_free(&test), ntk_mnist_free(&train), ntk_mnist_free(&small), ntk_mnist_free(&small_test);
    ntk_mnist_free(&test); /* twice is fine */
    ntk_mnist_free(NULL);
}

static void test_errors(void)
{
    char images[256], labels[256];
    write_pair(images, labels, sizeof images);
    ntk_mnist_set test, train;
    CU_ASSERT(ntk_mnist_split(images, labels, 1, 8, 5, &test, &train) == GSL_EINVAL);
    CU_ASSERT(strstr(ntk_last_error(), "holds 12 digits, fewer than 8 test + 5 training") != NULL);
    CU_ASSERT(test.X == NULL && train.X == NULL && test.n == 0);
    CU_ASSERT(ntk_mnist_split(images, labels, 1, 0, 5, &test, &train) == GSL_EINVAL);
    CU_ASSERT(ntk_mnist_split(images, ntk_tmpdir_path(dir, "missing"), 1, 2, 5, &test, &train) != 0);
    CU_ASSERT(strstr(ntk_last_error(), "missing") != NULL);
    CU_ASSERT(test.X == NULL && train.X == NULL);
    CU_ASSERT(ntk_mnist_split(images, labels, 1, 2, 5, NULL, &train) == GSL_EINVAL);
}

void ntk_test_mnist(void)
{
    CU_pSuite s = CU_add_suite("mnist", suite_init, suite_clean);
    CU_add_test(s, "split: rows of one draw, scaled, labels and one-hot targets, nested", test_split);
    CU_add_test(s, "too few digits, empty sets, a missing file", test_errors);
}
