/* experiment.h - the run protocol every experiment program shares.
 *
 * An experiment splits into independent runs (one width and seed, say), each written
 * to its own data file OUT/runs/ID.dat, and a summary step that reads the runs back
 * and writes the files gnuplot plots. The Makefile asks the program for its runs,
 * makes each run a target of its own (so `make -j` runs them side by side and a
 * finished run survives an interrupted one), then summarises. The command line:
 *
 *   PROG runs      [profile=NAME] [out=DIR] [key=value ...]  the run ids, one a line
 *   PROG run ID    [profile=NAME] [out=DIR] [key=value ...]  one run -> DIR/runs/ID.dat
 *   PROG summarize [profile=NAME] [out=DIR] [key=value ...]  the runs -> summary files
 *   PROG estimate  [profile=NAME] [out=DIR] [key=value ...]  expected time of each run
 *   PROG --help                                   the commands and every parameter
 *
 * An experiment declares what is its own (ntk_experiment below): its name (the data
 * directory data/NAME follows from it), its profile table, how it reads its settings,
 * the list of its runs, what one run does, how the runs are summarised, and what one
 * run costs. ntk_exp_main owns the rest:
 *
 * - the command line. A bad argument, parameter or run id ends the program with one
 *   line "PROG: message" on stderr and exit status 2, before anything is written.
 * - the run list: `runs` prints it; `run ID` runs ID only if it is on it.
 * - run-file names and headers: a run writes OUT/runs/ID.dat (ntk_exp_run_file),
 *   whose header records the program, the command, the profile and every parameter.
 * - pre-flight: before a run starts, OUT/runs is created and checked writable, so a
 *   run that could not save its result fails at once, not after its work.
 * - divergence: every training loop reports its loss (ntk_exp_check_loss); a loss
 *   that is not finite, or above NTK_EXP_DIVERGED times the loss before the first
 *   step, ends the run (status 1, a message naming the step and the learning rate).
 * - reading runs back: before summarize() is called every run file is read, and its
 *   header checked against the current settings (ntk_exp_run below); a missing or
 *   stale file ends the program naming it.
 * - all or nothing: the files a command opens (ntk_exp_open, ntk_exp_run_file) are
 *   written to temporary names and renamed into place, in the order they were opened,
 *   only when the command has finished; any error before then removes them all. A
 *   failed run or summary leaves the previous files as they were.
 * - every print and every exit: the library (libntk) returns status codes and never
 *   prints; experiment code ends the program through ntk_exp_die and friends.
 */
#ifndef NTK_EXPERIMENT_H
#define NTK_EXPERIMENT_H

#include <stddef.h>

#include "error.h"
#include "net.h"
#include "nonlin.h"
#include "output.h"
#include "params.h"
#include "table.h"

typedef enum { NTK_EXP_RUNS, NTK_EXP_RUN, NTK_EXP_SUMMARIZE, NTK_EXP_ESTIMATE } ntk_exp_command;

/* What one run is expected to cost on the reference machine: floating-point work
 * bound by matrix products (priced at NTK_EXP_REF_GEMM_RATE times the experiment's
 * gemm_efficiency; work done in float32 GEMMs, flops_single, at NTK_EXP_REF_SGEMM_RATE
 * times the same efficiency), plus seconds of other work the experiment prices itself
 * (quadrature, say), and its peak memory and the bytes it writes (run files,
 * checkpoints): what a scheduler must reserve (src/tools/slurm.sh). */
typedef struct {
    double flops;
    double flops_single; /* of a network in single precision: ntk_exp_cost_net */
    double seconds;
    double memory;  /* bytes the run allocates at its peak (NTK_EXP_BASE_MEMORY is added) */
    double disk;    /* bytes the run writes */
} ntk_exp_cost;

/* The reference machine the estimates are priced on (and calibrated against: REPRODUCE.md,
 * "The paper profiles on a cluster"): 2 cores, double-precision GEMM at 96 GFLOP/s with 2
 * OpenBLAS threads (`make bench`, idle). A program and its libraries take about
 * NTK_EXP_BASE_MEMORY before any run allocates. */
#define NTK_EXP_REF_GEMM_RATE 96e9
/* float32 GEMM on the same machine (`make bench`, sgemm-2048, idle: 181-199 GFLOP/s) */
#define NTK_EXP_REF_SGEMM_RATE 181e9
#define NTK_EXP_REF_THREADS 2
#define NTK_EXP_BASE_MEMORY 64e6
/* Seconds every run takes besides its work: starting the program, reading and writing
 * its files (positive definiteness: 288 runs of milliseconds of work in 27 s). */
#define NTK_EXP_RUN_OVERHEAD 0.05

/* Run ids are shorter than this; they name files: letters, digits, - _ . only. */
#define NTK_EXP_ID_MAX 64

/* One run of the list: its id, the experiment's description of it (run_size bytes,
 * a copy of what ntk_exp_add_run was given), and, during summarize, its file read
 * back (path: OUT/runs/ID.dat). */
typedef struct {
    char id[NTK_EXP_ID_MAX];
    void *spec;
    char *path;
    ntk_table table;
} ntk_exp_run;

typedef struct ntk_exp ntk_exp;

/* An experiment, as its main.c declares it. The callbacks get the settings struct
 * (settings_size bytes, zeroed, filled by `settings`) and a run's spec as void
 * pointers to the experiment's own types. */
typedef struct {
    const char *name;                  /* data/NAME, `make NAME`, figures/NAME*: [a-z0-9-] */
    const char *summary;               /* what it shows, for --help (lines under 80 columns) */
    const ntk_param_def *params;       /* the profile table (params.h) */
    size_t nparams;
    const char *const *free_keys;      /* parameters a run file may differ in (they change
                                          no result), NULL-terminated; NULL: none */
    size_t settings_size, run_size;
    /* Read and check the parameters into settings (ntk_exp_long etc.: a bad one ends
     * the program with status 2). */
    void (*settings)(const ntk_exp *e, void *settings);
    /* The runs of these settings, in order: one ntk_exp_add_run each. */
    void (*runs)(ntk_exp *e, const void *settings);
    /* The expected cost of one run. */
    ntk_exp_cost (*cost)(const ntk_exp *e, const void *settings, const void *run);
    /* The share of NTK_EXP_REF_GEMM_RATE its runs' flops reach on the reference
     * machine, as calibrated (0: 1). */
    double gemm_efficiency;
    /* One run: compute, then write ntk_exp_run_file(e, NULL) (and any side files). */
    void (*run)(const ntk_exp *e, const void *settings, const void *run);
    /* The summary: e->runs[i].table holds run i's file, read and checked. */
    void (*summarize)(const ntk_exp *e, const void *settings);
} ntk_experiment;

struct ntk_exp {
    const char *name;         /* the program, e.g. "fig1-ntk-convergence" (for messages) */
    const ntk_experiment *x;
    ntk_exp_command cmd;
    const char *run_id;       /* for NTK_EXP_RUN */
    char out[1024];           /* data directory */
    ntk_params params;
    size_t nruns;             /* the run list (ntk_exp_add_run) */
    ntk_exp_run *runs;
    const ntk_exp_run *run;   /* the run being computed (command run) */
    struct ntk_exp_files *files; /* files opened, committed when the command ends */
};

/* Adds flops of a network's work in precision p to c (flops, or flops_single). */
void ntk_exp_cost_net(ntk_exp_cost *c, ntk_precision p, double flops);

/* The seconds cost c takes on the reference machine (x->gemm_efficiency applied). */
double ntk_exp_cost_seconds(const ntk_experiment *x, ntk_exp_cost c);

/* `estimate`: every run's time, peak memory and disk on the reference machine, as a
 * table on stderr and as "ID SECONDS MEMORY_BYTES DISK_BYTES" lines on stdout (after
 * two '#' lines), for schedulers. */
void ntk_exp_print_estimate(const ntk_exp *e, const void *settings);

/* Bytes of a network of the given depth and hidden width on n0 inputs (its parameters)
 * and of a batch of cap inputs for it: most of a run's peak memory. */
double ntk_exp_net_memory(const ntk_exp *e, size_t n0, long depth, long width, size_t cap);

/* Bytes of a data file of rows x cols numbers (with its header). */
double ntk_exp_file_bytes(double rows, double cols);

/* The whole program: parse the command line, read the settings, list the runs, and do
 * the command. Returns the exit status (0); every failure exits from inside. */
int ntk_exp_main(const ntk_experiment *x, int argc, char **argv);

/* Add a run to the list (from x->runs): its spec (run_size bytes, copied) and its id,
 * printf-formatted. An id given twice (a parameter list repeating a value) ends the
 * program with status 2; an id that is not a file name, with status 1. */
void ntk_exp_add_run(ntk_exp *e, const void *spec, const char *id_fmt, ...) __attribute__((format(printf, 3, 4)));

/* The data file of the run being computed, OUT/runs/ID.dat, or with a suffix
 * OUT/runs/IDSUFFIX.dat (a side file of the run, e.g. "-curves"), header written. */
ntk_out *ntk_exp_run_file(const ntk_exp *e, const char *suffix);

/* A side file of run i, OUT/runs/IDSUFFIX.dat, read into t (status 1 on error). */
void ntk_exp_read_side_file(const ntk_exp *e, size_t i, const char *suffix, ntk_table *t);

/* Run i's file has `rows` rows and every column named in `columns` (space-separated);
 * else status 1, naming the file: "not a run of these settings ...: rerun it". */
void ntk_exp_check_run(const ntk_exp *e, size_t i, size_t rows, const char *columns);

/* The mean and sample standard deviation (stats.h) of column col at row `row` over the
 * runs i0 .. i0 + n - 1 (the seeds of one setting, say); std may be NULL. */
void ntk_exp_runs_mean_std(const ntk_exp *e, size_t i0, size_t n, size_t row, const char *col, double *mean,
                           double *std);

/* Every row of run i's file into o, the columns named in `columns` (space-separated) in
 * that order; a missing column ends the program as ntk_exp_check_run does. */
void ntk_exp_copy_run(const ntk_exp *e, size_t i, ntk_out *o, const char *columns);

/* The header value `key` of run i's file: as a number, or as text. A missing key (or
 * not a number) ends the program with status 1 and a message naming the file and key. */
double ntk_exp_run_double(const ntk_exp *e, size_t i, const char *key);
const char *ntk_exp_run_str(const ntk_exp *e, size_t i, const char *key);

/* The checkpoint of the run being computed: its path OUT/checkpoints/ID.ckpt into
 * path, and into tag a line naming the program, the run and every parameter but
 * those of `except` (NULL-terminated keys that change nothing a checkpoint holds):
 * a checkpoint made under another tag is not resumed (checkpoint.h). Once the run's
 * files are committed the harness removes the checkpoint. Status 1 when either does
 * not fit its buffer. */
void ntk_exp_checkpoint(const ntk_exp *e, const char *const *except, char *path, size_t path_size, char *tag,
                        size_t tag_size);

/* Divergence: a training loss may grow at most this factor over the loss before the
 * first step. Gradient descent at a stable rate decreases the loss near a minimum and
 * may overshoot it early by a modest factor; at an unstable rate the loss grows
 * geometrically and passes any fixed factor within a few dozen steps. 1e4 is far above
 * the first and reached quickly by the second. */
#define NTK_EXP_DIVERGED 1e4

/* Check one training loss: `loss` at step `step` of `what` (a label: "training"),
 * `loss0` the loss before the first step, lr the learning rate. A loss that is not
 * finite or above NTK_EXP_DIVERGED * loss0 ends the program with status 1 and no run
 * file: "ID: WHAT diverged at step K (loss L, more than 10000 times its initial L0)
 * with learning rate lr=LR; ...". */
void ntk_exp_check_loss(const ntk_exp *e, const char *what, size_t step, double loss, double loss0, double lr);

/* Layer widths of a net of n0 inputs, depth weight matrices, every hidden layer width
 * wide, one output: a malloc'd array n[0..depth] (free it; set n[depth] for more
 * outputs), or status 1. */
size_t *ntk_exp_widths(const ntk_exp *e, size_t n0, long depth, long width);

/* The number of parameters P of the net ntk_exp_net makes for these sizes (for costs). */
double ntk_exp_net_params(const ntk_exp *e, size_t n0, long depth, long width);

/* A net of n0 inputs, depth weight matrices, every hidden layer width wide and one
 * output, bias scale beta, nonlinearity sigma, in the given precision (net.h; an
 * experiment's `precision` parameter, ntk_exp_precision); status 1 on a library error. */
ntk_net *ntk_exp_net(const ntk_exp *e, size_t n0, long depth, long width, double beta, const ntk_nonlin *sigma,
                     ntk_precision precision);

/* Print "PROG: message" (fmt) to stderr, remove every file this command opened, and
 * exit(code). */
void ntk_exp_die(const ntk_exp *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* A note on stderr, "PROG: message" (a recorded failure, a resumed run). */
void ntk_exp_note(const ntk_exp *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* End the program (status 1) with the library's last error message unless status is
 * 0, or unless p is non-NULL; ntk_exp_need returns p. */
void ntk_exp_ok(const ntk_exp *e, int status);
void *ntk_exp_need(const ntk_exp *e, void *p);

/* Parameter getters that end the program (status 2) on a bad value. */
long ntk_exp_long(const ntk_exp *e, const char *key, long min, long max);
double ntk_exp_double(const ntk_exp *e, const char *key, double min, double max);
size_t ntk_exp_longs(const ntk_exp *e, const char *key, long min, long max, size_t maxn, long *out);
const char *ntk_exp_str(const ntk_exp *e, const char *key);

/* The nonlinearity named by parameter key (status 2 if the table has no such name). */
const ntk_nonlin *ntk_exp_nonlin(const ntk_exp *e, const char *key);

/* The precision named by parameter key: double or single (net.h; status 2 otherwise). */
ntk_precision ntk_exp_precision(const ntk_exp *e, const char *key);

/* The comma-separated nonlinearities of parameter key, or "all" (the whole table), into
 * out (at most max); returns how many (at least 1: an empty list ends with status 2). */
size_t ntk_exp_nonlins(const ntk_exp *e, const char *key, const ntk_nonlin **out, size_t max);

/* Train net by `steps` full-batch gradient steps of rate lr on the N inputs X (targets
 * Y; b holds N or more), with a progress line `label` (NULL: "PROG ID training");
 * every loss is checked (ntk_exp_check_loss). Sets *loss0 to the loss before the
 * first step (NaN if steps is 0) and returns the loss after the last, 1/(2N) sum
 * (f - y)^2. */
double ntk_exp_train(const ntk_exp *e, ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                     long steps, double lr, const char *label, double *loss0);

/* Open OUT/relpath as a data file whose header records the program, the command,
 * the profile and every parameter; committed when the command ends (see above). */
ntk_out *ntk_exp_open(const ntk_exp *e, const char *relpath);

#endif
