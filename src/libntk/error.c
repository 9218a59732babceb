/* error.c - see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_message[1024];

int ntk_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

const char *ntk_last_error(void) { return last_message; }

static void record_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
    ntk_error(gsl_errno, "GSL: %s (%s:%d)", reason, file, line);
}

void ntk_install_gsl_handler(void) { gsl_set_error_handler(record_gsl_error); }
