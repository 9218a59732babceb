/* test_blas.c - the CBLAS behind GSL and the library is OpenBLAS, never libgslcblas. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_blas.h>

#include "blas.h"
#include "check.h"

static int found_gslcblas;
static int scan(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    if (info->dlpi_name && strstr(info->dlpi_name, "gslcblas")) found_gslcblas = 1;
    return 0;
}

static void test_openblas_linked(void)
{
    void *sym = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    Dl_info info;
    CU_ASSERT_FATAL(sym != NULL);
    CU_ASSERT_FATAL(dladdr(sym, &info) != 0);
    printf("\n    cblas_dgemm resolves to %s", info.dli_fname);
    CU_ASSERT(strstr(info.dli_fname, "openblas") != NULL);
    found_gslcblas = 0;
    dl_iterate_phdr(scan, NULL);
    CU_ASSERT(found_gslcblas == 0);
    CU_ASSERT(openblas_get_config() != NULL);
}

/* GSL's BLAS wrapper and CBLAS agree with a plain triple loop. */
static void test_gemm_matches_loops(void)
{
    enum { M = 7, K = 5, N = 6 };
    double A[M * K], B[K * N], C[M * N], ref[M * N];
    for (int i = 0; i < M * K; i++) A[i] = sin(1.7 * i + 0.3);
    for (int i = 0; i < K * N; i++) B[i] = cos(0.9 * i - 1.1);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
            ref[i * N + j] = s;
        }
    gsl_matrix_view a = gsl_matrix_view_array(A, M, K), b = gsl_matrix_view_array(B, K, N),
                    c = gsl_matrix_view_array(C, M, N);
    CHECK_OK(gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &a.matrix, &b.matrix, 0.0, &c.matrix));
    CHECK_ARRAY(C, ref, M * N, 1e-14, 1e-14, "gsl_blas_dgemm vs loops");
}

void ntk_test_blas(void)
{
    CU_pSuite s = CU_add_suite("blas", NULL, NULL);
    CU_add_test(s, "cblas_dgemm is OpenBLAS's, libgslcblas is not loaded", test_openblas_linked);
    CU_add_test(s, "GEMM through GSL matches a triple loop", test_gemm_matches_loops);
}
