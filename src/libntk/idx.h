/* idx.h - the IDX file format (MNIST's), read and written, gzip or plain.
 *
 * An IDX file is a 4-byte magic number 0x00 0x00 TYPE NDIM, then NDIM big-endian
 * 32-bit dimensions, then the prod(dims) values, big-endian, of TYPE:
 * 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32,
 * 0x0E float64. MNIST's images are type 0x08 with dims (count, 28, 28), its labels
 * type 0x08 with dims (count).
 *
 * The reader accepts a gzip-compressed or a plain file (zlib's gzread reads both)
 * and validates everything: magic number, type, NDIM (1..8), dimensions (non-zero,
 * product within limits), and the length: a file that ends early or carries bytes
 * after the last value is rejected with a message naming the file and the problem.
 */
#ifndef NTK_IDX_H
#define NTK_IDX_H

#include <stddef.h>

#define NTK_IDX_UBYTE 0x08
#define NTK_IDX_SBYTE 0x09
#define NTK_IDX_INT16 0x0B
#define NTK_IDX_INT32 0x0C
#define NTK_IDX_FLOAT32 0x0D
#define NTK_IDX_FLOAT64 0x0E
#define NTK_IDX_MAX_DIMS 8

typedef struct {
    int type;                        /* one of NTK_IDX_* */
    size_t ndim;                     /* 1 .. NTK_IDX_MAX_DIMS */
    size_t dims[NTK_IDX_MAX_DIMS];
    size_t count;                    /* product of the dims */
    double *data;                    /* count values, in file order, as doubles */
} ntk_idx;

/* Read path into *out (zeroed first). Returns 0, or non-zero with ntk_last_error()
 * naming the file and what is wrong; *out is then empty. */
int ntk_idx_read(const char *path, ntk_idx *out);

/* Release what ntk_idx_read allocated (safe on an empty or freed ntk_idx). */
void ntk_idx_free(ntk_idx *idx);

/* Write count = prod(dims) values as an IDX file of the given type, gzip-compressed
 * when gzip != 0. Values must be representable in the type (integers in range,
 * finite); the file is replaced whole or not at all (atomic.h). */
int ntk_idx_write(const char *path, int type, size_t ndim, const size_t *dims,
                  const double *data, int gzip);

/* MNIST-style pair: images (count x rows x cols, ubyte) scaled to [0, 1] by /255
 * into *X (count x rows*cols, row-major, malloc'd), labels (count, ubyte, 0..9)
 * into *labels (malloc'd). Checks that the counts agree and labels are digits. */
int ntk_idx_mnist_load(const char *images_path, const char *labels_path,
                   double **X, int **labels, size_t *count, size_t *dim);

/* The labels file beside an images file: the same path with "images-idx3" replaced
 * by "labels-idx1" in its last component (train-images-idx3-ubyte.gz ->
 * train-labels-idx1-ubyte.gz). Returns 0, or non-zero if the name has no such part
 * or buf (size bytes) is too small. */
int ntk_idx_mnist_labels_path(const char *images_path, char *buf, size_t size);

#endif
