/* atomic.c - a file replaced whole or not at all; see atomic.h. */
#define _GNU_SOURCE
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#define TMP_SUFFIX ".tmp.XXXXXX"

/* Free the names and empty *a (the file is already closed). */
static void atomic_clear(ntk_atomic *a)
{
    free(a->path);
    free(a->tmp);
    a->f = NULL;
    a->path = a->tmp = NULL;
}

int ntk_atomic_open(ntk_atomic *a, const char *path)
{
    if (!a) NTK_FAIL(GSL_EINVAL, "ntk_atomic_open: no ntk_atomic given (NULL)");
    memset(a, 0, sizeof *a);
    if (!path || !*path) NTK_FAIL(GSL_EINVAL, "ntk_atomic_open: no path given");
    size_t n = strlen(path);
    if (path[n - 1] == '/') NTK_FAIL(GSL_EINVAL, "%s: names a directory, not a file", path);
    a->path = strdup(path);
    a->tmp = malloc(n + sizeof TMP_SUFFIX);
    if (!a->path || !a->tmp) {
        atomic_clear(a);
        NTK_FAIL(GSL_ENOMEM, "%s: out of memory", path);
    }
    memcpy(a->tmp, path, n);
    memcpy(a->tmp + n, TMP_SUFFIX, sizeof TMP_SUFFIX);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        int st = ntk_error(GSL_EFAILED, "%s: cannot create a temporary file beside it: %s", path,
                           strerror(errno));
        atomic_clear(a);
        return st;
    }
    /* mkstemp makes the file private (0600); the files written here are for all to read. */
    if (fchmod(fd, 0644) != 0 || !(a->f = fdopen(fd, "wb"))) {
        int st = ntk_error(GSL_EFAILED, "%s: cannot set up the temporary file %s: %s", path, a->tmp,
                           strerror(errno));
        close(fd);
        unlink(a->tmp);
        atomic_clear(a);
        return st;
    }
    return 0;
}

/* fsync the directory holding path, so that a rename into it is on disk. Best effort:
 * the rename has happened, and some file systems cannot fsync a directory. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int ntk_atomic_commit(ntk_atomic *a)
{
    if (!a || !a->f) NTK_FAIL(GSL_EINVAL, "ntk_atomic_commit: no file open (NULL, or already closed)");
    const char *step = NULL;
    int err = 0;
    if (fflush(a->f) != 0 || ferror(a->f))
        step = "write failed", err = errno;
    else if (fsync(fileno(a->f)) != 0)
        step = "fsync failed", err = errno;
    if (fclose(a->f) != 0 && !step) step = "close failed", err = errno;
    a->f = NULL;
    if (!step && rename(a->tmp, a->path) != 0) step = "cannot rename the temporary file onto it", err = errno;
    int st = 0;
    if (step) {
        st = ntk_error(GSL_EFAILED, "%s: not written: %s: %s", a->path, step,
                       err ? strerror(err) : "stream error");
        unlink(a->tmp);
    } else {
        sync_dir(a->path);
    }
    atomic_clear(a);
    return st;
}

void ntk_atomic_abort(ntk_atomic *a)
{
    if (!a) return;
    if (a->f) fclose(a->f);
    if (a->tmp) unlink(a->tmp);
    atomic_clear(a);
}
