/* shmv-frame-lease.h: a channel's current frame as GBytes over a lease
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

GBytes *shmv_frame_lease_read (ShmvChannel *channel, ShmvFrameInfo *info, GError **error);

G_END_DECLS
