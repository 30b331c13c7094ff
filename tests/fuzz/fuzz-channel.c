/* fuzz-channel.c: libFuzzer harness for the channel header parser
 *
 * The input is what a hostile peer could put in a channel:
 *
 *   byte 0       flags: 1 truncate the segment afterwards, 2 grow it,
 *                4 ask get_info/generation/state too
 *   bytes 1-4    a size (little-endian) for the truncation or growth
 *   bytes 5-     the header page (4096 bytes; a short input is padded with
 *                zeros), then up to 64 KiB of pixel area at channel offset 4096
 *
 * It is checked twice: the parsers alone (shmv_channel_validate_header and
 * _slot on a private copy, against the real size and against a fuzzed one),
 * and a full read through a real segment whose header and pixels the
 * harness writes (pwrite, as a peer would), with a reader that has it
 * mapped: copy-out, validation, remapping, SIGBUS guard, checksum.
 *
 * Invariants besides the sanitizers': a slot the validator accepts lies
 * inside the size it was checked against; a frame the reader accepts has
 * consistent geometry and its pixels hash to its checksum.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <shmview/shmview.h>

#include "shmv-channel-layout.h"
#include "shmv-segment-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIXEL_AREA (64 * 1024)
#define FULL_SIZE  (SHMV_SEGMENT_DATA_OFFSET + SHMV_CHANNEL_HEADER_SIZE + PIXEL_AREA)
#define HEAD_BYTES 5

enum
{
  FLAG_TRUNCATE = 1 << 0,
  FLAG_GROW = 1 << 1,
  FLAG_POKE = 1 << 2,
  FLAG_NO_VERIFY = 1 << 3, /* lease without verification */
};

static ShmvChannel *writer; /* made the channel; keeps it alive */
static ShmvChannel *reader;
static ShmvSegment *raw; /* read-write: its descriptor is our pen */
static void *buffer;
static size_t capacity;

static void
teardown (void)
{
  shmv_channel_free (reader);
  shmv_segment_free (raw);
  shmv_channel_remove (writer);
  shmv_channel_free (writer);
  free (buffer);
}

static void
setup (void)
{
  char key[64];

  snprintf (key, sizeof key, "test-fuzz-channel-%d", (int) getpid ());
  writer = shmv_channel_new (key);
  reader = shmv_channel_new (key);
  raw = shmv_segment_new (key);
  FUZZ_CHECK (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  FUZZ_CHECK (shmv_segment_attach (raw, SHMV_ACCESS_READ_WRITE));
  FUZZ_CHECK (ftruncate (shmv_segment_fd (raw), FULL_SIZE) == 0);
  FUZZ_CHECK (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));
  atexit (teardown);
}

static uint32_t
read_u32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static void
check_parsers (const ShmvChannelHeader *header, size_t fuzzed_size)
{
  size_t sizes[] = { FULL_SIZE - SHMV_SEGMENT_DATA_OFFSET, fuzzed_size, 0, SIZE_MAX };

  shmv_channel_validate_header (header);
  for (int i = 0; i < SHMV_CHANNEL_MAX_SLOTS; i++)
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
      {
        const ShmvSlot *slot = &header->slots[i];

        if (shmv_channel_validate_slot (slot, sizes[s]) != NULL)
          continue;
        FUZZ_CHECK (slot->offset >= SHMV_CHANNEL_HEADER_SIZE);
        FUZZ_CHECK (slot->offset <= sizes[s] && slot->bytes <= sizes[s] - slot->offset);
        FUZZ_CHECK ((uint64_t) slot->stride * slot->height == slot->bytes);
        FUZZ_CHECK (memchr (slot->source_name, '\0', sizeof slot->source_name) != NULL);
      }
}

/* Writes the header page and the pixel area into the segment file. */
static void
write_segment (const uint8_t *body, size_t len)
{
  static uint8_t image[SHMV_CHANNEL_HEADER_SIZE + PIXEL_AREA];
  int fd = shmv_segment_fd (raw);

  memset (image, 0, sizeof image);
  memcpy (image, body, len < sizeof image ? len : sizeof image);
  /* A previous input may have truncated it: back to full size, zeros. */
  FUZZ_CHECK (ftruncate (fd, SHMV_SEGMENT_DATA_OFFSET) == 0);
  FUZZ_CHECK (ftruncate (fd, FULL_SIZE) == 0);
  FUZZ_CHECK (pwrite (fd, image, sizeof image, SHMV_SEGMENT_DATA_OFFSET) == (ssize_t) sizeof image);
}

/* The same frame leased in place: whatever the header says, a lease never
 * points outside the mapping, and a verified one matches its checksum. */
static void
lease_through (uint8_t flags)
{
  ShmvAcquireFlags how = (flags & FLAG_NO_VERIFY) ? SHMV_ACQUIRE_NO_VERIFY : SHMV_ACQUIRE_DEFAULT;
  ShmvFrame *frame = NULL;

  if (shmv_channel_acquire (reader, 0, how, 0, &frame))
    {
      const ShmvFrameInfo *info = shmv_frame_get_info (frame);
      size_t bytes = (size_t) info->stride * info->height;
      unsigned bpp = shmv_format_bytes_per_pixel (info->format);

      FUZZ_CHECK (bpp != 0 && info->width > 0 && info->height > 0);
      FUZZ_CHECK (info->stride == (uint64_t) info->width * bpp);
      FUZZ_CHECK (shmv_frame_is_verified (frame) == !(flags & FLAG_NO_VERIFY));
      if (shmv_frame_is_verified (frame))
        FUZZ_CHECK (shmv_checksum (shmv_frame_get_pixels (frame), bytes) == info->checksum);
      shmv_frame_release (frame);
    }
  else
    FUZZ_CHECK (frame == NULL && shmv_channel_error_string (reader)[0] != '\0');
}

static void
read_through (uint8_t flags)
{
  ShmvFrameInfo info;

  if (shmv_channel_read (reader, &buffer, &capacity, &info))
    {
      unsigned bpp = shmv_format_bytes_per_pixel (info.format);

      FUZZ_CHECK (bpp != 0 && info.width > 0 && info.height > 0);
      FUZZ_CHECK (info.stride == (uint64_t) info.width * bpp);
      FUZZ_CHECK ((size_t) info.stride * info.height <= capacity);
      FUZZ_CHECK (shmv_checksum (buffer, (size_t) info.stride * info.height) == info.checksum);
      FUZZ_CHECK (memchr (info.source_name, '\0', sizeof info.source_name) != NULL);
    }
  else
    FUZZ_CHECK (shmv_channel_error_string (reader)[0] != '\0');
  lease_through (flags);
  if (flags & FLAG_POKE)
    {
      shmv_channel_get_info (reader, &info);
      shmv_channel_wait (reader, shmv_channel_generation (reader), 0);
      shmv_channel_is_withdrawn (reader);
      shmv_channel_is_removed (reader);
      shmv_channel_writer_alive (reader);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ShmvChannelHeader header;
  const uint8_t *body = data + HEAD_BYTES;
  size_t body_len = size > HEAD_BYTES ? size - HEAD_BYTES : 0;
  uint8_t flags;
  uint32_t param;
  int fd;

  if (size < HEAD_BYTES)
    return 0;
  if (writer == NULL)
    setup ();
  flags = data[0];
  param = read_u32 (data + 1);

  memset (&header, 0, sizeof header);
  memcpy (&header, body, body_len < sizeof header ? body_len : sizeof header);
  check_parsers (&header, param);

  write_segment (body, body_len);
  fd = shmv_segment_fd (raw);
  if (flags & FLAG_TRUNCATE)
    FUZZ_CHECK (ftruncate (fd, param % (FULL_SIZE + 8192)) == 0);
  else if (flags & FLAG_GROW)
    FUZZ_CHECK (ftruncate (fd, FULL_SIZE + param % (1 << 20)) == 0);
  read_through (flags);
  return 0;
}
