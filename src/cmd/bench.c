/* bench.c - `make bench`: the speed of libntk held against this machine's own limits.
 *
 *   bench [quick] [only=PREFIX] [NAME ...]
 *   bench time fig3|fig1|fig2 double|single [WIDTH [STEPS]]
 *
 * Every case is timed as the median of several repeats after one warm-up run, and
 * compared with a reference time: for GEMM-bound work, the time its flops take at the
 * GEMM rate of its precision (dgemm for double, sgemm for the -single cases), timed in
 * the same repeats as the work itself (so the ratio depends neither on the machine nor
 * on its drift, only on how close the library gets to its GEMM); for the empirical
 * NTK, one forward and backward pass over the same batch; for analytic kernels and
 * end-to-end runs, fixed budgets in seconds. Each row: case, seconds, reference
 * seconds, ratio = seconds / reference, target = the largest ratio allowed.
 *
 * NAME ...: experiments whose `make figures` wall time (default profile) is read from
 * build/timings/default/NAME (written by the Makefile); missing ones are reported absent.
 * Nothing is run for them here. `quick` runs fewer repeats (a smoke test).
 * `only=PREFIX` runs the GEMM rate and the cases whose name starts with PREFIX, and
 * prints them without writing the data file. `time` times the training step of one
 * figure's shape and nothing else (see time_steps; src/tools/torch_compare.py alternates
 * it with PyTorch's).
 *
 * Writes data/bench/results.dat (columns: case seconds reference_seconds ratio target)
 * and prints the table. Threads: OpenBLAS's (OPENBLAS_NUM_THREADS, set by the
 * Makefile); the library itself starts none.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "blas.h"
#include "entk.h"
#include "error.h"
#include "limit.h"
#include "net.h"
#include "output.h"
#include "progress.h"

#define MAX_ROWS 32
#define MAX_NOTES 32

typedef struct {
    char name[48];
    double secs, ref, target;
    char extra[64]; /* printed only */
} row;

static row rows[MAX_ROWS];
static size_t nrows;
static char notes[MAX_NOTES][160];
static size_t nnotes;
static int quick;
static const char *only; /* run only the cases whose name starts with this */

static int wanted(const char *name) { return !only || strncmp(name, only, strlen(only)) == 0; }

static void add_row(const char *name, double secs, double ref, double target, const char *extra)
{
    if (nrows == MAX_ROWS) return;
    row *r = &rows[nrows++];
    snprintf(r->name, sizeof r->name, "%s", name);
    r->secs = secs;
    r->ref = ref;
    r->target = target;
    snprintf(r->extra, sizeof r->extra, "%s", extra ? extra : "");
    printf("  %-27s %10.4f s  ref %10.4f s  ratio %6.3f  target %5.2f  %s  %s\n", name, secs,
           ref, secs / ref, target, secs / ref <= target ? "ok  " : "MISS", r->extra);
    fflush(stdout);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[160];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("  # %s\n", buf);
    if (nnotes < MAX_NOTES) snprintf(notes[nnotes++], sizeof notes[0], "%s", buf);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

static void die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, ntk_last_error());
    exit(1);
}

static void *need(void *p, const char *what)
{
    if (!p) {
        fprintf(stderr, "bench: out of memory (%s)\n", what);
        exit(1);
    }
    return p;
}

/* Times of reps runs of one case after a warm-up; the median. */
#define TIME_MEDIAN(reps, out, body)                                                      \
    do {                                                                                  \
        double t_[16];                                                                    \
        size_t r_ = (reps) < 16 ? (reps) : 16;                                            \
        { body; }                                                                         \
        for (size_t k_ = 0; k_ < r_; k_++) {                                              \
            double t0_ = ntk_progress_now();                                                       \
            { body; }                                                                     \
            t_[k_] = ntk_progress_now() - t0_;                                                     \
        }                                                                                 \
        (out) = median(t_, r_);                                                           \
    } while (0)

static size_t reps(size_t full) { return quick ? 1 : full; }

/* ---- GEMM: the reference rate ---- */

/* The reference GEMM: row-major C = A B on n x n matrices, kept allocated so that the
 * training cases can time it beside themselves (the machine's speed drifts on a shared
 * host: a ratio of two times taken minutes apart measures the drift as much as the
 * library). */
static struct {
    size_t n;
    double *A;
    float *S;
} ref;

static void ref_dgemm(void)
{
    const size_t n = ref.n;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0, ref.A,
                (int)n, ref.A + n * n, (int)n, 0.0, ref.A + 2 * n * n, (int)n);
}

static void ref_sgemm(void)
{
    const size_t n = ref.n;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0f, ref.S,
                (int)n, ref.S + n * n, (int)n, 0.0f, ref.S + 2 * n * n, (int)n);
}

/* The reference GEMM of a precision. */
static void ref_gemm(ntk_precision p)
{
    if (p == NTK_SINGLE) ref_sgemm();
    else ref_dgemm();
}

static double ref_flops(void) { return 2.0 * (double)ref.n * (double)ref.n * (double)ref.n; }

/* The dgemm and sgemm rows: n x n products, the median of 5 after a warm-up. */
static void gemm_rates(size_t n)
{
    ref.n = n;
    ref.A = need(malloc(3 * n * n * sizeof *ref.A), "dgemm");
    ref.S = need(malloc(3 * n * n * sizeof *ref.S), "sgemm");
    for (size_t i = 0; i < 3 * n * n; i++) {
        ref.A[i] = (double)(i % 7) * 0.1 - 0.3;
        ref.S[i] = (float)ref.A[i];
    }
    double td, ts;
    TIME_MEDIAN(reps(5), td, ref_dgemm());
    TIME_MEDIAN(reps(5), ts, ref_sgemm());
    double flops = ref_flops(), drate = flops / td, srate = flops / ts;
    char buf[64];
    snprintf(buf, sizeof buf, "%.1f GFLOP/s", drate / 1e9);
    add_row("dgemm-2048", td, td, 1.0, buf);
    snprintf(buf, sizeof buf, "%.1f GFLOP/s (%.2fx dgemm)", srate / 1e9, srate / drate);
    add_row("sgemm-2048", ts, flops / drate, 1.0, buf);
}

/* ---- inputs ---- */

/* N x n0 uniform in [0, 1] (MNIST-shaped) or N(0, 1) (the circle experiments' inputs). */
static double *inputs(size_t N, size_t n0, int uniform, unsigned long seed)
{
    double *X = need(malloc(N * n0 * sizeof *X), "inputs");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < N * n0; i++)
        X[i] = uniform ? gsl_rng_uniform(r) : gsl_ran_gaussian_ziggurat(r, 1.0);
    gsl_rng_free(r);
    return X;
}

static ntk_net *make_net(size_t n0, size_t L, size_t width, unsigned long seed, ntk_precision p)
{
    size_t n[16];
    n[0] = n0;
    for (size_t l = 1; l < L; l++) n[l] = width;
    n[L] = 1;
    ntk_net *net = ntk_net_alloc_precision(L, n, 0.1, ntk_nonlin_find("relu"), p);
    if (!net || ntk_net_init(net, seed)) die("network");
    return net;
}

/* ---- training: one full-batch gradient step ---- */

/* The training shapes of the figures (torch_compare.py builds the same): n0 inputs,
 * depth L, batch N, hidden width by default; inputs uniform in [0, 1] (MNIST-shaped)
 * or N(0, 1) (the circle experiments': their exact values do not change the work). */
typedef struct {
    const char *name;
    size_t n0, L, N, width;
} shape;

static const shape shapes[] = {
    {"fig3", 784, 5, 512, 1000}, /* MNIST batch, depth 5 */
    {"fig1", 2, 4, 100, 10000},  /* 100 points of the plane, depth 4 */
    {"fig2", 2, 4, 4, 1000},     /* 4 points of the circle, depth 4 */
};

static const shape *find_shape(const char *name)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        if (strcmp(shapes[i].name, name) == 0) return &shapes[i];
    return NULL;
}

/* A network of shape sh and the given width, its batch, inputs and targets. */
typedef struct {
    ntk_net *net;
    ntk_batch *b;
    double *X, *Y;
    size_t N;
} trainer;

static trainer trainer_make(const shape *sh, size_t width, ntk_precision p)
{
    trainer t = {make_net(sh->n0, sh->L, width, 11, p), NULL, NULL, NULL, sh->N};
    t.b = ntk_batch_alloc(t.net, sh->N);
    if (!t.b) die("batch");
    t.X = inputs(sh->N, sh->n0, sh->n0 > 2, 5);
    t.Y = inputs(sh->N, 1, 0, 6);
    return t;
}

/* One step; a tiny learning rate keeps the parameters (and so the timings) where
 * they start. */
static void trainer_step(trainer *t, const char *what)
{
    double loss;
    if (ntk_net_gd_step(t->net, t->b, t->X, t->Y, t->N, 1e-6, &loss)) die(what);
}

static void trainer_free(trainer *t)
{
    free(t->X);
    free(t->Y);
    ntk_batch_free(t->b);
    ntk_net_free(t->net);
}

/* The matrix products of one gradient step alone, with the step's shapes, operands
 * and precision (net_source.inc: forward z(l+1) = A(l) W(l)^T, backward
 * D(l) = D(l+1) W(l), update W(l) += D(l+1)^T A(l)), on the buffers of a step already
 * taken and an update too small to move the timings: how fast OpenBLAS runs these
 * shapes, apart from everything else the step does. */
#define STEP_GEMMS(gemm, T, theta, a, d)                                                                  \
    for (size_t l = 0; l < L; l++) {                                                                      \
        T *W = net->theta + net->off_w[l];                                                                \
        if (l + 1 < L)                                                                                    \
            gemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, (int)n[l + 1], (int)n[l], 1, b->a[l],   \
                 (int)n[l], W, (int)n[l], 1, b->a[l + 1], (int)n[l + 1]);                                  \
        if (l >= 1)                                                                                       \
            gemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)n[l], (int)n[l + 1], 1, b->d[l + 1], \
                 (int)n[l + 1], W, (int)n[l], 0, b->d[l], (int)n[l]);                                      \
        gemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n[l + 1], (int)n[l], (int)N, (T)1e-30, b->d[l + 1], \
             (int)n[l + 1], b->a[l], (int)n[l], 1, W, (int)n[l]);                                          \
    }

static void step_gemms(trainer *t)
{
    const ntk_net *net = t->net;
    ntk_batch *b = t->b;
    const size_t L = net->L, N = t->N, *n = net->n;
    if (net->precision == NTK_SINGLE) {
        STEP_GEMMS(cblas_sgemm, float, theta_float, a_float, d_float)
    } else {
        STEP_GEMMS(cblas_dgemm, double, theta, a, d)
    }
}

/* Each repeat times the reference GEMM of the network's precision, the step, and the
 * step's GEMMs alone, so that the medians come from the same stretch of the machine's
 * time; the reference is the step's flops at that paired GEMM rate. The GEMMs alone
 * are a note: the share of the gap that is OpenBLAS at these shapes. */
static void bench_train(const char *name, ntk_precision p, const char *shape_name, size_t width, size_t nrep)
{
    if (!wanted(name)) return;
    trainer tr = trainer_make(find_shape(shape_name), width, p);
    double ts[16], tg[16], tm[16];
    size_t r = reps(nrep) < 16 ? reps(nrep) : 16;
    trainer_step(&tr, name); /* warm-up */
    step_gemms(&tr);
    for (size_t k = 0; k < r; k++) {
        double t0 = ntk_progress_now();
        ref_gemm(p);
        tg[k] = ntk_progress_now() - t0;
        t0 = ntk_progress_now();
        trainer_step(&tr, name);
        ts[k] = ntk_progress_now() - t0;
        t0 = ntk_progress_now();
        step_gemms(&tr);
        tm[k] = ntk_progress_now() - t0;
    }
    double t = median(ts, r), rate = ref_flops() / median(tg, r), tgemms = median(tm, r);
    double flops = ntk_net_step_flops(tr.net, tr.N);
    char buf[64], c = p == NTK_SINGLE ? 's' : 'd';
    snprintf(buf, sizeof buf, "%.1f GFLOP/s (%.0f%% of %cgemm at %.1f)", flops / t / 1e9, 100.0 * flops / t / rate, c,
             rate / 1e9);
    add_row(name, t, flops / rate, 1.25, buf);
    note("%s: the step at %.0f%% of %cgemm-2048; its GEMMs alone (same shapes) at %.0f%%, %.0f%% of the step's time",
         name, 100.0 * flops / t / rate, c, 100.0 * flops / tgemms / rate, 100.0 * tgemms / t);
    trainer_free(&tr);
}

/* `bench time SHAPE PRECISION [WIDTH [STEPS]]`: seconds per training step of one shape,
 * the median of STEPS after a warm-up step, with nothing else timed (for
 * torch_compare.py, which alternates it with PyTorch's). Prints one line:
 *   time SHAPE PRECISION WIDTH SECONDS GFLOPS */
static long whole(const char *s, long min, long max)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= min && v <= max ? v : -1;
}

static int time_steps(int argc, char **argv)
{
    const char *usage = "usage: bench time fig3|fig1|fig2 double|single [WIDTH [STEPS (1..16)]]";
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "bench: time: %s\n", usage);
        return 2;
    }
    const shape *sh = find_shape(argv[0]);
    ntk_precision p;
    long width = argc > 2 ? whole(argv[2], 1, 1000000) : 0, steps = argc > 3 ? whole(argv[3], 1, 16) : 5;
    if (!sh || ntk_precision_find(argv[1], &p) || width < 0 || steps < 0) {
        const char *bad = !sh ? argv[0] : ntk_precision_find(argv[1], &p) ? argv[1] : width < 0 ? argv[2] : argv[3];
        fprintf(stderr, "bench: time: bad argument '%s' (%s)\n", bad, usage);
        return 2;
    }
    trainer tr = trainer_make(sh, width ? (size_t)width : sh->width, p);
    double t;
    TIME_MEDIAN((size_t)steps, t, trainer_step(&tr, "step"));
    double flops = ntk_net_step_flops(tr.net, tr.N);
    printf("time %s %s %zu %.6f %.2f\n", sh->name, ntk_precision_name(p), tr.net->n[1], t, flops / t / 1e9);
    trainer_free(&tr);
    return 0;
}

/* ---- empirical NTK Gram against one forward and backward pass ---- */

static void bench_entk(const char *name, ntk_precision p, size_t width, size_t nrep)
{
    if (!wanted(name)) return;
    const size_t N = 512, n0 = 784, L = 5;
    ntk_net *net = make_net(n0, L, width, 12, p);
    ntk_batch *b = ntk_batch_alloc(net, N);
    if (!b) die("batch");
    double *X = inputs(N, n0, 1, 7), *K = need(malloc(N * N * sizeof *K), "Gram"), tfb, tg;
    TIME_MEDIAN(reps(nrep), tfb,
                if (ntk_net_forward(net, b, X, N) || ntk_net_backward(net, b)) die(name));
    TIME_MEDIAN(reps(nrep), tg, if (ntk_entk_gram(net, b, X, N, K)) die(name));
    char buf[64];
    snprintf(buf, sizeof buf, "fwd+bwd %.3f s", tfb);
    add_row(name, tg, tfb, 2.0, buf);
    free(X);
    free(K);
    ntk_batch_free(b);
    ntk_net_free(net);
}

/* ---- analytic Gram matrices ---- */

static void bench_limit(void)
{
    const size_t N = 512, n0 = 784, L = 5;
    double *X = inputs(N, n0, 1, 8);
    double *S = need(malloc(N * N * sizeof *S), "Sigma"), *T = need(malloc(N * N * sizeof *T), "Theta");
    ntk_limit_ws *ws = ntk_limit_alloc();
    if (!ws) die("limit workspace");
    const ntk_nonlin *relu = ntk_nonlin_find("relu"), *tanh_s = ntk_nonlin_find("tanh");
    double t;
    if (wanted("relu-gram-512-d5")) {
        TIME_MEDIAN(reps(9), t, if (ntk_limit_gram(relu, L, 0.1, X, N, n0, ws, S, T)) die("relu Gram"));
        add_row("relu-gram-512-d5", t, 0.05, 1.0, "");
    }
    if (!wanted("tanh-gram-512-d5")) goto done;
    TIME_MEDIAN(reps(3), t, if (ntk_limit_gram(tanh_s, L, 0.1, X, N, n0, ws, S, T)) die("tanh Gram"));
    /* accuracy: a sample of entries against the direct adaptive quadrature */
    ntk_limit_ws *wq = ntk_limit_alloc();
    if (!wq) die("limit workspace");
    ntk_limit_force_quadrature(wq, 1);
    static const size_t pairs[][2] = {{0, 0}, {0, 1}, {3, 200}, {17, 511}, {256, 257}};
    double worst = 0.0;
    for (size_t p = 0; p < (quick ? 2 : sizeof pairs / sizeof *pairs); p++) {
        size_t i = pairs[p][0], j = pairs[p][1];
        double Sq, Tq;
        if (ntk_limit_pair(tanh_s, L, 0.1, X + i * n0, X + j * n0, n0, wq, &Sq, &Tq)) die("pair");
        double e = fmax(fabs(S[i * N + j] - Sq) / fabs(Sq), fabs(T[i * N + j] - Tq) / fabs(Tq));
        if (e > worst) worst = e;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "max rel. dev. vs quadrature %.1e", worst);
    add_row("tanh-gram-512-d5", t, 10.0, 1.0, buf);
    note("tanh Gram 512 x 512, depth 5: largest relative deviation from direct adaptive "
         "quadrature on %d sampled entries: %.2e (required 1e-8)", quick ? 2 : 5, worst);
    ntk_limit_free(wq);
done:
    ntk_limit_free(ws);
    free(X);
    free(S);
    free(T);
}

/* ---- end to end: times recorded by make figures ---- */

static void bench_e2e(int n, char **names)
{
    double total = 0.0;
    int present = 0, absent = 0;
    for (int i = 0; i < n; i++) {
        char path[256], nm[64], prof[32], cname[64];
        double secs;
        snprintf(path, sizeof path, "build/timings/default/%s", names[i]);
        FILE *f = fopen(path, "r");
        int ok = f && fscanf(f, "%63s %31s %lf", nm, prof, &secs) == 3 && strcmp(prof, "default") == 0;
        if (f) fclose(f);
        if (!ok) {
            note("end to end %s: absent (no build/timings/default/%s from `make figures`, default profile)",
                 names[i], names[i]);
            absent++;
            continue;
        }
        snprintf(cname, sizeof cname, "e2e-%s", names[i]);
        add_row(cname, secs, 900.0, 1.0, "from build/timings");
        total += secs;
        present++;
    }
    if (present) {
        char buf[64];
        snprintf(buf, sizeof buf, "%d of %d experiments%s", present, present + absent,
                 absent ? " (others absent)" : "");
        add_row("e2e-figures-total", total, 900.0, 1.0, buf);
    }
}

static void write_results(const char *path)
{
    ntk_out *o = ntk_out_open(path, "bench");
    if (!o) die(path);
    ntk_out_param(o, "quick", "%d", quick);
    ntk_out_comment(o, "seconds: median wall time after a warm-up; ratio = seconds / reference_seconds;");
    ntk_out_comment(o, "target: the largest ratio allowed");
    for (size_t i = 0; i < nnotes; i++) ntk_out_comment(o, "%s", notes[i]);
    for (size_t i = 0; i < nrows; i++)
        ntk_out_comment(o, "%s: %s", rows[i].name, rows[i].extra[0] ? rows[i].extra : "-");
    ntk_out_columns(o, "case seconds reference_seconds ratio target");
    for (size_t i = 0; i < nrows; i++) {
        double v[4] = {rows[i].secs, rows[i].ref, rows[i].secs / rows[i].ref, rows[i].target};
        ntk_out_row_labelled(o, rows[i].name, 4, v);
    }
    if (ntk_out_close(o)) die(path);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: bench [quick] [only=PREFIX] [EXPERIMENT ...]\n"
               "       bench time fig3|fig1|fig2 double|single [WIDTH [STEPS]]\n"
               "Times libntk against this machine's GEMM rate; writes data/bench/results.dat\n"
               "(not with only=PREFIX, which runs the cases whose name starts with PREFIX).\n"
               "`time`: seconds per training step of one figure's shape, nothing else.\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "time") == 0) {
        ntk_install_gsl_handler();
        return time_steps(argc - 2, argv + 2);
    }
    for (; first < argc; first++) {
        if (strcmp(argv[first], "quick") == 0)
            quick = 1;
        else if (strncmp(argv[first], "only=", 5) == 0)
            only = argv[first] + 5;
        else
            break;
    }
    /* the rest are experiment names: a word, not an option, a setting or a path */
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!*a || a[0] == '-' || strpbrk(a, "=/ ") || strcmp(a, "quick") == 0) {
            fprintf(stderr, "bench: '%s' is not an experiment name (usage: bench [quick] "
                    "[only=PREFIX] [EXPERIMENT ...], options first)\n", a);
            return 2;
        }
    }
    ntk_install_gsl_handler();
    printf("bench: libntk %s, %d BLAS thread(s)%s\n", ntk_revision(), openblas_get_num_threads(),
           quick ? ", quick" : "");
    gemm_rates(2048);
    bench_train("train-fig3-w1000", NTK_DOUBLE, "fig3", 1000, 7);
    bench_train("train-fig3-w4000", NTK_DOUBLE, "fig3", 4000, 5);
    bench_train("train-fig1-w10000", NTK_DOUBLE, "fig1", 10000, 5);
    bench_train("train-fig3-w1000-single", NTK_SINGLE, "fig3", 1000, 7);
    bench_train("train-fig3-w4000-single", NTK_SINGLE, "fig3", 4000, 5);
    bench_train("train-fig1-w10000-single", NTK_SINGLE, "fig1", 10000, 5);
    bench_entk("entk-gram-512-w1000", NTK_DOUBLE, 1000, 5);
    bench_entk("entk-gram-512-w10000", NTK_DOUBLE, 10000, 1);
    bench_entk("entk-gram-512-w1000-single", NTK_SINGLE, 1000, 5);
    bench_entk("entk-gram-512-w10000-single", NTK_SINGLE, 10000, 1);
    free(ref.A);
    free(ref.S);
    bench_limit();
    if (!only) {
        bench_e2e(argc - first, argv + first);
        write_results("data/bench/results.dat");
    }
    size_t miss = 0;
    for (size_t i = 0; i < nrows; i++) miss += rows[i].secs / rows[i].ref > rows[i].target;
    printf("bench: %zu of %zu cases within target%s\n", nrows - miss, nrows,
           only ? " (only=, no data file)" : "; data/bench/results.dat");
    return 0;
}
