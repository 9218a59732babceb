/* test_checkpoint.c - checkpoints: an exact round trip of parameters, step and record;
 * a checkpoint of another tag or architecture reported stale and not loaded; a missing
 * file is "none"; truncated, corrupted, trailing and foreign files rejected with a
 * message naming the file. Files live in a fresh mkdtemp directory. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "checkpoint.h"
#include "error.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];
static int suite_init(void) { return ntk_tmpdir_make(dir, sizeof dir, "ckpt"); }
static int suite_clean(void) { return ntk_tmpdir_remove(dir); }

static ntk_net *small_net(size_t width, double beta, const char *sigma, unsigned long seed)
{
    size_t n[4] = {3, width, width, 1};
    ntk_net *net = ntk_net_alloc(3, n, beta, ntk_nonlin_find(sigma));
    CU_ASSERT_FATAL(net != NULL);
    CHECK_OK(ntk_net_init(net, seed));
    return net;
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void test_round_trip(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/sub/dir/a.ckpt", dir); /* parents created */
    ntk_net *a = small_net(7, 0.137, "relu", 2385), *b = small_net(7, 0.137, "relu", 11);
    double rec[5] = {2.385, -0.0071, 1e-300, 7.25e12, -0.0}, back[8] = {0};
    size_t step = 0, nrec = 0;
    ntk_checkpoint_state state;
    CHECK_OK(ntk_checkpoint_save(path, "fig3 w7-s1 lr=1", a, 1234, 5, rec));
    CHECK_OK(ntk_checkpoint_load(path, "fig3 w7-s1 lr=1", b, &step, 8, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_LOADED);
    CU_ASSERT(step == 1234 && nrec == 5);
    CU_ASSERT(memcmp(a->theta, b->theta, a->P * sizeof *a->theta) == 0); /* bit-exact */
    CU_ASSERT(memcmp(rec, back, sizeof rec) == 0);
    /* saving again replaces the file atomically: no temporary left beside it */
    CHECK_OK(ntk_checkpoint_save(path, "fig3 w7-s1 lr=1", a, 1300, 0, NULL));
    CHECK_OK(ntk_checkpoint_load(path, "fig3 w7-s1 lr=1", b, &step, 8, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_LOADED && step == 1300 && nrec == 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls '%s/sub/dir' | wc -l) -eq 1", dir);
    CU_ASSERT(system(cmd) == 0);
    ntk_net_free(a);
    ntk_net_free(b);
}

/* A single-precision network round-trips bit-exactly, and is another architecture to
 * a double one of the same shape (both ways). */
static void test_single_precision(void)
{
    char path[128], dpath[128];
    snprintf(path, sizeof path, "%s/single.ckpt", dir);
    snprintf(dpath, sizeof dpath, "%s/double.ckpt", dir);
    size_t n[4] = {3, 6, 6, 1}, step = 0, nrec = 0;
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    ntk_net *a = ntk_net_alloc_precision(3, n, 0.1, relu, NTK_SINGLE), *b = ntk_net_alloc_precision(3, n, 0.1, relu, NTK_SINGLE);
    ntk_net *d = small_net(6, 0.1, "relu", 5);
    CU_ASSERT_FATAL(a && b);
    CHECK_OK(ntk_net_init(a, 2385));
    double rec[2] = {0.25, -3.5}, back[2];
    ntk_checkpoint_state state;
    CHECK_OK(ntk_checkpoint_save(path, "t", a, 17, 2, rec));
    CHECK_OK(ntk_checkpoint_load(path, "t", b, &step, 2, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_LOADED && step == 17 && nrec == 2);
    CU_ASSERT(memcmp(a->theta_float, b->theta_float, a->P * sizeof *a->theta_float) == 0);
    CHECK_OK(ntk_checkpoint_load(path, "t", d, &step, 2, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE && strstr(ntk_last_error(), "architecture") != NULL);
    CHECK_OK(ntk_checkpoint_save(dpath, "t", d, 3, 0, NULL));
    CHECK_OK(ntk_checkpoint_load(dpath, "t", b, &step, 2, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE);
    /* a version-1 file (no parameter size: double), made from the double one: still read */
    long len = file_size(dpath);
    unsigned char *bytes = malloc((size_t)len);
    FILE *f = fopen(dpath, "rb");
    CU_ASSERT_FATAL(f && fread(bytes, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    const size_t at = 16 + 8 + 1 + 8 + 8 * 4 + 8 + 8 + 4 + 8; /* the parameter size, after P */
    uint32_t one = 1, psize, crc;
    memcpy(&psize, bytes + at, 4);
    CU_ASSERT(psize == 8);
    memcpy(bytes + 8, &one, 4);
    memmove(bytes + at, bytes + at + 4, (size_t)len - at - 4);
    len -= 4;
    crc = (uint32_t)crc32(0L, bytes, (uInt)(len - 4));
    memcpy(bytes + len - 4, &crc, 4);
    f = fopen(dpath, "wb");
    CU_ASSERT_FATAL(f && fwrite(bytes, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    free(bytes);
    ntk_net *d1 = small_net(6, 0.1, "relu", 99);
    CHECK_OK(ntk_checkpoint_load(dpath, "t", d1, &step, 2, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_LOADED && step == 3 && memcmp(d1->theta, d->theta, d->P * sizeof *d->theta) == 0);
    ntk_net_free(a), ntk_net_free(b), ntk_net_free(d), ntk_net_free(d1);
}

static void test_none_and_stale(void)
{
    char path[128], missing[128];
    snprintf(path, sizeof path, "%s/s.ckpt", dir);
    snprintf(missing, sizeof missing, "%s/none.ckpt", dir);
    ntk_net *a = small_net(5, 0.1, "relu", 3);
    size_t step = 99, nrec = 0;
    double rec[4] = {1.5, 2.5, 3.5, 4.5}, back[4];
    ntk_checkpoint_state state;
    CHECK_OK(ntk_checkpoint_load(missing, "t", a, &step, 4, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_NONE && step == 99);
    CHECK_OK(ntk_checkpoint_save(path, "tag one", a, 10, 4, rec));

    ntk_net *keep = small_net(5, 0.1, "relu", 77);
    double *orig = malloc(keep->P * sizeof *orig);
    memcpy(orig, keep->theta, keep->P * sizeof *orig);
    /* another tag */
    CHECK_OK(ntk_checkpoint_load(path, "tag two", keep, &step, 4, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE && strstr(ntk_last_error(), path) != NULL);
    CU_ASSERT(memcmp(orig, keep->theta, keep->P * sizeof *orig) == 0 && step == 99);
    ntk_net_free(keep);
    /* another width, beta, nonlinearity */
    ntk_net *w = small_net(6, 0.1, "relu", 1), *bb = small_net(5, 0.2, "relu", 1), *s = small_net(5, 0.1, "tanh", 1);
    CHECK_OK(ntk_checkpoint_load(path, "tag one", w, &step, 4, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE);
    CHECK_OK(ntk_checkpoint_load(path, "tag one", bb, &step, 4, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE);
    CHECK_OK(ntk_checkpoint_load(path, "tag one", s, &step, 4, back, &nrec, &state));
    CU_ASSERT(state == NTK_CHECKPOINT_STALE);
    /* a record longer than the caller's room */
    CU_ASSERT(ntk_checkpoint_load(path, "tag one", a, &step, 3, back, &nrec, &state) == GSL_EBADLEN);
    ntk_net_free(w), ntk_net_free(bb), ntk_net_free(s), ntk_net_free(a);
    free(orig);
}

static void expect_rejected(const char *path, ntk_net *net, const char *what)
{
    size_t step, nrec;
    double back[4];
    ntk_checkpoint_state state;
    int st = ntk_checkpoint_load(path, "tag", net, &step, 4, back, &nrec, &state);
    int ok = st != 0 && state == NTK_CHECKPOINT_NONE && strstr(ntk_last_error(), path) != NULL &&
             strstr(ntk_last_error(), what) != NULL;
    if (!ok) printf("\n    %s: status %d, message '%s'", what, st, ntk_last_error());
    CU_ASSERT(ok);
}

static void test_rejects(void)
{
    char good[128], bad[128];
    snprintf(good, sizeof good, "%s/g.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/b.ckpt", dir);
    ntk_net *a = small_net(4, 0.1, "relu", 5);
    double rec[3] = {0.25, 0.5, 0.75};
    CHECK_OK(ntk_checkpoint_save(good, "tag", a, 3, 3, rec));
    long n = file_size(good);
    CU_ASSERT_FATAL(n > 100);
    unsigned char *bytes = malloc((size_t)n + 1);
    FILE *f = fopen(good, "rb");
    CU_ASSERT_FATAL(f && fread(bytes, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    struct { long len; long flip; const char *what; } cases[] = {
        {n - 1, -1, "ends early"},        /* truncated in the checksum */
        {n - 40, -1, "ends early"},       /* truncated in the parameters */
        {5, -1, "ends early"},            /* truncated in the magic number */
        {n, n - 30, "checksum mismatch"}, /* one parameter byte flipped */
        {n + 1, -1, "trailing bytes"},
        {n, 2, "not a checkpoint"},
        {n, 12, "byte order"},
    };
    bytes[n] = 0x5a;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        f = fopen(bad, "wb");
        CU_ASSERT_FATAL(f != NULL);
        unsigned char saved = cases[c].flip >= 0 ? bytes[cases[c].flip] : 0;
        if (cases[c].flip >= 0) bytes[cases[c].flip] ^= 0x10;
        fwrite(bytes, 1, (size_t)cases[c].len, f);
        fclose(f);
        if (cases[c].flip >= 0) bytes[cases[c].flip] = saved;
        expect_rejected(bad, a, cases[c].what);
    }
    /* bad arguments */
    CU_ASSERT(ntk_checkpoint_save(NULL, "t", a, 0, 0, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_checkpoint_save(good, "t", a, 0, 2, NULL) == GSL_EINVAL);
    /* an unwritable place leaves nothing behind */
    CU_ASSERT(ntk_checkpoint_save("/proc/ntk-no/such.ckpt", "t", a, 0, 0, NULL) != 0);
    free(bytes);
    ntk_net_free(a);
}

void ntk_test_checkpoint(void)
{
    CU_pSuite s = CU_add_suite("checkpoint", suite_init, suite_clean);
    CU_add_test(s, "parameters, step and record round-trip bit-exactly; saves replace atomically", test_round_trip);
    CU_add_test(s, "missing file is none; other tag or architecture is stale, nothing loaded", test_none_and_stale);
    CU_add_test(s, "a single-precision network round-trips, and is stale to a double one", test_single_precision);
    CU_add_test(s, "truncated, corrupt, trailing, foreign files rejected naming the file", test_rejects);
}
