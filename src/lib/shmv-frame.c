/* shmv-frame.c: leases, readers that use a frame where it lies
 *
 * A lease is a shared OFD lock on the slot's lease byte
 * (SHMV_OFD_LEASE_BYTES + slot). Writers take that byte exclusively, without
 * waiting, before they reuse a slot (shmv-channel.c: pick_slot), so a leased
 * frame is never written over, and the kernel drops the lock when the reader
 * dies: nothing to time out, nothing to clean up.
 *
 * Acquiring: read the header, take the lock, then read the slot's
 * descriptor again. A writer makes a slot's sequence number odd while it
 * holds the byte, so if the descriptor is unchanged and even after we locked,
 * no writer was or will be in that slot until we let go.
 *
 * OFD locks belong to an open file description, and one description's locks
 * on a byte are one lock: two leases of the same slot through it would be
 * released by the first release. So leases live in a ShmvLeaseMap, a
 * description and a read-only mapping of our own (opened through
 * /proc/self/fd, which makes a new description), that counts its leases per
 * slot and holds the byte while the count is not zero. Frames hold
 * references to the map, so they outlive the channel handle; the handle
 * keeps its current map for the next acquire, so a steady stream maps
 * nothing and takes no page faults.
 *
 * The caller reads the pixels without the SIGBUS guard of copies: the map
 * is registered with shmv-safe-copy.c, which maps zero pages over it if a
 * peer truncates the file, so a leasing reader sees zeros, never dies.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-channel-private.h"

#include "shmv-deadline.h"
#include "shmv-ofd.h"
#include "shmv-safe-copy.h"
#include "shmv-segment-private.h"
#include "shmv-test-point.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Attempts at leasing the current frame before giving up: each failed one
 * means a writer took the slot between our reads, which a writer can do only
 * once per publish. */
#define MAX_TRIES 16

struct ShmvLeaseMap
{
  int refs; /* atomic */
  pthread_mutex_t lock;
  int fd; /* our own open file description */
  const uint8_t *base;
  size_t size;
  volatile int damaged; /* a peer truncated the file: zero pages were mapped in */
  unsigned leases[SHMV_CHANNEL_MAX_SLOTS]; /* under lock */
};

struct ShmvFrame
{
  ShmvLeaseMap *map;
  uint32_t slot;
  bool verified;
  const void *pixels;
  ShmvFrameInfo info;
};

static ShmvLeaseMap *
map_ref (ShmvLeaseMap *map)
{
  __atomic_fetch_add (&map->refs, 1, __ATOMIC_RELAXED);
  return map;
}

void
shmv_lease_map_unref (ShmvLeaseMap *map)
{
  if (map == NULL || __atomic_sub_fetch (&map->refs, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  shmv_safe_unregister_mapping (map->base);
  munmap ((void *) map->base, map->size);
  close (map->fd); /* drops any lock still held */
  pthread_mutex_destroy (&map->lock);
  free (map);
}

/* A new description and mapping of the segment's file, at its size now. */
static ShmvLeaseMap *
map_new (ShmvChannel *ch)
{
  char path[64];
  ShmvLeaseMap *map = calloc (1, sizeof *map);
  struct stat st;

  if (map == NULL)
    return shmv_channel_fail (ch, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory"), NULL;
  snprintf (path, sizeof path, "/proc/self/fd/%d", shmv_segment_fd (shmv_channel_get_segment (ch)));
  map->fd = open (path, O_RDONLY | O_CLOEXEC);
  if (map->fd < 0 || fstat (map->fd, &st) != 0 || (size_t) st.st_size < SHMV_SEGMENT_DATA_OFFSET)
    {
      if (map->fd >= 0)
        close (map->fd);
      free (map);
      shmv_channel_fail (ch, SHMV_ERROR_UNKNOWN, "cannot open the channel again to lease a frame");
      return NULL;
    }
  map->size = (size_t) st.st_size;
  map->base = mmap (NULL, map->size, PROT_READ, MAP_SHARED, map->fd, 0);
  if (map->base == MAP_FAILED)
    {
      close (map->fd);
      free (map);
      shmv_channel_fail (ch, SHMV_ERROR_OUT_OF_RESOURCES,
                         "cannot map the channel to lease a frame");
      return NULL;
    }
  map->refs = 1;
  pthread_mutex_init (&map->lock, NULL);
  /* Callers read the pixels unguarded: a truncation must not kill them. */
  shmv_safe_register_mapping (map->base, map->size, &map->damaged);
  return map;
}

static const ShmvChannelHeader *
map_header (const ShmvLeaseMap *map)
{
  return (const ShmvChannelHeader *) (map->base + SHMV_SEGMENT_DATA_OFFSET);
}

static size_t
map_data_size (const ShmvLeaseMap *map)
{
  return map->size - SHMV_SEGMENT_DATA_OFFSET;
}

/* The handle's map, made anew when @slot lies beyond it (the writer grew
 * the segment). NULL with the channel's error set. */
static ShmvLeaseMap *
map_for (ShmvChannel *ch, const ShmvSlot *slot)
{
  ShmvLeaseMap **current = shmv_channel_lease_map (ch);

  if (*current != NULL && !(*current)->damaged && slot->offset <= map_data_size (*current) &&
      slot->bytes <= map_data_size (*current) - slot->offset)
    return *current;
  shmv_lease_map_unref (*current);
  *current = map_new (ch);
  return *current;
}

/* Takes the lease byte of @slot, or counts one more lease when this map
 * holds it already. EAGAIN: a writer is claiming the slot. */
static int
lease_slot (ShmvLeaseMap *map, uint32_t slot)
{
  int err = 0;

  pthread_mutex_lock (&map->lock);
  if (map->leases[slot] == 0)
    err = shmv_ofd_lock (map->fd, SHMV_OFD_LEASE_BYTES + slot, F_RDLCK);
  if (err == 0)
    map->leases[slot]++;
  pthread_mutex_unlock (&map->lock);
  return err;
}

static void
unlease_slot (ShmvLeaseMap *map, uint32_t slot)
{
  pthread_mutex_lock (&map->lock);
  if (--map->leases[slot] == 0)
    shmv_ofd_lock (map->fd, SHMV_OFD_LEASE_BYTES + slot, F_UNLCK);
  pthread_mutex_unlock (&map->lock);
}

typedef enum
{
  LEASE_OK,
  LEASE_RETRY,
  LEASE_WAIT, /* no frame, or the one after_generation names */
  LEASE_FAILED,
} LeaseResult;

/* With the lease byte held: the slot as it is now, if it is still the frame
 * @seen describes and lies inside the map. */
static LeaseResult
check_leased (
    ShmvChannel *ch, ShmvLeaseMap *map, uint32_t index, const ShmvSlot *seen, ShmvSlot *now)
{
  const char *reason;

  if (!shmv_safe_memcpy (now, &map_header (map)->slots[index], sizeof *now))
    return shmv_channel_fail (ch, SHMV_ERROR_CORRUPT, "the channel header is gone"), LEASE_FAILED;
  __atomic_thread_fence (__ATOMIC_ACQUIRE);
  if (now->seq != seen->seq || now->generation != seen->generation)
    return LEASE_RETRY; /* a writer took the slot before our lock */
  if ((reason = shmv_channel_validate_slot (now, map_data_size (map))) != NULL)
    return shmv_channel_fail (ch, SHMV_ERROR_CORRUPT, reason), LEASE_FAILED;
  return LEASE_OK;
}

static LeaseResult
verify (ShmvChannel *ch, ShmvFrame *frame)
{
  uint64_t sum;

  if (!shmv_safe_checksum (frame->pixels, frame->info.stride * (size_t) frame->info.height, &sum))
    return shmv_channel_fail (ch, SHMV_ERROR_CORRUPT, "the segment was cut short under the frame"),
           LEASE_FAILED;
  if (sum != frame->info.checksum)
    return shmv_channel_fail (ch, SHMV_ERROR_CORRUPT,
                              "the frame's checksum does not match its pixels"),
           LEASE_FAILED;
  frame->verified = true;
  return LEASE_OK;
}

/* One attempt at leasing the current frame. */
static LeaseResult
try_lease (ShmvChannel *ch,
           uint32_t after_generation,
           ShmvAcquireFlags flags,
           uint32_t *generation,
           ShmvFrame *frame)
{
  ShmvChannelHeader header;
  ShmvLeaseMap *map;
  ShmvSlot seen, now;
  LeaseResult result;
  uint32_t index;

  if (!shmv_channel_copy_header (ch, &header))
    return LEASE_FAILED;
  *generation = header.generation;
  index = header.front;
  seen = header.slots[index];
  if ((seen.seq & 1) != 0)
    return LEASE_RETRY; /* a writer between our reads of front and the slot */
  if (header.generation == 0 || seen.generation == 0 || seen.generation == after_generation)
    return LEASE_WAIT;
  /* @seen is checked under the lease (check_leased): a descriptor torn by
   * a writer between our reads has changed by then, a scribbled one not. */
  if ((map = map_for (ch, &seen)) == NULL)
    return LEASE_FAILED;
  SHMV_TEST_POINT ("acquire:leasing");
  if (lease_slot (map, index) != 0)
    return LEASE_RETRY;
  result = check_leased (ch, map, index, &seen, &now);
  if (result == LEASE_OK)
    {
      frame->map = map;
      frame->slot = index;
      frame->pixels = map->base + SHMV_SEGMENT_DATA_OFFSET + now.offset;
      shmv_channel_fill_info (&frame->info, &now);
      SHMV_TEST_POINT ("acquire:leased");
      if ((flags & SHMV_ACQUIRE_NO_VERIFY) == 0)
        result = verify (ch, frame);
    }
  if (result != LEASE_OK)
    unlease_slot (map, index);
  return result;
}

bool
shmv_channel_acquire (ShmvChannel *ch,
                      uint32_t after_generation,
                      ShmvAcquireFlags flags,
                      int timeout_ms,
                      ShmvFrame **out)
{
  int64_t deadline = shmv_deadline_after (timeout_ms);
  ShmvFrame *frame;
  int tries = 0;

  if (out == NULL)
    return shmv_channel_fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "no place for the frame");
  *out = NULL;
  if (!shmv_channel_is_open (ch))
    return shmv_channel_fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "not open");
  if ((frame = calloc (1, sizeof *frame)) == NULL)
    return shmv_channel_fail (ch, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory");
  for (;;)
    {
      uint32_t generation = 0;
      LeaseResult result = try_lease (ch, after_generation, flags, &generation, frame);

      if (result == LEASE_OK)
        {
          frame->map = map_ref (frame->map);
          *out = frame;
          return shmv_channel_succeed (ch);
        }
      if (result == LEASE_FAILED)
        break;
      if (result == LEASE_RETRY && ++tries < MAX_TRIES)
        continue;
      if (result == LEASE_RETRY)
        {
          shmv_channel_fail (ch, SHMV_ERROR_TIMEOUT, "the frame kept changing while being leased");
          break;
        }
      tries = 0;
      if (shmv_deadline_left (deadline) == 0)
        {
          if (generation == 0)
            shmv_channel_fail (ch, SHMV_ERROR_NO_FRAME, "no image has been published yet");
          else
            shmv_channel_fail (ch, SHMV_ERROR_TIMEOUT, "no new frame in time");
          break;
        }
      if (!shmv_channel_wait (ch, generation, shmv_deadline_left (deadline)) &&
          shmv_channel_error (ch) != SHMV_ERROR_TIMEOUT)
        break;
    }
  free (frame);
  return false;
}

const ShmvFrameInfo *
shmv_frame_get_info (const ShmvFrame *frame)
{
  return &frame->info;
}

const void *
shmv_frame_get_pixels (const ShmvFrame *frame)
{
  return frame->pixels;
}

bool
shmv_frame_is_verified (const ShmvFrame *frame)
{
  return frame->verified;
}

void
shmv_frame_release (ShmvFrame *frame)
{
  if (frame == NULL)
    return;
  unlease_slot (frame->map, frame->slot);
  shmv_lease_map_unref (frame->map);
  free (frame);
}
