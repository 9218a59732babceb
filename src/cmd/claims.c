/* claims.c - `make claims`: the paper's claims checked against the data of the last run.
 *
 *   claims [data=DIR] [committed=DIR] [out=FILE] [table]
 *
 * Reads the data files under DIR (default data/; build/smoke/data for the smoke
 * profile), decides every claim of the table below, prints one line per claim and a
 * count, writes the same to FILE (default DIR/claims/verdict.dat), and exits 1 if a
 * decided claim fails, 2 on bad input (an unreadable or malformed data file, an unknown
 * argument), 0 otherwise. committed=DIR2 (the Makefile extracts HEAD's data/ there
 * with git archive) decides nothing: its values are printed beside this run's, so a
 * reviewer's run can be compared with the committed one. `table` prints the claims
 * table (source, statement, quantity, paper's value, criterion) and exits.
 *
 * THE CLAIMS TABLE is `claims[]` at the end of this file: one row per claim, its id,
 * its source in the paper, the paper's words (quoted, or marked as a paraphrase of a
 * figure), the quantity computed and from which data file, the paper's value, and the
 * criterion with where its tolerance comes from. Each row names the function that
 * computes the quantity from the data; the functions come first, one per kind of
 * claim, and decide through three rules only:
 *
 *   consistent  |value - target| <= k se                      (se over seeds or draws)
 *   ordered     a - b > k se(a - b): pass; < -k se: FAIL; else not decided
 *   bound       value inside [lo, hi] from the mathematics or the paper's rounding
 *
 * k is K = 3 standard errors, taken as Student's t quantile of the same confidence
 * (99.73%) for the degrees of freedom of the standard error (Welch's for a difference),
 * so that a few seeds' uncertain standard error does not decide: 3.0 for many seeds,
 * 4.09 for ten, 6.6 for five. A standard error from fewer than MIN_N = 5 seeds decides
 * nothing: the claim, like one whose data file is missing, is "not decided at this
 * profile", never a pass. A quantity used to choose a setting (lambda1 picked the depth of Figure 3)
 * is reported as "fitted" and decides nothing.
 *
 * Data files are read through their '# columns:' line and '# key = value' header lines
 * (src/harness/table.h); any other '#' line is ignored, so new provenance lines do not
 * break this reader. Rows whose first field is a word (a nonlinearity's name) are read
 * by numbering the words (the table reader is numeric).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "error.h"
#include "output.h"
#include "table.h"

#define K 3.0        /* standard errors for every statistical criterion (normal) */
#define MIN_N 5      /* fewest seeds (draws, networks, widths) a standard error decides with */
#define MAX_SEEDS 4096
#define MAX_LABELS 32

typedef enum { UNDECIDED = 0, PASS = 1, FAIL = -1, FITTED = 2, BADDATA = -2 } verdict;

typedef struct {
    verdict v;
    double value, se;   /* the quantity; se NAN where it has none */
    char detail[400];   /* the numbers behind the value */
    char why[1400];     /* why not decided, or the data error (names the file) */
    char profile[24];   /* the profile recorded in the data file's header */
} result;

typedef struct claim claim;
typedef void (*check_fn)(const char *dir, const claim *c, result *r);
struct claim {
    const char *id, *source, *statement, *quantity, *paper, *criterion;
    check_fn check;
    const char *arg; /* which width, nonlinearity, file ... (per check) */
    double target;   /* the value the criterion compares with, where there is one */
};

/* ---- data files ------------------------------------------------------------------ */

typedef struct {
    ntk_table t;
    char path[1024];
    size_t nlabels;
    char *labels[MAX_LABELS]; /* words in data rows, numbered 0, 1, ... in the table */
} dfile;

static void dfile_free(dfile *f)
{
    ntk_table_free(&f->t);
    for (size_t i = 0; i < f->nlabels; i++) free(f->labels[i]);
    f->nlabels = 0;
}

static long label_of(dfile *f, const char *w, size_t n)
{
    for (size_t i = 0; i < f->nlabels; i++)
        if (strlen(f->labels[i]) == n && strncmp(f->labels[i], w, n) == 0) return (long)i;
    if (f->nlabels == MAX_LABELS) return -1;
    f->labels[f->nlabels] = strndup(w, n);
    return (long)f->nlabels++;
}

/* Load dir/name. 0; 1 if the file does not exist (r says so: not decided); -1 if it is
 * malformed (r says why: bad data). Words in data rows become their label numbers. */
static int load(dfile *f, const char *dir, const char *name, result *r)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
    FILE *in = fopen(f->path, "r");
    if (!in) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "no %s", f->path);
        return 1;
    }
    int fd = memfd_create("claims", 0);
    FILE *out = fd < 0 ? NULL : fdopen(fd, "w+");
    if (!out) {
        fclose(in);
        if (fd >= 0) close(fd);
        r->v = BADDATA;
        snprintf(r->why, sizeof r->why, "%s: cannot buffer: %s", f->path, strerror(errno));
        return -1;
    }
    char line[65536];
    while (fgets(line, sizeof line, in)) {
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#' || *p == '\n' || *p == '\0') { fputs(line, out); continue; }
        while (*p) { /* each field: a number as it is, a word as its label number */
            while (*p == ' ' || *p == '\t') p++;
            if (*p == '\n' || *p == '\0') break;
            size_t n = strcspn(p, " \t\n");
            char *end;
            strtod(p, &end);
            if (end == p + n) fprintf(out, "%.*s ", (int)n, p);
            else fprintf(out, "%ld ", label_of(f, p, n));
            p += n;
        }
        fputc('\n', out);
    }
    fclose(in);
    fflush(out);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    int st = ntk_table_read(fdpath, &f->t);
    fclose(out);
    if (st) {
        const char *msg = ntk_last_error(), *colon = strstr(msg, fdpath);
        r->v = BADDATA;
        snprintf(r->why, sizeof r->why, "%s%s", f->path, colon ? colon + strlen(fdpath) : msg);
        dfile_free(f);
        return -1;
    }
    const char *prof = ntk_table_param(&f->t, "profile");
    if (prof && !r->profile[0]) snprintf(r->profile, sizeof r->profile, "%s", prof);
    return 0;
}

/* Column index, or -1 with r marked as bad data. */
static long need_col(dfile *f, const char *name, result *r)
{
    long c = ntk_table_col(&f->t, name);
    if (c < 0) {
        r->v = BADDATA;
        snprintf(r->why, sizeof r->why, "%s: no column '%s'", f->path, name);
    }
    return c;
}

static double cell(const dfile *f, size_t row, long col) { return f->t.v[row * f->t.ncols + (size_t)col]; }

/* A '# key = value' header number; NAN when absent or not a number (leading number
 * read, so "2  (set on the command line)" reads as 2). */
static double param(const dfile *f, const char *key)
{
    const char *v = ntk_table_param(&f->t, key);
    if (!v) return NAN;
    char *end;
    double x = strtod(v, &end);
    return end == v ? NAN : x;
}

static long label_id(const dfile *f, const char *w)
{
    for (size_t i = 0; i < f->nlabels; i++)
        if (strcmp(f->labels[i], w) == 0) return (long)i;
    return -1;
}

/* ---- statistics and the three rules --------------------------------------------- */

static void mean_se(const double *x, size_t n, double *mean, double *se)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    *mean = n ? s / n : NAN;
    for (size_t i = 0; i < n; i++) ss += (x[i] - *mean) * (x[i] - *mean);
    *se = n >= 2 ? sqrt(ss / (n - 1) / n) : NAN;
}

/* The multiplier k: Student's t at the confidence of K normal standard errors. */
static double kq(double dof)
{
    return !(dof < 1e6) ? K : gsl_cdf_tdist_Pinv(1 - 0.5 * erfc(K / sqrt(2.0)), dof);
}

/* Whether n samples are enough to decide; if not, r says so. */
static int enough(result *r, double n)
{
    if (n >= MIN_N) return 1;
    r->v = UNDECIDED;
    snprintf(r->why, sizeof r->why, "%.0f seeds or points (a standard error decides from %d)", n, MIN_N);
    return 0;
}

static void note_k(result *r, double k)
{
    size_t l = strlen(r->detail);
    snprintf(r->detail + l, sizeof r->detail - l, "%sk = %.3g", l ? "; " : "", k);
}

/* n: the samples behind se (dof n - 1), or pass dof directly with n = 0. */
static void consistent(result *r, double value, double se, double n, double dof, double target)
{
    r->value = value;
    r->se = se;
    if (n) dof = n - 1;
    if (!enough(r, dof + 1)) return;
    if (!isfinite(se) || !isfinite(value)) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "no standard error");
        return;
    }
    double k = kq(dof);
    note_k(r, k);
    r->v = fabs(value - target) <= k * se ? PASS : FAIL;
}

/* a > b expected (means of na and nb samples; nb = 0 with sb = 0 for an exact b);
 * value = a - b, its standard error, Welch's degrees of freedom. */
static void ordered(result *r, double a, double sa, double na, double b, double sb, double nb)
{
    r->value = a - b;
    r->se = hypot(sa, sb);
    if (!enough(r, na) || (nb && !enough(r, nb))) return;
    double dof = nb ? pow(sa * sa + sb * sb, 2) / (pow(sa, 4) / (na - 1) + pow(sb, 4) / (nb - 1)) : na - 1;
    double k = kq(dof);
    if (!isfinite(r->se) || !isfinite(r->value)) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "no standard error");
        return;
    }
    note_k(r, k);
    if (r->value > k * r->se) {
        r->v = PASS;
    } else if (r->value < -k * r->se) {
        r->v = FAIL;
    } else {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "difference within k standard errors");
    }
}

static void bound(result *r, double value, double lo, double hi)
{
    r->value = value;
    r->se = NAN;
    r->v = isfinite(value) && value >= lo && value <= hi ? PASS : FAIL;
}

/* Least-squares slope of y on x, its standard error from the residuals (NAN below 3
 * points) and, when var (the variances of the y) is given, from those alone. */
static void fit_slope(const double *x, const double *y, const double *var, size_t n,
                      double *slope, double *se_resid, double *se_var)
{
    double mx = 0, my = 0, sxx = 0, sxy = 0, ssr = 0, sv = 0;
    for (size_t i = 0; i < n; i++) { mx += x[i] / n; my += y[i] / n; }
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    *slope = sxy / sxx;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - my - *slope * (x[i] - mx);
        ssr += e * e;
        if (var) sv += (x[i] - mx) * (x[i] - mx) / (sxx * sxx) * var[i];
    }
    *se_resid = n >= 3 ? sqrt(ssr / (n - 2) / sxx) : NAN;
    *se_var = var ? sqrt(sv) : NAN;
}

/* ---- Figure 1 -------------------------------------------------------------------- */

/* Per seed of one width: distance at t = 0 is in summary.dat; from the curves: the
 * roughness (RMS second difference of Theta_0 - Theta(L) along the grid, over mean
 * |Theta(L)|), the inflation Theta_T(x0,x0)/Theta_0(x0,x0) - 1, and the distance of the
 * seed-mean curve to Theta(L) in units of what seed noise alone gives. */
typedef struct {
    double width;
    size_t seeds;
    double dist, dist_se;           /* summary.dat, t = 0 */
    double rough, rough_se;
    double infl, infl_se;
    double mean_dist, noise;        /* relative L2 */
} fig1_width;

static int fig1_read(const char *dir, int wide, fig1_width *w, result *r)
{
    dfile s, lim, cv;
    if (load(&s, dir, "fig1/summary.dat", r)) return 1;
    long cw = need_col(&s, "width", r), ct = need_col(&s, "t", r),
         cm = need_col(&s, "rel_dist_mean", r), cs = need_col(&s, "rel_dist_std", r);
    double seeds = param(&s, "seeds");
    if (cw < 0 || ct < 0 || cm < 0 || cs < 0 || !(seeds >= 1)) {
        if (r->v != BADDATA) { r->v = BADDATA; snprintf(r->why, sizeof r->why, "%s: no seeds = line", s.path); }
        dfile_free(&s);
        return 1;
    }
    long row = -1;
    for (size_t i = 0; i < s.t.nrows; i++) {
        if (cell(&s, i, ct) != 0) continue;
        if (row < 0 || (wide ? cell(&s, i, cw) > cell(&s, row, cw) : cell(&s, i, cw) < cell(&s, row, cw)))
            row = (long)i;
    }
    if (row < 0) {
        r->v = BADDATA;
        snprintf(r->why, sizeof r->why, "%s: no row at t = 0", s.path);
        dfile_free(&s);
        return 1;
    }
    w->width = cell(&s, row, cw);
    w->seeds = (size_t)seeds;
    w->dist = cell(&s, row, cm);
    w->dist_se = w->seeds >= 2 ? cell(&s, row, cs) / sqrt(seeds) : NAN;
    dfile_free(&s);

    char name[64];
    snprintf(name, sizeof name, "fig1/curves-w%.0f.dat", w->width);
    if (load(&lim, dir, "fig1/limit.dat", r)) return 1;
    if (load(&cv, dir, name, r)) { dfile_free(&lim); return 1; }
    long lg = need_col(&lim, "gamma", r), lt = need_col(&lim, "theta", r),
         g0 = need_col(&cv, "theta_0", r), gT = need_col(&cv, "theta_T", r);
    size_t m = lim.t.nrows, S = cv.t.nsets;
    int bad = lg < 0 || lt < 0 || g0 < 0 || gT < 0;
    for (size_t k = 0; !bad && k < S; k++)
        if (cv.t.set_end[k] - (k ? cv.t.set_end[k - 1] : 0) != m) bad = 1;
    if (bad || m < 3 || S < 1 || S > MAX_SEEDS) {
        if (r->v != BADDATA) {
            r->v = BADDATA;
            snprintf(r->why, sizeof r->why, "%s: %zu data sets not all of the %zu angles of limit.dat", cv.path, S, m);
        }
        dfile_free(&lim); dfile_free(&cv);
        return 1;
    }
    size_t i0 = 0;
    double norm = 0, amean = 0;
    for (size_t i = 0; i < m; i++) {
        if (fabs(cell(&lim, i, lg)) < fabs(cell(&lim, i0, lg))) i0 = i;
        norm += cell(&lim, i, lt) * cell(&lim, i, lt);
        amean += fabs(cell(&lim, i, lt)) / m;
    }
    norm = sqrt(norm);
    double rough[MAX_SEEDS], infl[MAX_SEEDS], md = 0, noise = 0;
    for (size_t k = 0; k < S; k++) {
        size_t b = k * m;
        double ss = 0;
        for (size_t i = 1; i + 1 < m; i++) {
            double d2 = (cell(&cv, b + i + 1, g0) - cell(&lim, i + 1, lt)) - 2 * (cell(&cv, b + i, g0) - cell(&lim, i, lt)) +
                        (cell(&cv, b + i - 1, g0) - cell(&lim, i - 1, lt));
            ss += d2 * d2;
        }
        rough[k] = sqrt(ss / (m - 2)) / amean;
        infl[k] = cell(&cv, b + i0, gT) / cell(&cv, b + i0, g0) - 1;
    }
    for (size_t i = 0; i < m; i++) {
        double s1 = 0, s2 = 0;
        for (size_t k = 0; k < S; k++) s1 += cell(&cv, k * m + i, g0);
        s1 /= S;
        for (size_t k = 0; k < S; k++) s2 += pow(cell(&cv, k * m + i, g0) - s1, 2);
        md += pow(s1 - cell(&lim, i, lt), 2);
        noise += S >= 2 ? s2 / (S - 1) / S : NAN;
    }
    w->mean_dist = sqrt(md) / norm;
    w->noise = sqrt(noise) / norm;
    w->seeds = S;
    mean_se(rough, S, &w->rough, &w->rough_se);
    mean_se(infl, S, &w->infl, &w->infl_se);
    dfile_free(&lim); dfile_free(&cv);
    return 0;
}

static int fig1_pair(const char *dir, fig1_width *n, fig1_width *w, result *r)
{
    if (fig1_read(dir, 0, n, r) || fig1_read(dir, 1, w, r)) return 1;
    if (n->width == w->width) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "one width only");
        return 1;
    }
    return 0;
}

/* One of the per-width quantities by name (c->arg): "rel_dist", "roughness", "inflation". */
static void fig1_quantity(const fig1_width *w, const char *q, double *m, double *se)
{
    int d = strcmp(q, "rel_dist") == 0, ro = strcmp(q, "roughness") == 0;
    *m = d ? w->dist : ro ? w->rough : w->infl;
    *se = d ? w->dist_se : ro ? w->rough_se : w->infl_se;
}

/* The quantity c->arg larger for the narrow width than for the wide one. */
static void check_fig1_order(const char *dir, const claim *c, result *r)
{
    fig1_width n, w;
    if (fig1_pair(dir, &n, &w, r)) return;
    double mn, sn, mw, sw;
    fig1_quantity(&n, c->arg, &mn, &sn);
    fig1_quantity(&w, c->arg, &mw, &sw);
    snprintf(r->detail, sizeof r->detail, "%s n=%.0f %.3g+-%.2g, n=%.0f %.3g+-%.2g", c->arg, n.width, mn, sn,
             w.width, mw, sw);
    ordered(r, mn, sn, n.seeds, mw, sw, w.seeds);
}

/* The narrow width's inflation above zero. */
static void check_fig1_inflates(const char *dir, const claim *c, result *r)
{
    (void)c;
    fig1_width n;
    if (fig1_read(dir, 0, &n, r)) return;
    snprintf(r->detail, sizeof r->detail, "Theta_T(x0,x0)/Theta_0(x0,x0) - 1 at n=%.0f", n.width);
    ordered(r, n.infl, n.infl_se, n.seeds, 0, 0, 0);
}

static void check_fig1_mean(const char *dir, const claim *c, result *r)
{
    (void)c;
    fig1_width n, w;
    if (fig1_pair(dir, &n, &w, r)) return;
    double zn = n.mean_dist / n.noise, zw = w.mean_dist / w.noise;
    snprintf(r->detail, sizeof r->detail, "seed-mean curve to limit n=%.0f %.3g (%.2f se), n=%.0f %.3g (%.2f se)",
             n.width, n.mean_dist, zn, w.width, w.mean_dist, zw);
    r->value = fmax(zn, zw);
    r->se = NAN;
    if (!enough(r, fmin(n.seeds, w.seeds))) return;
    double k = kq(fmin(n.seeds, w.seeds) - 1);
    note_k(r, k);
    bound(r, fmax(zn, zw), 0, k);
}

/* ---- Figure 2 -------------------------------------------------------------------- */

/* Per network of the width c->arg ("narrow" or "wide"), over the grid points where the
 * limiting band has width (sd above 1e-6 of its largest value: off the training
 * points): the share inside [p10, p90], the mean of z = (f - m)/sd, the mean of z^2. */
typedef struct { double width; size_t S; double frac[MAX_SEEDS], z[MAX_SEEDS], z2[MAX_SEEDS]; } fig2_width;

static int fig2_read(const char *dir, const char *which, fig2_width *w, result *r)
{
    dfile s, lim, cv;
    if (load(&s, dir, "fig2/summary.dat", r)) return 1;
    long cw = need_col(&s, "width", r);
    if (cw < 0 || s.t.nrows == 0) {
        if (r->v != BADDATA) { r->v = BADDATA; snprintf(r->why, sizeof r->why, "%s: no rows", s.path); }
        dfile_free(&s);
        return 1;
    }
    int wide = strcmp(which, "wide") == 0;
    w->width = cell(&s, 0, cw);
    for (size_t i = 1; i < s.t.nrows; i++)
        if (wide ? cell(&s, i, cw) > w->width : cell(&s, i, cw) < w->width) w->width = cell(&s, i, cw);
    dfile_free(&s);
    char name[64];
    snprintf(name, sizeof name, "fig2/curves-w%.0f.dat", w->width);
    if (load(&lim, dir, "fig2/limit.dat", r)) return 1;
    if (load(&cv, dir, name, r)) { dfile_free(&lim); return 1; }
    long p10 = need_col(&lim, "p10", r), p50 = need_col(&lim, "p50", r), p90 = need_col(&lim, "p90", r),
         sd = need_col(&lim, "sd", r), cf = need_col(&cv, "f", r);
    size_t m = lim.t.nrows, S = cv.t.nsets;
    int bad = p10 < 0 || p50 < 0 || p90 < 0 || sd < 0 || cf < 0 || S > MAX_SEEDS || S < 1;
    for (size_t k = 0; !bad && k < S; k++)
        if (cv.t.set_end[k] - (k ? cv.t.set_end[k - 1] : 0) != m) bad = 1;
    if (bad) {
        if (r->v != BADDATA) {
            r->v = BADDATA;
            snprintf(r->why, sizeof r->why, "%s: data sets not all of the %zu angles of limit.dat", cv.path, m);
        }
        dfile_free(&lim); dfile_free(&cv);
        return 1;
    }
    double sdmax = 0;
    for (size_t i = 0; i < m; i++) sdmax = fmax(sdmax, cell(&lim, i, sd));
    w->S = S;
    for (size_t k = 0; k < S; k++) {
        size_t in = 0, n = 0;
        double z = 0, z2 = 0;
        for (size_t i = 0; i < m; i++) {
            double s_ = cell(&lim, i, sd), f = cell(&cv, k * m + i, cf);
            if (!(s_ > 1e-6 * sdmax)) continue;
            n++;
            in += f >= cell(&lim, i, p10) && f <= cell(&lim, i, p90);
            z += (f - cell(&lim, i, p50)) / s_;
            z2 += pow((f - cell(&lim, i, p50)) / s_, 2);
        }
        w->frac[k] = (double)in / n;
        w->z[k] = z / n;
        w->z2[k] = z2 / n;
    }
    dfile_free(&lim); dfile_free(&cv);
    return 0;
}

static void check_fig2(const char *dir, const claim *c, result *r, int what)
{
    static fig2_width w;
    if (fig2_read(dir, c->arg, &w, r)) return;
    double m, se;
    const double *x = what == 0 ? w.frac : what == 1 ? w.z : w.z2;
    mean_se(x, w.S, &m, &se);
    snprintf(r->detail, sizeof r->detail, "n=%.0f, %zu networks", w.width, w.S);
    consistent(r, m, se, (double)w.S, 0, c->target);
}
static void check_fig2_band(const char *d, const claim *c, result *r) { check_fig2(d, c, r, 0); }
static void check_fig2_mean(const char *d, const claim *c, result *r) { check_fig2(d, c, r, 1); }
static void check_fig2_var(const char *d, const claim *c, result *r) { check_fig2(d, c, r, 2); }

/* ---- Figure 3 -------------------------------------------------------------------- */

/* h_max or rel_gap_to_limit (c->arg: "FILE:COLUMN"), narrowest width above widest. */
static void check_fig3_width(const char *dir, const claim *c, result *r)
{
    char file[128];
    const char *colon = strchr(c->arg, ':');
    snprintf(file, sizeof file, "%.*s", (int)(colon - c->arg), c->arg);
    dfile s;
    if (load(&s, dir, file, r)) return;
    long cw = need_col(&s, "width", r), cq = need_col(&s, colon + 1, r);
    if (cw < 0 || cq < 0) { dfile_free(&s); return; }
    double wn = INFINITY, ww = -INFINITY, xn[MAX_SEEDS], xw[MAX_SEEDS];
    size_t nn = 0, nw = 0;
    for (size_t i = 0; i < s.t.nrows; i++) { wn = fmin(wn, cell(&s, i, cw)); ww = fmax(ww, cell(&s, i, cw)); }
    for (size_t i = 0; i < s.t.nrows && nn < MAX_SEEDS && nw < MAX_SEEDS; i++) {
        if (cell(&s, i, cw) == wn) xn[nn++] = cell(&s, i, cq);
        if (cell(&s, i, cw) == ww) xw[nw++] = cell(&s, i, cq);
    }
    dfile_free(&s);
    if (!(ww > wn)) { r->v = UNDECIDED; snprintf(r->why, sizeof r->why, "one width only"); return; }
    double mn, sn, mw, sw;
    mean_se(xn, nn, &mn, &sn);
    mean_se(xw, nw, &mw, &sw);
    snprintf(r->detail, sizeof r->detail, "%s n=%.0f %.3g+-%.2g, n=%.0f %.3g+-%.2g (%zu, %zu seeds)",
             colon + 1, wn, mn, sn, ww, mw, sw, nn, nw);
    ordered(r, mn, sn, (double)nn, mw, sw, (double)nw);
}

/* The first t at which |g_t| falls to 0.25, half its start, per seed: narrow nets
 * first. */
static int t_half(const char *dir, double width, double *t, size_t *S, result *r)
{
    char name[64];
    snprintf(name, sizeof name, "fig3/curves-w%.0f.dat", width);
    dfile cv;
    if (load(&cv, dir, name, r)) return 1;
    long ct = need_col(&cv, "t", r), cg = need_col(&cv, "g", r);
    if (ct < 0 || cg < 0) { dfile_free(&cv); return 1; }
    *S = 0;
    for (size_t k = 0; k < cv.t.nsets && *S < MAX_SEEDS; k++) {
        size_t b = k ? cv.t.set_end[k - 1] : 0;
        double th = NAN;
        for (size_t i = b; i < cv.t.set_end[k]; i++)
            if (fabs(cell(&cv, i, cg)) <= 0.25) { th = cell(&cv, i, ct); break; }
        t[(*S)++] = th;
    }
    dfile_free(&cv);
    return 0;
}

static void check_fig3_faster(const char *dir, const claim *c, result *r)
{
    (void)c;
    dfile s;
    if (load(&s, dir, "fig3/summary.dat", r)) return;
    long cw = need_col(&s, "width", r);
    if (cw < 0) { dfile_free(&s); return; }
    double wn = INFINITY, ww = -INFINITY;
    for (size_t i = 0; i < s.t.nrows; i++) { wn = fmin(wn, cell(&s, i, cw)); ww = fmax(ww, cell(&s, i, cw)); }
    dfile_free(&s);
    if (!(ww > wn)) { r->v = UNDECIDED; snprintf(r->why, sizeof r->why, "one width only"); return; }
    double tn[MAX_SEEDS], tw[MAX_SEEDS], mn, sn, mw, sw;
    size_t nn, nw;
    if (t_half(dir, wn, tn, &nn, r) || t_half(dir, ww, tw, &nw, r)) return;
    mean_se(tn, nn, &mn, &sn);
    mean_se(tw, nw, &mw, &sw);
    if (!isfinite(mn) || !isfinite(mw)) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "|g_t| does not reach 0.25 in the run");
        return;
    }
    snprintf(r->detail, sizeof r->detail, "t at |g_t| = 0.25: n=%.0f %.4g+-%.2g, n=%.0f %.4g+-%.2g", wn, mn, sn, ww, mw, sw);
    ordered(r, mw, sw, (double)nw, mn, sn, (double)nn);
}

/* The eigenvalue lambda_k (c->arg "k") of eigenvalues.dat at the figure's depth against
 * the paper's, within K sqrt(2) sd over the batch draws of data/fig3-checks (ours and
 * the paper's batch are two draws); only draws with the same batch size, depth and beta. */
static void check_fig3_lambda(const char *dir, const claim *c, result *r)
{
    int which = atoi(c->arg);
    char key[16], col[16];
    snprintf(key, sizeof key, "lambda%d", which);
    snprintf(col, sizeof col, "lambda%d", which);
    dfile e;
    if (load(&e, dir, "fig3/eigenvalues.dat", r)) return;
    double depth = param(&e, "depth"), batch = param(&e, "batch"), beta = param(&e, "beta");
    long cd = need_col(&e, "depth", r), cl = need_col(&e, col, r);
    double ours = NAN;
    for (size_t i = 0; cd >= 0 && cl >= 0 && i < e.t.nrows; i++)
        if (cell(&e, i, cd) == depth) ours = cell(&e, i, cl);
    dfile_free(&e);
    if (r->v == BADDATA) return;
    if (!isfinite(ours)) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "eigenvalues.dat has no row at depth %g", depth);
        return;
    }
    double draws[64];
    size_t n = 0;
    for (int s = 1; s <= 64; s++) {
        char name[64];
        snprintf(name, sizeof name, "fig3-checks/pca-batch%d.dat", s);
        dfile p;
        result tmp = {0};
        if (load(&p, dir, name, &tmp)) {
            if (tmp.v == BADDATA) { *r = tmp; return; }
            continue;
        }
        if (param(&p, "batch") == batch && param(&p, "depth") == depth && param(&p, "beta") == beta &&
            isfinite(param(&p, key)))
            draws[n++] = param(&p, key);
        dfile_free(&p);
    }
    double m, se;
    mean_se(draws, n, &m, &se);
    double sd = se * sqrt((double)n);
    r->value = ours;
    r->se = sd;
    snprintf(r->detail, sizeof r->detail, "depth %g; sd over %zu batch draws; draws' mean %.4g", depth, n, m);
    if (!c->target) { /* fitted: lambda1 chose the depth */
        r->v = FITTED;
        return;
    }
    if (!enough(r, (double)n)) {
        snprintf(r->why, sizeof r->why, "%zu batch draws at batch %g, depth %g, beta %g in fig3-checks/ (%d needed)", n,
                 batch, depth, beta, MIN_N);
        return;
    }
    double k = kq((double)n - 1);
    r->v = fabs(ours - c->target) <= k * sqrt(2.0) * sd ? PASS : FAIL;
    snprintf(r->detail + strlen(r->detail), sizeof r->detail - strlen(r->detail), "; |ours - paper| = %.2f sqrt(2) sd",
             fabs(ours - c->target) / (sqrt(2.0) * sd));
    note_k(r, k);
}

/* Footnote 3: (lambda1/lambda2 at beta 1.0) / (lambda1/lambda2 at beta 0.1), same batch,
 * depth and kernel. "About ten": the paper's rounding to a power of ten, [10^0.5, 10^1.5]. */
static void check_fig3_beta(const char *dir, const claim *c, result *r)
{
    (void)c;
    dfile a, b;
    if (load(&b, dir, "fig3-checks/pca-beta1.dat", r)) return;
    if (load(&a, dir, "fig3-checks/pca-batch1.dat", r)) { dfile_free(&b); return; }
    int same = param(&a, "batch") == param(&b, "batch") && param(&a, "batch_seed") == param(&b, "batch_seed") &&
               param(&a, "depth") == param(&b, "depth") && param(&a, "kernel_width") == param(&b, "kernel_width");
    double ga = param(&a, "lambda1") / param(&a, "lambda2"), gb = param(&b, "lambda1") / param(&b, "lambda2");
    double beta_a = param(&a, "beta"), beta_b = param(&b, "beta");
    dfile_free(&a); dfile_free(&b);
    if (!same || beta_a != 0.1 || beta_b != 1.0) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "pca-beta1.dat and pca-batch1.dat differ in more than beta");
        return;
    }
    snprintf(r->detail, sizeof r->detail, "lambda1/lambda2 = %.4g at beta 1.0, %.4g at beta 0.1", gb, ga);
    bound(r, gb / ga, pow(10, 0.5), pow(10, 1.5));
}

/* ---- width scaling and random features: rates ----------------------------------- */

/* Slope of log(mean) on log(width or P) for the rows of c->arg "FILE:LABEL:XCOL:MEAN:STD:COUNTKEY[*COUNTKEY]"
 * (LABEL "-" when the file has no label column), against c->target within K standard
 * errors, the larger of the residuals' and the seeds'. */
static void check_rate(const char *dir, const claim *c, result *r)
{
    char spec[256], *save = NULL;
    snprintf(spec, sizeof spec, "%s", c->arg);
    char *file = strtok_r(spec, ":", &save), *label = strtok_r(NULL, ":", &save), *xcol = strtok_r(NULL, ":", &save),
         *mcol = strtok_r(NULL, ":", &save), *scol = strtok_r(NULL, ":", &save), *count = strtok_r(NULL, ":", &save);
    dfile f;
    if (load(&f, dir, file, r)) return;
    long cx = need_col(&f, xcol, r), cm = need_col(&f, mcol, r), cs = need_col(&f, scol, r);
    long cl = strcmp(label, "-") ? 0 : -1, id = cl >= 0 ? label_id(&f, label) : -1;
    double cnt = 1;
    char cbuf[64], *csave = NULL;
    snprintf(cbuf, sizeof cbuf, "%s", count);
    for (char *k = strtok_r(cbuf, "*", &csave); k; k = strtok_r(NULL, "*", &csave)) cnt *= param(&f, k);
    if (cx < 0 || cm < 0 || cs < 0) { dfile_free(&f); return; }
    double x[256], y[256], var[256];
    size_t n = 0;
    for (size_t i = 0; i < f.t.nrows && n < 256; i++) {
        if (cl >= 0 && cell(&f, i, 0) != id) continue;
        x[n] = log(cell(&f, i, cx));
        y[n] = log(cell(&f, i, cm));
        var[n] = pow(cell(&f, i, cs) / cell(&f, i, cm), 2) / cnt;
        n++;
    }
    dfile_free(&f);
    if (n < 3) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "%zu %s values (a slope with an error needs 3)", n, xcol);
        return;
    }
    double slope, se_r, se_s;
    fit_slope(x, y, var, n, &slope, &se_r, &se_s);
    snprintf(r->detail, sizeof r->detail, "%zu %ss from %.0f to %.0f; se from residuals %.2g, from seeds %.2g", n, xcol,
             exp(x[0]), exp(x[n - 1]), se_r, se_s);
    if (!enough(r, (double)n) || !enough(r, cnt)) { r->value = slope; return; }
    /* the larger standard error, with its own degrees of freedom */
    if (se_r > se_s) consistent(r, slope, se_r, 0, (double)n - 2, c->target);
    else consistent(r, slope, se_s, 0, cnt - 1, c->target);
}

/* E rel_dist^2 = wick_c / P exactly (Wick): at every P, the mean of rel_dist^2 over the
 * draws against wick_c / P, in standard errors; the largest |z| at most K. */
static void check_rf_wick(const char *dir, const claim *c, result *r)
{
    (void)c;
    dfile s, f;
    if (load(&f, dir, "random-features/fit.dat", r)) return;
    long cc = need_col(&f, "wick_c", r);
    double wc = cc >= 0 && f.t.nrows ? cell(&f, 0, cc) : NAN;
    dfile_free(&f);
    if (r->v == BADDATA) return;
    if (load(&s, dir, "random-features/seeds.dat", r)) return;
    long cp = need_col(&s, "P", r), cd = need_col(&s, "rel_dist", r);
    if (cp < 0 || cd < 0) { dfile_free(&s); return; }
    double zmax = 0, Pat = NAN;
    size_t i = 0, nP = 0;
    int undecided = 0;
    while (i < s.t.nrows) {
        double P = cell(&s, i, cp), x[MAX_SEEDS], m, se;
        size_t n = 0;
        for (; i < s.t.nrows && cell(&s, i, cp) == P; i++)
            if (n < MAX_SEEDS) x[n++] = pow(cell(&s, i, cd), 2);
        mean_se(x, n, &m, &se);
        if (!isfinite(se) || n < 10) { undecided = 1; continue; }
        double z = fabs(m - wc / P) / se / kq((double)n - 1);
        if (!(z <= zmax)) { zmax = z; Pat = P; }
        nP++;
    }
    dfile_free(&s);
    if (undecided || nP == 0) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "fewer than 10 draws at some P");
        return;
    }
    snprintf(r->detail, sizeof r->detail, "largest |mean rel_dist^2 - wick_c/P| / (k se) over %zu Ps, at P = %.0f", nP, Pat);
    bound(r, zmax, 0, 1);
}

/* Gradient descent on theta and kernel gradient descent with Khat agree to rounding:
 * max |f_theta - f_kernel| at most one rounding of the largest value per step. */
static void check_rf_gd(const char *dir, const claim *c, result *r)
{
    (void)c;
    dfile g;
    if (load(&g, dir, "random-features/gd-trace.dat", r)) return;
    long cd = need_col(&g, "max_diff", r), cf = need_col(&g, "f_max", r);
    if (cd < 0 || cf < 0 || g.t.nrows < 2) { dfile_free(&g); return; }
    double d = 0, fm = 0;
    for (size_t i = 0; i < g.t.nrows; i++) { d = fmax(d, cell(&g, i, cd)); fm = fmax(fm, cell(&g, i, cf)); }
    double tol = (double)(g.t.nrows - 1) * DBL_EPSILON * fm;
    snprintf(r->detail, sizeof r->detail, "%zu steps; bound steps x eps x max|f| = %.2g", g.t.nrows - 1, tol);
    dfile_free(&g);
    bound(r, d, 0, tol);
}

/* ---- nonlinearities and positive definiteness ----------------------------------- */

/* rel_dist / noise_dist for the nonlinearities c->arg ("lipschitz": all but square;
 * otherwise one name): the largest at most K. */
static void check_nl(const char *dir, const claim *c, result *r)
{
    dfile s;
    if (load(&s, dir, "nonlinearities/summary.dat", r)) return;
    long cd = need_col(&s, "rel_dist", r), cn = need_col(&s, "noise_dist", r);
    double seeds = param(&s, "seeds");
    if (cd < 0 || cn < 0) { dfile_free(&s); return; }
    int lip = strcmp(c->arg, "lipschitz") == 0;
    long sq = label_id(&s, "square"), one = label_id(&s, c->arg);
    double worst = -1;
    const char *at = "";
    size_t n = 0;
    for (size_t i = 0; i < s.t.nrows; i++) {
        long id = (long)cell(&s, i, 0);
        if (lip ? id == sq : id != one) continue;
        double z = cell(&s, i, cd) / cell(&s, i, cn);
        if (!(z <= worst)) { worst = z; at = s.labels[id]; }
        n++;
    }
    snprintf(r->detail, sizeof r->detail, "%zu nonlinearities, largest at %s", n, at);
    dfile_free(&s);
    r->value = worst;
    r->se = NAN;
    if (n == 0) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "not in this run");
        return;
    }
    if (!enough(r, seeds)) return;
    double k = kq(seeds - 1);
    note_k(r, k);
    bound(r, worst, 0, k);
}

/* ratio.dat's verdict column (1 positive, 0 within rounding c N eps, -1 negative).
 * c->arg "prop2": depth >= 2, non-polynomial: none negative and at least one resolved.
 * "poly": rows whose Theta(L) is a polynomial kernel of rank below the number of points
 * (rank_bound > 0, points > rank_bound): none positive beyond rounding, none negative. */
static void check_pd(const char *dir, const claim *c, result *r)
{
    dfile s;
    if (load(&s, dir, "positive-definiteness/ratio.dat", r)) return;
    long cd = need_col(&s, "depth", r), cp = need_col(&s, "points", r), cv = need_col(&s, "verdict", r),
         cr = need_col(&s, "rank_bound", r);
    if (cd < 0 || cp < 0 || cv < 0 || cr < 0) { dfile_free(&s); return; }
    long idl = label_id(&s, "identity"), sq = label_id(&s, "square");
    size_t npos = 0, nzero = 0, nneg = 0;
    int prop2 = strcmp(c->arg, "prop2") == 0;
    for (size_t i = 0; i < s.t.nrows; i++) {
        long id = (long)cell(&s, i, 0);
        double rb = cell(&s, i, cr);
        int take = prop2 ? cell(&s, i, cd) >= 2 && id != idl && id != sq : rb > 0 && cell(&s, i, cp) > rb;
        if (!take) continue;
        double v = cell(&s, i, cv);
        npos += v > 0;
        nzero += v == 0;
        nneg += v < 0;
    }
    dfile_free(&s);
    snprintf(r->detail, sizeof r->detail, "%zu positive, %zu within rounding, %zu negative", npos, nzero, nneg);
    r->se = NAN;
    if (prop2) {
        r->value = (double)npos;
        r->v = nneg ? FAIL : npos ? PASS : UNDECIDED;
        if (!npos && !nneg) snprintf(r->why, sizeof r->why, "no case resolved in double precision");
    } else {
        r->value = (double)nzero;
        r->v = npos || nneg ? FAIL : nzero ? PASS : UNDECIDED;
        if (!nzero && !npos && !nneg) snprintf(r->why, sizeof r->why, "no such case in this run");
    }
}

/* ---- generalization (section 5) ------------------------------------------------- */

/* The distance of a trained network's test outputs to the limit started from its own
 * initial function (generalization/distance.dat, at the networks' last t), narrowest
 * width above widest, each a mean over seeds (se = dist_std / sqrt(seeds)). */
static void check_gen_width(const char *dir, const claim *c, result *r)
{
    (void)c;
    dfile d;
    if (load(&d, dir, "generalization/distance.dat", r)) return;
    long cw = need_col(&d, "width", r), cm = need_col(&d, "dist", r), cs = need_col(&d, "dist_std", r);
    double seeds = param(&d, "seeds"), t = param(&d, "t");
    if (cw < 0 || cm < 0 || cs < 0 || d.t.nrows == 0 || !(seeds >= 1)) {
        if (r->v != BADDATA) { r->v = BADDATA; snprintf(r->why, sizeof r->why, "%s: no rows or no seeds = line", d.path); }
        dfile_free(&d);
        return;
    }
    size_t n = 0, w = 0;
    for (size_t i = 1; i < d.t.nrows; i++) {
        if (cell(&d, i, cw) < cell(&d, n, cw)) n = i;
        if (cell(&d, i, cw) > cell(&d, w, cw)) w = i;
    }
    double wn = cell(&d, n, cw), ww = cell(&d, w, cw), mn = cell(&d, n, cm), mw = cell(&d, w, cm),
           sn = cell(&d, n, cs) / sqrt(seeds), sw = cell(&d, w, cs) / sqrt(seeds);
    dfile_free(&d);
    if (!(ww > wn)) { r->v = UNDECIDED; snprintf(r->why, sizeof r->why, "one width only"); return; }
    snprintf(r->detail, sizeof r->detail, "dist at t = %g: n=%.0f %.3g+-%.2g, n=%.0f %.3g+-%.2g (%.0f seeds)", t, wn, mn,
             sn, ww, mw, sw, seeds);
    ordered(r, mn, sn, seeds, mw, sw, seeds);
}

/* The widest networks' test MSE at their last t against the limit's expected test MSE
 * (mean's plus variance: a random infinitely wide network's) at t = infinity, for the
 * same training set (generalization/summary.dat, rows net and ntk). The networks measure
 * t = infinity only where the limit has converged by their t: where its own expected
 * MSE at that t is within the criterion's k se of its t = infinity value; otherwise the
 * claim is not decided, whatever the seeds. */
static void check_gen_infinity(const char *dir, const claim *c, result *r)
{
    dfile s;
    if (load(&s, dir, "generalization/summary.dat", r)) return;
    long cw = need_col(&s, "width", r), cn = need_col(&s, "train_size", r), ct = need_col(&s, "t", r),
         cm = need_col(&s, "test_mse", r), csd = need_col(&s, "mse_std", r), ce = need_col(&s, "expected_mse", r),
         cet = need_col(&s, "ntk_expected_mse_same_t", r), cs = need_col(&s, "seeds", r);
    long net = label_id(&s, "net"), ntk = label_id(&s, "ntk");
    if (cw < 0 || cn < 0 || ct < 0 || cm < 0 || csd < 0 || ce < 0 || cet < 0 || cs < 0) { dfile_free(&s); return; }
    long w = -1, k = -1;
    for (size_t i = 0; i < s.t.nrows; i++)
        if ((long)cell(&s, i, 0) == net && (w < 0 || cell(&s, i, cw) > cell(&s, (size_t)w, cw))) w = (long)i;
    for (size_t i = 0; w >= 0 && i < s.t.nrows; i++)
        if ((long)cell(&s, i, 0) == ntk && cell(&s, i, cn) == cell(&s, (size_t)w, cn)) k = (long)i;
    if (w < 0 || k < 0) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why, "%s", w < 0 ? "no network rows" : "no ntk row at the networks' training size");
        dfile_free(&s);
        return;
    }
    const size_t W = (size_t)w, KR = (size_t)k;
    double width = cell(&s, W, cw), t = cell(&s, W, ct), seeds = cell(&s, W, cs), mse = cell(&s, W, cm),
           se = cell(&s, W, csd) / sqrt(seeds), e_t = cell(&s, W, cet), e_inf = cell(&s, KR, ce);
    dfile_free(&s);
    (void)c;
    snprintf(r->detail, sizeof r->detail,
             "n=%.0f at t = %g: test MSE %.4g+-%.2g (%.0f seeds); the limit's expected test MSE %.4g at t = infinity, "
             "%.4g at t = %g (%+.0f%%)", width, t, mse, se, seeds, e_inf, e_t, t, 100 * (e_t / e_inf - 1));
    consistent(r, mse, se, seeds, 0, e_inf);
    if (r->v != PASS && r->v != FAIL) return;
    double kk = kq(seeds - 1);
    if (fabs(e_t - e_inf) > kk * se) {
        r->v = UNDECIDED;
        snprintf(r->why, sizeof r->why,
                 "the networks stop at t = %g, where the limit itself is %.2g k se from its t = infinity value: they "
                 "measure a finite t (train longer)", t, fabs(e_t - e_inf) / (kk * se));
    }
}

/* ---- the claims table ------------------------------------------------------------ */

static const claim claims[] = {
    {"fig1-variance", "sec. 6.1, Fig. 1",
     "\"for the wider network, the NTK shows less variance\"",
     "rel_dist of Theta_0(x0,.) to Theta(4) at t = 0, mean over seeds, narrow minus wide (fig1/summary.dat)",
     "less (no number)", "narrow - wide > k se over seeds", check_fig1_order, "rel_dist", 0},
    {"fig1-smooth", "sec. 6.1, Fig. 1",
     "\"[the NTK of the wider network] is smoother\"",
     "RMS second difference along the grid of Theta_0 - Theta(4), over mean |Theta(4)|, per seed, narrow minus wide "
     "(fig1/curves-wN.dat, limit.dat)",
     "smoother (no number)", "narrow - wide > k se over seeds", check_fig1_order, "roughness", 0},
    {"fig1-inflates", "sec. 6.1, Fig. 1",
     "\"the NTK [...] tends to inflate\" during training (narrow width)",
     "Theta_T(x0,x0)/Theta_0(x0,x0) - 1 per seed of the narrow width (fig1/curves-wN.dat)",
     "> 0 (no number)", "> k se over seeds", check_fig1_inflates, NULL, 0},
    {"fig1-inflation-width", "sec. 6.1, Fig. 1",
     "the inflation is much smaller for the wider network (paraphrase of Fig. 1)",
     "the same inflation, narrow minus wide (fig1/curves-wN.dat)",
     "smaller (no number)", "narrow - wide > k se over seeds", check_fig1_order, "inflation", 0},
    {"fig1-mean", "sec. 6.1, Fig. 1",
     "the seed mean of both widths lies close to Theta(4) at t = 0 (paraphrase of Fig. 1)",
     "|mean over seeds of Theta_0 - Theta(4)| / its standard error (relative L2 over the grid), the larger of the two widths "
     "(fig1/curves-wN.dat, limit.dat)",
     "close (no number)", "<= k: the mean within k se of the limit", check_fig1_mean, NULL, 0},
    {"fig2-band-narrow", "sec. 6.2, Fig. 2",
     "\"even for relatively small widths (n = 50), the NTK gives a good indication of the distribution\"",
     "share of each network's values inside the limiting 10-90% band (off the training points), mean over networks, "
     "narrow width (fig2/curves-wN.dat, limit.dat)",
     "0.8", "|share - 0.8| <= k se over networks", check_fig2_band, "narrow", 0.8},
    {"fig2-band-wide", "sec. 6.2, Fig. 2",
     "the trained networks' distribution \"appear[s] to be close\" to the limiting Gaussian",
     "as fig2-band-narrow, wide width", "0.8", "|share - 0.8| <= k se over networks", check_fig2_band, "wide", 0.8},
    {"fig2-mean-narrow", "sec. 6.2, Fig. 2",
     "\"their mean [...] appear[s] to be close to [that] of the limiting distribution\"",
     "z = (f - m)/sd of the limit, averaged over the grid per network, mean over networks, narrow width",
     "0", "|mean z| <= k se over networks", check_fig2_mean, "narrow", 0},
    {"fig2-mean-wide", "sec. 6.2, Fig. 2", "as fig2-mean-narrow", "as fig2-mean-narrow, wide width", "0",
     "|mean z| <= k se over networks", check_fig2_mean, "wide", 0},
    {"fig2-var-narrow", "sec. 6.2, Fig. 2",
     "\"their [...] variance appear[s] to be close to [that] of the limiting distribution\"",
     "z^2 averaged over the grid per network, mean over networks, narrow width", "1",
     "|mean z^2 - 1| <= k se over networks", check_fig2_var, "narrow", 1},
    {"fig2-var-wide", "sec. 6.2, Fig. 2", "as fig2-var-narrow", "as fig2-var-narrow, wide width", "1",
     "|mean z^2 - 1| <= k se over networks", check_fig2_var, "wide", 1},
    {"fig3-lambda1", "sec. 6.3", "the first eigenvalue of the NTK Gram matrix on the batch: 0.0457",
     "lambda1 of Theta(L)/N at the figure's depth (fig3/eigenvalues.dat); se: sd over 10 batch draws (fig3-checks)",
     "0.0457", "none: the depth (not given) was chosen to match it", check_fig3_lambda, "1", 0},
    {"fig3-lambda2", "sec. 6.3", "the second eigenvalue: 0.00108",
     "lambda2, as fig3-lambda1", "0.00108",
     "|ours - paper| <= k sqrt(2) sd over batch draws (the paper's batch is another draw)", check_fig3_lambda, "2",
     0.00108},
    {"fig3-lambda3", "sec. 6.3", "the third eigenvalue: 0.00078", "lambda3, as fig3-lambda1", "0.00078",
     "|ours - paper| <= k sqrt(2) sd over batch draws", check_fig3_lambda, "3", 0.00078},
    {"fig3-beta", "sec. 6.3, footnote 3",
     "with beta = 1.0 the gap between the first and second principal components is \"about ten times bigger\"",
     "(lambda1/lambda2 at beta 1.0) / (lambda1/lambda2 at beta 0.1), analytic Theta(5), batch 1 (fig3-checks/pca-*.dat)",
     "about 10", "in [10^0.5, 10^1.5]: the paper's rounding to a power of ten", check_fig3_beta, NULL, 0},
    {"fig3-h-width", "sec. 6.3, Fig. 3b", "\"the wider the network, the less it deviates from the straight line\"",
     "max_t |h_t|, narrowest minus widest width, mean over seeds (fig3/summary.dat)", "smaller (axis to 0.14)",
     "narrow - wide > k se over seeds", check_fig3_width, "fig3/summary.dat:h_max", 0},
    {"fig3-g-width", "sec. 6.3, Fig. 3c",
     "\"as the width grows, the trajectory along the 2nd principal component converges to the theoretical limit\"",
     "max_t |g_t - 0.5 exp(-lambda2 t)| / 0.5, narrowest minus widest (fig3/summary.dat)", "smaller (no number)",
     "narrow - wide > k se over seeds", check_fig3_width, "fig3/summary.dat:rel_gap_to_limit", 0},
    {"fig3-faster", "sec. 6.3, Fig. 3c", "\"smaller networks appear to converge faster\"",
     "first t with |g_t| <= 0.25, widest minus narrowest (fig3/curves-wN.dat)", "earlier (no number)",
     "wide - narrow > k se over seeds", check_fig3_faster, NULL, 0},
    {"rate-init-relu", "Thm. 1 (rate: ours, not the paper's)",
     "the NTK at initialisation converges to Theta(L) as the widths grow; the rate n^-1/2 is the central limit's",
     "slope of log init_dist_mean on log width, relu (width-scaling/summary.dat)", "none (our -0.5)",
     "|slope + 1/2| <= k se (larger of residuals' and seeds')", check_rate,
     "width-scaling/summary.dat:relu:width:init_dist_mean:init_dist_std:seeds*init_draws", -0.5},
    {"rate-init-erf", "Thm. 1 (rate: ours)", "as rate-init-relu, erf", "as rate-init-relu, erf", "none (our -0.5)",
     "|slope + 1/2| <= k se", check_rate,
     "width-scaling/summary.dat:erf:width:init_dist_mean:init_dist_std:seeds*init_draws", -0.5},
    {"rate-move-relu", "Thm. 2 (relu outside its hypotheses; rate: ours)",
     "during training the NTK stays at its initial value as the widths grow; rate n^-1 (ours)",
     "slope of log move_mean on log width, relu (width-scaling/summary.dat)", "none (our -1)", "|slope + 1| <= k se",
     check_rate, "width-scaling/summary.dat:relu:width:move_mean:move_std:seeds", -1},
    {"rate-move-erf", "Thm. 2 (rate: ours)", "as rate-move-relu, erf (inside Thm. 2's hypotheses)",
     "as rate-move-relu, erf", "none (our -1)", "|slope + 1| <= k se", check_rate,
     "width-scaling/summary.dat:erf:width:move_mean:move_std:seeds", -1},
    {"rf-rate", "sec. 3.1 (rate: ours)",
     "the random-features tangent kernel tends to K \"by the law of large numbers\"; rate P^-1/2 (ours)",
     "slope of log rel_dist_mean on log P (random-features/summary.dat)", "none (our -0.5)",
     "|slope + 1/2| <= k se (larger of residuals' and draws')", check_rate,
     "random-features/summary.dat:-:P:rel_dist_mean:rel_dist_std:seeds", -0.5},
    {"rf-wick", "sec. 3.1 (exact: ours)", "E |Khat - K|_F^2 / |K|_F^2 = wick_c / P exactly (Wick's theorem)",
     "largest over P of |mean rel_dist^2 - wick_c/P| / (k se) (random-features/seeds.dat, fit.dat)", "none (exact)",
     "<= 1: within k se at every P", check_rf_wick, NULL, 0},
    {"rf-gd", "sec. 3.1",
     "gradient descent on theta is kernel gradient descent with the random tangent kernel",
     "max over steps and points of |f_theta - f_kernel| (random-features/gd-trace.dat)", "equal",
     "<= steps x DBL_EPSILON x max|f|: rounding", check_rf_gd, NULL, 0},
    {"nl-limit", "Thm. 1 (Lipschitz sigma)",
     "for \"a Lipschitz nonlinearity\" the NTK converges to Theta(L) (relu, erf, tanh, sigmoid, softplus, gelu, identity)",
     "rel_dist of the seed mean to Theta(4) over noise_dist, its standard error (nonlinearities/summary.dat)", "0",
     "largest <= k", check_nl, "lipschitz", 0},
    {"nl-square", "extension (square is not Lipschitz)", "the same for sigma(x) = x^2 (outside Thm. 1)",
     "as nl-limit, square", "none", "<= k", check_nl, "square", 0},
    {"pd-prop2", "Prop. 2",
     "for a non-polynomial Lipschitz sigma and L >= 2, Theta(L) is positive definite on the sphere",
     "positive-definiteness/ratio.dat verdicts, depth >= 2, non-polynomial sigma", "positive",
     "none negative beyond rounding c N eps, at least one resolved positive", check_pd, "prop2", 0},
    {"pd-poly", "extension (ours, not the paper's)",
     "a polynomial kernel (L = 1, identity, square) is singular on more points than its rank",
     "ratio.dat verdicts where rank_bound > 0 and points > rank_bound", "none (ours)",
     "all within rounding c N eps", check_pd, "poly", 0},
    {"gen-width", "Thm. 2, sec. 5 (relu outside Thm. 2's hypotheses)",
     "as the widths grow, a network trained by least squares follows kernel gradient descent with Theta(L): at time t it "
     "is f_0 + Theta_x A_t (Y - f_0(X)), the limit from its own initial function (paraphrase)",
     "RMS distance of the MNIST test outputs to that limit at the networks' last t, mean over seeds, narrowest minus "
     "widest width (generalization/distance.dat)",
     "smaller (no number)", "narrow - wide > k se over seeds", check_gen_width, NULL, 0},
    {"gen-rate", "Thm. 2, sec. 5 (rate: ours)",
     "as gen-width; rate n^-1/2 (ours: the NTK's n^-1/2 fluctuation at initialisation carried linearly through training)",
     "slope of log dist on log width at the networks' last t (generalization/distance.dat)", "none (our -0.5)",
     "|slope + 1/2| <= k se (larger of residuals' and seeds')", check_rate,
     "generalization/distance.dat:-:width:dist:dist_std:seeds", -0.5},
    {"gen-infinity", "sec. 5",
     "as t -> infinity the limiting network is Gaussian with mean Theta(x,X) Theta(X,X)^-1 y*, ridgeless kernel "
     "regression with the NTK (paraphrase)",
     "the widest networks' test MSE at their last t against the limit's expected test MSE at t = infinity (the mean's "
     "plus the variance: a random infinitely wide net's), same training digits (generalization/summary.dat)",
     "equal (no number)",
     "|net - limit| <= k se over seeds; not decided where the limit itself, at the networks' t, is more than k se from "
     "its t = infinity value", check_gen_infinity, NULL, 0},
};
#define NCLAIMS (sizeof claims / sizeof claims[0])

/* ---- the program ------------------------------------------------------------------- */

static const char *vname(verdict v)
{
    switch (v) {
    case PASS: return "pass";
    case FAIL: return "FAIL";
    case FITTED: return "fitted";
    case BADDATA: return "BAD DATA";
    default: return "not decided";
    }
}

static void fmt_value(char *buf, size_t n, const result *r)
{
    if (r->v == BADDATA || (!isfinite(r->value) && r->v == UNDECIDED && !r->detail[0])) snprintf(buf, n, "-");
    else if (isfinite(r->se)) snprintf(buf, n, "%.4g +- %.2g", r->value, r->se);
    else snprintf(buf, n, "%.4g", r->value);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: claims [data=DIR] [committed=DIR] [out=FILE] [table]\n"
               "  the paper's claims decided on the data files under DIR (default data); see src/cmd/claims.c\n");
}

int main(int argc, char **argv)
{
    const char *dir = "data", *committed = NULL, *outpath = NULL;
    int table = 0;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "data=", 5) == 0) dir = argv[i] + 5;
        else if (strncmp(argv[i], "committed=", 10) == 0) committed = argv[i] + 10;
        else if (strncmp(argv[i], "out=", 4) == 0) outpath = argv[i] + 4;
        else if (strcmp(argv[i], "table") == 0) table = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0) { usage(stdout); return 0; }
        else {
            fprintf(stderr, "claims: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (table) {
        printf("| id | source | the paper's statement | quantity (data file) | paper's value | criterion |\n|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < NCLAIMS; i++)
            printf("| %s | %s | %s | %s | %s | %s |\n", claims[i].id, claims[i].source, claims[i].statement,
                   claims[i].quantity, claims[i].paper, claims[i].criterion);
        return 0;
    }
    if (!*dir) { fprintf(stderr, "claims: data= is empty\n"); return 2; }
    char defout[1100];
    if (!outpath) {
        snprintf(defout, sizeof defout, "%s/claims/verdict.dat", dir);
        outpath = defout;
    }

    static result res[NCLAIMS], com[NCLAIMS];
    size_t count[5] = {0}; /* pass, FAIL, not decided, fitted, bad data */
    for (size_t i = 0; i < NCLAIMS; i++) {
        res[i].value = res[i].se = NAN;
        claims[i].check(dir, &claims[i], &res[i]);
        if (committed) {
            com[i].value = com[i].se = NAN;
            claims[i].check(committed, &claims[i], &com[i]);
        }
        count[res[i].v == PASS ? 0 : res[i].v == FAIL ? 1 : res[i].v == FITTED ? 3 : res[i].v == BADDATA ? 4 : 2]++;
    }

    printf("make claims: %zu claims of the paper decided on %s/ (committed values: %s)\n", NCLAIMS, dir,
           committed ? "HEAD's data/, by git archive" : "none, no git history here");
    printf("  criteria: K = %g standard errors over seeds, a bound from the mathematics, or the paper's rounding "
           "(the table: bin/claims table)\n\n", K);
    for (size_t i = 0; i < NCLAIMS; i++) {
        const claim *c = &claims[i];
        const result *r = &res[i];
        char v[64], cv[64];
        fmt_value(v, sizeof v, r);
        if (committed) fmt_value(cv, sizeof cv, &com[i]);
        else snprintf(cv, sizeof cv, "-");
        printf("%-11s %-20s [%s] %s | paper %s | this run (%s) %s | committed %s | %s%s%s\n", vname(r->v), c->id,
               c->source, c->statement, c->paper, r->profile[0] ? r->profile : "-", v, cv,
               r->detail, r->detail[0] && r->why[0] ? "; " : "", r->why);
    }
    printf("\nclaims: %zu pass, %zu FAIL, %zu not decided at this profile, %zu fitted (not tests)%s", count[0],
           count[1], count[2], count[3], count[4] ? "," : "\n");
    if (count[4]) printf(" %zu with bad data\n", count[4]);

    /* The same as a data file: the statements and details as header lines, then one row
     * per claim: value, se, committed value, verdict (1 pass, -1 FAIL, 0 not decided,
     * 2 fitted, -2 bad data). */
    ntk_out *o = ntk_out_open(outpath, "claims");
    int st = !o;
    if (o) {
        st |= ntk_out_param(o, "data", "%s", dir);
        st |= ntk_out_param(o, "committed", "%s", committed ? committed : "none");
        st |= ntk_out_param(o, "K", "%g", K);
        for (size_t i = 0; i < NCLAIMS; i++) {
            st |= ntk_out_comment(o, "%s [%s] %s | paper %s | %s | criterion: %s", claims[i].id, claims[i].source,
                                  claims[i].statement, claims[i].paper, claims[i].quantity, claims[i].criterion);
            st |= ntk_out_comment(o, "%s: %s (profile %s) %s%s%s", claims[i].id, vname(res[i].v),
                                  res[i].profile[0] ? res[i].profile : "-", res[i].detail,
                                  res[i].detail[0] && res[i].why[0] ? "; " : "", res[i].why);
        }
        st |= ntk_out_comment(o, "verdict: 1 pass, -1 FAIL, 0 not decided at this profile, 2 fitted (not a test), -2 bad data");
        st |= ntk_out_columns(o, "claim value se committed verdict");
        for (size_t i = 0; i < NCLAIMS; i++) {
            double row[4] = {res[i].value, res[i].se, committed ? com[i].value : NAN, (double)res[i].v};
            st |= ntk_out_row_labelled(o, claims[i].id, 4, row);
        }
        st = st ? (ntk_out_abort(o), 1) : ntk_out_close(o);
    }
    if (st) fprintf(stderr, "claims: cannot write %s: %s\n", outpath, ntk_last_error());
    else printf("written: %s\n", outpath);

    for (size_t i = 0; i < NCLAIMS; i++)
        if (res[i].v == BADDATA) fprintf(stderr, "claims: %s\n", res[i].why);
    if (count[4] || st) return 2;
    return count[1] ? 1 : 0;
}
