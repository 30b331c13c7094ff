/* shmv-frame-pool.h: frames read from a channel into reused buffers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

typedef struct _ShmvFramePool ShmvFramePool;

ShmvFramePool *shmv_frame_pool_new (void);
ShmvFramePool *shmv_frame_pool_ref (ShmvFramePool *pool);
void shmv_frame_pool_unref (ShmvFramePool *pool);
guint shmv_frame_pool_n_spare (ShmvFramePool *pool);
GBytes *shmv_frame_pool_read (ShmvFramePool *pool,
                              ShmvChannel *channel,
                              ShmvFrameInfo *info,
                              GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvFramePool, shmv_frame_pool_unref)

G_END_DECLS
