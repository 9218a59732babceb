/* test_atomic.c - a file replaced whole or not at all (atomic.h): the temporary file
 * beside the target while writing, the target untouched until the commit, a new inode
 * after it (a rename, not a rewrite in place), permissions 0644, and on an abort or a
 * failed write the old file intact and no temporary file left. Files live in a fresh
 * mkdtemp directory. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "error.h"
#include "check.h"
#include "tmpdir.h"

static char dir[64];
static int suite_init(void) { return ntk_tmpdir_make(dir, sizeof dir, "atomic"); }
static int suite_clean(void) { return ntk_tmpdir_remove(dir); }
static const char *in_dir(const char *name) { return ntk_tmpdir_path(dir, name); }


static void test_new_file(void)
{
    const char *path = in_dir("new.txt");
    ntk_atomic a;
    CHECK_OK(ntk_atomic_open(&a, path));
    CU_ASSERT_FATAL(a.f != NULL);
    CU_ASSERT(strncmp(a.tmp, path, strlen(path)) == 0 && strncmp(a.tmp + strlen(path), ".tmp.", 5) == 0);
    fprintf(a.f, "theta %.17g\n", 2.385);
    CU_ASSERT(access(path, F_OK) != 0); /* no target until the commit */
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 1); /* the temporary file, beside it */
    CHECK_OK(ntk_atomic_commit(&a));
    CU_ASSERT(a.f == NULL && a.tmp == NULL && a.path == NULL);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "theta 2.3849999999999998\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0); /* renamed: no temporary left */
    struct stat st;
    CU_ASSERT_FATAL(stat(path, &st) == 0);
    CU_ASSERT((st.st_mode & 07777) == 0644); /* readable by all, not mkstemp's 0600 */
}

static void test_replace(void)
{
    const char *path = in_dir("old.txt");
    ntk_tmpdir_write(path, "old contents\n");
    struct stat before, after;
    CU_ASSERT_FATAL(stat(path, &before) == 0);
    ntk_atomic a;
    CHECK_OK(ntk_atomic_open(&a, path));
    fputs("new contents\n", a.f);
    CU_ASSERT(fflush(a.f) == 0);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "old contents\n"); /* readers see the old file */
    CHECK_OK(ntk_atomic_commit(&a));
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "new contents\n");
    CU_ASSERT_FATAL(stat(path, &after) == 0);
    CU_ASSERT(after.st_ino != before.st_ino); /* renamed onto it, not rewritten in place */
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);
}

static void test_abort(void)
{
    const char *path = in_dir("kept.txt");
    ntk_tmpdir_write(path, "kept\n");
    ntk_atomic a;
    CHECK_OK(ntk_atomic_open(&a, path));
    fputs("discarded\n", a.f);
    ntk_atomic_abort(&a);
    CU_ASSERT(a.f == NULL && a.tmp == NULL);
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "kept\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);
    ntk_atomic_abort(&a); /* an emptied one, and NULL: harmless */
    ntk_atomic_abort(NULL);
    CU_ASSERT(ntk_atomic_commit(&a) == GSL_EINVAL);
}

static void test_bad_targets(void)
{
    ntk_atomic a;
    const char *path = in_dir("no-such-dir/x.txt");
    CU_ASSERT(ntk_atomic_open(&a, path) == GSL_EFAILED);
    CU_ASSERT(a.f == NULL && a.tmp == NULL && a.path == NULL);
    CU_ASSERT(strstr(ntk_last_error(), path) != NULL && strstr(ntk_last_error(), "No such file"));
    CU_ASSERT(access(in_dir("no-such-dir"), F_OK) != 0);
    CU_ASSERT(ntk_atomic_open(&a, in_dir("adir/")) == GSL_EINVAL);
    CU_ASSERT(ntk_atomic_open(&a, "") == GSL_EINVAL);
    CU_ASSERT(ntk_atomic_open(&a, NULL) == GSL_EINVAL);
    CU_ASSERT(ntk_atomic_open(NULL, path) == GSL_EINVAL);
}

/* A write that fails (the file size limit, as a full disk would) spoils only the
 * temporary file: the commit reports it, removes it, and the old file stays. */
static void test_failed_write(void)
{
    const char *path = in_dir("full.txt");
    ntk_tmpdir_write(path, "the previous complete file\n");
    struct rlimit old;
    CU_ASSERT_FATAL(getrlimit(RLIMIT_FSIZE, &old) == 0);
    struct rlimit small = {4096, old.rlim_max};
    void (*handler)(int) = signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of a signal */
    ntk_atomic a;
    CHECK_OK(ntk_atomic_open(&a, path));
    CU_ASSERT_FATAL(setrlimit(RLIMIT_FSIZE, &small) == 0);
    for (int i = 0; i < 4000; i++) fprintf(a.f, "%.17g\n", 2.385 * i);
    int st = ntk_atomic_commit(&a);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, handler);
    CU_ASSERT(st == GSL_EFAILED);
    CU_ASSERT(strstr(ntk_last_error(), path) != NULL && strstr(ntk_last_error(), "not written"));
    CU_ASSERT_STRING_EQUAL(ntk_tmpdir_contents(path), "the previous complete file\n");
    CU_ASSERT(ntk_tmpdir_temp_files(dir) == 0);
}

void ntk_test_atomic(void)
{
    CU_pSuite s = CU_add_suite("atomic", suite_init, suite_clean);
    CU_add_test(s, "a new file: temporary beside it, then renamed; mode 0644", test_new_file);
    CU_add_test(s, "an old file: readers see it until the commit; a new inode after", test_replace);
    CU_add_test(s, "abort: the old file intact, no temporary left", test_abort);
    CU_add_test(s, "missing directory and bad names refused, nothing created", test_bad_targets);
    CU_add_test(s, "a failed write: reported, the old file intact, no temporary left", test_failed_write);
}
