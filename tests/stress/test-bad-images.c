/* test-bad-images.c: decompression bombs and absurd dimensions
 *
 * Scenario 5 of docs/RELIABILITY.md (with the fuzzers in tests/fuzz). The
 * PNG files are made here, byte by byte: an IHDR that declares 100000 x
 * 100000 pixels with a few bytes of data, a complete 20000 x 20000 image
 * whose IDAT is 1.6 GB of zeros deflated to a couple of MB, a 16384 x 16384
 * one (exactly the default limit) cut short, and ancillary chunks that
 * inflate to hundreds of MB. Each is decoded in a child process whose
 * address space is limited (RLIMIT_AS) to a little more than it uses, so an
 * allocation for the pixels would fail: "refused before allocation" is then
 * SHMV_ERROR_IMAGE from the size check, not OUT_OF_RESOURCES from malloc.
 * Under ASan (whose shadow memory needs terabytes of address space) the
 * limit is left out and the rest is checked.
 *
 * What it proves, and what breaks it: decoder_check_size() and
 * png_set_user_limits() in shmv-png.c refuse the size on IHDR, before
 * png_read_update_info() and before malloc; skipping iCCP/zTXt/iTXt/tEXt and
 * png_set_chunk_malloc_max() defuse ancillary bombs. Remove the size check
 * and the absurd image fails with OUT_OF_RESOURCES under the limit (or eats
 * gigabytes without it); stop skipping iCCP and the ancillary bomb needs
 * its 256 MB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* Room for what a decode needs besides pixels (libpng, zlib, buffers). */
#define HEADROOM (96 << 20)

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray *png, const char *type, const guint8 *data, gsize len)
{
  uLong crc = crc32 (0, (const Bytef *) type, 4);

  if (len > 0)
    crc = crc32 (crc, data, (uInt) len);
  put_u32 (png, (guint32) len);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (png, data, (guint) len);
  put_u32 (png, (guint32) crc);
}

/* The signature and IHDR of an RGBA image of @depth bits, not interlaced. */
static GByteArray *
start_png_depth (guint32 width, guint32 height, guint8 depth)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GByteArray *png = g_byte_array_new ();
  GByteArray *ihdr = g_byte_array_new ();
  const guint8 rest[5] = { depth, 6, 0, 0, 0 };

  g_byte_array_append (png, signature, 8);
  put_u32 (ihdr, width);
  put_u32 (ihdr, height);
  g_byte_array_append (ihdr, rest, 5);
  put_chunk (png, "IHDR", ihdr->data, ihdr->len);
  g_byte_array_unref (ihdr);
  return png;
}

static GByteArray *
start_png (guint32 width, guint32 height)
{
  return start_png_depth (width, height, 8);
}

/* Deflates @total bytes of zeros (rows of @row_bytes with filter 0, if
 * @row_bytes > 0), stopping once @max_out bytes are out (a truncated file). */
static GByteArray *
deflate_zeros (guint64 total, gsize max_out)
{
  GByteArray *out = g_byte_array_new ();
  static guint8 zeros[1 << 16];
  guint8 buf[1 << 16];
  z_stream z = { 0 };
  int flush;

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 15, 9, Z_RLE), ==, Z_OK);
  do
    {
      gsize n = (gsize) MIN (total, sizeof zeros);

      total -= n;
      flush = total == 0 ? Z_FINISH : Z_NO_FLUSH;
      z.next_in = zeros;
      z.avail_in = (uInt) n;
      do
        {
          z.next_out = buf;
          z.avail_out = sizeof buf;
          deflate (&z, flush);
          g_byte_array_append (out, buf, sizeof buf - z.avail_out);
        }
      while (z.avail_out == 0);
    }
  while (flush != Z_FINISH && out->len < max_out);
  deflateEnd (&z);
  return out;
}

/* Writes @png (consumed) to a temporary file; returns its path. */
static char *
save_png (GByteArray *png, const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("shmv-bomb-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) png->data, png->len, NULL));
  g_byte_array_unref (png);
  return path;
}

static void
remove_png (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* A PNG of @width x @height whose IDAT inflates to @zero_bytes of zeros,
 * cut after @max_idat bytes of compressed data; with @text_bomb an iCCP
 * chunk that inflates to 256 MB comes first. */
static char *
make_bomb (guint32 width, guint32 height, guint64 zero_bytes, gsize max_idat, gboolean text_bomb)
{
  GByteArray *png = start_png (width, height);
  GByteArray *idat = deflate_zeros (zero_bytes, max_idat);

  if (text_bomb)
    {
      GByteArray *profile = deflate_zeros (G_GUINT64_CONSTANT (256) << 20, G_MAXSIZE);
      GByteArray *iccp = g_byte_array_new ();

      g_byte_array_append (iccp, (const guint8 *) "bomb\0\0", 6); /* name, NUL, method 0 */
      g_byte_array_append (iccp, profile->data, profile->len);
      put_chunk (png, "iCCP", iccp->data, iccp->len);
      g_byte_array_unref (iccp);
      g_byte_array_unref (profile);
    }
  for (guint off = 0; off < idat->len; off += 1 << 20)
    put_chunk (png, "IDAT", idat->data + off, MIN (1u << 20, idat->len - off));
  if (idat->len < max_idat)
    put_chunk (png, "IEND", NULL, 0);
  g_byte_array_unref (idat);
  return save_png (png, "bomb.png");
}

typedef struct
{
  const char *path;
  guint64 max_pixels;
  gboolean limit_memory;
} Decode;

/* In a child: limits the address space, decodes, exits with the error code. */
static int
decode_main (gpointer data)
{
  Decode *d = data;
  ShmvPngOptions options = { .max_pixels = d->max_pixels };
  ShmvImage image;
  ShmvStatus status;
  gint64 vm = stress_rss_kib (getpid (), "VmSize");

  if (d->limit_memory)
    {
      struct rlimit limit;

      limit.rlim_cur = limit.rlim_max = (rlim_t) vm * 1024 + HEADROOM;
      if (setrlimit (RLIMIT_AS, &limit) < 0)
        return 100;
    }
  if (shmv_png_load (d->path, &options, &image, &status))
    {
      shmv_image_clear (&image);
      return SHMV_ERROR_NONE;
    }
  g_printerr ("# %s: %s\n", shmv_error_name (status.code), status.message);
  return status.code;
}

static gint64
children_cpu_us (void)
{
  struct rusage usage;

  g_assert_no_errno (getrusage (RUSAGE_CHILDREN, &usage));
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* Decodes @path in a limited child; returns the error code and the CPU time
 * the child used in *@took_us: what decoding cost, whatever else the machine
 * does meanwhile. The child must not die of a signal. */
static ShmvError
decode_limited (const char *path, guint64 max_pixels, gint64 *took_us)
{
  Decode d = { path, max_pixels, !stress_under_asan () };
  gint64 start = children_cpu_us ();
  int status = stress_wait (stress_fork (decode_main, &d), 60000);

  *took_us = children_cpu_us () - start;
  g_assert_true (status != -1 && WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 100);
  return (ShmvError) WEXITSTATUS (status);
}

static void
test_absurd_dimensions (void)
{
  static const guint32 sizes[][2] = {
    { 100000, 100000 }, { 0x7FFFFFFF, 1 }, { 1, 0x7FFFFFFF }, { 65536, 65536 }, { 16385, 16384 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = make_bomb (sizes[i][0], sizes[i][1], 4096, 4096, FALSE);
      gint64 took;

      g_assert_cmpint (decode_limited (path, 0, &took), ==, SHMV_ERROR_IMAGE);
      g_assert_cmpint (took, <, G_USEC_PER_SEC);
      remove_png (path);
    }
  stress_figure ("bad-images", "absurd_dimensions_refused", "%zu", G_N_ELEMENTS (sizes));
}

/* A complete image over the limit: refused on IHDR, its 1.6 GB never inflated. */
static void
test_zero_idat_bomb_over_limit (void)
{
  guint64 raw = (guint64) 20000 * (1 + 20000 * 4);
  g_autofree char *path = make_bomb (20000, 20000, raw, G_MAXSIZE, FALSE);
  GStatBuf st;
  gint64 took;

  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (decode_limited (path, 0, &took), ==, SHMV_ERROR_IMAGE);
  stress_figure ("bad-images", "zero_bomb_file_bytes", "%" G_GINT64_FORMAT, (gint64) st.st_size);
  stress_figure ("bad-images", "zero_bomb_inflated_bytes", "%" G_GUINT64_FORMAT, raw);
  stress_figure ("bad-images", "zero_bomb_refused_us", "%" G_GINT64_FORMAT, took);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  remove_png (path);
}

/* Within the default limit, but over the caller's: refused the same way. */
static void
test_caller_limit_refuses_before_allocation (void)
{
  g_autofree char *path = make_bomb (16384, 16384, 4096, 4096, FALSE);
  gint64 took;

  g_assert_cmpint (decode_limited (path, G_GUINT64_CONSTANT (1) << 24, &took), ==,
                   SHMV_ERROR_IMAGE);
  remove_png (path);
}

/* Exactly the default limit (1 GiB of RGBA8) in a file of a few KB: legal,
 * so the decoder may allocate; under a 96 MB headroom it must fail cleanly. */
static void
test_truncated_giant_fails_cleanly (void)
{
  g_autofree char *path = make_bomb (16384, 16384, (guint64) 16384 * (1 + 16384 * 4), 4096, FALSE);
  ShmvError code;
  gint64 took;

  code = decode_limited (path, 0, &took);
  stress_figure ("bad-images", "truncated_giant_error", "%s", shmv_error_name (code));
  g_assert_true (code == SHMV_ERROR_IMAGE || code == SHMV_ERROR_OUT_OF_RESOURCES);
  if (stress_under_asan ())
    g_assert_cmpint (code, ==, SHMV_ERROR_IMAGE);
  remove_png (path);
}

/* An iCCP chunk that inflates to 256 MB in front of a small valid image. */
static void
test_ancillary_bomb_skipped (void)
{
  g_autofree char *path = make_bomb (64, 64, 64 * (1 + 64 * 4), G_MAXSIZE, TRUE);
  gint64 took;

  g_assert_cmpint (decode_limited (path, 0, &took), ==, SHMV_ERROR_NONE);
  stress_figure ("bad-images", "iccp_bomb_decode_us", "%" G_GINT64_FORMAT, took);
  remove_png (path);
}

/* A 100-byte file whose ancillary chunk declares 1.75 GiB of data. */
static char *
make_long_chunk (const char *type)
{
  GByteArray *png = start_png (32, 32);
  static const guint8 zeros[64];

  put_u32 (png, 0x70000000);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, zeros, sizeof zeros);
  return save_png (png, "long-chunk.png");
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
/* ASan's allocator reserves its space up front, so VmPeak says nothing
 * there; its allocation hooks see every request instead (declared here:
 * Debian's GCC ships the function, not its header). */
int __sanitizer_install_malloc_and_free_hooks (void (*malloc_hook) (const volatile void *, size_t),
                                               void (*free_hook) (const volatile void *));
static size_t largest_allocation;

static void
note_malloc (const volatile void *ptr, size_t size)
{
  largest_allocation = MAX (largest_allocation, size);
}

static void
note_free (const volatile void *ptr)
{
}
#endif

/* How much the decoder may have allocated so far, in KiB. */
static gint64
allocated_kib (void)
{
#ifdef UNDER_ASAN
  return (gint64) (largest_allocation / 1024);
#else
  return stress_rss_kib (getpid (), "VmPeak");
#endif
}

/* In a child: how much the peak address space grew while decoding (under
 * ASan: the largest allocation). */
static int
peak_growth_main (gpointer data)
{
  ShmvImage image;
  ShmvStatus status;
  gint64 before;

#ifdef UNDER_ASAN
  __sanitizer_install_malloc_and_free_hooks (note_malloc, note_free);
#endif
  before = allocated_kib ();
  if (shmv_png_load (data, NULL, &image, &status))
    shmv_image_clear (&image);
  /* In MiB, so that it fits an exit status. */
  return (int) MIN (255, (allocated_kib () - before) / 1024 / 16);
}

/* libpng 1.6.39 reports an over-long ancillary chunk as a benign error (a
 * warning when reading) and then allocates its declared length all the
 * same: for the chunks shmview neither uses nor skips (found by fuzz-png). */
static void
test_long_ancillary_chunk_not_allocated (void)
{
  static const char *const types[] = { "sPLT", "eXIf", "pCAL", "sCAL" };
  GString *allocated = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = make_long_chunk (types[i]);
      int status = stress_wait (stress_fork (peak_growth_main, path), 30000);

      g_assert_true (WIFEXITED (status));
      g_test_message ("%s: address space grew by %d MiB", types[i], WEXITSTATUS (status) * 16);
      if (WEXITSTATUS (status) * 16 >= 256)
        g_string_append_printf (allocated, " %s", types[i]);
      remove_png (path);
    }
  if (allocated->len > 0)
    {
      g_autofree char *what = g_strdup_printf (
          "shmv-png.c, decoder_set_limits(): a chunk declaring 1.75 GiB makes libpng allocate it "
          "(chunks:%s), despite png_set_chunk_malloc_max(): libpng only warns. Add sPLT, eXIf, "
          "pCAL and sCAL to the skipped chunks (shmview uses none of them)",
          allocated->str);

      stress_protection_failed (what);
    }
  g_string_free (allocated, TRUE);
}

/* Publishing a bomb leaves the channel as it was: no growth, same frame. */
static void
test_bomb_publish_keeps_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("bomb-publish");
  g_autofree char *path = make_bomb (100000, 100000, 4096, 4096, FALSE);
  gpointer scratch = g_malloc (32 * 32 * 4);
  ShmvChannel *ch;
  gsize size;
  guint32 generation;

  stress_register_key (key);
  ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (ch, 32, 32, 6, scratch));
  size = shmv_channel_segment_size (ch);
  generation = shmv_channel_generation (ch);
  g_assert_false (shmv_channel_publish_png (ch, path, NULL));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_IMAGE);
  g_assert_cmpuint (shmv_channel_segment_size (ch), ==, size);
  g_assert_cmpuint (shmv_channel_generation (ch), ==, generation);
  shmv_channel_free (ch);
  stress_assert_nothing_left (key, -1);
  remove_png (path);
  g_free (scratch);
}

/* The bytes of a stream that claims 8192 x 8192 RGBA16 (512 MiB of pixels)
 * and holds a few hundred bytes: the stream of issue 9, defect 6. */
static GByteArray *
make_stream_bomb (void)
{
  GByteArray *png = start_png_depth (8192, 8192, 16);
  GByteArray *idat = deflate_zeros (1 << 16, G_MAXSIZE);

  put_chunk (png, "IDAT", idat->data, idat->len);
  put_chunk (png, "IEND", NULL, 0);
  g_byte_array_unref (idat);
  return png;
}

/* Publishes @path (a pipe or FIFO carrying a stream bomb) into a channel
 * holding a small frame: refused, and the channel exactly as it was. */
static void
assert_stream_publish_refused (const char *key, const char *path, const char *why)
{
  gpointer scratch = g_malloc (32 * 32 * 4);
  ShmvChannel *ch;
  gsize size;
  guint32 generation;

  ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (ch, 32, 32, 6, scratch));
  size = shmv_channel_segment_size (ch);
  generation = shmv_channel_generation (ch);
  g_assert_false (shmv_channel_publish_png (ch, path, NULL));
  g_test_message ("%s", shmv_channel_error_string (ch));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_IMAGE);
  if (shmv_channel_segment_size (ch) != size)
    stress_protection_failed ("shmv-png.c, decoder_check_size(): the bomb bound is skipped for "
                              "streams (st_size 0), and the channel grew before decoding");
  g_assert_nonnull (strstr (shmv_channel_error_string (ch), why));
  g_assert_cmpuint (shmv_channel_generation (ch), ==, generation);
  shmv_channel_free (ch);
  stress_assert_nothing_left (key, -1);
  g_free (scratch);
}

static void
test_stream_bomb_from_pipe (void)
{
  g_autofree char *key = shmv_test_unique_key ("bomb-pipe");
  GByteArray *png = make_stream_bomb ();
  g_autofree char *path = NULL;
  int fds[2];

  stress_register_key (key);
  /* Small enough for the pipe's buffer: written whole, then the end. */
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], png->data, png->len), ==, (gssize) png->len);
  close (fds[1]);
  path = g_strdup_printf ("/dev/fd/%d", fds[0]);
  assert_stream_publish_refused (key, path, "are too few for");
  close (fds[0]);
  g_byte_array_unref (png);
}

typedef struct
{
  const char *path;
  GByteArray *png;
} FifoFeed;

static int
feed_fifo_main (gpointer data)
{
  FifoFeed *feed = data;
  int fd = open (feed->path, O_WRONLY | O_CLOEXEC);

  if (fd < 0 || write (fd, feed->png->data, feed->png->len) != (gssize) feed->png->len)
    return 1;
  close (fd);
  return 0;
}

static void
test_stream_bomb_from_fifo (void)
{
  g_autofree char *key = shmv_test_unique_key ("bomb-fifo");
  g_autofree char *dir = g_dir_make_tmp ("shmv-bomb-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bomb.png", NULL);
  FifoFeed feed = { path, make_stream_bomb () };
  pid_t child;

  stress_register_key (key);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  child = stress_fork (feed_fifo_main, &feed);
  assert_stream_publish_refused (key, path, "are too few for");
  g_assert_cmpint (stress_wait (child, 10000), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
  g_byte_array_unref (feed.png);
}

/* Something that is no PNG is not read on and on: /dev/zero fails at once. */
static void
test_endless_non_png_stream (void)
{
  g_autofree char *key = shmv_test_unique_key ("bomb-zero");

  stress_register_key (key);
  assert_stream_publish_refused (key, "/dev/zero", "Not a PNG");
}

typedef struct
{
  GByteArray *png;
  int fds[2];
} Endless;

/* In a child: writes the PNG's start, then junk until the reader is gone. */
static int
feed_forever_main (gpointer data)
{
  Endless *e = data;
  static guint8 junk[1 << 16];

  close (e->fds[0]);
  signal (SIGPIPE, SIG_IGN);
  if (write (e->fds[1], e->png->data, e->png->len) != (gssize) e->png->len)
    return 1;
  while (write (e->fds[1], junk, sizeof junk) > 0)
    ;
  return 0;
}

/* A PNG header followed by data without end is read only as far as its
 * image (16 x 16 here) could take, with room for other chunks. */
static void
test_endless_png_stream (void)
{
  g_autofree char *key = shmv_test_unique_key ("bomb-endless");
  g_autofree char *path = NULL;
  Endless e = { start_png (16, 16), { -1, -1 } };
  pid_t child;

  stress_register_key (key);
  g_assert_cmpint (pipe (e.fds), ==, 0);
  path = g_strdup_printf ("/dev/fd/%d", e.fds[0]);
  child = stress_fork (feed_forever_main, &e);
  close (e.fds[1]);
  assert_stream_publish_refused (key, path, "goes on past");
  close (e.fds[0]);
  g_assert_cmpint (stress_wait (child, 10000), ==, 0);
  g_byte_array_unref (e.png);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/bad-images/absurd-dimensions-refused-before-allocation",
                   test_absurd_dimensions);
  g_test_add_func ("/stress/bad-images/zero-idat-bomb-over-limit", test_zero_idat_bomb_over_limit);
  g_test_add_func ("/stress/bad-images/caller-limit-refuses-before-allocation",
                   test_caller_limit_refuses_before_allocation);
  g_test_add_func ("/stress/bad-images/truncated-giant-fails-cleanly",
                   test_truncated_giant_fails_cleanly);
  g_test_add_func ("/stress/bad-images/iccp-bomb-skipped", test_ancillary_bomb_skipped);
  g_test_add_func ("/stress/bad-images/long-ancillary-chunk-not-allocated",
                   test_long_ancillary_chunk_not_allocated);
  g_test_add_func ("/stress/bad-images/bomb-publish-keeps-channel",
                   test_bomb_publish_keeps_channel);
  g_test_add_func ("/stress/bad-images/stream-bomb-from-pipe-keeps-channel",
                   test_stream_bomb_from_pipe);
  g_test_add_func ("/stress/bad-images/stream-bomb-from-fifo-keeps-channel",
                   test_stream_bomb_from_fifo);
  g_test_add_func ("/stress/bad-images/endless-non-png-stream-refused-at-once",
                   test_endless_non_png_stream);
  g_test_add_func ("/stress/bad-images/endless-png-stream-read-as-far-as-its-image",
                   test_endless_png_stream);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
