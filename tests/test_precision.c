/* test_precision.c - the single-precision network against the double one: the forward
 * pass, one gradient step and the empirical NTK agree within what float rounding
 * allows, the outputs are summed in double, the kernels' float products stay within
 * their panels' bound, and the two precisions do not mix.
 *
 * The tolerance. Each pair of networks below holds the same parameters (the double
 * one is given the float one's values, which doubles represent exactly), and the
 * inputs are the same, so every difference is rounding in the float arithmetic. With
 * u = 2^-24 the unit roundoff of float, a GEMM entry, a sum of n products, is within
 * gamma_n = n u / (1 - n u) of the exact sum relative to the sum of the absolute
 * values of its terms (Higham, Accuracy and Stability of Numerical Algorithms, 3.1);
 * storing a pre-activation, an activation (sigma evaluated in double, then rounded)
 * or a signal adds u; and a layer passes an error on multiplied by |sigma'| times the
 * norm of W(l) / sqrt(n_l), both of order 1 for N(0, 1) weights. Over L layers, forward
 * then backward, that is at most about 2 L (n_max + 3) u relative to the size of the
 * values; the tolerance below is that bound with a factor 4 for the constants (the
 * norms of W / sqrt(n), up to about 2 here, and terms whose absolute sum exceeds
 * their sum), taken relative to the largest |value| of each compared array. Typical
 * differences are far smaller, of order sqrt(n) u (random rounding errors), and are
 * printed; a wrong formula, scale or parameter in either path differs at order 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entk.h"
#include "error.h"
#include "net.h"
#include "check.h"

enum { NIN = 6 };
static const double X[NIN * 3] = {0.385, -1.21, 0.77, -0.62, 0.143, 1.9, 1.04, 0.5, -0.333,
                                  -0.9, -0.45, 0.211, 2.385, 0.05, -0.71, -0.18, 1.33, 0.92};
static const double U = 0x1p-24; /* unit roundoff of float */

/* The bound above for a network of depth L and widest layer n_max. */
static double tolerance(size_t L, size_t nmax) { return 4.0 * 2.0 * (double)L * ((double)nmax + 3.0) * U; }

static double max_abs(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    return m;
}

/* A single-precision network initialised from seed, and a double one holding exactly
 * its parameters. */
static void twins(size_t L, const size_t *n, double beta, const ntk_nonlin *sigma, unsigned long seed,
                  ntk_net **s, ntk_net **d)
{
    *s = ntk_net_alloc_precision(L, n, beta, sigma, NTK_SINGLE);
    *d = ntk_net_alloc(L, n, beta, sigma);
    CU_ASSERT_FATAL(*s && *d);
    CHECK_OK(ntk_net_init(*s, seed));
    double *theta = malloc((*s)->P * sizeof *theta);
    CHECK_OK(ntk_net_get_params(*s, theta));
    CHECK_OK(ntk_net_set_params(*d, theta));
    free(theta);
}

static void test_forward_agrees(void)
{
    const size_t w[] = {3, 40, 30, 1};
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *s, *d;
        twins(3, w, 0.37, ntk_nonlin_get(k), 500 + k, &s, &d);
        ntk_batch *bs = ntk_batch_alloc(s, NIN), *bd = ntk_batch_alloc(d, NIN);
        double Fs[NIN], Fd[NIN];
        CHECK_OK(ntk_net_eval(s, bs, X, NIN, Fs));
        CHECK_OK(ntk_net_eval(d, bd, X, NIN, Fd));
        char what[80];
        snprintf(what, sizeof what, "%s forward, single vs double", s->sigma->name);
        CHECK_ARRAY(Fs, Fd, NIN, 0, tolerance(3, 40) * max_abs(Fd, NIN), what);
        ntk_batch_free(bs), ntk_batch_free(bd);
        ntk_net_free(s), ntk_net_free(d);
    }
}

/* The outputs of a single-precision network are its float activations and weights
 * summed in double: against that sum written out here they agree to double rounding,
 * where a float sum over 3000 terms would differ by about sqrt(3000) u ~ 3e-6. */
static void test_outputs_summed_in_double(void)
{
    const size_t w[] = {3, 3000, 1}, nl = 3000;
    ntk_net *s = ntk_net_alloc_precision(2, w, 0.1, ntk_nonlin_find("tanh"), NTK_SINGLE);
    ntk_batch *b = ntk_batch_alloc(s, NIN);
    CHECK_OK(ntk_net_init(s, 2385));
    double F[NIN], ref[NIN], abs_sum[NIN];
    CHECK_OK(ntk_net_eval(s, b, X, NIN, F));
    const float *W = s->theta_float + s->off_w[1], *bias = s->theta_float + s->off_b[1];
    for (size_t i = 0; i < NIN; i++) {
        long double acc = 0.0L, a = 0.0L;
        for (size_t j = 0; j < nl; j++) {
            acc += (long double)b->a_float[1][i * nl + j] * W[j];
            a += fabsl((long double)b->a_float[1][i * nl + j] * W[j]);
        }
        ref[i] = (double)(acc / sqrtl((long double)nl) + 0.1L * bias[0]);
        abs_sum[i] = (double)(a / sqrtl((long double)nl));
    }
    /* double summation: within (nl + 2) 2^-53 of the absolute sum */
    CHECK_ARRAY(F, ref, NIN, 0, (nl + 2) * 0x1p-53 * max_abs(abs_sum, NIN), "single-precision outputs vs a long double sum");
    ntk_batch_free(b);
    ntk_net_free(s);
}

/* One gradient step of lr 0.5, with a two-output network: the cost reported and the
 * parameters after the step. The step theta - lr g in float adds u |theta| to the
 * gradient's error lr |dg|. */
static void test_step_agrees(void)
{
    const size_t w[] = {3, 40, 30, 2};
    double Y[NIN * 2];
    for (int i = 0; i < NIN * 2; i++) Y[i] = 0.5 * sin(1.3 * i + 0.2);
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *s, *d;
        twins(3, w, 0.37, ntk_nonlin_get(k), 700 + k, &s, &d);
        ntk_batch *bs = ntk_batch_alloc(s, NIN), *bd = ntk_batch_alloc(d, NIN);
        const size_t P = s->P;
        double *ts = malloc(P * sizeof *ts), *td = malloc(P * sizeof *td), *g = malloc(P * sizeof *g);
        double ls, ld, Fs[NIN * 2], Fd[NIN * 2];
        CHECK_OK(ntk_net_gradient(d, bd, X, Y, NIN, g, NULL));
        CHECK_OK(ntk_net_gd_step(s, bs, X, Y, NIN, 0.5, &ls));
        memcpy(Fs, bs->z[3], sizeof Fs); /* the outputs before the step */
        CHECK_OK(ntk_net_gd_step(d, bd, X, Y, NIN, 0.5, &ld));
        memcpy(Fd, bd->z[3], sizeof Fd);
        CHECK_OK(ntk_net_get_params(s, ts));
        CHECK_OK(ntk_net_get_params(d, td));
        const double tol = tolerance(3, 40);
        char what[80];
        snprintf(what, sizeof what, "%s outputs before the step, single vs double", s->sigma->name);
        CHECK_ARRAY(Fs, Fd, NIN * 2, 0, tol * max_abs(Fd, NIN * 2), what);
        CHECK_CLOSE(ls, ld, 2.0 * tol, 0);
        snprintf(what, sizeof what, "%s parameters after one step, single vs double", s->sigma->name);
        CHECK_ARRAY(ts, td, P, U, 0.5 * tol * max_abs(g, P), what);
        free(ts), free(td), free(g);
        ntk_batch_free(bs), ntk_batch_free(bd);
        ntk_net_free(s), ntk_net_free(d);
    }
}

/* The empirical NTK (Gram, cross and NNGP) of the float network against the double one. */
static void test_entk_agrees(void)
{
    const size_t w[] = {3, 40, 30, 20, 1};
    enum { N2 = 4 };
    double X2[N2 * 3];
    for (int i = 0; i < N2 * 3; i++) X2[i] = cos(1.3 * i - 0.8);
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *s, *d;
        twins(4, w, 0.23, ntk_nonlin_get(k), 900 + k, &s, &d);
        ntk_batch *bs1 = ntk_batch_alloc(s, NIN), *bs2 = ntk_batch_alloc(s, N2);
        ntk_batch *bd1 = ntk_batch_alloc(d, NIN), *bd2 = ntk_batch_alloc(d, N2);
        double Ks[NIN * NIN], Kd[NIN * NIN], Cs[NIN * N2], Cd[NIN * N2], Ss[NIN * N2], Sd[NIN * N2];
        CHECK_OK(ntk_entk_gram(s, bs1, X, NIN, Ks));
        CHECK_OK(ntk_entk_gram(d, bd1, X, NIN, Kd));
        CHECK_OK(ntk_entk_cross(s, bs1, X, NIN, bs2, X2, N2, Cs));
        CHECK_OK(ntk_entk_cross(d, bd1, X, NIN, bd2, X2, N2, Cd));
        CHECK_OK(ntk_entk_nngp_cross(s, bs1, X, NIN, bs2, X2, N2, Ss));
        CHECK_OK(ntk_entk_nngp_cross(d, bd1, X, NIN, bd2, X2, N2, Sd));
        const double tol = tolerance(4, 40);
        char what[80];
        snprintf(what, sizeof what, "%s empirical NTK Gram, single vs double", s->sigma->name);
        CHECK_ARRAY(Ks, Kd, NIN * NIN, 0, tol * max_abs(Kd, NIN * NIN), what);
        snprintf(what, sizeof what, "%s empirical NTK cross, single vs double", s->sigma->name);
        CHECK_ARRAY(Cs, Cd, NIN * N2, 0, tol * max_abs(Cd, NIN * N2), what);
        snprintf(what, sizeof what, "%s empirical NNGP, single vs double", s->sigma->name);
        CHECK_ARRAY(Ss, Sd, NIN * N2, 0, tol * max_abs(Sd, NIN * N2), what);
        for (int i = 0; i < NIN; i++)
            for (int j = 0; j < i; j++) CU_ASSERT(Ks[i * NIN + j] == Ks[j * NIN + i]);
        ntk_batch_free(bs1), ntk_batch_free(bs2), ntk_batch_free(bd1), ntk_batch_free(bd2);
        ntk_net_free(s), ntk_net_free(d);
    }
}

/* The products of a single-precision empirical NTK are float sums over panels of at
 * most NTK_ENTK_PANEL terms, added in double (entk.h). Checked entry by entry on a
 * network wider than a panel (600 units: panels of 256, 256 and 88) against the same
 * layer-wise sum taken in long double from the very float factors the call left in
 * the batches, so that only the products' rounding is compared. Bound: each product
 * entry P = sum_k F1_ik F2_jk is within gamma_256 |F1| |F2|^T of its exact value
 * (Higham 3.1, per panel; the panels' errors add), and the layer sum
 * sum_l (H + beta^2) G passes an error dH on as |G| dH and dG as (|H| + beta^2) dG
 * (first order; the second-order term is 256 u times smaller). 2^-40 of the absolute
 * terms covers the double additions. A panel skipped, misplaced or scaled wrongly
 * shows at order 1. */
enum { PN1 = 7, PN2 = 5 };

static double panel_layer_sum(const ntk_net *net, const ntk_batch *b1, size_t i, const ntk_batch *b2, size_t j,
                              double *bound)
{
    const double gamma = NTK_ENTK_PANEL * U / (1.0 - NTK_ENTK_PANEL * U), beta2 = net->beta * net->beta;
    long double K = 0.0L;
    double B = 0.0;
    for (size_t l = 0; l < net->L; l++) {
        const size_t nl = net->n[l], nu = net->n[l + 1];
        long double G = 0.0L, H = 0.0L, aG = 0.0L, aH = 0.0L;
        for (size_t k = 0; k < nu; k++) {
            long double p = (long double)b1->d_float[l + 1][i * nu + k] * b2->d_float[l + 1][j * nu + k];
            G += p, aG += fabsl(p);
        }
        for (size_t k = 0; k < nl; k++) {
            long double p = (long double)b1->a_float[l][i * nl + k] * b2->a_float[l][j * nl + k];
            H += p, aH += fabsl(p);
        }
        H /= nl, aH /= nl;
        K += (H + beta2) * G;
        B += (double)(gamma * (aH * fabsl(G) + (fabsl(H) + beta2) * aG) + 0x1p-40 * (aH + beta2) * aG);
    }
    *bound = B;
    return (double)K;
}

static void test_entk_panels(void)
{
    const size_t w[] = {3, 600, 300, 600, 1};
    double X1[PN1 * 3], X2[PN2 * 3], K[PN1 * PN1], C[PN1 * PN2];
    for (int i = 0; i < PN1 * 3; i++) X1[i] = sin(0.7 * i + 0.2);
    for (int i = 0; i < PN2 * 3; i++) X2[i] = cos(1.3 * i - 0.8);
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *s = ntk_net_alloc_precision(4, w, 0.23, ntk_nonlin_get(k), NTK_SINGLE);
        CU_ASSERT_FATAL(s != NULL);
        CHECK_OK(ntk_net_init(s, 1300 + k));
        ntk_batch *b1 = ntk_batch_alloc(s, PN1), *b2 = ntk_batch_alloc(s, PN2);
        CHECK_OK(ntk_entk_gram(s, b1, X1, PN1, K));
        double worst = 0.0, bound;
        for (size_t i = 0; i < PN1; i++)
            for (size_t j = 0; j < PN1; j++)
                worst = fmax(worst, fabs(K[i * PN1 + j] - panel_layer_sum(s, b1, i, b1, j, &bound)) / bound);
        CHECK_OK(ntk_entk_cross(s, b1, X1, PN1, b2, X2, PN2, C));
        for (size_t i = 0; i < PN1; i++)
            for (size_t j = 0; j < PN2; j++)
                worst = fmax(worst, fabs(C[i * PN2 + j] - panel_layer_sum(s, b1, i, b2, j, &bound)) / bound);
        printf("\n    %s: float panel products, largest |error| / bound %.3g", s->sigma->name, worst);
        CU_ASSERT(worst <= 1.0);
        ntk_batch_free(b1), ntk_batch_free(b2);
        ntk_net_free(s);
    }
}

/* Seeding, the parameter views, names, and batches of the other precision. */
static void test_single_construction(void)
{
    const size_t w[] = {3, 5, 4, 1};
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    ntk_net *s = ntk_net_alloc_precision(3, w, 0.1, relu, NTK_SINGLE), *d = ntk_net_alloc(3, w, 0.1, relu);
    CU_ASSERT_FATAL(s && d);
    CU_ASSERT(s->theta == NULL && s->theta_float != NULL && ntk_net_W(s, 0) == NULL && ntk_net_b(s, 0) == NULL);
    CU_ASSERT(d->theta != NULL && d->theta_float == NULL && s->P == d->P);
    /* the same seed: the double draws rounded to float */
    CHECK_OK(ntk_net_init(s, 42));
    CHECK_OK(ntk_net_init(d, 42));
    int same = 1;
    for (size_t p = 0; p < s->P; p++) same &= s->theta_float[p] == (float)d->theta[p];
    CU_ASSERT(same);
    /* a batch serves only its own precision */
    ntk_batch *bs = ntk_batch_alloc(s, 2), *bd = ntk_batch_alloc(d, 2);
    CU_ASSERT(bs->precision == NTK_SINGLE && bs->a == NULL && bs->a_float != NULL && bs->z[3] != NULL);
    CU_ASSERT(ntk_net_forward(s, bd, X, 2) != 0);
    CU_ASSERT(strstr(ntk_last_error(), "another network") != NULL);
    CU_ASSERT(ntk_net_forward(d, bs, X, 2) != 0);
    CU_ASSERT(ntk_net_forward(s, bs, X, 3) != 0); /* over capacity */
    ntk_batch_free(bs), ntk_batch_free(bd);
    CU_ASSERT(ntk_net_alloc_precision(3, w, 0.1, relu, (ntk_precision)7) == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "precision") != NULL);
    CU_ASSERT(ntk_net_get_params(s, NULL) != 0 && ntk_net_set_params(NULL, NULL) != 0);
    ntk_precision p = NTK_DOUBLE;
    CHECK_OK(ntk_precision_find("single", &p));
    CU_ASSERT(p == NTK_SINGLE && strcmp(ntk_precision_name(p), "single") == 0);
    CHECK_OK(ntk_precision_find("double", &p));
    CU_ASSERT(p == NTK_DOUBLE && strcmp(ntk_precision_name(p), "double") == 0);
    CU_ASSERT(ntk_precision_find("float", &p) != 0 && strstr(ntk_last_error(), "double or single") != NULL);
    CU_ASSERT(ntk_precision_find(NULL, &p) != 0);
    ntk_net_free(s), ntk_net_free(d);
}

void ntk_test_precision(void)
{
    CU_pSuite s = CU_add_suite("precision", NULL, NULL);
    CU_add_test(s, "single-precision networks: seeding, views, batches, names", test_single_construction);
    CU_add_test(s, "forward pass, single vs double, every nonlinearity", test_forward_agrees);
    CU_add_test(s, "single-precision outputs are summed in double", test_outputs_summed_in_double);
    CU_add_test(s, "one gradient step, single vs double, every nonlinearity", test_step_agrees);
    CU_add_test(s, "empirical NTK and NNGP, single vs double, every nonlinearity", test_entk_agrees);
    CU_add_test(s, "single-precision NTK products: float panels within gamma_256, entry by entry", test_entk_panels);
}
