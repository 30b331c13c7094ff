/* shmv-channel-source.c: frames from a libshmview channel, as a ShmvFrameSource
 *
 * The follower does the following; this speaks the interface the reader
 * pane knows, and reads frames by lease: the pixels the pane's texture wraps
 * are the frame in shared memory, verified in place, with no copy of ours
 * (shmv-frame-lease.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-source"

#include "config.h"

#include "shmv-channel-source.h"

#include "shmv-channel-follower.h"

struct _ShmvChannelSource
{
  GObject parent_instance;

  ShmvChannelFollower *follower;
};

static void frame_source_iface_init (ShmvFrameSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvChannelSource,
                               shmv_channel_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SOURCE,
                                                      frame_source_iface_init))

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static gboolean
source_start (ShmvFrameSource *source, GError **error)
{
  return shmv_channel_follower_start (SHMV_CHANNEL_SOURCE (source)->follower, error);
}

static void
source_stop (ShmvFrameSource *source)
{
  shmv_channel_follower_stop (SHMV_CHANNEL_SOURCE (source)->follower);
}

static const char *
source_get_problem (ShmvFrameSource *source)
{
  const GError *error = shmv_channel_follower_get_error (SHMV_CHANNEL_SOURCE (source)->follower);

  return error != NULL ? error->message : NULL;
}

static gboolean
source_get_newest (ShmvFrameSource *source, ShmvFrameInfo *info)
{
  return shmv_channel_follower_get_frame_info (SHMV_CHANNEL_SOURCE (source)->follower, info);
}

static GBytes *
source_read (ShmvFrameSource *source, ShmvFrameInfo *info, GError **error)
{
  return shmv_channel_follower_lease (SHMV_CHANNEL_SOURCE (source)->follower, info, error);
}

/* shmv_channel_acquire() checks the writer's checksum before it hands a frame out. */
static gboolean
source_is_checksummed (ShmvFrameSource *source)
{
  return TRUE;
}

static void
frame_source_iface_init (ShmvFrameSourceInterface *iface)
{
  iface->start = source_start;
  iface->stop = source_stop;
  iface->get_problem = source_get_problem;
  iface->get_newest = source_get_newest;
  iface->read = source_read;
  iface->is_checksummed = source_is_checksummed;
}

static void
on_new_frame (ShmvChannelSource *self)
{
  shmv_frame_source_frame_available (SHMV_FRAME_SOURCE (self));
}

static void
on_state_changed (ShmvChannelSource *self)
{
  g_object_notify (G_OBJECT (self), "state");
}

static void
shmv_channel_source_dispose (GObject *object)
{
  ShmvChannelSource *self = SHMV_CHANNEL_SOURCE (object);

  g_clear_object (&self->follower);

  G_OBJECT_CLASS (shmv_channel_source_parent_class)->dispose (object);
}

static void
shmv_channel_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvChannelSource *self = SHMV_CHANNEL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, shmv_channel_follower_get_state (self->follower));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_channel_source_class_init (ShmvChannelSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = shmv_channel_source_dispose;
  object_class->get_property = shmv_channel_source_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
}

static void
shmv_channel_source_init (ShmvChannelSource *self)
{
}

/** shmv_channel_source_new: the frames published on @key; not started. */
ShmvFrameSource *
shmv_channel_source_new (const char *key)
{
  ShmvChannelSource *self = g_object_new (SHMV_TYPE_CHANNEL_SOURCE, NULL);

  self->follower = shmv_channel_follower_new (key);
  g_signal_connect_object (self->follower, "new-frame", G_CALLBACK (on_new_frame), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "notify::state", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  return SHMV_FRAME_SOURCE (self);
}
