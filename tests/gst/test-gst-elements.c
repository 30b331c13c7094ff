/* test-gst-elements.c: shmviewsink and shmviewsrc in this process, driven by
 * GStreamer's check library (GstHarness), against libshmview directly
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <gst/video/video.h>
#include <shmview/shmview.h>
#include <string.h>

#include "gst-test-launch.h"
#include "shmv-channel-layout.h"
#include "shmv-autocleanups.h"
#include "shmv-test-util.h"

/* How long a test waits for something that must happen (a generous bound,
 * never a measurement). */
#define PATIENCE_MS 20000

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define GST_SHMVIEW_TEST_RGBA64 "RGBA64_LE"
#else
#define GST_SHMVIEW_TEST_RGBA64 "RGBA64_BE"
#endif

static ShmvChannel *
open_reader (const char *key)
{
  return shmv_test_open_channel (key, SHMV_CHANNEL_READER);
}

static GstHarness *
harness_for (const char *element, const char *key, const char *more)
{
  g_autofree char *line = g_strdup_printf ("%s key=%s %s", element, key, more);

  return gst_harness_new_parse (line);
}

/* A shmviewsrc on @key, with @more properties, playing. */
static GstHarness *
play_src (const char *key, const char *more)
{
  GstHarness *h = harness_for ("shmviewsrc", key, more);

  gst_harness_play (h);
  return h;
}

/* A buffer of @caps whose bytes are the pattern of @seed. */
static GstBuffer *
pattern_buffer (const char *caps_str, guint32 seed, GstVideoInfo *info)
{
  g_autoptr (GstCaps) caps = gst_caps_from_string (caps_str);
  g_autofree guint8 *bytes = NULL;

  g_assert_true (gst_video_info_from_caps (info, caps));
  bytes = shmv_test_pattern_new (GST_VIDEO_INFO_SIZE (info), seed);
  return gst_buffer_new_memdup (bytes, GST_VIDEO_INFO_SIZE (info));
}

/* Asserts the channel's frame holds @buffer's rows, packed, in @format. */
static void
assert_channel_holds (const char *key,
                      GstBuffer *buffer,
                      const GstVideoInfo *info,
                      ShmvFormat format)
{
  g_autoptr (ShmvChannel) ch = open_reader (key);
  g_autofree void *pixels = NULL;
  g_autofree char *program = g_strdup_printf (" (%s)", g_get_prgname ());
  size_t capacity = 0;
  ShmvFrameInfo frame;
  GstMapInfo map;
  gsize row = (gsize) GST_VIDEO_INFO_WIDTH (info) * GST_VIDEO_INFO_COMP_PSTRIDE (info, 0);

  g_assert_true (shmv_channel_read (ch, &pixels, &capacity, &frame));
  g_assert_cmpuint (frame.width, ==, GST_VIDEO_INFO_WIDTH (info));
  g_assert_cmpuint (frame.height, ==, GST_VIDEO_INFO_HEIGHT (info));
  g_assert_cmpint (frame.format, ==, format);
  g_assert_cmpuint (frame.stride, ==, row);
  /* Readers are told which element of which program published it. */
  g_assert_true (g_str_has_prefix (frame.source_name, "shmviewsink"));
  g_assert_true (g_str_has_suffix (frame.source_name, program));
  gst_buffer_map (buffer, &map, GST_MAP_READ);
  for (guint y = 0; y < frame.height; y++)
    g_assert_cmpmem ((guint8 *) pixels + y * frame.stride, row,
                     map.data + y * GST_VIDEO_INFO_PLANE_STRIDE (info, 0), row);
  gst_buffer_unmap (buffer, &map);
}

typedef struct
{
  const char *caps;
  ShmvFormat format;
} SinkCase;

/* Each accepted format lands in the channel byte for byte, rows packed (an
 * odd RGB width has padded rows in GStreamer, none in the channel). */
static void
test_sink_publishes (gconstpointer data)
{
  const SinkCase *c = data;
  g_autofree char *key = shmv_test_unique_key ("gst-sink");
  GstHarness *h = harness_for ("shmviewsink", key, "sync=false");
  GstVideoInfo info;
  GstBuffer *buffer = pattern_buffer (c->caps, 7, &info);

  gst_harness_set_src_caps_str (h, c->caps);
  g_assert_cmpint (gst_harness_push (h, gst_buffer_ref (buffer)), ==, GST_FLOW_OK);
  assert_channel_holds (key, buffer, &info, c->format);
  gst_buffer_unref (buffer);
  gst_harness_teardown (h);
  shmv_test_forget_key (key);
}

/* Swizzled and padded formats are refused in caps, so that videoconvert
 * converts; nothing is published. */
static void
test_sink_refuses_bgrx (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-bgrx");
  GstElement *sink = gst_element_factory_make ("shmviewsink", NULL);
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  static const char *const refused[] = { "BGRx", "RGBx", "BGRA", "I420", "RGBA64_BE" };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *str =
          g_strdup_printf ("video/x-raw,format=%s,width=4,height=4,framerate=0/1", refused[i]);
      g_autoptr (GstCaps) caps = gst_caps_from_string (str);

      g_assert_false (gst_pad_query_accept_caps (pad, caps));
    }
  gst_object_unref (pad);
  gst_object_unref (sink);
}

/* After a stop, persistent=false withdraws the image (readers see the writer
 * gone) and the channel goes with its last user; persistent=true keeps it. */
static void
test_sink_persistent (gconstpointer data)
{
  gboolean persistent = GPOINTER_TO_INT (data);
  g_autofree char *key = shmv_test_unique_key ("gst-persist");
  const char *caps = "video/x-raw,format=RGBA,width=8,height=2,framerate=0/1";
  GstHarness *h =
      harness_for ("shmviewsink", key, persistent ? "sync=false persistent=true" : "sync=false");
  g_autoptr (ShmvChannel) ch = shmv_channel_new (key);
  g_autofree char *native = NULL;
  GstVideoInfo info;

  gst_harness_set_src_caps_str (h, caps);
  g_assert_cmpint (gst_harness_push (h, pattern_buffer (caps, 3, &info)), ==, GST_FLOW_OK);
  g_assert_true (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0));
  native = g_strdup (shmv_channel_native_key (ch));
  g_assert_true (shmv_channel_writer_alive (ch));
  gst_harness_teardown (h);

  g_assert_false (shmv_channel_writer_alive (ch));
  g_assert_cmpint (shmv_channel_is_withdrawn (ch), ==, !persistent);
  shmv_channel_close (ch);
  g_assert_cmpint (shmv_test_shm_exists (native), ==, persistent);
  shmv_test_forget_key (key);
}

/* The source's caps come from the frame header; a frame of another size and
 * format sets new caps before it is pushed; bytes arrive as published. */
static void
test_src_caps_follow_frames (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-src-caps");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  GstHarness *h;
  static const struct
  {
    guint32 width, height;
    ShmvFormat format;
    const char *gst_format;
  } frames[] = {
    { 64, 48, SHMV_FORMAT_RGBA8, "RGBA" },
    { 33, 5, SHMV_FORMAT_RGB8, "RGB" }, /* 99-byte rows: GStreamer pads them to 100 */
    { 16, 4, SHMV_FORMAT_RGBA16, GST_SHMVIEW_TEST_RGBA64 },
  };

  shmv_test_publish_seed (writer, frames[0].width, frames[0].height, frames[0].format, 1);
  h = play_src (key, "");
  for (gsize i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr (GstBuffer) buffer = NULL;
      g_autoptr (GstCaps) caps = NULL;
      g_autofree guint8 *expected = NULL;
      GstVideoInfo info;
      GstMapInfo map;
      gsize stride;

      if (i > 0)
        shmv_test_publish_seed (writer, frames[i].width, frames[i].height, frames[i].format,
                                (guint32) i + 1);
      buffer = gst_harness_pull (h);
      g_assert_nonnull (buffer);
      caps = gst_pad_get_current_caps (h->sinkpad);
      g_assert_true (gst_video_info_from_caps (&info, caps));
      g_assert_cmpstr (gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&info)), ==,
                       frames[i].gst_format);
      g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&info), ==, frames[i].width);
      g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&info), ==, frames[i].height);
      g_assert_cmpuint (GST_BUFFER_OFFSET (buffer), ==, i + 1);
      g_assert_true (GST_BUFFER_PTS_IS_VALID (buffer));

      stride = (gsize) frames[i].width * shmv_format_bytes_per_pixel (frames[i].format);
      expected = shmv_test_pattern_new (stride * frames[i].height, (guint32) i + 1);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      for (guint y = 0; y < frames[i].height; y++)
        g_assert_cmpmem (map.data + y * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), stride,
                         expected + y * stride, stride);
      gst_buffer_unmap (buffer, &map);
    }
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

/* GStreamer has no 48-bit RGB: a 16-bit RGB channel comes out as RGBA64
 * with opaque alpha, the samples unchanged. */
static void
test_src_widens_rgb16 (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-src-rgb16");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autoptr (GstBuffer) buffer = NULL;
  g_autofree guint8 *expected = NULL;
  GstHarness *h;
  GstMapInfo map;
  gsize stride;

  shmv_test_publish_seed (writer, 5, 3, SHMV_FORMAT_RGB16, 9);
  stride = 5 * 6;
  expected = shmv_test_pattern_new (stride * 3, 9);
  h = play_src (key, "");
  buffer = gst_harness_pull (h);
  g_assert_nonnull (buffer);
  gst_buffer_map (buffer, &map, GST_MAP_READ);
  for (guint y = 0; y < 3; y++)
    for (guint x = 0; x < 5; x++)
      {
        const guint16 *in = (const guint16 *) (expected + y * stride) + 3 * x;
        const guint16 *out = (const guint16 *) (map.data + y * 5 * 8) + 4 * x;

        g_assert_cmpmem (out, 6, in, 6);
        g_assert_cmpuint (out[3], ==, 0xffff);
      }
  gst_buffer_unmap (buffer, &map);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

/* Runs @pipeline (taken) to its end; returns the error message the bus
 * carried, or NULL when it ended with EOS. */
static char *
run_parsed (GstElement *pipeline)
{
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  char *text = NULL;

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, PATIENCE_MS * GST_MSECOND,
                                    GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) posted = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (msg, &posted, &debug);
      g_test_message ("error: %s (%s)", posted->message, debug);
      text = g_strdup (posted->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return text;
}

/* Runs @launch to its end, as run_parsed(). */
static char *
run_pipeline (const char *launch)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (launch, &error);

  g_assert_no_error (error);
  return run_parsed (pipeline);
}

/* wait-for-writer=false on a key with no channel: an error that names the
 * key and the reason, at once. */
static void
test_src_missing_channel_error (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-missing");
  g_autofree char *launch =
      g_strdup_printf ("shmviewsrc key=%s wait-for-writer=false ! fakesink", key);
  g_autofree char *message = run_pipeline (launch);

  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, key));
  g_assert_nonnull (strstr (message, "No such channel"));
}

/* wait-for-writer=false on an image whose writer has gone: that image, then
 * EOS. */
static void
test_src_no_writer_ends (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-nowriter");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autofree char *launch =
      g_strdup_printf ("shmviewsrc key=%s wait-for-writer=false ! fakesink name=sink", key);
  g_autofree char *message = NULL;

  shmv_test_publish_seed (writer, 4, 4, SHMV_FORMAT_RGBA8, 2);
  g_assert_true (shmv_channel_set_persistent (writer, true));
  shmv_channel_close (writer);
  message = run_pipeline (launch);
  g_assert_null (message);
  shmv_channel_remove (writer);
}

/* The sink cannot open a channel with no key: the error names the key (“”)
 * and the reason. */
static void
test_sink_bad_key_error (void)
{
  GstElement *pipeline = gst_parse_launch (
      "videotestsrc num-buffers=1 ! video/x-raw,format=RGBA ! shmviewsink name=sink", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_autofree char *message = NULL;

  g_object_set (sink, "key", "", NULL);
  gst_object_unref (sink);
  message = run_parsed (pipeline);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "channel “”"));
}

/* The channel removed under the sink (shmview-ctl rm): the next frame
 * makes it again, and the warning says so in the words shmview-ctl uses. */
static void
test_sink_recreated_warns (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-sink-rm");
  const char *caps = "video/x-raw,format=RGBA,width=8,height=2,framerate=0/1";
  GstHarness *h = harness_for ("shmviewsink", key, "sync=false");
  g_autoptr (GstBus) bus = gst_bus_new ();
  g_autoptr (ShmvChannel) ch = shmv_channel_new (key);
  g_autoptr (GstMessage) msg = NULL;
  g_autoptr (GError) warning = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *expected = g_strdup_printf ("Channel “%s” was removed", key);
  GstVideoInfo info;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, caps);
  g_assert_cmpint (gst_harness_push (h, pattern_buffer (caps, 1, &info)), ==, GST_FLOW_OK);
  g_assert_null (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING));
  g_assert_true (shmv_channel_remove (ch));
  g_assert_cmpint (gst_harness_push (h, pattern_buffer (caps, 2, &info)), ==, GST_FLOW_OK);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  g_assert_nonnull (msg);
  gst_message_parse_warning (msg, &warning, &debug);
  g_test_message ("warning: %s (%s)", warning->message, debug);
  g_assert_true (g_error_matches (warning, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE));
  g_assert_true (g_str_has_prefix (warning->message, expected));
  gst_element_set_bus (h->element, NULL);
  gst_harness_teardown (h);
  shmv_test_forget_key (key);
}

/* New caps mid-stream: the next frame has the new size and format. */
static void
test_sink_follows_caps_change (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-sink-recaps");
  GstHarness *h = harness_for ("shmviewsink", key, "sync=false");
  const char *first = "video/x-raw,format=RGBA,width=8,height=2,framerate=0/1";
  const char *second = "video/x-raw,format=RGB,width=5,height=3,framerate=0/1";
  GstVideoInfo info;
  GstBuffer *buffer;

  gst_harness_set_src_caps_str (h, first);
  g_assert_cmpint (gst_harness_push (h, pattern_buffer (first, 1, &info)), ==, GST_FLOW_OK);
  gst_harness_set_src_caps_str (h, second);
  buffer = pattern_buffer (second, 2, &info);
  g_assert_cmpint (gst_harness_push (h, gst_buffer_ref (buffer)), ==, GST_FLOW_OK);
  assert_channel_holds (key, buffer, &info, SHMV_FORMAT_RGB8);
  gst_buffer_unref (buffer);
  gst_harness_teardown (h);
  shmv_test_forget_key (key);
}

/* share=group makes the channel's segment readable by the group (0640). */
static void
test_sink_share_group (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-share");
  GstHarness *h = harness_for ("shmviewsink", key, "sync=false share=group");
  const char *caps = "video/x-raw,format=RGBA,width=2,height=2,framerate=0/1";
  g_autoptr (ShmvChannel) ch = NULL;
  g_autofree char *path = NULL;
  GstVideoInfo info;
  GStatBuf st;

  gst_harness_set_src_caps_str (h, caps);
  g_assert_cmpint (gst_harness_push (h, pattern_buffer (caps, 1, &info)), ==, GST_FLOW_OK);
  ch = open_reader (key);
  path = g_strconcat ("/dev/shm", shmv_channel_native_key (ch), NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_clear_pointer (&ch, shmv_channel_free);
  gst_harness_teardown (h);
  shmv_test_forget_key (key);
}

/* An owner that is no user: an error that names it. */
static void
test_src_unknown_owner (void)
{
  g_autofree char *message = run_pipeline ("shmviewsrc owner=no-such-user-shmview ! fakesink");

  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "no-such-user-shmview"));
}

/* Waits until the harness's sink pad has received @n buffers in all. */
static void
wait_received (GstHarness *h, guint n)
{
  gint64 deadline = g_get_monotonic_time () + PATIENCE_MS * G_TIME_SPAN_MILLISECOND;

  while (gst_harness_buffers_received (h) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* Publishes the pattern of @seed and waits until the source has pushed it
 * (the @seed-th buffer: seeds count from 1). */
static void
publish_and_wait (ShmvChannel *writer, GstHarness *h, guint32 width, guint32 height, guint32 seed)
{
  shmv_test_publish_seed (writer, width, height, SHMV_FORMAT_RGBA8, seed);
  wait_received (h, seed);
}

/* Asserts @buffer holds the pattern of @seed, rows of @row bytes @stride
 * apart, and whether it is the channel's slot itself (read-only memory in a
 * mapping of the channel's file) or a copy. */
static void
assert_buffer (GstBuffer *buffer,
               const char *native,
               gsize row,
               gsize stride,
               guint32 height,
               guint32 seed,
               gboolean leased)
{
  g_autofree guint8 *expected = shmv_test_pattern_new (row * height, seed);
  GstMapInfo map;

  g_assert_cmpuint (gst_buffer_n_memory (buffer), ==, 1);
  g_assert_cmpint (GST_MEMORY_IS_READONLY (gst_buffer_peek_memory (buffer, 0)), ==, leased);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpint (shmv_test_maps_channel (map.data, native), ==, leased);
  for (guint y = 0; y < height; y++)
    g_assert_cmpmem (map.data + y * stride, row, expected + y * row, row);
  gst_buffer_unmap (buffer, &map);
}

typedef struct
{
  guint32 width, height;
  ShmvFormat format;
  gsize out_stride; /* GStreamer's */
  gboolean leased;
} LayoutCase;

/* A frame whose rows GStreamer lays out as the channel does becomes a
 * buffer over its slot; RGB rows GStreamer pads and 16-bit RGB (which gains
 * alpha) are copied, and stay right. */
static void
test_src_lease_layout (gconstpointer data)
{
  const LayoutCase *c = data;
  g_autofree char *key = shmv_test_unique_key ("gst-lease-layout");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autoptr (GstBuffer) buffer = NULL;
  gsize row = (gsize) c->width * shmv_format_bytes_per_pixel (c->format);
  GstHarness *h;

  shmv_test_publish_seed (writer, c->width, c->height, c->format, 3);
  h = play_src (key, "");
  buffer = gst_harness_pull (h);
  g_assert_nonnull (buffer);
  if (c->format == SHMV_FORMAT_RGB16)
    {
      /* The samples are /gst/src/rgb16-gains-alpha's to check. */
      g_assert_false (GST_MEMORY_IS_READONLY (gst_buffer_peek_memory (buffer, 0)));
      g_assert_cmpuint (gst_buffer_get_size (buffer), ==, c->out_stride * c->height);
    }
  else
    assert_buffer (buffer, shmv_channel_native_key (writer), row, c->out_stride, c->height, 3,
                   c->leased);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

#define SIDE 16
#define ROW  (SIDE * 4)

/* A queue downstream that keeps every buffer: the source leases max-leases
 * (4) frames, then copies, and the writer never fails a publish (more
 * frames than a channel has slots). The copies hold the same pixels. Once
 * the leased buffers are freed, frames are leased again. */
static void
test_src_lease_bounded (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-lease-bound");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  const char *native = shmv_channel_native_key (writer);
  const guint32 frames = 3 * SHMV_CHANNEL_MAX_SLOTS;
  g_autoptr (GstBuffer) again = NULL;
  GstHarness *h;

  h = play_src (key, "");
  for (guint32 seed = 1; seed <= frames; seed++)
    publish_and_wait (writer, h, SIDE, SIDE, seed);

  for (guint32 seed = 1; seed <= frames; seed++)
    {
      g_autoptr (GstBuffer) buffer = gst_harness_pull (h);

      g_assert_cmpuint (GST_BUFFER_OFFSET (buffer), ==, seed);
      assert_buffer (buffer, native, ROW, ROW, SIDE, seed, seed <= 4);
    }
  publish_and_wait (writer, h, SIDE, SIDE, frames + 1);
  again = gst_harness_pull (h);
  assert_buffer (again, native, ROW, ROW, SIDE, frames + 1, TRUE);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

/* Leased buffers really hold slots, and freeing one frees its slot: with
 * max-leases=10 held downstream, this test's own leases of two more frames
 * use up the channel's 12 slots and the next publish fails; once one buffer
 * is freed, the writer publishes again. */
static void
test_src_lease_freed_buffer_frees_slot (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-lease-free");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autoptr (ShmvChannel) reader = NULL;
  const char *native = shmv_channel_native_key (writer);
  g_autoptr (GstBuffer) first = NULL;
  g_autofree guint8 *pixels = NULL;
  ShmvFrame *ours[3] = { NULL };
  GstHarness *h;
  guint32 seed;

  h = play_src (key, "max-leases=10");
  for (seed = 1; seed <= 10; seed++)
    publish_and_wait (writer, h, SIDE, SIDE, seed);

  /* Frames 10, 11 and 12 leased by us too: 10 + 2 slots, all of them. */
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  for (int i = 0; i < 3; i++)
    {
      g_assert_true (shmv_channel_acquire (reader, 0, SHMV_ACQUIRE_DEFAULT, 0, &ours[i]));
      if (i < 2)
        publish_and_wait (writer, h, SIDE, SIDE, seed++);
    }
  pixels = shmv_test_pattern_new ((gsize) ROW * SIDE, seed);
  g_assert_false (shmv_channel_publish (writer, pixels, SIDE, SIDE, ROW, SHMV_FORMAT_RGBA8, "t"));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);

  /* Frame 1's buffer freed: its slot takes frame 13, which is leased (9
   * leased buffers alive). */
  first = gst_harness_pull (h);
  assert_buffer (first, native, ROW, ROW, SIDE, 1, TRUE);
  g_clear_pointer (&first, gst_buffer_unref);
  publish_and_wait (writer, h, SIDE, SIDE, seed);

  for (guint32 i = 2; i <= seed; i++)
    {
      g_autoptr (GstBuffer) buffer = gst_harness_pull (h);

      assert_buffer (buffer, native, ROW, ROW, SIDE, i, i <= 10 || i == seed);
    }
  for (int i = 0; i < 3; i++)
    shmv_frame_release (ours[i]);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

/* A leased buffer stays valid, with its pixels, after the element stopped
 * and the channel is gone. */
static void
test_src_lease_outlives_element (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-lease-outlive");
  ShmvChannel *writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autofree char *native = g_strdup (shmv_channel_native_key (writer));
  g_autoptr (GstBuffer) buffer = NULL;
  GstHarness *h;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 4);
  h = play_src (key, "");
  buffer = gst_harness_pull (h);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
  shmv_channel_free (writer);
  g_assert_false (shmv_test_shm_exists (native));
  assert_buffer (buffer, native, ROW, ROW, SIDE, 4, TRUE);
}

/* Flips one byte of the channel's current frame behind the writer's back. */
static void
damage_current_frame (const char *key, gsize at)
{
  g_autoptr (ShmvSegment) seg = shmv_segment_new (key);
  ShmvChannelHeader *header;

  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  header = shmv_segment_data (seg);
  ((guint8 *) header)[header->slots[header->front].offset + at] ^= 1;
}

/* verify=true (the default) refuses a damaged frame with an error naming
 * the key; verify=false leases it unchecked, damage included. */
static void
test_src_lease_verify (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-lease-verify");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autofree char *launch = g_strdup_printf ("shmviewsrc key=%s num-buffers=1 ! fakesink", key);
  g_autofree char *message = NULL;
  g_autofree guint8 *expected = shmv_test_pattern_new ((gsize) ROW * SIDE, 5);
  g_autoptr (GstBuffer) buffer = NULL;
  GstHarness *h;
  GstMapInfo map;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 5);
  damage_current_frame (key, 7);
  message = run_pipeline (launch);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, key));

  h = play_src (key, "verify=false");
  buffer = gst_harness_pull (h);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_true (shmv_test_maps_channel (map.data, shmv_channel_native_key (writer)));
  g_assert_cmpuint (map.data[7], ==, expected[7] ^ 1);
  g_assert_cmpmem (map.data + 8, ROW * SIDE - 8, expected + 8, ROW * SIDE - 8);
  gst_buffer_unmap (buffer, &map);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

/* max-leases=0: every frame is copied. */
static void
test_src_lease_none (void)
{
  g_autofree char *key = shmv_test_unique_key ("gst-lease-none");
  g_autoptr (ShmvChannel) writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_autoptr (GstBuffer) buffer = NULL;
  GstHarness *h;

  shmv_test_publish_seed (writer, SIDE, SIDE, SHMV_FORMAT_RGBA8, 6);
  h = play_src (key, "max-leases=0");
  buffer = gst_harness_pull (h);
  assert_buffer (buffer, shmv_channel_native_key (writer), ROW, ROW, SIDE, 6, FALSE);
  gst_harness_teardown (h);
  shmv_channel_remove (writer);
}

static const SinkCase sink_cases[] = {
  { "video/x-raw,format=RGBA,width=64,height=48,framerate=0/1", SHMV_FORMAT_RGBA8 },
  { "video/x-raw,format=RGB,width=33,height=7,framerate=0/1", SHMV_FORMAT_RGB8 },
  { "video/x-raw,format=" GST_SHMVIEW_TEST_RGBA64 ",width=9,height=4,framerate=0/1",
    SHMV_FORMAT_RGBA16 },
};

static const LayoutCase layout_cases[] = {
  { 64, 48, SHMV_FORMAT_RGBA8, 64 * 4, TRUE },
  { 32, 3, SHMV_FORMAT_RGB8, 32 * 3, TRUE }, /* 96-byte rows: GStreamer's too */
  { 33, 5, SHMV_FORMAT_RGB8, 100, FALSE },   /* 99-byte rows: GStreamer pads them */
  { 16, 4, SHMV_FORMAT_RGBA16, 16 * 8, TRUE },
  { 5, 3, SHMV_FORMAT_RGB16, 5 * 8, FALSE }, /* widened to RGBA64 */
};

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_test_setup ();
  gst_init (NULL, NULL);

  g_test_add_data_func ("/gst/sink/publishes/rgba", &sink_cases[0], test_sink_publishes);
  g_test_add_data_func ("/gst/sink/publishes/rgb-odd-width", &sink_cases[1], test_sink_publishes);
  g_test_add_data_func ("/gst/sink/publishes/rgba64", &sink_cases[2], test_sink_publishes);
  g_test_add_func ("/gst/sink/refuses-swizzled-formats", test_sink_refuses_bgrx);
  g_test_add_data_func ("/gst/sink/stop/withdraws", GINT_TO_POINTER (FALSE), test_sink_persistent);
  g_test_add_data_func ("/gst/sink/stop/persistent-keeps", GINT_TO_POINTER (TRUE),
                        test_sink_persistent);
  g_test_add_func ("/gst/sink/bad-key-names-key", test_sink_bad_key_error);
  g_test_add_func ("/gst/sink/follows-caps-change", test_sink_follows_caps_change);
  g_test_add_func ("/gst/sink/removed-channel-recreated-warns", test_sink_recreated_warns);
  g_test_add_func ("/gst/sink/share-group", test_sink_share_group);
  g_test_add_func ("/gst/src/unknown-owner-names-it", test_src_unknown_owner);
  g_test_add_func ("/gst/src/caps-follow-frames", test_src_caps_follow_frames);
  g_test_add_func ("/gst/src/rgb16-gains-alpha", test_src_widens_rgb16);
  g_test_add_func ("/gst/src/missing-channel-names-key", test_src_missing_channel_error);
  g_test_add_func ("/gst/src/no-writer-ends-after-image", test_src_no_writer_ends);
  g_test_add_data_func ("/gst/src/lease/layout/rgba", &layout_cases[0], test_src_lease_layout);
  g_test_add_data_func ("/gst/src/lease/layout/rgb-width-4n", &layout_cases[1],
                        test_src_lease_layout);
  g_test_add_data_func ("/gst/src/lease/layout/rgb-odd-width-copied", &layout_cases[2],
                        test_src_lease_layout);
  g_test_add_data_func ("/gst/src/lease/layout/rgba64", &layout_cases[3], test_src_lease_layout);
  g_test_add_data_func ("/gst/src/lease/layout/rgb16-copied", &layout_cases[4],
                        test_src_lease_layout);
  g_test_add_func ("/gst/src/lease/bounded-writer-keeps-publishing", test_src_lease_bounded);
  g_test_add_func ("/gst/src/lease/freed-buffer-frees-its-slot",
                   test_src_lease_freed_buffer_frees_slot);
  g_test_add_func ("/gst/src/lease/outlives-element-and-channel", test_src_lease_outlives_element);
  g_test_add_func ("/gst/src/lease/verify", test_src_lease_verify);
  g_test_add_func ("/gst/src/lease/max-leases-0-copies", test_src_lease_none);
  status = g_test_run ();
  /* What GStreamer holds until it is told it is done: not a leak of ours. */
  gst_deinit ();
  return status;
}
