/* error.h - one path for every error the library raises.
 *
 * The library never prints to stdout and never exits: a failing function records a
 * message naming the problem (ntk_error) and returns a non-zero status code, one of
 * GSL's (GSL_EINVAL for a bad argument, GSL_ENOMEM, GSL_EBADLEN for mismatched sizes,
 * GSL_EDOM for a matrix that is not positive definite, GSL_EFAILED for I/O, ...).
 * Programs decide what to do with it: print ntk_last_error() and exit.
 * Set a breakpoint on ntk_error to catch every error at its source.
 */
#ifndef NTK_ERROR_H
#define NTK_ERROR_H

#include <gsl/gsl_errno.h>

/* Record the message (printf format) for the calling thread; returns code. */
int ntk_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message of the last error recorded in this thread ("" when none). */
const char *ntk_last_error(void);

/* Replace GSL's default handler (which aborts) by one that records GSL's message
 * through ntk_error and returns, so GSL failures inside the library come back as
 * status codes. Programs and tests call this once at start. */
void ntk_install_gsl_handler(void);

/* Return from the current function with an error. */
#define NTK_FAIL(code, ...) return ntk_error((code), __VA_ARGS__)

#endif
