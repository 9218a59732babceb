/* estimate.c - what the runs of an experiment are expected to cost, priced on the
 * reference machine (experiment.h, NTK_EXP_REF_GEMM_RATE), for people and for
 * schedulers: `PROG estimate` and the line each run prints when it starts.
 *
 * The price is fixed, not measured: the same settings give the same estimate on every
 * call (measuring the GEMM rate at each call moved it by 12% under load), and a
 * scheduler's time limit comes from a number that was checked against measured runs.
 * REPRODUCE.md ("The paper profiles on a cluster") describes the calibration.
 */
#include <stdio.h>
#include <stdlib.h>

#include "experiment.h"
#include "progress.h"

double ntk_exp_cost_seconds(const ntk_experiment *x, ntk_exp_cost c)
{
    double eff = x && x->gemm_efficiency > 0.0 ? x->gemm_efficiency : 1.0;
    return c.flops / (NTK_EXP_REF_GEMM_RATE * eff) + c.flops_single / (NTK_EXP_REF_SGEMM_RATE * eff) + c.seconds +
           NTK_EXP_RUN_OVERHEAD;
}

void ntk_exp_cost_net(ntk_exp_cost *c, ntk_precision p, double flops)
{
    if (p == NTK_SINGLE) c->flops_single += flops;
    else c->flops += flops;
}

/* "1.23 GB" style, decimal units, into buf. */
static const char *bytes_text(double b, char *buf, size_t size)
{
    const char *unit[] = {"B", "kB", "MB", "GB", "TB"};
    int k = 0;
    while (b >= 999.5 && k < 4) b /= 1000.0, k++;
    snprintf(buf, size, k ? "%.3g %s" : "%.0f %s", b, unit[k]);
    return buf;
}

void ntk_exp_print_estimate(const ntk_exp *e, const void *s)
{
    const ntk_experiment *x = e->x;
    double t_all = 0.0, t_max = 0.0, mem_max = 0.0, disk_all = 0.0;
    const char *longest = "";
    /* For schedulers, on stdout: one line a run. */
    printf("# %s estimate (%s profile), priced on the reference machine (GEMM %.0f GFLOP/s double, %.0f single, %d threads)\n",
           e->name, e->params.profile, NTK_EXP_REF_GEMM_RATE / 1e9, NTK_EXP_REF_SGEMM_RATE / 1e9, NTK_EXP_REF_THREADS);
    printf("# run seconds memory_bytes disk_bytes\n");
    char t[32], m[32], d[32];
    fprintf(stderr, "%s (%s profile): each run on the reference machine (%d threads, GEMM %.0f GFLOP/s double, %.0f single):\n",
            e->name, e->params.profile, NTK_EXP_REF_THREADS, NTK_EXP_REF_GEMM_RATE / 1e9, NTK_EXP_REF_SGEMM_RATE / 1e9);
    fprintf(stderr, "  %-24s %12s %12s %12s\n", "run", "time", "peak memory", "disk");
    for (size_t i = 0; i < e->nruns; i++) {
        ntk_exp_cost c = x->cost(e, s, e->runs[i].spec);
        double mem = c.memory + NTK_EXP_BASE_MEMORY, secs = ntk_exp_cost_seconds(x, c);
        printf("%s %.4g %.4g %.4g\n", e->runs[i].id, secs, mem, c.disk);
        fprintf(stderr, "  %-24s %12s %12s %12s\n", e->runs[i].id, ntk_progress_format_duration(secs, t, sizeof t),
                bytes_text(mem, m, sizeof m), bytes_text(c.disk, d, sizeof d));
        t_all += secs, disk_all += c.disk;
        if (mem > mem_max) mem_max = mem;
        if (secs > t_max) t_max = secs, longest = e->runs[i].id;
    }
    fflush(stdout);
    fprintf(stderr, "  %-24s %12s %12s %12s   (%zu runs one after the other; longest run %s, ",
            "all runs", ntk_progress_format_duration(t_all, t, sizeof t), bytes_text(mem_max, m, sizeof m),
            bytes_text(disk_all, d, sizeof d), e->nruns, longest);
    fprintf(stderr, "%s)\n", ntk_progress_format_duration(t_max, t, sizeof t));
}

double ntk_exp_net_memory(const ntk_exp *e, size_t n0, long depth, long width, size_t cap)
{
    size_t *n = ntk_exp_widths(e, n0, depth, width);
    double P = (double)ntk_net_count_params((size_t)depth, n), units = 0.0;
    for (long l = 0; l <= depth; l++) units += (double)n[l];
    free(n);
    /* theta; the batch: z, a and d of every layer and a row of ones (ntk_batch_alloc) */
    return 8.0 * (P + (double)cap * (3.0 * units + 1.0));
}

double ntk_exp_file_bytes(double rows, double cols)
{
    return 4096.0 + rows * cols * 25.0; /* the header, then %.17g columns */
}
