/* test-png-load.c: shmv_png_load() on PngSuite, on a generated corpus of
 * every PNG layout, and on broken, oversized and missing files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <png.h>
#include <string.h>
#include <unistd.h>

#define PNGSUITE_VALID   161
#define PNGSUITE_CORRUPT 14

/* The error libpng 1.6.39 gives for each corrupt PngSuite file (from
 * tests/data/pngsuite/README.md). */
static const struct
{
  const char *name;
  const char *reason;
} corrupt_reasons[] = {
  { "xs1n0g01", "Not a PNG file" },
  { "xs2n0g01", "Not a PNG file" },
  { "xs4n0g01", "Not a PNG file" },
  { "xs7n0g01", "PNG file corrupted by ASCII conversion" },
  { "xcrn0g04", "PNG file corrupted by ASCII conversion" },
  { "xlfn0g04", "PNG file corrupted by ASCII conversion" },
  { "xhdn0g08", "IHDR: CRC error" },
  { "xc1n0g08", "Invalid IHDR data" },
  { "xc9n2c08", "Invalid IHDR data" },
  { "xd0n2c08", "Invalid IHDR data" },
  { "xd3n2c08", "Invalid IHDR data" },
  { "xd9n2c08", "Invalid IHDR data" },
  { "xdtn0g01", "IEND: out of place" },
  { "xcsn0g01", "IDAT: CRC error" },
};

static void
assert_failed_with (gboolean ok, const ShmvStatus *status, ShmvError code, const ShmvImage *image)
{
  g_assert_false (ok);
  g_assert_cmpstr (shmv_error_name (status->code), ==, shmv_error_name (code));
  g_assert_cmpstr (status->message, !=, "");
  g_assert_null (image->pixels);
  g_assert_cmpuint (image->width, ==, 0);
}

static void
assert_loaded (gboolean ok, const ShmvStatus *status, const ShmvImage *image)
{
  /* The message first: on failure it says why. */
  g_assert_cmpstr (status->message, ==, "");
  g_assert_true (ok);
  g_assert_cmpint (status->code, ==, SHMV_ERROR_NONE);
  g_assert_nonnull (image->pixels);
  g_assert_cmpuint (image->stride, ==,
                    (gsize) image->width * shmv_format_bytes_per_pixel (image->format));
}

static ShmvFormat
expected_format (gboolean wide, gboolean alpha)
{
  if (wide)
    return alpha ? SHMV_FORMAT_RGBA16 : SHMV_FORMAT_RGB16;
  return alpha ? SHMV_FORMAT_RGBA8 : SHMV_FORMAT_RGB8;
}

static char *
write_temp_file (const char *dir, const char *name, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
write_spec_file (const char *dir,
                 const char *name,
                 guint32 width,
                 guint32 height,
                 int color_type,
                 int bit_depth,
                 gboolean interlaced)
{
  PngTestSpec spec;
  char *path = g_build_filename (dir, name, NULL);

  png_test_spec_init (&spec, width, height, color_type, bit_depth, interlaced, FALSE, 7);
  png_test_spec_write (&spec, path);
  png_test_spec_clear (&spec);
  return path;
}

/* PngSuite */

/* Sizes are in the names of the s* files; all others are 32x32 but three. */
static void
pngsuite_size (const char *name, guint32 *width, guint32 *height)
{
  *width = *height = 32;
  if (name[0] == 's' && g_ascii_isdigit (name[1]))
    *width = *height = (guint32) g_ascii_strtoull (name + 1, NULL, 10);
  else if (g_str_has_prefix (name, "cdfn"))
    *width = 8;
  else if (g_str_has_prefix (name, "cdhn"))
    *height = 8;
  else if (g_str_has_prefix (name, "cdsn"))
    *width = *height = 8;
}

static char *
pngsuite_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  return g_build_filename (shmv_test_pngsuite_dir (), file, NULL);
}

/* Every valid file decodes, to the format its colour type and depth call for
 * (named in characters 5-8: "0g04" is gray of 4 bits), with exactly the
 * samples the reference decoder finds. */
static void
test_pngsuite_valid (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = pngsuite_path (name);
  gboolean wide = g_str_equal (name + 6, "16");
  gboolean alpha_type = name[4] == '4' || name[4] == '6';
  ShmvImage image;
  ShmvStatus status;
  PngTestPixels got = { 0 }, want = { 0 };
  guint32 width, height;
  gboolean ok;

  ok = shmv_png_load (path, NULL, &image, &status);
  assert_loaded (ok, &status, &image);
  pngsuite_size (name, &width, &height);
  g_assert_cmpuint (image.width, ==, width);
  g_assert_cmpuint (image.height, ==, height);
  png_test_reference_decode (path, &want);
  /* Alpha comes from the colour type or from a tRNS chunk. */
  g_assert_true (!alpha_type || want.has_alpha);
  g_assert_cmpstr (shmv_format_name (image.format), ==,
                   shmv_format_name (expected_format (wide, want.has_alpha)));
  png_test_pixels_from_image (&image, &got);
  png_test_assert_pixels_equal (&got, &want, name);
  png_test_pixels_clear (&got);
  png_test_pixels_clear (&want);
  shmv_image_clear (&image);
}

static const char *
corrupt_reason (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (corrupt_reasons); i++)
    if (g_str_equal (corrupt_reasons[i].name, name))
      return corrupt_reasons[i].reason;
  return NULL;
}

/* Every corrupt file is refused with libpng's own reason after the path. */
static void
test_pngsuite_corrupt (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = pngsuite_path (name);
  g_autofree char *prefix = g_strconcat (path, ": ", NULL);
  const char *reason = corrupt_reason (name);
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, NULL, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  g_assert_true (g_str_has_prefix (status.message, prefix));
  g_assert_cmpuint (strlen (status.message), >, strlen (prefix));
  if (reason != NULL)
    g_assert_cmpstr (status.message + strlen (prefix), ==, reason);
}

/* The data set is complete: a missing file would silently drop a case. */
static void
test_pngsuite_complete (gconstpointer data)
{
  const guint *counts = data;

  g_assert_cmpuint (counts[0], ==, PNGSUITE_VALID);
  g_assert_cmpuint (counts[1], ==, PNGSUITE_CORRUPT);
}

static void
add_pngsuite_tests (void)
{
  static guint counts[2];
  const char *dir = shmv_test_pngsuite_dir ();
  g_auto (GStrv) names = shmv_test_dir_list (dir);

  for (char **n = names; *n != NULL; n++)
    {
      g_autofree char *test_path = NULL;
      char *name;
      gboolean corrupt = (*n)[0] == 'x';

      if (!g_str_has_suffix (*n, ".png"))
        continue;
      name = g_strndup (*n, strlen (*n) - 4);
      counts[corrupt]++;
      test_path =
          g_strconcat (corrupt ? "/png/reject/pngsuite/" : "/png/load/pngsuite/", name, NULL);
      g_test_add_data_func_full (test_path, name,
                                 corrupt ? test_pngsuite_corrupt : test_pngsuite_valid, g_free);
    }
  g_test_add_data_func ("/png/load/pngsuite-complete", counts, test_pngsuite_complete);
}

/* A generated corpus: every colour type and bit depth, with and without
 * tRNS and interlacing, at odd sizes; the expected pixels are computed from
 * the samples written. */

typedef struct
{
  int color_type;
  int bit_depth;
  gboolean trns;
  gboolean interlaced;
} CorpusCase;

static const struct
{
  guint32 width;
  guint32 height;
} corpus_sizes[] = { { 1, 1 }, { 3, 7 }, { 33, 17 }, { 1, 9 }, { 9, 1 }, { 64, 3 } };

static void
corpus_check_one (const CorpusCase *c, const char *dir, guint32 width, guint32 height)
{
  g_autofree char *name = g_strdup_printf ("%ux%u.png", width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PngTestSpec spec;
  PngTestPixels want = { 0 }, got = { 0 }, reference = { 0 };
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  png_test_spec_init (&spec, width, height, c->color_type, c->bit_depth, c->interlaced, c->trns,
                      width * 1000 + height);
  png_test_spec_write (&spec, path);
  png_test_spec_expected (&spec, &want);
  ok = shmv_png_load (path, NULL, &image, &status);
  assert_loaded (ok, &status, &image);
  g_assert_cmpstr (shmv_format_name (image.format), ==,
                   shmv_format_name (expected_format (want.wide, want.has_alpha)));
  png_test_pixels_from_image (&image, &got);
  png_test_assert_pixels_equal (&got, &want, name);
  /* The reference decoder that judges PngSuite must agree too. */
  png_test_reference_decode (path, &reference);
  png_test_assert_pixels_equal (&reference, &want, "reference decoder");
  png_test_pixels_clear (&want);
  png_test_pixels_clear (&got);
  png_test_pixels_clear (&reference);
  png_test_spec_clear (&spec);
  shmv_image_clear (&image);
}

static void
test_corpus (gconstpointer data)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (corpus_sizes); i++)
    corpus_check_one (data, dir, corpus_sizes[i].width, corpus_sizes[i].height);
  shmv_test_tmpdir_remove (dir);
}

static void
add_corpus_tests (void)
{
  static const struct
  {
    int color_type;
    const char *name;
    int depths[5];
    gboolean can_trns;
  } types[] = {
    { PNG_COLOR_TYPE_GRAY, "gray", { 1, 2, 4, 8, 16 }, TRUE },
    { PNG_COLOR_TYPE_RGB, "rgb", { 8, 16 }, TRUE },
    { PNG_COLOR_TYPE_PALETTE, "palette", { 1, 2, 4, 8 }, TRUE },
    { PNG_COLOR_TYPE_GRAY_ALPHA, "gray-alpha", { 8, 16 }, FALSE },
    { PNG_COLOR_TYPE_RGB_ALPHA, "rgba", { 8, 16 }, FALSE },
  };

  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    for (gsize d = 0; d < G_N_ELEMENTS (types[t].depths) && types[t].depths[d] != 0; d++)
      for (int trns = 0; trns <= types[t].can_trns; trns++)
        for (int interlaced = 0; interlaced <= 1; interlaced++)
          {
            CorpusCase *c = g_new (CorpusCase, 1);
            g_autofree char *path = NULL;

            *c = (CorpusCase){ types[t].color_type, types[t].depths[d], trns, interlaced };
            path = g_strdup_printf ("/png/load/corpus/%s%d%s%s", types[t].name, types[t].depths[d],
                                    trns ? "-trns" : "", interlaced ? "-adam7" : "");
            g_test_add_data_func_full (path, c, test_corpus, g_free);
          }
}

/* Sizes and limits */

static void
test_oversize_header_fails_fast (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autoptr (GBytes) bytes = png_test_header_only (100000, 100000);
  g_autofree char *path = NULL;
  g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, SHMV_PNG_DEFAULT_MAX_PIXELS);
  ShmvImage image;
  ShmvStatus status;
  gint64 start;
  gboolean ok;

  path =
      write_temp_file (dir, "huge.png", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  start = g_get_monotonic_time ();
  ok = shmv_png_load (path, NULL, &image, &status);
  /* 30 GB of pixels: anything but an early refusal takes far longer. The
   * bound is loose enough for valgrind. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  g_assert_nonnull (strstr (status.message, "100000x100000"));
  g_assert_nonnull (strstr (status.message, limit));
  shmv_test_tmpdir_remove (dir);
}

static void
test_max_pixels_option (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_spec_file (dir, "64.png", 64, 64, PNG_COLOR_TYPE_RGB, 8, FALSE);
  ShmvPngOptions options = { .max_pixels = 100 };
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, &options, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  g_assert_nonnull (strstr (status.message, "64x64"));
  g_assert_nonnull (strstr (status.message, "limit of 100"));

  options.max_pixels = 64 * 64 - 1;
  ok = shmv_png_load (path, &options, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);

  options.max_pixels = 64 * 64;
  ok = shmv_png_load (path, &options, &image, &status);
  assert_loaded (ok, &status, &image);
  shmv_image_clear (&image);
  shmv_test_tmpdir_remove (dir);
}

/* One side longer than the whole budget is stopped by libpng's own limits. */
static void
test_max_pixels_one_side (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autoptr (GBytes) bytes = png_test_header_only (2000, 1);
  g_autofree char *path =
      write_temp_file (dir, "wide.png", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  ShmvPngOptions options = { .max_pixels = 1000 };
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, &options, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  shmv_test_tmpdir_remove (dir);
}

/* Broken and missing files */

static void
test_truncated (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_spec_file (dir, "whole.png", 33, 17, PNG_COLOR_TYPE_RGB, 8, FALSE);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  /* In the signature, in IHDR, in IDAT, without IEND, in IEND's CRC. */
  gsize cuts[] = { 4, 8, 20, 33, 45, len / 2, len - 12, len - 1 };
  for (gsize i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *name = g_strdup_printf ("cut-%" G_GSIZE_FORMAT ".png", cuts[i]);
      g_autofree char *cut_path = write_temp_file (dir, name, data, cuts[i]);
      ShmvImage image;
      ShmvStatus status;
      gboolean ok;

      ok = shmv_png_load (cut_path, NULL, &image, &status);
      g_test_message ("%s", status.message);
      assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
    }
  shmv_test_tmpdir_remove (dir);
}

static void
test_empty_file (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_temp_file (dir, "empty.png", "", 0);
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, NULL, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  g_assert_true (g_str_has_prefix (status.message, path));
  shmv_test_tmpdir_remove (dir);
}

static void
test_not_a_png (void)
{
  static const char text[] = "This is a text file, not a PNG image at all.\n";
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_temp_file (dir, "text.png", text, sizeof text - 1);
  g_autofree char *expected = g_strconcat (path, ": Not a PNG file", NULL);
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, NULL, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IMAGE, &image);
  g_assert_cmpstr (status.message, ==, expected);
  shmv_test_tmpdir_remove (dir);
}

static void
test_missing_file_gives_io (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "no-such.png", NULL);
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (path, NULL, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IO, &image);
  g_assert_cmpint (status.sys_errno, ==, ENOENT);
  g_assert_true (g_str_has_prefix (status.message, path));
  g_assert_true (g_str_has_suffix (status.message, g_strerror (ENOENT)));
  shmv_test_tmpdir_remove (dir);
}

static void
test_directory_gives_io (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  ShmvImage image;
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_load (dir, NULL, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_IO, &image);
  g_assert_cmpint (status.sys_errno, ==, EISDIR);
  g_assert_true (g_str_has_prefix (status.message, dir));
  shmv_test_tmpdir_remove (dir);
}

static void
load_unreadable (gconstpointer path)
{
  ShmvImage image;
  ShmvStatus status;
  gboolean ok = shmv_png_load (path, NULL, &image, &status);

  assert_failed_with (ok, &status, SHMV_ERROR_IO, &image);
  g_assert_cmpint (status.sys_errno, ==, EACCES);
}

static void
test_unreadable_gives_io (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_spec_file (dir, "secret.png", 3, 3, PNG_COLOR_TYPE_RGB, 8, FALSE);

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  shmv_test_run_unprivileged (dir, load_unreadable, path);
  shmv_test_tmpdir_remove (dir);
}

static void
test_invalid_arguments (void)
{
  ShmvImage image;
  ShmvStatus status;

  g_assert_false (shmv_png_load (NULL, NULL, &image, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_png_load ("/nonexistent.png", NULL, NULL, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  /* A NULL status is allowed: the caller only wants to know whether. */
  g_assert_false (shmv_png_load ("/nonexistent/file.png", NULL, &image, NULL));
}

/* Progress and cancellation */

typedef struct
{
  GArray *fractions;
  double cancel_at; /* return false from this fraction on */
} Progress;

static bool
record_progress (double fraction, void *user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->fractions, fraction);
  return fraction < progress->cancel_at;
}

static void
check_progress (gboolean interlaced)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path =
      write_spec_file (dir, "p.png", 33, 170, PNG_COLOR_TYPE_RGB_ALPHA, 8, interlaced);
  Progress progress = { g_array_new (FALSE, FALSE, sizeof (double)), 2.0 };
  ShmvPngOptions options = { .progress = record_progress, .user_data = &progress };
  ShmvImage image;
  ShmvStatus status;
  double last = 0;
  gboolean ok;

  ok = shmv_png_load (path, &options, &image, &status);
  assert_loaded (ok, &status, &image);
  g_assert_cmpuint (progress.fractions->len, >, 4);
  for (guint i = 0; i < progress.fractions->len; i++)
    {
      double f = g_array_index (progress.fractions, double, i);

      g_assert_cmpfloat (f, >, last);
      g_assert_cmpfloat (f, <=, 1.0);
      last = f;
    }
  g_assert_cmpfloat (last, ==, 1.0);
  shmv_image_clear (&image);
  g_array_unref (progress.fractions);
  shmv_test_tmpdir_remove (dir);
}

static void
test_progress (void)
{
  check_progress (FALSE);
}

static void
test_progress_interlaced (void)
{
  check_progress (TRUE);
}

static void
test_cancel (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_spec_file (dir, "c.png", 33, 170, PNG_COLOR_TYPE_RGB, 16, FALSE);
  Progress progress = { g_array_new (FALSE, FALSE, sizeof (double)), 0.5 };
  ShmvPngOptions options = { .progress = record_progress, .user_data = &progress };
  ShmvImage image;
  ShmvStatus status;
  double last;
  gboolean ok;

  ok = shmv_png_load (path, &options, &image, &status);
  assert_failed_with (ok, &status, SHMV_ERROR_CANCELLED, &image);
  g_assert_true (g_str_has_prefix (status.message, path));
  /* It stopped at the first "no". */
  last = g_array_index (progress.fractions, double, progress.fractions->len - 1);
  g_assert_cmpfloat (last, >=, 0.5);
  for (guint i = 0; i + 1 < progress.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (progress.fractions, double, i), <, 0.5);
  g_array_unref (progress.fractions);
  shmv_test_tmpdir_remove (dir);
}

static void
test_image_clear (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = write_spec_file (dir, "i.png", 5, 5, PNG_COLOR_TYPE_GRAY, 8, FALSE);
  ShmvImage image, zero = { 0 };
  ShmvStatus status;

  g_assert_true (shmv_png_load (path, NULL, &image, &status));
  shmv_image_clear (&image);
  g_assert_cmpmem (&image, sizeof image, &zero, sizeof zero);
  shmv_image_clear (&image);
  shmv_image_clear (NULL);
  shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_pngsuite_tests ();
  add_corpus_tests ();
  g_test_add_func ("/png/load/oversize-header-fails-fast", test_oversize_header_fails_fast);
  g_test_add_func ("/png/load/max-pixels-option-honoured", test_max_pixels_option);
  g_test_add_func ("/png/load/max-pixels-one-side", test_max_pixels_one_side);
  g_test_add_func ("/png/load/truncated-gives-image-error", test_truncated);
  g_test_add_func ("/png/load/empty-file-gives-image-error", test_empty_file);
  g_test_add_func ("/png/load/text-file-gives-not-a-png", test_not_a_png);
  g_test_add_func ("/png/load/missing-file-gives-io", test_missing_file_gives_io);
  g_test_add_func ("/png/load/directory-gives-io", test_directory_gives_io);
  g_test_add_func ("/png/load/unreadable-file-gives-io", test_unreadable_gives_io);
  g_test_add_func ("/png/load/invalid-arguments", test_invalid_arguments);
  g_test_add_func ("/png/load/progress-rises-to-one", test_progress);
  g_test_add_func ("/png/load/progress-rises-to-one-interlaced", test_progress_interlaced);
  g_test_add_func ("/png/load/progress-false-cancels", test_cancel);
  g_test_add_func ("/png/image/clear-frees-and-zeroes", test_image_clear);

  return g_test_run ();
}
