/* data.h - input sets of the experiments: the unit circle, Gaussian inputs, the sphere,
 * random subsets of a data set, a test and a training set drawn from one. */
#ifndef NTK_DATA_H
#define NTK_DATA_H

#include <stddef.h>

/* M >= 2 equally spaced angles gamma_k = -pi + 2 pi k / (M - 1), k = 0..M-1 (both ends
 * included), into gamma (M, may be NULL), and the points (cos gamma_k, sin gamma_k)
 * into X (M x 2, row-major). */
int ntk_data_circle(size_t M, double *gamma, double *X);

/* The points (cos g, sin g) for M given angles, into X (M x 2). */
int ntk_data_circle_at(size_t M, const double *gamma, double *X);

/* N i.i.d. N(0, I_d) inputs into X (N x d), from a GSL mt19937 generator seeded with
 * seed: the same seed gives the same inputs. */
int ntk_data_gaussian(unsigned long seed, size_t N, size_t d, double *X);

/* N points drawn uniformly on the unit sphere of R^d (normalised Gaussians), X (N x d). */
int ntk_data_sphere(unsigned long seed, size_t N, size_t d, double *X);

/* k distinct indices of 0..count-1 drawn uniformly without replacement, in the order
 * drawn, into index (k): a partial Fisher-Yates shuffle of 0..count-1 by a GSL mt19937
 * seeded with seed (the draw Figure 3's batch has always used). A prefix of the draw is
 * itself a uniform draw, so the first m indices and the next k - m are disjoint sets. */
int ntk_data_draw(unsigned long seed, size_t count, size_t k, size_t *index);

/* A test set and a training set from one data set of count rows (X, count x dim;
 * labels, count): one draw of M + N distinct rows (ntk_data_draw, seed), its first M
 * copied into the test set (Xt, M x dim; lt, M), the next N into the training set (Xs,
 * N x dim; ls, N). The two are disjoint, and for one seed and M the training sets of
 * every N are nested: each is the start of any larger one. labels may be NULL (lt and
 * ls are then not written). GSL_EINVAL when M + N > count. */
int ntk_data_split(unsigned long seed, size_t count, size_t dim, const double *X, const int *labels, size_t M,
                   size_t N, double *Xt, int *lt, double *Xs, int *ls);

#endif
