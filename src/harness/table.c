/* table.c - read back data files; see table.h. */
#include "table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static char *dup_trim(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r')) len--;
    char *d = malloc(len + 1);
    if (d) { memcpy(d, s, len); d[len] = '\0'; }
    return d;
}

static int add_row(ntk_table *t, size_t *cap, const double *row)
{
    if (t->nrows == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        double *v = realloc(t->v, nc * t->ncols * sizeof *v);
        if (!v) return GSL_ENOMEM;
        t->v = v;
        *cap = nc;
    }
    memcpy(t->v + t->nrows * t->ncols, row, t->ncols * sizeof *row);
    t->nrows++;
    return 0;
}

static int end_set(ntk_table *t)
{
    if (t->nsets && t->set_end[t->nsets - 1] == t->nrows) return 0; /* no rows since */
    size_t *e = realloc(t->set_end, (t->nsets + 1) * sizeof *e);
    if (!e) return GSL_ENOMEM;
    t->set_end = e;
    t->set_end[t->nsets++] = t->nrows;
    return 0;
}

int ntk_table_read(const char *path, ntk_table *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f) NTK_FAIL(GSL_EFAILED, "%s: cannot open: %s", path, strerror(errno));
    char line[65536];
    size_t lineno = 0, cap = 0;
    int st = 0;
    double row[NTK_TABLE_MAX_COLS];
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            st = ntk_error(GSL_EFAILED, "%s:%zu: line too long", path, lineno);
            break;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\n' || *p == '\0' || *p == '\r') {
            if ((st = end_set(t))) break;
            continue;
        }
        if (*p == '#') {
            p++;
            while (*p == ' ') p++;
            if (strncmp(p, "columns:", 8) == 0) {
                if (t->ncols) { st = ntk_error(GSL_EFAILED, "%s:%zu: second columns line", path, lineno); break; }
                char *names = dup_trim(p + 8, strlen(p + 8)), *save = NULL;
                for (char *tok = strtok_r(names, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                    if (t->ncols == NTK_TABLE_MAX_COLS) { st = ntk_error(GSL_EFAILED, "%s: too many columns", path); break; }
                    t->cols[t->ncols++] = strdup(tok);
                }
                free(names);
                if (st) break;
                if (t->ncols == 0) { st = ntk_error(GSL_EFAILED, "%s:%zu: empty columns line", path, lineno); break; }
            } else {
                const char *eq = strstr(p, " = ");
                if (eq && t->nparams < NTK_TABLE_MAX_PARAMS) {
                    t->keys[t->nparams] = dup_trim(p, (size_t)(eq - p));
                    t->values[t->nparams] = dup_trim(eq + 3, strlen(eq + 3));
                    t->nparams++;
                }
            }
            continue;
        }
        if (t->ncols == 0) { st = ntk_error(GSL_EFAILED, "%s:%zu: data before the '# columns:' line", path, lineno); break; }
        size_t k = 0;
        char *end;
        for (;;) {
            while (*p == ' ' || *p == '\t') p++;
            if (*p == '\n' || *p == '\0' || *p == '\r') break;
            if (k == t->ncols) { k++; break; }
            errno = 0;
            row[k] = strtod(p, &end);
            if (end == p || (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')) {
                st = ntk_error(GSL_EFAILED, "%s:%zu: column %zu is not a number", path, lineno, k + 1);
                break;
            }
            p = end;
            k++;
        }
        if (st) break;
        if (k != t->ncols) {
            st = ntk_error(GSL_EFAILED, "%s:%zu: %s values, expected %zu (columns: %s ...)", path, lineno,
                           k > t->ncols ? "too many" : "too few", t->ncols, t->cols[0]);
            break;
        }
        if ((st = add_row(t, &cap, row))) { ntk_error(st, "%s: out of memory", path); break; }
    }
    if (!st && ferror(f)) st = ntk_error(GSL_EFAILED, "%s: read error", path);
    fclose(f);
    if (!st && t->ncols == 0) st = ntk_error(GSL_EFAILED, "%s: no '# columns:' line", path);
    if (!st) st = end_set(t);
    if (st) ntk_table_free(t);
    return st;
}

void ntk_table_free(ntk_table *t)
{
    for (size_t i = 0; i < t->ncols; i++) free(t->cols[i]);
    for (size_t i = 0; i < t->nparams; i++) { free(t->keys[i]); free(t->values[i]); }
    free(t->v);
    free(t->set_end);
    memset(t, 0, sizeof *t);
}

long ntk_table_col(const ntk_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0) return (long)i;
    return -1;
}

const char *ntk_table_param(const ntk_table *t, const char *key)
{
    for (size_t i = 0; i < t->nparams; i++)
        if (strcmp(t->keys[i], key) == 0) return t->values[i];
    return NULL;
}

int ntk_table_param_double(const ntk_table *t, const char *path, const char *key, double *out)
{
    const char *v = ntk_table_param(t, key);
    if (!v) NTK_FAIL(GSL_EFAILED, "%s: no '# %s = ...' header line", path, key);
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end != '\0') NTK_FAIL(GSL_EFAILED, "%s: header %s = '%s' is not a number", path, key, v);
    *out = x;
    return 0;
}

double ntk_table_get(const ntk_table *t, size_t r, const char *name)
{
    long c = ntk_table_col(t, name);
    return c < 0 || r >= t->nrows ? NAN : t->v[r * t->ncols + (size_t)c];
}
