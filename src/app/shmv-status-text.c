/* shmv-status-text.c: the panes' status lines
 *
 * One place builds them, so both panes say the same things the same way and
 * translators see each phrase once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "shmv-frame-text.h"
#include "shmv-status-text.h"
#include "shmv-text-escape.h"

/* TRANSLATORS: separates the parts of a status line */
#define SEPARATOR C_ ("status line", " · ")

/** shmv_status_text_size: "640 × 400", in pixels. */
char *
shmv_status_text_size (const ShmvFrameInfo *info)
{
  /* TRANSLATORS: an image size in pixels, width × height */
  return g_strdup_printf (_ ("%u × %u"), info->width, info->height);
}

static char *
key_text (const char *key)
{
  /* The key may come from a peer's channel, picked in the chooser. */
  g_autofree char *shown = shmv_escape_text (key);

  /* TRANSLATORS: the channel's key, as in "Key “shmview”" */
  return g_strdup_printf (_ ("Key “%s”"), shown);
}

static char *
generation_text (guint32 generation)
{
  /* TRANSLATORS: the number of the frame on the channel: 1 for the first image published */
  return g_strdup_printf (_ ("generation %u"), generation);
}

static char *
waiting_text (guint32 waiting)
{
  /* TRANSLATORS: in the status line when live updates are off */
  return g_strdup_printf (_ ("generation %u is waiting"), waiting);
}

char *
shmv_status_text_writer_idle (const char *key)
{
  g_autofree char *key_part = key_text (key);

  return g_strjoin (SEPARATOR, key_part, _ ("nothing published yet"), NULL);
}

/**
 * shmv_status_text_writer:
 * @system_v: the memory is a System V segment (Qt's), not a file in /dev/shm
 */
char *
shmv_status_text_writer (const char *key,
                         const ShmvFrameInfo *info,
                         gsize segment_size,
                         gboolean system_v)
{
  g_autofree char *key_part = key_text (key);
  g_autofree char *dimensions = shmv_frame_dimensions (info);
  g_autofree char *generation = generation_text (info->generation);
  g_autofree char *bytes = g_format_size (segment_size);
  g_autofree char *memory =
      system_v
          /* TRANSLATORS: a Qt segment's size: "1.0 MB of System V shared memory" */
          ? g_strdup_printf (_ ("%s of System V shared memory"), bytes)
          /* TRANSLATORS: how much shared memory the channel uses, e.g. "1.0 MB in /dev/shm" */
          : g_strdup_printf (_ ("%s in /dev/shm"), bytes);

  return g_strjoin (SEPARATOR, key_part, dimensions, generation, memory, NULL);
}

/**
 * shmv_status_text_reader_idle:
 * @waiting: the generation of a frame not shown yet (live updates off); 0: none
 *
 * The status line of a reader that shows no image: none there yet, or one
 * waiting to be displayed (as the page above it says).
 */
char *
shmv_status_text_reader_idle (const char *key, guint32 waiting)
{
  g_autofree char *key_part = key_text (key);
  g_autofree char *state = NULL;

  state = waiting != 0 ? waiting_text (waiting) : g_strdup (_ ("no image yet"));
  return g_strjoin (SEPARATOR, key_part, state, NULL);
}

/**
 * shmv_status_text_reader:
 * @latency_ms: publish to screen; < 0: not known
 * @waiting: the generation of a newer frame not shown (live updates off); 0: none
 * @fps: frames displayed a second; < 0: not shown (slower than one a second)
 * @checksummed: the frame was checked against its writer's checksum
 * @note: (nullable): appended, e.g. who stands behind the image
 */
char *
shmv_status_text_reader (const ShmvFrameInfo *info,
                         double latency_ms,
                         guint32 waiting,
                         double fps,
                         gboolean checksummed,
                         const char *note)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, shmv_frame_dimensions (info));
  g_ptr_array_add (parts, generation_text (info->generation));
  if (latency_ms >= 0)
    /* TRANSLATORS: time from the writer's publish to this window's display */
    g_ptr_array_add (parts, g_strdup_printf (_ ("%.1f ms to screen"), latency_ms));
  if (fps >= 0)
    /* TRANSLATORS: frames displayed per second, for video */
    g_ptr_array_add (parts, g_strdup_printf (_ ("%.1f fps"), fps));
  /* Only what was checked says so: Qt's format has no checksum. */
  if (checksummed)
    g_ptr_array_add (parts, g_strdup (_ ("checksum OK")));
  if (waiting != 0)
    g_ptr_array_add (parts, waiting_text (waiting));
  if (note != NULL)
    g_ptr_array_add (parts, g_strdup (note));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (SEPARATOR, (char **) parts->pdata);
}
