/* test-frame-source.c: the channel follower, and the frame-source interface the reader pane uses
 *
 * The follower and ShmvChannelSource are driven by real libshmview writers.
 * The pane is then fed by a second, in-memory implementation of
 * ShmvFrameSource (ShmvMemorySource below): it really delivers frames, so
 * the test proves that the pane shows whatever source it is given, through
 * the interface alone.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>
#include <string.h>

#include "shmv-test-gtk.h"
#include "shmv-channel-follower.h"
#include "shmv-channel-source.h"
#include "shmv-frame-pool.h"
#include "shmv-gerror.h"
#include "shmv-reader-pane.h"
#include "shmv-test-util.h"

#define TIMEOUT_MS 10000
#define W          32
#define H          24

/* --- ShmvMemorySource: frames handed over in memory ----------------------- */

#define SHMV_TYPE_MEMORY_SOURCE (shmv_memory_source_get_type ())
G_DECLARE_FINAL_TYPE (ShmvMemorySource, shmv_memory_source, SHMV, MEMORY_SOURCE, GObject)

struct _ShmvMemorySource
{
  GObject parent_instance;

  ShmvFrameInfo newest; /* generation 0: none */
  GBytes *pixels;
  ShmvSourceState state;
  char *problem;
  gboolean started;
};

static void memory_source_iface_init (ShmvFrameSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvMemorySource,
                               shmv_memory_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SOURCE,
                                                      memory_source_iface_init))

static void
memory_set_state (ShmvMemorySource *self, ShmvSourceState state, const char *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

static gboolean
memory_start (ShmvFrameSource *source, GError **error)
{
  SHMV_MEMORY_SOURCE (source)->started = TRUE;
  return TRUE;
}

static void
memory_stop (ShmvFrameSource *source)
{
  SHMV_MEMORY_SOURCE (source)->started = FALSE;
}

static const char *
memory_get_problem (ShmvFrameSource *source)
{
  return SHMV_MEMORY_SOURCE (source)->problem;
}

static gboolean
memory_get_newest (ShmvFrameSource *source, ShmvFrameInfo *info)
{
  ShmvMemorySource *self = SHMV_MEMORY_SOURCE (source);

  *info = self->newest;
  return self->newest.generation != 0;
}

static GBytes *
memory_read (ShmvFrameSource *source, ShmvFrameInfo *info, GError **error)
{
  ShmvMemorySource *self = SHMV_MEMORY_SOURCE (source);

  if (self->pixels == NULL)
    {
      g_propagate_error (error, shmv_gerror_new (SHMV_ERROR_NO_FRAME, "nothing pushed"));
      return NULL;
    }
  *info = self->newest;
  return g_bytes_ref (self->pixels);
}

static void
memory_source_iface_init (ShmvFrameSourceInterface *iface)
{
  iface->start = memory_start;
  iface->stop = memory_stop;
  iface->get_problem = memory_get_problem;
  iface->get_newest = memory_get_newest;
  iface->read = memory_read;
}

enum
{
  PROP_0,
  PROP_STATE,
};

static void
shmv_memory_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_assert_cmpuint (prop_id, ==, PROP_STATE);
  g_value_set_enum (value, SHMV_MEMORY_SOURCE (object)->state);
}

static void
shmv_memory_source_finalize (GObject *object)
{
  ShmvMemorySource *self = SHMV_MEMORY_SOURCE (object);

  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_pointer (&self->problem, g_free);
  G_OBJECT_CLASS (shmv_memory_source_parent_class)->finalize (object);
}

static void
shmv_memory_source_class_init (ShmvMemorySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = shmv_memory_source_finalize;
  object_class->get_property = shmv_memory_source_get_property;
  g_object_class_override_property (object_class, PROP_STATE, "state");
}

static void
shmv_memory_source_init (ShmvMemorySource *self)
{
}

/* A writer publishes @pixels (RGB8, W × H). */
static void
shmv_memory_source_push (ShmvMemorySource *self, const guint8 *pixels, gsize stride)
{
  self->newest.generation++;
  self->newest.width = W;
  self->newest.height = H;
  self->newest.stride = stride;
  self->newest.format = SHMV_FORMAT_RGB8;
  self->newest.publish_time_ns = g_get_real_time () * 1000;
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_bytes_new (pixels, stride * H);
  memory_set_state (self, SHMV_SOURCE_STATE_LIVE, NULL);
  if (self->started)
    shmv_frame_source_frame_available (SHMV_FRAME_SOURCE (self));
}

/* --- The follower ---------------------------------------------------------- */

typedef struct
{
  ShmvChannelFollower *follower;
  int frames;
  ShmvFrameInfo last;
  guint skipped;
} Seen;

static void
on_new_frame (ShmvChannelFollower *follower, const ShmvFrameInfo *info, guint skipped, Seen *seen)
{
  seen->frames++;
  seen->last = *info;
  seen->skipped = skipped;
}

typedef struct
{
  Seen *seen;
  int frames;
  ShmvSourceState state;
} Until;

static gboolean
reached (gpointer data)
{
  Until *until = data;

  return until->seen->frames >= until->frames &&
         shmv_channel_follower_get_state (until->seen->follower) == until->state;
}

static void
wait_follower (Seen *seen, int frames, ShmvSourceState state)
{
  Until until = { seen, frames, state };

  g_assert_true (gui_test_wait_until (reached, &until, TIMEOUT_MS));
}

static void
publish_on (ShmvChannel *ch, const guint8 *pixels, guint32 width, guint32 height)
{
  g_assert_true (shmv_channel_publish (ch, pixels, width, height, (size_t) width * 3,
                                       SHMV_FORMAT_RGB8, "test"));
}

static void
test_follower_follows_a_writer_that_comes_and_goes (void)
{
  g_autofree char *key = shmv_test_unique_key ("follow");
  g_autoptr (ShmvChannelFollower) follower = shmv_channel_follower_new (key);
  g_autoptr (ShmvFramePool) pool = shmv_frame_pool_new ();
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *second = NULL;
  g_autoptr (GBytes) pixels = NULL;
  ShmvChannel *writer = NULL;
  Seen seen = { .follower = follower };
  ShmvFrameInfo info;
  gsize stride = 0;

  first = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 1, &stride);
  second = shmv_test_pattern_image (W / 2, H / 2, SHMV_FORMAT_RGB8, 2, &stride);
  g_signal_connect (follower, "new-frame", G_CALLBACK (on_new_frame), &seen);

  /* No channel yet: waiting, nothing open, nothing to read. */
  g_assert_true (shmv_channel_follower_start (follower, NULL));
  g_assert_cmpint (shmv_channel_follower_get_state (follower), ==, SHMV_SOURCE_STATE_WAITING);
  g_assert_false (shmv_channel_follower_is_open (follower));
  g_assert_false (shmv_channel_follower_get_frame_info (follower, &info));

  /* Three publishes before the follower wakes: one announcement, two skipped. */
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_on (writer, first, W, H);
  publish_on (writer, first, W, H);
  publish_on (writer, first, W, H);
  wait_follower (&seen, 1, SHMV_SOURCE_STATE_LIVE);
  g_assert_cmpint (seen.frames, ==, 1);
  g_assert_cmpuint (seen.last.generation, ==, 3);
  g_assert_cmpuint (seen.skipped, ==, 2);

  /* The writer withdraws its image: the writer left, the image stays. */
  g_assert_true (shmv_channel_withdraw (writer));
  wait_follower (&seen, 1, SHMV_SOURCE_STATE_WRITER_LEFT);

  /* It removes the channel and a successor makes it anew: followed there,
   * and its first frame is news although its generation is 1 again. */
  g_assert_true (shmv_channel_remove (writer));
  shmv_channel_free (writer);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_on (writer, second, W / 2, H / 2);
  wait_follower (&seen, 2, SHMV_SOURCE_STATE_LIVE);
  g_assert_cmpuint (seen.last.generation, ==, 1);
  g_assert_cmpuint (seen.last.width, ==, W / 2);

  pixels = shmv_channel_follower_read (follower, pool, &info, NULL);
  g_assert_nonnull (pixels);
  g_assert_cmpmem (g_bytes_get_data (pixels, NULL), (gsize) (H / 2) * info.stride, second,
                   (gsize) (H / 2) * (W / 2) * 3);

  /* The writer goes without withdrawing: its death is noticed all the same. */
  shmv_channel_free (writer);
  wait_follower (&seen, 2, SHMV_SOURCE_STATE_WRITER_LEFT);
  shmv_channel_follower_stop (follower);
  g_assert_false (shmv_channel_follower_is_open (follower));
}

static void
test_follower_reports_a_corrupt_channel (void)
{
  g_autofree char *key = shmv_test_unique_key ("followbad");
  g_autoptr (ShmvChannelFollower) follower = shmv_channel_follower_new (key);
  ShmvSegment *seg = shmv_segment_new (key);
  const GError *error = NULL;

  g_assert_true (shmv_segment_create (seg, 8192, SHMV_ACCESS_READ_WRITE));
  memset (shmv_segment_data (seg), 0xab, 8192);

  g_assert_true (shmv_channel_follower_start (follower, NULL));
  g_assert_cmpint (shmv_channel_follower_get_state (follower), ==, SHMV_SOURCE_STATE_ERROR);
  error = shmv_channel_follower_get_error (follower);
  g_assert_error (error, SHMV_GERROR, SHMV_ERROR_CORRUPT);

  shmv_channel_follower_stop (follower);
  g_assert_true (shmv_segment_remove (seg));
  shmv_segment_free (seg);
}

/* --- The interface ---------------------------------------------------------- */

static void
count_available (ShmvFrameSource *source, int *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(int *) data > 0;
}

static void
test_channel_source_delivers_published_frames (void)
{
  g_autofree char *key = shmv_test_unique_key ("chsource");
  g_autoptr (ShmvFrameSource) source = shmv_channel_source_new (key);
  g_autofree guint8 *pattern = NULL;
  g_autoptr (GBytes) pixels = NULL;
  ShmvChannel *writer = NULL;
  ShmvFrameInfo info;
  gsize stride = 0;
  int available = 0;

  pattern = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 3, &stride);
  g_signal_connect (source, "frame-available", G_CALLBACK (count_available), &available);
  g_assert_true (shmv_frame_source_start (source, NULL));
  g_assert_cmpint (shmv_frame_source_get_state (source), ==, SHMV_SOURCE_STATE_WAITING);
  g_assert_null (shmv_frame_source_get_problem (source));

  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  publish_on (writer, pattern, W, H);
  g_assert_true (gui_test_wait_until (count_reached, &available, TIMEOUT_MS));
  g_assert_cmpint (shmv_frame_source_get_state (source), ==, SHMV_SOURCE_STATE_LIVE);
  g_assert_true (shmv_frame_source_get_newest (source, &info));
  g_assert_cmpuint (info.generation, ==, 1);

  pixels = shmv_frame_source_read (source, &info, NULL);
  g_assert_nonnull (pixels);
  g_assert_cmpmem (g_bytes_get_data (pixels, NULL), (gsize) H * info.stride, pattern,
                   (gsize) H * stride);
  /* No copy of ours: the bytes are the frame in the channel's own file, and
   * while they live the writer keeps off it. */
  g_assert_true (
      shmv_test_maps_channel (g_bytes_get_data (pixels, NULL), shmv_channel_native_key (writer)));
  for (guint32 seed = 10; seed < 20; seed++)
    {
      g_autofree guint8 *other = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, seed, &stride);

      publish_on (writer, other, W, H);
    }
  g_assert_cmpmem (g_bytes_get_data (pixels, NULL), (gsize) H * info.stride, pattern,
                   (gsize) H * stride);
  g_clear_pointer (&pixels, g_bytes_unref);

  shmv_frame_source_stop (source);
  g_assert_true (shmv_channel_withdraw (writer));
  shmv_channel_free (writer);
}

static gboolean
pane_shows (gpointer data)
{
  ShmvReaderPane *pane = data;
  ShmvFrameInfo info;

  return shmv_reader_pane_get_frame_info (pane, &info) && info.generation == 2;
}

static void
test_the_pane_shows_any_frame_source (void)
{
  g_autoptr (ShmvMemorySource) source = NULL;
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *second = NULL;
  GtkWidget *window = NULL;
  g_autofree char *key = shmv_test_unique_key ("memory");
  ShmvReaderPane *pane = NULL;
  ShmvFrameInfo info;
  gsize stride = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  first = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 4, &stride);
  second = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 5, &stride);
  source = g_object_new (SHMV_TYPE_MEMORY_SOURCE, NULL);
  pane = shmv_reader_pane_new (key);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (window));

  /* What the source holds when the pane takes it is shown at once... */
  shmv_memory_source_push (source, first, stride);
  shmv_reader_pane_set_source (pane, SHMV_FRAME_SOURCE (source));
  g_assert_true (source->started);
  g_assert_true (shmv_reader_pane_get_frame_info (pane, &info));
  g_assert_cmpuint (info.generation, ==, 1);
  g_assert_cmpint (shmv_reader_pane_get_state (pane), ==, SHMV_SOURCE_STATE_LIVE);
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), first, W, H, stride,
                           SHMV_FORMAT_RGB8);

  /* ...and what it delivers later shows without any input. */
  shmv_memory_source_push (source, second, stride);
  g_assert_true (gui_test_wait_until (pane_shows, pane, TIMEOUT_MS));
  gui_test_assert_texture (shmv_reader_pane_get_texture (pane), second, W, H, stride,
                           SHMV_FORMAT_RGB8);

  /* Its states are presented as a channel's are. */
  memory_set_state (source, SHMV_SOURCE_STATE_WRITER_LEFT, NULL);
  g_assert_cmpint (shmv_reader_pane_get_state (pane), ==, SHMV_SOURCE_STATE_WRITER_LEFT);
  g_assert_cmpstr (shmv_reader_pane_get_message (pane), ==, "Writer left — showing the last image");
  memory_set_state (source, SHMV_SOURCE_STATE_ERROR, "The segment went away");
  g_assert_cmpint (shmv_reader_pane_get_state (pane), ==, SHMV_SOURCE_STATE_ERROR);
  g_assert_cmpstr (shmv_reader_pane_get_message (pane), ==, "The segment went away");

  /* The pane lets go of the source when it is done with it. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_false (source->started);
}

int
main (int argc, char **argv)
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/follower/follows-a-writer-that-comes-and-goes",
                   test_follower_follows_a_writer_that_comes_and_goes);
  g_test_add_func ("/follower/reports-a-corrupt-channel", test_follower_reports_a_corrupt_channel);
  g_test_add_func ("/frame-source/channel-source/delivers-published-frames",
                   test_channel_source_delivers_published_frames);
  g_test_add_func ("/frame-source/the-pane-shows-any-frame-source",
                   test_the_pane_shows_any_frame_source);
  return g_test_run ();
}
