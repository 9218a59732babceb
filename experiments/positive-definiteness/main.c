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

static void read_settings(const ntk_exp *e, settings *s)
{
    s->nsig = ntk_exp_nonlins(e, "nonlins", s->sig, 32);
    s->ndepths = ntk_exp_longs(e, "depths", 1, 20, 16, s->depths);
    s->nn0 = ntk_exp_longs(e, "n0s", 2, 3, 4, s->n0s);
    s->npoints = ntk_exp_longs(e, "points", 2, 5000, 8, s->points);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->seed = ntk_exp_long(e, "seed", 0, 1L << 30);
    s->tol_c = ntk_exp_double(e, "tol_c", 0.0, 1e12);
}

/* The numbers of points used for sig: *list (count returned). The same for every
 * nonlinearity (a hook kept for giving the quadrature path fewer points). */
static size_t point_list(const settings *s, const ntk_nonlin *sig, const long **list)
{
    (void)sig;
    *list = s->points;
    return s->npoints;
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

/* An upper bound on the rank of Theta(L) on the sphere of R^n0 when it is a polynomial
 * of degree d in x.x' (L = 1: d = 1; identity: d = 1; square: d = 2^(L-1)): the
 * dimension of the spherical harmonics of degree <= d, 2d + 1 on the circle and
 * (d + 1)^2 on the 2-sphere. 0 when Theta(L) is not a polynomial (no bound). */
static double rank_bound(const ntk_nonlin *sig, long L, long n0)
{
    double d;
    if (L == 1 || strcmp(sig->name, "identity") == 0) d = 1.0;
    else if (strcmp(sig->name, "square") == 0) d = pow(2.0, (double)(L - 1));
    else return 0.0;
    return n0 == 2 ? 2.0 * d + 1.0 : (d + 1.0) * (d + 1.0);
}

/* The Gram matrix Theta(L) on N points of the sphere of R^n0 and its eigenvalues, into
 * runs/NONLIN-nN0-LDEPTH-NPOINTS.dat. A failure of the limit (the quadrature not
 * reaching its tolerance) is recorded in the file (`error`, NaN eigenvalues) rather
 * than ending the pipeline: the summary reports it. */
static void run(const ntk_exp *e, const settings *s, const ntk_nonlin *sig, long n0, long L, size_t N)
{
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
        fprintf(stderr, "%s: %s: the limit failed, recorded as NaN: %s\n", e->name, e->run_id, err);
        for (size_t k = 0; k < N; k++) ev[k] = NAN;
    } else {
        ntk_exp_ok(e, ntk_kla_eig_sym(N, K, ev, V)); /* decreasing */
    }

    char rel[128];
    snprintf(rel, sizeof rel, "runs/%s-n%ld-L%ld-N%zu.dat", sig->name, n0, L, N);
    ntk_out *o = ntk_exp_open(e, rel);
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
    ntk_exp_close(e, o);
    free(X), free(K), free(V), free(ev);
}

/* Every run file of the profile, read and checked before anything is written, so that
 * a missing or stale run ends the program with nothing on disk changed. */
static void check_runs(const ntk_exp *e, const settings *s)
{
    for (size_t i = 0; i < s->nsig; i++) {
        const long *pts;
        size_t np = point_list(s, s->sig[i], &pts);
        for (size_t a = 0; a < s->nn0; a++)
            for (size_t p = 0; p < np; p++)
                for (size_t d = 0; d < s->ndepths; d++) {
                    char path[2048], name[128];
                    snprintf(name, sizeof name, "runs/%s-n%ld-L%ld-N%ld.dat", s->sig[i]->name, s->n0s[a], s->depths[d], pts[p]);
                    ntk_table t;
                    ntk_exp_read_run(e, ntk_exp_path(e, path, sizeof path, name), &t, NULL);
                    size_t N = t.nrows;
                    ntk_table_free(&t);
                    if (N != (size_t)pts[p]) ntk_exp_die(e, 1, "%s: %zu eigenvalues, expected %ld: rerun it", path, N, pts[p]);
                }
    }
}

/* Reads every run; writes summary.dat, ratio.dat (the verdicts) and spectra.dat. */
static void summarize(const ntk_exp *e, const settings *s)
{
    check_runs(e, s);
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
    for (size_t i = 0; i < s->nsig; i++) {
        const ntk_nonlin *sig = s->sig[i];
        const long *pts;
        size_t np = point_list(s, sig, &pts);
        for (size_t a = 0; a < s->nn0; a++)
            for (size_t p = 0; p < np; p++) {
                if (!first) ntk_out_next_set(rat);
                first = 0;
                for (size_t d = 0; d < s->ndepths; d++) {
                    long n0 = s->n0s[a], L = s->depths[d];
                    char path[2048], name[128];
                    snprintf(name, sizeof name, "runs/%s-n%ld-L%ld-N%ld.dat", sig->name, n0, L, pts[p]);
                    ntk_table t;
                    ntk_exp_read_run(e, ntk_exp_path(e, path, sizeof path, name), &t, NULL);
                    size_t N = t.nrows;
                    if (N != (size_t)pts[p]) ntk_exp_die(e, 1, "%s: %zu eigenvalues, expected %ld: rerun it", path, N, pts[p]);
                    const char *err = ntk_table_param(&t, "error");
                    if (err && strcmp(err, "none") != 0) fprintf(stderr, "%s: %s: the limit failed: %s\n", e->name, name, err);
                    double mx = ntk_table_get(&t, 0, "eigenvalue"), mn = ntk_table_get(&t, N - 1, "eigenvalue");
                    double ratio = mn / mx, tol = s->tol_c * (double)N * DBL_EPSILON;
                    double verdict = isnan(ratio) ? NAN : ratio > tol ? 1.0 : ratio < -tol ? -1.0 : 0.0;
                    ntk_out_row_labelled(sum, sig->name, 4, (double[]){(double)L, (double)n0, (double)N, mn});
                    ntk_out_row_labelled(rat, sig->name, 11,
                                         (double[]){(double)L, (double)n0, (double)N, mn, mx, ratio, tol, verdict,
                                                    rank_bound(sig, L, n0), sig->closed != NTK_CLOSED_NONE,
                                                    atof(ntk_table_param(&t, "gram_seconds"))});
                    if (!first_spec) ntk_out_next_set(spec);
                    first_spec = 0;
                    for (size_t k = 0; k < N; k++)
                        ntk_out_row(spec, 2, (double[]){(double)(k + 1), fabs(ntk_table_get(&t, k, "eigenvalue")) / mx});
                    ntk_table_free(&t);
                }
            }
    }
    ntk_exp_close(e, sum);
    ntk_exp_close(e, rat);
    ntk_exp_close(e, spec);
}

/* Expected run time: a Gram matrix costs about N^2 / 2 pairs x (L - 1) layers of
 * Gaussian expectations; the price on the quadrature path is measured here on one
 * small Gram matrix per nonlinearity (16 points, depth 3) and scaled; closed forms
 * count as free. */
static double estimate(const ntk_exp *e, const settings *s)
{
    double total = 0.0, X[16 * 3], K[16 * 16];
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    for (size_t a = 0; a < s->nn0; a++) {
        make_points(s, 16, s->n0s[a], X);
        for (size_t i = 0; i < s->nsig; i++) {
            if (s->sig[i]->closed != NTK_CLOSED_NONE) continue;
            double t0 = ntk_progress_now(), layers = 0.0, pairs = 0.0;
            ntk_limit_gram(s->sig[i], 3, s->beta, X, 16, (size_t)s->n0s[a], lw, NULL, K);
            double per = (ntk_progress_now() - t0) / (16.0 * 17.0 / 2.0 * 2.0); /* per pair and layer */
            for (size_t d = 0; d < s->ndepths; d++) layers += (double)(s->depths[d] - 1);
            for (size_t p = 0; p < s->npoints; p++)
                pairs += (double)s->points[p] * (double)(s->points[p] + 1) / 2.0;
            total += per * pairs * layers;
        }
    }
    ntk_limit_free(lw);
    char buf[32];
    fprintf(stderr, "%s: about %s of quadrature in all (%s profile), less under make -j\n", e->name,
            ntk_progress_format_duration(total, buf, sizeof buf), e->params.profile);
    return total;
}

int main(int argc, char **argv)
{
    ntk_exp e;
    ntk_exp_init(&e, "positive-definiteness",
                 "Proposition 2: the smallest eigenvalue of the limiting NTK Gram matrix on the sphere,\n"
                 "against depth, for polynomial and non-polynomial nonlinearities.",
                 defs, NDEFS, "data/positive-definiteness", argc, argv);
    settings s;
    read_settings(&e, &s);

    switch (e.cmd) {
    case NTK_EXP_RUNS:
        for (size_t i = 0; i < s.nsig; i++) {
            const long *pts;
            size_t np = point_list(&s, s.sig[i], &pts);
            for (size_t a = 0; a < s.nn0; a++)
                for (size_t d = 0; d < s.ndepths; d++)
                    for (size_t p = 0; p < np; p++)
                        printf("%s-n%ld-L%ld-N%ld\n", s.sig[i]->name, s.n0s[a], s.depths[d], pts[p]);
        }
        /* fall through - and print the estimate */
    case NTK_EXP_ESTIMATE:
        estimate(&e, &s);
        break;
    case NTK_EXP_RUN: {
        char name[64], extra;
        long n0, L, N;
        if (sscanf(e.run_id, "%63[a-z]-n%ld-L%ld-N%ld%c", name, &n0, &L, &N, &extra) != 4)
            ntk_exp_die(&e, 2, "bad run id '%s': expected NONLIN-nN0-LDEPTH-NPOINTS (see 'runs')", e.run_id);
        const ntk_nonlin *sig = NULL;
        int ok_n0 = 0, ok_L = 0, ok_N = 0;
        for (size_t i = 0; i < s.nsig; i++)
            if (strcmp(s.sig[i]->name, name) == 0) sig = s.sig[i];
        for (size_t a = 0; a < s.nn0; a++) ok_n0 |= s.n0s[a] == n0;
        for (size_t d = 0; d < s.ndepths; d++) ok_L |= s.depths[d] == L;
        if (sig) {
            const long *pts;
            size_t np = point_list(&s, sig, &pts);
            for (size_t p = 0; p < np; p++) ok_N |= pts[p] == N;
        }
        if (!sig || !ok_n0 || !ok_L || !ok_N)
            ntk_exp_die(&e, 2, "run '%s' is not one of this profile's runs (see 'runs')", e.run_id);
        run(&e, &s, sig, n0, L, (size_t)N);
        break;
    }
    case NTK_EXP_SUMMARIZE:
        summarize(&e, &s);
        break;
    }
    return 0;
}
