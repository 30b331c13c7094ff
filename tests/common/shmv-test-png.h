/* shmv-test-png.h: a reference PNG decoder and a writer of exact test PNGs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmv-png.h>

/* Every pixel as four samples, R G B A, row after row, no padding: what a
 * lossless decoder following our conventions must produce. Samples keep the
 * file's precision: 0..255 for files of up to 8 bits (low bit depths scaled
 * up by bit replication, as PNG specifies), 0..65535 for 16-bit files.
 * Opaque pixels have alpha 255 (or 65535). */
typedef struct
{
  guint32 width;
  guint32 height;
  gboolean wide;      /* 16-bit samples */
  gboolean has_alpha; /* an alpha channel or a tRNS chunk */
  guint16 *rgba;
} PngTestPixels;

void png_test_pixels_clear (PngTestPixels *pixels);

/* Decodes @path without libpng (zlib inflates, the rest is ours); for files
 * known to be valid. Aborts the test on anything unexpected. */
void png_test_reference_decode (const char *path, PngTestPixels *out);

/* Converts what shmv_png_load() or a channel gave into PngTestPixels. */
void png_test_pixels_from_image (const ShmvImage *image, PngTestPixels *out);

/* Asserts @a and @b hold the same image; names @what and the first
 * difference on failure. */
void
png_test_assert_pixels_equal (const PngTestPixels *a, const PngTestPixels *b, const char *what);

/* A PNG described sample by sample, written with libpng without transforms. */
typedef struct
{
  guint32 width;
  guint32 height;
  int bit_depth;  /* 1, 2, 4, 8 or 16 as the colour type allows */
  int color_type; /* PNG_COLOR_TYPE_* */
  gboolean interlaced;
  gboolean trns;    /* write a tRNS chunk */
  guint16 *samples; /* width * height * channels, each < 2^bit_depth */
  guint8 palette[256][3];
  guint8 palette_alpha[256];
  int palette_size;
  int trns_count;      /* palette entries with an alpha in tRNS */
  guint16 trns_key[3]; /* gray or RGB key colour */
} PngTestSpec;

int png_test_channels (int color_type);

/* Fills @spec with pseudo-random samples (and palette, tRNS) from @seed. */
void png_test_spec_init (PngTestSpec *spec,
                         guint32 width,
                         guint32 height,
                         int color_type,
                         int bit_depth,
                         gboolean interlaced,
                         gboolean trns,
                         guint32 seed);
void png_test_spec_clear (PngTestSpec *spec);

/* Writes @spec to @path as a PNG file. */
void png_test_spec_write (const PngTestSpec *spec, const char *path);

/* What decoding @spec must give, computed from the samples alone. */
void png_test_spec_expected (const PngTestSpec *spec, PngTestPixels *out);

/* A PNG whose IHDR says @width x @height, followed by a token IDAT and IEND,
 * as a byte array: the pixel data is not there, the header is all a size
 * check needs. */
GBytes *png_test_header_only (guint32 width, guint32 height);
