/* idx.c - the IDX file format (MNIST's), read and written through zlib; see idx.h.
 *
 * zlib's gzread reads a gzip stream or, when the file does not start with the gzip
 * magic number, the plain bytes, so one reader serves both. It reports a gzip
 * stream that ends early as the non-fatal error Z_BUF_ERROR (the bytes before it
 * are still delivered) and a stream whose check value is wrong only when its end is
 * reached, so the reader always reads one step past the last value: that read
 * finds trailing bytes, a missing gzip trailer and a bad CRC alike.
 *
 * Values are decoded chunk by chunk into a buffer that grows as data arrives, so a
 * header that promises 2^31 values in a file of a few bytes costs no more memory
 * than the file holds. A float file holding NaN or an infinity is rejected too: the
 * writer refuses them, and no input of the experiments can use one.
 */
#include "idx.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "atomic.h"
#include "error.h"

/* At most 2^31 values per file (16 GiB as doubles): a sane bound, far above MNIST. */
#define IDX_MAX_VALUES ((size_t)1 << 31)
#define IDX_CHUNK 65536 /* bytes per read or write; a multiple of every value size */

_Static_assert(sizeof(size_t) >= 8, "idx.c assumes a 64-bit size_t");

/* Size in bytes of one value of the type, 0 for an unknown type. */
static size_t type_size(int type)
{
    switch (type) {
    case NTK_IDX_UBYTE: return 1;
    case NTK_IDX_SBYTE: return 1;
    case NTK_IDX_INT16: return 2;
    case NTK_IDX_INT32: return 4;
    case NTK_IDX_FLOAT32: return 4;
    case NTK_IDX_FLOAT64: return 8;
    default: return 0;
    }
}

static const char *type_name(int type)
{
    switch (type) {
    case NTK_IDX_UBYTE: return "ubyte";
    case NTK_IDX_SBYTE: return "sbyte";
    case NTK_IDX_INT16: return "int16";
    case NTK_IDX_INT32: return "int32";
    case NTK_IDX_FLOAT32: return "float32";
    case NTK_IDX_FLOAT64: return "float64";
    default: return "unknown";
    }
}

static uint32_t load_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static uint64_t load_be64(const unsigned char *b)
{
    return (uint64_t)load_be32(b) << 32 | load_be32(b + 4);
}

static void store_be32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

static void store_be64(unsigned char *b, uint64_t v)
{
    store_be32(b, (uint32_t)(v >> 32));
    store_be32(b + 4, (uint32_t)v);
}

/* One big-endian value of the type at b, as a double (exact for every type). */
static double decode(int type, const unsigned char *b)
{
    switch (type) {
    case NTK_IDX_UBYTE: return b[0];
    case NTK_IDX_SBYTE: return (int8_t)b[0];
    case NTK_IDX_INT16: return (int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]);
    case NTK_IDX_INT32: return (int32_t)load_be32(b);
    case NTK_IDX_FLOAT32: {
        uint32_t u = load_be32(b);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    default: { /* NTK_IDX_FLOAT64 */
        uint64_t u = load_be64(b);
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    }
}

/* v, already checked representable, as one big-endian value of the type at b. */
static void encode(int type, double v, unsigned char *b)
{
    switch (type) {
    case NTK_IDX_UBYTE: b[0] = (unsigned char)v; break;
    case NTK_IDX_SBYTE: b[0] = (unsigned char)(int8_t)v; break;
    case NTK_IDX_INT16: {
        uint16_t u = (uint16_t)(int16_t)v;
        b[0] = (unsigned char)(u >> 8);
        b[1] = (unsigned char)u;
        break;
    }
    case NTK_IDX_INT32: store_be32(b, (uint32_t)(int32_t)v); break;
    case NTK_IDX_FLOAT32: {
        float f = (float)v;
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        store_be32(b, u);
        break;
    }
    default: { /* NTK_IDX_FLOAT64 */
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        store_be64(b, u);
        break;
    }
    }
}

/* Whether v can be stored in the type: integers within range, finite floats
 * (float32 rounds to nearest, so only its range is checked). NaN fails every
 * comparison and so every test. */
static int representable(int type, double v)
{
    switch (type) {
    case NTK_IDX_UBYTE: return v >= 0.0 && v <= 255.0 && v == floor(v);
    case NTK_IDX_SBYTE: return v >= -128.0 && v <= 127.0 && v == floor(v);
    case NTK_IDX_INT16: return v >= -32768.0 && v <= 32767.0 && v == floor(v);
    case NTK_IDX_INT32: return v >= -2147483648.0 && v <= 2147483647.0 && v == floor(v);
    case NTK_IDX_FLOAT32: return fabs(v) <= FLT_MAX;
    case NTK_IDX_FLOAT64: return isfinite(v);
    default: return 0;
    }
}

static const char *type_range(int type)
{
    switch (type) {
    case NTK_IDX_UBYTE: return "an integer in 0..255";
    case NTK_IDX_SBYTE: return "an integer in -128..127";
    case NTK_IDX_INT16: return "an integer in -32768..32767";
    case NTK_IDX_INT32: return "an integer in -2147483648..2147483647";
    case NTK_IDX_FLOAT32: return "finite and within float32 range";
    default: return "finite";
    }
}

/* ---------------------------------------------------------------------------------
 * Reading
 */

/* zlib's message for the stream's error state, NULL when there is none. Z_BUF_ERROR
 * (a gzip stream that ends early) sets *early instead. zlib prefixes its messages
 * with the path, which our own messages already name, so the prefix is dropped. */
static const char *gz_problem(gzFile gz, const char *path, int *early)
{
    int err = Z_OK;
    const char *msg = gzerror(gz, &err);
    if (early) *early = (err == Z_BUF_ERROR);
    if (err == Z_OK || err == Z_BUF_ERROR) return NULL;
    if (err == Z_ERRNO) return strerror(errno);
    size_t n = strlen(path);
    if (msg && strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) msg += n + 2;
    return msg && *msg ? msg : "unknown zlib error";
}

/* Why reading failed, as a phrase for a message (in buf, size bytes). */
static const char *gz_why(gzFile gz, const char *path, char *buf, size_t size)
{
    int err = Z_OK;
    gzerror(gz, &err);
    const char *msg = gz_problem(gz, path, NULL);
    if (err == Z_MEM_ERROR)
        snprintf(buf, size, "out of memory in zlib");
    else if (err == Z_ERRNO || !msg)
        snprintf(buf, size, "read error: %s", msg ? msg : "unknown");
    else
        snprintf(buf, size, "corrupt gzip stream (%s)", msg);
    return buf;
}

/* Read up to n bytes into buf; *got is how many arrived (fewer only at the end of
 * the data). Returns 0, or -1 on a read or decompression error. */
static int gz_read_full(gzFile gz, unsigned char *buf, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        size_t want = n - *got;
        if (want > IDX_CHUNK) want = IDX_CHUNK;
        int r = gzread(gz, buf + *got, (unsigned)want);
        if (r < 0) return -1;
        if (r == 0) break;
        *got += (size_t)r;
    }
    return 0;
}

/* The body of ntk_idx_read once the file is open; everything it allocates is in out. */
static int idx_read_stream(gzFile gz, const char *path, ntk_idx *out)
{
    unsigned char buf[IDX_CHUNK];
    char why[256];
    int early = 0;
    size_t got;

    /* Magic number: 0x00 0x00 TYPE NDIM. */
    if (gz_read_full(gz, buf, 4, &got) != 0 || gz_problem(gz, path, &early))
        NTK_FAIL(GSL_EFAILED, "%s: %s", path, gz_why(gz, path, why, sizeof why));
    if (got == 0 && !early) NTK_FAIL(GSL_EFAILED, "%s: empty file, not an IDX file", path);
    if (got < 4)
        NTK_FAIL(GSL_EFAILED, "%s: truncated header: expected a 4-byte magic number, found %zu "
                 "bytes%s", path, got, early ? " (the gzip stream ends early)" : "");
    if (buf[0] != 0 || buf[1] != 0)
        NTK_FAIL(GSL_EFAILED, "%s: not an IDX file: bad magic number 0x%02x%02x%02x%02x (must "
                 "start with two zero bytes)", path, buf[0], buf[1], buf[2], buf[3]);
    int type = buf[2];
    size_t ndim = buf[3];
    size_t size = type_size(type);
    if (size == 0)
        NTK_FAIL(GSL_EFAILED, "%s: unknown IDX data type 0x%02x (known: 0x08, 0x09, 0x0B, 0x0C, "
                 "0x0D, 0x0E)", path, (unsigned)type);
    if (ndim < 1 || ndim > NTK_IDX_MAX_DIMS)
        NTK_FAIL(GSL_EFAILED, "%s: %zu dimensions, not in 1..%d", path, ndim, NTK_IDX_MAX_DIMS);

    /* Dimensions: NDIM big-endian 32-bit sizes. */
    if (gz_read_full(gz, buf, 4 * ndim, &got) != 0 || gz_problem(gz, path, &early))
        NTK_FAIL(GSL_EFAILED, "%s: %s", path, gz_why(gz, path, why, sizeof why));
    if (got < 4 * ndim)
        NTK_FAIL(GSL_EFAILED, "%s: truncated header: expected %zu bytes of dimensions, found "
                 "%zu%s", path, 4 * ndim, got, early ? " (the gzip stream ends early)" : "");
    size_t count = 1;
    for (size_t k = 0; k < ndim; k++) {
        size_t d = load_be32(buf + 4 * k);
        if (d == 0) NTK_FAIL(GSL_EFAILED, "%s: dimension %zu is zero", path, k);
        if (count > IDX_MAX_VALUES / d)
            NTK_FAIL(GSL_EFAILED, "%s: the dimensions ask for more than 2^31 values", path);
        count *= d;
        out->dims[k] = d;
    }
    out->type = type;
    out->ndim = ndim;
    out->count = count;

    /* The values, decoded chunk by chunk into a buffer that grows as they arrive. */
    size_t expected = count * size, total = 0, cap = count < 65536 ? count : 65536;
    out->data = malloc(cap * sizeof(double));
    if (!out->data) NTK_FAIL(GSL_ENOMEM, "%s: out of memory for %zu values", path, cap);
    while (total < expected) {
        size_t want = expected - total < IDX_CHUNK ? expected - total : IDX_CHUNK;
        if (gz_read_full(gz, buf, want, &got) != 0 || gz_problem(gz, path, &early))
            NTK_FAIL(GSL_EFAILED, "%s: %s, after %zu bytes of data", path,
                     gz_why(gz, path, why, sizeof why), total);
        size_t first = total / size, n = got / size;
        if (first + n > cap) {
            while (cap < first + n) cap = cap * 2 < count ? cap * 2 : count;
            double *grown = realloc(out->data, cap * sizeof(double));
            if (!grown) NTK_FAIL(GSL_ENOMEM, "%s: out of memory for %zu values", path, cap);
            out->data = grown;
        }
        for (size_t i = 0; i < n; i++) {
            double v = decode(type, buf + i * size);
            if (!isfinite(v))
                NTK_FAIL(GSL_EFAILED, "%s: value %zu is not finite (%g)", path, first + i, v);
            out->data[first + i] = v;
        }
        total += got;
        if (got < want)
            NTK_FAIL(GSL_EFAILED, "%s: truncated: expected %zu bytes of data, found %zu%s", path,
                     expected, total, early ? " (the gzip stream ends early)" : "");
    }

    /* One read past the end: trailing bytes, a missing gzip trailer or a bad CRC. */
    size_t extra = 0;
    do {
        if (gz_read_full(gz, buf, sizeof buf, &got) != 0) break;
        extra += got;
    } while (got == sizeof buf);
    if (gz_problem(gz, path, &early))
        NTK_FAIL(GSL_EFAILED, "%s: %s, after the data", path, gz_why(gz, path, why, sizeof why));
    if (early)
        NTK_FAIL(GSL_EFAILED, "%s: truncated: the gzip stream ends early, after the data", path);
    if (extra)
        NTK_FAIL(GSL_EFAILED, "%s: %zu trailing bytes after the %zu bytes of data", path, extra,
                 expected);
    return 0;
}

int ntk_idx_read(const char *path, ntk_idx *out)
{
    if (!out) NTK_FAIL(GSL_EINVAL, "ntk_idx_read: out is NULL");
    memset(out, 0, sizeof *out);
    if (!path || !*path) NTK_FAIL(GSL_EINVAL, "ntk_idx_read: no path given");

    struct stat st;
    if (stat(path, &st) != 0) NTK_FAIL(GSL_EFAILED, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) NTK_FAIL(GSL_EFAILED, "%s: is a directory, not an IDX file", path);

    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        NTK_FAIL(errno ? GSL_EFAILED : GSL_ENOMEM, "%s: cannot open: %s", path,
                 errno ? strerror(errno) : "out of memory");
    int status = idx_read_stream(gz, path, out);
    int closed = gzclose_r(gz);
    if (status == 0 && closed != Z_OK)
        status = ntk_error(GSL_EFAILED, "%s: error on close (zlib status %d)", path, closed);
    if (status != 0) ntk_idx_free(out);
    return status;
}

void ntk_idx_free(ntk_idx *idx)
{
    if (!idx) return;
    free(idx->data);
    memset(idx, 0, sizeof *idx);
}

/* ---------------------------------------------------------------------------------
 * Writing
 */

/* Write the header and values through gz; returns 0 or an error status. */
static int idx_write_stream(gzFile gz, const char *path, int type, size_t ndim,
                            const size_t *dims, const double *data, size_t count)
{
    unsigned char buf[IDX_CHUNK];
    size_t size = type_size(type), len = 0;

    buf[0] = 0;
    buf[1] = 0;
    buf[2] = (unsigned char)type;
    buf[3] = (unsigned char)ndim;
    for (size_t k = 0; k < ndim; k++) store_be32(buf + 4 + 4 * k, (uint32_t)dims[k]);
    len = 4 + 4 * ndim;
    for (size_t i = 0; i <= count; i++) {
        if (len + size > sizeof buf || (i == count && len > 0)) {
            if (gzwrite(gz, buf, (unsigned)len) != (int)len) {
                int err;
                const char *msg = gzerror(gz, &err);
                NTK_FAIL(GSL_EFAILED, "%s: write failed: %s", path,
                         err == Z_ERRNO ? strerror(errno) : msg);
            }
            len = 0;
        }
        if (i < count) {
            encode(type, data[i], buf + len);
            len += size;
        }
    }
    return 0;
}

int ntk_idx_write(const char *path, int type, size_t ndim, const size_t *dims,
                  const double *data, int gzip)
{
    if (!path || !*path) NTK_FAIL(GSL_EINVAL, "ntk_idx_write: no path given");
    if (type_size(type) == 0)
        NTK_FAIL(GSL_EINVAL, "%s: unknown IDX data type 0x%02x", path, (unsigned)type);
    if (ndim < 1 || ndim > NTK_IDX_MAX_DIMS)
        NTK_FAIL(GSL_EINVAL, "%s: %zu dimensions, not in 1..%d", path, ndim, NTK_IDX_MAX_DIMS);
    if (!dims || !data) NTK_FAIL(GSL_EINVAL, "%s: dims or data is NULL", path);
    size_t count = 1;
    for (size_t k = 0; k < ndim; k++) {
        if (dims[k] == 0) NTK_FAIL(GSL_EINVAL, "%s: dimension %zu is zero", path, k);
        if (dims[k] > UINT32_MAX || count > IDX_MAX_VALUES / dims[k])
            NTK_FAIL(GSL_EINVAL, "%s: the dimensions ask for more than 2^31 values", path);
        count *= dims[k];
    }
    for (size_t i = 0; i < count; i++)
        if (!representable(type, data[i]))
            NTK_FAIL(GSL_EINVAL, "%s: value %zu (%.17g) cannot be stored as %s: it must be %s",
                     path, i, data[i], type_name(type), type_range(type));

    /* A temporary file beside the target, renamed onto it once complete. zlib closes
     * the descriptor it is given, so it gets a duplicate: the temporary file's own stays
     * open for ntk_atomic_commit's fsync after gzclose_w has written everything. "T"
     * writes plain bytes. */
    ntk_atomic a;
    int status = ntk_atomic_open(&a, path);
    if (status) return status;
    int fd2 = dup(fileno(a.f));
    gzFile gz = fd2 < 0 ? NULL : gzdopen(fd2, gzip ? "wb" : "wbT");
    if (!gz)
        status = ntk_error(GSL_EFAILED, "%s: cannot start writing: %s", path,
                           fd2 < 0 ? strerror(errno) : "zlib failed");
    else
        status = idx_write_stream(gz, path, type, ndim, dims, data, count);
    if (gz) {
        int closed = gzclose_w(gz);
        if (status == 0 && closed != Z_OK)
            status = ntk_error(GSL_EFAILED, "%s: write failed on close: %s", path,
                               closed == Z_ERRNO ? strerror(errno) : "zlib error");
    } else if (fd2 >= 0) {
        close(fd2);
    }
    if (status) {
        ntk_atomic_abort(&a);
        return status;
    }
    return ntk_atomic_commit(&a);
}

/* ---------------------------------------------------------------------------------
 * MNIST
 */

int ntk_idx_mnist_load(const char *images_path, const char *labels_path,
                   double **X, int **labels, size_t *count, size_t *dim)
{
    if (!X || !labels || !count || !dim)
        NTK_FAIL(GSL_EINVAL, "ntk_idx_mnist_load: an output pointer is NULL");
    *X = NULL;
    *labels = NULL;
    *count = 0;
    *dim = 0;
    if (!images_path || !labels_path) NTK_FAIL(GSL_EINVAL, "ntk_idx_mnist_load: a path is NULL");

    ntk_idx im, lb;
    int status = ntk_idx_read(images_path, &im);
    if (status) return status;
    status = ntk_idx_read(labels_path, &lb);
    if (status) {
        ntk_idx_free(&im);
        return status;
    }
    int *y = NULL;
    if (im.type != NTK_IDX_UBYTE || im.ndim != 3)
        status = ntk_error(GSL_EFAILED, "%s: MNIST images must be ubyte with 3 dimensions "
                           "(count, rows, cols); found %s with %zu", images_path,
                           type_name(im.type), im.ndim);
    else if (lb.type != NTK_IDX_UBYTE || lb.ndim != 1)
        status = ntk_error(GSL_EFAILED, "%s: MNIST labels must be ubyte with 1 dimension; found "
                           "%s with %zu", labels_path, type_name(lb.type), lb.ndim);
    else if (lb.dims[0] != im.dims[0])
        status = ntk_error(GSL_EBADLEN, "%s holds %zu images but %s holds %zu labels",
                           images_path, im.dims[0], labels_path, lb.dims[0]);
    else if (!(y = malloc(lb.count * sizeof *y)))
        status = ntk_error(GSL_ENOMEM, "%s: out of memory", labels_path);
    for (size_t i = 0; status == 0 && i < lb.count; i++) {
        if (lb.data[i] > 9)
            status = ntk_error(GSL_EFAILED, "%s: label %zu is %g, not a digit 0..9", labels_path,
                               i, lb.data[i]);
        y[i] = (int)lb.data[i];
    }
    if (status) {
        free(y);
        ntk_idx_free(&im);
        ntk_idx_free(&lb);
        return status;
    }
    /* The images' buffer becomes X: count x (rows cols), row-major, intensities /255. */
    for (size_t i = 0; i < im.count; i++) im.data[i] /= 255.0;
    *X = im.data;
    *labels = y;
    *count = im.dims[0];
    *dim = im.dims[1] * im.dims[2];
    im.data = NULL;
    ntk_idx_free(&lb);
    return 0;
}

int ntk_idx_mnist_labels_path(const char *images_path, char *buf, size_t size)
{
    static const char from[] = "images-idx3", to[] = "labels-idx1";
    if (!images_path || !buf) NTK_FAIL(GSL_EINVAL, "ntk_idx_mnist_labels_path: NULL argument");
    const char *slash = strrchr(images_path, '/');
    const char *base = slash ? slash + 1 : images_path;
    const char *hit = strstr(base, from);
    if (!hit)
        NTK_FAIL(GSL_EINVAL, "%s: the file name has no \"%s\" to derive the labels file from",
                 images_path, from);
    size_t n = strlen(images_path); /* from and to have the same length */
    if (n + 1 > size)
        NTK_FAIL(GSL_EBADLEN, "%s: the labels path needs %zu bytes, the buffer has %zu",
                 images_path, n + 1, size);
    memcpy(buf, images_path, n + 1);
    memcpy(buf + (hit - images_path), to, sizeof to - 1);
    return 0;
}
