/* ntk.c - the `ntk` command: the limiting kernels of one pair of inputs.
 *
 *   ntk kernel --nonlin NAME --depth L --beta B X Y
 *
 * prints Sigma(L)(X,Y) and Theta(L)(X,Y) (limit.h) on one line, %.17g each, so
 * that the printed decimal reads back as the same double. X and Y are
 * comma-separated vectors of one length n0.
 *
 * Exit status: 0 on success (and for --help), 2 for any usage error (one line on
 * stderr, "ntk: ...", nothing on stdout), 1 when the library fails.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "limit.h"
#include "nonlin.h"

#define EXIT_USAGE 2
#define MAX_DEPTH 100000

/* ---- messages ---- */

/* One line on stderr, "ntk: " first. The message is built whole and then every
 * control character in it (a newline in an argument, say) is replaced, so that it
 * stays one line whatever was typed. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if (iscntrl((unsigned char)*p)) *p = '?';
    fprintf(stderr, "ntk: %s\n", line);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    char line[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    say("%s", line);
    return EXIT_USAGE;
}

/* An argument for a message: at most 40 characters. */
static const char *shorten(const char *s, char *buf, size_t n)
{
    if (strlen(s) < 41) return s;
    snprintf(buf, n, "%.37s...", s);
    return buf;
}

/* ---- help ---- */

static void print_nonlins(FILE *out)
{
    for (size_t i = 0; i < ntk_nonlin_count(); i++) {
        const ntk_nonlin *s = ntk_nonlin_get(i);
        const char *how = s->closed == NTK_CLOSED_RELU  ? "closed form (arc-cosine kernel)"
                          : s->closed == NTK_CLOSED_ERF ? "closed form (arcsine kernel)"
                                                        : "2-D adaptive quadrature";
        fprintf(out, "  %-9s %-18s %s%s\n", s->name, s->formula, how,
                s->polynomial ? "; polynomial" : "");
    }
}

static void help_main(void)
{
    printf("usage: ntk kernel --nonlin NAME --depth L --beta B X Y\n"
           "       ntk kernel --help\n"
           "       ntk --help\n"
           "\n"
           "The limiting kernels of an infinitely wide fully connected network in the\n"
           "NTK parameterisation (Jacot, Gabriel, Hongler 2018).\n"
           "\n"
           "Subcommands:\n"
           "  kernel   print Sigma(L)(X,Y) and Theta(L)(X,Y) for two input vectors\n"
           "\n"
           "Nonlinearities: %s.\n"
           "Run 'ntk kernel --help' for the definitions and an example.\n",
           ntk_nonlin_names());
}

static void help_kernel(void)
{
    printf("usage: ntk kernel --nonlin NAME --depth L --beta B X Y\n"
           "\n"
           "Prints one line: Sigma(L)(X,Y) and Theta(L)(X,Y), separated by a space, each\n"
           "with 17 significant digits (%%.17g: the exact double).\n"
           "\n"
           "  Sigma(1)(x,y)   = x.y / n0 + B^2\n"
           "  Sigma(l+1)(x,y) = E[s(u) s(v)] + B^2,  SigmaDot(l+1)(x,y) = E[s'(u) s'(v)]\n"
           "  Theta(1) = Sigma(1),  Theta(l+1) = Theta(l) SigmaDot(l+1) + Sigma(l+1)\n"
           "with (u, v) centred Gaussian of covariance\n"
           "[[Sigma(l)(x,x), Sigma(l)(x,y)], [Sigma(l)(x,y), Sigma(l)(y,y)]].\n"
           "Sigma(L) is the covariance of the network function at initialisation (the\n"
           "NNGP kernel); Theta(L) is the limiting neural tangent kernel. L is the number\n"
           "of weight matrices (L - 1 hidden layers), n0 the input dimension.\n"
           "\n"
           "Options (all three required; --opt VALUE or --opt=VALUE):\n"
           "  --nonlin NAME   the nonlinearity s, one of those below\n"
           "  --depth L       an integer, 1 <= L <= %d\n"
           "  --beta B        the bias scale, a number >= 0 (the paper uses 0.1)\n"
           "  -h, --help      this text\n"
           "Arguments:\n"
           "  X Y             comma-separated vectors of the same length, e.g. 1,0.5,-2\n"
           "\n"
           "Nonlinearities:\n",
           MAX_DEPTH);
    print_nonlins(stdout);
    printf("\n"
           "Example:\n"
           "  ntk kernel --nonlin relu --depth 4 --beta 0.1 1,0 0.6,0.8\n"
           "\n"
           "Exit status: 0 on success, 2 for a usage error, 1 if the computation fails.\n");
}

/* ---- parsing ---- */

/* A finite double filling all of s (surrounding spaces allowed). */
static int parse_double(const char *s, double *x)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s) return -1;
    while (*end == ' ' || *end == '\t') end++;
    if (*end != '\0' || !isfinite(v)) return -1;
    *x = v;
    return 0;
}

/* The comma-separated vector s into a new array (*n components). Returns 0, or
 * prints the message and returns EXIT_USAGE. */
static int parse_vector(const char *what, const char *s, double **out, size_t *n)
{
    char buf[64];
    size_t len = strlen(s), count = 1;
    for (size_t i = 0; i < len; i++) count += s[i] == ',';
    double *v = malloc(count * sizeof *v);
    char *copy = malloc(len + 1);
    if (!v || !copy) {
        free(v);
        free(copy);
        say("out of memory");
        return 1;
    }
    memcpy(copy, s, len + 1);
    char *p = copy;
    for (size_t i = 0; i < count; i++) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        const char *q = p;
        while (*q == ' ' || *q == '\t') q++;
        int bad = 0;
        if (*q == '\0') {
            bad = usage_error("%s: component %zu is empty in '%s'", what, i + 1,
                              shorten(s, buf, sizeof buf));
        } else if (parse_double(q, &v[i])) {
            bad = usage_error("%s: component %zu, '%s', is not a finite number", what, i + 1,
                              shorten(q, buf, sizeof buf));
        }
        if (bad) {
            free(v);
            free(copy);
            return bad;
        }
        p = comma ? comma + 1 : p + strlen(p);
    }
    free(copy);
    *out = v;
    *n = count;
    return 0;
}

/* An integer 1..MAX_DEPTH filling s: digits only. */
static int parse_depth(const char *s, size_t *L)
{
    if (*s == '\0' || strlen(s) > 9) return -1;
    size_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = 10 * v + (size_t)(*p - '0');
    }
    if (v < 1 || v > MAX_DEPTH) return -1;
    *L = v;
    return 0;
}

struct kernel_args {
    const char *nonlin, *depth, *beta; /* option values as typed (NULL: not given) */
    const char *pos[2];                /* X, Y */
    size_t npos;
};

/* Options and positional arguments of `ntk kernel`. Returns 0, -1 for --help, or an
 * exit status after printing the message. */
static int parse_kernel_args(int argc, char **argv, struct kernel_args *k)
{
    char buf[64];
    int only_positional = 0;
    memset(k, 0, sizeof *k);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        /* an option: "--name", "--name=value", "-h"; "-1,2" is a vector */
        int is_option = !only_positional && arg[0] == '-' &&
                        !(isdigit((unsigned char)arg[1]) || arg[1] == '.');
        if (!is_option) {
            if (k->npos == 2)
                return usage_error("unexpected extra argument '%s'",
                                   shorten(arg, buf, sizeof buf));
            k->pos[k->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) return -1;
        const char *name = arg + 2, *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const char **slot = NULL;
        if (arg[1] == '-') {
            if (name_len == 6 && strncmp(name, "nonlin", 6) == 0) slot = &k->nonlin;
            if (name_len == 5 && strncmp(name, "depth", 5) == 0) slot = &k->depth;
            if (name_len == 4 && strncmp(name, "beta", 4) == 0) slot = &k->beta;
        }
        if (!slot) return usage_error("unknown option '%s'", shorten(arg, buf, sizeof buf));
        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            if (i + 1 == argc) return usage_error("option --%s needs a value", name);
            value = argv[++i];
        }
        if (*slot)
            return usage_error("option --%.*s given more than once", (int)name_len, name);
        *slot = value;
    }
    return 0;
}

static int cmd_kernel(int argc, char **argv)
{
    struct kernel_args k;
    char buf[64];
    int status = parse_kernel_args(argc, argv, &k);
    if (status == -1) {
        help_kernel();
        return 0;
    }
    if (status) return status;

    if (!k.nonlin) return usage_error("missing option --nonlin NAME");
    if (!k.depth) return usage_error("missing option --depth L");
    if (!k.beta) return usage_error("missing option --beta B");
    const ntk_nonlin *s = ntk_nonlin_find(k.nonlin);
    if (!s)
        return usage_error("unknown nonlinearity '%s' (choose one of: %s)",
                           shorten(k.nonlin, buf, sizeof buf), ntk_nonlin_names());
    size_t L;
    if (parse_depth(k.depth, &L))
        return usage_error("--depth '%s' is not an integer between 1 and %d",
                           shorten(k.depth, buf, sizeof buf), MAX_DEPTH);
    double beta;
    if (parse_double(k.beta, &beta) || beta < 0.0)
        return usage_error("--beta '%s' is not a finite number >= 0",
                           shorten(k.beta, buf, sizeof buf));
    if (k.npos == 0) return usage_error("missing the vectors X and Y (e.g. 1,0.5 0.3,-2)");
    if (k.npos == 1) return usage_error("missing the vector Y");

    double *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    if ((status = parse_vector("X", k.pos[0], &x, &nx))) return status;
    if ((status = parse_vector("Y", k.pos[1], &y, &ny))) {
        free(x);
        return status;
    }
    if (nx != ny) {
        free(x);
        free(y);
        return usage_error("X has %zu components and Y has %zu: they must have the same "
                           "length",
                           nx, ny);
    }

    ntk_limit_ws *ws = ntk_limit_alloc();
    double sigma = 0.0, theta = 0.0;
    status = ws ? ntk_limit_pair(s, L, beta, x, y, nx, ws, &sigma, &theta) : GSL_ENOMEM;
    ntk_limit_free(ws);
    free(x);
    free(y);
    if (status) {
        say("%s", ntk_last_error());
        return 1;
    }
    printf("%.17g %.17g\n", sigma, theta);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        say("cannot write the result to stdout");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char buf[64];
    ntk_install_gsl_handler();
    if (argc < 2) return usage_error("missing subcommand (try 'ntk --help')");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2) {
            if (strcmp(argv[2], "kernel") == 0 && argc == 3) {
                help_kernel();
                return 0;
            }
            return usage_error("unexpected extra argument '%s'",
                               shorten(argv[2], buf, sizeof buf));
        }
        help_main();
        return 0;
    }
    if (strcmp(cmd, "kernel") == 0) return cmd_kernel(argc - 2, argv + 2);
    if (cmd[0] == '-')
        return usage_error("unknown option '%s' (try 'ntk --help')", shorten(cmd, buf, sizeof buf));
    return usage_error("unknown subcommand '%s' (the only one is 'kernel')",
                       shorten(cmd, buf, sizeof buf));
}
