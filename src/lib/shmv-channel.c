/* shmv-channel.c: one image at a time from writers to any number of readers
 *
 * Publishing (writers, under the segment lock, so writers take turns):
 *   1. claim the oldest slot that is not current and that no reader leases
 *      (its lease byte, taken without waiting; a new slot, up to
 *      SHMV_CHANNEL_MAX_SLOTS, when all are leased), and place its pixels
 *      where they overlap no other slot's (growing the segment if needed: a
 *      failure here changes nothing);
 *   2. make its sequence number odd, fill pixels and descriptor, hash them;
 *   3. make the sequence even, point `front` at the slot, bump `generation`
 *      and wake every reader sleeping on it.
 * A writer killed anywhere in 1-2 leaves `front` on the last complete frame.
 *
 * Reading takes no lock: a reader copies the front slot and then checks that
 * its sequence number did not move; if it did, a writer reused the slot
 * mid-copy and the reader copies again (after a few tries, under the lock).
 * The checksum catches what sequence numbers cannot: bugs, hostile writers.
 * Leases (shmv-frame.c) read the frame where it lies instead.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "shmv-channel-private.h"

#include "shmv-appear.h"
#include "shmv-checksum.h"
#include "shmv-deadline.h"
#include "shmv-futex.h"
#include "shmv-ofd.h"
#include "shmv-safe-copy.h"
#include "shmv-segment-private.h"
#include "shmv-test-point.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SHMV_STRINGIFY_(x) #x
#define SHMV_STRINGIFY(x)  SHMV_STRINGIFY_ (x)

/* How long a writer waits for another writer's publish to finish. */
#define LOCK_TIMEOUT_MS 10000
/* Lock-free read attempts before a reader takes the lock, and how long it
 * waits for it: a hostile peer that holds the lock must not hang readers. */
#define LOCK_FREE_TRIES        4
#define MAX_TRIES              8
#define READER_LOCK_TIMEOUT_MS 250
/* Frames larger than this are refused outright (1 TiB). */
#define MAX_FRAME_BYTES (UINT64_C (1) << 40)

struct ShmvChannel
{
  ShmvSegment *seg;
  ShmvChannelRole role;
  bool open;
  uint32_t last_published; /* generation of this handle's last frame */

  /* A frame begun in place (shmv_channel_begin_frame). Its geometry is kept
   * here, not re-read from the slot, which any peer could scribble on. */
  bool in_frame;
  uint32_t frame_slot;
  uint8_t *frame_pixels;
  uint64_t frame_stride;
  uint32_t frame_height;
  ShmvHasher hasher;
  uint64_t hashed_bytes;

  /* What the last open or begin_frame made anew (shmv_channel_recreated). */
  bool created; /* the last attach_or_create() created the segment */
  bool recreated;
  char recreated_what[512];

  ShmvLeaseMap *lease_map; /* see shmv-frame.c */

  ShmvStatus status;
};

typedef enum
{
  SNAP_OK,
  SNAP_RETRY,
  SNAP_FAILED,
} SnapResult;

static inline void
store_u32 (uint32_t *p, uint32_t v)
{
  __atomic_store_n (p, v, __ATOMIC_RELEASE);
}

static bool
fail (ShmvChannel *ch, ShmvError code, const char *what)
{
  shmv_status_set (&ch->status, code, "channel “%s”: %s", shmv_segment_key (ch->seg), what);
  return false;
}

static bool
fail_from_segment (ShmvChannel *ch)
{
  ch->status = *shmv_segment_status (ch->seg);
  return false;
}

static bool
succeed (ShmvChannel *ch)
{
  shmv_status_clear (&ch->status);
  return true;
}

static ShmvChannelHeader *
header_of (ShmvChannel *ch)
{
  return shmv_segment_data (ch->seg);
}

const char *
shmv_format_name (ShmvFormat format)
{
  switch (format)
    {
    case SHMV_FORMAT_RGB8:
      return "RGB8";
    case SHMV_FORMAT_RGBA8:
      return "RGBA8";
    case SHMV_FORMAT_RGB16:
      return "RGB16";
    case SHMV_FORMAT_RGBA16:
      return "RGBA16";
    case SHMV_FORMAT_INVALID:
    default:
      return NULL;
    }
}

ShmvFormat
shmv_format_from_name (const char *name)
{
  for (ShmvFormat f = SHMV_FORMAT_RGB8; f <= SHMV_FORMAT_RGBA16; f++)
    if (name != NULL && strcmp (name, shmv_format_name (f)) == 0)
      return f;
  return SHMV_FORMAT_INVALID;
}

unsigned
shmv_format_bytes_per_pixel (ShmvFormat format)
{
  static const unsigned bpp[] = { 0, 3, 4, 6, 8 };

  return (unsigned) format < sizeof bpp / sizeof bpp[0] ? bpp[format] : 0;
}

const char *
shmv_channel_validate_header (const ShmvChannelHeader *header)
{
  if (memcmp (header->magic, SHMV_CHANNEL_MAGIC, sizeof header->magic) != 0)
    return "not a shmview channel (bad magic)";
  if (header->layout < SHMV_CHANNEL_LAYOUT)
    return "made by an older shmview (channel layout 1), which this one cannot read: remove it "
           "(shmview-ctl rm)";
  if (header->layout != SHMV_CHANNEL_LAYOUT)
    return "made by a newer shmview (unknown channel layout version)";
  if (header->header_size != SHMV_CHANNEL_HEADER_SIZE || header->n_slots < SHMV_CHANNEL_SLOTS ||
      header->n_slots > SHMV_CHANNEL_MAX_SLOTS)
    return "inconsistent header size or slot count";
  if (header->front >= header->n_slots)
    return "current slot out of range";
  return NULL;
}

const char *
shmv_channel_validate_slot (const ShmvSlot *slot, size_t channel_size)
{
  unsigned bpp = shmv_format_bytes_per_pixel (slot->format);

  if (bpp == 0)
    return "unknown pixel format";
  if (slot->width == 0 || slot->height == 0)
    return "empty image";
  if ((uint64_t) slot->width * bpp != slot->stride)
    return "row stride does not match width and format";
  if ((uint64_t) slot->stride * slot->height != slot->bytes)
    return "pixel byte count does not match the image size";
  if (slot->offset < SHMV_CHANNEL_HEADER_SIZE || slot->offset > channel_size ||
      slot->bytes > channel_size - slot->offset)
    return "pixels lie outside the segment";
  if (memchr (slot->source_name, '\0', sizeof slot->source_name) == NULL)
    return "source name is not terminated";
  return NULL;
}

ShmvChannel *
shmv_channel_new (const char *key)
{
  ShmvChannel *ch = calloc (1, sizeof *ch);

  if (ch == NULL)
    return NULL;
  ch->seg = shmv_segment_new (key);
  if (ch->seg == NULL)
    {
      free (ch);
      return NULL;
    }
  ch->status = *shmv_segment_status (ch->seg);
  return ch;
}

void
shmv_channel_free (ShmvChannel *ch)
{
  if (ch == NULL)
    return;
  shmv_channel_close (ch);
  shmv_segment_free (ch->seg);
  free (ch);
}

/* Runs while the creator holds the new segment alone (see
 * shmv_segment_create_initialized()): no reader ever sees a blank header. */
static void
init_header (void *data, size_t size, void *user_data)
{
  ShmvChannelHeader *header = data;

  header->layout = SHMV_CHANNEL_LAYOUT;
  header->header_size = SHMV_CHANNEL_HEADER_SIZE;
  header->n_slots = SHMV_CHANNEL_SLOTS;
  memcpy (header->magic, SHMV_CHANNEL_MAGIC, sizeof header->magic);
}

static bool
attach_or_create (ShmvChannel *ch)
{
  ch->created = false;
  for (int attempt = 0; attempt < 4; attempt++)
    {
      if (shmv_segment_attach (ch->seg, SHMV_ACCESS_READ_WRITE))
        return true;
      if (shmv_segment_error (ch->seg) != SHMV_ERROR_NOT_FOUND)
        return fail_from_segment (ch);
      ch->created = shmv_segment_create_initialized (ch->seg, SHMV_CHANNEL_HEADER_SIZE,
                                                     SHMV_ACCESS_READ_WRITE, init_header, NULL);
      if (ch->created)
        return true;
      if (shmv_segment_error (ch->seg) != SHMV_ERROR_ALREADY_EXISTS)
        return fail_from_segment (ch);
    }
  /* Each attach found no segment, each create a name in use: a file of our
   * name that is no segment (emptied, cut short) and that a live process
   * still has open. */
  return fail (ch, SHMV_ERROR_CORRUPT, "its segment is cut short or is no shmview segment");
}

/* Copies the header out under the SIGBUS guard: a reader must survive a
 * hostile peer that truncates the segment. */
static bool
read_header (ShmvChannel *ch, ShmvChannelHeader *copy)
{
  if (shmv_segment_size (ch->seg) < SHMV_CHANNEL_HEADER_SIZE ||
      !shmv_safe_memcpy (copy, header_of (ch), sizeof *copy))
    return fail (ch, SHMV_ERROR_CORRUPT, "the segment is too small for a channel header");
  return true;
}

/* read_header(), refusing a header that is no channel's (or a damaged one). */
static bool
read_checked_header (ShmvChannel *ch, ShmvChannelHeader *copy)
{
  const char *reason;

  if (!read_header (ch, copy))
    return false;
  reason = shmv_channel_validate_header (copy);
  return reason == NULL || fail (ch, SHMV_ERROR_CORRUPT, reason);
}

/* A segment of our key that is no channel (or a damaged one) is refused. */
static bool
check_header (ShmvChannel *ch)
{
  ShmvChannelHeader copy;

  return read_checked_header (ch, &copy);
}

/* Undoes a failed open, keeping its error. An open that failed on what it
 * found only looked, and removes nothing (a corrupt channel is removed on
 * purpose, by remove_corrupt() or gc); one that failed after making the
 * channel takes it away again (@may_remove). */
static void
undo_open (ShmvChannel *ch, bool may_remove)
{
  ShmvStatus saved = ch->status;

  if (may_remove)
    shmv_segment_detach (ch->seg);
  else
    shmv_segment_leave (ch->seg);
  ch->status = saved;
}

static void
set_recreated (ShmvChannel *ch, const char *what, const char *reason)
{
  ch->recreated = true;
  snprintf (ch->recreated_what, sizeof ch->recreated_what, "%s%s", what, reason);
}

/* The reason a status message gives, without the "channel “key”: " or
 * "segment “key”: " it starts with. */
static const char *
reason_of (ShmvChannel *ch, const char *message)
{
  static const char *const subjects[] = { "channel", "segment" };

  for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++)
    {
      char prefix[sizeof ch->status.message];
      int n =
          snprintf (prefix, sizeof prefix, "%s “%s”: ", subjects[i], shmv_segment_key (ch->seg));

      if (n > 0 && (size_t) n < sizeof prefix && strncmp (message, prefix, (size_t) n) == 0)
        return message + n;
    }
  return message;
}

/* A corrupt channel (ch->status says why) locks its key until someone
 * removes it: one that no live process uses is removed here, so that the
 * writer can make it anew. One still in use is left to the user, who can
 * see who uses it. */
static bool
remove_corrupt (ShmvChannel *ch)
{
  char reason[sizeof ch->status.message];

  snprintf (reason, sizeof reason, "%s", ch->status.message);
  if (!shmv_segment_remove_corrupt (ch->seg) &&
      shmv_segment_error (ch->seg) != SHMV_ERROR_NOT_FOUND)
    {
      if (shmv_segment_error (ch->seg) != SHMV_ERROR_ALREADY_EXISTS)
        return fail_from_segment (ch);
      shmv_status_set (&ch->status, SHMV_ERROR_CORRUPT,
                       "%s; a live process still uses it, so it cannot be replaced", reason);
      return false;
    }
  set_recreated (ch, "replaced a corrupt channel: ", reason_of (ch, reason));
  return true;
}

/* attach_or_create() and check_header(), replacing a corrupt channel. */
static bool
attach_checked (ShmvChannel *ch)
{
  for (int attempt = 0; attempt < 4; attempt++)
    {
      if (attach_or_create (ch) && check_header (ch))
        return true;
      if (shmv_segment_is_attached (ch->seg))
        undo_open (ch, false);
      if (ch->status.code != SHMV_ERROR_CORRUPT || !remove_corrupt (ch))
        return false;
    }
  return false;
}

/* Names this process as the channel's writer, for `info` and `list`. */
static void
note_writer (ShmvChannelHeader *header)
{
  __atomic_store_n (&header->writer_pid, (int32_t) getpid (), __ATOMIC_RELEASE);
}

static bool
open_writer (ShmvChannel *ch)
{
  int err;

  if (!attach_checked (ch))
    return false;
  /* Each writer holds an exclusive lock on a writer byte: "is a writer
   * alive?" is then a question the kernel answers, crash or not, and only a
   * writable descriptor can say yes. A group reader that read-locks every
   * writer byte can only make us look gone (EAGAIN): we write all the same. */
  err = shmv_ofd_lock_any (shmv_segment_fd (ch->seg), SHMV_OFD_WRITER_BYTES,
                           SHMV_OFD_WRITER_BYTE_COUNT);
  if (err == 0 || err == EAGAIN)
    {
      note_writer (header_of (ch));
      return true;
    }
  shmv_status_set_errno (&ch->status, err, "channel “%s”: cannot register as writer",
                         shmv_segment_key (ch->seg));
  undo_open (ch, true);
  return false;
}

static bool
attach_reader (ShmvChannel *ch, int timeout_ms)
{
  ShmvAppearWatch *watch = NULL;
  int64_t deadline = shmv_deadline_after (timeout_ms);
  bool ok;

  for (;;)
    {
      int left = shmv_deadline_left (deadline);
      int err;

      ok = shmv_segment_attach (ch->seg, SHMV_ACCESS_READ_ONLY);
      if (ok || shmv_segment_error (ch->seg) != SHMV_ERROR_NOT_FOUND || timeout_ms == 0)
        break;
      if (left == 0)
        {
          shmv_appear_watch_free (watch);
          return fail (ch, SHMV_ERROR_TIMEOUT, "timed out waiting for the channel to appear");
        }
      /* Watch first, then try again, then sleep: no creation slips between. */
      if (watch == NULL)
        {
          watch = shmv_appear_watch_new (shmv_segment_native_key (ch->seg));
          if (watch == NULL)
            break;
          continue;
        }
      SHMV_TEST_POINT ("open:waiting");
      err = shmv_appear_watch_wait (watch, left, -1);
      if (err == EINTR)
        {
          shmv_appear_watch_free (watch);
          return fail (ch, SHMV_ERROR_CANCELLED, "interrupted by a signal");
        }
      if (err != 0 && err != ETIMEDOUT)
        break;
    }
  shmv_appear_watch_free (watch);
  return ok || fail_from_segment (ch);
}

static bool
open_reader (ShmvChannel *ch, int timeout_ms)
{
  if (!attach_reader (ch, timeout_ms))
    return false;
  if (!check_header (ch))
    {
      undo_open (ch, false);
      return false;
    }
  return true;
}

bool
shmv_channel_open (ShmvChannel *ch, ShmvChannelRole role, int timeout_ms)
{
  bool ok;

  if (ch->open)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "this handle is already open");
  ch->recreated = false;
  ch->role = role;
  ok = role == SHMV_CHANNEL_WRITER ? open_writer (ch) : open_reader (ch, timeout_ms);
  ch->open = ok;
  return ok && succeed (ch);
}

bool
shmv_channel_set_sharing (ShmvChannel *ch, ShmvSharing sharing)
{
  return shmv_segment_set_sharing (ch->seg, sharing) ? succeed (ch) : fail_from_segment (ch);
}

bool
shmv_channel_set_owner (ShmvChannel *ch, uid_t owner)
{
  if (ch->open)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "this handle is open");
  return shmv_segment_set_owner (ch->seg, owner) ? succeed (ch) : fail_from_segment (ch);
}

/* Drops the handle's mappings (its own and its lease map: frames keep
 * theirs) and detaches, which may remove the channel (shmv_segment_detach). */
static void
let_go (ShmvChannel *ch)
{
  shmv_lease_map_unref (ch->lease_map);
  ch->lease_map = NULL;
  shmv_segment_detach (ch->seg);
  ch->open = false;
  ch->last_published = 0;
}

void
shmv_channel_close (ShmvChannel *ch)
{
  if (!ch->open)
    return;
  if (ch->in_frame)
    shmv_channel_abort_frame (ch);
  let_go (ch);
}

bool
shmv_channel_is_open (const ShmvChannel *ch)
{
  return ch->open;
}

static bool
check_writer (ShmvChannel *ch)
{
  if (!ch->open || ch->role != SHMV_CHANNEL_WRITER)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "not open as writer");
  return true;
}

static bool
check_reader (ShmvChannel *ch)
{
  if (!ch->open)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "not open");
  return true;
}

bool
shmv_channel_set_persistent (ShmvChannel *ch, bool persistent)
{
  if (!check_writer (ch))
    return false;
  return shmv_segment_set_persistent (ch->seg, persistent) ? succeed (ch) : fail_from_segment (ch);
}

/* How many slots the writer may use: n_slots, kept in range whatever a peer
 * wrote there. */
static uint32_t
slots_in_use (const ShmvChannelHeader *header)
{
  uint32_t n = header->n_slots;

  return n < SHMV_CHANNEL_SLOTS       ? SHMV_CHANNEL_SLOTS
         : n > SHMV_CHANNEL_MAX_SLOTS ? SHMV_CHANNEL_MAX_SLOTS
                                      : n;
}

/* Takes slot @i's lease byte exclusively, without waiting: true when no
 * reader leases its frame, and until release_slot() none can start to. */
static bool
claim_slot (ShmvChannel *ch, uint32_t i)
{
  return shmv_ofd_lock (shmv_segment_fd (ch->seg), SHMV_OFD_LEASE_BYTES + i, F_WRLCK) == 0;
}

static void
release_slot (ShmvChannel *ch, uint32_t i)
{
  shmv_ofd_lock (shmv_segment_fd (ch->seg), SHMV_OFD_LEASE_BYTES + i, F_UNLCK);
}

/* Whether slot @a should be filled before slot @b: the first three before
 * slots added for leases (frames then keep alternating between two places
 * in memory once the leases end), then the older. */
static bool
fill_before (const ShmvChannelHeader *header, uint32_t a, uint32_t b)
{
  bool a_added = a >= SHMV_CHANNEL_SLOTS, b_added = b >= SHMV_CHANNEL_SLOTS;

  if (a_added != b_added)
    return !a_added;
  return header->slots[a].generation < header->slots[b].generation;
}

/* Claims the slot to fill: of the slots no reader leases, the oldest but the
 * current one, so that a slow copying reader keeps the one before it; when
 * every other slot is leased, a new slot, up to SHMV_CHANNEL_MAX_SLOTS.
 * Writers never wait for readers. */
static bool
pick_slot (ShmvChannel *ch, ShmvChannelHeader *header, uint32_t *target)
{
  uint32_t n = slots_in_use (header);
  uint32_t front = header->front % n;
  bool tried[SHMV_CHANNEL_MAX_SLOTS] = { false };

  tried[front] = true;
  for (uint32_t round = 1; round < n; round++)
    {
      uint32_t best = UINT32_MAX;

      for (uint32_t i = 0; i < n; i++)
        if (!tried[i] && (best == UINT32_MAX || fill_before (header, i, best)))
          best = i;
      tried[best] = true;
      SHMV_TEST_POINT ("publish:claiming");
      if (claim_slot (ch, best))
        return *target = best, true;
    }
  for (; n < SHMV_CHANNEL_MAX_SLOTS; n++)
    if (claim_slot (ch, n))
      {
        /* Before anything points at it: readers check front < n_slots. */
        memset (&header->slots[n], 0, sizeof header->slots[n]);
        store_u32 (&header->n_slots, n + 1);
        return *target = n, true;
      }
  return fail (ch, SHMV_ERROR_OUT_OF_RESOURCES,
               "every slot is leased by readers (" SHMV_STRINGIFY (
                   SHMV_CHANNEL_MAX_SLOTS) " slots, the most a channel has): this frame was not "
                                           "published, the current "
                                           "one stays");
}

static uint64_t
page_round (uint64_t n)
{
  return (n + 4095) & ~UINT64_C (4095);
}

/* Whether @slot holds a frame worth keeping: one that lies inside the
 * segment. A scribbled descriptor must not make us reserve all of /dev/shm. */
static bool
is_kept (const ShmvSlot *slot, uint64_t channel_size)
{
  return slot->generation != 0 && slot->bytes != 0 && slot->offset <= channel_size &&
         slot->bytes <= channel_size - slot->offset;
}

static bool
overlaps (uint64_t start, uint64_t bytes, const ShmvSlot *slot)
{
  return start < slot->offset + slot->bytes && slot->offset < start + bytes;
}

/* The lowest page-aligned place after the header where @bytes overlap none
 * of the slots we keep. Frames of a steady size alternate between two places;
 * a larger frame goes past the end, and the segment grows. */
static uint64_t
place_pixels (const ShmvChannelHeader *header,
              uint64_t channel_size,
              uint32_t target,
              uint64_t bytes)
{
  uint64_t candidates[SHMV_CHANNEL_MAX_SLOTS + 1];
  bool kept[SHMV_CHANNEL_MAX_SLOTS];
  size_t n = 0;
  uint64_t best = UINT64_MAX;

  candidates[n++] = SHMV_CHANNEL_HEADER_SIZE;
  for (uint32_t i = 0; i < SHMV_CHANNEL_MAX_SLOTS; i++)
    {
      kept[i] = i != target && is_kept (&header->slots[i], channel_size);
      if (kept[i])
        candidates[n++] = page_round (header->slots[i].offset + header->slots[i].bytes);
    }

  for (size_t c = 0; c < n; c++)
    {
      bool free_here = candidates[c] >= SHMV_CHANNEL_HEADER_SIZE;

      for (uint32_t i = 0; i < SHMV_CHANNEL_MAX_SLOTS && free_here; i++)
        if (kept[i] && overlaps (candidates[c], bytes, &header->slots[i]))
          free_here = false;
      if (free_here && candidates[c] < best)
        best = candidates[c];
    }
  return best;
}

/* The channel was removed while we had it open (`shmview-ctl rm`): a frame
 * published into the unlinked segment would reach no reader, ever. Follows
 * the key to the channel it names now, making it if need be, as it was. */
static bool
reopen_writer (ShmvChannel *ch)
{
  bool persistent = shmv_segment_is_persistent (ch->seg);

  let_go (ch); /* removes nothing: the name is not its own */
  if (!open_writer (ch))
    return false;
  ch->open = true;
  if (persistent && !shmv_segment_set_persistent (ch->seg, true))
    return fail_from_segment (ch);
  set_recreated (ch, ch->created ? "re-created the channel: " : "joined a new channel of the key: ",
                 "it was removed while this writer had it open");
  return true;
}

static bool
unlock_failing (ShmvChannel *ch)
{
  ShmvStatus status = *shmv_segment_status (ch->seg);

  shmv_segment_unlock (ch->seg);
  ch->status = status;
  return false;
}

/* Takes the lock of the segment our key names now, mapped at its current
 * size: another writer may have grown it, and a frame placed by a stale size
 * would take the slots beyond for free space, `front` among them. */
static bool
lock_current (ShmvChannel *ch)
{
  for (int attempt = 0; attempt < 4; attempt++)
    {
      bool locked = shmv_segment_try_lock (ch->seg, LOCK_TIMEOUT_MS);

      if (locked && shmv_segment_is_current (ch->seg))
        return shmv_segment_refresh (ch->seg) || unlock_failing (ch);
      if (locked)
        shmv_segment_unlock (ch->seg);
      else if (shmv_segment_is_current (ch->seg))
        return fail_from_segment (ch);
      if (!reopen_writer (ch))
        return false;
    }
  return fail (ch, SHMV_ERROR_LOCK, "the channel keeps being removed");
}

static bool
check_frame_size (ShmvChannel *ch, uint32_t width, uint32_t height, ShmvFormat format)
{
  unsigned bpp = shmv_format_bytes_per_pixel (format);

  if (bpp == 0)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "unknown pixel format");
  if (width == 0 || height == 0)
    return fail (ch, SHMV_ERROR_INVALID_SIZE, "empty image");
  if ((uint64_t) width * bpp * height > MAX_FRAME_BYTES)
    return fail (ch, SHMV_ERROR_INVALID_SIZE, "image too large");
  return true;
}

bool
shmv_channel_begin_frame (ShmvChannel *ch,
                          uint32_t width,
                          uint32_t height,
                          ShmvFormat format,
                          void **pixels,
                          size_t *stride)
{
  ShmvChannelHeader *header;
  ShmvSlot *slot;
  uint64_t row = (uint64_t) width * shmv_format_bytes_per_pixel (format);
  uint64_t bytes = row * height;
  uint64_t offset;
  uint32_t target;

  if (!check_writer (ch))
    return false;
  if (ch->in_frame)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "a frame is already in progress");
  ch->recreated = false;
  if (!check_frame_size (ch, width, height, format))
    return false;
  if (!lock_current (ch))
    return false;
  SHMV_TEST_POINT ("publish:locked");

  header = header_of (ch);
  if (!pick_slot (ch, header, &target))
    {
      shmv_segment_unlock (ch->seg); /* keeps ch->status: pick_slot()'s error */
      return false;
    }
  offset = place_pixels (header, shmv_segment_size (ch->seg), target, bytes);
  if (offset > SIZE_MAX - bytes || !shmv_segment_grow (ch->seg, offset + bytes))
    {
      ShmvStatus grow_status = *shmv_segment_status (ch->seg);

      release_slot (ch, target);
      shmv_segment_unlock (ch->seg);
      ch->status = grow_status;
      return false;
    }
  header = header_of (ch); /* growing may have moved the mapping */
  slot = &header->slots[target];

  /* Odd and different from before, even if a dead writer left it odd. */
  store_u32 (&slot->seq, (slot->seq + 1) | 1);
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  /* From here a reader that leases the slot sees it odd and lets go. */
  release_slot (ch, target);
  slot->format = format;
  slot->width = width;
  slot->height = height;
  slot->stride = (uint32_t) row;
  slot->offset = offset;
  slot->bytes = bytes;

  ch->in_frame = true;
  ch->frame_slot = target;
  ch->frame_pixels = (uint8_t *) header + offset;
  ch->frame_stride = row;
  ch->frame_height = height;
  ch->hashed_bytes = 0;
  shmv_hasher_init (&ch->hasher);
  *pixels = ch->frame_pixels;
  *stride = (size_t) row;
  return succeed (ch);
}

void
shmv_channel_rows_done (ShmvChannel *ch, uint32_t n_rows)
{
  uint64_t upto;

  if (!ch->in_frame)
    return;
  upto = ch->frame_stride * (n_rows < ch->frame_height ? n_rows : ch->frame_height);
  if (upto <= ch->hashed_bytes)
    return;
  shmv_hasher_update (&ch->hasher, ch->frame_pixels + ch->hashed_bytes, upto - ch->hashed_bytes);
  ch->hashed_bytes = upto;
}

/* Cuts @name to fit, never inside a UTF-8 sequence. */
static void
copy_source_name (char *dest, const char *name)
{
  size_t len = name != NULL ? strlen (name) : 0;

  if (len > SHMV_SOURCE_NAME_MAX)
    {
      len = SHMV_SOURCE_NAME_MAX;
      while (len > 0 && ((unsigned char) name[len] & 0xC0) == 0x80)
        len--;
    }
  memset (dest, 0, SHMV_SOURCE_NAME_MAX + 1);
  if (len > 0)
    memcpy (dest, name, len);
}

static int64_t
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint32_t
next_generation (const ShmvChannelHeader *header)
{
  uint32_t generation = header->generation + 1;

  return generation != 0 ? generation : 1; /* 0 means "nothing yet" */
}

/* Bumps the generation, under the lock. Call wake_readers() after
 * unlocking: a reader woken on our core may run before we get to unlock,
 * and the writer would then hold the lock through that reader's copy. */
static uint32_t
announce (ShmvChannelHeader *header)
{
  uint32_t generation = next_generation (header);

  store_u32 (&header->generation, generation);
  return generation;
}

static void
wake_readers (ShmvChannelHeader *header)
{
  shmv_futex_wake_all (&header->generation);
}

static bool
commit (ShmvChannel *ch, const char *source_name, const uint64_t *known_checksum)
{
  ShmvChannelHeader *header = header_of (ch);
  ShmvSlot *slot = &header->slots[ch->frame_slot];

  SHMV_TEST_POINT ("publish:filled");
  if (known_checksum != NULL)
    slot->checksum = *known_checksum;
  else
    {
      shmv_channel_rows_done (ch, ch->frame_height);
      slot->checksum = shmv_hasher_finish (&ch->hasher);
    }
  copy_source_name (slot->source_name, source_name);
  slot->publish_time_ns = realtime_ns ();
  slot->writer_pid = (int32_t) getpid ();
  note_writer (header);
  slot->generation = next_generation (header);
  __atomic_thread_fence (__ATOMIC_RELEASE);
  store_u32 (&slot->seq, slot->seq + 1);

  store_u32 (&header->front, ch->frame_slot);
  __atomic_fetch_and (&header->state, ~SHMV_CHANNEL_WITHDRAWN, __ATOMIC_RELEASE);
  ch->last_published = announce (header);
  SHMV_TEST_POINT ("publish:announced");
  ch->in_frame = false;
  shmv_segment_unlock (ch->seg);
  wake_readers (header);
  return succeed (ch);
}

bool
shmv_channel_commit_frame (ShmvChannel *ch, const char *source_name)
{
  if (!ch->in_frame)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "no frame in progress");
  return commit (ch, source_name, NULL);
}

void
shmv_channel_abort_frame (ShmvChannel *ch)
{
  ShmvSlot *slot;

  if (!ch->in_frame)
    return;
  /* The slot is not current; leaving its sequence odd marks it unusable
   * until a writer fills it again. */
  slot = &header_of (ch)->slots[ch->frame_slot];
  slot->generation = 0;
  ch->in_frame = false;
  shmv_segment_unlock (ch->seg);
}

bool
shmv_channel_publish (ShmvChannel *ch,
                      const void *pixels,
                      uint32_t width,
                      uint32_t height,
                      size_t stride,
                      ShmvFormat format,
                      const char *source_name)
{
  const uint8_t *src = pixels;
  uint8_t *dest;
  size_t dest_stride;
  uint64_t checksum;

  if (pixels == NULL || stride < (uint64_t) width * shmv_format_bytes_per_pixel (format))
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "no pixels, or stride shorter than a row");
  if (!shmv_channel_begin_frame (ch, width, height, format, (void **) &dest, &dest_stride))
    return false;
  if (stride == dest_stride)
    {
      checksum = shmv_checksum_and_copy_out (dest, src, dest_stride * height);
      return commit (ch, source_name, &checksum);
    }
  for (uint32_t y = 0; y < height; y++)
    {
      memcpy (dest + (size_t) y * dest_stride, src + (size_t) y * stride, dest_stride);
      shmv_channel_rows_done (ch, y + 1);
    }
  return commit (ch, source_name, NULL);
}

bool
shmv_channel_withdraw (ShmvChannel *ch)
{
  ShmvChannelHeader *header;

  if (!check_writer (ch))
    return false;
  if (!shmv_segment_try_lock (ch->seg, LOCK_TIMEOUT_MS))
    return fail_from_segment (ch);
  header = header_of (ch);
  if (ch->last_published != 0 &&
      header->slots[header->front % SHMV_CHANNEL_MAX_SLOTS].generation == ch->last_published)
    {
      __atomic_fetch_or (&header->state, SHMV_CHANNEL_WITHDRAWN, __ATOMIC_RELEASE);
      announce (header);
    }
  shmv_segment_unlock (ch->seg);
  wake_readers (header);
  return succeed (ch);
}

void
shmv_channel_fill_info (ShmvFrameInfo *info, const ShmvSlot *slot)
{
  if (info == NULL)
    return;
  info->generation = slot->generation;
  info->width = slot->width;
  info->height = slot->height;
  info->stride = slot->stride;
  info->format = (ShmvFormat) slot->format;
  info->checksum = slot->checksum;
  info->publish_time_ns = slot->publish_time_ns;
  info->writer_pid = slot->writer_pid;
  memcpy (info->source_name, slot->source_name, sizeof info->source_name);
}

static bool
ensure_capacity (ShmvChannel *ch, void **pixels, size_t *capacity, uint64_t bytes)
{
  void *grown;

  if (*pixels != NULL && *capacity >= bytes)
    return true;
  grown = realloc (*pixels, (size_t) bytes);
  if (grown == NULL)
    return fail (ch, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory for a copy of the frame");
  *pixels = grown;
  *capacity = (size_t) bytes;
  return true;
}

/* The slot's sequence number, read under the SIGBUS guard. */
static bool
read_seq (ShmvChannel *ch, uint32_t index, uint32_t *seq)
{
  const ShmvChannelHeader *header = header_of (ch);

  if (!shmv_safe_memcpy (seq, &header->slots[index].seq, sizeof *seq))
    return false;
  __atomic_thread_fence (__ATOMIC_ACQUIRE);
  return true;
}

/* One attempt at copying the current frame (or just its header when @pixels
 * is NULL). SNAP_RETRY means it raced with a writer. */
static SnapResult
try_snapshot (ShmvChannel *ch, void **pixels, size_t *capacity, ShmvFrameInfo *info, bool locked)
{
  ShmvChannelHeader header;
  const char *reason;
  uint32_t seq_after;
  uint64_t checksum = 0;
  ShmvSlot slot;

  if (!read_checked_header (ch, &header))
    return SNAP_FAILED;
  slot = header.slots[header.front];
  if ((slot.seq & 1) != 0)
    {
      /* The current slot is never written to; an odd number there means a
       * writer is between our reads of `front` and the slot, or a bug. */
      if (locked)
        return fail (ch, SHMV_ERROR_CORRUPT, "the current frame is marked as being written"),
               SNAP_FAILED;
      return SNAP_RETRY;
    }
  if (header.generation == 0 || slot.generation == 0)
    return fail (ch, SHMV_ERROR_NO_FRAME, "no image has been published yet"), SNAP_FAILED;
  if (slot.offset + slot.bytes > shmv_segment_size (ch->seg) && !shmv_segment_refresh (ch->seg))
    return fail_from_segment (ch), SNAP_FAILED;
  if ((reason = shmv_channel_validate_slot (&slot, shmv_segment_size (ch->seg))) != NULL)
    {
      if (read_seq (ch, header.front, &seq_after) && seq_after != slot.seq)
        return SNAP_RETRY;
      return fail (ch, SHMV_ERROR_CORRUPT, reason), SNAP_FAILED;
    }

  if (pixels != NULL)
    {
      const uint8_t *src = (const uint8_t *) header_of (ch) + slot.offset;

      if (!ensure_capacity (ch, pixels, capacity, slot.bytes))
        return SNAP_FAILED;
      SHMV_TEST_POINT ("read:copying");
      if (!shmv_safe_copy_and_checksum (*pixels, src, slot.bytes, &checksum))
        {
          /* Truncated under us: look at the new size next time. */
          shmv_segment_refresh (ch->seg);
          return SNAP_RETRY;
        }
    }
  if (!read_seq (ch, header.front, &seq_after) || seq_after != slot.seq)
    return SNAP_RETRY;
  if (pixels != NULL && checksum != slot.checksum)
    return fail (ch, SHMV_ERROR_CORRUPT, "the frame's checksum does not match its pixels"),
           SNAP_FAILED;
  shmv_channel_fill_info (info, &slot);
  return SNAP_OK;
}

static bool
snapshot (ShmvChannel *ch, void **pixels, size_t *capacity, ShmvFrameInfo *info)
{
  if (!check_reader (ch))
    return false;
  for (int attempt = 0; attempt < MAX_TRIES; attempt++)
    {
      /* A reader that keeps losing the race to a fast writer takes the lock
       * once: the writer waits for one copy, and the reader makes progress. */
      bool locked =
          attempt >= LOCK_FREE_TRIES && shmv_segment_try_lock (ch->seg, READER_LOCK_TIMEOUT_MS);
      SnapResult result = try_snapshot (ch, pixels, capacity, info, locked);

      if (locked)
        shmv_segment_unlock (ch->seg);
      if (result == SNAP_OK)
        return succeed (ch);
      if (result == SNAP_FAILED)
        return false;
    }
  return fail (ch, SHMV_ERROR_TIMEOUT, "the frame kept changing while being read");
}

bool
shmv_channel_get_info (ShmvChannel *ch, ShmvFrameInfo *info)
{
  return snapshot (ch, NULL, NULL, info);
}

bool
shmv_channel_read (ShmvChannel *ch, void **pixels, size_t *capacity, ShmvFrameInfo *info)
{
  if (pixels == NULL || capacity == NULL)
    return fail (ch, SHMV_ERROR_INVALID_ARGUMENT, "no buffer to read into");
  return snapshot (ch, pixels, capacity, info);
}

static bool
read_word (ShmvChannel *ch, size_t field_offset, uint32_t *value)
{
  if (!ch->open || shmv_segment_size (ch->seg) < SHMV_CHANNEL_HEADER_SIZE)
    return false;
  if (!shmv_safe_memcpy (value, (uint8_t *) header_of (ch) + field_offset, sizeof *value))
    return false;
  __atomic_thread_fence (__ATOMIC_ACQUIRE);
  return true;
}

const uint32_t *
shmv_channel_generation_word (ShmvChannel *ch)
{
  return ch->open ? &header_of (ch)->generation : NULL;
}

uint32_t
shmv_channel_generation (ShmvChannel *ch)
{
  uint32_t generation = 0;

  read_word (ch, offsetof (ShmvChannelHeader, generation), &generation);
  return generation;
}

bool
shmv_channel_wait (ShmvChannel *ch, uint32_t generation, int timeout_ms)
{
  int64_t deadline = shmv_deadline_after (timeout_ms);

  if (!check_reader (ch))
    return false;
  for (;;)
    {
      uint32_t now_generation;
      int left = shmv_deadline_left (deadline);
      int err;

      if (!read_word (ch, offsetof (ShmvChannelHeader, generation), &now_generation))
        return fail (ch, SHMV_ERROR_CORRUPT, "the channel header is gone");
      if (now_generation != generation)
        return succeed (ch);
      if (left == 0)
        return fail (ch, SHMV_ERROR_TIMEOUT, "no new frame in time");
      err = shmv_futex_wait (&header_of (ch)->generation, generation, left);
      if (err == EINTR)
        return fail (ch, SHMV_ERROR_CANCELLED, "interrupted by a signal");
      if (err == EFAULT) /* truncated under us: waiting again would spin */
        return fail (ch, SHMV_ERROR_CORRUPT, "the channel header is gone");
      if (err != 0 && err != ETIMEDOUT)
        return fail (ch, SHMV_ERROR_UNKNOWN, "cannot wait for the next frame");
    }
}

bool
shmv_channel_writer_alive (ShmvChannel *ch)
{
  /* Only writers' exclusive locks conflict with a shared one: readers'
   * locks, whatever bytes they cover, do not count. */
  return ch->open && shmv_ofd_range_is_held (shmv_segment_fd (ch->seg), SHMV_OFD_WRITER_BYTES,
                                             SHMV_OFD_WRITER_BYTE_COUNT, F_RDLCK);
}

bool
shmv_channel_is_persistent (ShmvChannel *ch)
{
  return ch->open && shmv_segment_is_persistent (ch->seg);
}

pid_t
shmv_channel_writer_pid (ShmvChannel *ch)
{
  uint32_t pid = 0;

  read_word (ch, offsetof (ShmvChannelHeader, writer_pid), &pid);
  return (pid_t) (int32_t) pid;
}

static uint32_t
state_of (ShmvChannel *ch)
{
  uint32_t state = 0;

  read_word (ch, offsetof (ShmvChannelHeader, state), &state);
  return state;
}

bool
shmv_channel_is_withdrawn (ShmvChannel *ch)
{
  return (state_of (ch) & SHMV_CHANNEL_WITHDRAWN) != 0;
}

bool
shmv_channel_is_removed (ShmvChannel *ch)
{
  return (state_of (ch) & SHMV_CHANNEL_REMOVED) != 0;
}

bool
shmv_channel_remove (ShmvChannel *ch)
{
  ShmvSegment *seg = shmv_segment_new (shmv_segment_key (ch->seg));
  bool removed;

  if (seg == NULL)
    return fail (ch, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory");
  /* Tell attached readers before the name goes, so they reopen. A corrupt
   * channel (or one we can only read) is removed all the same. */
  if (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) &&
      shmv_segment_size (seg) >= SHMV_CHANNEL_HEADER_SIZE)
    {
      ShmvChannelHeader *header = shmv_segment_data (seg);
      bool locked = shmv_segment_try_lock (seg, 1000);

      __atomic_fetch_or (&header->state, SHMV_CHANNEL_REMOVED, __ATOMIC_RELEASE);
      announce (header);
      if (locked)
        shmv_segment_unlock (seg);
      wake_readers (header);
    }
  removed = shmv_segment_remove (seg);
  if (!removed)
    ch->status = *shmv_segment_status (seg);
  shmv_segment_free (seg);
  return removed && succeed (ch);
}

bool
shmv_channel_remove_unused (ShmvChannel *ch)
{
  ShmvSegment *seg = shmv_segment_new (shmv_segment_key (ch->seg));
  bool removed;

  if (seg == NULL)
    return fail (ch, SHMV_ERROR_OUT_OF_RESOURCES, "out of memory");
  removed = shmv_segment_remove_unused (seg);
  ch->status = *shmv_segment_status (seg);
  shmv_segment_free (seg);
  return removed;
}

const char *
shmv_channel_key (const ShmvChannel *ch)
{
  return shmv_segment_key (ch->seg);
}

const char *
shmv_channel_native_key (const ShmvChannel *ch)
{
  return shmv_segment_native_key (ch->seg);
}

size_t
shmv_channel_segment_size (const ShmvChannel *ch)
{
  return ch->open ? shmv_segment_file_size (ch->seg) : 0;
}

const char *
shmv_channel_recreated (const ShmvChannel *ch)
{
  return ch->recreated ? ch->recreated_what : NULL;
}

ShmvSegment *
shmv_channel_get_segment (ShmvChannel *ch)
{
  return ch->seg;
}

bool
shmv_channel_fail (ShmvChannel *ch, ShmvError code, const char *what)
{
  return fail (ch, code, what);
}

bool
shmv_channel_succeed (ShmvChannel *ch)
{
  return succeed (ch);
}

bool
shmv_channel_copy_header (ShmvChannel *ch, ShmvChannelHeader *copy)
{
  return check_reader (ch) && read_checked_header (ch, copy);
}

ShmvLeaseMap **
shmv_channel_lease_map (ShmvChannel *ch)
{
  return &ch->lease_map;
}

void
shmv_channel_set_status (ShmvChannel *ch, const ShmvStatus *status)
{
  ch->status = *status;
}

ShmvError
shmv_channel_error (const ShmvChannel *ch)
{
  return ch->status.code;
}

const char *
shmv_channel_error_string (const ShmvChannel *ch)
{
  return ch->status.message;
}

int
shmv_channel_error_errno (const ShmvChannel *ch)
{
  return ch->status.sys_errno;
}
