/* make-channel-seeds.c: writes the seed corpus of fuzz-channel
 *
 * Real channels in the states a reader meets (no frame yet, one
 * frame, all slots used in every format, a frame being written, withdrawn,
 * truncated, grown), dumped in fuzz-channel's input format. Run by
 * `tests/fuzz/run-fuzzers.sh --make-seeds`; the output is committed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-channel-layout.h"
#include "shmv-segment-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIXEL_AREA (64 * 1024)

static const char *dir;

/* Dumps the channel as flags, size and the first 68 KiB of channel data. */
static void
dump (ShmvSegment *seg, const char *name, unsigned char flags, unsigned size)
{
  char path[512];
  unsigned char head[5] = { flags, size, size >> 8, size >> 16, size >> 24 };
  size_t len = SHMV_CHANNEL_HEADER_SIZE + PIXEL_AREA;
  unsigned char *data = calloc (1, len);
  size_t have = shmv_segment_file_size (seg) - SHMV_SEGMENT_DATA_OFFSET;
  FILE *out;

  if (pread (shmv_segment_fd (seg), data, have < len ? have : len, SHMV_SEGMENT_DATA_OFFSET) < 0)
    abort ();
  snprintf (path, sizeof path, "%s/%s", dir, name);
  out = fopen (path, "wb");
  if (out == NULL || fwrite (head, 1, 5, out) != 5 || fwrite (data, 1, len, out) != len)
    abort ();
  fclose (out);
  free (data);
}

static void
publish (ShmvChannel *ch, uint32_t width, uint32_t height, ShmvFormat format, int seed)
{
  size_t stride = (size_t) width * shmv_format_bytes_per_pixel (format);
  unsigned char *pixels = malloc (stride * height);

  for (size_t i = 0; i < stride * height; i++)
    pixels[i] = (unsigned char) (i * 7 + seed);
  if (!shmv_channel_publish (ch, pixels, width, height, stride, format, "seed.png"))
    abort ();
  free (pixels);
}

int
main (int argc, char **argv)
{
  char key[64];
  ShmvChannel *ch;
  ShmvSegment *seg;
  void *pixels;
  size_t stride;

  if (argc != 2)
    return 2;
  dir = argv[1];
  snprintf (key, sizeof key, "test-fuzz-seeds-%d", (int) getpid ());
  seg = shmv_segment_new (key);
  ch = shmv_channel_new (key);
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0) ||
      !shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE))
    {
      fprintf (stderr, "%s\n", shmv_channel_error_string (ch));
      return 1;
    }
  dump (seg, "no-frame", 4, 0);
  publish (ch, 16, 16, SHMV_FORMAT_RGBA8, 1);
  dump (seg, "one-frame-rgba8", 4, 0);
  publish (ch, 7, 5, SHMV_FORMAT_RGB8, 2);
  publish (ch, 9, 3, SHMV_FORMAT_RGB16, 3);
  publish (ch, 11, 13, SHMV_FORMAT_RGBA16, 4);
  dump (seg, "three-slots-all-formats", 0, 0);
  dump (seg, "truncated-mid-pixels", 1, SHMV_SEGMENT_DATA_OFFSET + 4096 + 700);
  dump (seg, "truncated-mid-header", 1, SHMV_SEGMENT_DATA_OFFSET + 100);
  dump (seg, "grown", 2, 300000);
  shmv_channel_withdraw (ch);
  dump (seg, "withdrawn", 4, 0);
  if (!shmv_channel_begin_frame (ch, 32, 32, SHMV_FORMAT_RGBA8, &pixels, &stride))
    return 1;
  memset (pixels, 0x5A, stride * 32);
  dump (seg, "frame-being-written", 4, 0);
  shmv_channel_abort_frame (ch);
  shmv_channel_remove (ch);
  shmv_channel_free (ch);
  shmv_segment_free (seg);
  return 0;
}
