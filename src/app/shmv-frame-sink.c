/* shmv-frame-sink.c: what a writer pane publishes frames to
 *
 * The writer side of ShmvFrameSource: a writer pane publishes through this
 * interface only, so a new kind of sink (a Qt QSharedMemory segment, a
 * GStreamer appsrc) is one new implementation, not a branch in the pane.
 * ShmvChannelSink, a libshmview channel, is the first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-frame-sink.h"

G_DEFINE_INTERFACE (ShmvFrameSink, shmv_frame_sink, G_TYPE_OBJECT)

static void
shmv_frame_sink_default_init (ShmvFrameSinkInterface *iface)
{
  /**
   * ShmvFrameSink::progress:
   * @fraction: between 0 and 1
   *
   * Emitted on the main thread while a file loads.
   */
  g_signal_new ("progress", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  /**
   * ShmvFrameSink::changed:
   *
   * What the sink holds may have changed by another hand than this one's
   * (another writer published, the channel was removed): see
   * shmv_frame_sink_read_current(). Also emitted after our own publishes.
   */
  g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
}

void
shmv_published_free (ShmvPublished *published)
{
  if (published == NULL)
    return;
  g_clear_pointer (&published->pixels, g_bytes_unref);
  g_free (published->notice);
  g_free (published->other);
  g_free (published);
}

gboolean
shmv_frame_sink_open (ShmvFrameSink *self, GError **error)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SINK (self), FALSE);

  return SHMV_FRAME_SINK_GET_IFACE (self)->open (self, error);
}

char *
shmv_frame_sink_take_notice (ShmvFrameSink *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SINK (self), NULL);

  return SHMV_FRAME_SINK_GET_IFACE (self)->take_notice (self);
}

void
shmv_frame_sink_publish_file_async (ShmvFrameSink *self,
                                    GFile *file,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_return_if_fail (SHMV_IS_FRAME_SINK (self));

  SHMV_FRAME_SINK_GET_IFACE (self)->publish_file_async (self, file, cancellable, callback,
                                                        user_data);
}

ShmvPublished *
shmv_frame_sink_publish_file_finish (ShmvFrameSink *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SINK (self), NULL);

  return SHMV_FRAME_SINK_GET_IFACE (self)->publish_file_finish (self, result, error);
}

/**
 * shmv_frame_sink_read_current:
 *
 * (transfer full) (nullable): the frame the sink holds now, whoever
 * published it (info.generation 0: none yet); NULL when the sink cannot
 * tell, or while a load runs.
 */
ShmvPublished *
shmv_frame_sink_read_current (ShmvFrameSink *self)
{
  ShmvFrameSinkInterface *iface;

  g_return_val_if_fail (SHMV_IS_FRAME_SINK (self), NULL);

  iface = SHMV_FRAME_SINK_GET_IFACE (self);
  return iface->read_current != NULL ? iface->read_current (self) : NULL;
}

void
shmv_frame_sink_close (ShmvFrameSink *self)
{
  g_return_if_fail (SHMV_IS_FRAME_SINK (self));

  SHMV_FRAME_SINK_GET_IFACE (self)->close (self);
}
