/* shmv-frame-sink.h: what a writer pane publishes frames to
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/**
 * ShmvPublished:
 * @info: the header of the frame, as the channel holds it after the publish
 * @pixels: (nullable): the frame read back from the channel, for a preview
 * @segment_size: bytes of the channel's segment in /dev/shm
 *
 * What a successful publish put in the channel.
 */
typedef struct
{
  ShmvFrameInfo info;
  GBytes *pixels;
  gsize segment_size;
  gboolean system_v; /* the segment is System V (a Qt segment), not a file in /dev/shm */
  char *notice;      /* (nullable): the channel had to be made anew: a sentence naming it */
  gboolean removed;  /* read_current(): the channel was removed; the next publish makes it again */
  char *other; /* (nullable) read_current(): another program publishes there, said in a sentence
                  that tells what to do; else the pane words it ("Another writer published …") */
} ShmvPublished;

void shmv_published_free (ShmvPublished *published);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvPublished, shmv_published_free)

#define SHMV_TYPE_FRAME_SINK (shmv_frame_sink_get_type ())

G_DECLARE_INTERFACE (ShmvFrameSink, shmv_frame_sink, SHMV, FRAME_SINK, GObject)

/**
 * ShmvFrameSinkInterface:
 * @open: makes the sink visible to readers now, before the first frame.
 *   A failure is not final: each publish tries again.
 * @take_notice: (transfer full) (nullable): something the user should be
 *   told about the sink, once: one sentence naming the channel (made anew).
 * @publish_file_async: loads @file in the background and publishes it,
 *   emitting ::progress; one load at a time.
 * @publish_file_finish: what was published.
 * @read_current: (optional): the frame the sink holds now, whoever published
 *   it; NULL while a load runs.
 * @close: withdraws this writer's frame and lets go of the sink, now or as
 *   soon as a running load ends.
 *
 * Implementations emit ::progress (a double between 0 and 1) on the main
 * thread while a file loads, and ::changed when what they hold may have
 * changed (another writer).
 */
struct _ShmvFrameSinkInterface
{
  GTypeInterface g_iface;

  gboolean (*open) (ShmvFrameSink *self, GError **error);
  char *(*take_notice) (ShmvFrameSink *self);
  void (*publish_file_async) (ShmvFrameSink *self,
                              GFile *file,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
  ShmvPublished *(*publish_file_finish) (ShmvFrameSink *self, GAsyncResult *result, GError **error);
  ShmvPublished *(*read_current) (ShmvFrameSink *self);
  void (*close) (ShmvFrameSink *self);
};

gboolean shmv_frame_sink_open (ShmvFrameSink *self, GError **error);
char *shmv_frame_sink_take_notice (ShmvFrameSink *self);
void shmv_frame_sink_publish_file_async (ShmvFrameSink *self,
                                         GFile *file,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
ShmvPublished *
shmv_frame_sink_publish_file_finish (ShmvFrameSink *self, GAsyncResult *result, GError **error);
ShmvPublished *shmv_frame_sink_read_current (ShmvFrameSink *self);
void shmv_frame_sink_close (ShmvFrameSink *self);

G_END_DECLS
