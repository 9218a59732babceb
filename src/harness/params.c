/* params.c - profiles and command-line parameters; see params.h. */
#include "params.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static const char *profile_names[] = {"smoke", "default", "paper"};

static long find_key(const ntk_params *p, const char *key, size_t len)
{
    for (size_t i = 0; i < p->n; i++)
        if (strlen(p->defs[i].key) == len && strncmp(p->defs[i].key, key, len) == 0) return (long)i;
    return -1;
}

static int unknown_key(const ntk_params *p, const char *key, size_t len)
{
    char keys[1024] = "";
    for (size_t i = 0; i < p->n && strlen(keys) < sizeof keys - 64; i++) {
        if (i) strcat(keys, ", ");
        strcat(keys, p->defs[i].key);
    }
    NTK_FAIL(GSL_EINVAL, "unknown parameter '%.*s' (parameters: profile, %s)", (int)len, key, keys);
}

static int set_profile(ntk_params *p, const char *name)
{
    for (size_t k = 0; k < 3; k++) {
        if (strcmp(name, profile_names[k]) != 0) continue;
        p->profile = profile_names[k];
        return 0;
    }
    NTK_FAIL(GSL_EINVAL, "unknown profile '%s' (profiles: smoke, default, paper)", name);
}

int ntk_params_parse(ntk_params *p, const ntk_param_def *defs, size_t n, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    if (n > NTK_PARAMS_MAX) NTK_FAIL(GSL_EINVAL, "too many parameters (%zu > %d)", n, NTK_PARAMS_MAX);
    p->defs = defs;
    p->n = n;
    p->profile = "default";
    const char *given[NTK_PARAMS_MAX] = {0};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *key = arg, *val;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return NTK_PARAMS_HELP;
        if (strncmp(key, "--", 2) == 0) key += 2;
        const char *eq = strchr(key, '=');
        size_t len;
        if (eq) {
            len = (size_t)(eq - key);
            val = eq + 1;
        } else if (key != arg) {
            len = strlen(key);
            if (i + 1 >= argc) NTK_FAIL(GSL_EINVAL, "parameter '%s' needs a value", arg);
            val = argv[++i];
        } else {
            NTK_FAIL(GSL_EINVAL, "cannot read argument '%s': expected key=value or --key value", arg);
        }
        if (len == 0) NTK_FAIL(GSL_EINVAL, "argument '%s' has no parameter name", arg);
        if (len == 7 && strncmp(key, "profile", 7) == 0) {
            int st = set_profile(p, val);
            if (st) return st;
            continue;
        }
        long k = find_key(p, key, len);
        if (k < 0) return unknown_key(p, key, len);
        if (*val == '\0') NTK_FAIL(GSL_EINVAL, "parameter '%s' has an empty value", defs[k].key);
        given[k] = val;
    }
    for (size_t k = 0; k < n; k++) {
        const ntk_param_def *d = &defs[k];
        const char *base = p->profile[0] == 's' ? d->smoke : p->profile[0] == 'p' ? d->paper : d->deflt;
        p->value[k] = given[k] ? given[k] : base;
        p->overridden[k] = given[k] != NULL;
    }
    return 0;
}

/* text, wrapped at word boundaries to lines of at most 80 columns, each indented by
 * `indent` spaces (the first by `first` columns already printed). */
static void print_wrapped(FILE *f, const char *text, int indent, int first)
{
    int col = first;
    for (const char *w = text; *w;) {
        while (*w == ' ') w++;
        int len = (int)strcspn(w, " ");
        if (!len) break;
        if (col > indent && col + 1 + len > 80) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        }
        if (col < indent) col += fprintf(f, "%*s", indent - col, "");
        else if (col > indent) col += fprintf(f, " ");
        col += fprintf(f, "%.*s", len, w);
        w += len;
    }
    fputc('\n', f);
}

void ntk_params_usage(FILE *f, const ntk_params *p)
{
    const int indent = 16;
    fprintf(f, "parameters (value in the smoke, default and paper profiles):\n");
    for (size_t k = 0; k < p->n; k++) {
        const ntk_param_def *d = &p->defs[k];
        int col = fprintf(f, "  %s", d->key);
        if (col + 1 > indent) fprintf(f, "\n"), col = 0;
        print_wrapped(f, d->help, indent, col);
        char vals[1024];
        if (strcmp(d->smoke, d->deflt) == 0 && strcmp(d->deflt, d->paper) == 0)
            snprintf(vals, sizeof vals, "every profile: %s", d->smoke);
        else
            snprintf(vals, sizeof vals, "smoke: %s  default: %s  paper: %s", d->smoke, d->deflt, d->paper);
        if (indent + (int)strlen(vals) <= 80)
            fprintf(f, "%*s%s\n", indent, "", vals);
        else
            fprintf(f, "%*ssmoke: %s\n%*sdefault: %s\n%*spaper: %s\n", indent, "", d->smoke, indent, "", d->deflt,
                    indent, "", d->paper);
    }
}

const char *ntk_params_str(const ntk_params *p, const char *key)
{
    long k = find_key(p, key, strlen(key));
    return k < 0 ? NULL : p->value[k];
}

static int parse_long(const char *key, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        NTK_FAIL(GSL_EINVAL, "parameter %s: '%s' is not an integer", key, s);
    if (v < min || v > max)
        NTK_FAIL(GSL_EINVAL, "parameter %s: %ld is out of range [%ld, %ld]", key, v, min, max);
    *out = v;
    return 0;
}

int ntk_params_long(const ntk_params *p, const char *key, long min, long max, long *out)
{
    const char *s = ntk_params_str(p, key);
    if (!s) NTK_FAIL(GSL_EINVAL, "no parameter named %s", key);
    return parse_long(key, s, min, max, out);
}

int ntk_params_double(const ntk_params *p, const char *key, double min, double max, double *out)
{
    const char *s = ntk_params_str(p, key);
    if (!s) NTK_FAIL(GSL_EINVAL, "no parameter named %s", key);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        NTK_FAIL(GSL_EINVAL, "parameter %s: '%s' is not a finite number", key, s);
    if (v < min || v > max) NTK_FAIL(GSL_EINVAL, "parameter %s: %g is out of range [%g, %g]", key, v, min, max);
    *out = v;
    return 0;
}

int ntk_params_longs(const ntk_params *p, const char *key, long min, long max, size_t maxn,
                     long *out, size_t *n)
{
    const char *s = ntk_params_str(p, key);
    if (!s) NTK_FAIL(GSL_EINVAL, "no parameter named %s", key);
    size_t count = 0;
    const char *q = s;
    for (;;) {
        const char *comma = strchr(q, ',');
        size_t len = comma ? (size_t)(comma - q) : strlen(q);
        char item[64];
        if (len == 0 || len >= sizeof item)
            NTK_FAIL(GSL_EINVAL, "parameter %s: '%s' is not a comma-separated list of integers", key, s);
        if (count == maxn) NTK_FAIL(GSL_EINVAL, "parameter %s: more than %zu values in '%s'", key, maxn, s);
        memcpy(item, q, len);
        item[len] = '\0';
        int st = parse_long(key, item, min, max, &out[count]);
        if (st) return st;
        count++;
        if (!comma) break;
        q = comma + 1;
    }
    *n = count;
    return 0;
}

int ntk_params_write(const ntk_params *p, ntk_out *o)
{
    int st = ntk_out_param(o, "profile", "%s", p->profile);
    for (size_t k = 0; k < p->n && !st; k++)
        st = ntk_out_param(o, p->defs[k].key, "%s%s", p->value[k], p->overridden[k] ? "  " NTK_PARAMS_SET_MARK : "");
    return st;
}
