/* fig1-ntk-convergence - the paper's Figure 1: the NTK of finite networks converges to
 * the limiting Theta(L), at initialisation and during training.
 *
 * For each width n and seed: a depth-4 relu network (n0 = 2, beta = 0.1) is
 * initialised; its NTK Theta(x0, x) is measured for x0 = (1, 0) and x on a grid of
 * the unit circle; the network is trained by full-batch gradient descent (lr 1.0) on
 * f*(x) = x1 x2 over `train` N(0, I_2) inputs for `steps` steps; the NTK is measured
 * again. The summary puts every curve beside the analytic Theta(4) (limit.h).
 * See README.md beside this file for the method, settings and results.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "entk.h"
#include "experiment.h"
#include "limit.h"
#include "net.h"
#include "stats.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key        smoke    default     paper        meaning */
    {"widths",    "20,50", "500,2000", "500,10000", "hidden widths n (all hidden layers)"},
    {"seeds",     "2",     "10",       "10",        "independent initialisations per width (seeds 1..S)"},
    {"depth",     "4",     "4",        "4",         "L, the number of weight matrices"},
    {"beta",      "0.1",   "0.1",      "0.1",       "bias scale"},
    {"nonlin",    "relu",  "relu",     "relu",      "nonlinearity"},
    {"train",     "20",    "100",      "100",       "number of N(0, I_2) training inputs (not given in the paper)"},
    {"data_seed", "1000",  "1000",     "1000",      "seed of the training inputs (shared by every network)"},
    {"steps",     "5",     "200",      "200",       "gradient steps"},
    {"lr",        "1.0",   "1.0",      "1.0",       "learning rate (t = lr x steps)"},
    {"grid",      "37",    "361",      "361",       "points gamma in [-pi, pi] on the unit circle"},
    {"precision", "single", "single",  "single",    "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

typedef struct {
    long widths[16];
    size_t nwidths;
    long seeds, depth, train, data_seed, steps, grid;
    double beta, lr;
    const ntk_nonlin *sigma;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nwidths = ntk_exp_longs(e, "widths", 1, 100000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 1, 1000);
    s->depth = ntk_exp_long(e, "depth", 2, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->train = ntk_exp_long(e, "train", 1, 100000);
    s->data_seed = ntk_exp_long(e, "data_seed", 0, 1L << 30);
    s->steps = ntk_exp_long(e, "steps", 0, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-12, 1e6);
    s->grid = ntk_exp_long(e, "grid", 3, 100000);
    s->sigma = ntk_exp_nonlin(e, "nonlin");
    s->precision = ntk_exp_precision(e, "precision");
}

/* One run: a width and a seed. */
typedef struct {
    size_t w; /* index into settings.widths */
    long width, seed;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t w = 0; w < s->nwidths; w++)
        for (long q = 1; q <= s->seeds; q++) ntk_exp_add_run(e, &(run_spec){w, s->widths[w], q}, "w%ld-s%ld", s->widths[w], q);
}

/* Floating-point work of one run: two NTK measurements and the training steps. */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    size_t *n = ntk_exp_widths(e, 2, s->depth, r->width);
    double P = (double)ntk_net_count_params((size_t)s->depth, n);
    free(n);
    size_t cap = (size_t)(s->grid > s->train ? s->grid : s->train);
    ntk_exp_cost c = {.memory = ntk_exp_net_memory(e, 2, s->depth, r->width, cap),
                      .disk = ntk_exp_file_bytes((double)s->grid, 3.0)};
    ntk_exp_cost_net(&c, s->precision,
                     2.0 * 4.0 * (double)(s->grid + 1) * P + (double)s->steps * 6.0 * (double)s->train * P);
    return c;
}

/* Theta(x0, x) over the grid into theta (grid values), and Theta(x0, x0). */
static void measure(const ntk_exp *e, const ntk_net *net, ntk_batch *b0, ntk_batch *bg, const double *x0,
                    const double *grid, size_t M, double *theta, double *theta00)
{
    ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, grid, M, theta));
    ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, x0, 1, theta00));
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    const size_t M = (size_t)s->grid, N = (size_t)s->train;
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid);
    double *X = malloc(2 * N * sizeof *X), *Y = malloc(N * sizeof *Y);
    double *th0 = malloc(M * sizeof *th0), *thT = malloc(M * sizeof *thT);
    const double x0[2] = {1.0, 0.0};
    double th00_0, th00_T, loss0, lossT;

    /* inputs: the circle grid, the training set and its targets f*(x) = x1 x2 */
    ntk_data_circle(M, gamma, grid);
    ntk_data_gaussian((unsigned long)s->data_seed, N, 2, X);
    for (size_t i = 0; i < N; i++) Y[i] = X[2 * i] * X[2 * i + 1];

    ntk_net *net = ntk_exp_net(e, 2, s->depth, r->width, s->beta, s->sigma, s->precision);
    ntk_batch *b0 = ntk_exp_need(e, ntk_batch_alloc(net, 1));
    ntk_batch *bg = ntk_exp_need(e, ntk_batch_alloc(net, M > N ? M : N));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)r->seed));

    measure(e, net, b0, bg, x0, grid, M, th0, &th00_0);
    lossT = ntk_exp_train(e, net, bg, X, Y, N, s->steps, s->lr, NULL, &loss0);
    if (s->steps == 0) lossT = NAN; /* not trained: no final loss */
    measure(e, net, b0, bg, x0, grid, M, thT, &th00_T);

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", r->width);
    ntk_out_param(o, "seed", "%ld", r->seed);
    ntk_out_param(o, "t", "%.17g", s->lr * (double)s->steps);
    ntk_out_param(o, "theta_x0x0_0", "%.17g", th00_0);
    ntk_out_param(o, "theta_x0x0_T", "%.17g", th00_T);
    ntk_out_param(o, "loss_0", "%.17g", loss0);
    ntk_out_param(o, "loss_T", "%.17g", lossT);
    ntk_out_columns(o, "gamma theta_0 theta_T");
    for (size_t k = 0; k < M; k++) ntk_out_row(o, 3, (double[]){gamma[k], th0[k], thT[k]});

    ntk_batch_free(b0);
    ntk_batch_free(bg);
    ntk_net_free(net);
    free(gamma), free(grid), free(X), free(Y), free(th0), free(thT);
}

/* Writes limit.dat, curves-wN.dat (one data set per seed), summary.dat, spread.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t M = (size_t)s->grid, S = (size_t)s->seeds, W = s->nwidths;
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid), *lim = malloc(M * sizeof *lim);
    double *curves = malloc(W * 2 * S * M * sizeof *curves); /* [width][time][seed][grid] */
    double *infl = malloc(W * S * sizeof *infl), *l0 = malloc(W * S * sizeof *l0), *lT = malloc(W * S * sizeof *lT);
    const double x0[2] = {1.0, 0.0};
#define CURVE(w, ti, q) (curves + (((w) * 2 + (ti)) * S + (q)) * M)

    for (size_t i = 0; i < e->nruns; i++) {
        const run_spec *r = e->runs[i].spec;
        const ntk_table *t = &e->runs[i].table;
        const size_t w = r->w, q = (size_t)r->seed - 1;
        ntk_exp_check_run(e, i, M, "theta_0 theta_T");
        for (size_t k = 0; k < M; k++) {
            CURVE(w, 0, q)[k] = ntk_table_get(t, k, "theta_0");
            CURVE(w, 1, q)[k] = ntk_table_get(t, k, "theta_T");
        }
        infl[w * S + q] = ntk_exp_run_double(e, i, "theta_x0x0_T") / ntk_exp_run_double(e, i, "theta_x0x0_0");
        l0[w * S + q] = ntk_exp_run_double(e, i, "loss_0");
        lT[w * S + q] = ntk_exp_run_double(e, i, "loss_T");
    }

    /* the analytic limit on the same grid */
    ntk_data_circle(M, gamma, grid);
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    ntk_exp_ok(e, ntk_limit_cross(s->sigma, (size_t)s->depth, s->beta, x0, 1, grid, M, 2, lw, NULL, lim));
    ntk_limit_free(lw);
    ntk_out *o = ntk_exp_open(e, "limit.dat");
    ntk_out_comment(o, "the limiting NTK Theta(L)(x0, x), x0 = (1, 0), x = (cos gamma, sin gamma)");
    ntk_out_columns(o, "gamma theta");
    for (size_t k = 0; k < M; k++) ntk_out_row(o, 2, (double[]){gamma[k], lim[k]});

    ntk_out *sum = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(sum, "rel_dist: |Theta_seed - Theta(L)|_2 / |Theta(L)|_2 over the grid, mean and std over seeds");
    ntk_out_comment(sum, "inflation: mean over seeds of Theta_t(x0,x0) / Theta_0(x0,x0)");
    ntk_out_columns(sum, "width t rel_dist_mean rel_dist_std inflation_mean");
    ntk_out *spr = ntk_exp_open(e, "spread.dat");
    ntk_out_comment(spr, "mean_curve_rel_dist: distance of the seed-mean curve to Theta(L) (relative L2)");
    ntk_out_comment(spr, "pointwise_sd: std over seeds of Theta(x0, x), averaged over the grid, relative to mean |Theta(L)|");
    ntk_out_comment(spr, "loss_0, loss_T: training loss before the first and after the last step, mean over seeds");
    ntk_out_columns(spr, "width t mean_curve_rel_dist pointwise_sd loss_0 loss_T");
    double *dist = malloc(S * sizeof *dist), *mc = malloc(M * sizeof *mc), *col = malloc(S * sizeof *col);
    double limnorm = 0.0;
    for (size_t k = 0; k < M; k++) limnorm += fabs(lim[k]) / (double)M;
    for (size_t w = 0; w < W; w++) {
        char rel[64];
        snprintf(rel, sizeof rel, "curves-w%ld.dat", s->widths[w]);
        ntk_out *c = ntk_exp_open(e, rel);
        ntk_out_param(c, "width", "%ld", s->widths[w]);
        ntk_out_comment(c, "one data set per seed (gnuplot index = seed - 1)");
        ntk_out_columns(c, "gamma theta_0 theta_T");
        for (size_t q = 0; q < S; q++) {
            for (size_t k = 0; k < M; k++) ntk_out_row(c, 3, (double[]){gamma[k], CURVE(w, 0, q)[k], CURVE(w, 1, q)[k]});
            if (q + 1 < S) ntk_out_next_set(c);
        }
        for (int ti = 0; ti < 2; ti++) {
            double sd_sum = 0.0, dm, ds, im, lm0, lmT;
            for (size_t q = 0; q < S; q++) dist[q] = ntk_stats_rel_l2_dist(M, CURVE(w, ti, q), lim);
            for (size_t k = 0; k < M; k++) {
                double sd;
                for (size_t q = 0; q < S; q++) col[q] = CURVE(w, ti, q)[k];
                ntk_stats_mean_std(S, col, &mc[k], &sd);
                sd_sum += sd / (double)M;
            }
            ntk_stats_mean_std(S, dist, &dm, &ds);
            ntk_stats_mean_std(S, infl + w * S, &im, NULL);
            ntk_stats_mean_std(S, l0 + w * S, &lm0, NULL);
            ntk_stats_mean_std(S, lT + w * S, &lmT, NULL);
            double t = ti ? s->lr * (double)s->steps : 0.0;
            ntk_out_row(sum, 5, (double[]){(double)s->widths[w], t, dm, ds, ti ? im : 1.0});
            ntk_out_row(spr, 6, (double[]){(double)s->widths[w], t, ntk_stats_rel_l2_dist(M, mc, lim), sd_sum / limnorm, lm0, lmT});
        }
    }
#undef CURVE
    free(curves), free(dist), free(infl), free(mc), free(l0), free(lT), free(col);
    free(gamma), free(grid), free(lim);
}

static const ntk_experiment fig1 = {
    .name = "fig1",
    .summary = "Figure 1: the NTK of depth-4 relu networks of two widths, at t = 0 and after\n"
               "training, against the limiting Theta(4).",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.78, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&fig1, argc, argv); }
