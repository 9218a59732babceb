/* checkpoint.h - a training run's state on disk, so that an interrupted run resumes.
 *
 * A checkpoint holds a network's parameters, the number of gradient steps taken and
 * the run's record so far (any doubles the caller keeps per step), plus a tag: a
 * string the caller builds from everything that determines the run (its parameters,
 * its seed). Loading checks that the file was written for the same tag and the same
 * architecture (depth, widths, beta, nonlinearity); a checkpoint of another
 * configuration is reported as stale and left alone, never loaded.
 *
 * File layout (native byte order, with a marker that rejects a file from a machine of
 * the other order):
 *   "NTKCKPT1"  u32 version (1)  u32 0x01020304
 *   u64 tag length, the tag bytes
 *   u64 L, u64 n[0..L], f64 beta, u64 name length, the nonlinearity's name, u64 P
 *   u64 step, u64 nrec
 *   f64 theta[P], f64 rec[nrec]
 *   u32 CRC-32 (zlib) of every byte before it
 * Written through atomic.h (a temporary file, fsync'd and renamed onto PATH): a reader sees
 * the previous checkpoint or the new one, never half of one.
 */
#ifndef NTK_CHECKPOINT_H
#define NTK_CHECKPOINT_H

#include <stddef.h>
#include "net.h"

/* Save net's parameters, step and rec (nrec values; rec may be NULL when nrec = 0)
 * to path under tag. Creates missing parent directories. 0, or non-zero with
 * ntk_last_error() naming the file; path is then untouched. */
int ntk_checkpoint_save(const char *path, const char *tag, const ntk_net *net, size_t step,
                        size_t nrec, const double *rec);

/* What ntk_checkpoint_load found. */
typedef enum {
    NTK_CHECKPOINT_NONE = 0,   /* no file at path: start from scratch */
    NTK_CHECKPOINT_LOADED = 1, /* net, *step, rec and *nrec now hold the saved state */
    NTK_CHECKPOINT_STALE = 2   /* a valid checkpoint of another tag or architecture:
                                  nothing loaded; ntk_last_error() says what differs */
} ntk_checkpoint_state;

/* Load path into net (allocated with the run's architecture), *step, and rec (room
 * for cap values; *nrec receives the count, which must be <= cap). Returns 0 with
 * *state set, or non-zero with ntk_last_error() naming the file and the problem (not
 * a checkpoint, truncated, trailing bytes, checksum mismatch, other byte order,
 * record longer than cap); on a non-zero return net's parameters are unspecified. */
int ntk_checkpoint_load(const char *path, const char *tag, ntk_net *net, size_t *step,
                        size_t cap, double *rec, size_t *nrec, ntk_checkpoint_state *state);

#endif
