/* tmpdir.c - temporary directories of the test suites; see tmpdir.h. */
#define _GNU_SOURCE
#include "tmpdir.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

const char *ntk_tmpdir_contents(const char *path)
{
    static char buf[8192];
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

void ntk_tmpdir_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(text, f);
    CU_ASSERT_FATAL(fclose(f) == 0);
}

int ntk_tmpdir_temp_files(const char *d)
{
    DIR *h = opendir(d);
    if (!h) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(h));) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(h);
    return n;
}
