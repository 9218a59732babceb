/* experiment.c - the common front end of the experiment programs; see experiment.h. */
#include "experiment.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "progress.h"

void ntk_exp_die(const ntk_exp *e, int code, const char *fmt, ...)
{
    fprintf(stderr, "%s: ", e->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

void ntk_exp_init(ntk_exp *e, const char *name, const char *summary, const ntk_param_def *defs,
                  size_t ndefs, const char *default_out, int argc, char **argv)
{
    memset(e, 0, sizeof *e);
    e->name = name;
    ntk_install_gsl_handler();
    const char *usage = "commands: runs | run ID | summarize | estimate  (see --help)";
    if (argc < 2 || strchr(argv[1], '=')) ntk_exp_die(e, 2, "no command given; %s", usage);
    int first = 2;
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        first = 1;
    } else if (strcmp(cmd, "runs") == 0) {
        e->cmd = NTK_EXP_RUNS;
    } else if (strcmp(cmd, "summarize") == 0) {
        e->cmd = NTK_EXP_SUMMARIZE;
    } else if (strcmp(cmd, "estimate") == 0) {
        e->cmd = NTK_EXP_ESTIMATE;
    } else if (strcmp(cmd, "run") == 0) {
        e->cmd = NTK_EXP_RUN;
        if (argc < 3 || strchr(argv[2], '=')) ntk_exp_die(e, 2, "'run' needs a run id (list them with 'runs')");
        e->run_id = argv[2];
        first = 3;
    } else {
        ntk_exp_die(e, 2, "unknown command '%s'; %s", cmd, usage);
    }
    /* out=DIR is the one parameter every experiment has; the rest go to the table */
    snprintf(e->out, sizeof e->out, "%s", default_out);
    char **rest = malloc((size_t)(argc + 1) * sizeof *rest);
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = first; i < argc; i++) {
        if (strncmp(argv[i], "out=", 4) == 0 || strncmp(argv[i], "--out=", 6) == 0) {
            const char *v = strchr(argv[i], '=') + 1;
            if (!*v) ntk_exp_die(e, 2, "out= needs a directory");
            if (strlen(v) >= sizeof e->out - 64) ntk_exp_die(e, 2, "out= directory name too long");
            snprintf(e->out, sizeof e->out, "%s", v);
        } else {
            rest[nrest++] = argv[i];
        }
    }
    int st = ntk_params_parse(&e->params, defs, ndefs, nrest, rest);
    free(rest);
    if (st == NTK_PARAMS_HELP) {
        char prog[256];
        snprintf(prog, sizeof prog, "%s runs|run ID|summarize|estimate", name);
        ntk_params_usage(stdout, prog, summary, &e->params);
        printf("\n  out=DIR: the data directory (default %s)\n", default_out);
        exit(0);
    }
    if (st) ntk_exp_die(e, 2, "%s", ntk_last_error());
}

void ntk_exp_ok(const ntk_exp *e, int status)
{
    if (status) ntk_exp_die(e, 1, "%s", ntk_last_error());
}

void *ntk_exp_need(const ntk_exp *e, void *p)
{
    if (!p) ntk_exp_die(e, 1, "%s", *ntk_last_error() ? ntk_last_error() : "out of memory");
    return p;
}

long ntk_exp_long(const ntk_exp *e, const char *key, long min, long max)
{
    long v;
    if (ntk_params_long(&e->params, key, min, max, &v)) ntk_exp_die(e, 2, "%s", ntk_last_error());
    return v;
}

double ntk_exp_double(const ntk_exp *e, const char *key, double min, double max)
{
    double v;
    if (ntk_params_double(&e->params, key, min, max, &v)) ntk_exp_die(e, 2, "%s", ntk_last_error());
    return v;
}

size_t ntk_exp_longs(const ntk_exp *e, const char *key, long min, long max, size_t maxn, long *out)
{
    size_t n;
    if (ntk_params_longs(&e->params, key, min, max, maxn, out, &n)) ntk_exp_die(e, 2, "%s", ntk_last_error());
    return n;
}

const char *ntk_exp_str(const ntk_exp *e, const char *key)
{
    const char *s = ntk_params_str(&e->params, key);
    if (!s) ntk_exp_die(e, 2, "no parameter named %s", key);
    return s;
}

const ntk_nonlin *ntk_exp_nonlin(const ntk_exp *e, const char *key)
{
    const ntk_nonlin *f = ntk_nonlin_find(ntk_exp_str(e, key));
    if (!f) ntk_exp_die(e, 2, "unknown nonlinearity '%s' (known: %s)", ntk_exp_str(e, key), ntk_nonlin_names());
    return f;
}

size_t ntk_exp_nonlins(const ntk_exp *e, const char *key, const ntk_nonlin **out, size_t max)
{
    const char *list = ntk_exp_str(e, key);
    size_t n = 0;
    if (strcmp(list, "all") == 0) {
        if (ntk_nonlin_count() > max) ntk_exp_die(e, 2, "parameter %s: at most %zu nonlinearities", key, max);
        for (; n < ntk_nonlin_count(); n++) out[n] = ntk_nonlin_get(n);
        return n;
    }
    for (const char *p = list; *p; p += *p == ',') { /* empty names (",,") are skipped */
        size_t len = strcspn(p, ",");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        p += len;
        if (!len) continue;
        const ntk_nonlin *f = len < sizeof name ? ntk_nonlin_find(name) : NULL;
        if (!f) ntk_exp_die(e, 2, "parameter %s: unknown nonlinearity '%.*s' (known: %s)", key, (int)len, p - len,
                            ntk_nonlin_names());
        if (n == max) ntk_exp_die(e, 2, "parameter %s: at most %zu nonlinearities", key, max);
        out[n++] = f;
    }
    if (n == 0) ntk_exp_die(e, 2, "parameter %s: no nonlinearity given", key);
    return n;
}

void ntk_exp_print_grid_runs(const long *widths, size_t n, long seeds)
{
    for (size_t w = 0; w < n; w++)
        for (long q = 1; q <= seeds; q++) printf("w%ld-s%ld\n", widths[w], q);
}

void ntk_exp_parse_grid_run(const ntk_exp *e, const char *id, const char *form, const long *widths, size_t n,
                            long seeds, long *width, long *seed)
{
    char extra;
    if (sscanf(id, "w%ld-s%ld%c", width, seed, &extra) != 2)
        ntk_exp_die(e, 2, "bad run id '%s': expected %s (see 'runs')", e->run_id, form);
    int known = 0;
    for (size_t w = 0; w < n; w++) known |= widths[w] == *width;
    if (!known || *seed < 1 || *seed > seeds)
        ntk_exp_die(e, 2, "run '%s' is not one of this profile's runs (see 'runs')", e->run_id);
}

void ntk_exp_layer_widths(size_t *n, size_t n0, long depth, long width)
{
    n[0] = n0;
    for (long l = 1; l < depth; l++) n[l] = (size_t)width;
    n[depth] = 1;
}

double ntk_exp_train(const ntk_exp *e, ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                     long steps, double lr, const char *label, double *loss0)
{
    ntk_progress p;
    *loss0 = NAN;
    ntk_progress_start(&p, label, (double)steps);
    for (long k = 0; k < steps; k++) {
        double loss;
        ntk_exp_ok(e, ntk_net_gd_step(net, b, X, Y, N, lr, &loss));
        if (k == 0) *loss0 = loss;
        ntk_progress_update(&p, (double)(k + 1));
    }
    ntk_progress_end(&p);
    double loss; /* after the last step */
    ntk_exp_ok(e, ntk_net_loss(net, b, X, Y, N, &loss));
    return loss;
}

const char *ntk_exp_path(const ntk_exp *e, char *buf, size_t size, const char *relpath)
{
    snprintf(buf, size, "%s/%s", e->out, relpath);
    return buf;
}

ntk_out *ntk_exp_open(const ntk_exp *e, const char *relpath)
{
    char path[2048];
    ntk_exp_path(e, path, sizeof path, relpath);
    ntk_out *o = ntk_out_open(path, e->name);
    if (!o) ntk_exp_die(e, 1, "%s", ntk_last_error());
    static const char *cmds[] = {"runs", "run", "summarize", "estimate"};
    int st = ntk_out_param(o, "command", "%s%s%s", cmds[e->cmd], e->run_id ? " " : "", e->run_id ? e->run_id : "");
    if (!st) st = ntk_params_write(&e->params, o);
    if (st) {
        ntk_out_abort(o);
        ntk_exp_die(e, 1, "%s", ntk_last_error());
    }
    return o;
}

/* Whether rec, a header value as ntk_table_read keeps it (trimmed), records cur as
 * ntk_params_write wrote it: cur, perhaps followed by "  " NTK_PARAMS_SET_MARK. */
static int records(const char *rec, const char *cur)
{
    while (*cur == ' ' || *cur == '\t') cur++;
    size_t n = strlen(cur);
    while (n && (cur[n - 1] == ' ' || cur[n - 1] == '\t')) n--;
    if (strncmp(rec, cur, n) != 0) return 0;
    for (rec += n; *rec == ' ' || *rec == '\t'; rec++) {}
    return !*rec || strcmp(rec, NTK_PARAMS_SET_MARK) == 0;
}

void ntk_exp_read_run(const ntk_exp *e, const char *path, ntk_table *t, const char *const *free_keys)
{
    ntk_exp_ok(e, ntk_table_read(path, t));
    const char *todo = "rerun it with these settings (or delete it: make reruns missing runs)";
    for (size_t k = 0; k <= e->params.n; k++) { /* the profile, then every parameter */
        const char *key = k ? e->params.defs[k - 1].key : "profile";
        const char *cur = k ? e->params.value[k - 1] : e->params.profile, *rec = ntk_table_param(t, key);
        int exempt = 0;
        for (const char *const *f = free_keys; f && *f; f++) exempt |= strcmp(*f, key) == 0;
        if (exempt || (rec && records(rec, cur))) continue;
        if (!rec)
            ntk_exp_die(e, 1, "%s has no '# %s = ...' header line, these settings have %s=%s: %s", path, key, key,
                        cur, todo);
        ntk_exp_die(e, 1, "%s was made with %s=%s, these settings have %s=%s: %s", path, key, rec, key, cur, todo);
    }
}

void ntk_exp_close(const ntk_exp *e, ntk_out *o)
{
    if (ntk_out_close(o)) ntk_exp_die(e, 1, "%s", ntk_last_error());
}

double ntk_exp_gemm_rate(size_t n)
{
    double *A = malloc(3 * n * n * sizeof *A);
    if (!A) return 0.0;
    double *B = A + n * n, *C = B + n * n;
    for (size_t i = 0; i < 2 * n * n; i++) A[i] = (double)(i % 7) * 0.1 - 0.3;
    double best = 0.0;
    for (int rep = 0; rep < 4; rep++) { /* the first is a warm-up, the best of the rest */
        double t0 = ntk_progress_now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, A, (int)n,
                    B, (int)n, 0.0, C, (int)n);
        double dt = ntk_progress_now() - t0, rate = 2.0 * (double)n * (double)n * (double)n / dt;
        if (rep > 0 && rate > best) best = rate;
    }
    free(A);
    return best;
}

double ntk_exp_announce(const ntk_exp *e, const char *what, double flops)
{
    double rate = ntk_exp_gemm_rate(1024), secs = flops / rate;
    char buf[32];
    fprintf(stderr, "%s: %s (%s profile): %.3g GFLOP, about %s at this machine's GEMM rate (%.0f GFLOP/s)\n",
            e->name, what, e->params.profile, flops / 1e9, ntk_progress_format_duration(secs, buf, sizeof buf), rate / 1e9);
    return secs;
}
