/* shmv-channel-sink.h: a libshmview channel as a ShmvFrameSink, fed by image files loaded in a
 * worker thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <shmview/shmview.h>

#include "shmv-app-types.h"
#include "shmv-frame-sink.h"

G_BEGIN_DECLS

#define SHMV_TYPE_CHANNEL_SINK (shmv_channel_sink_get_type ())

G_DECLARE_FINAL_TYPE (ShmvChannelSink, shmv_channel_sink, SHMV, CHANNEL_SINK, GObject)

ShmvChannelSink *shmv_channel_sink_new (const char *key);
gboolean shmv_channel_sink_open (ShmvChannelSink *self, GError **error);
char *shmv_channel_sink_take_notice (ShmvChannelSink *self);
gboolean shmv_channel_sink_is_busy (ShmvChannelSink *self);
void shmv_channel_sink_set_max_pixels (ShmvChannelSink *self, guint64 max_pixels);
void shmv_channel_sink_publish_file_async (ShmvChannelSink *self,
                                           GFile *file,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
ShmvPublished *
shmv_channel_sink_publish_file_finish (ShmvChannelSink *self, GAsyncResult *result, GError **error);
void shmv_channel_sink_close (ShmvChannelSink *self);

G_END_DECLS
