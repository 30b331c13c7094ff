/* shmv-frame-lease.c: a channel's current frame as GBytes over a lease
 *
 * The reader pane shows frames where they lie in shared memory: the bytes
 * are the leased frame's pixels (shmv_channel_acquire(), verified in place),
 * and freeing them releases the lease, from whatever thread GTK's renderer
 * lets go of the texture in. While they live, no writer writes over that
 * slot; a pane costs the channel one slot per frame it holds (the one on
 * screen, and one or two more while GTK swaps textures).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-frame-lease"

#include "config.h"

#include "shmv-frame-lease.h"

#include "shmv-gerror.h"

static void
release_frame (gpointer frame)
{
  shmv_frame_release (frame);
}

/**
 * shmv_frame_lease_read:
 *
 * Leases @channel's current frame, verified. The returned bytes are its
 * pixels in shared memory; freeing them ends the lease.
 */
GBytes *
shmv_frame_lease_read (ShmvChannel *channel, ShmvFrameInfo *info, GError **error)
{
  ShmvFrame *frame = NULL;

  if (!shmv_channel_acquire (channel, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame))
    {
      g_propagate_error (error, shmv_gerror_new_from_channel (channel));
      return NULL;
    }
  *info = *shmv_frame_get_info (frame);
  return g_bytes_new_with_free_func (shmv_frame_get_pixels (frame),
                                     (gsize) info->height * info->stride, release_frame, frame);
}
