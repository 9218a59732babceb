/* nonlin.h - the table of nonlinearities sigma, each with its derivative.
 *
 * Every part of the suite takes its nonlinearity from this one table: the network
 * (forward and backward), the limiting kernels (which use the closed form when the
 * entry names one and 2-D Gaussian quadrature otherwise) and the `ntk` command.
 * Adding a nonlinearity is adding one row to the table in nonlin.c.
 */
#ifndef NTK_NONLIN_H
#define NTK_NONLIN_H

#include <stddef.h>

/* Which closed form of the Gaussian expectations E[s(u)s(v)], E[s'(u)s'(v)] applies. */
typedef enum {
    NTK_CLOSED_NONE = 0, /* none: 2-D Gaussian quadrature (gauss2.h) */
    NTK_CLOSED_RELU,     /* arc-cosine kernel (Cho and Saul 2009) */
    NTK_CLOSED_ERF       /* arcsine kernel (Williams 1997) */
} ntk_closed_form;

#define NTK_NONLIN_MAX_KINKS 2

typedef struct {
    const char *name;         /* as typed on a command line: "relu", "tanh", ... */
    const char *formula;      /* human-readable definition, for help texts */
    double (*f)(double);      /* sigma */
    double (*df)(double);     /* sigma' (relu'(0) = 0) */
    ntk_closed_form closed;   /* closed form of the limiting-kernel expectations, if any */
    int polynomial;           /* 1 for polynomial sigma (Prop. 2 does not apply) */
    size_t nkinks;            /* points where sigma or sigma' is not smooth, for quadrature */
    double kinks[NTK_NONLIN_MAX_KINKS];
} ntk_nonlin;

/* The entry named `name`, or NULL when there is none. */
const ntk_nonlin *ntk_nonlin_find(const char *name);

/* The table: entries 0 .. ntk_nonlin_count()-1. */
size_t ntk_nonlin_count(void);
const ntk_nonlin *ntk_nonlin_get(size_t i);

/* Comma-separated list of all names, for messages ("relu, erf, ..."). */
const char *ntk_nonlin_names(void);

/* out[i] = sigma(z[i]) for i < n (out may alias z). */
void ntk_nonlin_apply(const ntk_nonlin *s, size_t n, const double *z, double *out);

#endif
