/* lib-test-util.c: frames and channels for the library's tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lib-test-util.h"

#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

static guint8
pattern (guint32 seed, gsize i)
{
  return (guint8) (seed * 31 + i * 7 + (i >> 8));
}

guint8 *
lib_test_make_pixels (guint32 width, guint32 height, ShmvFormat format, guint32 seed, gsize *len)
{
  gsize bytes = (gsize) width * height * shmv_format_bytes_per_pixel (format);
  guint8 *pixels = g_malloc (bytes);

  for (gsize i = 0; i < bytes; i++)
    pixels[i] = pattern (seed, i);
  *len = bytes;
  return pixels;
}

gboolean
lib_test_pixels_match_seed (const guint8 *pixels, gsize bytes, guint32 seed)
{
  for (gsize i = 0; i < bytes; i++)
    if (pixels[i] != pattern (seed, i))
      return FALSE;
  return TRUE;
}

guint32
lib_test_seed_of (const guint8 *pixels)
{
  /* pixel[0] = seed * 31 (mod 256): 31 is odd, so it has an inverse, 223. */
  return (guint32) (pixels[0] * 223u) & 0xFF;
}

ShmvChannel *
lib_test_open_channel (const char *key, ShmvChannelRole role)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_open (ch, role, 0))
    g_error ("cannot open channel %s: %s", key, shmv_channel_error_string (ch));
  return ch;
}

void
lib_test_publish_seed (
    ShmvChannel *ch, guint32 width, guint32 height, ShmvFormat format, guint32 seed)
{
  gsize len;
  g_autofree guint8 *pixels = lib_test_make_pixels (width, height, format, seed, &len);

  if (!shmv_channel_publish (ch, pixels, width, height,
                             (gsize) width * shmv_format_bytes_per_pixel (format), format,
                             "seed.png"))
    g_error ("publish failed: %s", shmv_channel_error_string (ch));
}

int
lib_test_publish_and_hang (const char *key, int fd)
{
  ShmvChannel *writer = shmv_channel_new (key);

  if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
    return 1;
  lib_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGB8, 1);
  if (write (fd, "P\n", 2) != 2)
    return 2;
  for (;;)
    pause ();
}

gboolean
lib_test_use_up_inotify (void)
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

char
lib_test_task_state (pid_t pid, pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/stat", (int) pid, (int) tid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return '?';
  return end[2];
}
