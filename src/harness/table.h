/* table.h - read back a data file written through output.h.
 *
 * Experiments run their independent pieces (one width, one seed) as separate
 * processes, each writing its own data file; the summary step reads them back with
 * this reader. It parses the '# key = value' header lines, the '# columns:' line,
 * and the numeric rows (data sets separated by blank lines), and checks every row
 * has one value per column.
 */
#ifndef NTK_TABLE_H
#define NTK_TABLE_H

#include <stddef.h>

#define NTK_TABLE_MAX_COLS 64
#define NTK_TABLE_MAX_PARAMS 96

typedef struct {
    size_t ncols;
    char *cols[NTK_TABLE_MAX_COLS];      /* column names */
    size_t nrows;
    double *v;                           /* nrows x ncols, row-major */
    size_t nsets;                        /* data sets (separated by blank lines) */
    size_t *set_end;                     /* row index one past the end of each set */
    size_t nparams;
    char *keys[NTK_TABLE_MAX_PARAMS];    /* '# key = value' header lines */
    char *values[NTK_TABLE_MAX_PARAMS];
} ntk_table;

/* Read path. 0, or non-zero with a message naming the file, the line and the problem. */
int ntk_table_read(const char *path, ntk_table *t);
void ntk_table_free(ntk_table *t); /* safe on a zeroed or freed table */

/* Index of the column named name, or -1. */
long ntk_table_col(const ntk_table *t, const char *name);

/* The value of a '# key = value' header line, or NULL. */
const char *ntk_table_param(const ntk_table *t, const char *key);

/* The value of a '# key = value' header line as a number: 0, or GSL_EFAILED with a
 * message naming the file (path, for the message) when it is missing or not a number. */
int ntk_table_param_double(const ntk_table *t, const char *path, const char *key, double *out);

/* Value at row r, column named name (NAN when there is no such column). */
double ntk_table_get(const ntk_table *t, size_t r, const char *name);

#endif
