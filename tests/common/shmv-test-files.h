/* shmv-test-files.h: keys, temporary directories and files, and what a
 * test may leave behind
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A key no other test (nor another run of this one) uses: it embeds the pid,
 * a counter and @what. Free with g_free(). */
char *shmv_test_unique_key (const char *what);

/* Whether /dev/shm holds an object whose name contains @native_key
 * (without its leading slash). */
gboolean shmv_test_shm_exists (const char *native_key);

/* Removes the channel of @key if it exists (cleanup after a test). */
void shmv_test_forget_key (const char *key);

/* A fresh temporary directory; shmv_test_tmpdir_remove() deletes it with
 * everything inside, read-only or not. */
char *shmv_test_tmpdir_new (void);
void shmv_test_tmpdir_remove (const char *dir);

/* @name in a directory of this process's own, removed at exit. */
char *shmv_test_path (const char *name);

/* Writes @len bytes of @data to @path, or fails the test. */
void shmv_test_write_file (const char *path, const void *data, gsize len);

/* The names in @dir, sorted, as a NULL-terminated array. */
GStrv shmv_test_dir_list (const char *dir);

/* PngSuite, shipped with the project in tests/data/pngsuite (found through
 * G_TEST_SRCDIR); aborts when it is absent. Call after g_test_init(). */
const char *shmv_test_pngsuite_dir (void);

/* Runs @func (@data) where file modes bind: directly, or, as root (whom
 * modes do not stop), in a child that has become nobody (uid 65534) after
 * giving it @dir and what @dir holds; asserts that the child succeeded. */
void shmv_test_run_unprivileged (const char *dir, GTestDataFunc func, gconstpointer data);

G_END_DECLS
