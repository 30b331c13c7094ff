/* shmv-frame-text.c: frames and times in words, for people and for JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-frame-text"

#include "config.h"

#include "shmv-frame-text.h"

#include <glib/gi18n.h>
#include <time.h>

#define NS_PER_SEC G_GINT64_CONSTANT (1000000000)

char *
shmv_frame_dimensions (const ShmvFrameInfo *info)
{
  const char *format = shmv_format_name (info->format);

  /* TRANSLATORS: width × height, then a pixel format name: "640 × 480 RGBA8" */
  return g_strdup_printf (_ ("%u × %u %s"), info->width, info->height, format ? format : "?");
}

char *
shmv_frame_summary (const ShmvFrameInfo *info)
{
  g_autofree char *dimensions = shmv_frame_dimensions (info);

  /* TRANSLATORS: "640 × 480 RGBA8, generation 3"; the generation counts publishes */
  return g_strdup_printf (_ ("%s, generation %u"), dimensions, info->generation);
}

double
shmv_frame_age_ms (const ShmvFrameInfo *info)
{
  struct timespec now;
  int64_t now_ns;

  clock_gettime (CLOCK_REALTIME, &now);
  now_ns = (int64_t) now.tv_sec * NS_PER_SEC + now.tv_nsec;
  return (double) (now_ns - info->publish_time_ns) / 1e6;
}

/* @ns as a date and time to the second, UTC or local, formatted with
 * @format, and its nanoseconds (*@nsec); NULL when GLib cannot represent it.
 * Seconds round towards minus infinity, so times before 1970 stay
 * well-formed. */
static char *
format_seconds (int64_t ns, gboolean utc, const char *format, int32_t *nsec)
{
  g_autoptr (GDateTime) dt = NULL;
  int64_t sec = ns / NS_PER_SEC;

  *nsec = (int32_t) (ns % NS_PER_SEC);
  if (*nsec < 0)
    {
      sec -= 1;
      *nsec += (int32_t) NS_PER_SEC;
    }
  dt = utc ? g_date_time_new_from_unix_utc (sec) : g_date_time_new_from_unix_local (sec);
  return dt != NULL ? g_date_time_format (dt, format) : NULL;
}

char *
shmv_time_ns_to_iso8601 (int64_t ns)
{
  int32_t nsec;
  g_autofree char *seconds = format_seconds (ns, TRUE, "%Y-%m-%dT%H:%M:%S", &nsec);

  if (seconds == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ns);
  return g_strdup_printf ("%s.%09dZ", seconds, (int) nsec);
}

char *
shmv_time_ns_to_local (int64_t ns)
{
  int32_t nsec;
  g_autofree char *seconds = format_seconds (ns, FALSE, "%Y-%m-%d %H:%M:%S", &nsec);

  if (seconds == NULL)
    return g_strdup ("?");
  return g_strdup_printf ("%s.%03d", seconds, (int) (nsec / 1000000));
}
