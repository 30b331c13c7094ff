/* gstshmview-lease.c: leased frames as GStreamer buffers, a bounded number
 * at a time
 *
 * A buffer over a leased frame is the slot itself (no copy): its memory is
 * read-only (a writable map of it gives a copy, as GStreamer does for any
 * read-only memory), and its free function releases the lease. While it
 * lives, the channel's writer cannot use that slot; a queue downstream that
 * holds buffers holds slots, and a writer fails its publish when every slot
 * is leased. The count here lets shmviewsrc stop leasing (and copy) once
 * max-leases buffers are alive.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstshmview-lease.h"

struct _GstShmviewLeases
{
  gint in_flight; /* atomic */
};

typedef struct
{
  GstShmviewLeases *leases; /* a reference */
  ShmvFrame *frame;
} Lease;

GstShmviewLeases *
gst_shmview_leases_new (void)
{
  return g_atomic_rc_box_new0 (GstShmviewLeases);
}

void
gst_shmview_leases_unref (GstShmviewLeases *leases)
{
  g_atomic_rc_box_release (leases);
}

guint
gst_shmview_leases_in_flight (GstShmviewLeases *leases)
{
  return (guint) g_atomic_int_get (&leases->in_flight);
}

gboolean
gst_shmview_leases_reserve (GstShmviewLeases *leases, guint max)
{
  if (gst_shmview_leases_in_flight (leases) >= max)
    return FALSE;
  g_atomic_int_inc (&leases->in_flight);
  return TRUE;
}

void
gst_shmview_leases_cancel (GstShmviewLeases *leases)
{
  g_atomic_int_add (&leases->in_flight, -1);
}

/* The memory's free function, in whatever thread drops the last reference. */
static void
lease_free (gpointer data)
{
  Lease *lease = data;

  shmv_frame_release (lease->frame);
  gst_shmview_leases_cancel (lease->leases);
  gst_shmview_leases_unref (lease->leases);
  g_free (lease);
}

GstBuffer *
gst_shmview_leases_wrap (GstShmviewLeases *leases, ShmvFrame *frame, gsize size)
{
  Lease *lease = g_new (Lease, 1);

  lease->leases = g_atomic_rc_box_acquire (leases);
  lease->frame = frame;
  /* GStreamer's wrapper takes a gpointer; the memory is flagged read-only
   * and its pages are mapped read-only, so nothing writes through it. */
  return gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY,
                                      (gpointer) shmv_frame_get_pixels (frame), size, 0, size,
                                      lease, lease_free);
}
