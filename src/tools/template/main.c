/* @NAME@ - ONE SENTENCE: the claim this experiment tests.
 *
 * Made by `make new-experiment NAME=@NAME@` from src/tools/template/. As made, it
 * measures something small and real, so that it runs, summarises and plots under
 * every profile from the start: for each width n and seed, a depth-L network (n0 = 2,
 * one output, every hidden layer n wide) is initialised and its NTK Theta(x0, x0) at
 * x0 = (1, 0) measured (entk.h); the summary puts the mean and spread over seeds
 * beside the limit Theta(L)(x0, x0) (limit.h), which the mean approaches as n grows
 * (paper Theorem 1). Replace the settings, the runs, one run and the summary by the
 * experiment's own (experiments/PROTOCOL.md), and plot.gp and README.md with them.
 */
#include <stdlib.h>

#include "entk.h"
#include "experiment.h"
#include "limit.h"
#include "net.h"
#include "stats.h"

static const ntk_param_def defs[] = {
    /* key      smoke     default        paper              meaning */
    {"widths",  "10,100", "10,100,1000", "10,100,1000,4000", "hidden widths n, one run per width and seed"},
    {"seeds",   "3",      "10",          "20",               "initialisations per width (seeds 1..S)"},
    {"depth",   "3",      "3",           "3",                "L, the number of weight matrices"},
    {"beta",    "0.1",    "0.1",         "0.1",              "bias scale"},
    {"nonlin",  "relu",   "relu",        "relu",             "nonlinearity"},
    {"precision", "double", "double",    "double",           "network arithmetic: double, or single (float GEMMs; outputs and kernels summed in double)"},
};
#define NDEFS (sizeof defs / sizeof defs[0])

typedef struct {
    long widths[16];
    size_t nwidths;
    long seeds, depth;
    double beta;
    const ntk_nonlin *sigma;
    ntk_precision precision;
} settings;

static void read_settings(const ntk_exp *e, void *settings_)
{
    settings *s = settings_;
    s->nwidths = ntk_exp_longs(e, "widths", 1, 100000, 16, s->widths);
    s->seeds = ntk_exp_long(e, "seeds", 2, 1000);
    s->depth = ntk_exp_long(e, "depth", 1, 20);
    s->beta = ntk_exp_double(e, "beta", 0.0, 100.0);
    s->sigma = ntk_exp_nonlin(e, "nonlin");
    s->precision = ntk_exp_precision(e, "precision");
}

/* One run: a width (w: its index in the settings) and a seed. */
typedef struct {
    size_t w;
    long width, seed;
} run_spec;

static void list_runs(ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    for (size_t w = 0; w < s->nwidths; w++)
        for (long q = 1; q <= s->seeds; q++) ntk_exp_add_run(e, &(run_spec){w, s->widths[w], q}, "w%ld-s%ld", s->widths[w], q);
}

/* Floating-point work of one run: a forward and a backward pass of one input through
 * a net of P parameters, about 4 P (and its initialisation, P draws). */
static ntk_exp_cost run_cost(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    double P = ntk_exp_net_params(e, 2, s->depth, r->width);
    return (ntk_exp_cost){.flops = 5.0 * P, .memory = ntk_exp_net_memory(e, 2, s->depth, r->width, 1),
                          .disk = ntk_exp_file_bytes(1.0, 3.0)};
}

/* One run: Theta(x0, x0) of one initialised network, into its run file's header. */
static void run(const ntk_exp *e, const void *settings_, const void *run_)
{
    const settings *s = settings_;
    const run_spec *r = run_;
    const double x0[2] = {1.0, 0.0};
    double theta;
    ntk_net *net = ntk_exp_net(e, 2, s->depth, r->width, s->beta, s->sigma, s->precision);
    ntk_batch *b1 = ntk_exp_need(e, ntk_batch_alloc(net, 1)), *b2 = ntk_exp_need(e, ntk_batch_alloc(net, 1));
    ntk_exp_ok(e, ntk_net_init(net, (unsigned long)r->seed));
    ntk_exp_ok(e, ntk_entk_cross(net, b1, x0, 1, b2, x0, 1, &theta));

    ntk_out *o = ntk_exp_run_file(e, NULL);
    ntk_out_param(o, "width", "%ld", r->width);
    ntk_out_param(o, "seed", "%ld", r->seed);
    ntk_out_columns(o, "theta_x0x0");
    ntk_out_row(o, 1, &theta);
    ntk_batch_free(b1), ntk_batch_free(b2);
    ntk_net_free(net);
}

/* Writes summary.dat: per width the mean and standard deviation over the seeds of
 * Theta(x0, x0), and the limit. */
static void summarize(const ntk_exp *e, const void *settings_)
{
    const settings *s = settings_;
    const size_t S = (size_t)s->seeds, W = s->nwidths;
    const double x0[2] = {1.0, 0.0};
    double *theta = malloc(W * S * sizeof *theta), sigma, limit;
    for (size_t i = 0; i < e->nruns; i++) {
        const run_spec *r = e->runs[i].spec;
        ntk_exp_check_run(e, i, 1, "theta_x0x0");
        theta[r->w * S + (size_t)r->seed - 1] = ntk_table_get(&e->runs[i].table, 0, "theta_x0x0");
    }
    ntk_limit_ws *lw = ntk_exp_need(e, ntk_limit_alloc());
    ntk_exp_ok(e, ntk_limit_pair(s->sigma, (size_t)s->depth, s->beta, x0, x0, 2, lw, &sigma, &limit));
    ntk_limit_free(lw);

    ntk_out *o = ntk_exp_open(e, "summary.dat");
    ntk_out_param(o, "limit", "%.17g", limit);
    ntk_out_comment(o, "Theta(x0, x0), x0 = (1, 0): mean and sample std over the seeds; limit: Theta(L)(x0, x0)");
    ntk_out_columns(o, "width theta_mean theta_std limit");
    for (size_t w = 0; w < W; w++) {
        double m, sd;
        ntk_stats_mean_std(S, theta + w * S, &m, &sd);
        ntk_out_row(o, 4, (double[]){(double)s->widths[w], m, sd, limit});
    }
    free(theta);
}

static const ntk_experiment experiment = {
    .name = "@NAME@",
    .summary = "ONE SENTENCE: what this experiment shows. (As made from the template: the NTK\n"
               "Theta(x0, x0) of networks of a few widths against its limit.)",
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

int main(int argc, char **argv) { return ntk_exp_main(&experiment, argc, argv); }
