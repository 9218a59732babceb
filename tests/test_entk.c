/* test_entk.c - the layer-wise empirical NTK against the explicit Jacobian product
 * J J^T, and the mean empirical NTK of wide nets against the limiting Theta(L). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "entk.h"
#include "limit.h"
#include "net.h"
#include "check.h"

/* The Jacobian row df(x)/dtheta, via the gradient of C = 1/2 (f(x) - y)^2 with
 * y = f(x) - 1, which is exactly df/dtheta. */
static void jacobian(ntk_net *net, ntk_batch *b, const double *X, size_t N, double *J)
{
    for (size_t i = 0; i < N; i++) {
        double f, y;
        ntk_net_eval(net, b, X + i * net->n[0], 1, &f);
        y = f - 1.0;
        ntk_net_gradient(net, b, X + i * net->n[0], &y, 1, J + i * net->P, NULL);
    }
}

static void test_against_jacobian(void)
{
    const size_t w[] = {3, 6, 5, 4, 1};
    enum { N1 = 5, N2 = 3 };
    double X1[N1 * 3], X2[N2 * 3];
    for (int i = 0; i < N1 * 3; i++) X1[i] = sin(2.1 * i + 0.4);
    for (int i = 0; i < N2 * 3; i++) X2[i] = cos(1.3 * i - 0.8);
    for (size_t k = 0; k < ntk_nonlin_count(); k++) {
        ntk_net *net = ntk_net_alloc(4, w, 0.23, ntk_nonlin_get(k));
        ntk_batch *b1 = ntk_batch_alloc(net, N1), *b2 = ntk_batch_alloc(net, N2);
        CHECK_OK(ntk_net_init(net, 300 + k));
        double *J1 = malloc(N1 * net->P * sizeof *J1), *J2 = malloc(N2 * net->P * sizeof *J2);
        jacobian(net, b1, X1, N1, J1);
        jacobian(net, b1, X2, N2, J2);
        double K[N1 * N1], ref[N1 * N1], C[N1 * N2], cref[N1 * N2];
        for (int i = 0; i < N1; i++)
            for (int j = 0; j < N1; j++) {
                double s = 0.0;
                for (size_t p = 0; p < net->P; p++) s += J1[i * net->P + p] * J1[j * net->P + p];
                ref[i * N1 + j] = s;
            }
        for (int i = 0; i < N1; i++)
            for (int j = 0; j < N2; j++) {
                double s = 0.0;
                for (size_t p = 0; p < net->P; p++) s += J1[i * net->P + p] * J2[j * net->P + p];
                cref[i * N2 + j] = s;
            }
        CHECK_OK(ntk_entk_gram(net, b1, X1, N1, K));
        CHECK_OK(ntk_entk_cross(net, b1, X1, N1, b2, X2, N2, C));
        char what[80];
        snprintf(what, sizeof what, "%s layer-wise Gram vs J J^T", net->sigma->name);
        CHECK_ARRAY(K, ref, N1 * N1, 1e-12, 1e-14, what);
        snprintf(what, sizeof what, "%s layer-wise cross vs J1 J2^T", net->sigma->name);
        CHECK_ARRAY(C, cref, N1 * N2, 1e-12, 1e-14, what);
        for (int i = 0; i < N1; i++)
            for (int j = 0; j < i; j++) CU_ASSERT(K[i * N1 + j] == K[j * N1 + i]);
        free(J1);
        free(J2);
        ntk_batch_free(b1);
        ntk_batch_free(b2);
        ntk_net_free(net);
    }
}

static void test_errors(void)
{
    const size_t w[] = {2, 4, 2};
    ntk_net *net = ntk_net_alloc(2, w, 0.1, ntk_nonlin_find("relu"));
    ntk_batch *b = ntk_batch_alloc(net, 2);
    double X[4] = {1, 0, 0, 1}, K[4];
    CHECK_OK(ntk_net_init(net, 1));
    CU_ASSERT(ntk_entk_gram(net, b, X, 2, K) != 0); /* two outputs */
    CU_ASSERT(ntk_entk_cross(net, b, X, 2, b, X, 2, K) != 0);
    ntk_batch_free(b);
    ntk_net_free(net);
}

/* Theorem 1: over seeds the empirical NTK of a wide net averages to Theta(L) (and
 * its last-layer covariance to Sigma(L)). The
 * mean over S seeds is compared with the limit within 4 standard errors measured
 * here, plus the O(1/n) bias of a finite width (taken as 4/n relative, generous for
 * depth 3). */
static void test_mean_converges_to_limit(void)
{
    enum { S = 24, M = 5 };
    const size_t n = 1000, w[] = {2, n, n, 1};
    double gam[M] = {0.0, 0.6, 1.4, 2.3, -2.9}, X[M * 2], lim[M], sig[M];
    ntk_data_circle_at(M, gam, X);
    ntk_limit_ws *lw = ntk_limit_alloc();
    for (int j = 0; j < M; j++)
        CHECK_OK(ntk_limit_pair(ntk_nonlin_find("relu"), 3, 0.1, X, X + 2 * j, 2, lw, sig + j, lim + j));
    ntk_limit_free(lw);
    ntk_net *net = ntk_net_alloc(3, w, 0.1, ntk_nonlin_find("relu"));
    ntk_batch *b1 = ntk_batch_alloc(net, 1), *b2 = ntk_batch_alloc(net, M);
    double sum[2][M] = {{0}}, sum2[2][M] = {{0}}, K[2][M];
    for (int s = 0; s < S; s++) {
        CHECK_OK(ntk_net_init(net, 5000 + s));
        CHECK_OK(ntk_entk_cross(net, b1, X, 1, b2, X, M, K[0]));
        CHECK_OK(ntk_entk_nngp_cross(net, b1, X, 1, b2, X, M, K[1]));
        for (int q = 0; q < 2; q++)
            for (int j = 0; j < M; j++) { sum[q][j] += K[q][j]; sum2[q][j] += K[q][j] * K[q][j]; }
    }
    for (int q = 0; q < 2; q++)
        for (int j = 0; j < M; j++) {
            double mean = sum[q][j] / S, sd = sqrt((sum2[q][j] - S * mean * mean) / (S - 1));
            double se = sd / sqrt((double)S), ref = q ? sig[j] : lim[j];
            printf("\n    %s(x0, x) at gamma %+.1f: mean %.5f +- %.5f (se), limit %.5f", q ? "Sigma" : "Theta",
                   gam[j], mean, se, ref);
            CHECK_CLOSE(mean, ref, 0.0, 4.0 * se + 4.0 / n * fabs(ref));
        }
    ntk_batch_free(b1);
    ntk_batch_free(b2);
    ntk_net_free(net);
}

void ntk_test_entk(void)
{
    CU_pSuite s = CU_add_suite("entk", NULL, NULL);
    CU_add_test(s, "layer-wise NTK equals J J^T, every nonlinearity", test_against_jacobian);
    CU_add_test(s, "argument errors", test_errors);
    CU_add_test(s, "mean empirical NTK and NNGP of wide relu nets tend to Theta(L), Sigma(L)", test_mean_converges_to_limit);
}
