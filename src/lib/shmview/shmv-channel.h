/* shmv-channel.h: one image at a time from writers to any number of readers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmv-error.h>
#include <shmview/shmv-segment.h>

SHMV_BEGIN_DECLS

typedef enum
{
  SHMV_FORMAT_INVALID = 0,
  SHMV_FORMAT_RGB8 = 1,   /* 3 bytes a pixel */
  SHMV_FORMAT_RGBA8 = 2,  /* 4 bytes a pixel, straight alpha */
  SHMV_FORMAT_RGB16 = 3,  /* 6 bytes a pixel, native-endian 16-bit samples */
  SHMV_FORMAT_RGBA16 = 4, /* 8 bytes a pixel, native-endian 16-bit samples */
} ShmvFormat;

/** shmv_format_name: "RGB8", "RGBA8", "RGB16" or "RGBA16"; NULL for anything else. */
SHMV_API const char *shmv_format_name (ShmvFormat format);

/** shmv_format_from_name: the inverse of shmv_format_name(); SHMV_FORMAT_INVALID if unknown. */
SHMV_API ShmvFormat shmv_format_from_name (const char *name);

/** shmv_format_bytes_per_pixel: 3, 4, 6 or 8; 0 for an invalid format. */
SHMV_API unsigned shmv_format_bytes_per_pixel (ShmvFormat format);

/**
 * shmv_checksum:
 *
 * The checksum frames carry: XXH3-64 (libxxhash's XXH3_64bits(), seed 0) of
 * @len bytes. It runs several times faster than memory bandwidth, so it costs
 * nothing on a copy, and a verification alone costs one read of the frame.
 */
SHMV_API uint64_t shmv_checksum (const void *data, size_t len);

/* The key shmview and shmview-ctl use when none is given. */
#define SHMV_DEFAULT_KEY "shmview"

/* Longest source name a frame carries, in bytes (without its NUL). */
#define SHMV_SOURCE_NAME_MAX 255

/**
 * ShmvFrameInfo:
 *
 * The header of one published frame. Rows are @stride bytes apart,
 * @stride == @width * bytes per pixel: pixels are packed.
 */
typedef struct
{
  uint32_t generation; /* 1 for the first frame, +1 for each publish */
  uint32_t width;
  uint32_t height;
  uint32_t stride;
  ShmvFormat format;
  uint64_t checksum;       /* shmv_checksum() of the height * stride pixel bytes */
  int64_t publish_time_ns; /* CLOCK_REALTIME when the frame was committed */
  int32_t writer_pid;      /* the publishing process, as it saw itself */
  char source_name[SHMV_SOURCE_NAME_MAX + 1]; /* file name it came from, or "" */
} ShmvFrameInfo;

typedef enum
{
  SHMV_CHANNEL_READER, /* attach read-only; the channel must exist */
  SHMV_CHANNEL_WRITER  /* attach read-write, creating the channel if needed */
} ShmvChannelRole;

/**
 * ShmvChannel:
 *
 * A handle on an image channel: a segment holding a self-describing header and
 * three pixel slots. Writers fill a slot nobody is showing, then flip the
 * current-frame index and bump the generation under the segment lock, so a
 * reader never sees a half-written image, even if a writer is killed mid-copy.
 * Readers take no lock: each slot carries a sequence number that tells a
 * reader its copy raced with a writer, and it copies again. Readers wait for
 * new frames on a futex, in the kernel (shmv_channel_wait()); a main loop
 * uses a ShmvWatch (shmv-watch.h) instead.
 *
 * A handle is not thread-safe; use one per thread.
 */
typedef struct ShmvChannel ShmvChannel;

/**
 * shmv_channel_new:
 *
 * A closed handle on @key (see shmv_segment_new() for keys); NULL only when
 * out of memory.
 */
SHMV_API ShmvChannel *shmv_channel_new (const char *key);

/** shmv_channel_free: closes and frees; NULL-safe. A writer does not withdraw its image. */
SHMV_API void shmv_channel_free (ShmvChannel *ch);

/**
 * shmv_channel_open:
 * @timeout_ms: for a reader, how long to wait for the channel to appear
 *   (0: do not wait, < 0: forever); ignored for writers.
 *
 * Readers fail with SHMV_ERROR_NOT_FOUND (or SHMV_ERROR_TIMEOUT after
 * waiting, SHMV_ERROR_CANCELLED if a signal cut the wait short) when no
 * channel has the key, SHMV_ERROR_CORRUPT when the segment
 * of that name is no channel. Writers create the channel when it is missing,
 * and replace a corrupt one that no live process uses (and say so:
 * shmv_channel_recreated()); while a live process still uses it, they fail
 * with SHMV_ERROR_CORRUPT.
 */
SHMV_API bool shmv_channel_open (ShmvChannel *ch, ShmvChannelRole role, int timeout_ms);

/**
 * shmv_channel_set_sharing:
 *
 * Before a writer's open: SHMV_SHARING_GROUP makes a channel it creates
 * readable by the owner's group (mode 0640). See shmv_segment_set_sharing().
 */
SHMV_API bool shmv_channel_set_sharing (ShmvChannel *ch, ShmvSharing sharing);

/**
 * shmv_channel_set_owner:
 *
 * Before a reader's open: follow user @owner's channel of this key (it must
 * have been published with SHMV_SHARING_GROUP, and we must be in its group).
 */
SHMV_API bool shmv_channel_set_owner (ShmvChannel *ch, uid_t owner);

/** shmv_channel_close: detaches; the channel disappears with its last user unless persistent. */
SHMV_API void shmv_channel_close (ShmvChannel *ch);

SHMV_API bool shmv_channel_is_open (const ShmvChannel *ch);

/**
 * shmv_channel_set_persistent:
 *
 * Writers only. A persistent channel keeps its image after every process has
 * left, until shmv_channel_remove() (shmview-ctl publish uses this).
 */
SHMV_API bool shmv_channel_set_persistent (ShmvChannel *ch, bool persistent);

/**
 * shmv_channel_publish:
 * @stride: bytes between rows of @pixels (>= width * bytes per pixel)
 * @source_name: (nullable): a file name to show readers; truncated to
 *   SHMV_SOURCE_NAME_MAX bytes
 *
 * Copies an image into the channel and makes it the current frame, growing
 * the segment if needed. On failure the previous frame stays current. If the
 * channel was removed while this handle had it open, it is made again under
 * the key first (shmv_channel_recreated() says so).
 */
SHMV_API bool shmv_channel_publish (ShmvChannel *ch,
                                    const void *pixels,
                                    uint32_t width,
                                    uint32_t height,
                                    size_t stride,
                                    ShmvFormat format,
                                    const char *source_name);

/**
 * shmv_channel_begin_frame:
 * @pixels: (out): where to write height rows of *@stride bytes
 *
 * Starts a frame in place, for producers that can write straight into shared
 * memory without waiting on anything (a renderer, a camera buffer already in
 * memory). Takes the channel lock until commit or abort, so never read a
 * slow source (a file, a pipe) between the two: decode first, as
 * shmv_channel_publish_png() does.
 */
SHMV_API bool shmv_channel_begin_frame (ShmvChannel *ch,
                                        uint32_t width,
                                        uint32_t height,
                                        ShmvFormat format,
                                        void **pixels,
                                        size_t *stride);

/**
 * shmv_channel_rows_done:
 *
 * Optional: tells the channel that rows [0, @n_rows) are final, so it can
 * checksum them while they are still in the cache.
 */
SHMV_API void shmv_channel_rows_done (ShmvChannel *ch, uint32_t n_rows);

/** shmv_channel_commit_frame: publishes the frame begun in place. */
SHMV_API bool shmv_channel_commit_frame (ShmvChannel *ch, const char *source_name);

/** shmv_channel_abort_frame: drops the frame begun in place; the previous one stays. */
SHMV_API void shmv_channel_abort_frame (ShmvChannel *ch);

/**
 * shmv_channel_withdraw:
 *
 * Writers: marks the channel as left by its writer if the current frame is
 * this handle's own, and wakes readers. The image stays readable.
 */
SHMV_API bool shmv_channel_withdraw (ShmvChannel *ch);

/**
 * shmv_channel_get_info:
 *
 * The header of the current frame, every field checked against the segment.
 * SHMV_ERROR_NO_FRAME when nothing was published yet, SHMV_ERROR_CORRUPT when
 * the header is inconsistent.
 */
SHMV_API bool shmv_channel_get_info (ShmvChannel *ch, ShmvFrameInfo *info);

/**
 * shmv_channel_read:
 * @pixels: (inout): a malloc()ed buffer or NULL, grown with realloc() as needed
 * @capacity: (inout): its size in bytes
 *
 * Copies the current frame into *@pixels and verifies its checksum. Buffers
 * are reused across calls, so a steady stream allocates nothing. The caller
 * frees *@pixels with free(). SHMV_ERROR_CORRUPT when the frame does not
 * verify.
 */
SHMV_API bool
shmv_channel_read (ShmvChannel *ch, void **pixels, size_t *capacity, ShmvFrameInfo *info);

/**
 * shmv_channel_generation:
 *
 * The channel's change counter: +1 at every publish, withdrawal and removal
 * (a frame carries the value its publish set, ShmvFrameInfo.generation). 0
 * before anything happened. Pass it to shmv_channel_wait().
 */
SHMV_API uint32_t shmv_channel_generation (ShmvChannel *ch);

/**
 * shmv_channel_wait:
 * @timeout_ms: < 0 waits forever
 *
 * Sleeps in the kernel until the channel's generation differs from
 * @generation (a new frame, a withdrawal or a removal), waking every waiting
 * reader. Returns false with SHMV_ERROR_TIMEOUT when the time ran out, and
 * with SHMV_ERROR_CANCELLED when a signal interrupted the sleep (so that a
 * program can react to Ctrl+C; call again to go on waiting).
 */
SHMV_API bool shmv_channel_wait (ShmvChannel *ch, uint32_t generation, int timeout_ms);

/** shmv_channel_writer_alive: whether a process has the channel open as writer now. */
SHMV_API bool shmv_channel_writer_alive (ShmvChannel *ch);

/**
 * shmv_channel_is_persistent:
 *
 * Whether the channel keeps its image after every process closed it
 * (shmv_channel_set_persistent()): an image meant to stay without a writer.
 */
SHMV_API bool shmv_channel_is_persistent (ShmvChannel *ch);

/**
 * shmv_channel_writer_pid:
 *
 * The process that opened the channel as writer or published on it last:
 * the writer that shmv_channel_writer_alive() finds, or, once every writer
 * left, the last one. 0 when no writer of this library version ever opened
 * it. Unlike ShmvFrameInfo.writer_pid (the frame's publisher), it follows a
 * writer that has not published yet.
 */
SHMV_API pid_t shmv_channel_writer_pid (ShmvChannel *ch);

/** shmv_channel_is_withdrawn: whether the writer of the current frame left. */
SHMV_API bool shmv_channel_is_withdrawn (ShmvChannel *ch);

/**
 * shmv_channel_is_removed:
 *
 * Whether the channel this handle is on was removed (shmv_channel_remove());
 * a reader should close and open again to follow a new channel of the key.
 */
SHMV_API bool shmv_channel_is_removed (ShmvChannel *ch);

/**
 * shmv_channel_remove:
 *
 * Removes the channel of this key from the system and tells its readers.
 * Works with the handle open or closed.
 */
SHMV_API bool shmv_channel_remove (ShmvChannel *ch);

/**
 * shmv_channel_remove_unused:
 *
 * Removes the channel of this key only if nobody has it open and it is not
 * persistent (see shmv_segment_remove_unused()); for garbage collection.
 */
SHMV_API bool shmv_channel_remove_unused (ShmvChannel *ch);

SHMV_API const char *shmv_channel_key (const ShmvChannel *ch);
SHMV_API const char *shmv_channel_native_key (const ShmvChannel *ch);

/** shmv_channel_segment_size: bytes of the segment in /dev/shm, 0 when closed. */
SHMV_API size_t shmv_channel_segment_size (const ShmvChannel *ch);

/**
 * shmv_channel_recreated:
 *
 * Writers: what the last shmv_channel_open() or publish had to make anew
 * under this key, as a sentence for the user, or NULL when nothing. A writer
 * whose channel was removed while it had it open ("re-created the channel:
 * …") makes it again at its next publish (or joins the one another writer
 * made meanwhile) and publishes there; a writer that opens a corrupt
 * channel that no live process uses replaces it ("replaced a corrupt
 * channel: <reason>"). Cleared by the next open or publish.
 */
SHMV_API const char *shmv_channel_recreated (const ShmvChannel *ch);

SHMV_API ShmvError shmv_channel_error (const ShmvChannel *ch);
SHMV_API const char *shmv_channel_error_string (const ShmvChannel *ch);
/** shmv_channel_error_errno: the system's error number behind the last failure; 0: none. */
SHMV_API int shmv_channel_error_errno (const ShmvChannel *ch);

SHMV_END_DECLS
