/* shmv-frame-pool.c: frames read from a channel into reused buffers
 *
 * For readers that want frames of their own (the reader pane leases them
 * instead, shmv-frame-lease.c): a copy stays as it was read whatever any
 * process does to shared memory afterwards. Allocating a fresh
 * buffer per frame costs a page fault per 4 KiB on first touch, ~25 ms for a
 * 4K frame, so buffers come back to the pool when the last texture using them
 * goes away. With one frame on screen and one being read, two buffers suffice.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-frame-pool"

#include "config.h"

#include <stdlib.h>

#include "shmv-frame-pool.h"
#include "shmv-gerror.h"

/* More spares than this only happen after a burst (GTK holding old textures
 * for a frame or two); keeping them would pin memory for nothing. */
#define MAX_SPARE_BUFFERS 2

typedef struct
{
  void *data; /* malloc()ed: shmv_channel_read() grows it with realloc() */
  size_t capacity;
} Buffer;

struct _ShmvFramePool
{
  GMutex mutex;     /* textures may be released from GSK's threads */
  GPtrArray *spare; /* Buffer */
};

typedef struct
{
  ShmvFramePool *pool;
  Buffer *buffer;
} Lease;

static void
buffer_free (gpointer data)
{
  Buffer *buffer = data;

  free (buffer->data);
  g_free (buffer);
}

static void
pool_clear (gpointer data)
{
  ShmvFramePool *pool = data;

  g_clear_pointer (&pool->spare, g_ptr_array_unref);
  g_mutex_clear (&pool->mutex);
}

ShmvFramePool *
shmv_frame_pool_new (void)
{
  ShmvFramePool *pool = g_atomic_rc_box_new0 (ShmvFramePool);

  g_mutex_init (&pool->mutex);
  pool->spare = g_ptr_array_new_with_free_func (buffer_free);
  return pool;
}

ShmvFramePool *
shmv_frame_pool_ref (ShmvFramePool *pool)
{
  return g_atomic_rc_box_acquire (pool);
}

void
shmv_frame_pool_unref (ShmvFramePool *pool)
{
  g_atomic_rc_box_release_full (pool, pool_clear);
}

/* For tests: how many buffers wait for reuse. */
guint
shmv_frame_pool_n_spare (ShmvFramePool *pool)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&pool->mutex);

  return pool->spare->len;
}

static Buffer *
pool_take (ShmvFramePool *pool)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&pool->mutex);

  if (pool->spare->len == 0)
    return g_new0 (Buffer, 1);
  return g_ptr_array_steal_index_fast (pool->spare, pool->spare->len - 1);
}

static void
pool_give_back (ShmvFramePool *pool, Buffer *buffer)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&pool->mutex);

  if (pool->spare->len < MAX_SPARE_BUFFERS)
    g_ptr_array_add (pool->spare, buffer);
  else
    buffer_free (buffer);
}

static void
lease_end (gpointer data)
{
  Lease *lease = data;

  pool_give_back (lease->pool, lease->buffer);
  shmv_frame_pool_unref (lease->pool);
  g_free (lease);
}

/**
 * shmv_frame_pool_read:
 *
 * Copies @channel's current frame into a pooled buffer and checks its
 * checksum. The returned bytes give the buffer back to @pool when freed.
 */
GBytes *
shmv_frame_pool_read (ShmvFramePool *pool,
                      ShmvChannel *channel,
                      ShmvFrameInfo *info,
                      GError **error)
{
  Buffer *buffer = pool_take (pool);
  Lease *lease = NULL;

  if (!shmv_channel_read (channel, &buffer->data, &buffer->capacity, info))
    {
      pool_give_back (pool, buffer);
      g_propagate_error (error, shmv_gerror_new_from_channel (channel));
      return NULL;
    }

  lease = g_new0 (Lease, 1);
  lease->pool = shmv_frame_pool_ref (pool);
  lease->buffer = buffer;
  return g_bytes_new_with_free_func (buffer->data, (gsize) info->height * info->stride, lease_end,
                                     lease);
}
