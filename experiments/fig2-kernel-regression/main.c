/* fig2-kernel-regression - the paper's Figure 2: after long training on 4 points of the
 * unit circle, networks of width 50 and 1000 are distributed like the limiting Gaussian
 * f_inf ~ N(m(x), v(x)) of kernel regression with Theta(L) and Sigma(L).
 *
 * For each width n and seed: a depth-4 relu network (n0 = 2, beta = 0.1) is
 * initialised and trained by full-batch gradient descent (lr 1.0) on the 4 training
 * points; its function f(x) on a grid of the circle is written. One more run ("ref")
 * measures the empirical NTK and NNGP kernels of one wide network, as the paper did.
 * The summary computes the 10th, 50th and 90th percentiles of the limiting Gaussian
 * (kla.h) twice, with the analytic kernels (limit.h) and with the measured ones, and
 * counts how many network values fall inside the analytic band.
 * See README.md beside this file for the method, settings and results.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "entk.h"
#include "experiment.h"
#include "kla.h"
#include "limit.h"
#include "net.h"
#include "progress.h"
#include "stats.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key        smoke             default           paper             meaning */
    {"widths",    "20,50",          "50,1000",        "50,1000",        "hidden widths n (all hidden layers)"},
    {"seeds",     "2",              "10",             "10",             "independent initialisations per width (seeds 1..S)"},
    {"depth",     "4",              "4",              "4",              "L, the number of weight matrices"},
    {"beta",      "0.1",            "0.1",            "0.1",            "bias scale"},
    {"nonlin",    "relu",           "relu",           "relu",           "nonlinearity"},
    {"angles",    "-160,-75,20,100", "-160,-75,20,100", "-160,-75,20,100", "training inputs (cos g, sin g): angles g in degrees (not given in the paper)"},
    {"targets",   "x1x2",           "x1x2",           "x1x2",           "their targets: 'x1x2' for f*(x) = x1 x2, or one number per angle"},
    {"steps",     "200",            "1000",           "1000",           "gradient steps"},
    {"lr",        "1.0",            "1.0",            "1.0",            "learning rate (t = lr x steps)"},
    {"grid",      "37",             "361",            "361",            "points gamma in [-pi, pi] on the unit circle"},
    {"ref_width", "200",            "10000",          "10000",          "width of the one network whose kernels stand in for Theta(L), Sigma(L)"},
    {"ref_seed",  "1000",           "1000",           "1000",           "seed of that network"},
    {"precision", "double", "double", "double", "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])
#define MAXPTS 16
#define CHUNK 64 /* grid points per forward pass */
static const double levels[3] = {0.1, 0.5, 0.9}; /* the percentiles the paper plots */

typedef struct {
    long widths[16];
    size_t nwidths, npts;
    long seeds, depth, steps, grid, ref_width, ref_seed;
    double beta, lr, angles[MAXPTS], targets[MAXPTS];
    const ntk_nonlin *sigma;
    ntk_precision precision;
} settings;

/* A comma-separated list of 1..maxn finite numbers in [min, max] (ends with status 2). */
static size_t read_doubles(const ntk_exp *e, const char *key, double min, double max, size_t maxn, double *out)
{
    const char *s = ntk_exp_str(e, key), *q = s;
    size_t n = 0;
    for (;;) {
        char *end;
        errno = 0;
        double v = strtod(q, &end);
        if (end == q || errno || !isfinite(v) || v < min || v > max || (*end && *end != ',') || n == maxn)
            ntk_exp_die(e, 2, "parameter %s: '%s' is not a comma-separated list of at most %zu numbers in [%g, %g]",
                        key, s, maxn, min, max);
        out[n++] = v;
        if (!*end) return n;
        q = end + 1;
    }
}

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nwidths = ntk_exp_longs(e, "widths", 1, 20000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 1, 1000);
    s->depth = ntk_exp_long(e, "depth", 2, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->steps = ntk_exp_long(e, "steps", 0, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-12, 1e6);
    s->grid = ntk_exp_long(e, "grid", 3, 100000);
    s->ref_width = ntk_exp_long(e, "ref_width", 1, 20000);
    s->ref_seed = ntk_exp_long(e, "ref_seed", 0, 1L << 30);
    s->sigma = ntk_exp_nonlin(e, "nonlin");
    s->npts = read_doubles(e, "angles", -180.0, 180.0, MAXPTS, s->angles);
    for (size_t i = 0; i < s->npts; i++)
        for (size_t j = 0; j < i; j++)
            if (fabs(remainder(s->angles[i] - s->angles[j], 360.0)) < 1e-6)
                ntk_exp_die(e, 2, "parameter angles: %g and %g are the same point of the circle", s->angles[j], s->angles[i]);
    for (size_t i = 0; i < s->npts; i++) s->angles[i] *= M_PI / 180.0; /* radians from here on */
    if (strcmp(ntk_exp_str(e, "targets"), "x1x2") == 0) {
        for (size_t i = 0; i < s->npts; i++) s->targets[i] = cos(s->angles[i]) * sin(s->angles[i]);
    } else if (read_doubles(e, "targets", -1e6, 1e6, MAXPTS, s->targets) != s->npts) {
        ntk_exp_die(e, 2, "parameter targets: give 'x1x2' or exactly %zu numbers, one per angle", s->npts);
    }
    s->precision = ntk_exp_precision(e, "precision");
}

static ntk_net *make_net(const ntk_exp *e, const settings *s, long width, long seed)
{
    ntk_net *net = ntk_exp_net(e, 2, s->depth, width, s->beta, s->sigma, s->precision);
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)seed));
    return net;
}

/* The runs: "ref", then one per width and seed (w: the width's index). */
typedef struct {
    int ref;
    size_t w;
    long width, seed;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    ntk_exp_add_run(e, &(run_spec){1, 0, s->ref_width, s->ref_seed}, "ref");
    for (size_t w = 0; w < s->nwidths; w++)
        for (long q = 1; q <= s->seeds; q++) ntk_exp_add_run(e, &(run_spec){0, w, s->widths[w], q}, "w%ld-s%ld", s->widths[w], q);
}

/* Floating-point work: a training run (steps on N points, one grid evaluation), or the
 * reference run (Theta(X,X), Theta(grid,X), and three NNGP products). */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    size_t *n = ntk_exp_widths(e, 2, s->depth, r->width);
    double P = (double)ntk_net_count_params((size_t)s->depth, n), N = (double)s->npts, M = (double)s->grid;
    free(n);
    size_t cap = (size_t)s->npts > CHUNK ? (size_t)s->npts : CHUNK;
    ntk_exp_cost c = {.memory = ntk_exp_net_memory(e, 2, s->depth, r->width, cap + CHUNK) + 24.0 * M * N,
                      .disk = ntk_exp_file_bytes(M, 2.0 + 2.0 * N)};
    if (r->ref)
        c.flops = (6.0 * N * (1.0 + ceil(M / CHUNK)) + 8.0 * M) * P + 2.0 * M * CHUNK * (double)r->width;
    else
        c.flops = (double)s->steps * 6.0 * N * P + 2.0 * M * P;
    return c;
}

static void train_run(const ntk_exp *e, const settings *s, long width, long seed)
{
    const size_t M = (size_t)s->grid, N = s->npts;
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid), *f = malloc(M * sizeof *f);
    double X[2 * MAXPTS], loss0;
    ntk_data_circle(M, gamma, grid);
    ntk_data_circle_at(N, s->angles, X);

    ntk_net *net = make_net(e, s, width, seed);
    ntk_batch *b = ntk_exp_need(e, ntk_batch_alloc(net, N > CHUNK ? N : CHUNK));
    double lossT = ntk_exp_train(e, net, b, X, s->targets, N, s->steps, s->lr, NULL, &loss0);
    /* f on the grid */
    for (size_t i0 = 0; i0 < M; i0 += CHUNK)
        ntk_exp_ok(e, ntk_net_eval(net, b, grid + 2 * i0, M - i0 < CHUNK ? M - i0 : CHUNK, f + i0));

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", width);
    ntk_out_param(o, "seed", "%ld", seed);
    ntk_out_param(o, "t", "%.17g", s->lr * (double)s->steps);
    ntk_out_param(o, "loss_0", "%.17g", loss0);
    ntk_out_param(o, "loss_T", "%.17g", lossT);
    ntk_out_columns(o, "gamma f");
    for (size_t k = 0; k < M; k++) ntk_out_row(o, 2, (double[]){gamma[k], f[k]});

    ntk_batch_free(b);
    ntk_net_free(net);
    free(gamma), free(grid), free(f);
}

/* The kernels of one wide network: data set 0 has a row per training input, data set 1
 * a row per grid point; each row holds Sigma(x,x) and Theta(x,x_j), Sigma(x,x_j) for
 * the training inputs x_j. */
static void ref_run(const ntk_exp *e, const settings *s)
{
    const size_t M = (size_t)s->grid, N = s->npts;
    double *gamma = malloc(M * sizeof *gamma), *grid = malloc(2 * M * sizeof *grid);
    double *thG = malloc(M * N * sizeof *thG), *sgG = malloc(M * N * sizeof *sgG), *sgxx = malloc(M * sizeof *sgxx);
    double X[2 * MAXPTS], thX[MAXPTS * MAXPTS], sgX[MAXPTS * MAXPTS], row[2 + 2 * MAXPTS], S[CHUNK * CHUNK];
    ntk_data_circle(M, gamma, grid);
    ntk_data_circle_at(N, s->angles, X);

    /* the grid goes through in blocks of CHUNK points, so memory stays that of the net */
    const size_t nchunks = (M + CHUNK - 1) / CHUNK;
    ntk_progress p;
    char label[NTK_EXP_ID_MAX + 64];
    snprintf(label, sizeof label, "%s ref: kernels", e->name);
    ntk_progress_start(&p, label, 1.0 + (double)nchunks);
    ntk_net *net = make_net(e, s, s->ref_width, s->ref_seed);
    ntk_batch *bX = ntk_exp_need(e, ntk_batch_alloc(net, N)), *bG = ntk_exp_need(e, ntk_batch_alloc(net, CHUNK));
    ntk_exp_ok(e, ntk_entk_gram(net, bX, X, N, thX));
    ntk_exp_ok(e, ntk_entk_nngp_cross(net, bX, X, N, bX, X, N, sgX));
    ntk_progress_update(&p, 1.0);
    for (size_t c = 0; c < nchunks; c++) {
        const size_t i0 = c * CHUNK, m = M - i0 < CHUNK ? M - i0 : CHUNK;
        const double *G = grid + 2 * i0;
        ntk_exp_ok(e, ntk_entk_cross(net, bG, G, m, bX, X, N, thG + i0 * N));
        ntk_exp_ok(e, ntk_entk_nngp_cross(net, bG, G, m, bX, X, N, sgG + i0 * N));
        ntk_exp_ok(e, ntk_entk_nngp_cross(net, bG, G, m, bG, G, m, S)); /* Sigma(x,x): its diagonal */
        for (size_t i = 0; i < m; i++) sgxx[i0 + i] = S[i * m + i];
        ntk_progress_update(&p, 2.0 + (double)c);
    }
    ntk_progress_end(&p);

    char cols[1024] = "gamma sigma_xx";
    for (size_t j = 0; j < N; j++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), " theta_%zu", j + 1);
    for (size_t j = 0; j < N; j++) snprintf(cols + strlen(cols), sizeof cols - strlen(cols), " sigma_%zu", j + 1);
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", s->ref_width);
    ntk_out_param(o, "seed", "%ld", s->ref_seed);
    ntk_out_comment(o, "empirical NTK Theta(x, x_j) and NNGP Sigma(x, x_j) of one network, x_j the training inputs");
    ntk_out_comment(o, "data set 0: x = the training inputs; data set 1: x = the grid points");
    ntk_out_columns(o, cols);
    for (int set = 0; set < 2; set++) {
        for (size_t i = 0; i < (set ? M : N); i++) {
            row[0] = set ? gamma[i] : s->angles[i];
            row[1] = set ? sgxx[i] : sgX[i * N + i];
            for (size_t j = 0; j < N; j++) {
                row[2 + j] = set ? thG[i * N + j] : thX[i * N + j];
                row[2 + N + j] = set ? sgG[i * N + j] : sgX[i * N + j];
            }
            ntk_out_row(o, 2 + 2 * N, row);
        }
        if (!set) ntk_out_next_set(o);
    }

    ntk_batch_free(bX), ntk_batch_free(bG);
    ntk_net_free(net);
    free(gamma), free(grid), free(thG), free(sgG), free(sgxx);
}

/* The kernels on the data (training inputs X, grid points G). */
typedef struct {
    double thX[MAXPTS * MAXPTS], sgX[MAXPTS * MAXPTS]; /* N x N */
    double *thG, *sgG, *sgxx;                          /* M x N, M x N, M */
    double *mean, *var;                                /* M: the limiting Gaussian */
} kernels;

static void kernels_alloc(kernels *k, size_t M, size_t N)
{
    k->thG = malloc(M * N * sizeof *k->thG), k->sgG = malloc(M * N * sizeof *k->sgG);
    k->sgxx = malloc(M * sizeof *k->sgxx), k->mean = malloc(M * sizeof *k->mean), k->var = malloc(M * sizeof *k->var);
}

static void kernels_free(kernels *k) { free(k->thG), free(k->sgG), free(k->sgxx), free(k->mean), free(k->var); }

/* The analytic Theta(L), Sigma(L) (limit.h). */
static void analytic_kernels(const ntk_exp *e, const settings *s, const double *G, const double *X, kernels *k)
{
    const size_t M = (size_t)s->grid, N = s->npts, L = (size_t)s->depth;
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    ntk_exp_ok(e, ntk_limit_gram(s->sigma, L, s->beta, X, N, 2, lw, k->sgX, k->thX));
    ntk_exp_ok(e, ntk_limit_cross(s->sigma, L, s->beta, G, M, X, N, 2, lw, k->sgG, k->thG));
    for (size_t i = 0; i < M; i++) {
        double th;
        ntk_exp_ok(e, ntk_limit_pair(s->sigma, L, s->beta, G + 2 * i, G + 2 * i, 2, lw, &k->sgxx[i], &th));
    }
    ntk_limit_free(lw);
}

/* The measured kernels of run i (ref), checked against this configuration. */
static void empirical_kernels(const ntk_exp *e, const settings *s, size_t i, const double *gamma, kernels *k)
{
    const size_t M = (size_t)s->grid, N = s->npts;
    const char *path = e->runs[i].path;
    const ntk_table t = e->runs[i].table;
    char c[32];
    if (t.nsets != 2 || t.set_end[0] != N || t.nrows != N + M || t.ncols != 2 + 2 * N)
        ntk_exp_die(e, 1, "%s: not %zu training and %zu grid rows of %zu columns: rerun it", path, N, M, 2 + 2 * N);
    for (size_t r = 0; r < N + M; r++) {
        double g = r < N ? s->angles[r] : gamma[r - N];
        if (fabs(ntk_table_get(&t, r, "gamma") - g) > 1e-12)
            ntk_exp_die(e, 1, "%s: row %zu is for gamma = %g, expected %g: rerun it", path, r, ntk_table_get(&t, r, "gamma"), g);
        for (size_t j = 0; j < N; j++) {
            snprintf(c, sizeof c, "theta_%zu", j + 1);
            double th = ntk_table_get(&t, r, c);
            snprintf(c, sizeof c, "sigma_%zu", j + 1);
            double sg = ntk_table_get(&t, r, c);
            if (r < N) k->thX[r * N + j] = th, k->sgX[r * N + j] = sg;
            else k->thG[(r - N) * N + j] = th, k->sgG[(r - N) * N + j] = sg;
        }
        if (r >= N) k->sgxx[r - N] = ntk_table_get(&t, r, "sigma_xx");
    }
}

/* The limiting Gaussian at t = infinity and its percentiles, into NAME.dat. */
static void write_band(const ntk_exp *e, const settings *s, const double *gamma, kernels *k, const char *name,
                       const char *what)
{
    const size_t M = (size_t)s->grid, N = s->npts;
    double lam[MAXPTS], vec[MAXPTS * MAXPTS], T = s->lr * (double)s->steps;
    ntk_exp_ok(e, ntk_kla_gp_limit(N, k->thX, k->sgX, s->targets, M, k->thG, k->sgG, k->sgxx, INFINITY, k->mean, k->var));
    ntk_exp_ok(e, ntk_kla_eig_sym(N, k->thX, lam, vec));
    ntk_out *o = ntk_exp_open(e, name);
    ntk_out_comment(o, "percentiles of f_inf(x) ~ N(mean, sd^2), x = (cos gamma, sin gamma), with %s", what);
    ntk_out_param(o, "lambda_min", "%.17g", lam[N - 1] / (double)N);
    ntk_out_comment(o, "lambda_min: the slowest rate, smallest eigenvalue of Theta(X,X)/N; exp(-T lambda_min) = %.3g at T = %g",
                    exp(-T * lam[N - 1] / (double)N), T);
    ntk_out_columns(o, "gamma p10 p50 p90 sd");
    for (size_t i = 0; i < M; i++) {
        double row[5] = {gamma[i], 0, 0, 0, sqrt(k->var[i])};
        for (int q = 0; q < 3; q++) row[1 + q] = ntk_stats_normal_quantile(k->mean[i], k->var[i], levels[q]);
        ntk_out_row(o, 5, row);
    }
}

/* Writes limit.dat, limit-empirical.dat, points.dat, curves-wN.dat (one data set per
 * seed), summary.dat, details.dat and reference.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t M = (size_t)s->grid, N = s->npts, S = (size_t)s->seeds;
    size_t ref = 0, *at = malloc(s->nwidths * S * sizeof *at); /* run index of (width, seed) */
    for (size_t i = 0; i < e->nruns; i++) {
        const run_spec *r = e->runs[i].spec;
        if (r->ref) {
            ref = i;
        } else {
            ntk_exp_check_run(e, i, M, "f");
            at[r->w * S + (size_t)r->seed - 1] = i;
        }
    }
    double *gamma = malloc(M * sizeof *gamma), *G = malloc(2 * M * sizeof *G), X[2 * MAXPTS];
    ntk_data_circle(M, gamma, G);
    ntk_data_circle_at(N, s->angles, X);
    kernels an, em;
    kernels_alloc(&an, M, N), kernels_alloc(&em, M, N);
    analytic_kernels(e, s, G, X, &an);
    empirical_kernels(e, s, ref, gamma, &em);
    write_band(e, s, gamma, &an, "limit.dat", "the analytic Theta(L), Sigma(L)");
    char what[96];
    snprintf(what, sizeof what, "the kernels of one width-%ld network (seed %ld)", s->ref_width, s->ref_seed);
    write_band(e, s, gamma, &em, "limit-empirical.dat", what);

    ntk_out *o = ntk_exp_open(e, "points.dat");
    ntk_out_columns(o, "gamma x1 x2 y");
    for (size_t i = 0; i < N; i++) ntk_out_row(o, 4, (double[]){s->angles[i], X[2 * i], X[2 * i + 1], s->targets[i]});

    /* how far the width-ref kernels and their Gaussian are from the analytic ones */
    double *sd_an = malloc(M * sizeof *sd_an), *sd_em = malloc(M * sizeof *sd_em), sd_mean = 0.0, sd_max = 0.0;
    for (size_t i = 0; i < M; i++) {
        sd_an[i] = sqrt(an.var[i]), sd_em[i] = sqrt(em.var[i]);
        sd_mean += sd_an[i] / (double)M, sd_max = fmax(sd_max, sd_an[i]);
    }
    o = ntk_exp_open(e, "reference.dat");
    ntk_out_comment(o, "relative L2 distances over the grid, width-ref network against the analytic limit:");
    ntk_out_comment(o, "Theta(x, X) and Sigma(x, X) (all M x N values), Sigma(x, x), the Gaussian's mean and sd");
    ntk_out_columns(o, "ref_width theta_rel_dist sigma_rel_dist sigma_xx_rel_dist mean_rel_dist sd_rel_dist");
    ntk_out_row(o, 6, (double[]){(double)s->ref_width, ntk_stats_rel_l2_dist(M * N, em.thG, an.thG),
                                 ntk_stats_rel_l2_dist(M * N, em.sgG, an.sgG), ntk_stats_rel_l2_dist(M, em.sgxx, an.sgxx),
                                 ntk_stats_rel_l2_dist(M, em.mean, an.mean), ntk_stats_rel_l2_dist(M, sd_em, sd_an)});

    ntk_out *sum = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(sum, "band_fraction: share of (network, grid point) values f(x) inside the analytic 10th-90th percentile band");
    ntk_out_comment(sum, "mean_abs_dev: mean over the grid of |mean over seeds of f(x) - m(x)|, m the analytic limiting mean");
    ntk_out_columns(sum, "width band_fraction mean_abs_dev");
    ntk_out *det = ntk_exp_open(e, "details.dat");
    ntk_out_comment(det, "below_p10, above_p90: shares below and above the analytic band (0.1 each for an exact match)");
    ntk_out_comment(det, "band_fraction_se: standard error of band_fraction, sd over the networks of their own fraction / sqrt(S)");
    ntk_out_comment(det, "band_fraction_off_data: band_fraction without the grid points where the band has no width");
    ntk_out_comment(det, "  (limiting sd below 1e-6 of its largest value: the training inputs, if they lie on the grid)");
    ntk_out_comment(det, "expected_mad: the mean_abs_dev that S exact draws from the limit give on average, sqrt(2/pi) sd(x)/sqrt(S)");
    ntk_out_comment(det, "sd_ratio: RMS over the grid of the seeds' sd of f(x), over the RMS of the limiting sd(x)");
    ntk_out_comment(det, "*_emp: band_fraction and mean_abs_dev against the Gaussian of the width-ref kernels");
    ntk_out_comment(det, "loss_0, loss_T: training loss before and after, mean over seeds");
    ntk_out_columns(det, "width below_p10 above_p90 band_fraction_se band_fraction_off_data expected_mad sd_ratio band_fraction_emp "
                         "mean_abs_dev_emp loss_0 loss_T");
    double *F = malloc(S * M * sizeof *F), l0[S], lT[S];
    for (size_t w = 0; w < s->nwidths; w++) {
        char rel[64];
        snprintf(rel, sizeof rel, "curves-w%ld.dat", s->widths[w]);
        ntk_out *c = ntk_exp_open(e, rel);
        ntk_out_param(c, "width", "%ld", s->widths[w]);
        ntk_out_comment(c, "f(x) after training, x = (cos gamma, sin gamma); one data set per seed (gnuplot index = seed - 1)");
        ntk_out_columns(c, "gamma f");
        for (size_t q = 0; q < S; q++) {
            const size_t r = at[w * S + q];
            for (size_t i = 0; i < M; i++) {
                F[q * M + i] = ntk_table_get(&e->runs[r].table, i, "f");
                ntk_out_row(c, 2, (double[]){gamma[i], F[q * M + i]});
            }
            if (q + 1 < S) ntk_out_next_set(c);
            l0[q] = ntk_exp_run_double(e, r, "loss_0"), lT[q] = ntk_exp_run_double(e, r, "loss_T");
        }

        double below, above, var_f = 0.0, var_lim = 0.0, col[S], sd, lm0, lmT, fsd;
        double frac = ntk_stats_band_fraction(S, M, F, an.mean, an.var, levels[0], levels[2], -1.0, &below, &above);
        for (size_t q = 0; q < S; q++)
            col[q] = ntk_stats_band_fraction(1, M, F + q * M, an.mean, an.var, levels[0], levels[2], -1.0, NULL, NULL);
        ntk_stats_mean_std(S, col, NULL, &fsd);
        for (size_t i = 0; i < M; i++) {
            for (size_t q = 0; q < S; q++) col[q] = F[q * M + i];
            ntk_stats_mean_std(S, col, NULL, &sd);
            var_f += sd * sd, var_lim += an.var[i];
        }
        ntk_stats_mean_std(S, l0, &lm0, NULL);
        ntk_stats_mean_std(S, lT, &lmT, NULL);
        ntk_out_row(sum, 3, (double[]){(double)s->widths[w], frac, ntk_stats_mean_abs_dev(S, M, F, an.mean)});
        ntk_out_row(det, 11, (double[]){(double)s->widths[w], below, above, fsd / sqrt((double)S),
                                        ntk_stats_band_fraction(S, M, F, an.mean, an.var, levels[0], levels[2], 1e-6 * sd_max, NULL, NULL),
                                        sqrt(2.0 / M_PI) * sd_mean / sqrt((double)S), sqrt(var_f / var_lim),
                                        ntk_stats_band_fraction(S, M, F, em.mean, em.var, levels[0], levels[2], -1.0, NULL, NULL),
                                        ntk_stats_mean_abs_dev(S, M, F, em.mean), lm0, lmT});
    }
    kernels_free(&an), kernels_free(&em);
    free(at), free(F), free(gamma), free(G), free(sd_an), free(sd_em);
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const run_spec *r = run_;
    if (r->ref) ref_run(e, settings_);
    else train_run(e, settings_, r->width, r->seed);
}

static const ntk_experiment fig2 = {
    .name = "fig2",
    .summary = "Figure 2: depth-4 relu networks of two widths trained on 4 points of the circle,\n"
               "against the percentiles of the limiting Gaussian of kernel regression with the\n"
               "NTK.",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.19, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&fig2, argc, argv); }
