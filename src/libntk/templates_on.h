/* templates_on.h - the names a precision template uses (GSL's templates_on.h, cut to
 * what libntk needs). A module that serves both precisions writes its arithmetic once,
 * in MODULE_source.inc, and compiles it twice:
 *
 *   #define BASE_DOUBLE
 *   #include "templates_on.h"
 *   #include "net_source.inc"
 *   #include "templates_off.h"
 *   #undef BASE_DOUBLE
 *   (the same with BASE_FLOAT)
 *
 * Inside the template:
 *   ATOMIC          the element type of parameters and batches: double or float
 *   FUNCTION(name)  name_double or name_float, the instantiated (static) functions
 *   MEMBER(name)    the struct member of that precision: name or name_float
 *                   (ntk_net.theta / theta_float, ntk_batch.a / a_float, ...)
 *   BLAS(name)      cblas_dname or cblas_sname (BLAS(gemm): cblas_dgemm / cblas_sgemm)
 *   PRECISION       NTK_DOUBLE or NTK_SINGLE
 * Sums that must not lose digits (losses, outputs, kernels) are written in double in
 * the template itself, whatever ATOMIC is.
 */
#if defined(BASE_DOUBLE)
#define ATOMIC double
#define FUNCTION(name) name##_double
#define MEMBER(name) name
#define BLAS(name) cblas_d##name
#define PRECISION NTK_DOUBLE
#elif defined(BASE_FLOAT)
#define ATOMIC float
#define FUNCTION(name) name##_float
#define MEMBER(name) name##_float
#define BLAS(name) cblas_s##name
#define PRECISION NTK_SINGLE
#else
#error "templates_on.h: define BASE_DOUBLE or BASE_FLOAT first"
#endif
