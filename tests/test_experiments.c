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
 * number of lines written to stderr in *lines, their first line in msg. */
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
        if (*lines == 0) snprintf(msg, size, "%s", line);
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

void ntk_test_experiments(void)
{
    CU_pSuite s = CU_add_suite("experiments", setup, teardown);
    CU_add_test(s, "bad command lines end with status 2, one message, nothing written", test_bad_command_lines);
    CU_add_test(s, "figure 1: bad parameters rejected", test_fig1_parameters);
    CU_add_test(s, "summarize refuses a run made with other settings, writes nothing",
                test_summary_refuses_other_settings);
}
