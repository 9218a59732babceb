/* output.h - data files for gnuplot, written so an interrupted run never leaves half a file.
 *
 * A data file starts with '#' comment lines: the program that wrote it, the source
 * revision, the date, what can make a number differ between machines (the provenance
 * lines below), every parameter and seed (ntk_out_param), and one line
 *   # columns: name1 name2 ...
 * then rows of whitespace-separated numbers printed with %.17g (round-trip exact),
 * data sets separated by two blank lines (gnuplot's `index`).
 *
 * Everything goes to a temporary file beside the target (atomic.h), which
 * ntk_out_close renames onto PATH only when every write succeeded; ntk_out_abort, or
 * any failure, removes it. A reader therefore sees the old complete file or the new
 * complete file, never a partial one.
 */
#ifndef NTK_OUTPUT_H
#define NTK_OUTPUT_H

#include <stddef.h>

typedef struct ntk_out ntk_out;

/* Open a data file for path; writes the first header lines
 *   # produced by PROGRAM
 *   # revision: REV                      ntk_revision()
 *   # date: ISO-8601 UTC
 * and the provenance lines, "# name: value" (never "key = value", so that readers of
 * parameters, table.h, pass over them):
 *   # cpu: MODEL, N online               /proc/cpuinfo, the CPUs online
 *   # blas: CONFIG (core NAME)           openblas_get_config(), openblas_get_corename()
 *   # blas threads: N                    openblas_get_num_threads(), at run time
 *   # libraries: GSL V, glibc V
 *   # compiler: CC --version's first line, at build time (build/build-info.h)
 *   # cflags: CFLAGS, at build time
 * tests/check_identical.sh compares data files apart from these lines and the date.
 * Creates missing parent directories. NULL on error (ntk_last_error() says why). */
ntk_out *ntk_out_open(const char *path, const char *program);

/* "# key = value" header line (value printf-formatted); only before ntk_out_columns. */
int ntk_out_param(ntk_out *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "# text" free comment line; only before ntk_out_columns. */
int ntk_out_comment(ntk_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "# columns: names" (names whitespace-separated); must come once, before any row.
 * Fixes the number of columns every row must have. */
int ntk_out_columns(ntk_out *o, const char *names);

/* One row of n numbers (n must equal the number of columns), %.17g each. */
int ntk_out_row(ntk_out *o, size_t n, const double *v);

/* One row whose first column is a word (for example a nonlinearity's name), then
 * n numbers: 1 + n must equal the number of columns. */
int ntk_out_row_labelled(ntk_out *o, const char *label, size_t n, const double *v);

/* Two blank lines: the next rows form a new data set (gnuplot index). */
int ntk_out_next_set(ntk_out *o);

/* Flush, fsync and rename onto the target path; frees o. Non-zero (and the temporary
 * file removed, the target untouched) if anything failed since open. */
int ntk_out_close(ntk_out *o);

/* Remove the temporary file and free o; the target is untouched. NULL is fine. */
void ntk_out_abort(ntk_out *o);

/* The source revision compiled in (src/tools/revision.sh: the last commit that changed
 * the sources, "-modified" when they differ from it), "unknown" outside a checkout. */
const char *ntk_revision(void);

/* Create dir and its missing parents (like mkdir -p). */
int ntk_mkdir_p(const char *dir);

/* Create the directory that holds the file path, and its missing parents; the error
 * names path ("PATH: cannot create its directory: ..."). */
int ntk_mkdir_parent(const char *path);

#endif
