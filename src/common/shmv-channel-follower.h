/* shmv-channel-follower.h: follows the channel of a key: open, wait, reopen, writer presence
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <shmview/shmview.h>

#include "shmv-frame-pool.h"
#include "shmv-frame-source.h"

G_BEGIN_DECLS

#define SHMV_TYPE_CHANNEL_FOLLOWER (shmv_channel_follower_get_type ())

G_DECLARE_FINAL_TYPE (ShmvChannelFollower, shmv_channel_follower, SHMV, CHANNEL_FOLLOWER, GObject)

ShmvChannelFollower *shmv_channel_follower_new (const char *key);
gboolean shmv_channel_follower_start (ShmvChannelFollower *self, GError **error);
void shmv_channel_follower_stop (ShmvChannelFollower *self);
void shmv_channel_follower_update (ShmvChannelFollower *self);
ShmvSourceState shmv_channel_follower_get_state (ShmvChannelFollower *self);
const GError *shmv_channel_follower_get_error (ShmvChannelFollower *self);
gboolean shmv_channel_follower_is_open (ShmvChannelFollower *self);
guint32 shmv_channel_follower_get_generation (ShmvChannelFollower *self);
gboolean shmv_channel_follower_get_frame_info (ShmvChannelFollower *self, ShmvFrameInfo *info);
GBytes *shmv_channel_follower_read (ShmvChannelFollower *self,
                                    ShmvFramePool *pool,
                                    ShmvFrameInfo *info,
                                    GError **error);
GBytes *
shmv_channel_follower_lease (ShmvChannelFollower *self, ShmvFrameInfo *info, GError **error);

G_END_DECLS
