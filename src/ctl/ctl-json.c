/* ctl-json.c: shmview-ctl's JSON output (keys and values never translated)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-json.h"

#include "shmv-frame-text.h"

#include <stdio.h>

/* The live writer, else the last one: not the frame's publisher, who may be
 * gone while another writer has the channel open. */
static void
add_writer_pid (ShmvJson *json, gint writer_pid)
{
  if (writer_pid != 0)
    shmv_json_add_int (json, "writer_pid", writer_pid);
  else
    shmv_json_add_null (json, "writer_pid");
}

/* A key that a listing cannot tell (from the native key alone) is null. */
static void
add_key (ShmvJson *json, const char *key)
{
  if (key != NULL)
    shmv_json_add_string (json, "key", key);
  else
    shmv_json_add_null (json, "key");
}

/* The image's size and format; nulls without a @frame. */
static void
add_image (ShmvJson *json, const ShmvFrameInfo *frame)
{
  if (frame == NULL)
    {
      shmv_json_add_null (json, "width");
      shmv_json_add_null (json, "height");
      shmv_json_add_null (json, "format");
      shmv_json_add_null (json, "stride");
      return;
    }
  shmv_json_add_uint (json, "width", frame->width);
  shmv_json_add_uint (json, "height", frame->height);
  shmv_json_add_string (json, "format", shmv_format_name (frame->format));
  shmv_json_add_uint (json, "stride", frame->stride);
}

static void
add_frame (ShmvJson *json, const ShmvFrameInfo *frame, gint writer_pid)
{
  g_autofree char *checksum =
      g_strdup_printf ("%016" G_GINT64_MODIFIER "x", (guint64) frame->checksum);
  g_autofree char *time = shmv_time_ns_to_iso8601 (frame->publish_time_ns);

  add_image (json, frame);
  shmv_json_add_uint (json, "generation", frame->generation);
  add_writer_pid (json, writer_pid);
  shmv_json_add_string (json, "checksum", checksum);
  shmv_json_add_int (json, "publish_time_ns", frame->publish_time_ns);
  shmv_json_add_string (json, "publish_time", time);
  shmv_json_add_string (json, "source", frame->source_name);
}

/* A channel without a frame still has a generation: 0. */
static void
add_no_frame (ShmvJson *json, gboolean generation_known, gint writer_pid)
{
  static const char *const nulls_after[] = { "checksum", "publish_time_ns", "publish_time",
                                             "source" };

  add_image (json, NULL);
  if (generation_known)
    shmv_json_add_uint (json, "generation", 0);
  else
    shmv_json_add_null (json, "generation");
  add_writer_pid (json, writer_pid);
  for (gsize i = 0; i < G_N_ELEMENTS (nulls_after); i++)
    shmv_json_add_null (json, nulls_after[i]);
}

static void
add_listed_bool (ShmvJson *json,
                 const char *member,
                 const ShmvChannelReport *report,
                 gboolean value)
{
  if (report->listed)
    shmv_json_add_bool (json, member, value);
  else
    shmv_json_add_null (json, member);
}

void
ctl_json_add_report (ShmvJson *json, const ShmvChannelReport *report)
{
  gboolean opened = report->state == SHMV_REPORT_OPENED;

  shmv_json_begin_object (json, NULL);
  add_key (json, report->key);
  shmv_json_add_string (json, "native_key", report->native_key);
  shmv_json_add_uint (json, "size", report->size);

  if (opened && report->has_frame)
    add_frame (json, &report->frame, report->writer_pid);
  else
    add_no_frame (json, opened, opened ? report->writer_pid : 0);

  if (opened)
    {
      shmv_json_add_bool (json, "writer_alive", report->writer_alive);
      shmv_json_add_bool (json, "withdrawn", report->withdrawn);
    }
  else
    {
      /* A stale channel's users are all dead, its writer too. */
      if (report->state == SHMV_REPORT_STALE)
        shmv_json_add_bool (json, "writer_alive", FALSE);
      else
        shmv_json_add_null (json, "writer_alive");
      shmv_json_add_null (json, "withdrawn");
    }

  add_listed_bool (json, "persistent", report, report->persistent);
  add_listed_bool (json, "in_use", report, report->in_use);
  shmv_json_add_bool (json, "stale", report->state == SHMV_REPORT_STALE);
  shmv_json_add_bool (json, "corrupt", report->corrupt);

  if (report->state == SHMV_REPORT_FAILED)
    {
      shmv_json_add_string (json, "error", shmv_error_name (report->error));
      shmv_json_add_string (json, "error_message", report->error_message);
    }
  shmv_json_end_object (json);
}

void
ctl_json_print_frame (const char *key, const ShmvFrameInfo *frame, guint skipped, double latency_ms)
{
  g_autoptr (ShmvJson) json = shmv_json_new ();
  g_autofree char *text = NULL;

  shmv_json_begin_object (json, NULL);
  shmv_json_add_string (json, "key", key);
  shmv_json_add_uint (json, "generation", frame->generation);
  shmv_json_add_uint (json, "width", frame->width);
  shmv_json_add_uint (json, "height", frame->height);
  shmv_json_add_string (json, "format", shmv_format_name (frame->format));
  shmv_json_add_int (json, "publish_time_ns", frame->publish_time_ns);
  shmv_json_add_double (json, "latency_ms", latency_ms);
  shmv_json_add_uint (json, "skipped", skipped);
  shmv_json_add_string (json, "source", frame->source_name);
  shmv_json_end_object (json);

  text = shmv_json_free_to_string (g_steal_pointer (&json));
  g_print ("%s\n", text);
  fflush (stdout);
}

void
ctl_json_add_qt (ShmvJson *json, const ShmvQtSegmentInfo *info, const ShmvFrameInfo *frame)
{
  shmv_json_begin_object (json, NULL);
  shmv_json_add_string (json, "kind", "qt");
  add_key (json, info->key);
  shmv_json_add_string (json, "native_key", info->key_file);
  shmv_json_add_uint (json, "size", info->size);
  add_image (json, frame);
  shmv_json_add_int (json, "creator_pid", info->creator_pid);
  shmv_json_add_uint (json, "attach_count", info->attach_count);
  /* Nobody attached: a writer left it, and the next Qt reader removes it. */
  shmv_json_add_bool (json, "orphan", info->attach_count == 0);
  shmv_json_end_object (json);
}
