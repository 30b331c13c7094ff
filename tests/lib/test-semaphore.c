/* test-semaphore.c: ShmvSemaphore, after Qt's tst_qsystemsemaphore
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-test-util.h"

#include <glib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static gboolean
sem_exists (ShmvSemaphore *sem)
{
  return shmv_test_shm_exists (shmv_semaphore_native_key (sem));
}

static void
test_no_key (void)
{
  ShmvSemaphore *sem = shmv_semaphore_new (NULL, 1, SHMV_SEMAPHORE_CREATE);

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_semaphore_acquire (sem));
  g_assert_cmpstr (shmv_semaphore_native_key (sem), ==, "");
  shmv_semaphore_free (sem);
  sem = shmv_semaphore_new ("", 1, SHMV_SEMAPHORE_OPEN);
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_KEY);
  shmv_semaphore_free (sem);
  shmv_semaphore_free (NULL);
}

static void
test_counts (void)
{
  g_autofree char *key = shmv_test_unique_key ("count");
  ShmvSemaphore *sem = shmv_semaphore_new (key, 2, SHMV_SEMAPHORE_CREATE);

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_true (shmv_semaphore_acquire (sem));
  g_assert_true (shmv_semaphore_acquire (sem));
  g_assert_false (shmv_semaphore_try_acquire (sem, 20));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_TIMEOUT);
  g_assert_true (shmv_semaphore_release (sem, 3)); /* above the initial value */
  for (int i = 0; i < 3; i++)
    g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_release (sem, 0));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_INVALID_ARGUMENT);
  shmv_semaphore_free (sem);
}

static void
test_two_handles_one_counter (void)
{
  g_autofree char *key = shmv_test_unique_key ("two");
  ShmvSemaphore *sem1 = shmv_semaphore_new (key, 1, SHMV_SEMAPHORE_CREATE);
  ShmvSemaphore *sem2 = shmv_semaphore_new (key, 0, SHMV_SEMAPHORE_OPEN);

  g_assert_cmpstr (shmv_semaphore_native_key (sem1), ==, shmv_semaphore_native_key (sem2));
  g_assert_true (shmv_semaphore_acquire (sem1));
  g_assert_true (shmv_semaphore_release (sem2, 1));
  g_assert_true (shmv_semaphore_acquire (sem1));
  g_assert_true (shmv_semaphore_release (sem2, 1));
  g_assert_true (shmv_semaphore_try_acquire (sem2, 0));
  shmv_semaphore_free (sem2);
  g_assert_true (sem_exists (sem1)); /* sem2 did not create it: it keeps the name */
  shmv_semaphore_free (sem1);
}

static void
test_open_creates_missing_and_removes (void)
{
  g_autofree char *key = shmv_test_unique_key ("openmissing");
  ShmvSemaphore *sem = shmv_semaphore_new (key, 1, SHMV_SEMAPHORE_OPEN);
  g_autofree char *native = g_strdup (shmv_semaphore_native_key (sem));

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_true (sem_exists (sem));
  g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  shmv_semaphore_free (sem);
  g_assert_false (shmv_test_shm_exists (native));
}

static void
test_create_replaces_stale (void)
{
  g_autofree char *key = shmv_test_unique_key ("stale");
  ShmvSemaphore *old = shmv_semaphore_new (key, 0, SHMV_SEMAPHORE_CREATE);
  ShmvSemaphore *fresh = shmv_semaphore_new (key, 1, SHMV_SEMAPHORE_CREATE);

  /* A counter left at 0 must not block a new program that asks for a fresh one. */
  g_assert_true (shmv_semaphore_try_acquire (fresh, 0));
  shmv_semaphore_free (old);
  shmv_semaphore_free (fresh);
}

static void
test_acquire_blocks_until_other_process_releases (void)
{
  g_autofree char *key = shmv_test_unique_key ("procs");
  ShmvSemaphore *sem = shmv_semaphore_new (key, 0, SHMV_SEMAPHORE_CREATE);
  int fds[2], status;
  pid_t pid;

  g_assert_no_errno (pipe (fds));
  pid = fork ();
  if (pid == 0)
    {
      ShmvSemaphore *child = shmv_semaphore_new (key, 0, SHMV_SEMAPHORE_OPEN);
      bool ok = shmv_semaphore_acquire (child);

      if (write (fds[1], ok ? "A\n" : "E\n", 2) != 2)
        _exit (2);
      _exit (ok ? 0 : 1);
    }
  close (fds[1]);
  g_assert_null (shmv_test_read_line (fds[0], 300)); /* blocked */
  g_assert_true (shmv_semaphore_release (sem, 1));
  shmv_test_expect_line (fds[0], "A", 5000);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  close (fds[0]);
  shmv_semaphore_free (sem);
}

static void
test_many_processes_acquire_release (void)
{
  g_autofree char *key = shmv_test_unique_key ("many");
  ShmvSemaphore *sem = shmv_semaphore_new (key, 1, SHMV_SEMAPHORE_CREATE);
  pid_t pids[10];

  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      pids[i] = fork ();
      if (pids[i] == 0)
        {
          ShmvSemaphore *child = shmv_semaphore_new (key, 0, SHMV_SEMAPHORE_OPEN);

          for (int n = 0; n < 100; n++)
            if (!shmv_semaphore_acquire (child) || !shmv_semaphore_release (child, 1))
              _exit (1);
          _exit (0);
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      int status;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  /* Exactly one token is left. */
  g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  shmv_semaphore_free (sem);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/semaphore/no-key-gives-key-error", test_no_key);
  g_test_add_func ("/semaphore/counts", test_counts);
  g_test_add_func ("/semaphore/two-handles-one-counter", test_two_handles_one_counter);
  g_test_add_func ("/semaphore/open-creates-missing-and-removes",
                   test_open_creates_missing_and_removes);
  g_test_add_func ("/semaphore/create-replaces-stale", test_create_replaces_stale);
  g_test_add_func ("/semaphore/acquire-blocks-until-other-process-releases",
                   test_acquire_blocks_until_other_process_releases);
  g_test_add_func ("/semaphore/many-processes-acquire-release",
                   test_many_processes_acquire_release);
  return g_test_run ();
}
