/* shmv-test-files.c: keys, temporary directories and files, and what a
 * test may leave behind
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-test-files.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <shmview/shmview.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *
shmv_test_unique_key (const char *what)
{
  static gint counter;

  return g_strdup_printf ("test-%d-%d-%s", (int) getpid (), g_atomic_int_add (&counter, 1), what);
}

gboolean
shmv_test_shm_exists (const char *native_key)
{
  g_autoptr (GDir) dir = g_dir_open ("/dev/shm", 0, NULL);
  const char *name;
  const char *needle = native_key[0] == '/' ? native_key + 1 : native_key;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, needle) != NULL)
      return TRUE;
  return FALSE;
}

void
shmv_test_forget_key (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_remove (ch))
    g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_NOT_FOUND);
  shmv_channel_free (ch);
}

char *
shmv_test_tmpdir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("shmview-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
shmv_test_tmpdir_remove (const char *dir)
{
  g_autoptr (GDir) handle = NULL;
  const char *name;

  /* A test may have made it read-only. */
  g_chmod (dir, 0700);
  handle = g_dir_open (dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        shmv_test_tmpdir_remove (path);
      else
        g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static char *process_dir;

static void
remove_process_dir (void)
{
  /* At exit, after an assertion perhaps: remove what can be, assert nothing. */
  g_autoptr (GDir) dir = g_dir_open (process_dir, 0, NULL);
  const char *name = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (process_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (process_dir);
}

char *
shmv_test_path (const char *name)
{
  if (process_dir == NULL)
    {
      process_dir = shmv_test_tmpdir_new ();
      atexit (remove_process_dir);
    }
  return g_build_filename (process_dir, name, NULL);
}

void
shmv_test_write_file (const char *path, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GStrv
shmv_test_dir_list (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

const char *
shmv_test_pngsuite_dir (void)
{
  static char *dir;

  /* PngSuite is part of the repository: without it the checkout is broken,
   * and skipping its cases would hide that. */
  if (dir == NULL)
    {
      dir = g_test_build_filename (G_TEST_DIST, "data", "pngsuite", NULL);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        g_error ("PngSuite not found at %s (tests/data/pngsuite of the repository)", dir);
    }
  return dir;
}

#define NOBODY 65534

static void
give_to_nobody (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  g_assert_cmpint (lchown (dir, NOBODY, NOBODY), ==, 0);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (lchown (path, NOBODY, NOBODY), ==, 0);
    }
}

void
shmv_test_run_unprivileged (const char *dir, GTestDataFunc func, gconstpointer data)
{
  pid_t pid;
  int status;

  if (geteuid () != 0)
    {
      func (data);
      return;
    }
  give_to_nobody (dir);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgroups (0, NULL) < 0 || setresgid (NOBODY, NOBODY, NOBODY) < 0 ||
          setresuid (NOBODY, NOBODY, NOBODY) < 0)
        _exit (2);
      func (data); /* a failed assertion aborts the child */
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}
