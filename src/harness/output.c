/* output.c - data files for gnuplot, complete or absent; see output.h.
 *
 * Every call checks its arguments and the file's state (header lines only before
 * the columns line, rows only after it, each with the declared number of columns)
 * and every write is checked. The first error is remembered: from then on the file
 * is spoilt, every later call fails, and ntk_out_close removes the temporary file
 * and reports that first error, so a program that checks only the close still
 * learns what went wrong. Header values must be one line each, so that a reader can
 * parse "# key = value" lines back.
 */
#include "output.h"

#if defined(__has_include)
#if __has_include("revision.h")
#include "revision.h"
#endif
#endif
#ifndef NTK_REVISION
#define NTK_REVISION "unknown"
#endif
#if defined(__has_include)
#if __has_include("build-info.h")
#include "build-info.h"
#endif
#endif
#ifndef NTK_BUILD_COMPILER
#define NTK_BUILD_COMPILER "unknown"
#endif
#ifndef NTK_BUILD_CFLAGS
#define NTK_BUILD_CFLAGS "unknown"
#endif

#include <errno.h>
#include <gnu/libc-version.h>
#include <gsl/gsl_version.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "blas.h"
#include "error.h"

struct ntk_out {
    ntk_atomic a;       /* the temporary file (a.f) and the target (a.path) */
    size_t ncols;       /* columns per row, 0 until ntk_out_columns */
    int failed;         /* status of the first error, 0 while all is well */
    char first[512];    /* its message */
};

const char *ntk_revision(void) { return NTK_REVISION; }

/* Record an error on o (the first one is kept for ntk_out_close) and return it. */
__attribute__((format(printf, 3, 4)))
static int out_fail(ntk_out *o, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!o->failed) {
        o->failed = code;
        snprintf(o->first, sizeof o->first, "%s", msg);
    }
    return ntk_error(code, "%s: %s", o->a.path, msg);
}

/* Checks common to every writing call: o exists and is not spoilt. */
static int out_usable(ntk_out *o, const char *who)
{
    if (!o) NTK_FAIL(GSL_EINVAL, "%s: no file (NULL)", who);
    if (o->failed)
        NTK_FAIL(o->failed, "%s: %s: the file is already spoilt by an earlier error: %s", who,
                 o->a.path, o->first);
    return 0;
}

/* printf to the file, checked. */
__attribute__((format(printf, 2, 3)))
static int out_printf(ntk_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(o->a.f, fmt, ap);
    va_end(ap);
    if (r < 0 || ferror(o->a.f)) return out_fail(o, GSL_EFAILED, "write failed: %s", strerror(errno));
    return 0;
}

/* vsnprintf into a malloc'd string (NULL when out of memory or on a format error). */
static char *format_alloc(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static int has_newline(const char *s) { return strpbrk(s, "\n\r") != NULL; }

int ntk_mkdir_parent(const char *path)
{
    if (!path || !*path) NTK_FAIL(GSL_EINVAL, "ntk_mkdir_parent: no path given");
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0; /* the current directory, or the root */
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir) NTK_FAIL(GSL_ENOMEM, "%s: out of memory", path);
    int status = ntk_mkdir_p(dir);
    free(dir);
    if (status) {
        char why[900];
        snprintf(why, sizeof why, "%s", ntk_last_error());
        ntk_error(status, "%s: cannot create its directory: %s", path, why);
    }
    return status;
}

int ntk_mkdir_p(const char *dir)
{
    if (!dir || !*dir) NTK_FAIL(GSL_EINVAL, "ntk_mkdir_p: no directory given");
    char *p = strdup(dir);
    if (!p) NTK_FAIL(GSL_ENOMEM, "%s: out of memory", dir);
    size_t n = strlen(p);
    int status = 0;
    /* Each prefix ending before a '/' (and the whole name), from the root down. */
    for (size_t i = 1; i <= n && status == 0; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            status = ntk_error(GSL_EFAILED, "%s: cannot create directory: %s", p, strerror(errno));
        else if (stat(p, &st) != 0)
            status = ntk_error(GSL_EFAILED, "%s: %s", p, strerror(errno));
        else if (!S_ISDIR(st.st_mode))
            status = ntk_error(GSL_EFAILED, "%s: exists and is not a directory", p);
        p[i] = c;
    }
    free(p);
    return status;
}

/* Remove the temporary file and free o. */
static void out_discard(ntk_out *o)
{
    ntk_atomic_abort(&o->a);
    free(o);
}

/* s (in place) made one header line that a reader never takes for a "key = value"
 * pair: control characters become spaces, " = " becomes " : ". */
static void one_line(char *s)
{
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f) *p = ' ';
    for (char *p = s; (p = strstr(p, " = ")); p += 2) p[1] = ':';
}

/* The CPU's model name from /proc/cpuinfo, into buf. */
static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !colon) continue;
        colon++;
        colon += strspn(colon, " \t");
        line[strcspn(line, "\n")] = '\0';
        snprintf(buf, size, "%s", colon);
        break;
    }
    fclose(f);
}

/* The header lines that say what can move a number between machines (output.h). */
static int out_provenance(ntk_out *o)
{
    char cpu[256], blas[512], cc[256], flags[1024];
    cpu_model(cpu, sizeof cpu);
    const char *config = openblas_get_config(), *core = openblas_get_corename();
    snprintf(blas, sizeof blas, "%s (core %s)", config ? config : "unknown",
             core ? core : "unknown");
    snprintf(cc, sizeof cc, "%s", NTK_BUILD_COMPILER);
    snprintf(flags, sizeof flags, "%s", NTK_BUILD_CFLAGS);
    one_line(cpu), one_line(blas), one_line(cc), one_line(flags);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return out_printf(o,
                      "# cpu: %s, %ld online\n"
                      "# blas: %s\n"
                      "# blas threads: %d\n"
                      "# libraries: GSL %s, glibc %s\n"
                      "# compiler: %s\n"
                      "# cflags: %s\n",
                      cpu, ncpu, blas, openblas_get_num_threads(), gsl_version,
                      gnu_get_libc_version(), cc, flags);
}

ntk_out *ntk_out_open(const char *path, const char *program)
{
    if (!path || !*path) {
        ntk_error(GSL_EINVAL, "ntk_out_open: no path given");
        return NULL;
    }
    if (!program || !*program || has_newline(program)) {
        ntk_error(GSL_EINVAL, "%s: the program name must be one non-empty line", path);
        return NULL;
    }
    size_t n = strlen(path);
    if (path[n - 1] == '/') {
        ntk_error(GSL_EINVAL, "%s: names a directory, not a file", path);
        return NULL;
    }

    if (ntk_mkdir_parent(path)) return NULL;

    ntk_out *o = calloc(1, sizeof *o);
    if (!o) {
        ntk_error(GSL_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    if (ntk_atomic_open(&o->a, path)) {
        free(o);
        return NULL;
    }

    char date[32] = "unknown";
    time_t now = time(NULL);
    struct tm tm;
    if (now != (time_t)-1 && gmtime_r(&now, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (out_printf(o, "# produced by %s\n# revision: %s\n# date: %s\n", program, ntk_revision(),
                   date) ||
        out_provenance(o)) {
        char why[900];
        snprintf(why, sizeof why, "%s", ntk_last_error());
        out_discard(o);
        ntk_error(GSL_EFAILED, "%s", why);
        return NULL;
    }
    return o;
}

int ntk_out_param(ntk_out *o, const char *key, const char *fmt, ...)
{
    int status = out_usable(o, "ntk_out_param");
    if (status) return status;
    if (o->ncols)
        return out_fail(o, GSL_EINVAL, "parameter %s after the columns line",
                        key ? key : "(NULL)");
    if (!key || !*key || strpbrk(key, " \t\n\r=") || !fmt)
        return out_fail(o, GSL_EINVAL, "a parameter key must be one word without '=' (got \"%s\")",
                        key ? key : "(NULL)");
    va_list ap;
    va_start(ap, fmt);
    char *value = format_alloc(fmt, ap);
    va_end(ap);
    if (!value) return out_fail(o, GSL_ENOMEM, "parameter %s: cannot format its value", key);
    if (has_newline(value))
        status = out_fail(o, GSL_EINVAL, "parameter %s: the value must be one line", key);
    else
        status = out_printf(o, "# %s = %s\n", key, value);
    free(value);
    return status;
}

int ntk_out_comment(ntk_out *o, const char *fmt, ...)
{
    int status = out_usable(o, "ntk_out_comment");
    if (status) return status;
    if (o->ncols) return out_fail(o, GSL_EINVAL, "comment after the columns line");
    if (!fmt) return out_fail(o, GSL_EINVAL, "comment: NULL format");
    va_list ap;
    va_start(ap, fmt);
    char *text = format_alloc(fmt, ap);
    va_end(ap);
    if (!text) return out_fail(o, GSL_ENOMEM, "comment: cannot format it");
    if (has_newline(text))
        status = out_fail(o, GSL_EINVAL, "a comment must be one line");
    else if (strncmp(text, "columns:", 8) == 0)
        status = out_fail(o, GSL_EINVAL, "a comment cannot pose as the columns line");
    else
        status = out_printf(o, "# %s\n", text);
    free(text);
    return status;
}

int ntk_out_columns(ntk_out *o, const char *names)
{
    int status = out_usable(o, "ntk_out_columns");
    if (status) return status;
    if (o->ncols) return out_fail(o, GSL_EINVAL, "a second columns line");
    if (!names || has_newline(names))
        return out_fail(o, GSL_EINVAL, "columns: names must be one line");
    /* Count the names and write them separated by single spaces. */
    size_t count = 0;
    if (out_printf(o, "# columns:")) return o->failed;
    for (const char *s = names; *s;) {
        size_t skip = strspn(s, " \t"), len;
        s += skip;
        if (!*s) break;
        len = strcspn(s, " \t");
        if (out_printf(o, " %.*s", (int)len, s)) return o->failed;
        count++;
        s += len;
    }
    if (count == 0) return out_fail(o, GSL_EINVAL, "columns: no names given");
    if (out_printf(o, "\n")) return o->failed;
    o->ncols = count;
    return 0;
}

/* The numbers of a row after its first column (which has been written). */
static int out_numbers(ntk_out *o, size_t n, const double *v, int first)
{
    for (size_t i = 0; i < n; i++)
        if (out_printf(o, first && i == 0 ? "%.17g" : " %.17g", v[i])) return o->failed;
    return out_printf(o, "\n");
}

int ntk_out_row(ntk_out *o, size_t n, const double *v)
{
    int status = out_usable(o, "ntk_out_row");
    if (status) return status;
    if (!o->ncols) return out_fail(o, GSL_EINVAL, "a row before the columns line");
    if (n != o->ncols)
        return out_fail(o, GSL_EBADLEN, "a row of %zu numbers in a file of %zu columns", n,
                        o->ncols);
    if (!v) return out_fail(o, GSL_EINVAL, "row: values are NULL");
    return out_numbers(o, n, v, 1);
}

int ntk_out_row_labelled(ntk_out *o, const char *label, size_t n, const double *v)
{
    int status = out_usable(o, "ntk_out_row_labelled");
    if (status) return status;
    if (!o->ncols) return out_fail(o, GSL_EINVAL, "a row before the columns line");
    if (1 + n != o->ncols)
        return out_fail(o, GSL_EBADLEN, "a row of a label and %zu numbers in a file of %zu columns",
                        n, o->ncols);
    if (!label || !*label || strpbrk(label, " \t\n\r") || label[0] == '#')
        return out_fail(o, GSL_EINVAL, "a row label must be one word not starting with '#'");
    if (n > 0 && !v) return out_fail(o, GSL_EINVAL, "row: values are NULL");
    if (out_printf(o, "%s", label)) return o->failed;
    return out_numbers(o, n, v, 0);
}

int ntk_out_next_set(ntk_out *o)
{
    int status = out_usable(o, "ntk_out_next_set");
    if (status) return status;
    if (!o->ncols) return out_fail(o, GSL_EINVAL, "a new data set before the columns line");
    return out_printf(o, "\n\n");
}

int ntk_out_close(ntk_out *o)
{
    if (!o) NTK_FAIL(GSL_EINVAL, "ntk_out_close: no file (NULL)");
    int status = o->failed;
    if (status)
        ntk_error(status, "%s: not written: %s", o->a.path, o->first);
    else
        status = ntk_atomic_commit(&o->a); /* its message names the file and the step */
    out_discard(o);
    return status;
}

void ntk_out_abort(ntk_out *o)
{
    if (o) out_discard(o);
}
