/* test-frame-sink.c: the frame-sink interface the writer pane publishes through
 *
 * The pane is given a second, in-memory implementation of ShmvFrameSink
 * (ShmvMemorySink below) instead of a channel: it really decodes each file
 * and keeps every frame published (pixels, size, format), so the test proves
 * that the pane loads, publishes, previews and reports failures through the
 * interface alone, as tests/app/test-frame-source.c does for the reader side.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>
#include <string.h>

#include "shmv-test-gtk.h"
#include "shmv-frame-sink.h"
#include "shmv-gerror.h"
#include "shmv-test-util.h"
#include "shmv-writer-pane.h"

#define TIMEOUT_MS 10000
#define W          40
#define H          30

/* --- ShmvMemorySink: frames kept in memory ---------------------------------- */

#define SHMV_TYPE_MEMORY_SINK (shmv_memory_sink_get_type ())
G_DECLARE_FINAL_TYPE (ShmvMemorySink, shmv_memory_sink, SHMV, MEMORY_SINK, GObject)

struct _ShmvMemorySink
{
  GObject parent_instance;

  GPtrArray *frames; /* ShmvPublished, oldest first: everything published */
  char *notice;      /* told once, by take_notice() */
  guint progress_reports;
  gboolean opened;
  gboolean closed;
};

static void memory_sink_iface_init (ShmvFrameSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ShmvMemorySink,
                               shmv_memory_sink,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SHMV_TYPE_FRAME_SINK, memory_sink_iface_init))

static gboolean
memory_open (ShmvFrameSink *sink, GError **error)
{
  SHMV_MEMORY_SINK (sink)->opened = TRUE;
  return TRUE;
}

static char *
memory_take_notice (ShmvFrameSink *sink)
{
  return g_steal_pointer (&SHMV_MEMORY_SINK (sink)->notice);
}

/* Decodes @file and keeps it as the newest frame; the files are small, so
 * this sink decodes on the calling thread and completes from the main loop. */
static void
memory_publish_file_async (ShmvFrameSink *sink,
                           GFile *file,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  ShmvMemorySink *self = SHMV_MEMORY_SINK (sink);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  ShmvPublished *published = NULL;
  ShmvPublished *kept = NULL;
  ShmvStatus status = { 0 };
  ShmvImage image = { 0 };

  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "the sink is closed");
      return;
    }
  if (!shmv_png_load (path, NULL, &image, &status))
    {
      g_task_return_error (task, shmv_gerror_new_from_status (&status));
      return;
    }
  g_signal_emit_by_name (self, "progress", 1.0);

  kept = g_new0 (ShmvPublished, 1);
  kept->info.generation = self->frames->len + 1;
  kept->info.width = image.width;
  kept->info.height = image.height;
  kept->info.stride = image.stride;
  kept->info.format = image.format;
  kept->info.publish_time_ns = g_get_real_time () * 1000;
  g_strlcpy (kept->info.source_name, name, sizeof kept->info.source_name);
  kept->pixels = g_bytes_new (image.pixels, image.stride * image.height);
  kept->segment_size = g_bytes_get_size (kept->pixels);
  shmv_image_clear (&image);
  g_ptr_array_add (self->frames, kept);

  published = g_new0 (ShmvPublished, 1);
  published->info = kept->info;
  published->pixels = g_bytes_ref (kept->pixels);
  published->segment_size = kept->segment_size;
  g_task_return_pointer (task, published, (GDestroyNotify) shmv_published_free);
}

static ShmvPublished *
memory_publish_file_finish (ShmvFrameSink *sink, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
memory_close (ShmvFrameSink *sink)
{
  SHMV_MEMORY_SINK (sink)->closed = TRUE;
}

static void
memory_sink_iface_init (ShmvFrameSinkInterface *iface)
{
  iface->open = memory_open;
  iface->take_notice = memory_take_notice;
  iface->publish_file_async = memory_publish_file_async;
  iface->publish_file_finish = memory_publish_file_finish;
  iface->close = memory_close;
}

static void
shmv_memory_sink_finalize (GObject *object)
{
  ShmvMemorySink *self = SHMV_MEMORY_SINK (object);

  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->notice, g_free);
  G_OBJECT_CLASS (shmv_memory_sink_parent_class)->finalize (object);
}

static void
shmv_memory_sink_class_init (ShmvMemorySinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = shmv_memory_sink_finalize;
}

static void
count_progress (ShmvMemorySink *self, double fraction)
{
  self->progress_reports++;
}

static void
shmv_memory_sink_init (ShmvMemorySink *self)
{
  self->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) shmv_published_free);
  g_signal_connect (self, "progress", G_CALLBACK (count_progress), NULL);
}

/* --- The writer pane through it ----------------------------------------------- */

static gboolean
load_done (gpointer data)
{
  return !shmv_writer_pane_is_loading (data);
}

static void
load (ShmvWriterPane *pane, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  shmv_writer_pane_load_file (pane, file);
  g_assert_true (gui_test_wait_until (load_done, pane, TIMEOUT_MS));
}

/* Asserts that @sink's frame @index is @pixels (@width × @height, @format, no padding). */
static void
assert_frame (ShmvMemorySink *sink,
              guint index,
              const guint8 *pixels,
              guint32 width,
              guint32 height,
              ShmvFormat format,
              const char *name)
{
  ShmvPublished *frame = NULL;
  gsize stride = (gsize) width * shmv_format_bytes_per_pixel (format);

  g_assert_cmpuint (sink->frames->len, >, index);
  frame = g_ptr_array_index (sink->frames, index);
  g_assert_cmpuint (frame->info.generation, ==, index + 1);
  g_assert_cmpuint (frame->info.width, ==, width);
  g_assert_cmpuint (frame->info.height, ==, height);
  g_assert_cmpint (frame->info.format, ==, format);
  g_assert_cmpuint (frame->info.stride, ==, stride);
  g_assert_cmpstr (frame->info.source_name, ==, name);
  g_assert_cmpmem (g_bytes_get_data (frame->pixels, NULL), g_bytes_get_size (frame->pixels), pixels,
                   stride * height);
}

static void
test_the_pane_publishes_to_any_frame_sink (void)
{
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *key = shmv_test_unique_key ("memsink");
  g_autofree char *first_path = g_build_filename (dir, "first.png", NULL);
  g_autofree char *second_path = g_build_filename (dir, "second.png", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.png", NULL);
  g_autofree char *notice = NULL;
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *second = NULL;
  g_autoptr (ShmvMemorySink) sink = NULL;
  ShmvWriterPane *pane = NULL;
  GtkWidget *window = NULL;
  const GError *error = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  first = shmv_test_write_png (first_path, W, H, SHMV_FORMAT_RGB8, 1);
  second = shmv_test_write_png (second_path, W / 2, H / 2, SHMV_FORMAT_RGBA8, 2);
  g_assert_true (g_file_set_contents (bad_path, "not a PNG", -1, NULL));

  /* The pane opens the sink it is given and tells its notice. */
  sink = g_object_new (SHMV_TYPE_MEMORY_SINK, NULL);
  notice = g_strdup_printf ("Channel “%s” was made anew", key);
  sink->notice = g_strdup (notice);
  pane = shmv_writer_pane_new_for_sink (key, SHMV_FRAME_SINK (sink));
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (shmv_writer_pane_get_sink (pane) == SHMV_FRAME_SINK (sink));
  g_assert_true (sink->opened);
  /* Told as the sink words it, not as an error: nothing failed. */
  g_assert_cmpstr (shmv_writer_pane_get_message (pane), ==, notice);
  g_assert_null (shmv_writer_pane_get_error (pane));
  g_assert_cmpuint (shmv_writer_pane_get_generation (pane), ==, 0);

  /* Each file loaded goes to the sink, decoded, and the preview shows what
   * the sink holds. */
  load (pane, first_path);
  g_assert_null (shmv_writer_pane_get_error (pane));
  g_assert_cmpuint (sink->frames->len, ==, 1);
  assert_frame (sink, 0, first, W, H, SHMV_FORMAT_RGB8, "first.png");
  g_assert_cmpuint (shmv_writer_pane_get_generation (pane), ==, 1);
  gui_test_assert_texture (GDK_TEXTURE (shmv_writer_pane_get_preview (pane)), first, W, H, W * 3,
                           SHMV_FORMAT_RGB8);
  g_assert_cmpuint (sink->progress_reports, >, 0);

  load (pane, second_path);
  g_assert_cmpuint (sink->frames->len, ==, 2);
  assert_frame (sink, 1, second, W / 2, H / 2, SHMV_FORMAT_RGBA8, "second.png");
  g_assert_cmpuint (shmv_writer_pane_get_generation (pane), ==, 2);
  gui_test_assert_texture (GDK_TEXTURE (shmv_writer_pane_get_preview (pane)), second, W / 2, H / 2,
                           (W / 2) * 4, SHMV_FORMAT_RGBA8);

  /* A file the sink refuses is shown as the pane's error; what was
   * published stays published. */
  load (pane, bad_path);
  error = shmv_writer_pane_get_error (pane);
  g_assert_nonnull (error);
  g_assert_error (error, SHMV_GERROR, SHMV_ERROR_IMAGE);
  g_assert_cmpuint (sink->frames->len, ==, 2);
  g_assert_cmpuint (shmv_writer_pane_get_generation (pane), ==, 2);

  /* Publish Again publishes the last published file once more. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "writer.republish", NULL);
  g_assert_true (gui_test_wait_until (load_done, pane, TIMEOUT_MS));
  g_assert_cmpuint (sink->frames->len, ==, 3);
  assert_frame (sink, 2, second, W / 2, H / 2, SHMV_FORMAT_RGBA8, "second.png");

  /* The pane closes the sink when it goes. */
  g_assert_false (sink->closed);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (sink->closed);

  shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/frame-sink/the-pane-publishes-to-any-frame-sink",
                   test_the_pane_publishes_to_any_frame_sink);
  return g_test_run ();
}
