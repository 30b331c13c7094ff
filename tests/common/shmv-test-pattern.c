/* shmv-test-pattern.c: the test pattern, as bytes, images and PNG files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-pattern.h"

#include <string.h>

/* A hash of the offset (splitmix64's finaliser), 0 at 0: noise, so that the
 * pattern does not compress (a test that must write a large file needs
 * that) and no two nearby bytes are alike. */
static guint8
noise (gsize i)
{
  guint64 x = (guint64) i * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 31;
  return (guint8) (x >> 56);
}

/* Two seeds that differ (modulo 256) differ in every byte: 31 is odd. */
static guint8
pattern (guint32 seed, gsize i)
{
  return (guint8) (seed * 31 + noise (i));
}

guint8 *
shmv_test_pattern_new (gsize bytes, guint32 seed)
{
  guint8 *pixels = g_malloc (MAX (bytes, 1));

  for (gsize i = 0; i < bytes; i++)
    pixels[i] = pattern (seed, i);
  return pixels;
}

gboolean
shmv_test_pattern_matches (const guint8 *pixels, gsize bytes, guint32 seed)
{
  for (gsize i = 0; i < bytes; i++)
    if (pixels[i] != pattern (seed, i))
      return FALSE;
  return TRUE;
}

guint32
shmv_test_pattern_seed (const guint8 *pixels)
{
  /* pixel[0] = seed * 31 (mod 256), noise (0) being 0: 31 is odd, so it
   * has an inverse, 223. */
  return (guint32) (pixels[0] * 223u) & 0xFF;
}

guint8 *
shmv_test_pattern_image (
    guint32 width, guint32 height, ShmvFormat format, guint32 seed, gsize *stride)
{
  guint bpp = shmv_format_bytes_per_pixel (format);
  guint8 *pixels = NULL;

  *stride = (gsize) width * bpp;
  pixels = shmv_test_pattern_new (*stride * height, seed);
  if (format == SHMV_FORMAT_RGBA8 || format == SHMV_FORMAT_RGBA16)
    {
      guint alpha_bytes = bpp / 4;

      for (gsize at = 0; at < *stride * height; at += bpp)
        memset (pixels + at + bpp - alpha_bytes, 0xff, alpha_bytes);
    }
  return pixels;
}

guint8 *
shmv_test_write_png (
    const char *path, guint32 width, guint32 height, ShmvFormat format, guint32 seed)
{
  gsize stride = 0;
  guint8 *pixels = shmv_test_pattern_image (width, height, format, seed, &stride);
  ShmvStatus status = { 0 };

  if (!shmv_png_save (path, pixels, width, height, stride, format, &status))
    g_error ("cannot write %s: %s", path, status.message);
  return pixels;
}

char *
shmv_test_make_png (const char *dir,
                    const char *name,
                    guint32 width,
                    guint32 height,
                    ShmvFormat format,
                    guint32 seed)
{
  char *path = g_build_filename (dir, name, NULL);

  g_free (shmv_test_write_png (path, width, height, format, seed));
  return path;
}

void
shmv_test_assert_same_pixels (const char *expected_png, const char *actual_png)
{
  ShmvImage expected = { 0 }, actual = { 0 };
  ShmvStatus status;

  if (!shmv_png_load (expected_png, NULL, &expected, &status))
    g_error ("cannot load %s: %s", expected_png, status.message);
  if (!shmv_png_load (actual_png, NULL, &actual, &status))
    g_error ("cannot load %s: %s", actual_png, status.message);

  g_assert_cmpuint (actual.width, ==, expected.width);
  g_assert_cmpuint (actual.height, ==, expected.height);
  g_assert_cmpstr (shmv_format_name (actual.format), ==, shmv_format_name (expected.format));
  g_assert_cmpuint (actual.stride, ==, expected.stride);
  g_assert_cmpmem (actual.pixels, actual.stride * actual.height, expected.pixels,
                   expected.stride * expected.height);

  shmv_image_clear (&expected);
  shmv_image_clear (&actual);
}
