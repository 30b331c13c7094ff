/* shmv-test-process.c: running other programs and forked children from tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-process.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char **
child_env (const char *debug_domains)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  if (debug_domains != NULL)
    env = g_environ_setenv (env, "G_MESSAGES_DEBUG", debug_domains, TRUE);
  else
    env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  return env;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

int
shmv_test_run (const char *const *argv, const char *debug_domains, char **out, char **err)
{
  g_auto (GStrv) env = child_env (debug_domains);
  g_autofree char *joined = g_strjoinv (" ", (char **) argv);
  /* The log is TAP, which must be UTF-8: a test may pass invalid bytes. */
  g_autofree char *shown = g_utf8_make_valid (joined, -1);
  g_autofree char *child_out = NULL;
  g_autofree char *child_err = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_test_message ("running %s", shown);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, die_with_parent, NULL, &child_out,
                     &child_err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  /* Callers run one command after another into the same strings. */
  if (out != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&child_out);
    }
  if (err != NULL)
    {
      g_free (*err);
      *err = g_steal_pointer (&child_err);
    }
  return status;
}

GPid
shmv_test_spawn (const char *const *argv, const char *debug_domains, int *stdout_fd, int *stderr_fd)
{
  g_auto (GStrv) env = child_env (debug_domains);
  g_autoptr (GError) error = NULL;
  GPid pid = 0;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                 die_with_parent, NULL, &pid, NULL, stdout_fd, stderr_fd, &error))
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

int
shmv_test_wait_exit (GPid pid, int timeout_ms)
{
  int status = shmv_test_wait_timeout (pid, timeout_ms);

  if (status == -1)
    {
      kill (pid, SIGKILL);
      shmv_test_wait (pid);
      return -1;
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

gboolean
shmv_test_pid_alive (GPid pid)
{
  int status = 0;

  return waitpid (pid, &status, WNOHANG) == 0;
}

char
shmv_test_task_state (pid_t pid, pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/stat", (int) pid, (int) tid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return '?';
  return end[2];
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

void
shmv_test_expect_line (int fd, const char *expected, int timeout_ms)
{
  g_autofree char *line = shmv_test_read_line (fd, timeout_ms);

  g_assert_cmpstr (line, ==, expected);
}
