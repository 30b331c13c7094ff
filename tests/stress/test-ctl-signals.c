/* test-ctl-signals.c: SIGINT, SIGTERM and SIGHUP leave nothing behind
 *
 * shmview-ctl is stopped where it is known to wait: publish reading a FIFO
 * that the test holds open without writing (its new channel exists by
 * then), and read opening a FIFO that nobody reads. The test waits until
 * the kernel says the process sleeps there (/proc/PID/wchan), sends the
 * signal, and asserts that shmview-ctl ended by that signal (the documented
 * status: killed by it, 128 + N in a shell) and left nothing: no segment in
 * /dev/shm, no System V lock set, no temporary file; and that a channel that
 * existed before keeps its last frame. The path of shmview-ctl comes as
 * --ctl=PATH (meson.build) or in $SHMVIEW_CTL.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define WAIT_MS 20000

static char *ctl_path;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static pid_t
spawn_ctl (const char *const *args)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      /* stdout and stderr to /dev/null: nobody reads them */
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      execv (ctl_path, (char **) args);
      _exit (127);
    }
  return pid;
}

/* Waits until @pid sleeps in the kernel function named like @where (the
 * point the test stops it at), or fails the test after WAIT_MS. */
static void
wait_asleep_in (pid_t pid, const char *where)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/wchan", (int) pid);

  for (int waited = 0; waited < WAIT_MS; waited += 5)
    {
      g_autofree char *wchan = NULL;

      if (g_file_get_contents (path, &wchan, NULL, NULL) && strstr (wchan, where) != NULL)
        return;
      g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, 0); /* still running */
      g_usleep (5000);
    }
  g_error ("shmview-ctl (pid %d) never slept in %s", (int) pid, where);
}

/* Sends @sig and asserts that shmview-ctl ended by it. */
static void
stop_with (pid_t pid, int sig)
{
  int status;

  g_assert_cmpint (kill (pid, sig), ==, 0);
  status = stress_wait (pid, WAIT_MS);
  g_assert_cmpint (status, !=, -1);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, sig);
}

static char *
make_tmpdir (void)
{
  char *dir = g_dir_make_tmp ("shmview-signals-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return dir;
}

/* Asserts that @dir holds only @name. */
static void
assert_only (const char *dir_path, const char *name)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *found;

  while ((found = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (found, ==, name);
}

/* Publishes a small image on @key, persistent, as `publish FILE` does. */
static void
publish_small (const char *dir, const char *key)
{
  static const guint8 pixels[2 * 2 * 3] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  g_autofree char *png = g_build_filename (dir, "small.png", NULL);
  const char *args[] = { ctl_path, "publish", png, "-k", key, NULL };
  ShmvStatus status;

  g_assert_true (shmv_png_save (png, pixels, 2, 2, 6, SHMV_FORMAT_RGB8, &status));
  g_assert_cmpint (shmv_test_run (args, NULL, NULL), ==, 0);
  g_unlink (png);
}

/* publish, stuck reading its input, is stopped: the channel it made goes,
 * lock set included; a channel that was there keeps its frame. */
static void
test_publish (gconstpointer data)
{
  int sig = stop_signals[GPOINTER_TO_INT (data) % 3];
  gboolean existing = GPOINTER_TO_INT (data) >= 3;
  g_autofree char *key = shmv_test_unique_key ("signal-publish");
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *fifo = g_build_filename (dir, "in.png", NULL);
  const char *args[] = { ctl_path, "publish", fifo, "-k", key, NULL };
  int hold, lock_key;
  pid_t pid;

  stress_register_key (key);
  if (existing)
    publish_small (dir, key);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  hold = open (fifo, O_RDWR | O_CLOEXEC); /* open, but never written */
  g_assert_cmpint (hold, >=, 0);

  pid = spawn_ctl (args);
  wait_asleep_in (pid, "pipe_read");
  lock_key = stress_lock_key_of (key);
  g_assert_cmpint (lock_key, >=, 0); /* the channel exists by then */
  stop_with (pid, sig);

  if (existing)
    {
      ShmvChannel *reader = stress_open (key, SHMV_CHANNEL_READER);
      ShmvFrameInfo info;

      g_assert_true (shmv_channel_get_info (reader, &info));
      g_assert_cmpuint (info.generation, ==, 1);
      g_assert_cmpuint (info.width, ==, 2);
      shmv_channel_free (reader);
      stress_remove_key (key);
    }
  stress_assert_nothing_left (key, lock_key);

  close (hold);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* read, stuck opening an output FIFO nobody reads, is stopped: no
 * temporary file, and the FIFO is still a FIFO. */
static void
test_read (gconstpointer data)
{
  int sig = stop_signals[GPOINTER_TO_INT (data)];
  g_autofree char *key = shmv_test_unique_key ("signal-read");
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *fifo = g_build_filename (dir, "out.png", NULL);
  const char *args[] = { ctl_path, "read", fifo, "-k", key, NULL };
  struct stat st;
  int lock_key;
  pid_t pid;

  stress_register_key (key);
  publish_small (dir, key);
  lock_key = stress_lock_key_of (key);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  pid = spawn_ctl (args);
  wait_asleep_in (pid, "wait_for_partner");
  stop_with (pid, sig);

  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  assert_only (dir, "out.png");

  stress_remove_key (key);
  stress_assert_nothing_left (key, lock_key);
  g_unlink (fifo);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  static const char *const names[] = { "sigint", "sigterm", "sighup" };
  int result;

  /* --ctl=PATH from meson.build, before GTest sees the arguments. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--ctl="))
      {
        ctl_path = g_strdup (argv[i] + strlen ("--ctl="));
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }
  if (ctl_path == NULL)
    ctl_path = g_strdup (g_getenv ("SHMVIEW_CTL"));
  g_test_init (&argc, &argv, NULL);
  if (ctl_path == NULL)
    {
      g_printerr ("no shmview-ctl: give --ctl=PATH or SHMVIEW_CTL\n");
      return 1;
    }

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *new_path =
          g_strdup_printf ("/stress/ctl-signals/publish-new-channel-%s", names[i]);
      g_autofree char *old_path =
          g_strdup_printf ("/stress/ctl-signals/publish-existing-channel-%s", names[i]);
      g_autofree char *read_path = g_strdup_printf ("/stress/ctl-signals/read-fifo-%s", names[i]);

      g_test_add_data_func (new_path, GINT_TO_POINTER (i), test_publish);
      g_test_add_data_func (old_path, GINT_TO_POINTER (i + 3), test_publish);
      g_test_add_data_func (read_path, GINT_TO_POINTER (i), test_read);
    }

  result = g_test_run ();
  stress_cleanup ();
  return result;
}
