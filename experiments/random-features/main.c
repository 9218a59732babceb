/* random-features - the paper's section 3.1 ("the simple linear example" of the seed
 * talk): a random-features model f = (1/sqrt P) sum_p theta_p f_p, the f_p drawn
 * i.i.d. from the centred Gaussian process with covariance K on M points of the
 * unit circle (K = the NNGP kernel Sigma(L) of limit.h, or Theta(L)).
 *
 * (i)  runs P<P>: for each seed, the tangent kernel Khat = (1/P) sum_p f_p f_p^T
 *      and its relative Frobenius distance to K; the summary fits the slope of the
 *      mean distance against P on log-log axes (law of large numbers: -1/2) and puts
 *      Wick's prediction sqrt(((tr K)^2 + |K|_F^2) / (P |K|_F^2)) beside it.
 * (ii) run gd: gradient descent on theta and kernel gradient descent with Khat from
 *      the same f_0, step by step, on f*(x) = x1 x2 at `train` of the M points;
 *      the largest difference of the two functions over all points and steps, and,
 *      for comparison, kernel gradient descent with K itself.
 * See README.md beside this file for the method, settings and results.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "experiment.h"
#include "limit.h"
#include "rf.h"
#include "stats.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key        smoke          default                                       paper  meaning */
    {"Ps",        "10,100,1000", "10,30,100,300,1000,3000,10000,30000,100000", "10,30,100,300,1000,3000,10000,30000,100000,300000",
                                                                                       "numbers of features P, one run each"},
    {"seeds",     "3",           "50",          "200",         "independent draws of the features per P"},
    {"points",    "16",          "64",          "64",          "M, equally spaced points gamma_k = -pi + 2 pi k / M of the unit circle"},
    {"kernel",    "nngp",        "nngp",        "nngp",        "K: nngp (Sigma(L)) or ntk (Theta(L)) of the network below"},
    {"nonlin",    "relu",        "relu",        "relu",        "nonlinearity of the kernel"},
    {"depth",     "4",           "4",           "4",           "L of the kernel"},
    {"beta",      "0.1",         "0.1",         "0.1",         "bias scale of the kernel"},
    {"gd_P",      "50",          "1000",        "1000",        "(ii): features of the model trained by gradient descent"},
    {"gd_seed",   "1",           "1",           "1",           "(ii): seed of its features and of theta_0"},
    {"train",     "4",           "8",           "8",           "(ii): training points, drawn among the M points"},
    {"data_seed", "1000",        "1000",        "1000",        "(ii): seed of that draw"},
    {"steps",     "20",          "1000",        "1000",        "(ii): gradient steps"},
    {"lr",        "1.0",         "1.0",         "1.0",         "(ii): learning rate (t = lr x steps)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

typedef struct {
    long Ps[32];
    size_t nP;
    long seeds, points, depth, gd_P, gd_seed, train, data_seed, steps;
    double beta, lr;
    int ntk; /* K = Theta(L) rather than Sigma(L) */
    const ntk_nonlin *sigma;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nP = ntk_exp_longs(e, "Ps", 1, 10000000, 32, s->Ps);
    s->seeds = ntk_exp_long(e, "seeds", 2, 100000);
    s->points = ntk_exp_long(e, "points", 2, 4096);
    s->depth = ntk_exp_long(e, "depth", 1, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->gd_P = ntk_exp_long(e, "gd_P", 1, 10000000);
    s->gd_seed = ntk_exp_long(e, "gd_seed", 0, 1L << 30);
    s->train = ntk_exp_long(e, "train", 1, s->points);
    s->data_seed = ntk_exp_long(e, "data_seed", 0, 1L << 30);
    s->steps = ntk_exp_long(e, "steps", 1, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-12, 1e6);
    const char *k = ntk_exp_str(e, "kernel");
    if (strcmp(k, "nngp") && strcmp(k, "ntk")) ntk_exp_die(e, 2, "parameter kernel: '%s' is neither nngp nor ntk", k);
    s->ntk = strcmp(k, "ntk") == 0;
    s->sigma = ntk_exp_nonlin(e, "nonlin");
}

/* The M points gamma (M), X (M x 2) and the kernel K (M x M) on them. */
static void setup(const ntk_exp *e, const settings *s, double *gamma, double *X, double *K)
{
    const size_t M = (size_t)s->points;
    double *other = ntk_exp_need(e, malloc(M * M * sizeof *other));
    for (size_t k = 0; k < M; k++) gamma[k] = -M_PI + 2.0 * M_PI * (double)k / (double)M;
    ntk_data_circle_at(M, gamma, X);
    ntk_limit_ws *ws = ntk_exp_need(e, ntk_limit_alloc());
    ntk_exp_ok(e, ntk_limit_gram(s->sigma, (size_t)s->depth, s->beta, X, M, 2, ws, s->ntk ? other : K, s->ntk ? K : other));
    ntk_limit_free(ws);
    free(other);
}

/* Wick's constant c = ((tr K)^2 + |K|_F^2) / |K|_F^2: E rel_dist^2 = c / P. */
static double wick_const(size_t M, const double *K)
{
    double fro2 = 0.0;
    for (size_t i = 0; i < M * M; i++) fro2 += K[i] * K[i];
    return ntk_rf_expected_sqdist(M, K) / fro2;
}

/* The runs: P<P> for each number of features P (j: its index in the settings), then gd. */
typedef struct {
    int gd;
    size_t j;
    long P;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t j = 0; j < s->nP; j++) ntk_exp_add_run(e, &(run_spec){0, j, s->Ps[j]}, "P%ld", s->Ps[j]);
    ntk_exp_add_run(e, &(run_spec){1, 0, s->gd_P}, "gd");
}

/* Floating-point work: (i) sampling GEMM and SYRK per seed; (ii) the sampling once,
 * then per step the model's evaluation and gradient and the two kernel steps. */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    (void)e;
    const settings *s = settings_;
    const run_spec *r = run_;
    double M = (double)s->points, N = (double)s->train;
    if (!r->gd)
        return (ntk_exp_cost){.flops = (double)s->seeds * 3.0 * (double)r->P * M * M,
                              .memory = 16.0 * (double)r->P * M + 24.0 * M * M,
                              .disk = ntk_exp_file_bytes((double)s->seeds, 2.0)};
    return (ntk_exp_cost){.flops = 3.0 * (double)s->gd_P * M * M + (double)s->steps * (2.0 * (double)s->gd_P * (M + 2.0 * N) + 4.0 * M * N),
                          .memory = 16.0 * (double)s->gd_P * M + 24.0 * M * M + 48.0 * (double)(s->steps + 1),
                          .disk = ntk_exp_file_bytes((double)(s->steps + 1), 6.0) + ntk_exp_file_bytes(30.0 * M, 4.0)};
}

/* (i): the relative distance |Khat - K|_F / |K|_F for every seed of one P. */
static void run_P(const ntk_exp *e, const settings *s, long P)
{
    const size_t M = (size_t)s->points;
    double *gamma = malloc(M * sizeof *gamma), *X = malloc(2 * M * sizeof *X);
    double *K = malloc(M * M * sizeof *K), *Kh = malloc(M * M * sizeof *Kh);
    double *dist = malloc((size_t)s->seeds * sizeof *dist);
    setup(e, s, gamma, X, K);
    ntk_rf *rf = ntk_exp_need(e, ntk_rf_alloc((size_t)P, M));
    for (long q = 1; q <= s->seeds; q++) {
        /* seeds differ across P too, so the points of the fit are independent */
        ntk_exp_ok(e, ntk_rf_sample(rf, K, 1000003UL * (unsigned long)P + (unsigned long)q));
        ntk_exp_ok(e, ntk_rf_kernel(rf, Kh));
        dist[q - 1] = ntk_stats_rel_l2_dist(M * M, Kh, K); /* Frobenius: the L2 norm of the entries */
    }
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "P", "%ld", P);
    ntk_out_columns(o, "seed rel_dist");
    for (long q = 1; q <= s->seeds; q++) ntk_out_row(o, 2, (double[]){(double)q, dist[q - 1]});
    ntk_rf_free(rf);
    free(gamma), free(X), free(K), free(Kh), free(dist);
}

/* The snapshot steps of (ii): 0, the powers of 10 below the last step, the last step. */
static size_t snapshots(long steps, long *snap, size_t cap)
{
    size_t n = 0;
    snap[n++] = 0;
    for (long v = 10; v < steps && n < cap - 1; v *= 10) snap[n++] = v;
    snap[n++] = steps;
    return n;
}

/* (ii): gradient descent on theta, kernel gradient descent with Khat and with K,
 * from the same f_0 = f_theta0; per step the losses (each checked for divergence) and
 * the largest differences; the functions at the snapshot steps into runs/gd-curves.dat. */
static void run_gd(const ntk_exp *e, const settings *s)
{
    const size_t M = (size_t)s->points, N = (size_t)s->train, P = (size_t)s->gd_P, T = (size_t)s->steps;
    double *gamma = malloc(M * sizeof *gamma), *X = malloc(2 * M * sizeof *X), *K = malloc(M * M * sizeof *K);
    double *Kh = malloc(M * M * sizeof *Kh), *theta = malloc(P * sizeof *theta), *target = malloc(M * sizeof *target);
    double *f_th = malloc(M * sizeof *f_th), *f_k = malloc(M * sizeof *f_k), *f_lim = malloc(M * sizeof *f_lim);
    double *y = malloc(N * sizeof *y), *work = malloc(N * sizeof *work);
    double *trace = malloc((T + 1) * 6 * sizeof *trace); /* per step: losses, differences */
    size_t *idx = malloc(N * sizeof *idx), *all = malloc(M * sizeof *all);
    long snap[32];
    size_t nsnap = snapshots(s->steps, snap, 32);
    double *curves = malloc(nsnap * 3 * M * sizeof *curves); /* [snapshot][f_theta, f_kernel, f_limit][M] */
    setup(e, s, gamma, X, K);
    for (size_t m = 0; m < M; m++) target[m] = X[2 * m] * X[2 * m + 1], all[m] = m;

    /* the training points: N distinct of the M, drawn with data_seed, in increasing order */
    gsl_rng *r = ntk_exp_need(e, gsl_rng_alloc(gsl_rng_mt19937));
    gsl_rng_set(r, (unsigned long)s->data_seed);
    gsl_ran_choose(r, idx, N, all, M, sizeof *idx);
    gsl_rng_free(r);
    for (size_t i = 0; i < N; i++) y[i] = target[idx[i]];

    /* the model: features and theta_0 ~ N(0, I) from gd_seed (theta_0 from gd_seed + 1) */
    ntk_rf *rf = ntk_exp_need(e, ntk_rf_alloc(P, M));
    ntk_exp_ok(e, ntk_rf_sample(rf, K, (unsigned long)s->gd_seed));
    ntk_exp_ok(e, ntk_rf_kernel(rf, Kh));
    r = ntk_exp_need(e, gsl_rng_alloc(gsl_rng_mt19937));
    gsl_rng_set(r, (unsigned long)s->gd_seed + 1);
    for (size_t p = 0; p < P; p++) theta[p] = gsl_ran_gaussian_ziggurat(r, 1.0);
    gsl_rng_free(r);
    ntk_exp_ok(e, ntk_rf_eval(rf, theta, f_th));
    memcpy(f_k, f_th, M * sizeof *f_k);
    memcpy(f_lim, f_th, M * sizeof *f_lim);

    size_t next = 0;
    for (size_t k = 0; k <= T; k++) {
        double lt = 0.0, lk = 0.0, ll = 0.0, diff = 0.0, fbig = 0.0, dlim = 0.0;
        if (k > 0) ntk_exp_ok(e, ntk_rf_eval(rf, theta, f_th));
        for (size_t m = 0; m < M; m++) {
            diff = fmax(diff, fabs(f_th[m] - f_k[m]));
            dlim = fmax(dlim, fabs(f_k[m] - f_lim[m]));
            fbig = fmax(fbig, fabs(f_k[m]));
        }
        if (next < nsnap && (long)k == snap[next]) {
            memcpy(curves + (next * 3 + 0) * M, f_th, M * sizeof *f_th);
            memcpy(curves + (next * 3 + 1) * M, f_k, M * sizeof *f_k);
            memcpy(curves + (next * 3 + 2) * M, f_lim, M * sizeof *f_lim);
            next++;
        }
        /* the step from k to k + 1 (at k = T only the losses: lr 0 changes nothing) */
        double lr = k < T ? s->lr : 0.0;
        ntk_exp_ok(e, ntk_rf_gd_step(rf, theta, N, idx, y, lr, &lt));
        ntk_exp_ok(e, ntk_rf_kgd_step(M, Kh, N, idx, y, lr, f_k, work, &lk));
        ntk_exp_ok(e, ntk_rf_kgd_step(M, K, N, idx, y, lr, f_lim, work, &ll));
        double *row = trace + k * 6;
        row[0] = lt, row[1] = lk, row[2] = ll, row[3] = diff, row[4] = fbig, row[5] = dlim;
        ntk_exp_check_loss(e, "gradient descent on theta", k, lt, trace[0], s->lr);
        ntk_exp_check_loss(e, "kernel gradient descent with Khat", k, lk, trace[1], s->lr);
        ntk_exp_check_loss(e, "kernel gradient descent with K", k, ll, trace[2], s->lr);
    }

    /* the curves first, the run's own file last: its presence means both are complete */
    char snaps[512] = "";
    for (size_t q = 0; q < nsnap; q++)
        snprintf(snaps + strlen(snaps), sizeof snaps - strlen(snaps), "%s%ld", q ? "," : "", snap[q]);
    ntk_out *o = ntk_exp_run_file(e, "-curves");
    ntk_out_param(o, "snapshots", "%s", snaps);
    ntk_out_comment(o, "one data set per snapshot step; train = 1 on the training points");
    ntk_out_columns(o, "gamma target train f_theta f_kernel f_limit");
    for (size_t q = 0; q < nsnap; q++) {
        for (size_t m = 0; m < M; m++) {
            double tr = 0.0;
            for (size_t i = 0; i < N; i++) tr += idx[i] == m;
            const double *c = curves + q * 3 * M;
            ntk_out_row(o, 6, (double[]){gamma[m], target[m], tr, c[m], c[M + m], c[2 * M + m]});
        }
        if (q + 1 < nsnap) ntk_out_next_set(o);
    }
    o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "snapshots", "%s", snaps);
    ntk_out_comment(o, "loss_*: the cost 1/(2N) sum (f - y)^2 on the training points at step k");
    ntk_out_comment(o, "max_diff: max over the M points of |f_theta - f_kernel| (GD on theta vs kernel GD with Khat)");
    ntk_out_comment(o, "f_max: max |f_kernel|; limit_diff: max |f_kernel - f_limit| (kernel GD with Khat vs with K)");
    ntk_out_columns(o, "step t loss_theta loss_kernel loss_limit max_diff f_max limit_diff");
    for (size_t k = 0; k <= T; k++) {
        const double *row = trace + k * 6;
        ntk_out_row(o, 8, (double[]){(double)k, s->lr * (double)k, row[0], row[1], row[2], row[3], row[4], row[5]});
    }

    ntk_rf_free(rf);
    free(gamma), free(X), free(K), free(Kh), free(theta), free(target), free(f_th), free(f_k), free(f_lim);
    free(y), free(work), free(trace), free(idx), free(all), free(curves);
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const run_spec *r = run_;
    if (r->gd) run_gd(e, settings_);
    else run_P(e, settings_, r->P);
}

/* Writes seeds.dat, summary.dat, wick.dat, fit.dat, gd-trace.dat and gd-curves.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t M = (size_t)s->points, S = (size_t)s->seeds, NP = s->nP;
    double *dist = malloc(NP * S * sizeof *dist), *mean = malloc(NP * sizeof *mean), *sd = malloc(NP * sizeof *sd);
    double *Pd = malloc(NP * sizeof *Pd), *rms = malloc(NP * sizeof *rms);
    const size_t igd = e->nruns - 1; /* the P runs, then gd */
    for (size_t j = 0; j < NP; j++) {
        ntk_exp_check_run(e, j, S, "rel_dist");
        for (size_t q = 0; q < S; q++) dist[j * S + q] = ntk_table_get(&e->runs[j].table, q, "rel_dist");
        ntk_stats_mean_std(S, dist + j * S, &mean[j], &sd[j]);
        Pd[j] = (double)s->Ps[j];
    }
    ntk_exp_check_run(e, igd, (size_t)s->steps + 1, "max_diff f_max");
    const ntk_table *gd = &e->runs[igd].table;
    ntk_table gc;
    ntk_exp_read_side_file(e, igd, "-curves", &gc);

    double *gamma = malloc(M * sizeof *gamma), *X = malloc(2 * M * sizeof *X), *K = malloc(M * M * sizeof *K);
    setup(e, s, gamma, X, K);
    const double c = wick_const(M, K);
    double intercept, slope = ntk_stats_loglog_slope(NP, Pd, mean, &intercept);

    ntk_out *o = ntk_exp_open(e, "seeds.dat");
    ntk_out_comment(o, "rel_dist = |Khat - K|_F / |K|_F for each draw of the P features");
    ntk_out_columns(o, "P seed rel_dist");
    for (size_t j = 0; j < NP; j++)
        for (size_t q = 0; q < S; q++) ntk_out_row(o, 3, (double[]){Pd[j], (double)(q + 1), dist[j * S + q]});

    o = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(o, "rel_dist = |Khat - K|_F / |K|_F, mean and std over the seeds");
    ntk_out_param(o, "slope", "%.17g", slope);
    ntk_out_columns(o, "P rel_dist_mean rel_dist_std");
    for (size_t j = 0; j < NP; j++) ntk_out_row(o, 3, (double[]){Pd[j], mean[j], sd[j]});

    o = ntk_exp_open(e, "wick.dat");
    ntk_out_comment(o, "rel_dist_rms: root mean square of rel_dist over the seeds; wick_rms = sqrt(wick_c / P), its");
    ntk_out_comment(o, "exact expectation (the mean is smaller: 0.8 of the rms when one eigenvalue of K dominates)");
    ntk_out_columns(o, "P rel_dist_rms wick_rms");
    for (size_t j = 0; j < NP; j++) {
        double ms = 0.0;
        for (size_t q = 0; q < S; q++) ms += dist[j * S + q] * dist[j * S + q] / (double)S;
        rms[j] = sqrt(ms);
        ntk_out_row(o, 3, (double[]){Pd[j], rms[j], sqrt(c / Pd[j])});
    }

    o = ntk_exp_open(e, "fit.dat");
    ntk_out_comment(o, "least-squares fit log(rel_dist_mean) = slope log(P) + intercept over the Ps;");
    ntk_out_comment(o, "wick_c = ((tr K)^2 + |K|_F^2) / |K|_F^2: E rel_dist^2 = wick_c / P exactly");
    ntk_out_comment(o, "rms_slope: the same fit of the root mean square over the seeds (wick.dat)");
    ntk_out_columns(o, "slope intercept wick_c rms_slope");
    ntk_out_row(o, 4, (double[]){slope, intercept, c, ntk_stats_loglog_slope(NP, Pd, rms, NULL)});

    double worst = 0.0, worst_rel = 0.0;
    o = ntk_exp_open(e, "gd-trace.dat");
    ntk_out_comment(o, "per step: losses of GD on theta, kernel GD with Khat, kernel GD with K; max |f_theta - f_kernel|");
    ntk_out_comment(o, "over the M points, max |f_kernel|, and max |f_kernel - f_limit|");
    ntk_out_param(o, "snapshots", "%s", ntk_exp_run_str(e, igd, "snapshots"));
    for (size_t k = 0; k < gd->nrows; k++) {
        double d = ntk_table_get(gd, k, "max_diff");
        worst = fmax(worst, d);
        worst_rel = fmax(worst_rel, d / ntk_table_get(gd, k, "f_max"));
    }
    ntk_out_param(o, "max_diff", "%.17g", worst);
    ntk_out_param(o, "max_rel_diff", "%.17g", worst_rel);
    ntk_out_columns(o, "step t loss_theta loss_kernel loss_limit max_diff f_max limit_diff");
    for (size_t k = 0; k < gd->nrows; k++) ntk_out_row(o, 8, gd->v + k * gd->ncols);

    o = ntk_exp_open(e, "gd-curves.dat");
    ntk_out_param(o, "snapshots", "%s", ntk_exp_run_str(e, igd, "snapshots")); /* gd.dat's and its curves' */
    ntk_out_comment(o, "one data set per snapshot step; train = 1 on the training points");
    ntk_out_columns(o, "gamma target train f_theta f_kernel f_limit");
    for (size_t q = 0; q < gc.nsets; q++) {
        for (size_t k = q ? gc.set_end[q - 1] : 0; k < gc.set_end[q]; k++) ntk_out_row(o, 6, gc.v + k * gc.ncols);
        if (q + 1 < gc.nsets) ntk_out_next_set(o);
    }

    ntk_exp_note(e, "slope %.4f of the mean, %.4f of the rms (law of large numbers -1/2); GD on theta vs kernel GD:"
                 " max diff %.3g (%.3g relative)", slope, ntk_stats_loglog_slope(NP, Pd, rms, NULL), worst, worst_rel);
    ntk_table_free(&gc);
    free(dist), free(mean), free(sd), free(Pd), free(rms), free(gamma), free(X), free(K);
}

static const ntk_experiment random_features = {
    .name = "random-features",
    .summary = "Section 3.1: random features with covariance K. (i) the tangent kernel's\n"
               "distance to K against P; (ii) gradient descent on theta = kernel gradient\n"
               "descent with the tangent kernel.",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.064, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&random_features, argc, argv); }
