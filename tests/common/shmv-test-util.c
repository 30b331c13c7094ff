/* shmv-test-util.c: helpers every test uses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *
shmv_test_unique_key (const char *what)
{
  static gint counter;

  return g_strdup_printf ("test-%d-%d-%s", (int) getpid (), g_atomic_int_add (&counter, 1), what);
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

int
shmv_test_run (const char *const *argv, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                     &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  return status;
}

GPid
shmv_test_spawn (const char *const *argv, int *stdin_fd, int *stdout_fd)
{
  g_autoptr (GError) error = NULL;
  GPid pid = 0;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, stdin_fd, stdout_fd, NULL, &error))
    g_error ("cannot start %s: %s", argv[0], error->message);
  return pid;
}

GPid
shmv_test_fork (int (*body) (const char *key, int fd), const char *key, int *read_fd)
{
  int fds[2];
  GPid pid;

  g_assert_no_errno (pipe (fds));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      _exit (body (key, fds[1]));
    }
  close (fds[1]);
  if (read_fd != NULL)
    *read_fd = fds[0];
  else
    close (fds[0]);
  return pid;
}

int
shmv_test_wait (GPid pid)
{
  int status;

  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return status;
}

void
shmv_test_assert_exits_ok (GPid pid)
{
  int status = shmv_test_wait (pid);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

void
shmv_test_kill (GPid pid)
{
  kill (pid, SIGKILL);
  g_assert_true (WIFSIGNALED (shmv_test_wait (pid)));
}

char *
shmv_test_read_line (int fd, int timeout_ms)
{
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);
      char c;
      ssize_t n;

      if (left < 0 || poll (&pfd, 1, left) <= 0)
        break;
      n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (c == '\n')
        return g_string_free (line, FALSE);
      g_string_append_c (line, c);
    }
  g_string_free (line, TRUE);
  return NULL;
}

gboolean
shmv_test_wait_for_line (int fd, const char *needle, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);
      g_autofree char *line = NULL;

      if (left <= 0)
        return FALSE;
      line = shmv_test_read_line (fd, left);
      if (line == NULL)
        return FALSE;
      g_test_message ("child: %s", line);
      if (strstr (line, needle) != NULL)
        return TRUE;
    }
}

int
shmv_test_wait_timeout (GPid pid, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      int status = 0;
      pid_t got = waitpid (pid, &status, WNOHANG);

      if (got == pid)
        return status;
      if (got < 0 && errno != EINTR)
        g_error ("waitpid: %s", g_strerror (errno));
      if (g_get_monotonic_time () > deadline)
        return -1;
      g_usleep (5 * 1000);
    }
}

void
shmv_test_expect_line (int fd, const char *expected, int timeout_ms)
{
  g_autofree char *line = shmv_test_read_line (fd, timeout_ms);

  g_assert_cmpstr (line, ==, expected);
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
