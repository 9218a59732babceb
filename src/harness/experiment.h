/* experiment.h - the shape every experiment program shares.
 *
 * An experiment splits into independent runs (one width and seed, say), each
 * written to its own data file, and a summary step that reads the runs back and
 * writes the files gnuplot plots. The Makefile asks the program for its runs, makes
 * each run a target of its own (so `make -j` runs them side by side and a finished
 * run survives an interrupted one), then summarises:
 *
 *   PROG runs      [profile=NAME] [key=value ...]   list the run ids, one per line
 *   PROG run ID    [profile=NAME] [key=value ...]   compute one run into OUT/runs/ID.dat
 *   PROG summarize [profile=NAME] [key=value ...]   read the runs, write the summary files in OUT
 *   PROG estimate  [profile=NAME] [key=value ...]   print the expected run time
 *   PROG --help                                      the parameters of each profile
 *
 * `out=DIR` (default data/NAME) sets the data directory. Every parameter is checked
 * before anything is written: a bad one ends the program with a message and exit
 * status 2, and nothing on disk changes.
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

typedef struct {
    const char *name;        /* the program, e.g. "fig1-ntk-convergence" */
    ntk_exp_command cmd;
    const char *run_id;      /* for NTK_EXP_RUN */
    char out[1024];          /* data directory */
    ntk_params params;
} ntk_exp;

/* Parse the command line (see above). Prints --help and exits 0; on a bad argument
 * prints "NAME: message" and exits 2 (a program's front end may exit: the library
 * proper never does). */
void ntk_exp_init(ntk_exp *e, const char *name, const char *summary, const ntk_param_def *defs,
                  size_t ndefs, const char *default_out, int argc, char **argv);

/* Print "NAME: message" (the last library error, or fmt) to stderr and exit(code). */
void ntk_exp_die(const ntk_exp *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

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

/* The comma-separated nonlinearities of parameter key, or "all" (the whole table), into
 * out (at most max); returns how many (at least 1: an empty list ends with status 2). */
size_t ntk_exp_nonlins(const ntk_exp *e, const char *key, const ntk_nonlin **out, size_t max);

/* The run ids wWIDTH-sSEED of every width (n of them) and seed 1..seeds, one a line
 * on stdout, width by width. */
void ntk_exp_print_grid_runs(const long *widths, size_t n, long seeds);

/* Parse id (e->run_id or its tail) as wWIDTH-sSEED into width and seed, and check that
 * it is one of the runs ntk_exp_print_grid_runs lists; else status 2 and a message
 * naming e->run_id: "bad run id ...: expected FORM" or "... not one of this profile's runs". */
void ntk_exp_parse_grid_run(const ntk_exp *e, const char *id, const char *form, const long *widths, size_t n,
                            long seeds, long *width, long *seed);

/* Layer widths n[0..depth] of a net of n0 inputs, every hidden layer width wide, one output. */
void ntk_exp_layer_widths(size_t *n, size_t n0, long depth, long width);

/* Train net by `steps` full-batch gradient steps of rate lr on the N inputs X (targets
 * Y; b holds N or more), with a progress line `label`. Sets *loss0 to the loss before
 * the first step (NaN if steps is 0) and returns the loss after the last, 1/(2N)
 * sum (f - y)^2. Dies (status 1) on a library error. */
double ntk_exp_train(const ntk_exp *e, ntk_net *net, ntk_batch *b, const double *X, const double *Y, size_t N,
                     long steps, double lr, const char *label, double *loss0);

/* OUT/relpath into buf (size bytes). */
const char *ntk_exp_path(const ntk_exp *e, char *buf, size_t size, const char *relpath);

/* Open OUT/relpath as a data file whose header records the program, the command,
 * the profile and every parameter. Dies (status 1) on failure. */
ntk_out *ntk_exp_open(const ntk_exp *e, const char *relpath);

/* Read the run file at path (OUT/runs/ID.dat, see ntk_exp_path) into t, and check that
 * its header records this profile and every parameter as they are now (a value set on
 * the command line is the same value), except the keys of free_keys (NULL-terminated,
 * or NULL: settings that do not change results). Dies (status 1) on a read error, and
 * on a missing or other value with a message naming the file, the key, both values
 * and what to do, so that a summary never mixes runs of different settings. */
void ntk_exp_read_run(const ntk_exp *e, const char *path, ntk_table *t, const char *const *free_keys);

/* Close a data file, dying with the message on failure (nothing half-written stays). */
void ntk_exp_close(const ntk_exp *e, ntk_out *o);

/* Print the expected cost: total floating-point work, and the time at the GEMM rate
 * this machine measures now (ntk_exp_gemm_rate), on stderr. Returns the seconds. */
double ntk_exp_announce(const ntk_exp *e, const char *what, double flops);

/* This machine's double-precision GEMM rate in flop/s, measured in ~0.2 s on square
 * matrices of side n (1024 is a good value). */
double ntk_exp_gemm_rate(size_t n);

#endif
