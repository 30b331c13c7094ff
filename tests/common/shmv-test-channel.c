/* shmv-test-channel.c: channels for tests: open, publish the pattern, and
 * starve them of inotify
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-channel.h"

#include <errno.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include "shmv-test-pattern.h"
#include "shmv-test-process.h"

ShmvChannel *
shmv_test_open_channel (const char *key, ShmvChannelRole role)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_open (ch, role, 0))
    g_error ("cannot open channel %s: %s", key, shmv_channel_error_string (ch));
  return ch;
}

void
shmv_test_publish_seed (
    ShmvChannel *ch, guint32 width, guint32 height, ShmvFormat format, guint32 seed)
{
  gsize stride = (gsize) width * shmv_format_bytes_per_pixel (format);
  g_autofree guint8 *pixels = shmv_test_pattern_new (stride * height, seed);

  if (!shmv_channel_publish (ch, pixels, width, height, stride, format, "seed.png"))
    g_error ("publish failed: %s", shmv_channel_error_string (ch));
}

int
shmv_test_publish_and_hang (const char *key, int fd)
{
  ShmvChannel *writer = shmv_channel_new (key);

  if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    return 1;
  shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGB8, 1);
  if (write (fd, "P\n", 2) != 2)
    return 2;
  for (;;)
    pause ();
}

void
shmv_test_make_stale_channel (const char *key)
{
  int fd;
  GPid pid = shmv_test_fork (shmv_test_publish_and_hang, key, &fd);

  shmv_test_expect_line (fd, "P", 10000);
  shmv_test_kill (pid);
  close (fd);
}

gboolean
shmv_test_use_up_inotify (void)
{
  struct rlimit files;
  rlim_t instances = 0;

  if (getrlimit (RLIMIT_NOFILE, &files) < 0)
    return FALSE;
  while (inotify_init1 (IN_CLOEXEC) >= 0)
    instances++;
  /* EMFILE from the descriptor limit would make every open fail too. */
  return errno == EMFILE && instances + 16 < files.rlim_cur;
}

gboolean
shmv_test_maps_channel (gconstpointer address, const char *native)
{
  g_autofree char *maps = NULL;
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", native);
  g_autofree char *removed = g_strconcat (path, " (deleted)", NULL);
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      guint64 start = 0, end = 0;

      if (sscanf (lines[i], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", &start, &end) == 2 &&
          (guintptr) address >= start && (guintptr) address < end)
        return g_str_has_suffix (lines[i], path) || g_str_has_suffix (lines[i], removed);
    }
  return FALSE;
}
