/* test-png-save.c: shmv_png_save() round trips every format, replaces files
 * atomically and leaves nothing behind when it fails
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const ShmvFormat all_formats[] = { SHMV_FORMAT_RGB8, SHMV_FORMAT_RGBA8, SHMV_FORMAT_RGB16,
                                          SHMV_FORMAT_RGBA16 };

/* An image of the test pattern, rows @pad bytes longer than they need be. */
static ShmvImage
random_image (ShmvFormat format, guint32 width, guint32 height, gsize pad, guint32 seed)
{
  ShmvImage image = { .width = width, .height = height, .format = format };

  image.stride = (gsize) width * shmv_format_bytes_per_pixel (format) + pad;
  image.pixels = shmv_test_pattern_new (image.stride * height, seed);
  return image;
}

static void
free_image (ShmvImage *image)
{
  g_free (image->pixels);
  memset (image, 0, sizeof *image);
}

static void
assert_dir_holds (const char *dir, const char *const *names)
{
  g_auto (GStrv) found = shmv_test_dir_list (dir);

  g_assert_cmpstrv (found, names);
}

static void
assert_save_failed (gboolean ok, const ShmvStatus *status, ShmvError code, const char *path)
{
  g_assert_false (ok);
  g_assert_cmpstr (shmv_error_name (status->code), ==, shmv_error_name (code));
  g_assert_true (g_str_has_prefix (status->message, path));
}

/* What was saved loads back bit for bit, and the file itself holds the
 * right samples (big-endian on disk), as the reference decoder reads them. */
static void
check_roundtrip (ShmvFormat format, gsize pad)
{
  static const char *const only_out[] = { "out.png", NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  ShmvImage saved = random_image (format, 37, 23, pad, format * 10 + (guint32) pad);
  ShmvImage loaded;
  ShmvStatus status;
  PngTestPixels want = { 0 }, got = { 0 }, in_file = { 0 };
  gboolean ok;

  ok = shmv_png_save (path, saved.pixels, saved.width, saved.height, saved.stride, format, &status);
  g_assert_cmpstr (status.message, ==, "");
  g_assert_true (ok);
  assert_dir_holds (dir, only_out);

  ok = shmv_png_load (path, NULL, &loaded, &status);
  g_assert_cmpstr (status.message, ==, "");
  g_assert_true (ok);
  g_assert_cmpint (loaded.format, ==, format);
  png_test_pixels_from_image (&saved, &want);
  png_test_pixels_from_image (&loaded, &got);
  png_test_assert_pixels_equal (&got, &want, "loaded back");
  png_test_reference_decode (path, &in_file);
  png_test_assert_pixels_equal (&in_file, &want, "in the file");

  png_test_pixels_clear (&want);
  png_test_pixels_clear (&got);
  png_test_pixels_clear (&in_file);
  shmv_image_clear (&loaded);
  free_image (&saved);
  shmv_test_tmpdir_remove (dir);
}

static void
test_roundtrip (gconstpointer data)
{
  check_roundtrip (GPOINTER_TO_INT (data), 0);
}

static void
test_roundtrip_strided (gconstpointer data)
{
  check_roundtrip (GPOINTER_TO_INT (data), 13);
}

static void
test_missing_directory (void)
{
  static const char *const nothing[] = { NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "no-such-dir", "out.png", NULL);
  ShmvImage image = random_image (SHMV_FORMAT_RGB8, 4, 4, 0, 1);
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_save (path, image.pixels, 4, 4, image.stride, image.format, &status);
  assert_save_failed (ok, &status, SHMV_ERROR_IO, path);
  g_assert_cmpint (status.sys_errno, ==, ENOENT);
  assert_dir_holds (dir, nothing);
  free_image (&image);
  shmv_test_tmpdir_remove (dir);
}

/* The new file takes the name in one step: a reader holding the old file
 * open still sees the old content, never a mix. */
static void
test_replaces_atomically (void)
{
  static const char *const only_out[] = { "out.png", NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  ShmvImage first = random_image (SHMV_FORMAT_RGBA8, 20, 10, 0, 2);
  ShmvImage second = random_image (SHMV_FORMAT_RGB16, 7, 9, 0, 3);
  g_autofree char *old_bytes = NULL;
  g_autofree char *new_bytes = NULL;
  gsize old_len, new_len;
  struct stat before, after;
  ShmvStatus status;
  FILE *old_file;
  char head[8];

  g_assert_true (shmv_png_save (path, first.pixels, 20, 10, first.stride, first.format, &status));
  g_assert_true (g_file_get_contents (path, &old_bytes, &old_len, NULL));
  old_file = fopen (path, "rb");
  g_assert_nonnull (old_file);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  g_assert_true (shmv_png_save (path, second.pixels, 7, 9, second.stride, second.format, &status));
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_cmpuint (fread (head, 1, sizeof head, old_file), ==, sizeof head);
  g_assert_cmpmem (head, sizeof head, old_bytes, sizeof head);
  fclose (old_file);
  g_assert_true (g_file_get_contents (path, &new_bytes, &new_len, NULL));
  g_assert_true (new_len != old_len || memcmp (new_bytes, old_bytes, new_len) != 0);
  assert_dir_holds (dir, only_out);

  free_image (&first);
  free_image (&second);
  shmv_test_tmpdir_remove (dir);
}

/* A write that fails half-way (here: at the file size limit) leaves the old
 * file as it was and no temporary file. The limit is process-wide, so the
 * save runs in a child. */
static void
failed_write_child (void)
{
  const char *path = g_getenv ("SHMV_TEST_SAVE_PATH");
  /* Random bytes hardly compress: far over the limit below. */
  ShmvImage image = random_image (SHMV_FORMAT_RGBA8, 256, 256, 0, 4);
  struct rlimit limit;
  ShmvStatus status;
  gboolean ok;

  g_assert_nonnull (path);
  /* EFBIG instead of the signal. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  limit.rlim_cur = 16 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  ok = shmv_png_save (path, image.pixels, 256, 256, image.stride, image.format, &status);
  assert_save_failed (ok, &status, SHMV_ERROR_OUT_OF_RESOURCES, path);
  g_assert_cmpint (status.sys_errno, ==, EFBIG);
  free_image (&image);
}

static void
test_failed_write_keeps_old (void)
{
  static const char *const only_out[] = { "out.png", NULL };
  static const char old_content[] = "the previous file";
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *after = NULL;

  if (g_test_subprocess ())
    {
      failed_write_child ();
      return;
    }
  dir = shmv_test_tmpdir_new ();
  path = g_build_filename (dir, "out.png", NULL);
  g_assert_true (g_file_set_contents (path, old_content, -1, NULL));
  g_setenv ("SHMV_TEST_SAVE_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, old_content);
  assert_dir_holds (dir, only_out);
  shmv_test_tmpdir_remove (dir);
}

/* rename() over a directory fails after the whole file was written: the
 * temporary file must go. */
static void
test_over_directory (void)
{
  static const char *const only_target[] = { "target.png", NULL };
  static const char *const only_inner[] = { "inner", NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "target.png", NULL);
  g_autofree char *inner = g_build_filename (path, "inner", NULL);
  ShmvImage image = random_image (SHMV_FORMAT_RGB8, 8, 8, 0, 5);
  ShmvStatus status;
  gboolean ok;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inner, "x", -1, NULL));
  ok = shmv_png_save (path, image.pixels, 8, 8, image.stride, image.format, &status);
  assert_save_failed (ok, &status, SHMV_ERROR_IO, path);
  g_assert_cmpint (status.sys_errno, ==, EISDIR);
  assert_dir_holds (dir, only_target);
  assert_dir_holds (path, only_inner);
  free_image (&image);
  shmv_test_tmpdir_remove (dir);
}

static void
save_into_read_only (gconstpointer dir)
{
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  ShmvImage image = random_image (SHMV_FORMAT_RGB8, 8, 8, 0, 6);
  ShmvStatus status;
  gboolean ok;

  ok = shmv_png_save (path, image.pixels, 8, 8, image.stride, image.format, &status);
  assert_save_failed (ok, &status, SHMV_ERROR_PERMISSION_DENIED, path);
  g_assert_cmpint (status.sys_errno, ==, EACCES);
  free_image (&image);
}

static void
test_read_only_directory (void)
{
  static const char *const nothing[] = { NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();

  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  shmv_test_run_unprivileged (dir, save_into_read_only, dir);
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  assert_dir_holds (dir, nothing);
  shmv_test_tmpdir_remove (dir);
}

static void
test_invalid_arguments (void)
{
  static const char *const nothing[] = { NULL };
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  ShmvImage image = random_image (SHMV_FORMAT_RGBA16, 8, 8, 0, 7);
  ShmvStatus status;

  g_assert_false (shmv_png_save (path, image.pixels, 8, 8, 64, SHMV_FORMAT_INVALID, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_png_save (path, image.pixels, 8, 8, 63, SHMV_FORMAT_RGBA16, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_png_save (path, image.pixels, 0, 8, 64, SHMV_FORMAT_RGBA16, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_png_save (path, NULL, 8, 8, 64, SHMV_FORMAT_RGBA16, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_png_save (NULL, image.pixels, 8, 8, 64, SHMV_FORMAT_RGBA16, &status));
  g_assert_cmpint (status.code, ==, SHMV_ERROR_INVALID_ARGUMENT);
  assert_dir_holds (dir, nothing);
  free_image (&image);
  shmv_test_tmpdir_remove (dir);
}

/* A new file gets its permissions from the umask, like any other. */
static void
test_mode_follows_umask (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  ShmvImage image = random_image (SHMV_FORMAT_RGB8, 2, 2, 0, 8);
  mode_t masks[] = { 022, 077, 002 };
  mode_t old_mask = umask (022);

  for (gsize i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      struct stat st;
      ShmvStatus status;

      umask (masks[i]);
      g_unlink (path); /* new each time: an existing file keeps its mode */
      g_assert_true (shmv_png_save (path, image.pixels, 2, 2, image.stride, image.format, &status));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~masks[i]);
    }
  umask (old_mask);
  free_image (&image);
  shmv_test_tmpdir_remove (dir);
}

/* A 4K frame with photo-like content (smooth gradients and noise) saves in
 * well under a second; the bound is loose for slow CI machines. */
static void
test_4k_is_fast (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "4k.png", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  guint32 width = 3840, height = 2160;
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  ShmvStatus status;
  gint64 start, elapsed;

  for (guint32 y = 0; y < height; y++)
    for (guint32 x = 0; x < width; x++)
      {
        guint8 *p = pixels + ((gsize) y * width + x) * 4;

        p[0] = (guint8) (x / 15 + g_rand_int_range (rand, 0, 4));
        p[1] = (guint8) (y / 9 + g_rand_int_range (rand, 0, 4));
        p[2] = (guint8) ((x + y) / 24);
        p[3] = 255;
      }
  start = g_get_monotonic_time ();
  g_assert_true (
      shmv_png_save (path, pixels, width, height, (gsize) width * 4, SHMV_FORMAT_RGBA8, &status));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("saved 3840x2160 RGBA8 in %" G_GINT64_FORMAT " ms", elapsed / 1000);
  /* Under valgrind everything is 20 times slower; time nothing there. */
  if (strstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "vgpreload") == NULL)
    g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (all_formats); i++)
    {
      const char *name = shmv_format_name (all_formats[i]);
      g_autofree char *packed = g_strconcat ("/png/save/roundtrip/", name, NULL);
      g_autofree char *strided = g_strconcat ("/png/save/roundtrip-strided/", name, NULL);

      g_test_add_data_func (packed, GINT_TO_POINTER (all_formats[i]), test_roundtrip);
      g_test_add_data_func (strided, GINT_TO_POINTER (all_formats[i]), test_roundtrip_strided);
    }
  g_test_add_func ("/png/save/missing-directory-gives-io", test_missing_directory);
  g_test_add_func ("/png/save/replaces-existing-atomically", test_replaces_atomically);
  g_test_add_func ("/png/save/failed-write-keeps-old-file", test_failed_write_keeps_old);
  g_test_add_func ("/png/save/over-directory-leaves-no-temp", test_over_directory);
  g_test_add_func ("/png/save/read-only-directory-gives-permission-denied",
                   test_read_only_directory);
  g_test_add_func ("/png/save/invalid-arguments-create-nothing", test_invalid_arguments);
  g_test_add_func ("/png/save/mode-follows-umask", test_mode_follows_umask);
  g_test_add_func ("/png/save/4k-rgba8-is-fast", test_4k_is_fast);

  return g_test_run ();
}
