/* progress.h - progress with an estimate of the time left, on stderr.
 *
 * On a terminal a live line is redrawn (at most 5 times a second); otherwise one line
 * is printed every NTK_PROGRESS_INTERVAL seconds, so logs stay readable. The estimate
 * is linear in the work done: elapsed * (total - done) / done. Setting the environment
 * variable NTK_QUIET=1 silences it (tests do).
 */
#ifndef NTK_PROGRESS_H
#define NTK_PROGRESS_H

#define NTK_PROGRESS_INTERVAL 5.0

typedef struct {
    char label[96];
    double total;       /* units of work in all (steps, pairs, flops...) */
    double start;       /* wall-clock seconds at start */
    double last_print;  /* when the last line was printed */
    int tty;            /* stderr is a terminal */
    int quiet;
} ntk_progress;

/* Wall-clock seconds (monotonic). */
double ntk_progress_now(void);

/* Format seconds as "1h02m", "3m05s" or "4.2s" into buf (size >= 16). */
const char *ntk_progress_format_duration(double seconds, char *buf, unsigned long size);

void ntk_progress_start(ntk_progress *p, const char *label, double total);
void ntk_progress_update(ntk_progress *p, double done);
/* Final line with the total time taken. */
void ntk_progress_end(ntk_progress *p);

#endif
