/* shmv-channel-sink.c: a writer's channel, fed by image files loaded in a worker thread
 *
 * A ShmvChannel handle is not thread-safe, so ownership of it moves between
 * the main thread and the loading worker (ShmvSinkWork), and closing during
 * a load withdraws and closes the channel as soon as the worker gives it
 * back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-sink"

#include "config.h"

#include <stdlib.h>

#include "shmv-channel-monitor.h"
#include "shmv-gerror.h"
#include "shmv-image-loader.h"
#include "shmv-channel-sink.h"
#include "shmv-sink-progress.h"
#include "shmv-sink-work.h"

struct _ShmvChannelSink
{
  GObject parent_instance;

  char *key;
  ShmvChannel *channel;
  ShmvChannelMonitor *monitor; /* other writers' publishes, while open */
  ShmvSinkWork work;
  char *notice; /* what the channel had to make anew, not told yet */
  guint published : 1;
};

static void frame_sink_iface_init (ShmvFrameSinkInterface *iface);
static void sink_close (ShmvFrameSink *sink);
static void do_close (gpointer sink);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvChannelSink,
                               shmv_channel_sink,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SINK, frame_sink_iface_init))

static void
shmv_channel_sink_finalize (GObject *object)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (object);

  g_assert (!self->work.busy);

  sink_close (SHMV_FRAME_SINK (self));
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->channel, shmv_channel_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (shmv_channel_sink_parent_class)->finalize (object);
}

static void
shmv_channel_sink_class_init (ShmvChannelSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = shmv_channel_sink_finalize;
}

static void
shmv_channel_sink_init (ShmvChannelSink *self)
{
  shmv_sink_work_init (&self->work, do_close);
}

/**
 * shmv_channel_sink_new:
 *
 * A sink for @key; the channel is created by shmv_frame_sink_open() or
 * by the first publish.
 */
ShmvChannelSink *
shmv_channel_sink_new (const char *key)
{
  ShmvChannelSink *self = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (SHMV_TYPE_CHANNEL_SINK, NULL);
  self->key = g_strdup (key);
  self->channel = shmv_channel_new (key);
  return self;
}

/* Keeps what the last open or publish had to make anew (a channel removed
 * under us, a corrupt one replaced) until the user is told. */
static void
remember_notice (ShmvChannelSink *self)
{
  const char *notice = shmv_channel_recreated (self->channel);

  if (notice == NULL)
    return;
  g_free (self->notice);
  self->notice = shmv_recreated_sentence (self->key, notice);
}

/* Runs on whichever thread owns the channel at the time. */
static gboolean
ensure_open (ShmvChannelSink *self, GError **error)
{
  if (shmv_channel_is_open (self->channel))
    return TRUE;
  if (!shmv_channel_open (self->channel, SHMV_CHANNEL_WRITER, 0))
    return shmv_propagate_channel_error (self->channel, error);
  remember_notice (self);
  g_debug ("writing on “%s” (%s)", self->key, shmv_channel_native_key (self->channel));
  return TRUE;
}

/* What opening the channel had to make anew (a corrupt channel replaced),
 * once; main thread, when not busy. */
static char *
sink_take_notice (ShmvFrameSink *sink)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (sink);

  g_return_val_if_fail (!self->work.busy, NULL);

  return g_steal_pointer (&self->notice);
}

static void
on_monitor_changed (ShmvChannelSink *self)
{
  g_signal_emit_by_name (self, "changed");
}

/* Another writer may publish on the key too: the pane must show the
 * channel's frame, not only its own. */
static void
start_monitor (ShmvChannelSink *self)
{
  g_autoptr (GError) error = NULL;

  if (self->monitor != NULL)
    return;
  self->monitor = shmv_channel_monitor_new (self->key, &error);
  if (self->monitor == NULL)
    {
      g_debug ("not watching “%s” for other writers: %s", self->key, error->message);
      return;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self,
                           G_CONNECT_SWAPPED);
}

/* Creates the channel (or joins it) now, so that readers and channel lists
 * see the writer before its first image. */
static gboolean
sink_open (ShmvFrameSink *sink, GError **error)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (sink);

  g_return_val_if_fail (!self->work.busy, FALSE);
  g_return_val_if_fail (!self->work.closed, FALSE);

  start_monitor (self);
  return ensure_open (self, error);
}

static void
do_close (gpointer sink)
{
  ShmvChannelSink *self = sink;

  /* The monitor's watch has the channel open: let go first, so that our
   * close is the last and removes a channel nobody else keeps. */
  g_clear_object (&self->monitor);
  if (!shmv_channel_is_open (self->channel))
    return;
  /* Readers keep the image but learn that nobody stands behind it any more. */
  if (self->published && !shmv_channel_withdraw (self->channel))
    g_debug ("withdrawing from “%s” failed: %s", self->key,
             shmv_channel_error_string (self->channel));
  shmv_channel_close (self->channel);
  g_debug ("closed “%s”", self->key);
}

/* Withdraws this writer's image and detaches from the channel, now or, while
 * a load runs, as soon as it ends (cancel it to make that soon). */
static void
sink_close (ShmvFrameSink *sink)
{
  shmv_sink_work_close (&SHMV_CHANNEL_SINK (sink)->work, sink);
}

/* The preview shows what readers get: the frame as the channel holds it. */
static ShmvPublished *
read_back (ShmvChannelSink *self)
{
  g_autoptr (ShmvPublished) published = g_new0 (ShmvPublished, 1);
  void *pixels = NULL;
  size_t capacity = 0;

  if (shmv_channel_read (self->channel, &pixels, &capacity, &published->info))
    published->pixels = g_bytes_new_with_free_func (
        pixels, (gsize) published->info.height * published->info.stride, free, pixels);
  else
    {
      g_debug ("reading back “%s” failed: %s", self->key,
               shmv_channel_error_string (self->channel));
      free (pixels);
      shmv_channel_get_info (self->channel, &published->info);
    }
  published->segment_size = shmv_channel_segment_size (self->channel);
  return g_steal_pointer (&published);
}

static void
publish_file_thread (GTask *task,
                     gpointer source_object,
                     gpointer task_data,
                     GCancellable *cancellable)
{
  ShmvChannelSink *self = source_object;
  GFile *file = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  ShmvSinkProgress *progress = shmv_sink_progress_new (self, g_task_get_context (task));

  if (!ensure_open (self, &error) ||
      !shmv_image_loader_publish (self->channel, file, SHMV_PNG_DEFAULT_MAX_PIXELS,
                                  shmv_sink_progress_report, progress, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      ShmvPublished *published;

      self->published = TRUE;
      remember_notice (self);
      published = read_back (self);
      published->notice = g_steal_pointer (&self->notice);
      g_task_return_pointer (task, published, (GDestroyNotify) shmv_published_free);
    }
  /* From here on the channel belongs to the main thread again. */
  shmv_sink_progress_unref (progress);
}

/* Loads @file in a worker thread and publishes it, reporting ::progress.
 * Cancelling @cancellable stops the decoder at its next progress report.
 * One load at a time: a second one fails with SHMV_APP_ERROR_BUSY. */
static void
sink_publish_file_async (ShmvFrameSink *sink,
                         GFile *file,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (sink);

  shmv_sink_work_run (&self->work, self, file, cancellable, callback, user_data,
                      sink_publish_file_async, "[shmview] publish file", publish_file_thread);
}

static ShmvPublished *
sink_publish_file_finish (ShmvFrameSink *sink, GAsyncResult *result, GError **error)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (sink);

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What the channel holds now, whoever published it; main thread. */
static ShmvPublished *
sink_read_current (ShmvFrameSink *sink)
{
  ShmvChannelSink *self = SHMV_CHANNEL_SINK (sink);
  ShmvPublished *current = NULL;

  if (self->work.busy || self->work.closed || !shmv_channel_is_open (self->channel))
    return NULL;
  current = read_back (self);
  current->removed = shmv_channel_is_removed (self->channel);
  return current;
}

static void
frame_sink_iface_init (ShmvFrameSinkInterface *iface)
{
  iface->open = sink_open;
  iface->take_notice = sink_take_notice;
  iface->publish_file_async = sink_publish_file_async;
  iface->publish_file_finish = sink_publish_file_finish;
  iface->close = sink_close;
  iface->read_current = sink_read_current;
}
