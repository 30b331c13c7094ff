/* test-png-publish.c: shmv_channel_publish_png() decodes straight into a channel:
 * readers get exactly what shmv_png_load() gives, and a failure leaves the
 * previous frame current
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <png.h>
#include <string.h>

typedef struct
{
  char *key;
  ShmvChannel *writer;
  ShmvChannel *reader;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->key = shmv_test_unique_key ("png-publish");
  f->writer = shmv_channel_new (f->key);
  g_assert_nonnull (f->writer);
  g_assert_true (shmv_channel_open (f->writer, SHMV_CHANNEL_WRITER, 0));
  f->reader = shmv_channel_new (f->key);
  g_assert_nonnull (f->reader);
  g_assert_true (shmv_channel_open (f->reader, SHMV_CHANNEL_READER, 0));
  f->dir = shmv_test_tmpdir_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  shmv_channel_free (f->reader);
  g_assert_true (shmv_channel_remove (f->writer));
  shmv_channel_free (f->writer);
  shmv_test_tmpdir_remove (f->dir);
  g_free (f->dir);
  g_free (f->key);
}

static char *
write_spec_file (const Fixture *f,
                 const char *name,
                 guint32 width,
                 guint32 height,
                 int color_type,
                 int bit_depth,
                 gboolean interlaced,
                 gboolean trns)
{
  PngTestSpec spec;
  char *path = g_build_filename (f->dir, name, NULL);

  png_test_spec_init (&spec, width, height, color_type, bit_depth, interlaced, trns,
                      width + height);
  png_test_spec_write (&spec, path);
  png_test_spec_clear (&spec);
  return path;
}

static void
assert_published (gboolean ok, ShmvChannel *ch)
{
  g_assert_cmpstr (shmv_channel_error_string (ch), ==, "");
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_NONE);
  g_assert_true (ok);
}

/* The reader's copy of the current frame equals shmv_png_load (@path). */
static void
assert_frame_is (Fixture *f, const char *path, uint32_t generation)
{
  g_autofree char *base = g_path_get_basename (path);
  void *pixels = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;
  ShmvImage loaded, frame;
  ShmvStatus status;
  PngTestPixels want = { 0 }, got = { 0 };

  g_assert_true (shmv_png_load (path, NULL, &loaded, &status));
  if (!shmv_channel_read (f->reader, &pixels, &capacity, &info))
    g_error ("%s", shmv_channel_error_string (f->reader));
  g_assert_cmpuint (info.generation, ==, generation);
  g_assert_cmpuint (info.width, ==, loaded.width);
  g_assert_cmpuint (info.height, ==, loaded.height);
  g_assert_cmpuint (info.stride, ==, loaded.stride);
  g_assert_cmpstr (shmv_format_name (info.format), ==, shmv_format_name (loaded.format));
  g_assert_cmpstr (info.source_name, ==, base);
  frame = (ShmvImage){ info.width, info.height, info.stride, info.format, pixels };
  png_test_pixels_from_image (&loaded, &want);
  png_test_pixels_from_image (&frame, &got);
  png_test_assert_pixels_equal (&got, &want, base);
  png_test_pixels_clear (&want);
  png_test_pixels_clear (&got);
  shmv_image_clear (&loaded);
  free (pixels);
}

/* Every output format, interlaced or not. */
static void
test_formats (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *name;
    int color_type;
    int bit_depth;
    gboolean interlaced;
    gboolean trns;
  } files[] = {
    { "rgb8-adam7.png", PNG_COLOR_TYPE_RGB, 8, TRUE, FALSE },
    { "palette4-trns.png", PNG_COLOR_TYPE_PALETTE, 4, FALSE, TRUE },
    { "gray16.png", PNG_COLOR_TYPE_GRAY, 16, FALSE, FALSE },
    { "rgba16-adam7.png", PNG_COLOR_TYPE_RGB_ALPHA, 16, TRUE, FALSE },
    { "gray2.png", PNG_COLOR_TYPE_GRAY, 2, FALSE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path =
          write_spec_file (f, files[i].name, 45, 29, files[i].color_type, files[i].bit_depth,
                           files[i].interlaced, files[i].trns);

      assert_published (shmv_channel_publish_png (f->writer, path, NULL), f->writer);
      assert_frame_is (f, path, (uint32_t) i + 1);
    }
}

/* Every valid PngSuite file, one after another into the same channel. */
static void
test_pngsuite (Fixture *f, gconstpointer data)
{
  const char *dir = shmv_test_pngsuite_dir ();
  g_auto (GStrv) names = NULL;
  uint32_t generation = 0;

  names = shmv_test_dir_list (dir);
  for (char **n = names; *n != NULL; n++)
    {
      g_autofree char *path = g_build_filename (dir, *n, NULL);

      if ((*n)[0] == 'x' || !g_str_has_suffix (*n, ".png"))
        continue;
      assert_published (shmv_channel_publish_png (f->writer, path, NULL), f->writer);
      assert_frame_is (f, path, ++generation);
    }
  g_assert_cmpuint (generation, ==, 161);
}

static bool
cancel_half_way (double fraction, void *user_data)
{
  return fraction < 0.5;
}

/* Whatever fails after the header was read (corrupt data, a cancel) or
 * before (a size over the limit, a missing file), the frame published before
 * stays current, and the channel takes the next frame as usual. */
static void
test_failure_keeps_previous (Fixture *f, gconstpointer data)
{
  g_autofree char *good =
      write_spec_file (f, "good.png", 31, 17, PNG_COLOR_TYPE_RGB_ALPHA, 8, FALSE, FALSE);
  g_autofree char *big =
      write_spec_file (f, "big.png", 64, 64, PNG_COLOR_TYPE_RGB, 16, TRUE, FALSE);
  g_autofree char *truncated = g_build_filename (f->dir, "truncated.png", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.png", NULL);
  g_autofree char *bytes = NULL;
  ShmvPngOptions cancel = { .progress = cancel_half_way };
  ShmvPngOptions small = { .max_pixels = 1000 };
  gsize len;

  assert_published (shmv_channel_publish_png (f->writer, good, NULL), f->writer);
  g_assert_cmpuint (shmv_channel_generation (f->reader), ==, 1);

  /* Cut inside the image data: the failure comes mid-decode. */
  g_assert_true (g_file_get_contents (big, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (truncated, bytes, (gssize) (len * 2 / 3), NULL));
  g_assert_false (shmv_channel_publish_png (f->writer, truncated, NULL));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_IMAGE);
  assert_frame_is (f, good, 1);

  g_assert_false (shmv_channel_publish_png (f->writer, big, &cancel));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_CANCELLED);
  assert_frame_is (f, good, 1);

  g_assert_false (shmv_channel_publish_png (f->writer, big, &small));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_IMAGE);
  g_assert_false (shmv_channel_publish_png (f->writer, missing, NULL));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_IO);
  assert_frame_is (f, good, 1);

  /* The aborted frames left the channel unlocked and usable. */
  assert_published (shmv_channel_publish_png (f->writer, big, NULL), f->writer);
  assert_frame_is (f, big, 2);
}

/* PngSuite's corrupt files, after a good frame: the one found only in the
 * image data (xcsn0g01, a bad IDAT CRC) is refused like the rest. */
static void
test_pngsuite_corrupt_keeps_previous (Fixture *f, gconstpointer data)
{
  const char *dir = shmv_test_pngsuite_dir ();
  g_autofree char *good = NULL;
  g_auto (GStrv) names = NULL;
  guint refused = 0;

  good = write_spec_file (f, "good.png", 5, 5, PNG_COLOR_TYPE_GRAY, 8, FALSE, FALSE);
  assert_published (shmv_channel_publish_png (f->writer, good, NULL), f->writer);
  names = shmv_test_dir_list (dir);
  for (char **n = names; *n != NULL; n++)
    {
      g_autofree char *path = g_build_filename (dir, *n, NULL);

      if ((*n)[0] != 'x' || !g_str_has_suffix (*n, ".png"))
        continue;
      g_assert_false (shmv_channel_publish_png (f->writer, path, NULL));
      g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_IMAGE);
      g_assert_true (g_str_has_prefix (shmv_channel_error_string (f->writer), path));
      refused++;
    }
  g_assert_cmpuint (refused, ==, 14);
  assert_frame_is (f, good, 1);
}

/* When the channel refuses the frame, its own error is what the caller gets:
 * the same as a plain publish of the decoded image. */
static void
test_channel_error_reported (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_spec_file (f, "p.png", 3, 3, PNG_COLOR_TYPE_RGB, 8, FALSE, FALSE);
  g_autofree char *message = NULL;
  ShmvError code;
  ShmvImage image;

  g_assert_false (shmv_channel_publish_png (f->reader, path, NULL));
  code = shmv_channel_error (f->reader);
  message = g_strdup (shmv_channel_error_string (f->reader));
  g_assert_cmpint (code, !=, SHMV_ERROR_NONE);
  g_assert_cmpuint (shmv_channel_generation (f->reader), ==, 0);

  g_assert_true (shmv_png_load (path, NULL, &image, NULL));
  g_assert_false (shmv_channel_publish (f->reader, image.pixels, image.width, image.height,
                                        image.stride, image.format, "p.png"));
  g_assert_cmpint (shmv_channel_error (f->reader), ==, code);
  g_assert_cmpstr (shmv_channel_error_string (f->reader), ==, message);
  shmv_image_clear (&image);
}

/* A file's failure is kept on the channel, with the code and words that
 * shmv_png_load() gives, like any other failure of a call on the handle. */
static void
test_file_error_on_channel (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.png", NULL);
  ShmvStatus status;
  ShmvImage image;

  g_assert_false (shmv_channel_publish_png (f->writer, NULL, NULL));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, SHMV_ERROR_INVALID_ARGUMENT);

  g_assert_false (shmv_png_load (missing, NULL, &image, &status));
  g_assert_false (shmv_channel_publish_png (f->writer, missing, NULL));
  g_assert_cmpint (shmv_channel_error (f->writer), ==, status.code);
  g_assert_cmpstr (shmv_channel_error_string (f->writer), ==, status.message);
  g_assert_cmpuint (shmv_channel_generation (f->reader), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/png/publish/every-format-matches-load", test_formats);
  ADD ("/png/publish/pngsuite-matches-load", test_pngsuite);
  ADD ("/png/publish/failure-keeps-previous-frame", test_failure_keeps_previous);
  ADD ("/png/publish/pngsuite-corrupt-keeps-previous-frame", test_pngsuite_corrupt_keeps_previous);
  ADD ("/png/publish/channel-error-is-reported", test_channel_error_reported);
  ADD ("/png/publish/file-error-is-the-channel-error", test_file_error_on_channel);
#undef ADD

  return g_test_run ();
}
