/* nonlinearities - the limiting NTK Theta(L)(x0, x) on the unit circle for every
 * nonlinearity of the library's table, each beside the empirical NTK of wide networks.
 *
 * One run per nonlinearity sigma: the limit Theta(L)(x0, x) for x0 = (1, 0) and
 * x = (cos gamma, sin gamma) on a grid of the circle (limit.h: the closed form for relu
 * and erf, 2-D quadrature for the others), and the exact empirical NTK (entk.h) of
 * `seeds` independently initialised networks of width `width`, same depth, same beta.
 * The summary gathers the limits into limit.dat (one column per nonlinearity), the
 * seed mean and standard deviation into empirical.dat, and the relative L2 distance of
 * the mean to the limit into summary.dat. See README.md beside this file.
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
#include "progress.h"
#include "stats.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key        smoke   default  paper   meaning */
    {"nonlins",   "all",  "all",   "all",  "comma-separated nonlinearities, or all (the whole table)"},
    {"width",     "100",  "2000",  "4000", "hidden width n of the empirical networks (no paper setting: see README)"},
    {"seeds",     "2",    "10",    "20",   "independent initialisations per nonlinearity (seeds 1..S)"},
    {"depth",     "4",    "4",     "4",    "L, the number of weight matrices"},
    {"beta",      "0.1",  "0.1",   "0.1",  "bias scale"},
    {"grid",      "19",   "181",   "361",  "points gamma in [-pi, pi] on the unit circle"},
    {"precision", "double", "double", "double", "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])
#define MAX_SEEDS 50

typedef struct {
    const ntk_nonlin *sig[32];
    size_t nsig;
    long width, seeds, depth, grid;
    double beta;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nsig = ntk_exp_nonlins(e, "nonlins", s->sig, 32);
    s->width = ntk_exp_long(e, "width", 1, 100000);
    s->seeds = ntk_exp_long(e, "seeds", 2, MAX_SEEDS);
    s->depth = ntk_exp_long(e, "depth", 1, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->grid = ntk_exp_long(e, "grid", 3, 100000);
    s->precision = ntk_exp_precision(e, "precision");
}

/* One run per nonlinearity. */
typedef struct {
    size_t i; /* index into settings.sig */
    const ntk_nonlin *sig;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t i = 0; i < s->nsig; i++) ntk_exp_add_run(e, &(run_spec){i, s->sig[i]}, "%s", s->sig[i]->name);
}

/* Expected cost of one run: its networks' cross NTK of x0 with the grid, a forward and
 * a backward pass over grid + 1 inputs, about 4 (grid + 1) P flops per seed; and on the
 * quadrature path the limit, LIMIT_PRICE seconds per grid point and layer on the
 * reference machine (0.052 s for 181 points at depth 4, README.md). */
#define LIMIT_PRICE 7.2e-5
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    size_t *n = ntk_exp_widths(e, 2, s->depth, s->width);
    ntk_exp_cost c = {
        .flops = (double)s->seeds * 4.0 * (double)(s->grid + 1) * (double)ntk_net_count_params((size_t)s->depth, n),
        .memory = ntk_exp_net_memory(e, 2, s->depth, s->width, (size_t)s->grid + 1),
        .disk = ntk_exp_file_bytes((double)(s->grid * (s->seeds + 2)), 4.0)};
    free(n);
    if (r->sig->closed == NTK_CLOSED_NONE) c.seconds = LIMIT_PRICE * (double)s->depth * (double)s->grid;
    return c;
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const ntk_nonlin *sig = ((const run_spec *)run_)->sig;
    const size_t M = (size_t)s->grid, S = (size_t)s->seeds;
    const double x0[2] = {1.0, 0.0};
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid); /* grid: M x 2 */
    double *lim = malloc(M * sizeof *lim), *emp = malloc(S * M * sizeof *emp);       /* emp: S x M */
    ntk_data_circle(M, gamma, grid);

    /* the limit: closed form or quadrature, timed */
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    /* a quadrature failure is recorded (error line, NaN limit), not fatal: the summary reports it */
    double t0 = ntk_progress_now();
    int status = ntk_limit_cross(sig, (size_t)s->depth, s->beta, x0, 1, grid, M, 2, lw, NULL, lim);
    double limit_secs = ntk_progress_now() - t0;
    char err[512] = "none";
    if (status) {
        snprintf(err, sizeof err, "%s", ntk_last_error());
        ntk_exp_note(e, "%s: the limit failed, recorded as NaN: %s", sig->name, err);
        for (size_t k = 0; k < M; k++) lim[k] = NAN;
    }
    ntk_limit_free(lw);

    /* the empirical NTK of S networks */
    ntk_net *net = ntk_exp_net(e, 2, s->depth, s->width, s->beta, sig, s->precision);
    ntk_batch *b0 = ntk_exp_need(e, ntk_batch_alloc(net, 1));
    ntk_batch *bg = ntk_exp_need(e, ntk_batch_alloc(net, M));
    char label[96];
    snprintf(label, sizeof label, "%s %s seeds", e->name, sig->name);
    ntk_progress p;
    ntk_progress_start(&p, label, (double)S);
    t0 = ntk_progress_now();
    for (size_t q = 0; q < S; q++) {
        ntk_exp_ok(e, ntk_net_init(net, (unsigned long)(q + 1)));
        ntk_exp_ok(e, ntk_entk_cross(net, b0, x0, 1, bg, grid, M, emp + q * M));
        ntk_progress_update(&p, (double)(q + 1));
    }
    ntk_progress_end(&p);
    double emp_secs = ntk_progress_now() - t0;

    char cols[64 * 8];
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "nonlin", "%s", sig->name);
    ntk_out_param(o, "formula", "%s", sig->formula);
    ntk_out_param(o, "path", "%s", sig->closed == NTK_CLOSED_NONE ? "quadrature" : "closed");
    ntk_out_param(o, "polynomial", "%d", sig->polynomial);
    ntk_out_param(o, "limit_seconds", "%.3f", limit_secs);
    ntk_out_param(o, "empirical_seconds", "%.3f", emp_secs);
    ntk_out_param(o, "limit_error", "%s", err);
    ntk_out_comment(o, "limit: Theta(L)(x0, x); sK: the empirical NTK of the network of seed K");
    int len = snprintf(cols, sizeof cols, "gamma limit");
    for (size_t q = 0; q < S; q++) len += snprintf(cols + len, sizeof cols - (size_t)len, " s%zu", q + 1);
    ntk_out_columns(o, cols);
    double row[2 + MAX_SEEDS];
    for (size_t k = 0; k < M; k++) {
        row[0] = gamma[k], row[1] = lim[k];
        for (size_t q = 0; q < S; q++) row[2 + q] = emp[q * M + k];
        ntk_out_row(o, 2 + S, row);
    }

    ntk_batch_free(b0), ntk_batch_free(bg), ntk_net_free(net);
    free(gamma), free(grid), free(lim), free(emp);
}

/* Writes limit.dat (gamma, one column per nonlinearity), empirical.dat (gamma, then
 * NAME_mean NAME_std per nonlinearity) and summary.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t M = (size_t)s->grid, S = (size_t)s->seeds, K = s->nsig;
    double *lim = malloc(K * M * sizeof *lim), *mean = malloc(K * M * sizeof *mean); /* K x M */
    double *sd = malloc(K * M * sizeof *sd), *gamma = malloc(M * sizeof *gamma);
    double *curve = malloc(M * sizeof *curve), *col = malloc(S * sizeof *col), *dist = malloc(S * sizeof *dist);
    char cols[32 * 48];
    int len = snprintf(cols, sizeof cols, "gamma limit");
    for (size_t q = 0; q < S; q++) len += snprintf(cols + len, sizeof cols - (size_t)len, " s%zu", q + 1);
    for (size_t i = 0; i < K; i++) ntk_exp_check_run(e, i, M, cols);

    ntk_out *sum = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(sum, "closed: 1 = closed form (relu, erf), 0 = 2-D quadrature; polynomial: 1 for identity, square");
    ntk_out_comment(sum, "rel_dist: |mean over seeds - Theta(L)|_2 / |Theta(L)|_2 over the grid");
    ntk_out_comment(sum, "seed_dist_mean, seed_dist_std: the same distance for each seed's curve, mean and std");
    ntk_out_comment(sum, "noise_dist: sqrt(sum_k std_k^2 / seeds) / |Theta(L)|_2, the rel_dist that seed noise alone would give an unbiased mean");
    ntk_out_comment(sum, "rel_sd: pointwise std over seeds averaged over the grid, over mean |Theta(L)|");
    ntk_out_columns(sum, "nonlin closed polynomial rel_dist seed_dist_mean seed_dist_std noise_dist rel_sd "
                         "theta_x0x0 limit_seconds empirical_seconds");
    for (size_t i = 0; i < K; i++) {
        const ntk_nonlin *sig = ((const run_spec *)e->runs[i].spec)->sig;
        const ntk_table t = e->runs[i].table;
        double *L = lim + i * M, *mu = mean + i * M, *sg = sd + i * M, var = 0.0, lim2 = 0.0, sdsum = 0.0, limabs = 0.0;
        for (size_t k = 0; k < M; k++) {
            gamma[k] = t.v[k * t.ncols];
            L[k] = t.v[k * t.ncols + 1];
            for (size_t q = 0; q < S; q++) col[q] = t.v[k * t.ncols + 2 + q];
            ntk_stats_mean_std(S, col, &mu[k], &sg[k]);
            var += sg[k] * sg[k] / (double)S, lim2 += L[k] * L[k];
            sdsum += sg[k], limabs += fabs(L[k]);
        }
        for (size_t q = 0; q < S; q++) {
            for (size_t k = 0; k < M; k++) curve[k] = t.v[k * t.ncols + 2 + q];
            dist[q] = ntk_stats_rel_l2_dist(M, curve, L);
        }
        const char *err = ntk_exp_run_str(e, i, "limit_error");
        if (strcmp(err, "none") != 0) ntk_exp_note(e, "%s: the limit failed: %s", sig->name, err);
        double dm, ds, th00 = NAN;
        ntk_stats_mean_std(S, dist, &dm, &ds);
        for (size_t k = 0; k < M; k++)
            if (fabs(gamma[k]) < 1e-12) th00 = L[k]; /* gamma = 0: x = x0 (odd grids) */
        double v[10] = {sig->closed != NTK_CLOSED_NONE, sig->polynomial, ntk_stats_rel_l2_dist(M, mu, L), dm, ds, sqrt(var / lim2),
                        sdsum / limabs, th00, ntk_exp_run_double(e, i, "limit_seconds"),
                        ntk_exp_run_double(e, i, "empirical_seconds")};
        ntk_out_row_labelled(sum, sig->name, 10, v);
    }

    double row[1 + 2 * 32];
    ntk_out *o = ntk_exp_open(e, "limit.dat");
    ntk_out_comment(o, "the limiting NTK Theta(L)(x0, x), x0 = (1, 0), x = (cos gamma, sin gamma), per nonlinearity");
    len = snprintf(cols, sizeof cols, "gamma");
    for (size_t i = 0; i < K; i++) len += snprintf(cols + len, sizeof cols - (size_t)len, " %s", s->sig[i]->name);
    ntk_out_columns(o, cols);
    for (size_t k = 0; k < M; k++) {
        row[0] = gamma[k];
        for (size_t i = 0; i < K; i++) row[1 + i] = lim[i * M + k];
        ntk_out_row(o, 1 + K, row);
    }

    o = ntk_exp_open(e, "empirical.dat");
    ntk_out_comment(o, "the empirical NTK over seeds: NAME_mean and NAME_std (sample std) per nonlinearity");
    len = snprintf(cols, sizeof cols, "gamma");
    for (size_t i = 0; i < K; i++)
        len += snprintf(cols + len, sizeof cols - (size_t)len, " %s_mean %s_std", s->sig[i]->name, s->sig[i]->name);
    ntk_out_columns(o, cols);
    for (size_t k = 0; k < M; k++) {
        row[0] = gamma[k];
        for (size_t i = 0; i < K; i++) row[1 + 2 * i] = mean[i * M + k], row[2 + 2 * i] = sd[i * M + k];
        ntk_out_row(o, 1 + 2 * K, row);
    }
    free(lim), free(mean), free(sd), free(gamma), free(curve), free(col), free(dist);
}

static const ntk_experiment nonlinearities = {
    .name = "nonlinearities",
    .summary = "The limiting NTK on the unit circle for every nonlinearity of the table, beside\n"
               "the empirical NTK of wide networks (mean and spread over seeds).",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.47, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&nonlinearities, argc, argv); }
