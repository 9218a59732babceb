/* nonlin.c - the nonlinearity table; see nonlin.h. */
#include "nonlin.h"

#include <math.h>
#include <string.h>

/* relu(x) = max(x, 0); relu'(0) is taken as 0 (a measure-zero choice). */
static double relu(double x) { return x > 0.0 ? x : 0.0; }
static double relu_d(double x) { return x > 0.0 ? 1.0 : 0.0; }

static double erf_f(double x) { return erf(x); }
static double erf_d(double x) { return M_2_SQRTPI * exp(-x * x); }

static double tanh_f(double x) { return tanh(x); }
/* 1 - tanh^2 would cancel to zero where it is tiny; 1/cosh^2 keeps relative accuracy
 * (cosh overflows to inf beyond |x| ~ 710, giving the correct underflowed 0). */
static double tanh_d(double x) { double c = cosh(x); return 1.0 / (c * c); }

static double sigmoid(double x)
{
    if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}
/* s (1 - s) cancels for large |x|; e^-|x| / (1 + e^-|x|)^2 does not. */
static double sigmoid_d(double x)
{
    double e = exp(-fabs(x));
    return e / ((1.0 + e) * (1.0 + e));
}

/* softplus(x) = log(1 + e^x), written so that it neither overflows nor loses digits. */
static double softplus(double x) { return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x)); }
static double softplus_d(double x) { return sigmoid(x); }

/* GELU (exact form): x Phi(x), Phi the standard normal CDF. */
static double gelu(double x) { return 0.5 * x * erfc(-x * M_SQRT1_2); }
static double gelu_d(double x)
{
    return 0.5 * erfc(-x * M_SQRT1_2) + x * exp(-0.5 * x * x) * (M_2_SQRTPI * M_SQRT1_2 * 0.5);
}

static double identity(double x) { return x; }
static double identity_d(double x) { (void)x; return 1.0; }

static double square(double x) { return x * x; }
static double square_d(double x) { return 2.0 * x; }

static const ntk_nonlin table[] = {
    {"relu", "max(x, 0)", relu, relu_d, NTK_CLOSED_RELU, 0, 1, {0.0}},
    {"erf", "erf(x)", erf_f, erf_d, NTK_CLOSED_ERF, 0, 0, {0}},
    {"tanh", "tanh(x)", tanh_f, tanh_d, NTK_CLOSED_NONE, 0, 0, {0}},
    {"sigmoid", "1 / (1 + exp(-x))", sigmoid, sigmoid_d, NTK_CLOSED_NONE, 0, 0, {0}},
    {"softplus", "log(1 + exp(x))", softplus, softplus_d, NTK_CLOSED_NONE, 0, 0, {0}},
    {"gelu", "x Phi(x)", gelu, gelu_d, NTK_CLOSED_NONE, 0, 0, {0}},
    {"identity", "x", identity, identity_d, NTK_CLOSED_NONE, 1, 0, {0}},
    {"square", "x^2", square, square_d, NTK_CLOSED_NONE, 1, 0, {0}},
};

#define TABLE_SIZE (sizeof table / sizeof table[0])

size_t ntk_nonlin_count(void) { return TABLE_SIZE; }

const ntk_nonlin *ntk_nonlin_get(size_t i) { return i < TABLE_SIZE ? &table[i] : NULL; }

const ntk_nonlin *ntk_nonlin_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

const char *ntk_nonlin_names(void)
{
    static char names[256];
    if (names[0] == '\0') {
        for (size_t i = 0; i < TABLE_SIZE; i++) {
            if (i) strcat(names, ", ");
            strcat(names, table[i].name);
        }
    }
    return names;
}

void ntk_nonlin_apply(const ntk_nonlin *s, size_t n, const double *z, double *out)
{
    if (s->closed == NTK_CLOSED_RELU) { /* the common case, without a call per element */
        for (size_t i = 0; i < n; i++) out[i] = z[i] > 0.0 ? z[i] : 0.0;
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = s->f(z[i]);
}
