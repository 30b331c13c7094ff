/* shmv-reader-pane-frames.c: when the reader pane reads its source's frames
 *
 * A source announces frames; the pane reads one when it wants to show it: at
 * the next display frame (a tick callback), so a writer publishing faster
 * than the screen costs one copy per displayed frame, not per publish, and
 * only while the pane is live and mapped. With Live off it reads only when
 * asked (Display).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-reader-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-events.h"
#include "shmv-reader-pane-private.h"

static void on_frame_available (ShmvReaderPane *self);

static void
set_source (ShmvReaderPane *self, ShmvFrameSource *source)
{
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      shmv_frame_source_stop (self->source);
      g_clear_object (&self->source);
    }
  if (source == NULL)
    return;
  self->source = g_object_ref (source);
  g_signal_connect_object (source, "frame-available", G_CALLBACK (on_frame_available), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "notify::state", G_CALLBACK (_shmv_reader_pane_present), self,
                           G_CONNECT_SWAPPED);
}

/* Reads the source's newest frame and shows it; a failure shows through the
 * source's state. Only a frame read as it arrives, following live, gets a
 * publish-to-screen time (@as_it_arrives): otherwise the time would count
 * the user's wait, or the time the pane was hidden. */
static void
read_frame (ShmvReaderPane *self, gboolean as_it_arrives)
{
  g_autoptr (GBytes) pixels = NULL;
  ShmvFrameInfo info = { 0 };

  if (self->source == NULL || !shmv_frame_source_get_newest (self->source, NULL))
    return;
  pixels = shmv_frame_source_read (self->source, &info, NULL);
  if (pixels != NULL)
    {
      self->frame_pending = FALSE;
      _shmv_reader_pane_show_frame (self, &info, pixels, as_it_arrives);
    }
  _shmv_reader_pane_present (self);
}

static gboolean
read_tick_cb (GtkWidget *widget, GdkFrameClock *frame_clock, gpointer user_data)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);

  self->tick_id = 0;
  if (self->live && self->frame_pending)
    read_frame (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* Folds every frame until the next display frame into one read; a hidden
 * pane reads nothing until it is shown again. */
static void
queue_read (ShmvReaderPane *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->read_when_mapped = TRUE;
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), read_tick_cb, NULL, NULL);
}

static void
on_frame_available (ShmvReaderPane *self)
{
  self->frame_pending = TRUE;
  if (self->live)
    queue_read (self);
  _shmv_reader_pane_present (self);
}

/* Lets go of the source, and of a read waiting for the next display frame. */
void
_shmv_reader_pane_stop_following (ShmvReaderPane *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  set_source (self, NULL);
}

/* A pane shown again reads what it skipped while hidden. */
void
_shmv_reader_pane_mapped (ShmvReaderPane *self)
{
  if (self->read_when_mapped)
    {
      self->read_when_mapped = FALSE;
      if (self->live && self->frame_pending)
        read_frame (self, FALSE);
    }
}

/**
 * shmv_reader_pane_set_source:
 * @source: (nullable) (transfer none): what to show frames from
 *
 * Follows @source instead of the current one: the image on screen is
 * dropped and the pane shows @source's newest frame at once, if it has one.
 */
void
shmv_reader_pane_set_source (ShmvReaderPane *self, ShmvFrameSource *source)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SHMV_IS_READER_PANE (self));
  g_return_if_fail (source == NULL || SHMV_IS_FRAME_SOURCE (source));

  set_source (self, source);
  _shmv_reader_pane_forget_frame (self);
  g_clear_pointer (&self->problem, g_free);
  if (source == NULL)
    return;

  self->since_ns = g_get_real_time () * 1000;
  if (!shmv_frame_source_start (source, &error))
    {
      self->problem =
          g_strdup_printf (_ ("Cannot follow the key “%s”: %s"), self->key, error->message);
      _shmv_reader_pane_present (self);
      return;
    }
  g_debug (SHMV_EVENT_READER_FOLLOWING, self->key);
  /* Whatever is there when we start is shown, live or not. */
  read_frame (self, FALSE);
  _shmv_reader_pane_present (self);
}

gboolean
shmv_reader_pane_get_live (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), FALSE);

  return self->live;
}

/**
 * shmv_reader_pane_set_live:
 *
 * Live, the pane shows each new frame as it is published; otherwise it reads
 * only when asked (shmv_reader_pane_display_once()).
 */
void
shmv_reader_pane_set_live (ShmvReaderPane *self, gboolean live)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  live = !!live;
  if (self->live == (guint) live)
    return;
  self->live = live;
  gtk_switch_set_active (self->live_switch, live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.display", !live);
  if (live && self->frame_pending)
    read_frame (self, FALSE);
  _shmv_reader_pane_present (self);
}

/** shmv_reader_pane_display_once: reads the channel's current image now. */
void
shmv_reader_pane_display_once (ShmvReaderPane *self)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  read_frame (self, FALSE);
}
