/* test_output.c - data files (header, columns, rows that parse back bit for bit, data
 * sets), the all-or-nothing replacement of the target, misuse rejected, directories,
 * and the progress lines on stderr. Files live in a fresh mkdtemp directory, removed
 * when the suite ends. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnu/libc-version.h>
#include <gsl/gsl_version.h>

#include "blas.h"
#include "error.h"
#include "output.h"
#include "progress.h"
#include "table.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];
static int suite_init(void) { return ntk_tmpdir_make(dir, sizeof dir, "output"); }
static int suite_clean(void) { return ntk_tmpdir_remove(dir); }
static const char *in_dir(const char *name) { return ntk_tmpdir_path(dir, name); }

/* Parse a row of n numbers from line; each must be the exact double written. */
static int row_matches(const char *line, size_t n, const double *v)
{
    const char *s = line;
    for (size_t i = 0; i < n; i++) {
        char *end;
        double x = strtod(s, &end);
        if (end == s) return 0;
        if (isnan(v[i]) ? !isnan(x) : memcmp(&x, &v[i], sizeof x) != 0) return 0;
        s = end;
    }
    return strcmp(s, "\n") == 0;
}

static int is_iso_date(const char *s)
{
    const char *pattern = "dddd-dd-ddTdd:dd:ddZ";
    for (size_t i = 0; pattern[i]; i++)
        if (pattern[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pattern[i]) return 0;
    return s[strlen(pattern)] == '\n';
}

static void test_file_format(void)
{
    const char *path = in_dir("a/b/out.dat"); /* the parents do not exist yet */
    ntk_out *o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_param(o, "seed", "%lu", 20180607UL));
    CHECK_OK(ntk_out_param(o, "beta", "%.17g", 0.1));
    CHECK_OK(ntk_out_comment(o, "two sets: %s", "circle, then sphere"));
    CHECK_OK(ntk_out_columns(o, " gamma  theta\tsigma "));
    const double rows[4][3] = {
        {-M_PI, 1.0 / 3.0, 2.385e-300},
        {0.1, -0.0, 1e308},
        {NAN, INFINITY, -INFINITY},
        {DBL_TRUE_MIN, 123456789.123, -2.5},
    };
    CHECK_OK(ntk_out_row(o, 3, rows[0]));
    CHECK_OK(ntk_out_row(o, 3, rows[1]));
    CHECK_OK(ntk_out_next_set(o));
    CHECK_OK(ntk_out_row(o, 3, rows[2]));
    CHECK_OK(ntk_out_row(o, 3, rows[3]));
    CU_ASSERT(ntk_tmpdir_temp_files(in_dir("a/b")) == 1); /* the temporary file, beside the target */
    CHECK_OK(ntk_out_close(o));
    CU_ASSERT(ntk_tmpdir_temp_files(in_dir("a/b")) == 0);

    FILE *f = fopen(path, "r");
    CU_ASSERT_FATAL(f != NULL);
    char line[24][256], expect[600];
    size_t n = 0;
    while (n < 24 && fgets(line[n], sizeof line[n], f)) n++;
    fclose(f);
    CU_ASSERT_FATAL(n == 19);
    CU_ASSERT_STRING_EQUAL(line[0], "# produced by test_output\n");
    snprintf(expect, sizeof expect, "# revision: %s\n", ntk_revision());
    CU_ASSERT_STRING_EQUAL(line[1], expect);
    CU_ASSERT(strncmp(line[2], "# date: ", 8) == 0 && is_iso_date(line[2] + 8));
    /* Provenance: what can move a number between machines, each "# name: value". */
    CU_ASSERT(strncmp(line[3], "# cpu: ", 7) == 0 && strstr(line[3], " online\n"));
    snprintf(expect, sizeof expect, "# blas: %s (core %s)\n", openblas_get_config(),
             openblas_get_corename());
    CU_ASSERT_STRING_EQUAL(line[4], expect);
    snprintf(expect, sizeof expect, "# blas threads: %d\n", openblas_get_num_threads());
    CU_ASSERT_STRING_EQUAL(line[5], expect);
    snprintf(expect, sizeof expect, "# libraries: GSL %s, glibc %s\n", gsl_version,
             gnu_get_libc_version());
    CU_ASSERT_STRING_EQUAL(line[6], expect);
    /* compiled in by make (build/build-info.h), so never the fallback "unknown" */
    CU_ASSERT(strncmp(line[7], "# compiler: ", 12) == 0 && strcmp(line[7] + 12, "unknown\n") != 0);
    CU_ASSERT(strncmp(line[8], "# cflags: ", 10) == 0 && strstr(line[8], "-std=gnu11"));
    CU_ASSERT_STRING_EQUAL(line[9], "# seed = 20180607\n");
    CU_ASSERT_STRING_EQUAL(line[10], "# beta = 0.10000000000000001\n");
    CU_ASSERT_STRING_EQUAL(line[11], "# two sets: circle, then sphere\n");
    CU_ASSERT_STRING_EQUAL(line[12], "# columns: gamma theta sigma\n");
    CU_ASSERT(row_matches(line[13], 3, rows[0]));
    CU_ASSERT(row_matches(line[14], 3, rows[1]));
    CU_ASSERT_STRING_EQUAL(line[15], "\n"); /* two blank lines: gnuplot's index */
    CU_ASSERT_STRING_EQUAL(line[16], "\n");
    CU_ASSERT(row_matches(line[17], 3, rows[2]));
    CU_ASSERT(row_matches(line[18], 3, rows[3]));
    /* The reader of parameters (what summaries compare) sees the parameters only. */
    ntk_table t;
    CHECK_OK(ntk_table_read(path, &t));
    CU_ASSERT(t.nparams == 2 && ntk_table_param(&t, "seed") && ntk_table_param(&t, "beta"));
    ntk_table_free(&t);

    /* A labelled row: a word, then the numbers. */
    path = in_dir("labelled.dat");
    o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "sigma lambda1 lambda2"));
    const double lam[2] = {0.0457, 0.00108};
    CHECK_OK(ntk_out_row_labelled(o, "relu", 2, lam));
    CHECK_OK(ntk_out_close(o));
    const char *text = ntk_tmpdir_contents(path), *last = strstr(text, "\nrelu ");
    CU_ASSERT(last != NULL && row_matches(last + 6, 2, lam));
    CU_ASSERT(strstr(text, "# columns: sigma lambda1 lambda2\n") != NULL);
}

/* The target keeps its old content until a successful close. */
static void test_all_or_nothing(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("atomic.dat"));
    const double v[3] = {2.385, -1.25, 7.0};
    ntk_tmpdir_write(path, "old content\n");

    /* Aborted: old content, no temporary file. */
    ntk_out *o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "a b c"));
    CHECK_OK(ntk_out_row(o, 3, v));
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old content\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 1);
    ntk_out_abort(o);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old content\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);

    /* A row of the wrong length spoils the file: later calls fail, close fails with
     * the first error, and the target survives. */
    o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "a b"));
    CHECK_OK(ntk_out_row(o, 2, v));
    CU_ASSERT(ntk_out_row(o, 3, v) == GSL_EBADLEN);
    CU_ASSERT(strstr(ntk_last_error(), "3 numbers") != NULL);
    CU_ASSERT(ntk_out_row(o, 2, v) != 0);
    CU_ASSERT(ntk_out_close(o) != 0);
    CU_ASSERT(strstr(ntk_last_error(), "3 numbers") != NULL &&
              strstr(ntk_last_error(), path) != NULL);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old content\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);

    /* The same for a labelled row of the wrong length. */
    o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "name a b"));
    CU_ASSERT(ntk_out_row_labelled(o, "relu", 3, v) == GSL_EBADLEN);
    CU_ASSERT(ntk_out_close(o) != 0);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old content\n");

    /* A parameter after the columns line. */
    o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "a"));
    CU_ASSERT(ntk_out_param(o, "seed", "%d", 1) != 0);
    CU_ASSERT(strstr(ntk_last_error(), "after the columns") != NULL);
    CU_ASSERT(ntk_out_close(o) != 0);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old content\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);

    /* Success replaces it. */
    o = ntk_out_open(path, "test_output");
    CU_ASSERT_FATAL(o != NULL);
    CHECK_OK(ntk_out_columns(o, "a b c"));
    CHECK_OK(ntk_out_row(o, 3, v));
    CHECK_OK(ntk_out_close(o));
    CU_ASSERT(strstr(ntk_tmpdir_contents(path), "\n2.3849999999999998 -1.25 7\n") != NULL);
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);
    struct stat st;
    CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0444) == 0444); /* readable by all */
}

/* Each misuse is refused and spoils the file (so close fails and nothing is written). */
static void test_misuse(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s", in_dir("misuse.dat"));
    const double v[2] = {1.5, 2.5};
    enum { ROW_FIRST, COLUMNS_TWICE, COMMENT_AFTER, PARAM_NEWLINE, COMMENT_NEWLINE, KEY_SPACE,
           KEY_EQUALS, FAKE_COLUMNS, NO_NAMES, SET_FIRST, BAD_LABEL, NULL_ROW, CASES };
    for (int c = 0; c < CASES; c++) {
        ntk_out *o = ntk_out_open(path, "test_output");
        CU_ASSERT_FATAL(o != NULL);
        int status = -1;
        switch (c) {
        case ROW_FIRST: status = ntk_out_row(o, 2, v); break;
        case COLUMNS_TWICE:
            ntk_out_columns(o, "a b");
            status = ntk_out_columns(o, "a b");
            break;
        case COMMENT_AFTER:
            ntk_out_columns(o, "a b");
            status = ntk_out_comment(o, "late");
            break;
        case PARAM_NEWLINE: status = ntk_out_param(o, "key", "two\nlines"); break;
        case COMMENT_NEWLINE: status = ntk_out_comment(o, "two\rlines"); break;
        case KEY_SPACE: status = ntk_out_param(o, "two words", "%d", 1); break;
        case KEY_EQUALS: status = ntk_out_param(o, "a=b", "%d", 1); break;
        case FAKE_COLUMNS: status = ntk_out_comment(o, "columns: x y"); break;
        case NO_NAMES: status = ntk_out_columns(o, " \t "); break;
        case SET_FIRST: status = ntk_out_next_set(o); break;
        case BAD_LABEL:
            ntk_out_columns(o, "name a b");
            status = ntk_out_row_labelled(o, "two words", 2, v);
            break;
        case NULL_ROW:
            ntk_out_columns(o, "a b");
            status = ntk_out_row(o, 2, NULL);
            break;
        }
        CU_ASSERT(status != 0);
        CU_ASSERT(ntk_out_close(o) != 0);
        CU_ASSERT(access(path, F_OK) != 0);
    }
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);
    CU_ASSERT(ntk_out_close(NULL) != 0);
    ntk_out_abort(NULL);
    CU_ASSERT(ntk_out_param(NULL, "k", "%d", 1) != 0);
    CU_ASSERT(ntk_out_comment(NULL, "c") != 0);
    CU_ASSERT(ntk_out_columns(NULL, "a") != 0);
    CU_ASSERT(ntk_out_row(NULL, 2, v) != 0);
    CU_ASSERT(ntk_out_row_labelled(NULL, "x", 2, v) != 0);
    CU_ASSERT(ntk_out_next_set(NULL) != 0);
    CU_ASSERT(ntk_out_open(NULL, "p") == NULL);
    CU_ASSERT(ntk_out_open(path, NULL) == NULL);
    CU_ASSERT(ntk_out_open(path, "two\nlines") == NULL);
    CU_ASSERT(ntk_out_open(in_dir("sub/"), "p") == NULL);
}

static void test_directories(void)
{
    /* A path through a regular file cannot be created, even by root. */
    char file[256];
    snprintf(file, sizeof file, "%s", in_dir("afile"));
    ntk_tmpdir_write(file, "x\n");
    CU_ASSERT(ntk_out_open(in_dir("afile/sub/out.dat"), "test_output") == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "afile") != NULL);
    CU_ASSERT(ntk_out_open(in_dir("afile/out.dat"), "test_output") == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "afile") != NULL);
    /* A directory without write permission (meaningless for root, who may write). */
    if (geteuid() != 0) {
        const char *ro = in_dir("readonly");
        CU_ASSERT_FATAL(mkdir(ro, 0555) == 0);
        CU_ASSERT(ntk_out_open(in_dir("readonly/out.dat"), "test_output") == NULL);
        CU_ASSERT(strlen(ntk_last_error()) > 0);
        chmod(ro, 0755);
    }

    CHECK_OK(ntk_mkdir_p(in_dir("x/y/z")));
    CHECK_OK(ntk_mkdir_p(in_dir("x/y/z"))); /* already there */
    CHECK_OK(ntk_mkdir_p(in_dir("x//w/")));
    struct stat st;
    CU_ASSERT(stat(in_dir("x/y/z"), &st) == 0 && S_ISDIR(st.st_mode));
    CU_ASSERT(stat(in_dir("x/w"), &st) == 0 && S_ISDIR(st.st_mode));
    CU_ASSERT(ntk_mkdir_p(in_dir("afile/q")) != 0);
    CU_ASSERT(ntk_mkdir_p(file) != 0);
    CU_ASSERT(ntk_mkdir_p("") != 0);
    CU_ASSERT(ntk_mkdir_p(NULL) != 0);

    const char *rev = ntk_revision();
    CU_ASSERT(rev != NULL && *rev && strpbrk(rev, "\n\r") == NULL);
}

static void test_durations(void)
{
    const struct { double s; const char *text; } cases[] = {
        {0.0, "0.0s"}, {4.2, "4.2s"}, {59.94, "59.9s"}, {59.99, "59.9s"}, {60.0, "1m00s"},
        {62.0, "1m02s"}, {185.0, "3m05s"}, {3599.9, "59m59s"}, {3720.0, "1h02m"},
        {36000.0, "10h00m"}, {NAN, "?"}, {-1.0, "?"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CU_ASSERT_STRING_EQUAL(ntk_progress_format_duration(cases[i].s, buf, sizeof buf), cases[i].text);
    char small[4] = "zzz";
    ntk_progress_format_duration(3720.0, small, sizeof small);
    CU_ASSERT_STRING_EQUAL(small, "1h0");
    CU_ASSERT(ntk_progress_now() > 0.0 && ntk_progress_now() >= ntk_progress_now() - 1.0);
}

/* Progress lines, with stderr sent to a file for the duration. */
static void test_progress(void)
{
    char log[256];
    snprintf(log, sizeof log, "%s", in_dir("stderr.txt"));
    const char *q = getenv("NTK_QUIET");
    char *quiet = q ? strdup(q) : NULL;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);

    unsetenv("NTK_QUIET");
    ntk_progress p;
    ntk_progress_start(&p, "work", 1000);
    int tty = p.tty, loud = !p.quiet;
    ntk_progress_update(&p, 10); /* too soon after the start: nothing */
    /* Pretend the run started 62.3 s ago and last printed 10 s ago. */
    double now = ntk_progress_now();
    p.start = now - 62.3;
    p.last_print = now - 10.0;
    ntk_progress_update(&p, 420); /* 62.3 * 580 / 420 = 86.0 s left */
    ntk_progress_end(&p);

    /* The live line of a terminal, forced. */
    ntk_progress_start(&p, "live", 8);
    p.tty = 1;
    p.last_print = ntk_progress_now() - 1.0;
    ntk_progress_update(&p, 4);
    ntk_progress_end(&p);

    /* Odd totals do not crash. */
    ntk_progress_start(&p, "odd", 0);
    p.last_print = ntk_progress_now() - 10.0;
    ntk_progress_update(&p, 3);
    ntk_progress_start(&p, NULL, 5);
    p.last_print = ntk_progress_now() - 10.0;
    ntk_progress_update(&p, 7);

    /* NTK_QUIET=1: silence. */
    setenv("NTK_QUIET", "1", 1);
    ntk_progress_start(&p, "hushed", 1000);
    int hushed = p.quiet;
    p.last_print = ntk_progress_now() - 10.0;
    ntk_progress_update(&p, 500);
    ntk_progress_end(&p);

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    if (quiet) setenv("NTK_QUIET", quiet, 1); else unsetenv("NTK_QUIET");
    free(quiet);

    const char *text = ntk_tmpdir_contents(log);
    CU_ASSERT(!tty && loud && hushed);
    CU_ASSERT(strstr(text, "work: 1%") == NULL);
    CU_ASSERT(strstr(text, "work: 42% (420/1000) elapsed 1m02s, about 1m26s left\n") != NULL);
    CU_ASSERT(strstr(text, "work: done in 1m02s\n") != NULL);
    CU_ASSERT(strstr(text, "\rlive: 50% (4/8) elapsed ") != NULL);
    CU_ASSERT(strstr(text, "\rlive: done in ") != NULL);
    CU_ASSERT(strstr(text, "odd: 3 done") != NULL);
    CU_ASSERT(strstr(text, "progress: 100% (7/5)") != NULL);
    CU_ASSERT(strstr(text, "hushed") == NULL);
}

void ntk_test_output(void)
{
    CU_pSuite s = CU_add_suite("output", suite_init, suite_clean);
    CU_add_test(s, "header, columns, exact rows, two data sets", test_file_format);
    CU_add_test(s, "target untouched until a clean close; no temporary left",
                test_all_or_nothing);
    CU_add_test(s, "misuse refused and the file not written", test_misuse);
    CU_add_test(s, "directories: created, or a clear error", test_directories);
    CU_add_test(s, "durations formatted", test_durations);
    CU_add_test(s, "progress lines on stderr; NTK_QUIET silences", test_progress);
}
