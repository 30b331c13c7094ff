/* shmv-channel-source.h: frames from a libshmview channel, as a ShmvFrameSource
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-frame-source.h"

G_BEGIN_DECLS

#define SHMV_TYPE_CHANNEL_SOURCE (shmv_channel_source_get_type ())

G_DECLARE_FINAL_TYPE (ShmvChannelSource, shmv_channel_source, SHMV, CHANNEL_SOURCE, GObject)

ShmvFrameSource *shmv_channel_source_new (const char *key);

G_END_DECLS
