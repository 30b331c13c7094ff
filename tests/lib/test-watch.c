/* test-watch.c: ShmvWatch turns channel changes into a readable fd
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-segment-private.h"
#include "shmv-test-util.h"

#include <glib.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static gboolean
becomes_readable (ShmvWatch *watch, int timeout_ms)
{
  struct pollfd pfd = { shmv_watch_fd (watch), POLLIN, 0 };
  gboolean ready = poll (&pfd, 1, timeout_ms) == 1;

  if (ready)
    shmv_watch_drain (watch);
  return ready;
}

static void
publish (ShmvChannel *ch, guint8 value)
{
  guint8 pixels[4 * 4 * 3];

  memset (pixels, value, sizeof pixels);
  g_assert_true (shmv_channel_publish (ch, pixels, 4, 4, 12, SHMV_FORMAT_RGB8, NULL));
}

/* A started watch of @key. */
static ShmvWatch *
watch_started (const char *key)
{
  ShmvWatch *watch = shmv_watch_new (key);

  g_assert_nonnull (watch);
  g_assert_true (shmv_watch_start (watch));
  g_assert_cmpint (shmv_watch_error (watch), ==, SHMV_ERROR_NONE);
  g_assert_cmpstr (shmv_watch_error_string (watch), ==, "");
  return watch;
}

/* new() only allocates: no descriptor, no thread until start(), which
 * happens once. */
static void
test_new_then_start_once (void)
{
  g_autofree char *key = shmv_test_unique_key ("watchstart");
  ShmvWatch *watch = shmv_watch_new (key);
  int fd;

  g_assert_nonnull (watch);
  g_assert_cmpint (shmv_watch_fd (watch), ==, -1);
  g_assert_cmpint (shmv_watch_error (watch), ==, SHMV_ERROR_NONE);
  shmv_watch_free (watch); /* never started */

  watch = watch_started (key);
  fd = shmv_watch_fd (watch);
  g_assert_cmpint (fd, >=, 0);
  g_assert_false (shmv_watch_start (watch));
  g_assert_cmpint (shmv_watch_error (watch), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (shmv_watch_error_string (watch), key));
  g_assert_cmpint (shmv_watch_fd (watch), ==, fd);
  shmv_watch_free (watch);
  shmv_watch_free (NULL);
}

static void
test_follows_channel_lifecycle (void)
{
  g_autofree char *key = shmv_test_unique_key ("watch");
  ShmvWatch *watch = watch_started (key);
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvChannel *remover = shmv_channel_new (key);

  g_assert_nonnull (watch);
  g_assert_false (becomes_readable (watch, 100)); /* nothing yet, and quiet */

  /* The channel appears: noticed through inotify, no polling. */
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (becomes_readable (watch, 3000));
  publish (writer, 1);
  g_assert_true (becomes_readable (watch, 3000));
  g_assert_false (becomes_readable (watch, 50));
  publish (writer, 2);
  g_assert_true (becomes_readable (watch, 3000));

  /* Removed and made again: the watch moves to the new channel. */
  g_assert_true (shmv_channel_remove (remover));
  g_assert_true (becomes_readable (watch, 3000));
  shmv_channel_close (writer);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (becomes_readable (watch, 3000));
  publish (writer, 3);
  g_assert_true (becomes_readable (watch, 3000));

  shmv_watch_free (watch);
  shmv_channel_free (remover);
  shmv_channel_free (writer);
}

static void
test_notices_writer_death (void)
{
  g_autofree char *key = shmv_test_unique_key ("watchdeath");
  ShmvChannel *keeper = shmv_channel_new (key);
  ShmvWatch *watch;
  int fd;
  GPid pid = shmv_test_fork (shmv_test_publish_and_hang, key, &fd);

  shmv_test_expect_line (fd, "P", 5000);
  g_assert_true (shmv_channel_open (keeper, SHMV_CHANNEL_READER, 0));
  watch = watch_started (key);
  g_assert_true (becomes_readable (watch, 3000)); /* found it */
  shmv_test_kill (pid);
  /* SIGKILL tells nobody; the watch checks liveness once a second. */
  g_assert_true (becomes_readable (watch, 3000));
  g_assert_false (shmv_channel_writer_alive (keeper));
  shmv_watch_free (watch);
  close (fd);
  shmv_channel_free (keeper);
}

static void
test_free_is_prompt (void)
{
  g_autofree char *key = shmv_test_unique_key ("watchfree");
  ShmvChannel *writer = shmv_channel_new (key);

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  for (int i = 0; i < 20; i++)
    {
      ShmvWatch *watch = watch_started (key);
      gint64 start;

      g_assert_true (becomes_readable (watch, 3000));
      start = g_get_monotonic_time ();
      shmv_watch_free (watch);
      /* Stopping wakes the sleeping thread instead of waiting out its timer. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
    }
  shmv_channel_free (writer);
}

/* CPU time this process used per unit of wall time while the main thread
 * sleeps for @ms: only the watch thread can use any. */
static double
cpu_share_while_sleeping (int ms)
{
  struct timespec cpu0, cpu1, wall0, wall1;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  clock_gettime (CLOCK_MONOTONIC, &wall0);
  g_usleep ((gulong) ms * 1000);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  clock_gettime (CLOCK_MONOTONIC, &wall1);
  return ((cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9) /
         ((wall1.tv_sec - wall0.tv_sec) + (wall1.tv_nsec - wall0.tv_nsec) / 1e9);
}

static void
test_truncated_header_reported_not_spun (gconstpointer data)
{
  off_t size = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("watchtrunc");
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvChannel *reader = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvFrameInfo info;
  ShmvWatch *watch;
  double share;

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  publish (writer, 1);
  g_assert_true (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));
  watch = watch_started (key);
  g_assert_true (becomes_readable (watch, 3000)); /* found it */

  /* A same-user peer cuts the header page off under every mapping. */
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_no_errno (ftruncate (shmv_segment_fd (seg), size));
  /* The watch tells the user, whose look finds the channel broken... */
  g_assert_true (becomes_readable (watch, 3000));
  g_assert_false (shmv_channel_get_info (reader, &info));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_CORRUPT);
  /* ...and then sleeps instead of retrying a futex that fails at once. */
  share = cpu_share_while_sleeping (500);
  g_test_message ("CPU used by the watch of a broken channel: %.2f %% of a core", share * 100);
  g_assert_cmpfloat (share, <, 0.05);

  /* Removed and made again: the watch follows the key to the new channel. */
  g_assert_true (shmv_channel_remove (reader));
  shmv_channel_close (writer);
  while (becomes_readable (watch, 0))
    ;
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (becomes_readable (watch, 5000));
  publish (writer, 2);
  g_assert_true (becomes_readable (watch, 5000));

  shmv_watch_free (watch);
  shmv_segment_free (seg);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
}

#define NOBODY 65534

/* Waits until every thread but the main one of this process sleeps. */
static void
wait_for_threads_to_sleep (void)
{
  gboolean all_asleep = FALSE;

  while (!all_asleep)
    {
      g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      all_asleep = TRUE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          pid_t tid = (pid_t) atoi (name);

          if (tid != getpid () && shmv_test_task_state (getpid (), tid) == 'R')
            all_asleep = FALSE;
        }
      if (!all_asleep)
        g_usleep (1000);
    }
}

/* Child, as nobody with its inotify instances used up: a watch started
 * before the channel exists still sees it appear. */
static int
watch_without_inotify (const char *key, int fd)
{
  ShmvChannel *writer;
  ShmvWatch *watch;
  gboolean seen;

  if (setgroups (0, NULL) < 0 || setresgid (NOBODY, NOBODY, NOBODY) < 0 ||
      setresuid (NOBODY, NOBODY, NOBODY) < 0 || prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return 2;
  writer = shmv_channel_new (key); /* a channel of nobody's */
  if (!shmv_test_use_up_inotify ())
    return 3;
  watch = watch_started (key);
  if (watch == NULL)
    return 2;
  /* The watch has looked, found nothing, and sleeps: now make the channel. */
  wait_for_threads_to_sleep ();
  if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    {
      g_printerr ("child: %s\n", shmv_channel_error_string (writer));
      return 2;
    }
  seen = becomes_readable (watch, 10000);
  shmv_watch_free (watch);
  shmv_channel_remove (writer);
  shmv_channel_free (writer);
  return seen ? 0 : 1;
}

static void
test_appears_without_inotify (void)
{
  g_autofree char *key = shmv_test_unique_key ("watchnoinotify");
  int status;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to use up another user's inotify instances");
      return;
    }
  status = shmv_test_wait (shmv_test_fork (watch_without_inotify, key, NULL));
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == 3)
    g_test_skip ("the descriptor limit is below the inotify instance limit");
  else
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watch/new-then-start-once", test_new_then_start_once);
  g_test_add_func ("/watch/follows-channel-lifecycle", test_follows_channel_lifecycle);
  g_test_add_func ("/watch/notices-writer-death", test_notices_writer_death);
  g_test_add_func ("/watch/free-is-prompt", test_free_is_prompt);
  g_test_add_data_func ("/watch/truncated-header-page", GINT_TO_POINTER (SHMV_SEGMENT_DATA_OFFSET),
                        test_truncated_header_reported_not_spun);
  g_test_add_data_func ("/watch/truncated-to-nothing", GINT_TO_POINTER (0),
                        test_truncated_header_reported_not_spun);
  g_test_add_func ("/watch/appears-without-inotify", test_appears_without_inotify);
  return g_test_run ();
}
