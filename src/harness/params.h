/* params.h - an experiment's parameters: one table of profiles, overridable on the
 * command line.
 *
 * Each experiment declares its parameters once, in one readable table:
 *
 *   static const ntk_param_def defs[] = {
 *     // key       smoke     default     paper         meaning
 *     {"widths",  "20,40",  "500,2000", "500,10000",  "hidden widths, one run each"},
 *     {"steps",   "5",      "200",      "200",        "gradient steps (lr 1.0)"},
 *   };
 *
 * and its program accepts `profile=NAME` (smoke, default, paper; default when not
 * given) and `key=value` for any key (also written --key value or --key=value), the
 * last one winning. Values are kept as text and converted, with their range checked,
 * by the getters, whose messages name the key, the value and what was expected.
 */
#ifndef NTK_PARAMS_H
#define NTK_PARAMS_H

#include <stddef.h>
#include <stdio.h>

#include "output.h"

typedef struct {
    const char *key;
    const char *smoke, *deflt, *paper; /* the value in each profile */
    const char *help;
} ntk_param_def;

#define NTK_PARAMS_MAX 64

typedef struct {
    const ntk_param_def *defs;
    size_t n;
    const char *profile;              /* "smoke", "default" or "paper" */
    const char *value[NTK_PARAMS_MAX]; /* current value of defs[i] */
    int overridden[NTK_PARAMS_MAX];   /* 1 where the command line set it */
} ntk_params;

/* Returned by ntk_params_parse when --help or -h was given. */
#define NTK_PARAMS_HELP (-1)

/* Parse argv[1..argc-1]. 0 on success, NTK_PARAMS_HELP for --help, or GSL_EINVAL
 * with ntk_last_error() naming the bad argument (unknown key or profile, a key
 * without a value). */
int ntk_params_parse(ntk_params *p, const ntk_param_def *defs, size_t n, int argc, char **argv);

/* The parameter table for --help: each key, its meaning and its value per profile,
 * in lines of at most 80 columns. */
void ntk_params_usage(FILE *f, const ntk_params *p);

/* Getters: 0, or GSL_EINVAL with a message naming the key and the value. */
const char *ntk_params_str(const ntk_params *p, const char *key);
int ntk_params_long(const ntk_params *p, const char *key, long min, long max, long *out);
int ntk_params_double(const ntk_params *p, const char *key, double min, double max, double *out);
/* A comma-separated list of 1..maxn integers in [min, max]. */
int ntk_params_longs(const ntk_params *p, const char *key, long min, long max, size_t maxn,
                     long *out, size_t *n);

/* "# profile = NAME" and "# KEY = VALUE" for every parameter, into a data file header;
 * VALUE is followed by "  " NTK_PARAMS_SET_MARK where the command line set it. */
#define NTK_PARAMS_SET_MARK "(set on the command line)"
int ntk_params_write(const ntk_params *p, ntk_out *o);

#endif
