/* ctl-text.c: shmview-ctl's output for people (translated, aligned)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-text.h"

#include "shmv-frame-text.h"
#include "shmv-gerror.h"
#include "shmv-text-escape.h"

#include <glib/gi18n.h>
#include <stdio.h>

gsize
ctl_text_width (const char *s)
{
  gsize width = 0;

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        width += 1;
      else if (g_unichar_iszerowidth (c))
        continue;
      else
        width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static void
append_padded (GString *out, const char *s, gsize width)
{
  gsize w = ctl_text_width (s);

  g_string_append (out, s);
  for (; w < width; w++)
    g_string_append_c (out, ' ');
}

static const char *
yes_no (gboolean value)
{
  return value ? _ ("yes") : _ ("no");
}

/* Rows of a two-column block; labels are aligned when printed. */
typedef struct
{
  GPtrArray *labels;
  GPtrArray *values;
} Block;

static void
block_add (Block *block, const char *label, char *value)
{
  g_ptr_array_add (block->labels, (gpointer) label);
  g_ptr_array_add (block->values, value);
}

static void
block_print (Block *block)
{
  g_autoptr (GString) out = g_string_new (NULL);
  gsize label_width = 0;

  for (guint i = 0; i < block->labels->len; i++)
    label_width = MAX (label_width, ctl_text_width (block->labels->pdata[i]));

  for (guint i = 0; i < block->labels->len; i++)
    {
      append_padded (out, block->labels->pdata[i], label_width + 2);
      g_string_append (out, block->values->pdata[i]);
      g_string_append_c (out, '\n');
    }
  fputs (out->str, stdout);
}

static char *
describe_state (const ShmvChannelReport *report)
{
  switch (report->state)
    {
    case SHMV_REPORT_STALE:
      return g_strdup (_ ("stale: every user exited (shmview-ctl gc removes it)"));
    case SHMV_REPORT_FAILED:
      if (report->corrupt)
        /* TRANSLATORS: "corrupt: <English detail>" */
        return g_strdup_printf (_ ("corrupt: %s"), report->error_message);
      /* TRANSLATORS: "unreadable: Corrupt channel: <English detail>" */
      return g_strdup_printf (_ ("unreadable: %s"), shmv_error_sentence (report->error));
    case SHMV_REPORT_OPENED:
    default:
      return g_strdup (_ ("ok"));
    }
}

void
ctl_text_print_report (const ShmvChannelReport *report)
{
  Block block = { g_ptr_array_new (), g_ptr_array_new_with_free_func (g_free) };
  const ShmvFrameInfo *frame = &report->frame;

  block_add (&block, _ ("Key:"), shmv_escape_text (report->key != NULL ? report->key : "—"));
  block_add (&block, _ ("Native key:"), shmv_escape_text (report->native_key));
  block_add (&block, _ ("Segment size:"),
             g_format_size_full (report->size, G_FORMAT_SIZE_LONG_FORMAT));
  if (report->state != SHMV_REPORT_OPENED)
    block_add (&block, _ ("State:"), describe_state (report));

  if (report->state == SHMV_REPORT_OPENED && report->has_frame)
    {
      g_autofree char *when = shmv_time_ns_to_local (frame->publish_time_ns);

      block_add (&block, _ ("Image:"), shmv_frame_dimensions (frame));
      block_add (&block, _ ("Generation:"), g_strdup_printf ("%u", frame->generation));
      /* TRANSLATORS: a date and time, then how long ago: "2024-05-01 14:00:00.123 (2.5 s ago)" */
      block_add (&block, _ ("Published:"),
                 g_strdup_printf (_ ("%s (%.1f s ago)"), when, shmv_frame_age_ms (frame) / 1000.0));
      block_add (&block, _ ("Source:"),
                 frame->source_name[0] ? shmv_escape_text (frame->source_name) : g_strdup ("—"));
      block_add (&block, _ ("Checksum:"),
                 g_strdup_printf ("%016" G_GINT64_MODIFIER "x", (guint64) frame->checksum));
    }
  else if (report->state == SHMV_REPORT_OPENED)
    {
      block_add (&block, _ ("Image:"), g_strdup (_ ("none published yet")));
      block_add (&block, _ ("Generation:"), g_strdup ("0"));
    }

  if (report->state == SHMV_REPORT_OPENED)
    {
      if (report->writer_pid != 0)
        block_add (&block, _ ("Writer PID:"), g_strdup_printf ("%d", report->writer_pid));
      block_add (&block, _ ("Writer alive:"), g_strdup (yes_no (report->writer_alive)));
      block_add (&block, _ ("Withdrawn:"), g_strdup (yes_no (report->withdrawn)));
    }
  if (report->listed)
    block_add (&block, _ ("Persistent:"), g_strdup (yes_no (report->persistent)));

  block_print (&block);
  g_ptr_array_unref (block.labels);
  g_ptr_array_unref (block.values);
}

void
ctl_text_print_qt (const ShmvQtSegmentInfo *info, const ShmvFrameInfo *frame)
{
  Block block = { g_ptr_array_new (), g_ptr_array_new_with_free_func (g_free) };

  block_add (&block, _ ("Key:"), shmv_escape_text (info->key != NULL ? info->key : "—"));
  block_add (&block, _ ("Native key:"), shmv_escape_text (info->key_file));
  /* TRANSLATORS: what kind of shared memory: Qt's QSharedMemory, not a shmview channel */
  block_add (&block, _ ("Kind:"), g_strdup (_ ("Qt QSharedMemory segment")));
  block_add (&block, _ ("Segment size:"),
             g_format_size_full (info->size, G_FORMAT_SIZE_LONG_FORMAT));
  block_add (&block, _ ("Image:"), shmv_frame_dimensions (frame));
  block_add (&block, _ ("Creator PID:"), g_strdup_printf ("%d", (int) info->creator_pid));
  /* TRANSLATORS: how many processes have the Qt segment attached, besides us */
  if (info->attach_count > 0)
    block_add (&block, _ ("Attached processes:"), g_strdup_printf ("%u", info->attach_count));
  else
    /* TRANSLATORS: after "Attached processes:" of a Qt segment nobody is attached to */
    block_add (&block, _ ("Attached processes:"),
               g_strdup (_ ("0 (an orphan: its writer has left; the next Qt reader removes it)")));
  block_print (&block);
  g_ptr_array_unref (block.labels);
  g_ptr_array_unref (block.values);
}

enum
{
  COL_KEY,
  COL_IMAGE,
  COL_GENERATION,
  COL_SIZE,
  COL_WRITER,
  COL_NOTES,
  N_COLUMNS
};

/* A Qt segment in the table: listed without attaching, so its image is
 * not known; the creator is the pid Qt's writer had. */
static void
fill_qt_row (const ShmvQtSegmentInfo *info, char **row)
{
  row[COL_KEY] = shmv_escape_text (info->key != NULL ? info->key : info->key_file);
  row[COL_IMAGE] = g_strdup ("—");
  row[COL_GENERATION] = g_strdup ("—");
  row[COL_SIZE] = g_format_size (info->size);
  row[COL_WRITER] = g_strdup_printf ("%d", (int) info->creator_pid);
  row[COL_NOTES] = g_strdup ("Qt");
}

static void
fill_row (const ShmvChannelReport *report, char **row)
{
  g_autoptr (GPtrArray) notes = g_ptr_array_new ();
  gboolean framed = report->state == SHMV_REPORT_OPENED && report->has_frame;
  g_autofree char *corrupt = NULL;

  row[COL_KEY] = shmv_escape_text (report->key != NULL ? report->key : report->native_key);
  row[COL_SIZE] = g_format_size (report->size);
  row[COL_IMAGE] = framed ? shmv_frame_dimensions (&report->frame) : g_strdup ("—");
  row[COL_GENERATION] = report->state == SHMV_REPORT_OPENED
                            ? g_strdup_printf ("%u", report->frame.generation)
                            : g_strdup ("—");
  if (report->state != SHMV_REPORT_OPENED)
    row[COL_WRITER] = g_strdup ("—");
  else if (report->writer_alive)
    /* TRANSLATORS: a writer process with this pid has the channel open now */
    row[COL_WRITER] = report->writer_pid != 0
                          ? g_strdup_printf (_ ("%d, alive"), report->writer_pid)
                          : g_strdup (_ ("alive"));
  else
    /* TRANSLATORS: the writer process with this pid has left */
    row[COL_WRITER] = report->writer_pid != 0 ? g_strdup_printf (_ ("%d, gone"), report->writer_pid)
                                              : g_strdup (_ ("gone"));

  if (report->persistent)
    g_ptr_array_add (notes, _ ("persistent"));
  if (report->withdrawn)
    g_ptr_array_add (notes, _ ("withdrawn"));
  if (report->state == SHMV_REPORT_STALE)
    g_ptr_array_add (notes, _ ("stale"));
  if (report->in_use && report->state != SHMV_REPORT_OPENED)
    g_ptr_array_add (notes, _ ("in use"));
  if (report->corrupt)
    g_ptr_array_add (notes, corrupt = g_strdup_printf (_ ("corrupt: %s"), report->error_message));
  else if (report->state == SHMV_REPORT_FAILED)
    g_ptr_array_add (notes, (gpointer) shmv_error_sentence (report->error));
  g_ptr_array_add (notes, NULL);
  row[COL_NOTES] = g_strjoinv (", ", (char **) notes->pdata);
}

void
ctl_text_print_table (GPtrArray *reports, GPtrArray *qt_segments)
{
  const char *headers[N_COLUMNS + 1] = {
    _ ("KEY"), _ ("IMAGE"), _ ("GENERATION"), _ ("SIZE"), _ ("WRITER"), _ ("NOTES"), NULL,
  };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GString) out = g_string_new (NULL);
  gsize widths[N_COLUMNS] = { 0 };

  g_ptr_array_add (rows, g_strdupv ((char **) headers));
  for (guint i = 0; i < reports->len; i++)
    {
      char **row = g_new0 (char *, N_COLUMNS + 1);

      fill_row (reports->pdata[i], row);
      g_ptr_array_add (rows, row);
    }
  for (guint i = 0; qt_segments != NULL && i < qt_segments->len; i++)
    {
      char **row = g_new0 (char *, N_COLUMNS + 1);

      fill_qt_row (qt_segments->pdata[i], row);
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    for (int c = 0; c < N_COLUMNS; c++)
      widths[c] = MAX (widths[c], ctl_text_width (((char **) rows->pdata[i])[c]));

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];

      for (int c = 0; c < N_COLUMNS - 1; c++)
        append_padded (out, row[c], widths[c] + 2);
      g_string_append (out, row[N_COLUMNS - 1]);
      /* no trailing blanks when the last column is empty */
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  fputs (out->str, stdout);
}

void
ctl_text_print_frame (const ShmvFrameInfo *frame, guint skipped, double latency_ms)
{
  g_autofree char *dimensions = shmv_frame_dimensions (frame);

  if (skipped > 0)
    /* TRANSLATORS: generation, "640 × 480 RGBA8", latency in ms, frames we did not see */
    g_print (g_dngettext (GETTEXT_PACKAGE, "generation %u: %s, latency %.1f ms (%u frame skipped)",
                          "generation %u: %s, latency %.1f ms (%u frames skipped)", skipped),
             frame->generation, dimensions, latency_ms, skipped);
  else
    /* TRANSLATORS: generation, "640 × 480 RGBA8", latency from publish to reception in ms */
    g_print (_ ("generation %u: %s, latency %.1f ms"), frame->generation, dimensions, latency_ms);
  g_print ("\n");
  fflush (stdout);
}
