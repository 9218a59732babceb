/* test_idx.c - the IDX reader and writer: hand-made big-endian bytes decoded and
 * reproduced, exact round trips of every type (plain and gzip), the MNIST pair, and
 * every malformed file rejected with a message that names it, without a crash.
 * Files live in a fresh mkdtemp directory, removed when the suite ends. */
#define _GNU_SOURCE
#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"
#include "idx.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];
static int suite_init(void) { return ntk_tmpdir_make(dir, sizeof dir, "idx"); }
static int suite_clean(void) { return ntk_tmpdir_remove(dir); }
static const char *in_dir(const char *name) { return ntk_tmpdir_path(dir, name); }

static void write_raw(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(fwrite(bytes, 1, n, f) == n);
    CU_ASSERT(fclose(f) == 0);
}

static void write_gz(const char *path, const void *bytes, size_t n)
{
    gzFile gz = gzopen(path, "wb");
    CU_ASSERT_FATAL(gz != NULL);
    CU_ASSERT(gzwrite(gz, bytes, (unsigned)n) == (int)n);
    CU_ASSERT(gzclose(gz) == Z_OK);
}

/* The whole file (decompressed when gz), malloc'd; *n its length. */
static unsigned char *slurp(const char *path, size_t *n, int gz)
{
    unsigned char *b = malloc(1 << 20);
    CU_ASSERT_FATAL(b != NULL);
    *n = 0;
    if (gz) {
        gzFile g = gzopen(path, "rb");
        CU_ASSERT_FATAL(g != NULL);
        int r = gzread(g, b, 1 << 20);
        CU_ASSERT(r >= 0);
        *n = r > 0 ? (size_t)r : 0;
        gzclose(g);
    } else {
        FILE *f = fopen(path, "rb");
        CU_ASSERT_FATAL(f != NULL);
        *n = fread(b, 1, 1 << 20, f);
        fclose(f);
    }
    return b;
}

/* Entries in the test directory, so that no write leaves a temporary file. */
static int dir_entries(void)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* ntk_idx_read(path) must fail, leave the result empty, and say which file and, with
 * keyword, what. */
static void rejects_at(const char *path, const char *keyword, unsigned line)
{
    ntk_idx idx;
    memset(&idx, 0xAB, sizeof idx);
    int status = ntk_idx_read(path, &idx);
    const char *msg = ntk_last_error();
    char what[1400];
    snprintf(what, sizeof what, "%s rejected (status %d) naming the file and \"%s\": \"%s\"",
             path, status, keyword ? keyword : "", msg);
    int ok = status != 0 && idx.data == NULL && idx.count == 0 && strstr(msg, path) &&
             (!keyword || strstr(msg, keyword));
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, what, __FILE__, "", CU_FALSE);
    ntk_idx_free(&idx);
}
#define REJECTS(path, keyword) rejects_at((path), (keyword), __LINE__)

/* Read path and compare with the expected shape and values, bit for bit. */
static void expect_file_at(const char *path, int type, size_t ndim, const size_t *dims,
                           const double *values, unsigned line)
{
    ntk_idx idx;
    int status = ntk_idx_read(path, &idx);
    int ok = status == 0 && idx.type == type && idx.ndim == ndim && idx.data != NULL;
    size_t count = 1;
    for (size_t k = 0; k < ndim; k++) {
        count *= dims[k];
        if (ok && idx.dims[k] != dims[k]) ok = 0;
    }
    ok = ok && idx.count == count && memcmp(idx.data, values, count * sizeof(double)) == 0;
    char what[1400];
    snprintf(what, sizeof what, "%s reads back type 0x%02x, %zu dims, exact values: %s", path,
             (unsigned)type, ndim, status ? ntk_last_error() : "mismatch");
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, what, __FILE__, "", CU_FALSE);
    ntk_idx_free(&idx);
}
#define EXPECT_FILE(path, type, ndim, dims, values)                                        \
    expect_file_at((path), (type), (ndim), (dims), (values), __LINE__)

/* Hand-made files: the decoder's big-endian reading against values written out by
 * hand, and the writer reproducing exactly those bytes. */
static void test_known_bytes(void)
{
    static const struct {
        const char *name;
        int type;
        size_t ndim, dims[2];
        unsigned char bytes[40];
        size_t nbytes;
        double values[6];
    } cases[] = {
        {"ubyte", NTK_IDX_UBYTE, 2, {2, 3},
         {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 127, 128, 254, 255}, 18,
         {0, 1, 127, 128, 254, 255}},
        {"sbyte", NTK_IDX_SBYTE, 1, {4}, {0, 0, 9, 1, 0, 0, 0, 4, 0x80, 0xFF, 0, 0x7F}, 12,
         {-128, -1, 0, 127}},
        {"int16", NTK_IDX_INT16, 1, {3},
         {0, 0, 0x0B, 1, 0, 0, 0, 3, 0x80, 0, 0xFF, 0xFE, 0x12, 0x34}, 14, {-32768, -2, 4660}},
        {"int32", NTK_IDX_INT32, 1, {3},
         {0, 0, 0x0C, 1, 0, 0, 0, 3, 0x80, 0, 0, 0, 1, 2, 3, 4, 0x7F, 0xFF, 0xFF, 0xFF}, 20,
         {-2147483648.0, 16909060, 2147483647.0}},
        {"float32", NTK_IDX_FLOAT32, 1, {2},
         {0, 0, 0x0D, 1, 0, 0, 0, 2, 0x40, 0x18, 0xA3, 0xD7, 0xC0, 0x19, 0, 0}, 16,
         {(double)2.385f, -2.390625}},
        {"float64", NTK_IDX_FLOAT64, 1, {2},
         {0, 0, 0x0E, 1, 0, 0, 0, 2, 0x40, 0x03, 0x14, 0x7A, 0xE1, 0x47, 0xAE, 0x14, 0x81,
          0xB0, 0x12, 0x97, 0xD2, 0x3A, 0xB6, 0x83},
         24, {2.385, -1.5e-300}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char name[64];
        snprintf(name, sizeof name, "known-%s", cases[c].name);
        const char *raw = in_dir(name);
        write_raw(raw, cases[c].bytes, cases[c].nbytes);
        EXPECT_FILE(raw, cases[c].type, cases[c].ndim, cases[c].dims, cases[c].values);

        /* The writer, plain and gzip, gives back exactly the hand-made bytes. */
        for (int gz = 0; gz <= 1; gz++) {
            snprintf(name, sizeof name, "written-%s%s", cases[c].name, gz ? ".gz" : "");
            const char *w = in_dir(name);
            CHECK_OK(ntk_idx_write(w, cases[c].type, cases[c].ndim, cases[c].dims,
                                   cases[c].values, gz));
            size_t n, nz;
            unsigned char *file = slurp(w, &n, 0), *content = slurp(w, &nz, 1);
            CU_ASSERT(nz == cases[c].nbytes && memcmp(content, cases[c].bytes, nz) == 0);
            if (gz) {
                CU_ASSERT(n >= 2 && file[0] == 0x1f && file[1] == 0x8b); /* gzip magic */
            } else {
                CU_ASSERT(n == cases[c].nbytes);
            }
            free(file);
            free(content);
        }
    }
}

/* Values for a round trip of the type: the extremes of its range, signed zeros,
 * tiny and huge floats, then a deterministic spread (an LCG) inside the range. */
static void fill_values(int type, double *v, size_t n)
{
    static const double ub[] = {0, 255, 1, 254, 128, 127};
    static const double sb[] = {-128, 127, -1, 0, 1, -127};
    static const double i16[] = {-32768, 32767, -1, 0, 256, -257};
    static const double i32[] = {-2147483648.0, 2147483647.0, -1, 0, 65536, -16777217};
    const double f32[] = {(double)FLT_MAX, -(double)FLT_MAX, (double)FLT_MIN,
                          (double)FLT_TRUE_MIN, -0.0, (double)2.385f};
    const double f64[] = {DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -0.0, 2.385};
    const double *special = type == NTK_IDX_UBYTE   ? ub
                            : type == NTK_IDX_SBYTE ? sb
                            : type == NTK_IDX_INT16 ? i16
                            : type == NTK_IDX_INT32 ? i32
                            : type == NTK_IDX_FLOAT32 ? f32 : f64;
    uint64_t s = 0x2385u + (uint64_t)type;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        uint32_t r = (uint32_t)(s >> 32);
        double u = (double)r / 4294967296.0; /* in [0, 1) */
        switch (type) {
        case NTK_IDX_UBYTE: v[i] = r % 256; break;
        case NTK_IDX_SBYTE: v[i] = (double)(r % 256) - 128; break;
        case NTK_IDX_INT16: v[i] = (double)(r % 65536) - 32768; break;
        case NTK_IDX_INT32: v[i] = (double)r - 2147483648.0; break;
        case NTK_IDX_FLOAT32: v[i] = (double)(float)((u - 0.5) * 1e6); break;
        default: v[i] = (u - 0.5) * 1e300 / (1.0 + (double)i); break;
        }
        if (i < 6) v[i] = special[i];
    }
}

static void test_round_trips(void)
{
    const int types[] = {NTK_IDX_UBYTE, NTK_IDX_SBYTE, NTK_IDX_INT16,
                         NTK_IDX_INT32, NTK_IDX_FLOAT32, NTK_IDX_FLOAT64};
    const size_t sizes[] = {1, 1, 2, 4, 4, 8};
    const size_t dims3[] = {3, 2, 4}, dims8[] = {2, 1, 3, 1, 1, 2, 1, 2}, dims1[] = {1};
    const struct { size_t ndim; const size_t *dims; size_t count; } shapes[] = {
        {3, dims3, 24}, {8, dims8, 24}, {1, dims1, 1}};
    double v[24];
    int before = dir_entries();
    for (size_t t = 0; t < 6; t++)
        for (size_t s = 0; s < 3; s++)
            for (int gz = 0; gz <= 1; gz++) {
                fill_values(types[t], v, shapes[s].count);
                char name[64];
                snprintf(name, sizeof name, "trip-%02x-%zu%s", (unsigned)types[t], s,
                         gz ? ".gz" : "");
                const char *p = in_dir(name);
                CHECK_OK(ntk_idx_write(p, types[t], shapes[s].ndim, shapes[s].dims, v, gz));
                EXPECT_FILE(p, types[t], shapes[s].ndim, shapes[s].dims, v);
                if (!gz) { /* header, dims, values: nothing more */
                    struct stat st;
                    CU_ASSERT(stat(p, &st) == 0 &&
                              (size_t)st.st_size ==
                                  4 + 4 * shapes[s].ndim + shapes[s].count * sizes[t]);
                }
            }
    CU_ASSERT(dir_entries() == before + 6 * 3 * 2); /* no temporary file left */

    /* Rewriting replaces the file. */
    const char *p = in_dir("trip-08-0");
    double w[24];
    for (size_t i = 0; i < 24; i++) w[i] = (double)(23 - i);
    CHECK_OK(ntk_idx_write(p, NTK_IDX_UBYTE, 3, dims3, w, 0));
    EXPECT_FILE(p, NTK_IDX_UBYTE, 3, dims3, w);
}

/* Values or shapes the writer must refuse, leaving no file behind. */
static void test_write_rejects(void)
{
    const char *p = in_dir("refused");
    const size_t d1[] = {1}, d0[] = {2, 0}, big[] = {65536, 65536};
    const struct { int type; double v; } bad[] = {
        {NTK_IDX_UBYTE, 256}, {NTK_IDX_UBYTE, -1}, {NTK_IDX_UBYTE, 2.5},
        {NTK_IDX_UBYTE, NAN}, {NTK_IDX_SBYTE, 128}, {NTK_IDX_SBYTE, -129},
        {NTK_IDX_INT16, 32768}, {NTK_IDX_INT16, -32769}, {NTK_IDX_INT32, 2147483648.0},
        {NTK_IDX_INT32, -2147483649.0}, {NTK_IDX_INT32, 0.5}, {NTK_IDX_FLOAT32, 1e39},
        {NTK_IDX_FLOAT32, INFINITY}, {NTK_IDX_FLOAT64, -INFINITY}, {NTK_IDX_FLOAT64, NAN},
    };
    int before = dir_entries();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double v = bad[i].v;
        int status = ntk_idx_write(p, bad[i].type, 1, d1, &v, (int)(i % 2));
        CU_ASSERT(status != 0 && strstr(ntk_last_error(), "cannot be stored") != NULL);
    }
    double v[4] = {1, 2, 3, 4};
    CU_ASSERT(ntk_idx_write(p, 0x0A, 1, d1, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 0, d1, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 9, d1, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 2, d0, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 2, big, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 1, NULL, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(p, NTK_IDX_UBYTE, 1, d1, NULL, 0) != 0);
    CU_ASSERT(ntk_idx_write(NULL, NTK_IDX_UBYTE, 1, d1, v, 0) != 0);
    CU_ASSERT(ntk_idx_write(in_dir("no-such-dir/x"), NTK_IDX_UBYTE, 1, d1, v, 0) != 0);
    CU_ASSERT(access(p, F_OK) != 0);
    CU_ASSERT(dir_entries() == before);
}

/* Every malformed file rejected, each with a message naming it and the problem. */
static void test_read_rejects(void)
{
    const unsigned char magic_bad[] = {1, 0, 8, 1, 0, 0, 0, 1, 7};
    const unsigned char type_bad[] = {0, 0, 0x0A, 1, 0, 0, 0, 1, 7};
    const unsigned char ndim0[] = {0, 0, 8, 0, 7};
    const unsigned char ndim9[] = {0, 0, 8, 9, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                                   0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7};
    const unsigned char dim0[] = {0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 0};
    const unsigned char short_magic[] = {0, 0, 8};
    const unsigned char short_dims[] = {0, 0, 8, 2, 0, 0, 0, 3, 0, 0};
    const unsigned char huge[] = {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0};
    /* 2^31 values promised, none delivered: truncated, without a 16 GiB allocation. */
    const unsigned char promise[] = {0, 0, 8, 1, 0x80, 0, 0, 0, 1, 2, 3};
    const unsigned char short_data[] = {0, 0, 0x0B, 1, 0, 0, 0, 3, 0, 1, 0, 2, 0};
    const unsigned char trailing[] = {0, 0, 8, 1, 0, 0, 0, 2, 5, 6, 7, 8, 9};
    const unsigned char nan32[] = {0, 0, 0x0D, 1, 0, 0, 0, 2, 0x3F, 0x80, 0, 0, 0x7F, 0xC0, 0, 0};
    const struct { const char *name; const unsigned char *b; size_t n; const char *kw; } raw[] = {
        {"empty", NULL, 0, "empty"},
        {"magic", magic_bad, sizeof magic_bad, "magic"},
        {"type", type_bad, sizeof type_bad, "type 0x0a"},
        {"ndim0", ndim0, sizeof ndim0, "0 dimensions"},
        {"ndim9", ndim9, sizeof ndim9, "9 dimensions"},
        {"dim0", dim0, sizeof dim0, "dimension 1 is zero"},
        {"short-magic", short_magic, sizeof short_magic, "truncated header"},
        {"short-dims", short_dims, sizeof short_dims, "truncated header"},
        {"huge", huge, sizeof huge, "2^31"},
        {"promise", promise, sizeof promise, "expected 2147483648 bytes of data, found 3"},
        {"short-data", short_data, sizeof short_data, "truncated: expected 6 bytes of data, found 5"},
        {"trailing", trailing, sizeof trailing, "3 trailing bytes"},
        {"nan32", nan32, sizeof nan32, "not finite"},
    };
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
        const char *p = in_dir(raw[i].name);
        write_raw(p, raw[i].b ? raw[i].b : (const unsigned char *)"", raw[i].n);
        REJECTS(p, raw[i].kw);
        /* The same content compressed is rejected for the same reason. */
        char name[64];
        snprintf(name, sizeof name, "%s.gz", raw[i].name);
        p = in_dir(name);
        write_gz(p, raw[i].b ? raw[i].b : (const unsigned char *)"", raw[i].n);
        REJECTS(p, raw[i].kw);
    }
    REJECTS(in_dir("does-not-exist"), "No such file");
    REJECTS(dir, "directory");
    CU_ASSERT(ntk_idx_read(in_dir("magic"), NULL) != 0);
    ntk_idx idx;
    CU_ASSERT(ntk_idx_read(NULL, &idx) != 0 && idx.data == NULL);
    ntk_idx_free(NULL);

    /* Valid compressed files, then damaged in the ways a download or a disk damages
     * one: a small one (zlib inflates it whole at the first read, so damage shows at
     * once) and a large incompressible one (damage to its end shows only after the
     * last value). The gzip trailer is the last 8 bytes: CRC-32, then length. */
    static double v[200000];
    for (size_t big = 0; big <= 1; big++) {
        size_t count = big ? 200000 : 1000, d[1] = {count};
        uint64_t s = 2385;
        for (size_t i = 0; i < count; i++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            v[i] = big ? (double)(s >> 56) : (double)((i * 37 + i / 7) % 251);
        }
        char name[64];
        snprintf(name, sizeof name, "good-%zu.gz", big);
        const char *good = in_dir(name);
        CHECK_OK(ntk_idx_write(good, NTK_IDX_UBYTE, 1, d, v, 1));
        size_t n;
        unsigned char *z = slurp(good, &n, 0);
        CU_ASSERT_FATAL(n > 100 && (!big || n > 150000));
        EXPECT_FILE(good, NTK_IDX_UBYTE, 1, d, v);

        snprintf(name, sizeof name, "cut-half-%zu.gz", big);
        write_raw(in_dir(name), z, n / 2);
        REJECTS(in_dir(name), "the gzip stream ends early");
        snprintf(name, sizeof name, "cut-trailer-%zu.gz", big);
        write_raw(in_dir(name), z, n - 8);
        REJECTS(in_dir(name), "ends early");
        snprintf(name, sizeof name, "cut-header-%zu.gz", big);
        write_raw(in_dir(name), z, 5);
        REJECTS(in_dir(name), "truncated header");

        unsigned char *bad = malloc(n);
        CU_ASSERT_FATAL(bad != NULL);
        memcpy(bad, z, n);
        bad[n - 8] ^= 0x5A; /* CRC-32 */
        snprintf(name, sizeof name, "bad-crc-%zu.gz", big);
        write_raw(in_dir(name), bad, n);
        REJECTS(in_dir(name), "corrupt gzip stream (incorrect data check)");
        memcpy(bad, z, n);
        bad[n - 3] ^= 0x01; /* stored length */
        snprintf(name, sizeof name, "bad-length-%zu.gz", big);
        write_raw(in_dir(name), bad, n);
        REJECTS(in_dir(name), "corrupt gzip stream (incorrect length check)");
        memcpy(bad, z, n);
        for (size_t i = n / 3; i < n / 3 + 8; i++) bad[i] ^= 0xFF; /* the deflate data */
        snprintf(name, sizeof name, "bad-data-%zu.gz", big);
        write_raw(in_dir(name), bad, n);
        REJECTS(in_dir(name), NULL);
        free(bad);
        free(z);
    }
}

static void test_mnist(void)
{
    /* Five 4 x 3 "digits" and their labels, named as MNIST names them. */
    double pix[60], lab[5] = {3, 1, 4, 1, 5};
    for (size_t i = 0; i < 60; i++) pix[i] = (double)((i * 37 + 11) % 256);
    const size_t di[] = {5, 4, 3}, dl[] = {5}, dl4[] = {4}, d2[] = {5, 12};
    char images[256];
    snprintf(images, sizeof images, "%s", in_dir("t10k-images-idx3-ubyte.gz"));
    char labels[256];
    CHECK_OK(ntk_idx_mnist_labels_path(images, labels, sizeof labels));
    CU_ASSERT(strcmp(labels, in_dir("t10k-labels-idx1-ubyte.gz")) == 0);
    CHECK_OK(ntk_idx_write(images, NTK_IDX_UBYTE, 3, di, pix, 1));
    CHECK_OK(ntk_idx_write(labels, NTK_IDX_UBYTE, 1, dl, lab, 0));

    double *X = NULL;
    int *y = NULL;
    size_t count = 0, dim = 0;
    CHECK_OK(ntk_idx_mnist_load(images, labels, &X, &y, &count, &dim));
    CU_ASSERT_FATAL(X != NULL && y != NULL);
    CU_ASSERT(count == 5 && dim == 12);
    int exact = 1;
    for (size_t i = 0; i < 60; i++) exact &= X[i] == pix[i] / 255.0;
    CU_ASSERT(exact);
    for (size_t i = 0; i < 5; i++) CU_ASSERT(y[i] == (int)lab[i]);
    free(X);
    free(y);

    /* Rejected pairs: outputs stay NULL. */
    const char *other = in_dir("other");
    struct { int type; size_t ndim; const size_t *dims; const double *v; int as_images;
             const char *kw; } bad[] = {
        {NTK_IDX_UBYTE, 1, dl4, lab, 0, "5 images but"},
        {NTK_IDX_UBYTE, 1, dl, (double[]){3, 1, 10, 1, 5}, 0, "not a digit"},
        {NTK_IDX_SBYTE, 1, dl, lab, 0, "labels must be ubyte"},
        {NTK_IDX_UBYTE, 2, d2, pix, 1, "3 dimensions"},
        {NTK_IDX_FLOAT32, 3, di, pix, 1, "images must be ubyte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_OK(ntk_idx_write(other, bad[i].type, bad[i].ndim, bad[i].dims, bad[i].v, 0));
        X = (double *)1;
        y = (int *)1;
        int status = bad[i].as_images ? ntk_idx_mnist_load(other, labels, &X, &y, &count, &dim)
                                      : ntk_idx_mnist_load(images, other, &X, &y, &count, &dim);
        CU_ASSERT(status != 0 && strstr(ntk_last_error(), bad[i].kw) != NULL);
        CU_ASSERT(X == NULL && y == NULL && count == 0);
    }
    CU_ASSERT(ntk_idx_mnist_load(images, in_dir("missing"), &X, &y, &count, &dim) != 0);
    CU_ASSERT(X == NULL && y == NULL);
    CU_ASSERT(ntk_idx_mnist_load(images, labels, NULL, &y, &count, &dim) != 0);
}

static void test_labels_path(void)
{
    const struct { const char *in, *out; } ok[] = {
        {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
        {"/data/mnist/t10k-images-idx3-ubyte", "/data/mnist/t10k-labels-idx1-ubyte"},
        {"a/images-idx3/train-images-idx3-ubyte", "a/images-idx3/train-labels-idx1-ubyte"},
        {"images-idx3", "labels-idx1"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        memset(buf, 'x', sizeof buf);
        CHECK_OK(ntk_idx_mnist_labels_path(ok[i].in, buf, sizeof buf));
        CU_ASSERT_STRING_EQUAL(buf, ok[i].out);
    }
    /* The part must be in the last component. */
    CU_ASSERT(ntk_idx_mnist_labels_path("images-idx3/train.gz", buf, sizeof buf) != 0);
    CU_ASSERT(ntk_idx_mnist_labels_path("train-images.gz", buf, sizeof buf) != 0);
    CU_ASSERT(ntk_idx_mnist_labels_path("", buf, sizeof buf) != 0);
    /* Exactly large enough, and one byte short. */
    const char *in = "train-images-idx3-ubyte";
    CHECK_OK(ntk_idx_mnist_labels_path(in, buf, strlen(in) + 1));
    CU_ASSERT_STRING_EQUAL(buf, "train-labels-idx1-ubyte");
    CU_ASSERT(ntk_idx_mnist_labels_path(in, buf, strlen(in)) != 0);
    CU_ASSERT(ntk_idx_mnist_labels_path(in, buf, 0) != 0);
    CU_ASSERT(ntk_idx_mnist_labels_path(NULL, buf, sizeof buf) != 0);
    CU_ASSERT(ntk_idx_mnist_labels_path(in, NULL, 10) != 0);
}

void ntk_test_idx(void)
{
    CU_pSuite s = CU_add_suite("idx", suite_init, suite_clean);
    CU_add_test(s, "hand-made big-endian files read and reproduced", test_known_bytes);
    CU_add_test(s, "every type round-trips exactly, plain and gzip", test_round_trips);
    CU_add_test(s, "writer refuses unrepresentable values and bad shapes", test_write_rejects);
    CU_add_test(s, "malformed, truncated, trailing, corrupt files rejected", test_read_rejects);
    CU_add_test(s, "MNIST pair loaded and checked", test_mnist);
    CU_add_test(s, "labels path derived from the images path", test_labels_path);
}
