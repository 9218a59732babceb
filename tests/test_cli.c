/* test_cli.c - the `ntk` and `bench` commands, run as a user would: the built binaries
 * $NTK_BIN/ntk and $NTK_BIN/bench (NTK_BIN defaults to "bin"), through system() from
 * a scratch directory, with stdout and stderr captured in files. A valid ntk call
 * prints one line whose two numbers are ntk_limit_pair's (%.17g reads back as the same
 * double, so 1e-15 relative only allows for nothing but that); help exits 0; every bad
 * input exits 2 with exactly one line on stderr and nothing on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "limit.h"
#include "check.h"
#include "tmpdir.h"

static char tmpdir[64];
static char bin[1024], bench[1024]; /* absolute: the commands run in tmpdir */

static int suite_init(void)
{
    const char *dir = getenv("NTK_BIN");
    char abs[900];
    if (!realpath(dir && *dir ? dir : "bin", abs)) snprintf(abs, sizeof abs, "%s", "bin");
    snprintf(bin, sizeof bin, "%s/ntk", abs);
    snprintf(bench, sizeof bench, "%s/bench", abs);
    return ntk_tmpdir_make(tmpdir, sizeof tmpdir, "cli");
}

static int suite_clean(void) { return ntk_tmpdir_remove(tmpdir); }

/* s in single quotes for the shell, ' written as '\'' */
static void append_quoted(char *cmd, size_t size, const char *s)
{
    size_t n = strlen(cmd);
    if (n + 2 < size) cmd[n++] = '\'';
    for (; *s && n + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(cmd + n, "'\\''", 4);
            n += 4;
        } else {
            cmd[n++] = *s;
        }
    }
    if (n + 2 < size) cmd[n++] = '\'';
    cmd[n] = '\0';
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
}

typedef struct {
    int status;     /* exit status, -1 if it did not exit normally */
    char out[8192]; /* stdout */
    char err[2048]; /* stderr */
} run_result;

/* Run prog with the NULL-terminated arguments, in tmpdir. */
static void run_prog(run_result *r, const char *prog, const char *const *args)
{
    char cmd[4096] = "cd ";
    append_quoted(cmd, sizeof cmd, tmpdir);
    strncat(cmd, " && ", sizeof cmd - strlen(cmd) - 1);
    append_quoted(cmd, sizeof cmd, prog);
    for (const char *const *a = args; *a; a++) {
        strncat(cmd, " ", sizeof cmd - strlen(cmd) - 1);
        append_quoted(cmd, sizeof cmd, *a);
    }
    strncat(cmd, " >out 2>err </dev/null", sizeof cmd - strlen(cmd) - 1);
    int st = system(cmd);
    r->status = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    char path[128];
    snprintf(path, sizeof path, "%s/out", tmpdir);
    read_file(path, r->out, sizeof r->out);
    snprintf(path, sizeof path, "%s/err", tmpdir);
    read_file(path, r->err, sizeof r->err);
}

static void run(run_result *r, const char *const *args) { run_prog(r, bin, args); }

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* Whether prog is built; a test failure saying how to build it if not. */
static int built(const char *prog)
{
    if (access(prog, X_OK) == 0) return 1;
    printf("\n    %s is not an executable: build it first (make), or set NTK_BIN", prog);
    CU_FAIL("a binary is missing");
    return 0;
}

static void test_binary_exists(void) { built(bin); }

/* One valid call against the library. */
static void check_valid(const char *const *args, const char *name, size_t L, double beta,
                        const double *x, const double *y, size_t n0)
{
    run_result r;
    run(&r, args);
    CU_ASSERT(r.status == 0);
    CU_ASSERT(r.err[0] == '\0');
    CU_ASSERT(count_lines(r.out) == 1 && r.out[strlen(r.out) - 1] == '\n');
    char *end;
    double sigma = strtod(r.out, &end), theta = strtod(end, &end);
    while (*end == ' ' || *end == '\t') end++;
    CU_ASSERT(end != r.out && strcmp(end, "\n") == 0); /* two numbers, nothing else */
    double S, T;
    ntk_limit_ws *ws = ntk_limit_alloc();
    CHECK_OK(ntk_limit_pair(ntk_nonlin_find(name), L, beta, x, y, n0, ws, &S, &T));
    ntk_limit_free(ws);
    CHECK_CLOSE(sigma, S, 1e-15, 0.0);
    CHECK_CLOSE(theta, T, 1e-15, 0.0);
}

static void test_valid_calls(void)
{
    const double x[] = {0.3, -1.7, 2.25}, y[] = {1.1, 0.4, -0.6};
    const double u[] = {-0.5, 2.0}, v[] = {1.385, -0.77};
    const char *a1[] = {"kernel", "--nonlin", "relu", "--depth", "4", "--beta", "0.1",
                        "0.3,-1.7,2.25", "1.1,0.4,-0.6", NULL};
    check_valid(a1, "relu", 4, 0.1, x, y, 3);
    /* --opt=value forms, options after the vectors, a vector starting with '-' */
    const char *a2[] = {"kernel", "-0.5,2", "1.385,-0.77", "--nonlin=tanh", "--depth=3",
                        "--beta=0.37", NULL};
    check_valid(a2, "tanh", 3, 0.37, u, v, 2);
    const char *a3[] = {"kernel", "--beta", "0", "--depth", "1", "--nonlin", "erf",
                        "0.3, -1.7, 2.25", "1.1,0.4,-0.6", NULL}; /* spaces allowed */
    check_valid(a3, "erf", 1, 0.0, x, y, 3);
}

static void test_help(void)
{
    run_result r;
    const char *h1[] = {"--help", NULL}, *h2[] = {"kernel", "--help", NULL};
    const char *h3[] = {"kernel", "--nonlin", "relu", "-h", NULL};
    run(&r, h1);
    CU_ASSERT(r.status == 0);
    CU_ASSERT(r.err[0] == '\0');
    CU_ASSERT(strstr(r.out, "kernel") != NULL && strstr(r.out, "Sigma") != NULL);
    CU_ASSERT(strstr(r.out, "Theta") != NULL);
    CU_ASSERT(strstr(r.out, ntk_nonlin_names()) != NULL);
    run(&r, h2);
    CU_ASSERT(r.status == 0);
    CU_ASSERT(r.err[0] == '\0');
    CU_ASSERT(strstr(r.out, "closed form") != NULL && strstr(r.out, "Example") != NULL);
    CU_ASSERT(strstr(r.out, "required") != NULL && strstr(r.out, "--beta") != NULL);
    for (size_t i = 0; i < ntk_nonlin_count(); i++)
        CU_ASSERT(strstr(r.out, ntk_nonlin_get(i)->name) != NULL);
    run(&r, h3);
    CU_ASSERT(r.status == 0 && strstr(r.out, "usage") != NULL);
}

/* Every bad input: status 2, nothing on stdout, one line on stderr starting "ntk: ",
 * containing `must_say` when given. */
static void test_bad_inputs(void)
{
    static const struct {
        const char *args[12];
        const char *must_say;
    } cases[] = {
        {{NULL}, "subcommand"},
        {{"frobnicate", NULL}, "frobnicate"},
        {{"--frob", NULL}, "--frob"},
        {{"--help", "extra", NULL}, "extra"},
        {{"kernel", NULL}, "--nonlin"},
        {{"kernel", "--depth", "2", "--beta", "0.1", "1,2", "3,4", NULL}, "--nonlin"},
        {{"kernel", "--nonlin", "relu", "--beta", "0.1", "1,2", "3,4", NULL}, "--depth"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "1,2", "3,4", NULL}, "--beta"},
        {{"kernel", "--nonlin", "relux", "--depth", "2", "--beta", "0.1", "1", "2", NULL},
         "tanh"},
        {{"kernel", "--nonlin", "relu", "--depth", "0", "--beta", "0.1", "1", "2", NULL},
         "depth"},
        {{"kernel", "--nonlin", "relu", "--depth", "-2", "--beta", "0.1", "1", "2", NULL},
         "depth"},
        {{"kernel", "--nonlin", "relu", "--depth", "2.5", "--beta", "0.1", "1", "2", NULL},
         "depth"},
        {{"kernel", "--nonlin", "relu", "--depth", "abc", "--beta", "0.1", "1", "2", NULL},
         "depth"},
        {{"kernel", "--nonlin", "relu", "--depth=", "--beta", "0.1", "1", "2", NULL}, "depth"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "-0.1", "1", "2", NULL},
         "beta"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "abc", "1", "2", NULL},
         "beta"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "nan", "1", "2", NULL},
         "beta"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "inf", "1", "2", NULL},
         "beta"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,,2", "1,2,3", NULL},
         "empty"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,2,", "1,2,3", NULL},
         "empty"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "", "1", NULL},
         "empty"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,x", "1,2", NULL},
         "'x'"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,nan", "1,2", NULL},
         "nan"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,2", "1,2,3", NULL},
         "same length"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1,2", NULL}, "Y"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", NULL}, "X"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1", "2", "3", NULL},
         "extra"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "--width", "3", "1",
          "2", NULL},
         "--width"},
        {{"kernel", "--nonlin", "relu", "--beta", "0.1", "1", "2", "--depth", NULL}, "value"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--depth", "3", "--beta", "0.1", "1",
          "2", NULL},
         "more than once"},
        {{"kernel", "--nonlin", "relu", "--depth", "2", "--beta", "0.1", "1\n2", "1,2", NULL},
         NULL}, /* a newline in an argument must not split the message */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_result r;
        run(&r, cases[i].args);
        int ok = r.status == 2 && r.out[0] == '\0' && count_lines(r.err) == 1 &&
                 r.err[strlen(r.err) - 1] == '\n' && strncmp(r.err, "ntk: ", 5) == 0 &&
                 (!cases[i].must_say || strstr(r.err, cases[i].must_say) != NULL);
        CU_ASSERT(ok);
        if (!ok)
            printf("\n    case %zu (%s %s ...): status %d, stdout '%s', stderr '%s'", i,
                   cases[i].args[0] ? cases[i].args[0] : "", cases[i].args[0] && cases[i].args[1] ? cases[i].args[1] : "",
                   r.status, r.out, r.err);
    }
}

/* bench, quick, one cheap case: the reference GEMM rows and that case's row, each with
 * a ratio and a verdict; only= writes no data file. Its timings are not checked
 * (make bench is where speed is judged). */
static void test_bench(void)
{
    if (!built(bench)) return;
    run_result r;
    const char *ok[] = {"quick", "only=relu", NULL};
    run_prog(&r, bench, ok);
    CU_ASSERT(r.status == 0);
    CU_ASSERT(r.err[0] == '\0');
    CU_ASSERT(strstr(r.out, "dgemm-2048") != NULL && strstr(r.out, "sgemm-2048") != NULL);
    const char *row = strstr(r.out, "relu-gram-512-d5");
    CU_ASSERT(row != NULL && strstr(row, "ratio") != NULL && strstr(row, "target") != NULL);
    CU_ASSERT(strstr(r.out, "train-") == NULL && strstr(r.out, "entk-") == NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/data", tmpdir);
    CU_ASSERT(access(path, F_OK) != 0); /* nothing written */
    static const struct {
        const char *args[3];
        const char *culprit; /* the message names it */
    } bad[] = {{{"quick", "onyl=relu", NULL}, "onyl=relu"},
               {{"fig1", "--quick", NULL}, "--quick"},
               {{"../fig1", NULL, NULL}, "../fig1"},
               {{"fig1", "quick", NULL}, "quick"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_prog(&r, bench, bad[i].args);
        CU_ASSERT(r.status == 2 && r.out[0] == '\0' && count_lines(r.err) == 1);
        CU_ASSERT(strncmp(r.err, "bench: ", 7) == 0 && strstr(r.err, bad[i].culprit) != NULL);
        if (r.status != 2)
            printf("\n    bench case %zu: status %d, stderr '%s'", i, r.status, r.err);
    }
    /* bench time: one line "time SHAPE PRECISION WIDTH SECONDS GFLOPS"; bad arguments named */
    const char *timed[] = {"time", "fig2", "single", "20", "1", NULL};
    run_prog(&r, bench, timed);
    double secs = 0.0, gf = 0.0;
    CU_ASSERT(r.status == 0 && r.err[0] == '\0' && count_lines(r.out) == 1);
    CU_ASSERT(sscanf(r.out, "time fig2 single 20 %lf %lf", &secs, &gf) == 2 && secs > 0.0 && gf > 0.0);
    static const struct {
        const char *args[7];
        const char *culprit;
    } badtime[] = {{{"time", "fig9", "single", NULL}, "fig9"},
                   {{"time", "fig2", "float", NULL}, "float"},
                   {{"time", "fig2", "double", "0", NULL}, "'0'"},
                   {{"time", "fig2", "double", "20", "17", NULL}, "'17'"},
                   {{"time", "fig2", NULL}, "usage"},
                   {{"time", "fig2", "double", "20", "1", "x"}, "usage"}};
    for (size_t i = 0; i < sizeof badtime / sizeof *badtime; i++) {
        run_prog(&r, bench, badtime[i].args);
        int ok = r.status == 2 && r.out[0] == '\0' && count_lines(r.err) == 1 &&
                 strncmp(r.err, "bench: time: ", 13) == 0 && strstr(r.err, badtime[i].culprit) != NULL;
        CU_ASSERT(ok);
        if (!ok) printf("\n    bench time case %zu: status %d, stderr '%s'", i, r.status, r.err);
    }
}

void ntk_test_cli(void)
{
    CU_pSuite s = CU_add_suite("cli", suite_init, suite_clean);
    CU_add_test(s, "the ntk binary is built ($NTK_BIN/ntk)", test_binary_exists);
    CU_add_test(s, "kernel: one line, Sigma and Theta = ntk_limit_pair's", test_valid_calls);
    CU_add_test(s, "--help and kernel --help: exit 0, on stdout", test_help);
    CU_add_test(s, "bad inputs: exit 2, one line on stderr, nothing on stdout",
                test_bad_inputs);
    CU_add_test(s, "bench quick only=relu: GEMM and relu rows, no data file; bench time; bad arguments exit 2",
                test_bench);
}
