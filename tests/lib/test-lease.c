/* test-lease.c: leases (shmv_channel_acquire), with real processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-channel-layout.h"
#include "shmv-segment-private.h"
#include "shmv-test-point.h"
#include "shmv-test-util.h"

#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIDE  64
#define BYTES (SIDE * SIDE * 4)

/* Ends a test: frees @reader, removes the channel and frees @writer. */
static void
finish (ShmvChannel *writer, ShmvChannel *reader)
{
  shmv_channel_free (reader);
  g_assert_true (shmv_channel_remove (writer));
  shmv_channel_free (writer);
}

static gboolean
frame_has_seed (const ShmvFrame *frame, guint32 seed)
{
  const ShmvFrameInfo *info = shmv_frame_get_info (frame);

  return info->stride * (gsize) info->height == BYTES &&
         shmv_test_pattern_matches (shmv_frame_get_pixels (frame), BYTES, seed);
}

static void
say (int fd, const char *fmt, guint32 value)
{
  char line[64];
  int n = snprintf (line, sizeof line, fmt, value);

  if (write (fd, line, (size_t) n) != n)
    _exit (3);
}

/* Child: leases the current frame, says "L <generation>", then waits until 20
 * more frames were published and says whether its frame is still intact. */
static int
lease_one_and_check (const char *key, int fd)
{
  ShmvChannel *ch = shmv_channel_new (key);
  ShmvFrame *frame = NULL;
  guint32 seed, generation;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0) ||
      !shmv_channel_acquire (ch, 0, SHMV_ACQUIRE_DEFAULT, 5000, &frame))
    return 1;
  seed = shmv_test_pattern_seed (shmv_frame_get_pixels (frame));
  generation = shmv_frame_get_info (frame)->generation;
  say (fd, "L %u\n", generation);
  while (shmv_channel_generation (ch) < generation + 20)
    if (!shmv_channel_wait (ch, shmv_channel_generation (ch), 5000))
      return 2;
  say (fd, frame_has_seed (frame, seed) ? "INTACT %u\n" : "OVERWRITTEN %u\n", seed);
  shmv_frame_release (frame);
  shmv_channel_free (ch);
  return 0;
}

/* A leased frame's slot is never written over: the writer uses the others. */
static void
test_lease_held_writer_uses_other_slots (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-held");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  int fd;
  GPid pid;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 1);
  pid = shmv_test_fork (lease_one_and_check, key, &fd);
  shmv_test_expect_line (fd, "L 1", 10000);
  for (guint32 seed = 2; seed <= 21; seed++)
    shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, seed);
  shmv_test_expect_line (fd, "INTACT 1", 10000);
  shmv_test_assert_exits_ok (pid);
  close (fd);
  finish (writer, NULL);
}

/* Child: leases every new frame and keeps them all, saying "L <generation>"
 * for each, until @max; then hangs. */
static int
lease_all (const char *key, int fd)
{
  ShmvChannel *ch = shmv_channel_new (key);
  ShmvFrame *frames[SHMV_CHANNEL_MAX_SLOTS];
  guint32 last = 0;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    return 1;
  for (int i = 0; i < SHMV_CHANNEL_MAX_SLOTS; i++)
    {
      if (!shmv_channel_acquire (ch, last, SHMV_ACQUIRE_DEFAULT, 10000, &frames[i]))
        return 2;
      last = shmv_frame_get_info (frames[i])->generation;
      say (fd, "L %u\n", last);
    }
  for (;;)
    pause ();
}

/* A copy of the header of @key's channel. */
static ShmvChannelHeader
header_of (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvChannelHeader header;

  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  header = *(const ShmvChannelHeader *) shmv_segment_data (seg);
  shmv_segment_free (seg);
  return header;
}

/* Readers that lease every frame make the channel grow, up to its bound;
 * past it a publish fails, saying why, and the current frame stays. A
 * kill -9 of the reader frees every slot it held, at once. */
static void
test_all_slots_leased_grow_then_fail (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-all");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  g_autofree guint8 *pixels = shmv_test_pattern_new (BYTES, 99);
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;
  int fd;
  GPid pid;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 1);
  g_assert_cmpuint (header_of (key).n_slots, ==, 3);
  pid = shmv_test_fork (lease_all, key, &fd);
  for (guint32 g = 1; g <= SHMV_CHANNEL_MAX_SLOTS; g++)
    {
      g_autofree char *line = g_strdup_printf ("L %u", g);

      if (g > 1)
        shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, g);
      shmv_test_expect_line (fd, line, 10000);
    }
  g_assert_cmpuint (header_of (key).n_slots, ==, SHMV_CHANNEL_MAX_SLOTS);

  g_assert_false (shmv_channel_publish (writer, pixels, SIDE, SIDE, SIDE * 4, SHMV_FORMAT_RGBA8,
                                        "past the bound"));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_nonnull (strstr (shmv_channel_error_string (writer), "every slot is leased by readers"));
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_read (reader, &buf, &cap, &info));
  g_assert_cmpuint (info.generation, ==, SHMV_CHANNEL_MAX_SLOTS);
  g_assert_true (shmv_test_pattern_matches (buf, BYTES, SHMV_CHANNEL_MAX_SLOTS));

  /* No timeout: the kernel drops the dead reader's leases with it. */
  shmv_test_kill (pid);
  close (fd);
  g_assert_true (shmv_channel_publish (writer, pixels, SIDE, SIDE, SIDE * 4, SHMV_FORMAT_RGBA8,
                                       "after the kill"));
  g_assert_true (shmv_channel_read (reader, &buf, &cap, &info));
  g_assert_true (shmv_test_pattern_matches (buf, BYTES, 99));
  /* Once the leases are gone, frames go back to the first three slots. */
  for (guint32 seed = 100; seed < 110; seed++)
    shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, seed);
  g_assert_cmpuint (header_of (key).front, <, 3);
  g_free (buf);
  finish (writer, reader);
}

/* Verification reads the pixels in place: a scribbled pixel is caught, and
 * NO_VERIFY hands the frame over unverified. */
static void
test_verified_and_corrupted (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-verify");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvChannelHeader *header;
  ShmvFrame *frame = NULL;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 5);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_true (shmv_frame_is_verified (frame));
  g_assert_true (frame_has_seed (frame, 5));
  g_assert_cmpuint (shmv_frame_get_info (frame)->generation, ==, 1);
  shmv_frame_release (frame);

  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  header = shmv_segment_data (seg);
  ((guint8 *) header)[header->slots[header->front].offset + 7] ^= 1;
  frame = NULL;
  g_assert_false (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_null (frame);
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_channel_error_string (reader), "checksum"));
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_NO_VERIFY, 0, &frame));
  g_assert_false (shmv_frame_is_verified (frame));
  shmv_frame_release (frame);
  shmv_segment_free (seg);

  /* Waiting: the same generation again times out, a new one is leased. */
  g_assert_false (shmv_channel_acquire (reader, 1, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_TIMEOUT);
  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 6);
  g_assert_true (shmv_channel_acquire (reader, 1, SHMV_ACQUIRE_DEFAULT, 100, &frame));
  g_assert_true (frame_has_seed (frame, 6));
  shmv_frame_release (frame);
  shmv_frame_release (NULL);
  finish (writer, reader);
}

/* Before the first publish there is nothing to lease: acquire says so, and
 * hands out no frame. */
static void
test_no_frame_yet (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-none");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  ShmvFrame *frame = NULL;

  g_assert_false (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_null (frame);
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_NO_FRAME);
  g_assert_nonnull (strstr (shmv_channel_error_string (reader), "no image"));
  finish (writer, reader);
}

/* A frame keeps its own mapping and lease: it outlives its handle, and the
 * writer still keeps off its slot. */
static void
test_frame_outlives_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-outlives");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  ShmvFrame *first = NULL, *second = NULL;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 7);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &first));
  /* Two leases of one slot through one handle: releasing one keeps the other. */
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &second));
  shmv_frame_release (second);
  shmv_channel_free (reader);
  for (guint32 seed = 8; seed < 30; seed++)
    shmv_test_publish_seed (writer, 2 * SIDE, SIDE, SHMV_FORMAT_RGBA8, seed);
  g_assert_true (frame_has_seed (first, 7));
  shmv_frame_release (first);
  finish (writer, NULL);
}

/* A peer that truncates the file under a leased frame cannot kill the
 * reader, who reads the mapping without a guard: it reads zeros. */
static void
test_truncated_under_lease_reads_zeros (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-truncated");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvFrame *frame = NULL;
  const volatile guint8 *pixels;
  guint64 sum = 0;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 9);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_true (frame_has_seed (frame, 9));
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_no_errno (ftruncate (shmv_segment_fd (seg), SHMV_SEGMENT_DATA_OFFSET + 4096));
  pixels = shmv_frame_get_pixels (frame);
  for (gsize i = 0; i < BYTES; i++)
    sum += pixels[i];
  g_assert_cmpuint (sum, ==, 0);
  shmv_frame_release (frame);
  /* The damaged mapping is not used again: the frame lies outside the file now. */
  g_assert_false (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_CORRUPT);
  shmv_segment_free (seg);
  finish (writer, reader);
}

/* The race a lease must lose cleanly: the writer reuses the slot between the
 * reader's look at the header and its lock. Forced with the test point. */
static ShmvChannel *racing_writer;

static void
publish_twice_at (const char *name)
{
  if (strcmp (name, "acquire:leasing") != 0 || racing_writer == NULL)
    return;
  shmv_test_publish_seed (racing_writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 41);
  shmv_test_publish_seed (racing_writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 42);
  shmv_test_publish_seed (racing_writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 43);
  racing_writer = NULL; /* once */
}

static void
test_writer_reuses_slot_before_lock (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-race");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  ShmvFrame *frame = NULL;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 40);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  racing_writer = writer;
  shmv_test_point_hook = publish_twice_at;
  g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  shmv_test_point_hook = NULL;
  g_assert_null (racing_writer);
  g_assert_true (frame_has_seed (frame, 43));
  g_assert_cmpuint (shmv_frame_get_info (frame)->generation, ==, 4);
  shmv_frame_release (frame);
  finish (writer, reader);
}

/* A writer that takes the slot at every attempt: acquire gives up after a
 * bounded number of tries, saying why, and holds no lease. */
static void
publish_at_every_attempt (const char *name)
{
  if (strcmp (name, "acquire:leasing") != 0)
    return;
  for (guint32 seed = 1; seed <= 3; seed++)
    shmv_test_publish_seed (racing_writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, seed);
}

static void
test_writer_always_first_gives_up (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-starved");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  ShmvChannel *reader;
  ShmvFrame *frame = NULL;
  ShmvChannelHeader header;
  guint32 before;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 50);
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  racing_writer = writer;
  shmv_test_point_hook = publish_at_every_attempt;
  g_assert_false (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame));
  shmv_test_point_hook = NULL;
  racing_writer = NULL;
  g_assert_null (frame);
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (shmv_channel_error_string (reader), "kept changing"));
  /* No lease was left behind: the writer fills every slot again. */
  before = shmv_channel_generation (reader);
  for (guint32 seed = 60; seed < 70; seed++)
    shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, seed);
  header = header_of (key);
  g_assert_cmpuint (header.n_slots, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (header.slots[i].generation, >, before);
  finish (writer, reader);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lease/held/writer-uses-other-slots", test_lease_held_writer_uses_other_slots);
  g_test_add_func ("/lease/bound/grow-then-fail-then-kill-frees",
                   test_all_slots_leased_grow_then_fail);
  g_test_add_func ("/lease/verify/verified-and-corrupted", test_verified_and_corrupted);
  g_test_add_func ("/lease/wait/no-frame-yet", test_no_frame_yet);
  g_test_add_func ("/lease/lifetime/frame-outlives-channel", test_frame_outlives_channel);
  g_test_add_func ("/lease/hostile/truncated-under-lease-reads-zeros",
                   test_truncated_under_lease_reads_zeros);
  g_test_add_func ("/lease/race/writer-always-first-gives-up", test_writer_always_first_gives_up);
  g_test_add_func ("/lease/race/writer-reuses-slot-before-lock",
                   test_writer_reuses_slot_before_lock);
  return g_test_run ();
}
