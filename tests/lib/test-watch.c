/* test-watch.c: ShmvWatch turns channel changes into a readable fd
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "lib-test-util.h"
#include "shmv-test-util.h"

#include <glib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
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

static void
test_follows_channel_lifecycle (void)
{
  g_autofree char *key = shmv_test_unique_key ("watch");
  ShmvStatus status;
  ShmvWatch *watch = shmv_watch_new (key, &status);
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
  ShmvStatus status;
  ShmvWatch *watch;
  int fd;
  GPid pid = shmv_test_fork (lib_test_publish_and_hang, key, &fd);

  shmv_test_expect_line (fd, "P", 5000);
  g_assert_true (shmv_channel_open (keeper, SHMV_CHANNEL_READER, 0));
  watch = shmv_watch_new (key, &status);
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
  ShmvStatus status;

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  for (int i = 0; i < 20; i++)
    {
      ShmvWatch *watch = shmv_watch_new (key, &status);
      gint64 start;

      g_assert_true (becomes_readable (watch, 3000));
      start = g_get_monotonic_time ();
      shmv_watch_free (watch);
      /* Stopping wakes the sleeping thread instead of waiting out its timer. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
    }
  shmv_channel_free (writer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watch/follows-channel-lifecycle", test_follows_channel_lifecycle);
  g_test_add_func ("/watch/notices-writer-death", test_notices_writer_death);
  g_test_add_func ("/watch/free-is-prompt", test_free_is_prompt);
  return g_test_run ();
}
