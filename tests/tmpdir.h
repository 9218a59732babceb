/* tmpdir.h - a fresh temporary directory for a test suite, made by the suite's init
 * function and removed, with everything in it, by its clean-up function. */
#ifndef NTK_TMPDIR_H
#define NTK_TMPDIR_H

#include <stddef.h>

/* Make a new directory /tmp/ntk-test-TAG.XXXXXX, its name into dir (size bytes);
 * 0 on success, 1 on failure (a CUnit suite init's status). */
int ntk_tmpdir_make(char *dir, size_t size, const char *tag);

/* Remove dir and everything below it; 0 on success. */
int ntk_tmpdir_remove(const char *dir);

/* dir/name in one of 8 rotating buffers: a name kept longer is copied. */
const char *ntk_tmpdir_path(const char *dir, const char *name);

/* The whole file (up to 8 KiB) as a string in a static buffer; "" when it is missing. */
const char *ntk_tmpdir_contents(const char *path);

/* Write text to path (a failure ends the test: CU_ASSERT_FATAL). */
void ntk_tmpdir_write(const char *path, const char *text);

/* Files in directory d whose name contains ".tmp." (temporary files of atomic.h);
 * -1 when d cannot be read. */
int ntk_tmpdir_temp_files(const char *d);

#endif
