/* blas.h - the CBLAS interface used throughout, and the OpenBLAS extras.
 *
 * The CBLAS prototypes come from GSL's <gsl/gsl_cblas.h> (OpenBLAS's own cblas.h
 * declares the same enums and cannot be included beside GSL's headers). The symbols
 * resolve to OpenBLAS at link time: the Makefile links GSL statically and OpenBLAS
 * as the only CBLAS, never libgslcblas. tests/test_blas.c checks that this holds.
 */
#ifndef NTK_BLAS_H
#define NTK_BLAS_H

#include <gsl/gsl_cblas.h>

/* From OpenBLAS (not in GSL's header). */
char *openblas_get_config(void);   /* version and build options, e.g. "OpenBLAS 0.3.21 ..." */
char *openblas_get_corename(void); /* the CPU kernel set chosen at run time, e.g. "Haswell" */
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);

/* LAPACK's divide-and-conquer symmetric eigensolver, as OpenBLAS exports it (Fortran
 * calling convention: every argument by pointer, column-major, the lengths of the two
 * character arguments last). */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_len,
             size_t uplo_len);

#endif
