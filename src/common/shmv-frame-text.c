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

/* Splits @ns into whole seconds and nanoseconds, rounding towards minus
 * infinity so that times before 1970 stay well-formed. */
static void
split_ns (int64_t ns, int64_t *sec, int32_t *nsec)
{
  *sec = ns / NS_PER_SEC;
  *nsec = (int32_t) (ns % NS_PER_SEC);
  if (*nsec < 0)
    {
      *sec -= 1;
      *nsec += (int32_t) NS_PER_SEC;
    }
}

char *
shmv_time_ns_to_iso8601 (int64_t ns)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *seconds = NULL;
  int64_t sec;
  int32_t nsec;

  split_ns (ns, &sec, &nsec);
  dt = g_date_time_new_from_unix_utc (sec);
  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ns);
  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%09dZ", seconds, (int) nsec);
}

char *
shmv_time_ns_to_local (int64_t ns)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *seconds = NULL;
  int64_t sec;
  int32_t nsec;

  split_ns (ns, &sec, &nsec);
  dt = g_date_time_new_from_unix_local (sec);
  if (dt == NULL)
    return g_strdup ("?");
  seconds = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
  return g_strdup_printf ("%s.%03d", seconds, (int) (nsec / 1000000));
}
