/* shmv-publisher.h: a writer's channel, fed by image files loaded in a worker thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <shmview/shmview.h>

#include "shmv-app-types.h"

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
  char *notice; /* (nullable): the channel had to be made anew (shmv_channel_recreated()) */
} ShmvPublished;

void shmv_published_free (ShmvPublished *published);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvPublished, shmv_published_free)

#define SHMV_TYPE_PUBLISHER (shmv_publisher_get_type ())

G_DECLARE_FINAL_TYPE (ShmvPublisher, shmv_publisher, SHMV, PUBLISHER, GObject)

ShmvPublisher *shmv_publisher_new (const char *key);
gboolean shmv_publisher_open (ShmvPublisher *self, GError **error);
char *shmv_publisher_take_notice (ShmvPublisher *self);
gboolean shmv_publisher_is_busy (ShmvPublisher *self);
void shmv_publisher_set_max_pixels (ShmvPublisher *self, guint64 max_pixels);
void shmv_publisher_publish_file_async (ShmvPublisher *self,
                                        GFile *file,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
ShmvPublished *
shmv_publisher_publish_file_finish (ShmvPublisher *self, GAsyncResult *result, GError **error);
void shmv_publisher_close (ShmvPublisher *self);

G_END_DECLS
