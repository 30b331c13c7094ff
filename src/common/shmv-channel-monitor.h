/* shmv-channel-monitor.h: a channel's wake-ups as a GObject signal
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SHMV_TYPE_CHANNEL_MONITOR (shmv_channel_monitor_get_type ())

G_DECLARE_FINAL_TYPE (ShmvChannelMonitor, shmv_channel_monitor, SHMV, CHANNEL_MONITOR, GObject)

ShmvChannelMonitor *shmv_channel_monitor_new (const char *key, GError **error);

G_END_DECLS
