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

G_END_DECLS
