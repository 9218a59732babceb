/* width-scaling - "wider is closer" as measured rates (paper Thm. 1, Thm. 2, Remark 4).
 *
 * For each nonlinearity, width n and seed: a depth-L network (n0 = 2, n_L = 1, every
 * hidden layer n wide, beta 0.1) is initialised and its NTK Theta(x0, x) measured for
 * x0 = (1, 0) and x on a grid of the unit circle (as in Figure 1); it is trained by
 * full-batch gradient descent on the Figure 1 task (f*(x) = x1 x2 on `train`
 * N(0, I_2) inputs, lr 1.0) and the NTK measured again. Per run:
 *   init_dist = |Theta_0 - Theta(L)|_2 / |Theta(L)|_2   (Thm. 1: -> 0 as n grows)
 *   move      = |Theta_T - Theta_0|_2 / |Theta_0|_2     (Thm. 2: -> 0 as n grows)
 * over the grid. The summary averages over seeds and fits both against n on log-log
 * axes. See README.md beside this file for the method, settings and results.
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
    /* key        smoke       default                 paper                                     meaning */
    {"nonlins",   "relu,erf", "relu,erf",             "relu,erf",                               "nonlinearities, comma-separated"},
    {"widths",    "16,32,64", "64,128,256,512,1024",  "64,128,256,512,1024,2048,4096,8192",     "hidden widths n (all hidden layers)"},
    {"seeds",     "2",        "5",                    "10",                                     "trained networks per width (seeds 1..S)"},
    {"init_draws","2",        "10",                   "10",                                     "initialisations per run whose NTK is measured (the trained one and D - 1 more)"},
    {"depth",     "4",        "4",                    "4",                                      "L, the number of weight matrices"},
    {"beta",      "0.1",      "0.1",                  "0.1",                                    "bias scale"},
    {"train",     "20",       "100",                  "100",                                    "number of N(0, I_2) training inputs (as Figure 1)"},
    {"data_seed", "1000",     "1000",                 "1000",                                   "seed of the training inputs (shared by every network)"},
    {"steps",     "5",        "200",                  "200",                                    "gradient steps"},
    {"lr",        "1.0",      "1.0",                  "1.0",                                    "learning rate (t = lr x steps)"},
    {"grid",      "37",       "361",                  "361",                                    "points gamma in [-pi, pi] on the unit circle"},
    {"precision", "double", "double", "double", "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

#define MAX_NL 8

typedef struct {
    const ntk_nonlin *nl[MAX_NL];
    size_t nnl;
    long widths[16];
    size_t nwidths;
    long seeds, init_draws, depth, train, data_seed, steps, grid;
    double beta, lr;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nnl = ntk_exp_nonlins(e, "nonlins", s->nl, MAX_NL);
    s->nwidths = ntk_exp_longs(e, "widths", 1, 100000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 2, 1000);
    s->init_draws = ntk_exp_long(e, "init_draws", 1, 1000);
    s->depth = ntk_exp_long(e, "depth", 2, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->train = ntk_exp_long(e, "train", 1, 100000);
    s->data_seed = ntk_exp_long(e, "data_seed", 0, 1L << 30);
    s->steps = ntk_exp_long(e, "steps", 1, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-12, 1e6);
    s->grid = ntk_exp_long(e, "grid", 3, 100000);
    s->precision = ntk_exp_precision(e, "precision");
}

/* One run: a nonlinearity, a width and a seed (i, w: indices into the settings). */
typedef struct {
    size_t i, w;
    const ntk_nonlin *sigma;
    long width, seed;
} run_spec;

/* Widest first, so that under make -j the long runs start early. */
static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t w = s->nwidths; w-- > 0;)
        for (size_t i = 0; i < s->nnl; i++)
            for (long q = 1; q <= s->seeds; q++)
                ntk_exp_add_run(e, &(run_spec){i, w, s->nl[i], s->widths[w], q}, "%s-w%ld-s%ld", s->nl[i]->name,
                                s->widths[w], q);
}

/* Floating-point work of one run: two NTK measurements on the grid and the training. */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    size_t *n = ntk_exp_widths(e, 2, s->depth, r->width);
    double P = (double)ntk_net_count_params((size_t)s->depth, n);
    free(n);
    size_t cap = (size_t)(s->grid + 1 > s->train ? s->grid + 1 : s->train);
    return (ntk_exp_cost){.flops = (double)(s->init_draws + 1) * 4.0 * (double)(s->grid + 1) * P +
                                   (double)s->steps * 6.0 * (double)s->train * P,
                          .memory = ntk_exp_net_memory(e, 2, s->depth, r->width, cap),
                          .disk = ntk_exp_file_bytes((double)(s->init_draws + 2), 6.0)};
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    const ntk_nonlin *sigma = r->sigma;
    const long seed = r->seed;
    const size_t M = (size_t)s->grid, N = (size_t)s->train;
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid), *lim = malloc(M * sizeof *lim);
    double *X = malloc(2 * N * sizeof *X), *Y = malloc(N * sizeof *Y);
    double *th0 = malloc(M * sizeof *th0), *thT = malloc(M * sizeof *thT);
    const double x0[2] = {1.0, 0.0};
    double loss0, lossT;

    /* the circle grid and its limit Theta(L)(x0, x); the training set, f*(x) = x1 x2 */
    ntk_data_circle(M, gamma, grid);
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    ntk_exp_ok(e, ntk_limit_cross(sigma, (size_t)s->depth, s->beta, x0, 1, grid, M, 2, lw, NULL, lim));
    ntk_limit_free(lw);
    ntk_data_gaussian((unsigned long)s->data_seed, N, 2, X);
    for (size_t i = 0; i < N; i++) Y[i] = X[2 * i] * X[2 * i + 1];

    ntk_net *net = ntk_exp_net(e, 2, s->depth, r->width, s->beta, sigma, s->precision);
    ntk_batch *b0 = ntk_exp_need(e, ntk_batch_alloc(net, 1));
    ntk_batch *bg = ntk_exp_need(e, ntk_batch_alloc(net, M > N ? M : N));
    /* the distance at initialisation is cheap beside training: measure it for D - 1
     * more initialisations (seeds 100000 + (seed - 1) D + j, never a training seed) */
    const long D = s->init_draws;
    double *dist = malloc((size_t)D * sizeof *dist);
    for (long j = 1; j < D; j++) {
        ntk_exp_ok(e, ntk_net_init(net, 100000UL + (unsigned long)((seed - 1) * D + j)));
        ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, grid, M, th0));
        dist[j] = ntk_stats_rel_l2_dist(M, th0, lim);
    }
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)seed));
    ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, grid, M, th0));
    dist[0] = ntk_stats_rel_l2_dist(M, th0, lim);
    lossT = ntk_exp_train(e, net, bg, X, Y, N, s->steps, s->lr, NULL, &loss0);
    ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, grid, M, thT));

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "run_nonlin", "%s", sigma->name);
    ntk_out_param(o, "width", "%ld", r->width);
    ntk_out_param(o, "seed", "%ld", seed);
    ntk_out_param(o, "t", "%.17g", s->lr * (double)s->steps);
    ntk_out_param(o, "init_dist", "%.17g", dist[0]);
    char list[4096] = "";
    for (long j = 0; j < D; j++) snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.17g", j ? "," : "", dist[j]);
    ntk_out_param(o, "init_dists", "%s", list);
    ntk_out_param(o, "move", "%.17g", ntk_stats_rel_l2_dist(M, thT, th0));
    ntk_out_param(o, "loss_0", "%.17g", loss0);
    ntk_out_param(o, "loss_T", "%.17g", lossT);
    ntk_out_columns(o, "gamma theta_0 theta_T limit");
    for (size_t k = 0; k < M; k++) ntk_out_row(o, 4, (double[]){gamma[k], th0[k], thT[k], lim[k]});

    ntk_batch_free(b0);
    ntk_batch_free(bg);
    ntk_net_free(net);
    free(gamma), free(grid), free(lim), free(X), free(Y), free(th0), free(thT), free(dist);
}

/* Writes seeds.dat, init-draws.dat, summary.dat (one data set per nonlinearity) and
 * fits.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t S = (size_t)s->seeds, W = s->nwidths, NL = s->nnl, D = (size_t)s->init_draws;
    enum { INIT, MOVE, L0, LT, NQ };
    double *q = malloc(NL * W * S * NQ * sizeof *q), *draws = malloc(NL * W * S * D * sizeof *draws);
#define Q(i, w, k, j) q[(((i) * W + (w)) * S + (k)) * NQ + (j)]
    static const char *keys[NQ] = {"init_dist", "move", "loss_0", "loss_T"};
    for (size_t r = 0; r < e->nruns; r++) {
        const run_spec *run = e->runs[r].spec;
        const size_t i = run->i, w = run->w, k = (size_t)run->seed - 1;
        ntk_exp_check_run(e, r, (size_t)s->grid, NULL);
        for (int j = 0; j < NQ; j++) Q(i, w, k, j) = ntk_exp_run_double(e, r, keys[j]);
        const char *list = ntk_exp_run_str(e, r, "init_dists");
        double *dr = draws + ((i * W + w) * S + k) * D;
        size_t nd = 0;
        for (char *end; nd < D && *list; list = *end == ',' ? end + 1 : end, nd++) {
            dr[nd] = strtod(list, &end);
            if (end == list) break;
        }
        if (nd != D) ntk_exp_die(e, 1, "%s: expected %zu values in init_dists, found %zu: rerun it", e->runs[r].path, D, nd);
    }

    ntk_out *sd = ntk_exp_open(e, "seeds.dat");
    ntk_out_comment(sd, "init_dist = |Theta_0 - Theta(L)| / |Theta(L)|, move = |Theta_T - Theta_0| / |Theta_0| (L2 over the grid)");
    ntk_out_columns(sd, "nonlin width seed init_dist move loss_0 loss_T");
    ntk_out *dd = ntk_exp_open(e, "init-draws.dat");
    ntk_out_comment(dd, "init_dist of every initialisation measured (D per run, the first one trained)");
    ntk_out_columns(dd, "nonlin width draw init_dist");
    ntk_out *sm = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(sm, "init_dist: mean and std over the S x D initialisations (init-draws.dat); move: over the S");
    ntk_out_comment(sm, "trained networks (seeds.dat); one data set per nonlinearity");
    ntk_out_columns(sm, "nonlin width init_dist_mean init_dist_std move_mean move_std");
    ntk_out *fit = ntk_exp_open(e, "fits.dat");
    ntk_out_comment(fit, "least-squares fits log(mean) = slope log(width) + intercept over the widths");
    ntk_out_columns(fit, "nonlin init_slope init_intercept move_slope move_intercept");
    double *col = malloc(S * D * sizeof *col), *wd = malloc(W * sizeof *wd), *im = malloc(W * sizeof *im), *mm = malloc(W * sizeof *mm);
    for (size_t i = 0; i < NL; i++) {
        for (size_t w = 0; w < W; w++) {
            double is, ms;
            for (size_t k = 0; k < S; k++) {
                col[k] = Q(i, w, k, INIT);
                ntk_out_row_labelled(sd, s->nl[i]->name, 6, (double[]){(double)s->widths[w], (double)(k + 1),
                                     Q(i, w, k, INIT), Q(i, w, k, MOVE), Q(i, w, k, L0), Q(i, w, k, LT)});
            }
            for (size_t k = 0; k < S * D; k++) {
                col[k] = draws[(i * W + w) * S * D + k];
                ntk_out_row_labelled(dd, s->nl[i]->name, 3, (double[]){(double)s->widths[w], (double)(k + 1), col[k]});
            }
            ntk_stats_mean_std(S * D, col, &im[w], &is);
            for (size_t k = 0; k < S; k++) col[k] = Q(i, w, k, MOVE);
            ntk_stats_mean_std(S, col, &mm[w], &ms);
            wd[w] = (double)s->widths[w];
            ntk_out_row_labelled(sm, s->nl[i]->name, 5, (double[]){wd[w], im[w], is, mm[w], ms});
        }
        double ic, mc, islope = ntk_stats_loglog_slope(W, wd, im, &ic), mslope = ntk_stats_loglog_slope(W, wd, mm, &mc);
        ntk_out_row_labelled(fit, s->nl[i]->name, 4, (double[]){islope, ic, mslope, mc});
        ntk_exp_note(e, "%s: slope of the distance at init %.3f, of the movement %.3f", s->nl[i]->name, islope, mslope);
        if (i + 1 < NL) ntk_out_next_set(sm), ntk_out_next_set(sd), ntk_out_next_set(dd);
    }
#undef Q
    free(q), free(draws), free(col), free(wd), free(im), free(mm);
}

static const ntk_experiment width_scaling = {
    .name = "width-scaling",
    .summary = "The empirical NTK's distance to the limit at initialisation, and its movement\n"
               "during training on the Figure 1 task, against the width, for several\n"
               "nonlinearities.",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.84, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&width_scaling, argc, argv); }
