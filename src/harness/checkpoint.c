/* checkpoint.c - a training run's state saved atomically and loaded with every check;
 * see checkpoint.h for the layout. */
#define _GNU_SOURCE
#include "checkpoint.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "atomic.h"
#include "error.h"
#include "output.h"

static const char MAGIC[8] = {'N', 'T', 'K', 'C', 'K', 'P', 'T', '1'};
#define CKPT_VERSION 1u
#define CKPT_ORDER 0x01020304u
#define MAX_TAG (1u << 20)
#define MAX_NAME 256u

/* A writer that keeps the running CRC and the first failure. */
typedef struct {
    FILE *f;
    uLong crc;
    int failed; /* errno of the first failed write, 0 while all is well */
} wr;

static void put(wr *w, const void *p, size_t n)
{
    if (w->failed || n == 0) return;
    if (fwrite(p, 1, n, w->f) != n) { w->failed = errno ? errno : EIO; return; }
    const unsigned char *c = p;
    while (n > 0) { /* crc32 takes a uInt length: feed it in chunks */
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        w->crc = crc32(w->crc, c, k);
        c += k, n -= k;
    }
}
static void put_u64(wr *w, uint64_t v) { put(w, &v, sizeof v); }

int ntk_checkpoint_save(const char *path, const char *tag, const ntk_net *net, size_t step,
                        size_t nrec, const double *rec)
{
    if (!path || !*path || !tag || !net || (nrec > 0 && !rec))
        NTK_FAIL(GSL_EINVAL, "ntk_checkpoint_save: a path, a tag, a network and the record are needed");
    if (strlen(tag) > MAX_TAG) NTK_FAIL(GSL_EINVAL, "%s: the tag is longer than %u bytes", path, MAX_TAG);
    ntk_atomic a;
    int st = ntk_mkdir_parent(path);
    if (st || (st = ntk_atomic_open(&a, path))) return st;
    wr w = {a.f, crc32(0L, Z_NULL, 0), 0};
    uint32_t ver = CKPT_VERSION, order = CKPT_ORDER;
    put(&w, MAGIC, sizeof MAGIC);
    put(&w, &ver, sizeof ver);
    put(&w, &order, sizeof order);
    put_u64(&w, strlen(tag));
    put(&w, tag, strlen(tag));
    put_u64(&w, net->L);
    for (size_t l = 0; l <= net->L; l++) put_u64(&w, net->n[l]);
    put(&w, &net->beta, sizeof net->beta);
    put_u64(&w, strlen(net->sigma->name));
    put(&w, net->sigma->name, strlen(net->sigma->name));
    put_u64(&w, net->P);
    put_u64(&w, step);
    put_u64(&w, nrec);
    put(&w, net->theta, net->P * sizeof *net->theta);
    put(&w, rec, nrec * sizeof *rec);
    uint32_t crc = (uint32_t)w.crc;
    put(&w, &crc, sizeof crc);
    if (w.failed) {
        st = ntk_error(GSL_EFAILED, "%s: cannot write the checkpoint: %s", path, strerror(w.failed));
        ntk_atomic_abort(&a);
        return st;
    }
    return ntk_atomic_commit(&a);
}

/* A reader that keeps the running CRC; every short read is an error naming the file. */
typedef struct {
    FILE *f;
    const char *path;
    uLong crc;
} rd;

static int get(rd *r, void *p, size_t n, const char *what)
{
    if (n == 0) return 0;
    if (fread(p, 1, n, r->f) != n)
        NTK_FAIL(GSL_EFAILED, "%s: the checkpoint ends early (in %s): delete it to start the run over", r->path, what);
    unsigned char *c = p;
    while (n > 0) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        r->crc = crc32(r->crc, c, k);
        c += k, n -= k;
    }
    return 0;
}
static int get_u64(rd *r, uint64_t *v, const char *what) { return get(r, v, sizeof *v, what); }

static int load(rd *r, const char *tag, ntk_net *net, size_t *step, size_t cap, double *rec,
                size_t *nrec, ntk_checkpoint_state *state)
{
    char magic[8];
    uint32_t ver, order;
    uint64_t v, L;
    int st;
    if ((st = get(r, magic, sizeof magic, "the magic number"))) return st;
    if (memcmp(magic, MAGIC, sizeof magic) != 0) NTK_FAIL(GSL_EFAILED, "%s: not a checkpoint file (bad magic number)", r->path);
    if ((st = get(r, &ver, sizeof ver, "the version")) || (st = get(r, &order, sizeof order, "the byte order"))) return st;
    if (order != CKPT_ORDER) NTK_FAIL(GSL_EFAILED, "%s: a checkpoint of a machine with the other byte order", r->path);
    if (ver != CKPT_VERSION) NTK_FAIL(GSL_EFAILED, "%s: checkpoint version %u, this program reads %u", r->path, ver, CKPT_VERSION);

    /* Everything that identifies the run, read before any parameter is touched. */
    if ((st = get_u64(r, &v, "the tag length"))) return st;
    if (v > MAX_TAG) NTK_FAIL(GSL_EFAILED, "%s: corrupt checkpoint (tag length %llu)", r->path, (unsigned long long)v);
    char *ftag = malloc(v + 1);
    if (!ftag) NTK_FAIL(GSL_ENOMEM, "%s: out of memory", r->path);
    if ((st = get(r, ftag, v, "the tag"))) { free(ftag); return st; }
    ftag[v] = '\0';
    int same_tag = strcmp(ftag, tag) == 0;
    free(ftag);
    if ((st = get_u64(r, &L, "the depth"))) return st;
    if (L > 1000) NTK_FAIL(GSL_EFAILED, "%s: corrupt checkpoint (depth %llu)", r->path, (unsigned long long)L);
    int same_arch = L == net->L;
    for (uint64_t l = 0; l <= L; l++) {
        if ((st = get_u64(r, &v, "the widths"))) return st;
        if (same_arch && v != net->n[l]) same_arch = 0;
    }
    double beta;
    if ((st = get(r, &beta, sizeof beta, "beta"))) return st;
    same_arch &= beta == net->beta;
    char name[MAX_NAME + 1];
    if ((st = get_u64(r, &v, "the nonlinearity"))) return st;
    if (v > MAX_NAME) NTK_FAIL(GSL_EFAILED, "%s: corrupt checkpoint (name length %llu)", r->path, (unsigned long long)v);
    if ((st = get(r, name, v, "the nonlinearity"))) return st;
    name[v] = '\0';
    same_arch &= strcmp(name, net->sigma->name) == 0;
    uint64_t P, s, nr;
    if ((st = get_u64(r, &P, "the parameter count")) || (st = get_u64(r, &s, "the step")) ||
        (st = get_u64(r, &nr, "the record length")))
        return st;
    same_arch &= P == net->P;
    if (!same_tag || !same_arch) {
        *state = NTK_CHECKPOINT_STALE;
        ntk_error(GSL_EINVAL, "%s: a checkpoint of another %s: not loaded", r->path,
                  same_tag ? "network architecture" : "run configuration");
        return 0;
    }
    if (nr > cap) NTK_FAIL(GSL_EBADLEN, "%s: the checkpoint records %llu values, room for %zu", r->path, (unsigned long long)nr, cap);
    if ((st = get(r, net->theta, P * sizeof *net->theta, "the parameters")) ||
        (st = get(r, rec, nr * sizeof *rec, "the record")))
        return st;
    uint32_t want = (uint32_t)r->crc, crc;
    if (fread(&crc, sizeof crc, 1, r->f) != 1)
        NTK_FAIL(GSL_EFAILED, "%s: the checkpoint ends early (in the checksum): delete it to start the run over", r->path);
    if (crc != want) NTK_FAIL(GSL_EFAILED, "%s: checksum mismatch: the checkpoint is corrupt; delete it to start the run over", r->path);
    if (fgetc(r->f) != EOF) NTK_FAIL(GSL_EFAILED, "%s: trailing bytes after the checkpoint", r->path);
    *step = (size_t)s;
    *nrec = (size_t)nr;
    *state = NTK_CHECKPOINT_LOADED;
    return 0;
}

int ntk_checkpoint_load(const char *path, const char *tag, ntk_net *net, size_t *step,
                        size_t cap, double *rec, size_t *nrec, ntk_checkpoint_state *state)
{
    if (!path || !tag || !net || !step || !nrec || !state || (cap > 0 && !rec))
        NTK_FAIL(GSL_EINVAL, "ntk_checkpoint_load: a path, a tag, a network and outputs are needed");
    *state = NTK_CHECKPOINT_NONE;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return 0;
        NTK_FAIL(GSL_EFAILED, "%s: cannot open the checkpoint: %s", path, strerror(errno));
    }
    rd r = {f, path, crc32(0L, Z_NULL, 0)};
    int st = load(&r, tag, net, step, cap, rec, nrec, state);
    fclose(f);
    if (st) *state = NTK_CHECKPOINT_NONE;
    return st;
}
