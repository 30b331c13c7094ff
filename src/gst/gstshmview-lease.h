/* gstshmview-lease.h: leased frames as GStreamer buffers, a bounded number
 * at a time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/**
 * GstShmviewLeases:
 *
 * The buffers over leased slots one element has handed out and downstream
 * still holds. Each such buffer holds a reference, so the count outlives the
 * element that made it.
 */
typedef struct _GstShmviewLeases GstShmviewLeases;

GstShmviewLeases *gst_shmview_leases_new (void);
void gst_shmview_leases_unref (GstShmviewLeases *leases);

/* How many leased buffers are alive now. */
guint gst_shmview_leases_in_flight (GstShmviewLeases *leases);

/**
 * gst_shmview_leases_reserve:
 *
 * Counts one more lease in flight if fewer than @max are; FALSE otherwise.
 * Call from one thread only (the streaming thread): buffers may only lower
 * the count behind its back. Give a reservation back with
 * gst_shmview_leases_cancel(), or hand it to gst_shmview_leases_wrap().
 */
gboolean gst_shmview_leases_reserve (GstShmviewLeases *leases, guint max);
void gst_shmview_leases_cancel (GstShmviewLeases *leases);

/**
 * gst_shmview_leases_wrap:
 *
 * A read-only buffer over @frame's pixels, its first @size bytes; takes
 * @frame and a reservation. Freeing the buffer's memory (wherever downstream
 * does it) releases the lease and ends the reservation.
 */
GstBuffer *gst_shmview_leases_wrap (GstShmviewLeases *leases, ShmvFrame *frame, gsize size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstShmviewLeases, gst_shmview_leases_unref)

G_END_DECLS
