/* fuzz-png.c: libFuzzer harness for the PNG loader
 *
 * Each input is a PNG file: it goes into a memfd, which shmv_png_load()
 * opens by its /proc/self/fd path (no disk, and the real open/read path).
 * Inputs whose size is a multiple of 4 are also published to a channel
 * (shmv_channel_publish_png: decoded privately, then copied in); a last byte of 0x42
 * makes the progress callback cancel half-way. The pixel limit is 2^22 so
 * that a valid huge image costs 32 MB at most, not 2 GB.
 *
 * Invariants checked besides what the sanitizers see: a decoded image has
 * a valid format and packed rows, every pixel byte is readable, its size is
 * within the limit; a failure has a clear code and a message; a failed
 * publish leaves the channel's frame as it was.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "fuzz.h"

#include <shmview/shmview.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_PIXELS (UINT64_C (1) << 22)

static int memfd = -1;
static char path[64];
static ShmvChannel *channel;

static void
remove_channel (void)
{
  shmv_channel_remove (channel);
  shmv_channel_free (channel);
}

static void
setup (void)
{
  char key[64];

  memfd = memfd_create ("fuzz-png", MFD_CLOEXEC);
  FUZZ_CHECK (memfd >= 0);
  snprintf (path, sizeof path, "/proc/self/fd/%d", memfd);
  snprintf (key, sizeof key, "test-fuzz-png-%d", (int) getpid ());
  channel = shmv_channel_new (key);
  FUZZ_CHECK (shmv_channel_open (channel, SHMV_CHANNEL_WRITER, 0));
  atexit (remove_channel);
}

static bool
cancel_half_way (double fraction, void *user_data)
{
  (void) user_data;
  return fraction < 0.5;
}

static void
check_image (const ShmvImage *image)
{
  unsigned bpp = shmv_format_bytes_per_pixel (image->format);
  uint64_t sum = 0;

  FUZZ_CHECK (bpp != 0);
  FUZZ_CHECK (image->width > 0 && image->height > 0);
  FUZZ_CHECK ((uint64_t) image->width * image->height <= MAX_PIXELS);
  FUZZ_CHECK (image->stride == (size_t) image->width * bpp);
  FUZZ_CHECK (image->pixels != NULL);
  /* Every byte must be inside the allocation (ASan checks the reads). */
  sum = shmv_checksum (image->pixels, image->stride * image->height);
  (void) sum;
}

static void
check_failure (ShmvError code, const char *message)
{
  FUZZ_CHECK (code == SHMV_ERROR_IMAGE || code == SHMV_ERROR_IO ||
              code == SHMV_ERROR_OUT_OF_RESOURCES || code == SHMV_ERROR_CANCELLED);
  FUZZ_CHECK (message[0] != '\0');
}

static void
publish (const ShmvPngOptions *options)
{
  ShmvFrameInfo before, after;
  bool had_frame = shmv_channel_get_info (channel, &before);

  if (shmv_channel_publish_png (channel, path, options))
    {
      FUZZ_CHECK (shmv_channel_get_info (channel, &after));
      FUZZ_CHECK ((uint64_t) after.width * after.height <= MAX_PIXELS);
      return;
    }
  check_failure (shmv_channel_error (channel), shmv_channel_error_string (channel));
  /* On failure the previous frame stays current. */
  if (had_frame)
    {
      FUZZ_CHECK (shmv_channel_get_info (channel, &after));
      FUZZ_CHECK (after.generation == before.generation && after.checksum == before.checksum);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ShmvPngOptions options = { .max_pixels = MAX_PIXELS };
  ShmvImage image;
  ShmvStatus status;

  if (memfd < 0)
    setup ();
  FUZZ_CHECK (ftruncate (memfd, 0) == 0);
  FUZZ_CHECK (size == 0 || pwrite (memfd, data, size, 0) == (ssize_t) size);
  if (size > 0 && data[size - 1] == 0x42)
    options.progress = cancel_half_way;

  if (shmv_png_load (path, &options, &image, &status))
    {
      check_image (&image);
      shmv_image_clear (&image);
    }
  else
    check_failure (status.code, status.message);
  if (size % 4 == 0)
    publish (&options);
  return 0;
}
