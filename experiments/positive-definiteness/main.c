/* positive-definiteness - Proposition 2: on the unit sphere the limiting NTK Theta(L)
 * is positive definite for L >= 2 and a non-polynomial sigma.
 *
 * One run per (nonlinearity, n0, depth L): the Gram matrix Theta(L)(x_i, x_j) of N
 * points of the unit sphere of R^n0 (limit.h), and its eigenvalues (kla.h). For
 * n0 = 2 the points are equally spaced on the circle (the Gram matrix is then
 * circulant); for n0 = 3 they are drawn uniformly on the sphere (data.h). The summary
 * decides, for every Gram matrix, whether its smallest eigenvalue is positive or zero
 * at rounding level: |min_eig| <= c N eps max_eig. See README.md beside this file.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "experiment.h"
#include "kla.h"
#include "limit.h"
#include "progress.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key          smoke                        default                        paper          meaning */
    {"nonlins",     "relu,erf,tanh,identity,square", "relu,erf,tanh,gelu,identity,square", "all", "comma-separated nonlinearities, or all (the whole table)"},
    {"depths",      "1,2,3",                    "1,2,3,4,5,6",                   "1,2,3,4,5,6", "depths L (number of weight matrices), one run each"},
    {"n0s",         "2,3",                      "2,3",                           "2,3",         "input dimensions: points on the circle (2), on the sphere (3)"},
    {"points",      "6,30",                     "24,200",                        "24,200,400",  "N, numbers of points (one run each; quadrature cost ~ N^2 L)"},
    {"beta",        "0.1",                      "0.1",                           "0.1",         "bias scale"},
    {"seed",        "7",                        "7",                             "7",           "seed of the random points on the sphere (n0 = 3)"},
    {"tol_c",       "10",                       "10",                            "10",          "c in the rounding level c N eps max_eig"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

typedef struct {
    const ntk_nonlin *sig[32];
    size_t nsig, ndepths, nn0, npoints;
    long depths[16], n0s[4], points[8], seed;
    double beta, tol_c;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nsig = ntk_exp_nonlins(e, "nonlins", s->sig, 32);
    s->ndepths = ntk_exp_longs(e, "depths", 1, 20, 16, s->depths);
    s->nn0 = ntk_exp_longs(e, "n0s", 2, 3, 4, s->n0s);
    s->npoints = ntk_exp_longs(e, "points", 2, 5000, 8, s->points);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->seed = ntk_exp_long(e, "seed", 0, 1L << 30);
    s->tol_c = ntk_exp_double(e, "tol_c", 0.0, 1e12);
}

/* N points on the unit sphere of R^n0 into X (N x n0). */
static void make_points(const settings *s, size_t N, long n0, double *X)
{
    if (n0 == 2) {
        double *g = malloc(N * sizeof *g);
        for (size_t k = 0; k < N; k++) g[k] = 2.0 * M_PI * (double)k / (double)N;
        ntk_data_circle_at(N, g, X);
        free(g);
    } else {
        ntk_data_sphere((unsigned long)s->seed, N, (size_t)n0, X);
    }
}

/* One run: a nonlinearity, an input dimension n0, a depth L and a number of points N
 * (i, a, d, p: their indices in the settings). */
typedef struct {
    size_t i, a, d, p;
    const ntk_nonlin *sig;
    long n0, L;
    size_t N;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t i = 0; i < s->nsig; i++)
        for (size_t a = 0; a < s->nn0; a++)
            for (size_t d = 0; d < s->ndepths; d++)
                for (size_t p = 0; p < s->npoints; p++) {
                    run_spec r = {i, a, d, p, s->sig[i], s->n0s[a], s->depths[d], (size_t)s->points[p]};
                    ntk_exp_add_run(e, &r, "%s-n%ld-L%ld-N%zu", r.sig->name, r.n0, r.L, r.N);
                }
}

/* Expected time: a Gram matrix costs about N^2 / 2 pairs x (L - 1) layers of Gaussian
 * expectations at QUAD_PRICE seconds each on the reference machine (calibrated:
 * REPRODUCE.md); closed forms count as free. Memory: the Gram matrix, its eigenvectors
 * and the points. */
#define QUAD_PRICE 6e-7
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    (void)e;
    (void)settings_;
    const run_spec *r = run_;
    double N = (double)r->N, pairs = N * (N + 1.0) / 2.0;
    ntk_exp_cost c = {.memory = 8.0 * (2.0 * N * N + N * (double)r->n0 + N), .disk = ntk_exp_file_bytes(N, 2.0)};
    if (r->sig->closed == NTK_CLOSED_NONE) c.seconds = QUAD_PRICE * pairs * (double)(r->L - 1);
    return c;
}

/* The Gram matrix Theta(L) on N points of the sphere of R^n0 and its eigenvalues. A
 * failure of the limit (the quadrature not reaching its tolerance) is recorded in the
 * file (`error`, NaN eigenvalues) rather than ending the pipeline: the summary
 * reports it. */
static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    const ntk_nonlin *sig = r->sig;
    const long n0 = r->n0, L = r->L;
    const size_t N = r->N;
    double *X = malloc(N * (size_t)n0 * sizeof *X);                           /* N x n0 */
    double *K = malloc(N * N * sizeof *K), *V = malloc(N * N * sizeof *V);    /* N x N */
    double *ev = malloc(N * sizeof *ev);
    make_points(s, N, n0, X);

    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    double t0 = ntk_progress_now();
    int status = ntk_limit_gram(sig, (size_t)L, s->beta, X, N, (size_t)n0, lw, NULL, K);
    double gram_secs = ntk_progress_now() - t0;
    char err[512] = "none";
    ntk_limit_free(lw);
    if (status) {
        snprintf(err, sizeof err, "%s", ntk_last_error());
        ntk_exp_note(e, "%s: the limit failed, recorded as NaN: %s", e->run->id, err);
        for (size_t k = 0; k < N; k++) ev[k] = NAN;
    } else {
        ntk_exp_ok(e, ntk_kla_eig_sym(N, K, ev, V)); /* decreasing */
    }

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "nonlin", "%s", sig->name);
    ntk_out_param(o, "path", "%s", sig->closed == NTK_CLOSED_NONE ? "quadrature" : "closed");
    ntk_out_param(o, "n0", "%ld", n0);
    ntk_out_param(o, "depth", "%ld", L);
    ntk_out_param(o, "points", "%zu", N);
    ntk_out_param(o, "gram_seconds", "%.3f", gram_secs);
    ntk_out_param(o, "error", "%s", err);
    ntk_out_comment(o, "eigenvalues of the Gram matrix Theta(L)(x_i, x_j), decreasing");
    ntk_out_columns(o, "k eigenvalue");
    for (size_t k = 0; k < N; k++) ntk_out_row(o, 2, (double[]){(double)(k + 1), ev[k]});
    free(X), free(K), free(V), free(ev);
}

/* Writes summary.dat, ratio.dat (the verdicts) and spectra.dat: one data set of
 * ratio.dat per (nonlinearity, n0, points), its rows by depth. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t ND = s->ndepths, NP = s->npoints, NN0 = s->nn0;
    size_t *at = malloc(s->nsig * NN0 * NP * ND * sizeof *at); /* run index of (i, a, p, d) */
    for (size_t k = 0; k < e->nruns; k++) {
        const run_spec *r = e->runs[k].spec;
        ntk_exp_check_run(e, k, r->N, "eigenvalue");
        at[((r->i * NN0 + r->a) * NP + r->p) * ND + r->d] = k;
    }
    ntk_out *sum = ntk_exp_open(e, "summary.dat");
    ntk_out_comment(sum, "min_eig: smallest eigenvalue of the Gram matrix of Theta(L) on `points` points of the unit sphere of R^n0");
    ntk_out_comment(sum, "NaN: the limit failed (see the run's `error` line)");
    ntk_out_columns(sum, "nonlin depth n0 points min_eig");
    ntk_out *rat = ntk_exp_open(e, "ratio.dat");
    ntk_out_comment(rat, "ratio = min_eig / max_eig; tol = c N eps (c = tol_c, eps = DBL_EPSILON): the rounding level of ratio");
    ntk_out_comment(rat, "verdict: 1 = positive definite (ratio > tol), 0 = numerically singular (|ratio| <= tol), -1 = negative (ratio < -tol)");
    ntk_out_comment(rat, "rank_bound: rank bound when Theta(L) is a polynomial in x.x' (L = 1, identity, square), 0 otherwise");
    ntk_out_comment(rat, "closed: 1 closed form, 0 quadrature; one data set per (nonlin, n0, points), rows by depth");
    ntk_out_columns(rat, "nonlin depth n0 points min_eig max_eig ratio tol verdict rank_bound closed gram_seconds");
    ntk_out *spec = ntk_exp_open(e, "spectra.dat");
    ntk_out_comment(spec, "|eigenvalue k| / max eigenvalue, one data set per (nonlin, n0, points, depth) in the order of ratio.dat");
    ntk_out_columns(spec, "k rel_eig");
    int first = 1, first_spec = 1;
    for (size_t i = 0; i < s->nsig; i++)
        for (size_t a = 0; a < NN0; a++)
            for (size_t p = 0; p < NP; p++) {
                if (!first) ntk_out_next_set(rat);
                first = 0;
                for (size_t d = 0; d < ND; d++) {
                    const size_t k = at[((i * NN0 + a) * NP + p) * ND + d];
                    const run_spec *r = e->runs[k].spec;
                    const ntk_table *t = &e->runs[k].table;
                    const size_t N = r->N;
                    const char *err = ntk_exp_run_str(e, k, "error");
                    if (strcmp(err, "none") != 0) ntk_exp_note(e, "%s: the limit failed: %s", e->runs[k].id, err);
                    double mx = ntk_table_get(t, 0, "eigenvalue"), mn = ntk_table_get(t, N - 1, "eigenvalue");
                    double ratio = mn / mx, tol = s->tol_c * (double)N * DBL_EPSILON;
                    double verdict = isnan(ratio) ? NAN : ratio > tol ? 1.0 : ratio < -tol ? -1.0 : 0.0;
                    ntk_out_row_labelled(sum, r->sig->name, 4, (double[]){(double)r->L, (double)r->n0, (double)N, mn});
                    ntk_out_row_labelled(rat, r->sig->name, 11,
                                         (double[]){(double)r->L, (double)r->n0, (double)N, mn, mx, ratio, tol, verdict,
                                                    ntk_limit_rank_bound(r->sig, (size_t)r->L, (size_t)r->n0), r->sig->closed != NTK_CLOSED_NONE,
                                                    ntk_exp_run_double(e, k, "gram_seconds")});
                    if (!first_spec) ntk_out_next_set(spec);
                    first_spec = 0;
                    for (size_t j = 0; j < N; j++)
                        ntk_out_row(spec, 2, (double[]){(double)(j + 1), fabs(ntk_table_get(t, j, "eigenvalue")) / mx});
                }
            }
    free(at);
}

static const ntk_experiment positive_definiteness = {
    .name = "positive-definiteness",
    .summary = "Proposition 2: the smallest eigenvalue of the limiting NTK Gram matrix on the\n"
               "sphere, against depth, for polynomial and non-polynomial nonlinearities.",
    .params = defs,
    .nparams = NDEFS,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&positive_definiteness, argc, argv); }
