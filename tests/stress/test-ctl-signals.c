/* test-ctl-signals.c: SIGINT, SIGTERM and SIGHUP leave nothing behind
 *
 * shmview-ctl is stopped where it is known to wait: publish reading a FIFO
 * that the test holds open without writing (its new channel exists by
 * then), and read opening a FIFO that nobody reads. The test waits until
 * the kernel says the process sleeps there (/proc/PID/wchan), sends the
 * signal, and asserts that shmview-ctl ended by that signal (the documented
 * status: killed by it, 128 + N in a shell) and left nothing: no segment in
 * /dev/shm, no System V lock set, no temporary file; and that a channel that
 * existed before keeps its last frame. read into a regular file is stopped
 * between writing its temporary file and renaming it by a shim
 * (ctl-rename-gate.c, LD_PRELOAD): the signal must wait for the rename, and
 * no temporary file may be left. The path of shmview-ctl comes as
 * --ctl=PATH (meson.build) or in $SHMVIEW_CTL, the shim's as
 * --rename-gate=PATH.
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
static char *rename_gate; /* ctl-rename-gate.so */

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static pid_t
spawn_ctl_env (const char *const *args, char **env)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      /* stdout and stderr to /dev/null: nobody reads them */
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      execve (ctl_path, (char **) args, env != NULL ? env : environ);
      _exit (127);
    }
  return pid;
}

static pid_t
spawn_ctl (const char *const *args)
{
  return spawn_ctl_env (args, NULL);
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
  g_assert_cmpint (shmv_test_run (args, NULL, NULL, NULL), ==, 0);
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
      ShmvChannel *reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
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

/* The wchan of @pid's thread named @comm, or NULL. */
static char *
thread_wchan (pid_t pid, const char *comm)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr (GDir) dir = g_dir_open (task_dir, 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename (task_dir, tid, "comm", NULL);
      g_autofree char *wchan_path = g_build_filename (task_dir, tid, "wchan", NULL);
      g_autofree char *name = NULL;
      char *wchan = NULL;

      if (g_file_get_contents (comm_path, &name, NULL, NULL) && g_str_has_prefix (name, comm) &&
          g_file_get_contents (wchan_path, &wchan, NULL, NULL))
        return wchan;
    }
  return NULL;
}

/* Waits until @pid has dealt with the signal just sent: it has exited (not
 * reaped), or its signal thread has taken the signal and waits for the
 * held step to end (asleep on a futex instead of in sigwait()). */
static void
wait_signal_taken (pid_t pid)
{
  for (int waited = 0; waited < WAIT_MS; waited += 5)
    {
      siginfo_t info = { 0 };
      g_autofree char *wchan = NULL;

      g_assert_cmpint (waitid (P_PID, (id_t) pid, &info, WEXITED | WNOHANG | WNOWAIT), ==, 0);
      if (info.si_pid == pid)
        return;
      wchan = thread_wchan (pid, "signals");
      if (wchan != NULL && strstr (wchan, "futex") != NULL)
        return;
      g_usleep (5000);
    }
  g_error ("shmview-ctl (pid %d) never took its signal", (int) pid);
}

/* read into a regular file, stopped after writing its temporary file and
 * before renaming it: the signal waits for the rename, so the file is
 * complete (with its old mode) and no temporary file is left. */
static void
test_read_file (gconstpointer data)
{
  static const guint8 pixels[2 * 2 * 3] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  int sig = stop_signals[GPOINTER_TO_INT (data)];
  g_autofree char *key = shmv_test_unique_key ("signal-read-file");
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *gate = make_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *arrived = g_build_filename (gate, "arrived", NULL);
  g_autofree char *go = g_build_filename (gate, "go", NULL);
  const char *args[] = { ctl_path, "read", out, "-k", key, NULL };
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *asan = NULL;
  ShmvImage image = { 0 };
  ShmvStatus status;
  struct stat st;
  int fd, n_files = 0, lock_key;
  char c;
  pid_t pid;

  stress_register_key (key);
  publish_small (dir, key);
  lock_key = stress_lock_key_of (key);
  g_assert_true (g_file_set_contents (out, "old", -1, NULL));
  g_assert_cmpint (chmod (out, 0600), ==, 0);
  g_assert_cmpint (mkfifo (arrived, 0600), ==, 0);
  g_assert_cmpint (mkfifo (go, 0600), ==, 0);
  env = g_environ_setenv (env, "LD_PRELOAD", rename_gate, TRUE);
  env = g_environ_setenv (env, "SHMV_TEST_RENAME_GATE", gate, TRUE);
  /* An AddressSanitizer build wants its runtime first; the shim is harmless. */
  asan =
      g_strconcat (g_environ_getenv (env, "ASAN_OPTIONS") ?: "", ":verify_asan_link_order=0", NULL);
  env = g_environ_setenv (env, "ASAN_OPTIONS", asan, TRUE);

  pid = spawn_ctl_env (args, env);
  fd = open (arrived, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (read (fd, &c, 1), ==, 1); /* the temporary file is written */
  close (fd);
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);

    while (g_dir_read_name (d) != NULL)
      n_files++;
    g_assert_cmpint (n_files, ==, 2); /* out.png and its temporary file */
  }

  g_assert_cmpint (kill (pid, sig), ==, 0);
  wait_signal_taken (pid);
  /* Let it rename (if it still lives: an unheld signal killed it). */
  fd = open (go, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0)
    {
      g_assert_cmpint (write (fd, "g", 1), ==, 1);
      close (fd);
    }
  {
    int wait_status = stress_wait (pid, WAIT_MS);

    g_assert_true (WIFSIGNALED (wait_status));
    g_assert_cmpint (WTERMSIG (wait_status), ==, sig);
  }

  assert_only (dir, "out.png");
  g_assert_cmpint (lstat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode, ==, S_IFREG | 0600);
  g_assert_true (shmv_png_load (out, NULL, &image, &status));
  g_assert_cmpuint (image.width, ==, 2);
  g_assert_cmpmem (image.pixels, 6, pixels, 6);
  g_assert_cmpmem (image.pixels + image.stride, 6, pixels + 6, 6);
  shmv_image_clear (&image);

  stress_remove_key (key);
  stress_assert_nothing_left (key, lock_key);
  g_unlink (out);
  g_rmdir (dir);
  g_unlink (arrived);
  g_unlink (go);
  g_rmdir (gate);
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
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--rename-gate="))
      {
        rename_gate = g_strdup (argv[i] + strlen ("--rename-gate="));
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }
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
      if (rename_gate != NULL)
        {
          g_autofree char *file_path =
              g_strdup_printf ("/stress/ctl-signals/read-file-%s", names[i]);

          g_test_add_data_func (file_path, GINT_TO_POINTER (i), test_read_file);
        }
    }

  result = g_test_run ();
  stress_cleanup ();
  return result;
}
