/* test-gst-pipelines.c: the plugin as users run it, in real gst-launch-1.0
 * processes beside shmview-ctl: pixels against pngenc, caps from the header,
 * kill -9 of a publishing pipeline, several readers at once
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <shmview/shmview.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "gst-test-launch.h"
#include "gstshmview-events.h"
#include "shmv-autocleanups.h"
#include "shmv-test-util.h"

#define PATIENCE_MS 30000

static void
ctl_read (const char *key, const char *path)
{
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (NULL, &err, "read", "-k", key, path, NULL), 0, err);
}

/* The channel's frame, once a writer has published one. */
static ShmvChannel *
wait_for_frame (const char *key, ShmvFrameInfo *info)
{
  ShmvChannel *ch = shmv_channel_new (key);

  g_assert_true (shmv_channel_open (ch, SHMV_CHANNEL_READER, PATIENCE_MS));
  while (!shmv_channel_get_info (ch, info))
    g_assert_true (shmv_channel_wait (ch, shmv_channel_generation (ch), PATIENCE_MS) ||
                   shmv_channel_error (ch) == SHMV_ERROR_CANCELLED);
  return ch;
}

static void
assert_pngs_equal (const char *a, const char *b)
{
  PngTestPixels pa = { 0 };
  PngTestPixels pb = { 0 };

  png_test_reference_decode (a, &pa);
  png_test_reference_decode (b, &pb);
  png_test_assert_pixels_equal (&pa, &pb, b);
  png_test_pixels_clear (&pa);
  png_test_pixels_clear (&pb);
}

/* The acceptance: videotestsrc into a persistent shmviewsink, then
 * shmview-ctl read gives the pixels pngenc makes of the same frame. */
static void
test_sink_matches_pngenc (gconstpointer data)
{
  const char *format = data;
  g_autofree char *key = shmv_test_unique_key ("gst-accept");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *ours = g_build_filename (dir, "channel.png", NULL);
  g_autofree char *theirs = g_build_filename (dir, "pngenc.png", NULL);
  g_autofree char *caps = g_strdup_printf (
      "videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,format=%s,width=320,height=240",
      format);
  g_autofree char *sink = g_strdup_printf ("%s ! shmviewsink key=%s persistent=true", caps, key);
  g_autofree char *png = g_strdup_printf ("%s ! pngenc ! filesink location=%s", caps, theirs);

  gst_test_launch (sink);
  ctl_read (key, ours);
  gst_test_launch (png);
  assert_pngs_equal (theirs, ours);
  shmv_test_forget_key (key);
  shmv_test_tmpdir_remove (dir);
}

/* 16 bits a sample: pngenc has no RGBA64, so the reference is the raw
 * frame videotestsrc makes, sample by sample. */
static void
test_sink_matches_rgba64 (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-accept16");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *ours = g_build_filename (dir, "channel.png", NULL);
  g_autofree char *raw = g_build_filename (dir, "frame.raw", NULL);
  const char *caps = "videotestsrc num-buffers=1 pattern=smpte ! "
                     "video/x-raw,format=RGBA64_LE,width=320,height=240";
  g_autofree char *sink = g_strdup_printf ("%s ! shmviewsink key=%s persistent=true", caps, key);
  g_autofree char *file = g_strdup_printf ("%s ! filesink location=%s", caps, raw);
  PngTestPixels got = { 0 };
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;

  gst_test_launch (sink);
  ctl_read (key, ours);
  gst_test_launch (file);
  g_assert_true (g_file_get_contents (raw, (char **) &bytes, &len, NULL));
  g_assert_cmpuint (len, ==, 320 * 240 * 8);
  png_test_reference_decode (ours, &got);
  g_assert_true (got.wide);
  g_assert_cmpuint (got.width, ==, 320);
  g_assert_cmpuint (got.height, ==, 240);
  for (gsize i = 0; i < 320 * 240 * 4; i++)
    g_assert_cmpuint (got.rgba[i], ==, GUINT16_FROM_LE (((guint16 *) bytes)[i]));
  png_test_pixels_clear (&got);
  shmv_test_forget_key (key);
  shmv_test_tmpdir_remove (dir);
}

/* shmview-ctl publish, then shmviewsrc with no caps typed: the same
 * pixels, leased (RGBA) or copied into the rows GStreamer pads (RGB 97
 * pixels wide). */
static void
test_src_matches_published_png (gconstpointer data)
{
  ShmvFormat format = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("gst-src-png");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *input = shmv_test_make_png (dir, "in.png", 97, 31, format, 5);
  g_autofree char *output = g_build_filename (dir, "out.png", NULL);
  g_autofree char *src = g_strdup_printf (
      "shmviewsrc key=%s num-buffers=1 ! videoconvert ! pngenc ! filesink location=%s", key,
      output);
  g_autofree char *err = NULL;

  ctl_assert_exit (ctl_run (NULL, &err, "publish", "-k", key, input, NULL), 0, err);
  gst_test_launch (src);
  assert_pngs_equal (input, output);
  shmv_test_forget_key (key);
  shmv_test_tmpdir_remove (dir);
}

/* The first pixel's red and green of the channel's frame (RGBA). */
static guint32
frame_color (ShmvChannel *ch)
{
  g_autofree guint8 *pixels = NULL;
  size_t capacity = 0;
  ShmvFrameInfo info;

  g_assert_true (shmv_channel_read (ch, (void **) &pixels, &capacity, &info));
  return (guint32) pixels[0] << 16 | (guint32) pixels[1] << 8 | pixels[2];
}

/* Waits until the channel's frame has @color. */
static void
wait_for_color (ShmvChannel *ch, guint32 color)
{
  gint64 deadline = g_get_monotonic_time () + PATIENCE_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      guint32 generation = shmv_channel_generation (ch);
      ShmvFrameInfo info;

      if (shmv_channel_get_info (ch, &info) && frame_color (ch) == color)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      shmv_channel_wait (ch, generation, 200);
    }
}

static char *
solid_writer (const char *key, const char *argb)
{
  return g_strdup_printf ("videotestsrc is-live=true pattern=solid-color foreground-color=%s ! "
                          "video/x-raw,format=RGBA,width=64,height=48,framerate=30/1 ! "
                          "shmviewsink key=%s",
                          argb, key);
}

/* kill -9 of a pipeline publishing through shmviewsink: readers keep its
 * last frame, and a shmviewsrc waiting for a writer (here republishing on a
 * second key, which the test watches) resumes when a new pipeline
 * publishes. Everything is gone from /dev/shm afterwards. */
static void
test_kill_writer_then_resume (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-kill");
  g_autofree char *copy_key = shmv_test_unique_key ("gst-kill-copy");
  g_autofree char *first = solid_writer (key, "0xffff0000");
  g_autofree char *second = solid_writer (key, "0xff00ff00");
  g_autofree char *relay = g_strdup_printf (
      "shmviewsrc key=%s wait-for-writer=true ! shmviewsink key=%s sync=false", key, copy_key);
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *kept = g_build_filename (dir, "kept.png", NULL);
  g_autofree char *native = NULL;
  g_autofree char *copy_native = NULL;
  g_autoptr (ShmvChannel) ch = NULL;
  g_autoptr (ShmvChannel) copy = NULL;
  PngTestPixels pixels = { 0 };
  ShmvFrameInfo info;
  GPid writer, relay_pid;

  writer = gst_test_launch_spawn (first, NULL);
  relay_pid = gst_test_launch_spawn (relay, NULL);
  ch = wait_for_frame (key, &info);
  copy = wait_for_frame (copy_key, &info);
  native = g_strdup (shmv_channel_native_key (ch));
  copy_native = g_strdup (shmv_channel_native_key (copy));
  wait_for_color (copy, 0xff0000);

  shmv_test_kill (writer);
  g_assert_false (shmv_channel_writer_alive (ch));
  ctl_read (key, kept);
  png_test_reference_decode (kept, &pixels);
  g_assert_cmpuint (pixels.rgba[0], ==, 0xff);
  g_assert_cmpuint (pixels.rgba[1], ==, 0);
  png_test_pixels_clear (&pixels);

  writer = gst_test_launch_spawn (second, NULL);
  wait_for_color (copy, 0x00ff00);
  g_assert_true (shmv_test_pid_alive (relay_pid));

  /* Ctrl+C: each pipeline stops its sink, which withdraws its image. */
  kill (writer, SIGINT);
  g_assert_cmpint (shmv_test_wait_exit (writer, PATIENCE_MS), >=, 0);
  kill (relay_pid, SIGINT);
  g_assert_cmpint (shmv_test_wait_exit (relay_pid, PATIENCE_MS), >=, 0);
  g_clear_pointer (&ch, shmv_channel_free);
  g_clear_pointer (&copy, shmv_channel_free);
  g_assert_false (shmv_test_shm_exists (native));
  g_assert_false (shmv_test_shm_exists (copy_native));
  shmv_test_tmpdir_remove (dir);
}

/* Reads @pid's debug lines on @err_fd until the event @format says about
 * frame @generation (and, for a lease, how many are in flight). */
static void
wait_for_event (int err_fd, const char *format, guint32 generation, guint in_flight)
{
  g_autofree char *needle = g_strdup_printf (format, generation, in_flight);

  g_assert_true (shmv_test_wait_for_line (err_fd, needle, PATIENCE_MS));
}

#define WAIT_AN_HOUR "3600000000000"

/* A shmviewsrc pipeline whose sink keeps every buffer (it waits an hour
 * before the first) holds max-leases=10 leases in its queue: with two more
 * frames leased by this test, the channel's 12 slots are all leased and the
 * writer's next publish fails. kill -9 of the pipeline: the kernel drops its
 * locks, and the writer publishes again, this test's leases still held. */
static void
test_kill_reader_holding_leases (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-kill-leases");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autoptr (ShmvChannel) reader = NULL;
  g_autofree char *line = g_strdup_printf (
      "shmviewsrc key=%s max-leases=10 ! queue max-size-buffers=0 max-size-bytes=0 "
      "max-size-time=0 ! fakesink sync=true ts-offset=" WAIT_AN_HOUR,
      key);
  g_autofree guint8 *pixels = shmv_test_pattern_new (8 * 8 * 4, 13);
  ShmvFrame *ours[3] = { NULL };
  int err_fd = -1;
  guint32 seed;
  GPid pid;

  shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGBA8, 1);
  g_setenv ("GST_DEBUG", "shmviewsrc:5", TRUE);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  pid = gst_test_launch_spawn (line, &err_fd);
  g_unsetenv ("GST_DEBUG");
  wait_for_event (err_fd, GST_SHMVIEW_EVENT_LEASED, 1, 1);
  for (seed = 2; seed <= 10; seed++)
    {
      shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGBA8, seed);
      wait_for_event (err_fd, GST_SHMVIEW_EVENT_LEASED, seed, seed);
    }

  /* Frames 10 (leased twice), 11 and 12 leased here: 10 + 2 slots. */
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &ours[i]));
      if (i == 2)
        break;
      shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGBA8, seed);
      wait_for_event (err_fd, GST_SHMVIEW_EVENT_COPIED, seed++, 0);
    }
  g_assert_false (shmv_channel_publish (writer, pixels, 8, 8, 8 * 4, SHMV_FORMAT_RGBA8, "t"));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);

  shmv_test_kill (pid);
  close (err_fd);
  for (guint32 i = 0; i < SHMV_CHANNEL_MAX_SLOTS; i++)
    shmv_test_publish_seed (writer, 8, 8, SHMV_FORMAT_RGBA8, seed++);
  for (int i = 0; i < 3; i++)
    shmv_frame_release (ours[i]);
  shmv_channel_remove (writer);
}

/* Errors speak the user's language, through shmview's gettext domain, inside
 * gst-launch-1.0 (a program that knows nothing of it). With @data TRUE,
 * $SHMVIEW_LOCALEDIR names the translations; else the plugin finds them
 * itself, in the build tree it was loaded from, as the README runs it (not
 * from gst-launch-1.0's own place, /usr/bin). */
static void
test_error_translated (gconstpointer data)
{
  gboolean override = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("gst-de");
  g_autofree char *line =
      g_strdup_printf ("shmviewsrc key=%s wait-for-writer=false ! fakesink", key);
  g_autofree char *expected = g_strdup_printf ("Kanal „%s“ kann nicht geöffnet werden", key);
  g_auto (GStrv) argv = gst_test_launch_argv (line);
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *err = NULL;
  int status = 0;

  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "de", TRUE);
  if (override)
    g_assert_nonnull (g_environ_getenv (env, "SHMVIEW_LOCALEDIR"));
  else
    env = g_environ_unsetenv (env, "SHMVIEW_LOCALEDIR");
  g_assert_true (
      g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, NULL));
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, expected));
}

#define READERS     4
#define LIVE_FRAMES 300 /* 10 s at 30 fps */

/* A live 30 fps writer and four shmviewsrc processes at once: each reader
 * republishes what it receives on a key of its own, so that the test counts
 * the frames each saw (the generation of its copy). Every reader sees the
 * writer's last frame and ends when the writer leaves; how many frames each
 * saw is printed (a figure, not a wall-clock assertion: a loaded machine may
 * deschedule a reader for longer than a frame). */
static void
test_four_readers (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-four");
  g_autofree char *writer_line = g_strdup_printf (
      "videotestsrc is-live=true num-buffers=%d pattern=ball ! "
      "video/x-raw,format=RGBA,width=320,height=240,framerate=30/1 ! shmviewsink key=%s",
      LIVE_FRAMES, key);
  g_autoptr (ShmvChannel) holder = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  char *copy_keys[READERS];
  GPid readers[READERS];
  GPid writer;

  /* The readers need a channel to open (wait-for-writer=false) and a writer
   * behind it until the real one publishes: this handle. */
  g_setenv ("GST_DEBUG", "shmviewsrc:4", TRUE);
  g_setenv ("GST_DEBUG_NO_COLOR", "1", TRUE);
  for (int i = 0; i < READERS; i++)
    {
      g_autofree char *line = NULL;
      int err_fd = -1;

      copy_keys[i] = shmv_test_unique_key ("gst-four-copy");
      line = g_strdup_printf ("shmviewsrc key=%s wait-for-writer=false ! "
                              "shmviewsink key=%s persistent=true sync=false",
                              key, copy_keys[i]);
      readers[i] = gst_test_launch_spawn (line, &err_fd);
      g_assert_true (shmv_test_wait_for_line (err_fd, GST_SHMVIEW_EVENT_FOLLOWING, PATIENCE_MS));
      close (err_fd);
    }
  g_unsetenv ("GST_DEBUG");

  writer = gst_test_launch_spawn (writer_line, NULL);
  while (shmv_channel_generation (holder) == 0)
    g_assert_true (shmv_channel_wait (holder, 0, PATIENCE_MS) ||
                   shmv_channel_error (holder) == SHMV_ERROR_CANCELLED);
  shmv_channel_close (holder);
  shmv_test_assert_exits_ok (writer);

  for (int i = 0; i < READERS; i++)
    {
      g_autoptr (ShmvChannel) copy = NULL;
      ShmvFrameInfo info;

      g_assert_cmpint (shmv_test_wait_exit (readers[i], PATIENCE_MS), ==, 0);
      copy = shmv_test_open_channel (copy_keys[i], SHMV_CHANNEL_READER);
      g_assert_true (shmv_channel_get_info (copy, &info));
      g_test_message ("reader %d saw %u of %d frames", i + 1, info.generation, LIVE_FRAMES);
      g_assert_cmpuint (info.generation, >, 0);
      g_assert_cmpuint (info.generation, <=, LIVE_FRAMES);
      shmv_channel_remove (copy);
      g_free (copy_keys[i]);
    }
  shmv_channel_remove (holder);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_test_setup ();

  g_test_add_data_func ("/gst/launch/sink-matches-pngenc/rgba", "RGBA", test_sink_matches_pngenc);
  g_test_add_data_func ("/gst/launch/sink-matches-pngenc/rgb", "RGB", test_sink_matches_pngenc);
  g_test_add_func ("/gst/launch/sink-matches-raw/rgba64", test_sink_matches_rgba64);
  g_test_add_data_func ("/gst/launch/src-matches-published-png/rgba",
                        GINT_TO_POINTER (SHMV_FORMAT_RGBA8), test_src_matches_published_png);
  g_test_add_data_func ("/gst/launch/src-matches-published-png/rgb-odd-width",
                        GINT_TO_POINTER (SHMV_FORMAT_RGB8), test_src_matches_published_png);
  g_test_add_func ("/gst/launch/kill-9-reader-holding-leases", test_kill_reader_holding_leases);
  g_test_add_func ("/gst/launch/kill-9-writer-then-resume", test_kill_writer_then_resume);
  g_test_add_func ("/gst/launch/four-readers-live", test_four_readers);
  g_test_add_data_func ("/gst/launch/error-in-users-language/from-build-tree",
                        GINT_TO_POINTER (FALSE), test_error_translated);
  g_test_add_data_func ("/gst/launch/error-in-users-language/shmview-localedir",
                        GINT_TO_POINTER (TRUE), test_error_translated);
  return g_test_run ();
}
