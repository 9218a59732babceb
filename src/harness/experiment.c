/* experiment.c - the run protocol of the experiment programs; see experiment.h. */
#include "experiment.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blas.h"
#include "error.h"
#include "progress.h"
#include "stats.h"

/* The files a command opened, in order, committed when it ends. */
struct ntk_exp_files {
    size_t n, cap;
    ntk_out **o;
    char *checkpoint; /* removed once the run's files are committed */
};


/* Remove every file this command opened and not yet committed. */
static void abort_open(const ntk_exp *e)
{
    if (!e->files) return;
    for (size_t k = 0; k < e->files->n; k++) ntk_out_abort(e->files->o[k]);
    e->files->n = 0;
}


static struct ntk_exp_files *files_alloc(const ntk_exp *e)
{
    return ntk_exp_need(e, calloc(1, sizeof(struct ntk_exp_files)));
}


static void files_free(struct ntk_exp_files *f)
{
    if (f) free(f->o), free(f->checkpoint);
    free(f);
}


static void vdie(const ntk_exp *e, int code, const char *fmt, va_list ap) __attribute__((noreturn));


static void vdie(const ntk_exp *e, int code, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", e->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    abort_open(e);
    exit(code);
}


void ntk_exp_die(const ntk_exp *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(e, code, fmt, ap);
}


void ntk_exp_note(const ntk_exp *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", e->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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


ntk_precision ntk_exp_precision(const ntk_exp *e, const char *key)
{
    ntk_precision p;
    if (ntk_precision_find(ntk_exp_str(e, key), &p)) ntk_exp_die(e, 2, "%s=%s: %s", key, ntk_exp_str(e, key), ntk_last_error());
    return p;
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


static void usage(const ntk_exp *e, const char *summary, const char *default_out)
{
    const char *args = "[profile=NAME] [out=DIR] [key=value ...]";
    int len = printf("usage: %s COMMAND", e->name);
    if (len + 1 + (int)strlen(args) <= 80) printf(" %s\n\n%s\n\n", args, summary);
    else printf("\n         %s\n\n%s\n\n", args, summary);
    printf("COMMAND:\n"
           "  runs        list the ids of this profile's runs on stdout, one a line, and\n"
           "              their expected time in all on stderr\n"
           "  run ID      compute run ID (one of 'runs') into DIR/runs/ID.dat\n"
           "  summarize   read every run file back, check that each was made with these\n"
           "              settings, and write the summary files into DIR\n"
           "  estimate    the expected time of each run and of all of them, on stderr\n\n"
           "  profile=NAME  smoke (seconds), default or paper: the columns below\n"
           "  out=DIR       the data directory (default %s)\n"
           "  key=value     any parameter below, overriding the profile's value\n\n",
           default_out);
    ntk_params_usage(stdout, &e->params);
}


/* The command line: command, run id, out=, then the parameter table. */
static void parse_command_line(ntk_exp *e, const char *summary, const ntk_param_def *defs, size_t ndefs,
                               const char *default_out, int argc, char **argv)
{
    const char *usage_line = "commands: runs | run ID | summarize | estimate  (see --help)";
    if (argc < 2 || strchr(argv[1], '=')) ntk_exp_die(e, 2, "no command given; %s", usage_line);
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
        ntk_exp_die(e, 2, "unknown command '%s'; %s", cmd, usage_line);
    }
    /* out=DIR is the one parameter every experiment has; the rest go to the table */
    snprintf(e->out, sizeof e->out, "%s", default_out);
    char **rest = ntk_exp_need(e, malloc((size_t)(argc + 1) * sizeof *rest));
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
        usage(e, summary, default_out);
        exit(0);
    }
    if (st) ntk_exp_die(e, 2, "%s", ntk_last_error());
}


/* ---- the protocol ---------------------------------------------------------------- */

static int id_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.'; }


void ntk_exp_add_run(ntk_exp *e, const void *spec, const char *id_fmt, ...)
{
    char id[NTK_EXP_ID_MAX + 1];
    va_list ap;
    va_start(ap, id_fmt);
    int n = vsnprintf(id, sizeof id, id_fmt, ap);
    va_end(ap);
    if (n <= 0 || n >= NTK_EXP_ID_MAX) ntk_exp_die(e, 1, "run id '%s...': empty or too long", id);
    for (const char *c = id; *c; c++)
        if (!id_char(*c) || id[0] == '.') ntk_exp_die(e, 1, "run id '%s': use letters, digits, - _ . only", id);
    for (size_t i = 0; i < e->nruns; i++)
        if (strcmp(e->runs[i].id, id) == 0) ntk_exp_die(e, 2, "these settings give run '%s' twice (a value repeated?)", id);
    if ((e->nruns & (e->nruns - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to twice */
        ntk_exp_run *r = realloc(e->runs, (e->nruns ? 2 * e->nruns : 1) * sizeof *r);
        e->runs = ntk_exp_need(e, r);
    }
    ntk_exp_run *r = &e->runs[e->nruns];
    memset(r, 0, sizeof *r);
    memcpy(r->id, id, (size_t)n + 1);
    r->spec = ntk_exp_need(e, calloc(1, e->x->run_size ? e->x->run_size : 1));
    if (e->x->run_size) memcpy(r->spec, spec, e->x->run_size);
    e->nruns++;
}


/* OUT/relpath into buf (size bytes). */
static const char *out_path(const ntk_exp *e, char *buf, size_t size, const char *relpath)
{
    snprintf(buf, size, "%s/%s", e->out, relpath);
    return buf;
}


ntk_out *ntk_exp_open(const ntk_exp *e, const char *relpath)
{
    char path[2048];
    out_path(e, path, sizeof path, relpath);
    ntk_out *o = ntk_out_open(path, e->name);
    if (!o) ntk_exp_die(e, 1, "%s", ntk_last_error());
    static const char *cmds[] = {"runs", "run", "summarize", "estimate"};
    int st = ntk_out_param(o, "command", "%s%s%s", cmds[e->cmd], e->run_id ? " " : "", e->run_id ? e->run_id : "");
    if (!st) st = ntk_params_write(&e->params, o);
    if (st) {
        ntk_out_abort(o);
        ntk_exp_die(e, 1, "%s", ntk_last_error());
    }
    struct ntk_exp_files *f = e->files;
    if (f->n == f->cap) {
        ntk_out **grown = realloc(f->o, (f->cap ? 2 * f->cap : 8) * sizeof *grown);
        if (!grown) {
            ntk_out_abort(o);
            ntk_exp_die(e, 1, "out of memory");
        }
        f->o = grown, f->cap = f->cap ? 2 * f->cap : 8;
    }
    f->o[f->n++] = o;
    return o;
}


/* "OUT/runs/ID" SUFFIX ".dat" into a malloc'd string. */
static char *run_path(const ntk_exp *e, const char *id, const char *suffix)
{
    size_t n = strlen(e->out) + strlen(id) + (suffix ? strlen(suffix) : 0) + 16;
    char *p = ntk_exp_need(e, malloc(n));
    snprintf(p, n, "%s/runs/%s%s.dat", e->out, id, suffix ? suffix : "");
    return p;
}


ntk_out *ntk_exp_run_file(const ntk_exp *e, const char *suffix)
{
    if (!e->run) ntk_exp_die(e, 1, "ntk_exp_run_file: no run is being computed");
    char rel[NTK_EXP_ID_MAX + 128];
    snprintf(rel, sizeof rel, "runs/%s%s.dat", e->run->id, suffix ? suffix : "");
    return ntk_exp_open(e, rel);
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


/* Read the run file at path into t and check that its header records this profile and
 * every parameter as they are now (a value set on the command line is the same
 * value), except the keys of free_keys: a summary never mixes runs of different
 * settings. Status 1 with a message naming the file, the key, both values and what
 * to do. */
static void read_run(const ntk_exp *e, const char *path, ntk_table *t, const char *const *free_keys)
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


void ntk_exp_read_side_file(const ntk_exp *e, size_t i, const char *suffix, ntk_table *t)
{
    char *path = run_path(e, e->runs[i].id, suffix);
    read_run(e, path, t, e->x->free_keys);
    free(path);
}


/* The next name of the space-separated list *c (moved past it) as a column of run i's
 * file: its index, or -1 at the end of the list; a missing column ends the program. */
static long next_column(const ntk_exp *e, size_t i, const char **c)
{
    while (**c == ' ') (*c)++;
    if (!**c) return -1;
    const size_t len = strcspn(*c, " ");
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)len, *c);
    *c += len;
    long k = ntk_table_col(&e->runs[i].table, name);
    if (k < 0) ntk_exp_die(e, 1, "%s: no column '%s': rerun it", e->runs[i].path, name);
    return k;
}

void ntk_exp_check_run(const ntk_exp *e, size_t i, size_t rows, const char *columns)
{
    const ntk_exp_run *r = &e->runs[i];
    if (r->table.nrows != rows)
        ntk_exp_die(e, 1, "%s: not a run of these settings (%zu rows, expected %zu): rerun it", r->path,
                    r->table.nrows, rows);
    for (const char *c = columns; c && next_column(e, i, &c) >= 0;) continue;
}


void ntk_exp_runs_mean_std(const ntk_exp *e, size_t i0, size_t n, size_t row, const char *col, double *mean,
                           double *std)
{
    double *x = ntk_exp_need(e, malloc((n ? n : 1) * sizeof *x));
    for (size_t q = 0; q < n; q++) x[q] = ntk_table_get(&e->runs[i0 + q].table, row, col);
    ntk_stats_mean_std(n, x, mean, std);
    free(x);
}

void ntk_exp_copy_run(const ntk_exp *e, size_t i, ntk_out *o, const char *columns)
{
    const ntk_table *t = &e->runs[i].table;
    size_t col[NTK_TABLE_MAX_COLS], n = 0;
    long k;
    for (const char *c = columns; n < NTK_TABLE_MAX_COLS && (k = next_column(e, i, &c)) >= 0;) col[n++] = (size_t)k;
    double v[NTK_TABLE_MAX_COLS];
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < n; k++) v[k] = t->v[r * t->ncols + col[k]];
        ntk_out_row(o, n, v);
    }
}

double ntk_exp_run_double(const ntk_exp *e, size_t i, const char *key)
{
    double v;
    if (ntk_table_param_double(&e->runs[i].table, e->runs[i].path, key, &v))
        ntk_exp_die(e, 1, "%s: rerun it", ntk_last_error());
    return v;
}


const char *ntk_exp_run_str(const ntk_exp *e, size_t i, const char *key)
{
    const char *v = ntk_table_param(&e->runs[i].table, key);
    if (!v) ntk_exp_die(e, 1, "%s: no '# %s = ...' header line: rerun it", e->runs[i].path, key);
    return v;
}


void ntk_exp_checkpoint(const ntk_exp *e, const char *const *except, char *path, size_t path_size, char *tag,
                        size_t tag_size)
{
    if (!e->run) ntk_exp_die(e, 1, "ntk_exp_checkpoint: no run is being computed");
    int n = snprintf(path, path_size, "%s/checkpoints/%s.ckpt", e->out, e->run->id);
    if (n < 0 || (size_t)n >= path_size) ntk_exp_die(e, 1, "%s: checkpoint path too long", e->out);
    size_t len = (size_t)snprintf(tag, tag_size, "%s %s", e->name, e->run->id);
    for (size_t k = 0; k < e->params.n && len < tag_size; k++) {
        int skip = 0;
        for (const char *const *x = except; x && *x; x++) skip |= strcmp(*x, e->params.defs[k].key) == 0;
        if (!skip) len += (size_t)snprintf(tag + len, tag_size - len, " %s=%s", e->params.defs[k].key, e->params.value[k]);
    }
    if (len >= tag_size) ntk_exp_die(e, 1, "%s: checkpoint tag too long", e->run->id);
    free(e->files->checkpoint);
    e->files->checkpoint = ntk_exp_need(e, strdup(path));
}


void ntk_exp_check_loss(const ntk_exp *e, const char *what, size_t step, double loss, double loss0, double lr)
{
    if (isfinite(loss) && loss <= NTK_EXP_DIVERGED * loss0) return;
    ntk_exp_die(e, 1, "%s: %s diverged at step %zu (loss %.3g, more than %g times its initial %.3g) with "
                "learning rate lr=%g; no run file written: try a smaller lr",
                e->run ? e->run->id : e->run_id ? e->run_id : "", what, step, loss, NTK_EXP_DIVERGED, loss0, lr);
}



size_t *ntk_exp_widths(const ntk_exp *e, size_t n0, long depth, long width)
{
    if (depth < 1 || width < 1 || n0 < 1)
        ntk_exp_die(e, 1, "a net needs inputs, depth and width >= 1 (got %zu, %ld, %ld)", n0, depth, width);
    size_t *n = ntk_exp_need(e, malloc(((size_t)depth + 1) * sizeof *n));
    n[0] = n0;
    for (long l = 1; l < depth; l++) n[l] = (size_t)width;
    n[depth] = 1;
    return n;
}


double ntk_exp_net_params(const ntk_exp *e, size_t n0, long depth, long width)
{
    size_t *n = ntk_exp_widths(e, n0, depth, width);
    double P = (double)ntk_net_count_params((size_t)depth, n);
    free(n);
    return P;
}

ntk_net *ntk_exp_net(const ntk_exp *e, size_t n0, long depth, long width, double beta, const ntk_nonlin *sigma,
                     ntk_precision precision)
{
    size_t *n = ntk_exp_widths(e, n0, depth, width);
    ntk_net *net = ntk_exp_need(e, ntk_net_alloc_precision((size_t)depth, n, beta, sigma, precision));
    free(n);
    return net;
}


double ntk_exp_train(const ntk_exp *e, ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                     long steps, double lr, const char *label, double *loss0)
{
    ntk_progress p;
    char def[NTK_EXP_ID_MAX + 128];
    if (!label) {
        snprintf(def, sizeof def, "%s %s training", e->name, e->run ? e->run->id : "");
        label = def;
    }
    *loss0 = NAN;
    ntk_progress_start(&p, label, (double)steps);
    for (long k = 0; k < steps; k++) {
        double loss;
        ntk_exp_ok(e, ntk_net_gd_step(net, b, X, Y, N, lr, &loss));
        if (k == 0) *loss0 = loss;
        ntk_exp_check_loss(e, "training", (size_t)k, loss, *loss0, lr);
        ntk_progress_update(&p, (double)(k + 1));
    }
    ntk_progress_end(&p);
    double loss; /* after the last step */
    ntk_exp_ok(e, ntk_net_loss(net, b, X, Y, N, &loss));
    if (steps > 0) ntk_exp_check_loss(e, "training", (size_t)steps, loss, *loss0, lr);
    return loss;
}


/* The directory dir exists (created if missing) and takes a new file; else status 1. */
static void preflight(const ntk_exp *e, const char *dir)
{
    if (ntk_mkdir_p(dir)) ntk_exp_die(e, 1, "cannot create the output directory: %s", ntk_last_error());
    size_t n = strlen(dir) + 32;
    char *probe = ntk_exp_need(e, malloc(n));
    snprintf(probe, n, "%s/.write-test.XXXXXX", dir);
    int fd = mkstemp(probe);
    if (fd < 0) ntk_exp_die(e, 1, "%s: cannot write in the output directory: %s", dir, strerror(errno));
    close(fd);
    unlink(probe);
    free(probe);
}


/* Commit every file opened, in order; the first failure removes the rest and exits. */
static void commit(const ntk_exp *e)
{
    struct ntk_exp_files *f = e->files;
    while (f->n) {
        ntk_out *o = f->o[0];
        memmove(f->o, f->o + 1, --f->n * sizeof *f->o);
        if (ntk_out_close(o)) ntk_exp_die(e, 1, "%s", ntk_last_error());
    }
}

/* The expected time of one run, or of all runs (one NULL), on the reference machine;
 * each: the estimate table of every run instead (estimate.c). */
static void announce(const ntk_exp *e, const void *s, const ntk_exp_run *one, int each)
{
    if (each) {
        ntk_exp_print_estimate(e, s);
        return;
    }
    double secs = 0.0;
    for (size_t i = 0; i < (one ? 1 : e->nruns); i++)
        secs += ntk_exp_cost_seconds(e->x, e->x->cost(e, s, one ? one->spec : e->runs[i].spec));
    char d[32];
    fprintf(stderr, "%s: %s (%s profile): about %s on the reference machine (%d threads, GEMM %.0f GFLOP/s double, %.0f single)\n",
            e->name, one ? one->id : "all runs", e->params.profile, ntk_progress_format_duration(secs, d, sizeof d),
            NTK_EXP_REF_THREADS, NTK_EXP_REF_GEMM_RATE / 1e9, NTK_EXP_REF_SGEMM_RATE / 1e9);
}


int ntk_exp_main(const ntk_experiment *x, int argc, char **argv)
{
    static ntk_exp exp; /* static: what an exit leaves behind is still reachable */
    ntk_exp *e = &exp;
    memset(e, 0, sizeof *e);
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
    e->name = slash ? slash + 1 : argc > 0 ? argv[0] : x->name;
    e->x = x;
    ntk_install_gsl_handler();
    e->files = files_alloc(e);
    char default_out[256];
    snprintf(default_out, sizeof default_out, "data/%s", x->name);
    parse_command_line(e, x->summary, x->params, x->nparams, default_out, argc, argv);

    void *s = ntk_exp_need(e, calloc(1, x->settings_size ? x->settings_size : 1));
    x->settings(e, s);
    x->runs(e, s);

    switch (e->cmd) {
    case NTK_EXP_RUNS:
        for (size_t i = 0; i < e->nruns; i++) printf("%s\n", e->runs[i].id);
        fflush(stdout);
        announce(e, s, NULL, 0);
        break;
    case NTK_EXP_ESTIMATE:
        announce(e, s, NULL, 1);
        break;
    case NTK_EXP_RUN: {
        for (size_t i = 0; i < e->nruns && !e->run; i++)
            if (strcmp(e->runs[i].id, e->run_id) == 0) e->run = &e->runs[i];
        if (!e->run) ntk_exp_die(e, 2, "run '%s' is not one of this profile's runs (see 'runs')", e->run_id);
        char runs_dir[2 * sizeof e->out];
        preflight(e, out_path(e, runs_dir, sizeof runs_dir, "runs"));
        announce(e, s, e->run, 0);
        x->run(e, s, e->run->spec);
        commit(e);
        if (e->files->checkpoint) remove(e->files->checkpoint); /* the run is complete */
        break;
    }
    case NTK_EXP_SUMMARIZE:
        for (size_t i = 0; i < e->nruns; i++) {
            e->runs[i].path = run_path(e, e->runs[i].id, NULL);
            read_run(e, e->runs[i].path, &e->runs[i].table, x->free_keys);
        }
        preflight(e, e->out);
        x->summarize(e, s);
        commit(e);
        break;
    }
    for (size_t i = 0; i < e->nruns; i++) {
        ntk_table_free(&e->runs[i].table);
        free(e->runs[i].spec), free(e->runs[i].path);
    }
    free(e->runs), free(s);
    files_free(e->files);
    return 0;
}
