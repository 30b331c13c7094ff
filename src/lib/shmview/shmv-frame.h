/* shmv-frame.h: leases, readers that use a frame where it lies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-channel.h>

SHMV_BEGIN_DECLS

/**
 * ShmvFrame:
 *
 * A lease on one published frame: a read-only view of its pixels in shared
 * memory, without a copy. While it is leased no conforming writer writes over
 * its slot: writers use another slot, growing the channel up to
 * SHMV_CHANNEL_MAX_SLOTS slots, and past that fail their publish
 * (SHMV_ERROR_OUT_OF_RESOURCES, "every slot is leased by readers") rather
 * than overwrite a leased frame, the current frame staying as it was; they
 * never wait for readers. The lease is a byte-range lock (an OFD lock) the kernel
 * drops when the process dies, even by SIGKILL: a crashed reader never pins
 * a slot, and no timeout is involved. A reader that keeps a lease for
 * minutes costs the channel one slot, nothing more.
 *
 * What a lease guarantees: with verification (the default) the pixels
 * matched the frame's checksum when shmv_channel_acquire() returned, and no
 * conforming writer changes them until shmv_frame_release(). Without it
 * (SHMV_ACQUIRE_NO_VERIFY) the same holds for writers that follow the
 * protocol, but a frame damaged by a bug or by another program is not
 * detected. Neither protects against a hostile process of the same user,
 * which can write over shared memory at any time: verification says the
 * frame was intact at acquire time only. Use shmv_channel_read() for a copy
 * that stays as verified.
 *
 * A frame is independent of its channel handle: it keeps its own reference
 * to the mapping and stays valid after shmv_channel_close() or
 * shmv_channel_free(). It can be released from any thread.
 */
typedef struct ShmvFrame ShmvFrame;

/* The most slots a channel grows to while readers lease frames. A publish
 * needs one slot that is neither current nor leased, so readers together can
 * lease the current frame and up to SHMV_CHANNEL_MAX_SLOTS - 2 older ones
 * and the writer still publishes (frames, not leases: any number of readers
 * can lease the same frame). */
#define SHMV_CHANNEL_MAX_SLOTS 12

typedef enum
{
  SHMV_ACQUIRE_DEFAULT = 0,
  SHMV_ACQUIRE_NO_VERIFY = 1 << 0, /* skip the checksum pass over the pixels */
} ShmvAcquireFlags;

/**
 * shmv_channel_acquire:
 * @after_generation: 0 for the current frame, whatever it is; else a frame
 *   of another generation than this one (pass the last frame's generation to
 *   wait for the next)
 * @timeout_ms: how long to wait when the current frame is @after_generation's
 *   or there is none yet (0: do not wait, < 0: forever)
 * @frame: (out): the leased frame, to release with shmv_frame_release()
 *
 * Leases the current frame. Errors, on the channel: SHMV_ERROR_TIMEOUT when
 * no other frame came in time, SHMV_ERROR_CANCELLED when a signal cut the
 * wait short, SHMV_ERROR_CORRUPT when the frame does not verify (or its
 * header is inconsistent).
 */
SHMV_API bool shmv_channel_acquire (ShmvChannel *ch,
                                    uint32_t after_generation,
                                    ShmvAcquireFlags flags,
                                    int timeout_ms,
                                    ShmvFrame **frame);

/** shmv_frame_get_info: the leased frame's header. */
SHMV_API const ShmvFrameInfo *shmv_frame_get_info (const ShmvFrame *frame);

/** shmv_frame_get_pixels: height rows of stride bytes, read-only, in shared memory. */
SHMV_API const void *shmv_frame_get_pixels (const ShmvFrame *frame);

/** shmv_frame_is_verified: whether the pixels were checked against the checksum at acquire. */
SHMV_API bool shmv_frame_is_verified (const ShmvFrame *frame);

/** shmv_frame_release: ends the lease; NULL-safe, from any thread. */
SHMV_API void shmv_frame_release (ShmvFrame *frame);

SHMV_END_DECLS
