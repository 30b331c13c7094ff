/* test-channel.c: the image channel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-channel-layout.h"
#include "shmv-names.h"
#include "shmv-segment-private.h"
#include "shmv-syslock.h"
#include "shmv-test-point.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

/* Child exits of test_reader_waits_without_inotify(). */
enum
{
  NO_INOTIFY_OPENED = 0,
  NO_INOTIFY_NOT_OPENED = 1,
  NO_INOTIFY_SETUP_FAILED = 2,
  NO_INOTIFY_FD_LIMIT_FIRST = 3,
};

/* Most tests need a key, a writer and a reader on it, and a buffer. */
typedef struct
{
  char *key;
  ShmvChannel *writer;
  ShmvChannel *reader;
  gpointer buf;
  gsize cap;
} Pair;

static void
pair_setup (Pair *p, gconstpointer data)
{
  p->key = shmv_test_unique_key (data);
  p->writer = shmv_test_open_channel (p->key, SHMV_CHANNEL_WRITER);
  p->reader = shmv_test_open_channel (p->key, SHMV_CHANNEL_READER);
  p->buf = NULL;
  p->cap = 0;
}

static void
pair_teardown (Pair *p, gconstpointer data)
{
  g_autofree char *native = g_strdup (shmv_channel_native_key (p->writer));

  shmv_channel_free (p->reader);
  shmv_channel_free (p->writer);
  g_free (p->buf);
  /* Gone with its last user. */
  g_assert_false (shmv_test_shm_exists (native));
  g_free (p->key);
}

static void
remove_channel (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  shmv_channel_remove (ch);
  shmv_channel_free (ch);
}

static void
test_roundtrip_every_format (Pair *p, gconstpointer data)
{

  for (ShmvFormat f = SHMV_FORMAT_RGB8; f <= SHMV_FORMAT_RGBA16; f++)
    {
      ShmvFrameInfo info;
      gsize len = (gsize) 33 * 17 * shmv_format_bytes_per_pixel (f);
      g_autofree guint8 *pixels = shmv_test_pattern_new (len, f);

      g_assert_true (shmv_channel_publish (p->writer, pixels, 33, 17, len / 17, f, "a.png"));
      g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
      g_assert_cmpuint (info.width, ==, 33);
      g_assert_cmpuint (info.height, ==, 17);
      g_assert_cmpint (info.format, ==, f);
      g_assert_cmpuint (info.stride, ==, 33 * shmv_format_bytes_per_pixel (f));
      g_assert_cmpint (info.writer_pid, ==, getpid ());
      g_assert_cmpstr (info.source_name, ==, "a.png");
      g_assert_cmphex (info.checksum, ==, shmv_checksum (pixels, len));
      g_assert_cmpuint (info.generation, ==, shmv_channel_generation (p->reader));
      g_assert_cmpmem (p->buf, len, pixels, len);
    }
}

static void
test_no_frame_before_publish (Pair *p, gconstpointer data)
{
  ShmvFrameInfo info;

  g_assert_cmpuint (shmv_channel_generation (p->reader), ==, 0);
  g_assert_false (shmv_channel_get_info (p->reader, &info));
  g_assert_cmpint (shmv_channel_error (p->reader), ==, SHMV_ERROR_NO_FRAME);
}

static void
test_reader_of_missing_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("missing");
  ShmvChannel *reader = shmv_channel_new (key);

  g_assert_false (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (shmv_channel_error_string (reader), key));
  g_assert_false (shmv_channel_open (reader, SHMV_CHANNEL_READER, 100));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_TIMEOUT);
  shmv_channel_free (reader);
}

static int waiting_fd = -1;

/* The reader is about to sleep until the channel appears: tell the writer. */
static void
announce_waiting (const char *point)
{
  if (strcmp (point, "open:waiting") == 0 && waiting_fd >= 0)
    {
      g_assert_cmpint (write (waiting_fd, "w", 1), ==, 1);
      close (waiting_fd);
      waiting_fd = -1;
    }
}

/* The writer creates the channel only once the reader waits for it (test
 * point "open:waiting"), and keeps it until the reader has seen its frame
 * (closing removes it): no sleep decides which path is tested. */
static void
test_reader_waits_for_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("appear");
  ShmvChannel *reader = shmv_channel_new (key);
  int status, waiting[2], done[2];
  pid_t pid;
  char byte = 0;

  g_assert_no_errno (pipe (waiting));
  g_assert_no_errno (pipe (done));
  pid = fork ();
  if (pid == 0)
    {
      ShmvChannel *writer = shmv_channel_new (key);

      close (waiting[1]);
      close (done[1]);
      if (read (waiting[0], &byte, 1) != 1)
        _exit (3); /* the reader never waited */
      if (!shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0))
        _exit (1);
      shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGBA8, 1);
      if (read (done[0], &byte, 1) != 0)
        _exit (2);
      shmv_channel_free (writer);
      _exit (0);
    }
  close (waiting[0]);
  close (done[0]);
  waiting_fd = waiting[1];
  shmv_test_point_hook = announce_waiting;
  g_assert_true (shmv_channel_open (reader, SHMV_CHANNEL_READER, 5000));
  shmv_test_point_hook = NULL;
  g_assert_cmpint (waiting_fd, ==, -1);
  g_assert_true (shmv_channel_wait (reader, 0, 5000));
  g_assert_cmpuint (shmv_channel_generation (reader), >, 0);
  close (done[1]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  shmv_channel_free (reader);
}

/* Child: as nobody in root's group, uses up nobody's inotify instances,
 * says "W" and waits up to 5 s for root's group-shared channel @key. */
static int
open_without_inotify (const char *key, int fd)
{
  ShmvChannel *reader = shmv_channel_new (key);

  if (setgroups (0, NULL) < 0 || setresgid (0, 0, 0) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return NO_INOTIFY_SETUP_FAILED;
  if (!shmv_test_use_up_inotify ())
    return NO_INOTIFY_FD_LIMIT_FIRST;
  shmv_channel_set_owner (reader, 0);
  if (write (fd, "W\n", 2) != 2)
    return NO_INOTIFY_SETUP_FAILED;
  if (!shmv_channel_open (reader, SHMV_CHANNEL_READER, 5000))
    {
      g_printerr ("child: %s\n", shmv_channel_error_string (reader));
      return NO_INOTIFY_NOT_OPENED;
    }
  return NO_INOTIFY_OPENED;
}

static void
test_reader_waits_without_inotify (void)
{
  g_autofree char *key = shmv_test_unique_key ("noinotify");
  ShmvChannel *writer = shmv_channel_new (key);
  GPid pid;
  int fd, status;
  char state;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to use up another user's inotify instances");
      shmv_channel_free (writer);
      return;
    }
  pid = shmv_test_fork (open_without_inotify, key, &fd);
  shmv_test_expect_line (fd, "W", 10000);
  /* Create the channel only once the child sleeps in open (or gave up):
   * never before its first look. */
  while ((state = shmv_test_task_state (pid, pid)) != 'S' && state != 'Z')
    g_usleep (1000);
  g_assert_true (shmv_channel_set_sharing (writer, SHMV_SHARING_GROUP));
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  status = shmv_test_wait (pid);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == NO_INOTIFY_FD_LIMIT_FIRST)
    g_test_skip ("the descriptor limit is below the inotify instance limit");
  else
    g_assert_cmpint (WEXITSTATUS (status), ==, NO_INOTIFY_OPENED);
  close (fd);
  shmv_channel_free (writer);
}

static void
test_larger_image_grows_and_reader_follows (Pair *p, gconstpointer data)
{
  ShmvFrameInfo info;
  guint32 sizes[] = { 16, 64, 300, 40, 1024, 8, 500 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      shmv_test_publish_seed (p->writer, sizes[i], sizes[i] / 2 + 1, SHMV_FORMAT_RGBA16,
                              (guint32) i);
      g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
      g_assert_cmpuint (info.width, ==, sizes[i]);
      g_assert_true (
          shmv_test_pattern_matches (p->buf, (gsize) info.stride * info.height, (guint32) i));
    }
  /* Steady sizes reuse space: at most the header plus the largest frames. */
  g_assert_cmpuint (shmv_channel_segment_size (p->writer), <=,
                    SHMV_SEGMENT_DATA_OFFSET + SHMV_CHANNEL_HEADER_SIZE +
                        3 * (1024 * 513 * 8 + 4096));
}

static void
test_padded_stride (void)
{
  g_autofree char *key = shmv_test_unique_key ("stride");
  ShmvChannel *ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  guint8 src[4][16];
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;

  for (int y = 0; y < 4; y++)
    for (int x = 0; x < 16; x++)
      src[y][x] = (guint8) (x < 9 ? y * 16 + x : 0xEE); /* 3 RGB pixels + padding */
  g_assert_true (shmv_channel_publish (ch, src, 3, 4, 16, SHMV_FORMAT_RGB8, NULL));
  g_assert_true (shmv_channel_read (ch, &buf, &cap, &info));
  g_assert_cmpuint (info.stride, ==, 9);
  for (int y = 0; y < 4; y++)
    g_assert_cmpmem ((guint8 *) buf + y * 9, 9, src[y], 9);
  g_assert_cmpstr (info.source_name, ==, "");
  g_free (buf);
  shmv_channel_free (ch);
}

static void
test_failed_publish_keeps_previous (Pair *p, gconstpointer data)
{
  ShmvFrameInfo info;
  guint32 generation;
  void *dest = NULL;
  size_t stride;

  shmv_test_publish_seed (p->writer, 32, 32, SHMV_FORMAT_RGB8, 5);
  generation = shmv_channel_generation (p->reader);
  g_assert_false (shmv_channel_publish (p->writer, NULL, 32, 32, 96, SHMV_FORMAT_RGB8, NULL));
  g_assert_cmpint (shmv_channel_error (p->writer), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_channel_publish (p->writer, &info, 0, 32, 96, SHMV_FORMAT_RGB8, NULL));
  g_assert_false (shmv_channel_publish (p->writer, &info, 1, 1, 3, SHMV_FORMAT_INVALID, NULL));
  /* 100000 x 100000 RGBA16 is 80 GB: more than /dev/shm; nothing is touched. */
  g_assert_false (
      shmv_channel_begin_frame (p->writer, 100000, 100000, SHMV_FORMAT_RGBA16, &dest, &stride));
  g_assert_cmpint (shmv_channel_error (p->writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_cmpuint (shmv_channel_generation (p->reader), ==, generation);
  g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
  g_assert_true (shmv_test_pattern_matches (p->buf, 32 * 32 * 3, 5));

  /* An aborted in-place frame changes nothing either. */
  g_assert_true (shmv_channel_begin_frame (p->writer, 8, 8, SHMV_FORMAT_RGB8, &dest, &stride));
  memset (dest, 0xAB, 8 * stride);
  shmv_channel_abort_frame (p->writer);
  g_assert_cmpuint (shmv_channel_generation (p->reader), ==, generation);
  g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
  g_assert_true (shmv_test_pattern_matches (p->buf, 32 * 32 * 3, 5));
}

static void
test_in_place_frame (void)
{
  g_autofree char *key = shmv_test_unique_key ("inplace");
  ShmvChannel *ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  guint8 *dest;
  gsize stride, len = (gsize) 50 * 20 * 4;
  g_autofree guint8 *expect = shmv_test_pattern_new (len, 9);
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;

  g_assert_true (
      shmv_channel_begin_frame (ch, 50, 20, SHMV_FORMAT_RGBA8, (void **) &dest, &stride));
  for (int y = 0; y < 20; y++)
    {
      memcpy (dest + y * stride, expect + y * stride, stride);
      if (y % 3 == 0)
        shmv_channel_rows_done (ch, y + 1);
    }
  g_assert_true (shmv_channel_commit_frame (ch, "in-place.png"));
  g_assert_true (shmv_channel_read (ch, &buf, &cap, &info));
  g_assert_cmpmem (buf, len, expect, len);
  g_assert_cmphex (info.checksum, ==, shmv_checksum (expect, len));
  g_free (buf);
  shmv_channel_free (ch);
}

/* Child: publishes frames of seed = its own frame count, forever or @n times. */
static int
publish_loop (const char *key, guint32 first_seed, int n, guint32 width)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    return 1;
  for (int i = 0; n < 0 || i < n; i++)
    shmv_test_publish_seed (ch, width, width, SHMV_FORMAT_RGBA8, first_seed + (guint32) i);
  shmv_channel_free (ch);
  return 0;
}

static void
test_killed_writer_never_tears_frames (Pair *p, gconstpointer data)
{
  GRand *rand = g_rand_new_with_seed (7);
  int frames_checked = 0;

  shmv_test_publish_seed (p->writer, 512, 512, SHMV_FORMAT_RGBA8, 0);
  for (int round = 0; round < 12; round++)
    {
      pid_t pid = fork ();
      gint64 until = g_get_monotonic_time () + g_rand_int_range (rand, 5, 60) * 1000;

      if (pid == 0)
        _exit (publish_loop (p->key, (guint32) round * 16, -1, 512));
      /* Read while it writes, then kill it at a random moment mid-stream. */
      while (g_get_monotonic_time () < until)
        {
          ShmvFrameInfo info;

          g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
          g_assert_true (
              shmv_test_pattern_matches (p->buf, 512 * 512 * 4, shmv_test_pattern_seed (p->buf)));
          frames_checked++;
        }
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      /* The survivor's frame is whole, and a new p->writer takes over at once. */
      g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, NULL));
      g_assert_true (
          shmv_test_pattern_matches (p->buf, 512 * 512 * 4, shmv_test_pattern_seed (p->buf)));
      shmv_test_publish_seed (p->writer, 512, 512, SHMV_FORMAT_RGBA8, 200);
    }
  g_test_message ("%d frames checked across 12 kills", frames_checked);
  g_rand_free (rand);
}

static void
test_two_writers_serialize (void)
{
  g_autofree char *key = shmv_test_unique_key ("twowriters");
  ShmvChannel *reader;
  ShmvChannel *keeper = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  pid_t a, b;
  int status;
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;
  guint32 last = 0;

  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  a = fork ();
  if (a == 0)
    _exit (publish_loop (key, 0, 150, 64));
  b = fork ();
  if (b == 0)
    _exit (publish_loop (key, 100, 150, 64));
  for (int i = 0; i < 300; i++)
    if (shmv_channel_read (reader, &buf, &cap, &info))
      {
        g_assert_true (shmv_test_pattern_matches (buf, 64 * 64 * 4, shmv_test_pattern_seed (buf)));
        g_assert_cmpuint (info.generation, >=, last); /* never backwards */
        last = info.generation;
      }
    else
      g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_NO_FRAME);
  g_assert_cmpint (waitpid (a, &status, 0), ==, a);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (waitpid (b, &status, 0), ==, b);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpuint (shmv_channel_generation (reader), ==, 300);
  g_free (buf);
  shmv_channel_free (reader);
  shmv_channel_free (keeper);
}

/* Child: report "R", sleep until the generation moves, report "W". */
static int
wait_for_a_frame (const char *key, int fd)
{
  ShmvChannel *reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  guint32 seen = shmv_channel_generation (reader);

  if (write (fd, "R\n", 2) != 2 || !shmv_channel_wait (reader, seen, 5000))
    return 1;
  if (write (fd, "W\n", 2) != 2)
    return 2;
  shmv_channel_free (reader);
  return 0;
}

static void
test_wait_wakes_and_times_out (void)
{
  g_autofree char *key = shmv_test_unique_key ("wait");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  int fd;
  GPid pid = shmv_test_fork (wait_for_a_frame, key, &fd);

  shmv_test_expect_line (fd, "R", 5000);
  g_assert_null (shmv_test_read_line (fd, 100)); /* asleep, not spinning past */
  shmv_test_publish_seed (writer, 4, 4, SHMV_FORMAT_RGB8, 1);
  shmv_test_expect_line (fd, "W", 5000);
  shmv_test_assert_exits_ok (pid);
  close (fd);

  g_assert_false (shmv_channel_wait (writer, shmv_channel_generation (writer), 50));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_TIMEOUT);
  shmv_channel_free (writer);
}

static void
test_hostile_header_never_crashes (Pair *p, gconstpointer data)
{
  ShmvSegment *seg = shmv_segment_new (p->key);
  GRand *rand = g_rand_new_with_seed (99);
  guint8 *header;
  int corrupt = 0, ok = 0;

  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  for (int i = 0; i < 3000; i++)
    {
      ShmvFrameInfo info;
      gsize n = (gsize) g_rand_int_range (rand, 1, 6);

      shmv_test_publish_seed (p->writer, 16, 16, SHMV_FORMAT_RGB8, (guint32) i);
      header = shmv_segment_data (seg);
      /* Scribble a few random bytes, mostly over the fields that matter. */
      for (gsize k = 0; k < n; k++)
        header[g_rand_int_range (rand, 0, (gint32) sizeof (ShmvChannelHeader))] =
            (guint8) g_rand_int (rand);
      if (shmv_channel_read (p->reader, &p->buf, &p->cap, &info))
        {
          /* Whatever it accepted must verify. */
          g_assert_cmphex (shmv_checksum (p->buf, (gsize) info.stride * info.height), ==,
                           info.checksum);
          ok++;
        }
      else
        {
          corrupt++;
          g_assert_cmpstr (shmv_channel_error_string (p->reader), !=, "");
        }
      shmv_channel_get_info (p->reader, &info);
      /* Put a sane header back so the writer can carry on. */
      shmv_channel_free (p->writer);
      shmv_channel_free (p->reader);
      shmv_segment_free (seg);
      remove_channel (p->key);
      p->writer = shmv_test_open_channel (p->key, SHMV_CHANNEL_WRITER);
      p->reader = shmv_test_open_channel (p->key, SHMV_CHANNEL_READER);
      seg = shmv_segment_new (p->key);
      g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
    }
  g_test_message ("%d reads refused, %d accepted (and verified)", corrupt, ok);
  g_assert_cmpint (corrupt, >, 0);
  g_rand_free (rand);
  shmv_segment_free (seg);
}

static void
test_corrupt_pixels_caught_by_checksum (Pair *p, gconstpointer data)
{
  ShmvSegment *seg = shmv_segment_new (p->key);
  ShmvChannelHeader *header;

  shmv_test_publish_seed (p->writer, 16, 16, SHMV_FORMAT_RGB8, 3);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  header = shmv_segment_data (seg);
  ((guint8 *) header)[header->slots[header->front].offset + 5] ^= 1;
  g_assert_false (shmv_channel_read (p->reader, &p->buf, &p->cap, NULL));
  g_assert_cmpint (shmv_channel_error (p->reader), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_channel_error_string (p->reader), "checksum"));
  shmv_segment_free (seg);
}

static void
test_truncated_segment_no_sigbus (Pair *p, gconstpointer data)
{
  ShmvSegment *seg = shmv_segment_new (p->key);
  ShmvFrameInfo info;

  shmv_test_publish_seed (p->writer, 256, 256, SHMV_FORMAT_RGBA8, 3);
  g_assert_true (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  /* A hostile peer shrinks the file under the p->reader's mapping. */
  g_assert_no_errno (ftruncate (shmv_segment_fd (seg), SHMV_SEGMENT_DATA_OFFSET + 8192));
  g_assert_false (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
  g_assert_cmpint (shmv_channel_error (p->reader), ==, SHMV_ERROR_CORRUPT);
  g_assert_no_errno (ftruncate (shmv_segment_fd (seg), 100));
  g_assert_false (shmv_channel_read (p->reader, &p->buf, &p->cap, &info));
  g_assert_false (shmv_channel_wait (p->reader, 12345, 10));
  shmv_segment_free (seg);
}

static void
test_writer_liveness_and_withdraw (void)
{
  g_autofree char *key = shmv_test_unique_key ("alive");
  ShmvChannel *reader;
  gpointer buf = NULL;
  gsize cap = 0;
  int fd;
  GPid pid = shmv_test_fork (shmv_test_publish_and_hang, key, &fd);

  shmv_test_expect_line (fd, "P", 5000);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_writer_alive (reader));
  shmv_test_kill (pid);
  g_assert_false (shmv_channel_writer_alive (reader));
  g_assert_true (shmv_channel_read (reader, &buf, &cap, NULL)); /* image kept */
  close (fd);

  {
    ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
    guint32 before;

    shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGB8, 2);
    g_assert_false (shmv_channel_is_withdrawn (reader));
    before = shmv_channel_generation (reader);
    g_assert_true (shmv_channel_withdraw (writer));
    g_assert_true (shmv_channel_is_withdrawn (reader));
    g_assert_cmpuint (shmv_channel_generation (reader), >, before);
    g_assert_true (shmv_channel_read (reader, &buf, &cap, NULL));
    g_assert_true (shmv_test_pattern_matches (buf, 8 * 8 * 3, 2));
    shmv_channel_free (writer);
  }
  g_free (buf);
  shmv_channel_free (reader);
}

static void
test_remove_tells_readers (void)
{
  g_autofree char *key = shmv_test_unique_key ("remove");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  ShmvChannel *remover = shmv_channel_new (key);
  g_autofree char *native = g_strdup (shmv_channel_native_key (writer));

  g_assert_true (shmv_channel_set_persistent (writer, true));
  shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGB8, 1);
  shmv_channel_free (writer);
  g_assert_true (shmv_test_shm_exists (native));
  g_assert_false (shmv_channel_is_removed (reader));
  g_assert_true (shmv_channel_remove (remover));
  g_assert_true (shmv_channel_is_removed (reader));
  g_assert_false (shmv_test_shm_exists (native));
  g_assert_false (shmv_channel_remove (remover));
  g_assert_cmpint (shmv_channel_error (remover), ==, SHMV_ERROR_NOT_FOUND);
  shmv_channel_free (remover);
  shmv_channel_free (reader);
}

static void
test_persistent_channel_outlives_writer (void)
{
  g_autofree char *key = shmv_test_unique_key ("persist");
  ShmvChannel *ch = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannelEntry *entries = NULL;
  ShmvStatus status;
  gboolean listed = FALSE;
  size_t n;

  g_assert_true (shmv_channel_set_persistent (ch, true));
  shmv_test_publish_seed (ch, 8, 8, SHMV_FORMAT_RGB8, 4);
  shmv_channel_free (ch);

  g_assert_true (shmv_channel_list (&entries, &n, &status));
  g_assert_cmpuint (n, >=, 1);
  for (size_t i = 0; i < n; i++)
    if (strcmp (entries[i].key, key) == 0)
      {
        listed = TRUE;
        g_assert_true (entries[i].persistent);
        g_assert_false (entries[i].in_use);
        g_assert_cmpuint (entries[i].size, >, SHMV_CHANNEL_HEADER_SIZE);
      }
  g_assert_true (listed);
  free (entries);

  ch = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_get_info (ch, NULL));
  g_assert_false (shmv_channel_writer_alive (ch));
  g_assert_true (shmv_channel_remove (ch));
  shmv_channel_free (ch);
}

static void
test_not_a_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("notchannel");
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvChannel *ch = shmv_channel_new (key);

  g_assert_true (shmv_segment_create (seg, 8192, SHMV_ACCESS_READ_WRITE));
  memcpy (shmv_segment_data (seg), "garbage!garbage!", 16);
  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_CORRUPT);
  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_CORRUPT);
  shmv_channel_free (ch);
  shmv_segment_free (seg);
}

/* A channel of layout 1 (XXH64 checksums) is refused, saying why and what
 * to do, by readers and by writers while its user lives. */
static void
test_older_layout_refused (void)
{
  g_autofree char *key = shmv_test_unique_key ("old-layout");
  ShmvChannel *old = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *ch = shmv_channel_new (key);
  ShmvSegment *seg = shmv_segment_new (key);

  shmv_test_publish_seed (old, 8, 8, SHMV_FORMAT_RGBA8, 1);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  ((ShmvChannelHeader *) shmv_segment_data (seg))->layout = 1;
  shmv_segment_free (seg);

  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_channel_error_string (ch), "made by an older shmview"));
  g_assert_nonnull (strstr (shmv_channel_error_string (ch), "shmview-ctl rm"));
  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_channel_error_string (ch), "made by an older shmview"));
  g_assert_true (shmv_channel_remove (ch));
  shmv_channel_free (ch);
  shmv_channel_free (old);
}

/* Looking at a channel never removes it: a reader whose open finds the
 * channel corrupt, as its only user, leaves it for gc or the next writer
 * (issue 9: `shmview-ctl info` of a corrupt channel removed it). */
static void
test_corrupt_open_removes_nothing (void)
{
  g_autofree char *key = shmv_test_unique_key ("corrupt-look");
  g_autofree char *native = NULL;
  g_autofree char *path = NULL;
  ShmvChannel *reader = shmv_channel_new (key);
  int fd;
  GPid pid = shmv_test_fork (shmv_test_publish_and_hang, key, &fd);

  shmv_test_expect_line (fd, "P", 5000);
  shmv_test_kill (pid); /* stale: no user left, not persistent */
  close (fd);
  native = g_strdup (shmv_channel_native_key (reader));
  path = g_strdup_printf ("/dev/shm%s", native);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  g_assert_no_errno (fd);
  g_assert_cmpint (pwrite (fd, "XXXXXXXX", 8, SHMV_SEGMENT_DATA_OFFSET), ==, 8);
  close (fd);

  g_assert_false (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_CORRUPT);
  g_assert_true (shmv_test_shm_exists (native + 1));
  shmv_channel_free (reader);

  reader = shmv_channel_new (key);
  g_assert_true (shmv_channel_remove_unused (reader));
  g_assert_false (shmv_test_shm_exists (native + 1));
  shmv_channel_free (reader);
}

/* Lock sets at the keys the lock of @native's segment may have. */
static int
count_lock_sets (const char *native)
{
  key_t first = shmv_sysv_key_for (native);
  int n = 0;

  for (int i = 0; i < SHMV_SYSLOCK_MAX_PROBES; i++)
    if (semget (first + i, 0, 0) >= 0)
      n++;
  return n;
}

/* A handle still on a removed channel must not make its lock again: nothing
 * would ever remove that set (issue 9, defect 7). Withdrawing and reading
 * both try the lock. */
static void
test_removed_channel_gets_no_new_lock (void)
{
  g_autofree char *key = shmv_test_unique_key ("remove-lock");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  ShmvChannel *remover = shmv_channel_new (key);
  g_autofree char *native = g_strdup (shmv_channel_native_key (writer));
  ShmvFrameInfo info;

  shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGB8, 1);
  g_assert_cmpint (count_lock_sets (native), ==, 1);
  g_assert_true (shmv_channel_remove (remover));
  g_assert_cmpint (count_lock_sets (native), ==, 0);

  shmv_channel_withdraw (writer);
  g_assert_true (shmv_channel_get_info (reader, &info));
  g_assert_cmpint (count_lock_sets (native), ==, 0);

  shmv_channel_free (remover);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
  g_assert_false (shmv_test_shm_exists (native));
  g_assert_cmpint (count_lock_sets (native), ==, 0);
}

/* A failed call leaves its error on the handle until the next call on it
 * that can fail: success then says so. Questions about state never touch it. */
static void
test_success_clears_last_error (void)
{
  g_autofree char *key = shmv_test_unique_key ("clears");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader = NULL;
  guint8 pixels[2 * 2 * 3] = { 0 };
  void *copy = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;

  g_assert_false (shmv_channel_publish (writer, pixels, 2, 2, 6, SHMV_FORMAT_INVALID, NULL));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (shmv_channel_error_string (writer), !=, "");
  /* State queries leave the error alone. */
  shmv_channel_generation (writer);
  shmv_channel_is_removed (writer);
  shmv_channel_writer_alive (writer);
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_true (shmv_channel_publish (writer, pixels, 2, 2, 6, SHMV_FORMAT_RGB8, NULL));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_NONE);
  g_assert_cmpstr (shmv_channel_error_string (writer), ==, "");

  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_false (shmv_channel_wait (reader, shmv_channel_generation (reader), 0));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_TIMEOUT);
  g_assert_true (shmv_channel_get_info (reader, &info));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_NONE);
  g_assert_false (shmv_channel_wait (reader, shmv_channel_generation (reader), 0));
  g_assert_true (shmv_channel_read (reader, &copy, &capacity, &info));
  g_assert_cmpstr (shmv_channel_error_string (reader), ==, "");

  free (copy);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/channel/publish-read/roundtrip-every-format", Pair, "roundtrip-every-format",
              pair_setup, test_roundtrip_every_format, pair_teardown);
  g_test_add ("/channel/read/no-frame-before-publish", Pair, "no-frame-before-publish", pair_setup,
              test_no_frame_before_publish, pair_teardown);
  g_test_add_func ("/channel/errors/success-clears-last-error", test_success_clears_last_error);
  g_test_add_func ("/channel/open/reader-of-missing-channel", test_reader_of_missing_channel);
  g_test_add_func ("/channel/open/reader-waits-for-channel", test_reader_waits_for_channel);
  g_test_add_func ("/channel/open/reader-waits-without-inotify", test_reader_waits_without_inotify);
  g_test_add ("/channel/publish/larger-image-grows-reader-follows", Pair,
              "larger-image-grows-reader-follows", pair_setup,
              test_larger_image_grows_and_reader_follows, pair_teardown);
  g_test_add_func ("/channel/publish/padded-stride", test_padded_stride);
  g_test_add ("/channel/publish/failure-keeps-previous", Pair, "failure-keeps-previous", pair_setup,
              test_failed_publish_keeps_previous, pair_teardown);
  g_test_add_func ("/channel/publish/in-place-frame", test_in_place_frame);
  g_test_add ("/channel/torn/killed-writer-never-tears-frames", Pair,
              "killed-writer-never-tears-frames", pair_setup, test_killed_writer_never_tears_frames,
              pair_teardown);
  g_test_add_func ("/channel/writers/two-writers-serialize", test_two_writers_serialize);
  g_test_add_func ("/channel/wait/wakes-and-times-out", test_wait_wakes_and_times_out);
  g_test_add ("/channel/hostile/header-scribbles-never-crash", Pair, "header-scribbles-never-crash",
              pair_setup, test_hostile_header_never_crashes, pair_teardown);
  g_test_add ("/channel/hostile/pixel-corruption-caught", Pair, "pixel-corruption-caught",
              pair_setup, test_corrupt_pixels_caught_by_checksum, pair_teardown);
  g_test_add ("/channel/hostile/truncation-no-sigbus", Pair, "truncation-no-sigbus", pair_setup,
              test_truncated_segment_no_sigbus, pair_teardown);
  g_test_add_func ("/channel/liveness/writer-alive-and-withdraw",
                   test_writer_liveness_and_withdraw);
  g_test_add_func ("/channel/remove/tells-readers", test_remove_tells_readers);
  g_test_add_func ("/channel/persistent/outlives-writer", test_persistent_channel_outlives_writer);
  g_test_add_func ("/channel/open/not-a-channel-is-corrupt", test_not_a_channel);
  g_test_add_func ("/channel/open/corrupt-open-removes-nothing", test_corrupt_open_removes_nothing);
  g_test_add_func ("/channel/open/older-layout-refused", test_older_layout_refused);
  g_test_add_func ("/channel/remove/removed-channel-gets-no-new-lock",
                   test_removed_channel_gets_no_new_lock);
  return g_test_run ();
}
