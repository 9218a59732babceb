/* progress.c - progress with an estimate of the time left, on stderr; see progress.h.
 *
 * A line reads
 *   label: 42% (420/1000) elapsed 1m02s, about 1m25s left
 * On a terminal it is redrawn in place ("\r" and erase-to-end-of-line) at most 5
 * times a second; otherwise a new line is printed every NTK_PROGRESS_INTERVAL
 * seconds. Durations are truncated, never rounded up, so "59.9s" is followed by
 * "1m00s". The library's one writer to stderr, by design: programs ask for it.
 */
#include "progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TTY_INTERVAL 0.2 /* seconds between redraws of the live line */

double ntk_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

const char *ntk_progress_format_duration(double seconds, char *buf, unsigned long size)
{
    if (!buf || size == 0) return "";
    if (!(seconds >= 0.0) || seconds > 1e12) { /* NaN, negative, absurd */
        snprintf(buf, size, "?");
        return buf;
    }
    /* The small epsilon keeps 4.2 from showing as 4.1 when 4.2 * 10 rounds down. */
    double tenths = floor(seconds * 10.0 + 1e-6);
    if (tenths < 600.0) {
        snprintf(buf, size, "%.1fs", tenths / 10.0);
        return buf;
    }
    long long s = (long long)floor(seconds + 1e-6);
    if (s < 3600)
        snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
    else
        snprintf(buf, size, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    return buf;
}

void ntk_progress_start(ntk_progress *p, const char *label, double total)
{
    if (!p) return;
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label ? label : "progress");
    p->total = total;
    p->start = ntk_progress_now();
    p->last_print = p->start;
    p->tty = isatty(STDERR_FILENO);
    const char *q = getenv("NTK_QUIET");
    p->quiet = q && *q && strcmp(q, "0") != 0;
}

void ntk_progress_update(ntk_progress *p, double done)
{
    if (!p || p->quiet) return;
    double now = ntk_progress_now();
    if (now - p->last_print < (p->tty ? TTY_INTERVAL : NTK_PROGRESS_INTERVAL)) return;
    p->last_print = now;

    double elapsed = now - p->start;
    char line[256], e[32], left[32];
    ntk_progress_format_duration(elapsed, e, sizeof e);
    if (p->total > 0.0 && done >= 0.0) {
        double frac = done < p->total ? done / p->total : 1.0;
        int len = snprintf(line, sizeof line, "%s: %d%% (%.0f/%.0f) elapsed %s", p->label,
                           (int)floor(100.0 * frac), done, p->total, e);
        if (done > 0.0 && len > 0 && (size_t)len < sizeof line) {
            double rest = done < p->total ? p->total - done : 0.0;
            ntk_progress_format_duration(elapsed * rest / done, left, sizeof left);
            snprintf(line + len, sizeof line - (size_t)len, ", about %s left", left);
        }
    } else {
        snprintf(line, sizeof line, "%s: %.0f done, elapsed %s", p->label, done, e);
    }
    if (p->tty)
        fprintf(stderr, "\r%s\033[K", line);
    else
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

void ntk_progress_end(ntk_progress *p)
{
    if (!p || p->quiet) return;
    char e[32];
    ntk_progress_format_duration(ntk_progress_now() - p->start, e, sizeof e);
    /* On a terminal this overwrites the live line and ends it. */
    fprintf(stderr, "%s%s: done in %s%s\n", p->tty ? "\r" : "", p->label, e,
            p->tty ? "\033[K" : "");
    fflush(stderr);
}
