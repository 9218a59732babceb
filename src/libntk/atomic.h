/* atomic.h - a file replaced whole or not at all.
 *
 * ntk_atomic_open creates a temporary file beside the target, PATH.tmp.XXXXXX (mkstemp,
 * so two writers never share one), readable by all (0644). The caller writes through
 * a->f. ntk_atomic_commit flushes it, fsyncs it, closes it, renames it onto PATH and
 * fsyncs the directory, so that the new contents are on disk before the name points
 * at them and the rename itself survives a crash. A reader of PATH therefore sees the
 * old complete file or the new complete file, never a mixture or a prefix. Any failure,
 * and ntk_atomic_abort, removes the temporary file and leaves PATH as it was.
 *
 * The parent directory must exist (output.h's ntk_mkdir_p creates one).
 *
 *   ntk_atomic a;
 *   if (ntk_atomic_open(&a, path)) return error;
 *   fprintf(a.f, ...);                       // or write(fileno(a.f), ...)
 *   if (something_failed) { ntk_atomic_abort(&a); return error; }
 *   return ntk_atomic_commit(&a);
 */
#ifndef NTK_ATOMIC_H
#define NTK_ATOMIC_H

#include <stdio.h>

typedef struct {
    FILE *f;    /* the temporary file, open for writing ("wb") */
    char *path; /* the target */
    char *tmp;  /* the temporary file's name */
} ntk_atomic;

/* Start replacing path. 0, or non-zero with ntk_last_error() naming path and the
 * reason (no directory, no permission, out of memory); *a is then empty and nothing
 * exists on disk. */
int ntk_atomic_open(ntk_atomic *a, const char *path);

/* Flush, fsync, close, rename onto the target, fsync its directory. 0, or non-zero
 * with ntk_last_error() naming the target and the step that failed; the temporary
 * file is then removed and the target untouched. Empties *a either way. */
int ntk_atomic_commit(ntk_atomic *a);

/* Close and remove the temporary file; the target is untouched. Empties *a. Safe on
 * an empty (zeroed, committed or aborted) ntk_atomic and on NULL. */
void ntk_atomic_abort(ntk_atomic *a);

#endif
