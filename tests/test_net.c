/* test_net.c - the network: construction, seeding, the forward pass against a plain
 * per-input implementation of the formulas, the gradient against central differences
 * for every nonlinearity, and the gradient step against the NTK prediction. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entk.h"
#include "error.h"
#include "net.h"
#include "check.h"

/* A small net n = 3 -> 5 -> 4 -> 1 (depth 3) on 4 inputs; "high-entropy" inputs. */
static const size_t widths[] = {3, 5, 4, 1};
enum { NIN = 4 };
static const double X[NIN * 3] = {0.385, -1.21, 0.77, -0.62, 0.143, 1.9, 1.04, 0.5, -0.333, -0.9, -0.45, 0.211};
static const double Y[NIN] = {0.3, -0.71, 0.18, 1.05};

static void test_alloc_errors(void)
{
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    size_t bad[] = {3, 0, 1};
    CU_ASSERT(ntk_net_alloc(0, widths, 0.1, relu) == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "depth") != NULL);
    CU_ASSERT(ntk_net_alloc(2, bad, 0.1, relu) == NULL);
    CU_ASSERT(strstr(ntk_last_error(), "width") != NULL);
    CU_ASSERT(ntk_net_alloc(3, widths, -0.1, relu) == NULL);
    CU_ASSERT(ntk_net_alloc(3, widths, NAN, relu) == NULL);
    CU_ASSERT(ntk_net_alloc(3, widths, 0.1, NULL) == NULL);
    ntk_net *net = ntk_net_alloc(3, widths, 0.1, relu);
    CU_ASSERT_FATAL(net != NULL);
    CU_ASSERT(net->P == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 1 + 1);
    ntk_batch *b = ntk_batch_alloc(net, 2);
    CU_ASSERT(ntk_net_forward(net, b, X, 3) != 0); /* over capacity */
    CU_ASSERT(ntk_net_forward(net, b, X, 0) != 0);
    CU_ASSERT(ntk_net_forward(net, b, NULL, 1) != 0);
    CU_ASSERT(ntk_net_gd_step(net, b, X, Y, 2, INFINITY, NULL) != 0);
    ntk_batch_free(b);
    ntk_net_free(net);
    ntk_net_free(NULL);
    ntk_batch_free(NULL);
}

static void test_seeding(void)
{
    const ntk_nonlin *relu = ntk_nonlin_find("relu");
    ntk_net *a = ntk_net_alloc(3, widths, 0.1, relu), *b = ntk_net_alloc(3, widths, 0.1, relu);
    CHECK_OK(ntk_net_init(a, 42));
    CHECK_OK(ntk_net_init(b, 42));
    CU_ASSERT(memcmp(a->theta, b->theta, a->P * sizeof(double)) == 0);
    CHECK_OK(ntk_net_init(b, 43));
    CU_ASSERT(memcmp(a->theta, b->theta, a->P * sizeof(double)) != 0);
    /* N(0,1): over a large net the sample mean and variance are within 5 standard errors */
    size_t big[] = {100, 200, 1};
    ntk_net *c = ntk_net_alloc(2, big, 0.1, relu);
    CHECK_OK(ntk_net_init(c, 7));
    double m = 0.0, v = 0.0;
    for (size_t p = 0; p < c->P; p++) m += c->theta[p];
    m /= (double)c->P;
    for (size_t p = 0; p < c->P; p++) v += (c->theta[p] - m) * (c->theta[p] - m);
    v /= (double)(c->P - 1);
    CHECK_CLOSE(m, 0.0, 0, 5.0 / sqrt((double)c->P));
    CHECK_CLOSE(v, 1.0, 0, 5.0 * sqrt(2.0 / (double)c->P));
    ntk_net_free(a);
    ntk_net_free(b);
    ntk_net_free(c);
}

/* The forward pass written out for one input, from the formulas of the paper. */
static double reference_forward(const ntk_net *net, const double *x)
{
    double a[16], z[16];
    memcpy(a, x, net->n[0] * sizeof *a);
    for (size_t l = 0; l < net->L; l++) {
        const double *W = ntk_net_W(net, l), *bias = ntk_net_b(net, l);
        for (size_t i = 0; i < net->n[l + 1]; i++) {
            double s = 0.0;
            for (size_t j = 0; j < net->n[l]; j++) s += W[i * net->n[l] + j] * a[j];
            z[i] = s / sqrt((double)net->n[l]) + net->beta * bias[i];
        }
        for (size_t i = 0; i < net->n[l + 1]; i++) a[i] = l + 1 < net->L ? net->sigma->f(z[i]) : z[i];
    }
    return a[0];
}

static void test_forward(void)
{
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *net = ntk_net_alloc(3, widths, 0.37, ntk_nonlin_get(k));
        ntk_batch *b = ntk_batch_alloc(net, NIN);
        CHECK_OK(ntk_net_init(net, 1000 + k));
        double F[NIN], ref[NIN];
        CHECK_OK(ntk_net_eval(net, b, X, NIN, F));
        for (int i = 0; i < NIN; i++) ref[i] = reference_forward(net, X + 3 * i);
        char what[64];
        snprintf(what, sizeof what, "%s forward vs per-input loops", net->sigma->name);
        CHECK_ARRAY(F, ref, NIN, 1e-13, 1e-14, what);
        ntk_batch_free(b);
        ntk_net_free(net);
    }
}

/* ntk_net_eval of more inputs than the batch holds: forward passes of cap inputs, the
 * last one shorter, each row the very numbers a forward pass of its own batch gives. */
static void test_eval_in_batches(void)
{
    ntk_net *net = ntk_net_alloc(3, widths, 0.37, ntk_nonlin_find("tanh"));
    ntk_batch *b = ntk_batch_alloc(net, 3);
    CU_ASSERT_FATAL(net && b);
    CHECK_OK(ntk_net_init(net, 2385));
    double F[NIN], ref[NIN];
    for (int i = 0; i < NIN; i++) F[i] = NAN;
    CHECK_OK(ntk_net_eval(net, b, X, NIN, F)); /* passes of 3 and 1 */
    CHECK_OK(ntk_net_forward(net, b, X, 3));
    memcpy(ref, b->z[net->L], 3 * sizeof *ref);
    CHECK_OK(ntk_net_forward(net, b, X + 9, 1));
    ref[3] = b->z[net->L][0];
    CU_ASSERT(memcmp(F, ref, sizeof F) == 0);
    for (int i = 0; i < NIN; i++) ref[i] = reference_forward(net, X + 3 * i);
    CHECK_ARRAY(F, ref, NIN, 1e-13, 1e-14, "eval in passes of 3 and 1 vs per-input loops");
    CU_ASSERT(ntk_net_eval(net, b, X, 0, F) == GSL_EBADLEN);
    CU_ASSERT(ntk_net_eval(net, b, X, NIN, NULL) == GSL_EINVAL);
    ntk_batch_free(b);
    ntk_net_free(net);
}

static double loss_of(ntk_net *net, ntk_batch *b, const double *x, const double *y, size_t N, size_t nout)
{
    double F[16], c = 0.0;
    ntk_net_eval(net, b, x, N, F);
    for (size_t k = 0; k < N * nout; k++) c += (F[k] - y[k]) * (F[k] - y[k]);
    return 0.5 * c / (double)N;
}

/* Every component of the gradient against (C(theta + h e_p) - C(theta - h e_p)) / 2h.
 * The difference has error h^2 C'''/6 ~ 1e-12 and rounding ~ eps C / h ~ 1e-10 with
 * h = 1e-6; hence rtol 1e-6 with atol 1e-8. The outputs are vectors here (n_L = 2). */
static void test_gradient_fd(void)
{
    const size_t w2[] = {3, 5, 4, 2};
    double Y2[NIN * 2];
    for (int i = 0; i < NIN * 2; i++) Y2[i] = 0.5 * sin(1.3 * i + 0.2);
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *net = ntk_net_alloc(3, w2, 0.37, ntk_nonlin_get(k));
        ntk_batch *b = ntk_batch_alloc(net, NIN);
        CHECK_OK(ntk_net_init(net, 77 + k));
        double *g = malloc(net->P * sizeof *g), *fd = malloc(net->P * sizeof *fd), loss;
        CHECK_OK(ntk_net_gradient(net, b, X, Y2, NIN, g, &loss));
        CHECK_CLOSE(loss, loss_of(net, b, X, Y2, NIN, 2), 1e-14, 0);
        const double h = 1e-6;
        for (size_t p = 0; p < net->P; p++) {
            double t = net->theta[p];
            net->theta[p] = t + h;
            double cp = loss_of(net, b, X, Y2, NIN, 2);
            net->theta[p] = t - h;
            double cm = loss_of(net, b, X, Y2, NIN, 2);
            net->theta[p] = t;
            fd[p] = (cp - cm) / (2.0 * h);
        }
        char what[64];
        snprintf(what, sizeof what, "%s gradient vs central differences", net->sigma->name);
        CHECK_ARRAY(g, fd, net->P, 1e-6, 1e-8, what);
        free(g);
        free(fd);
        ntk_batch_free(b);
        ntk_net_free(net);
    }
}

/* The fused step equals theta - lr grad, to rounding. */
static void test_step_is_gradient_descent(void)
{
    ntk_net *net = ntk_net_alloc(3, widths, 0.1, ntk_nonlin_find("tanh"));
    ntk_batch *b = ntk_batch_alloc(net, NIN);
    CHECK_OK(ntk_net_init(net, 5));
    double *g = malloc(net->P * sizeof *g), *expect = malloc(net->P * sizeof *expect), l0, l1;
    CHECK_OK(ntk_net_gradient(net, b, X, Y, NIN, g, &l0));
    for (size_t p = 0; p < net->P; p++) expect[p] = net->theta[p] - 0.3 * g[p];
    CHECK_OK(ntk_net_gd_step(net, b, X, Y, NIN, 0.3, &l1));
    CHECK_CLOSE(l1, l0, 1e-15, 0);
    CHECK_ARRAY(net->theta, expect, net->P, 1e-14, 1e-15, "gd step vs theta - lr grad");
    free(g);
    free(expect);
    ntk_batch_free(b);
    ntk_net_free(net);
}

/* ntk_net_loss is 1/(2N) sum (f - y)^2 of the outputs ntk_net_eval gives, and the loss
 * the gradient step reports before it moves. */
static void test_loss(void)
{
    ntk_net *net = ntk_net_alloc(3, widths, 0.1, ntk_nonlin_find("relu"));
    ntk_batch *b = ntk_batch_alloc(net, NIN);
    CHECK_OK(ntk_net_init(net, 9));
    double F[NIN], expect = 0.0, loss, lstep;
    CHECK_OK(ntk_net_eval(net, b, X, NIN, F));
    for (size_t i = 0; i < NIN; i++) expect += (F[i] - Y[i]) * (F[i] - Y[i]);
    expect /= 2.0 * NIN;
    CHECK_OK(ntk_net_loss(net, b, X, Y, NIN, &loss));
    CHECK_CLOSE(loss, expect, 1e-14, 0);
    CHECK_OK(ntk_net_gd_step(net, b, X, Y, NIN, 0.1, &lstep));
    CHECK_CLOSE(lstep, loss, 1e-15, 0);
    CU_ASSERT(ntk_net_loss(net, b, X, NULL, NIN, &loss) != 0); /* no targets */
    ntk_batch_free(b);
    ntk_net_free(net);
}

/* After a gradient step b->z[L] holds the outputs before the step, bit for bit those
 * of ntk_net_eval (net.h): for every nonlinearity, over three steps. */
static void test_step_leaves_outputs(void)
{
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *net = ntk_net_alloc(3, widths, 0.1, ntk_nonlin_get(k));
        ntk_batch *b = ntk_batch_alloc(net, NIN);
        CHECK_OK(ntk_net_init(net, 17 + k));
        int same = 1;
        for (int step = 0; step < 3; step++) {
            double f[NIN];
            CHECK_OK(ntk_net_eval(net, b, X, NIN, f));
            CHECK_OK(ntk_net_gd_step(net, b, X, Y, NIN, 0.7, NULL));
            same &= memcmp(b->z[3], f, sizeof f) == 0;
        }
        if (!same) printf("\n    %s: b->z[L] after a step differs from ntk_net_eval before it", net->sigma->name);
        CU_ASSERT(same);
        ntk_batch_free(b);
        ntk_net_free(net);
    }
}

/* f after one step of lr eta: f - eta Theta (f - y) / N + O(eta^2). The remainder must
 * shrink 100-fold when eta shrinks 10-fold (second order), and at eta = 1e-5 be small
 * against the first-order change. */
static void test_step_matches_ntk(void)
{
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *net = ntk_net_alloc(3, widths, 0.1, ntk_nonlin_get(k));
        ntk_batch *b = ntk_batch_alloc(net, NIN);
        double K[NIN * NIN], f0[NIN], f1[NIN], rem[2], lin = 0.0;
        const double etas[2] = {1e-4, 1e-5};
        CHECK_OK(ntk_net_init(net, 11 + k));
        double *theta0 = malloc(net->P * sizeof *theta0);
        memcpy(theta0, net->theta, net->P * sizeof *theta0);
        CHECK_OK(ntk_entk_gram(net, b, X, NIN, K));
        CHECK_OK(ntk_net_eval(net, b, X, NIN, f0));
        for (int e = 0; e < 2; e++) {
            memcpy(net->theta, theta0, net->P * sizeof *theta0);
            CHECK_OK(ntk_net_gd_step(net, b, X, Y, NIN, etas[e], NULL));
            CHECK_OK(ntk_net_eval(net, b, X, NIN, f1));
            double r2 = 0.0, l2 = 0.0;
            for (int i = 0; i < NIN; i++) {
                double pred = 0.0;
                for (int j = 0; j < NIN; j++) pred -= etas[e] * K[i * NIN + j] * (f0[j] - Y[j]) / NIN;
                r2 += (f1[i] - f0[i] - pred) * (f1[i] - f0[i] - pred);
                l2 += pred * pred;
            }
            rem[e] = sqrt(r2);
            if (e == 1) lin = sqrt(l2);
        }
        printf("\n    %s: remainder %.3g at lr 1e-4, %.3g at lr 1e-5 (first-order change %.3g)",
               net->sigma->name, rem[0], rem[1], lin);
        CU_ASSERT(rem[1] <= 1e-2 * lin);
        CU_ASSERT(rem[0] / rem[1] > 70.0 && rem[0] / rem[1] < 130.0);
        free(theta0);
        ntk_batch_free(b);
        ntk_net_free(net);
    }
}

void ntk_test_net(void)
{
    CU_pSuite s = CU_add_suite("net", NULL, NULL);
    CU_add_test(s, "construction and argument errors", test_alloc_errors);
    CU_add_test(s, "seeded initialisation: bit-identical, N(0,1)", test_seeding);
    CU_add_test(s, "forward pass against per-input loops", test_forward);
    CU_add_test(s, "eval of more inputs than the batch holds, in passes", test_eval_in_batches);
    CU_add_test(s, "gradient against central differences, every nonlinearity", test_gradient_fd);
    CU_add_test(s, "fused gradient step is theta - lr grad", test_step_is_gradient_descent);
    CU_add_test(s, "the cost 1/(2N) sum (f - y)^2", test_loss);
    CU_add_test(s, "after a step b->z[L] holds the outputs before it", test_step_leaves_outputs);
    CU_add_test(s, "one small step moves f by -lr Theta (f - y) / N", test_step_matches_ntk);
}
