/* tmpdir.c - temporary directories of the test suites; see tmpdir.h. */
#define _GNU_SOURCE
#include "tmpdir.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int ntk_tmpdir_make(char *dir, size_t size, const char *tag)
{
    int n = snprintf(dir, size, "/tmp/ntk-test-%s.XXXXXX", tag);
    return n > 0 && (size_t)n < size && mkdtemp(dir) ? 0 : 1;
}

int ntk_tmpdir_remove(const char *dir) { return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

const char *ntk_tmpdir_path(const char *dir, const char *name)
{
    static char bufs[8][256];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}
