/* test_experiments.c - every registered experiment program, run as make runs it,
 * with bad command lines: each must end with exit status 2, a one-line message on
 * stderr naming the problem, and nothing written (its out= directory is never
 * created). Plus the checks every experiment shares: --help works, and summarize
 * without runs fails with a message naming the missing file and writes nothing, and
 * refuses a run file made with other settings.
 * The programs come from $NTK_BIN (default bin), their names from $NTK_EXPERIMENTS
 * (set by `make test` from the Makefile's EXPERIMENTS list). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"

static char tmp[64];

static int setup(void) { return ntk_tmpdir_make(tmp, sizeof tmp, "exp"); }
static int teardown(void) { return ntk_tmpdir_remove(tmp); }

/* Run `BIN/prog args` with out= pointing into tmp; returns the exit status, and the
 * number of lines written to stderr in *lines, their last line in msg. */
static int run(const char *prog, const char *args, int *lines, char *msg, size_t size)
{
    const char *dir = getenv("NTK_BIN");
    char cmd[2048], errpath[128];
    snprintf(errpath, sizeof errpath, "%s/stderr", tmp);
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 NTK_QUIET=1 %s/%s %s >/dev/null 2>%s", dir && *dir ? dir : "bin",
             prog, args, errpath);
    int st = system(cmd);
    FILE *f = fopen(errpath, "r");
    *lines = 0;
    msg[0] = '\0';
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        snprintf(msg, size, "%s", line);
        (*lines)++;
    }
    if (f) fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void check_rejected(const char *prog, const char *args, const char *expect)
{
    char full[1024], out[256], msg[1024];
    int lines;
    snprintf(out, sizeof out, "%s/out-%s", tmp, prog);
    snprintf(full, sizeof full, "%s out=%s", args, out);
    int st = run(prog, full, &lines, msg, sizeof msg);
    int ok = st == 2 && lines == 1 && strstr(msg, expect) != NULL && !exists(out);
    if (!ok) printf("\n    %s %s: status %d, %d stderr lines: %s", prog, args, st, lines, msg);
    CU_ASSERT(ok);
}

/* PROG --help: status 0, every line within 80 columns, each command explained. */
static void check_help(const char *prog)
{
    const char *dir = getenv("NTK_BIN");
    char cmd[1024], line[1024];
    snprintf(cmd, sizeof cmd, "%s/%s --help", dir && *dir ? dir : "bin", prog);
    FILE *f = popen(cmd, "r");
    CU_ASSERT_FATAL(f != NULL);
    size_t widest = 0, nlines = 0;
    int seen[4] = {0};
    const char *cmds[4] = {"\n  runs ", "\n  run ID ", "\n  summarize ", "\n  estimate "};
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\n");
        widest = n > widest ? n : widest;
        nlines++;
        char with_nl[1100];
        snprintf(with_nl, sizeof with_nl, "\n%s", line);
        for (int k = 0; k < 4; k++) seen[k] |= strncmp(with_nl, cmds[k], strlen(cmds[k])) == 0;
    }
    int ok = pclose(f) == 0 && widest <= 80 && nlines > 10 && seen[0] && seen[1] && seen[2] && seen[3];
    if (!ok) printf("\n    %s --help: %zu lines, widest %zu columns, commands %d%d%d%d", prog, nlines, widest, seen[0],
                    seen[1], seen[2], seen[3]);
    CU_ASSERT(ok);
}

static void test_bad_command_lines(void)
{
    const char *list = getenv("NTK_EXPERIMENTS");
    CU_ASSERT_FATAL(list != NULL && *list);
    char names[2048];
    snprintf(names, sizeof names, "%s", list);
    int count = 0;
    for (char *save = NULL, *p = strtok_r(names, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        count++;
        check_rejected(p, "", "no command");
        check_rejected(p, "frobnicate", "unknown command");
        check_rejected(p, "runs profile=huge", "unknown profile 'huge'");
        check_rejected(p, "runs nosuchkey=3", "unknown parameter 'nosuchkey'");
        check_rejected(p, "runs profile", "cannot read argument");
        check_rejected(p, "run", "needs a run id");
        check_rejected(p, "run no-such-run profile=smoke", "run");
        char msg[1024], out[256], args[512];
        int lines;
        CU_ASSERT(run(p, "--help", &lines, msg, sizeof msg) == 0);
        check_help(p);
        /* summarize before any run: a message naming the missing file, nothing written */
        snprintf(out, sizeof out, "%s/empty-%s", tmp, p);
        snprintf(args, sizeof args, "summarize profile=smoke out=%s", out);
        int st = run(p, args, &lines, msg, sizeof msg);
        CU_ASSERT(st == 1 && lines == 1 && strstr(msg, out) != NULL && !exists(out));
        if (st != 1) printf("\n    %s summarize without runs: status %d: %s", p, st, msg);
    }
    printf("\n    %d experiment programs checked", count);
}

/* Figure 1's own parameters: width 0, negative steps, an unknown nonlinearity. */
static void test_fig1_parameters(void)
{
    const char *p = "fig1-ntk-convergence";
    check_rejected(p, "runs widths=0", "widths");
    check_rejected(p, "runs widths=500,", "widths");
    check_rejected(p, "runs steps=-1", "steps");
    check_rejected(p, "runs lr=0", "lr");
    check_rejected(p, "runs nonlin=swish", "swish");
    check_rejected(p, "run w501-s1", "not one of this profile's runs");
    check_rejected(p, "run w500-s11", "not one of this profile's runs");
}

/* Figure 3's kernel tracking: its records are not in the checkpoint, so it is refused
 * with checkpoints on (before any work), and a negative interval is refused. */
static void test_fig3_parameters(void)
{
    const char *p = "fig3-principal-components";
    check_rejected(p, "run w20-s1 profile=smoke kernel_every=5", "set checkpoint=0");
    check_rejected(p, "runs kernel_every=-1", "kernel_every");
    check_rejected(p, "runs lr=0", "lr");
}

/* Whether dir holds nothing but runs/ (a summary wrote nothing, not even a temporary). */
static int only_runs(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int only = 1;
    for (struct dirent *de; (de = readdir(d));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "runs")) {
            printf("\n    %s/%s written", dir, de->d_name);
            only = 0;
        }
    closedir(d);
    return only;
}

/* Figure 1's smoke runs, one of them made with steps=6 where the smoke profile has 5:
 * summarize ends with status 1, one message naming the file, the key and both values,
 * and writes nothing. The same run made with steps=5 given on the command line (its
 * header marks the value so) is the profile's own: summarize then succeeds. */
static void test_summary_refuses_other_settings(void)
{
    const char *p = "fig1-ntk-convergence", *bin = getenv("NTK_BIN");
    char out[256], cmd[1024], args[2048], msg[1024], ids[16][64], stale[96] = "";
    int lines, n = 0;
    snprintf(out, sizeof out, "%s/stale-%s", tmp, p);
    snprintf(cmd, sizeof cmd, "%s/%s runs profile=smoke 2>/dev/null", bin && *bin ? bin : "bin", p);
    FILE *f = popen(cmd, "r");
    CU_ASSERT_FATAL(f != NULL);
    while (n < 16 && fgets(ids[n], sizeof ids[n], f)) ids[n][strcspn(ids[n], "\n")] = '\0', n++;
    CU_ASSERT_FATAL(pclose(f) == 0 && n >= 2);
    for (int i = 0; i < n; i++) {
        snprintf(args, sizeof args, "run %s profile=smoke out=%s%s", ids[i], out, i == n - 1 ? " steps=6" : "");
        CU_ASSERT_FATAL(run(p, args, &lines, msg, sizeof msg) == 0);
    }
    snprintf(stale, sizeof stale, "runs/%s.dat", ids[n - 1]);
    snprintf(args, sizeof args, "summarize profile=smoke out=%s", out);
    int st = run(p, args, &lines, msg, sizeof msg);
    CU_ASSERT(st == 1 && lines == 1 && strstr(msg, stale) && strstr(msg, "steps=6") && strstr(msg, "steps=5"));
    if (st != 1) printf("\n    summarize with a stale run: status %d: %s", st, msg);
    CU_ASSERT(only_runs(out));

    snprintf(args, sizeof args, "run %s profile=smoke out=%s steps=5", ids[n - 1], out);
    CU_ASSERT_FATAL(run(p, args, &lines, msg, sizeof msg) == 0);
    snprintf(args, sizeof args, "summarize profile=smoke out=%s", out);
    st = run(p, args, &lines, msg, sizeof msg);
    CU_ASSERT(st == 0 && exists(ntk_tmpdir_path(out, "summary.dat")));
    if (st != 0) printf("\n    summarize with matching runs: status %d: %s", st, msg);
}

/* Whether dir (and its runs/, if any) holds no file at all: nothing was written, not
 * even a temporary that was left behind. */
static int no_files(const char *dir)
{
    char runs[512];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    int empty = 1;
    for (int k = 0; k < 2; k++) {
        DIR *d = opendir(k ? runs : dir);
        for (struct dirent *de; d && (de = readdir(d));)
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "runs")) {
                printf("\n    %s/%s written", k ? runs : dir, de->d_name);
                empty = 0;
            }
        if (d) closedir(d);
    }
    return empty;
}

/* A run whose training diverges stops at the step it happens, naming the step and the
 * learning rate, with status 1 and no run file: Figure 1 (training through the
 * harness) at lr 1e3 (the loss becomes NaN) and 1e6 (it explodes to ~1e71), and the
 * random-features gradient descents (a loop of their own) at lr 1e3. */
static void test_divergence_stops_the_run(void)
{
    const struct {
        const char *prog, *args, *lr;
    } cases[] = {
        {"fig1-ntk-convergence", "run w20-s1 profile=smoke lr=1e3 steps=200", "lr=1000"},
        {"fig1-ntk-convergence", "run w20-s1 profile=smoke lr=1e6 steps=200", "lr=1e+06"},
        {"random-features", "run gd profile=smoke lr=1e3 steps=200", "lr=1000"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char out[256], args[1024], msg[1024];
        int lines;
        snprintf(out, sizeof out, "%s/diverged-%zu", tmp, c);
        snprintf(args, sizeof args, "%s out=%s", cases[c].args, out);
        int st = run(cases[c].prog, args, &lines, msg, sizeof msg);
        int ok = st == 1 && strstr(msg, "diverged at step") && strstr(msg, cases[c].lr) && no_files(out);
        if (!ok) printf("\n    %s %s: status %d: %s", cases[c].prog, args, st, msg);
        CU_ASSERT(ok);
    }
    /* the same run at the profile's rate trains and writes its file */
    char out[256], args[512], msg[1024];
    int lines;
    snprintf(out, sizeof out, "%s/converged", tmp);
    snprintf(args, sizeof args, "run w20-s1 profile=smoke out=%s", out);
    CU_ASSERT(run("fig1-ntk-convergence", args, &lines, msg, sizeof msg) == 0 &&
              exists(ntk_tmpdir_path(out, "runs/w20-s1.dat")));
}

/* A run whose output directory cannot be created (its parent is a file) fails before
 * any work: the settings would diverge at the first steps, so a message about the
 * directory (not about divergence) shows the check came first. Nothing is written. */
static void test_unwritable_output_checked_first(void)
{
    char file[256], out[512], args[1024], msg[1024];
    int lines;
    snprintf(file, sizeof file, "%s/a-file", tmp);
    FILE *f = fopen(file, "w");
    CU_ASSERT_FATAL(f != NULL);
    fclose(f);
    snprintf(out, sizeof out, "%s/data", file);
    snprintf(args, sizeof args, "run w20-s1 profile=smoke lr=1e6 steps=200 out=%s", out);
    int st = run("fig1-ntk-convergence", args, &lines, msg, sizeof msg);
    int ok = st == 1 && lines == 1 && strstr(msg, "output directory") && strstr(msg, file) && !strstr(msg, "diverged");
    if (!ok) printf("\n    out under a file: status %d, %d lines: %s", st, lines, msg);
    CU_ASSERT(ok);
}

/* Copy run file `path` without its '# KEY = ...' header line. */
static int drop_header_key(const char *path, const char *key)
{
    char tmpname[1024], line[8192], prefix[128];
    snprintf(tmpname, sizeof tmpname, "%s.edit", path);
    snprintf(prefix, sizeof prefix, "# %s = ", key);
    FILE *in = fopen(path, "r"), *out = fopen(tmpname, "w");
    int dropped = 0;
    while (in && out && fgets(line, sizeof line, in)) {
        if (strncmp(line, prefix, strlen(prefix)) == 0) dropped++;
        else fputs(line, out);
    }
    if (in) fclose(in);
    if (out) fclose(out);
    return dropped == 1 && rename(tmpname, path) == 0 ? 0 : -1;
}

/* A run file that lacks a header value the summary needs (loss_T) ends summarize with
 * status 1 and one message naming the file and the key; no summary file is written. */
static void test_summary_names_a_missing_key(void)
{
    const char *p = "fig1-ntk-convergence";
    char out[256], args[1024], msg[1024];
    int lines;
    snprintf(out, sizeof out, "%s/missing-key", tmp);
    const char *ids[] = {"w20-s1", "w20-s2", "w50-s1", "w50-s2"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(args, sizeof args, "run %s profile=smoke out=%s", ids[i], out);
        CU_ASSERT_FATAL(run(p, args, &lines, msg, sizeof msg) == 0);
    }
    CU_ASSERT_FATAL(drop_header_key(ntk_tmpdir_path(out, "runs/w50-s1.dat"), "loss_T") == 0);
    snprintf(args, sizeof args, "summarize profile=smoke out=%s", out);
    int st = run(p, args, &lines, msg, sizeof msg);
    int ok = st == 1 && lines == 1 && strstr(msg, "runs/w50-s1.dat") && strstr(msg, "loss_T");
    if (!ok) printf("\n    summarize with a run missing loss_T: status %d: %s", st, msg);
    CU_ASSERT(ok);
    CU_ASSERT(only_runs(out));
}

void ntk_test_experiments(void)
{
    CU_pSuite s = CU_add_suite("experiments", setup, teardown);
    CU_add_test(s, "bad command lines end with status 2, one message, nothing written", test_bad_command_lines);
    CU_add_test(s, "figure 1: bad parameters rejected", test_fig1_parameters);
    CU_add_test(s, "figure 3: kernel tracking needs checkpoint=0; bad intervals rejected", test_fig3_parameters);
    CU_add_test(s, "summarize refuses a run made with other settings, writes nothing",
                test_summary_refuses_other_settings);
    CU_add_test(s, "a diverging run stops naming the step and lr, status 1, no run file",
                test_divergence_stops_the_run);
    CU_add_test(s, "an output directory that cannot be made fails before any work",
                test_unwritable_output_checked_first);
    CU_add_test(s, "summarize names a run file's missing key, status 1, writes nothing",
                test_summary_names_a_missing_key);
}
