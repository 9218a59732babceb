/* mnist.h - MNIST as a classification task: a test set and a training set of digits
 * drawn at random, disjoint, from one IDX pair of images and labels (idx.h), each
 * digit with its label and its centred one-hot target for ten outputs.
 *
 * The draw is data.h's ntk_data_split: for one seed and test size M, the training sets
 * of every size N are nested, each the start of any larger one, and never meet the
 * test set. The targets are ntk_kreg_onehot's, [label = j] - 1/10 (kregress.h).
 */
#ifndef NTK_MNIST_H
#define NTK_MNIST_H

#include <stddef.h>

#define NTK_MNIST_CLASSES 10

typedef struct {
    size_t n, dim;   /* digits, pixels a digit (784 for MNIST's 28 x 28) */
    double *X;       /* n x dim: intensities in [0, 1] (byte / 255) */
    int *labels;     /* n: 0..9 */
    double *Y;       /* n x NTK_MNIST_CLASSES: centred one-hot targets */
} ntk_mnist_set;

/* Read the images and labels files (ntk_idx_mnist_load) and draw M >= 1 test and N >= 1
 * training digits with seed into *test and *train (allocated here; release them with
 * ntk_mnist_free). GSL_EINVAL, naming the file, when it holds fewer than M + N digits;
 * the reader's errors as they are. On error both sets are empty. */
int ntk_mnist_split(const char *images, const char *labels, unsigned long seed, size_t M, size_t N,
                    ntk_mnist_set *test, ntk_mnist_set *train);

/* Release a set (an empty or released one is fine). */
void ntk_mnist_free(ntk_mnist_set *s);

#endif
