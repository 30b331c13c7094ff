/* test-gui-loopback.c: the one-window demo, writer and reader in one process
 *
 * The panes share nothing but the key, so what the reader shows went
 * through the real channel. Each test publishes an image it generated and
 * checks the reader's pixels one by one, from its texture and from what the
 * widget draws.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <shmview/shmview.h>
#include <string.h>

#include "shmv-test-gtk.h"
#include "shmv-app-error.h"
#include "shmv-channel-layout.h"
#include "shmv-frame-pool.h"
#include "shmv-image-canvas.h"
#include "shmv-channel-sink.h"
#include "shmv-reader-pane.h"
#include "shmv-test-panes.h"
#include "shmv-test-util.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

#define TIMEOUT_MS 20000
#define W          64
#define H          48

typedef struct
{
  char *key;
  ShmvWindow *window;
  ShmvWriterPane *writer;
  ShmvReaderPane *reader;
  char *native_key;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  ShmvChannel *probe = NULL;

  if (!gui_test_have_display ())
    return;
  f->key = shmv_test_unique_key ("loopback");
  f->window = shmv_window_new (NULL, SHMV_WINDOW_MODE_LOOPBACK, f->key);
  f->writer = shmv_window_get_writer_pane (f->window);
  f->reader = shmv_window_get_reader_pane (f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  probe = shmv_channel_new (f->key);
  f->native_key = g_strdup (shmv_channel_native_key (probe));
  shmv_channel_free (probe);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing the window must withdraw, detach and leave nothing in /dev/shm. */
static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (!gui_test_have_display ())
    return;
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_until (window_gone, &f->window, TIMEOUT_MS));
  g_assert_false (shmv_test_shm_exists (f->native_key + (f->native_key[0] == '/')));
  g_free (f->native_key);
  g_free (f->key);
}

static void
load_and_wait (Fixture *f, const char *path)
{
  shmv_test_panes_load (f->writer, path);
}

static void
wait_for_generation (Fixture *f, guint32 generation)
{
  shmv_test_panes_wait_generation (f->reader, generation);
}

static void
assert_shows (Fixture *f, const guint8 *pixels, gsize stride, ShmvFormat format)
{
  ShmvFrameInfo info;

  g_assert_true (shmv_reader_pane_get_frame_info (f->reader, &info));
  g_assert_cmpuint (info.width, ==, W);
  g_assert_cmpuint (info.height, ==, H);
  g_assert_cmpint (info.format, ==, format);
  gui_test_assert_texture (shmv_reader_pane_get_texture (f->reader), pixels, W, H, stride, format);
}

static void
test_rgb8_shows_exact_pixels (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autoptr (GdkTexture) drawn = NULL;
  g_autoptr (GdkTexture) image = NULL;
  ShmvImageCanvas *canvas = NULL;
  graphene_rect_t rect;
  gsize stride = (gsize) W * 3;

  GUI_TEST_REQUIRE_DISPLAY ();

  path = shmv_test_path ("rgb8.png");
  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 1);
  load_and_wait (f, path);
  g_assert_null (shmv_writer_pane_get_error (f->writer));
  g_assert_cmpuint (shmv_writer_pane_get_generation (f->writer), ==, 1);
  wait_for_generation (f, 1);

  assert_shows (f, pixels, stride, SHMV_FORMAT_RGB8);
  g_assert_cmpint (shmv_reader_pane_get_state (f->reader), ==, SHMV_SOURCE_STATE_LIVE);
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (f->reader), "checksum OK"));
  /* The writer's preview is the frame read back from the channel. */
  gui_test_assert_texture (GDK_TEXTURE (shmv_writer_pane_get_preview (f->writer)), pixels, W, H,
                           stride, SHMV_FORMAT_RGB8);

  /* What the reader draws at 1:1 is exactly the image. */
  shmv_reader_pane_set_actual_size (f->reader, TRUE);
  canvas = shmv_reader_pane_get_canvas (f->reader);
  gui_test_spin (200);
  g_assert_cmpfloat (shmv_image_canvas_get_zoom (canvas), ==, 1.0);
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &rect));
  drawn = gui_test_render_widget (GTK_WIDGET (canvas));
  image = gui_test_crop_texture (drawn, rect.origin.x, rect.origin.y, W, H);
  gui_test_assert_texture (image, pixels, W, H, stride, SHMV_FORMAT_RGB8);
}

static void
test_rgba16_keeps_16_bits (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree guint8 *pixels = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  path = shmv_test_path ("rgba16.png");
  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGBA16, 2);
  load_and_wait (f, path);
  wait_for_generation (f, 1);
  assert_shows (f, pixels, (gsize) W * 8, SHMV_FORMAT_RGBA16);
}

static void
test_jpeg_through_gdk_pixbuf (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autoptr (GdkPixbuf) source = NULL;
  g_autoptr (GdkPixbuf) decoded = NULL;
  g_autoptr (GError) error = NULL;
  gsize stride = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  path = shmv_test_path ("photo.jpg");
  pixels = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 3, &stride);
  source = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, FALSE, 8, W, H, (int) stride, NULL,
                                     NULL);
  g_assert_true (gdk_pixbuf_save (source, path, "jpeg", &error, "quality", "90", NULL));
  g_assert_no_error (error);
  /* JPEG is lossy: the reference is what the same decoder makes of the file. */
  decoded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);

  load_and_wait (f, path);
  g_assert_null (shmv_writer_pane_get_error (f->writer));
  wait_for_generation (f, 1);
  assert_shows (f, gdk_pixbuf_read_pixels (decoded), (gsize) gdk_pixbuf_get_rowstride (decoded),
                SHMV_FORMAT_RGB8);
}

static void
assert_load_fails (Fixture *f, const char *path, GQuark domain, int code)
{
  const GError *error = NULL;

  load_and_wait (f, path);
  error = shmv_writer_pane_get_error (f->writer);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  g_assert_error ((GError *) error, domain, code);
}

static void
test_bad_files_keep_the_previous_image (Fixture *f, gconstpointer data)
{
  static const guint8 huge_header[] = {
    0x89, 'P',  'N',  'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0,
    1,    0x86, 0xa0, 0,   1,    0x86, 0xa0, 8,    6, 0, 0, 0,  0,   0,   0,   0,
  };
  g_autofree char *good = shmv_test_path ("good.png");
  g_autofree char *text = shmv_test_path ("not-an-image.png");
  g_autofree char *truncated = shmv_test_path ("truncated.png");
  g_autofree char *huge = shmv_test_path ("huge.png");
  g_autofree char *missing = shmv_test_path ("missing.png");
  g_autofree guint8 *pixels = NULL;
  g_autofree char *good_bytes = NULL;
  gsize good_len = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (good, W, H, SHMV_FORMAT_RGBA8, 4);
  load_and_wait (f, good);
  wait_for_generation (f, 1);

  shmv_test_write_file (text, "this is not an image\n", 21);
  assert_load_fails (f, text, SHMV_APP_ERROR, SHMV_APP_ERROR_NOT_AN_IMAGE);

  g_assert_true (g_file_get_contents (good, &good_bytes, &good_len, NULL));
  shmv_test_write_file (truncated, good_bytes, good_len / 2);
  assert_load_fails (f, truncated, SHMV_APP_ERROR, SHMV_APP_ERROR_CORRUPT);

  shmv_test_write_file (huge, huge_header, sizeof huge_header);
  assert_load_fails (f, huge, SHMV_APP_ERROR, SHMV_APP_ERROR_TOO_LARGE);

  assert_load_fails (f, missing, SHMV_APP_ERROR, SHMV_APP_ERROR_UNREADABLE);

  /* Nothing of that reached the channel: the first image is still the one. */
  gui_test_spin (100);
  g_assert_cmpuint (shmv_writer_pane_get_generation (f->writer), ==, 1);
  assert_shows (f, pixels, (gsize) W * 4, SHMV_FORMAT_RGBA8);
  g_assert_cmpint (shmv_reader_pane_get_state (f->reader), ==, SHMV_SOURCE_STATE_LIVE);

  /* A good load afterwards clears the error. */
  load_and_wait (f, good);
  g_assert_null (shmv_writer_pane_get_error (f->writer));
  wait_for_generation (f, 2);
}

static void
test_live_off_reads_on_request (Fixture *f, gconstpointer data)
{
  g_autofree char *first = shmv_test_path ("first.png");
  g_autofree char *second = shmv_test_path ("second.png");
  g_autofree guint8 *first_pixels = NULL;
  g_autofree guint8 *second_pixels = NULL;
  ShmvFrameInfo info;

  GUI_TEST_REQUIRE_DISPLAY ();

  first_pixels = shmv_test_write_png (first, W, H, SHMV_FORMAT_RGB8, 5);
  second_pixels = shmv_test_write_png (second, W, H, SHMV_FORMAT_RGB8, 6);
  load_and_wait (f, first);
  wait_for_generation (f, 1);

  shmv_reader_pane_set_live (f->reader, FALSE);
  load_and_wait (f, second);
  gui_test_spin (300);
  g_assert_true (shmv_reader_pane_get_frame_info (f->reader, &info));
  g_assert_cmpuint (info.generation, ==, 1);
  assert_shows (f, first_pixels, (gsize) W * 3, SHMV_FORMAT_RGB8);
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (f->reader), "generation 2 is waiting"));

  /* "Display Image From Shared Memory" */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->reader), "reader.display", NULL));
  g_assert_true (shmv_reader_pane_get_frame_info (f->reader, &info));
  g_assert_cmpuint (info.generation, ==, 2);
  assert_shows (f, second_pixels, (gsize) W * 3, SHMV_FORMAT_RGB8);

  /* Live again: the next publish shows without asking. */
  shmv_reader_pane_set_live (f->reader, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->writer), "writer.republish", NULL));
  wait_for_generation (f, 3);
}

static void
on_cancelled_publish (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  g_autoptr (ShmvPublished) published = NULL;

  published = shmv_frame_sink_publish_file_finish (SHMV_FRAME_SINK (source), result, error);
  g_assert_null (published);
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
test_cancelled_load_publishes_nothing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = shmv_test_path ("cancelled.png");
  g_autofree guint8 *pixels = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  ShmvFrameSink *sink = NULL;
  g_autoptr (GFile) file = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB8, 7);
  file = g_file_new_for_path (path);
  sink = shmv_writer_pane_get_sink (f->writer);
  g_cancellable_cancel (cancellable);
  shmv_frame_sink_publish_file_async (sink, file, cancellable, on_cancelled_publish, &error);
  g_assert_true (gui_test_wait_until (error_set, &error, TIMEOUT_MS));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gui_test_spin (100);
  g_assert_false (shmv_reader_pane_get_frame_info (f->reader, NULL));
  g_assert_cmpint (shmv_reader_pane_get_state (f->reader), ==, SHMV_SOURCE_STATE_WAITING);
}

static void
test_waiting_message_names_the_key (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  g_assert_cmpint (shmv_reader_pane_get_state (f->reader), ==, SHMV_SOURCE_STATE_WAITING);
  g_assert_null (shmv_reader_pane_get_message (f->reader));
  g_assert_null (shmv_reader_pane_get_texture (f->reader));
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (f->reader), "no image yet"));
  expected = g_strdup_printf ("Waiting for a writer on key “%s”…", f->key);
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (f->reader), GTK_TYPE_LABEL, expected));
}

typedef struct
{
  gboolean done;
  GError *error;
} SaveResult;

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaveResult *save = user_data;

  shmv_reader_pane_save_finish (SHMV_READER_PANE (source), result, &save->error);
  save->done = TRUE;
}

static gboolean
save_done (gpointer data)
{
  return ((SaveResult *) data)->done;
}

static void
test_save_as_is_lossless (Fixture *f, gconstpointer data)
{
  g_autofree char *path = shmv_test_path ("to-save.png");
  g_autofree char *out = shmv_test_path ("saved.png");
  g_autofree guint8 *pixels = NULL;
  g_autoptr (GFile) out_file = g_file_new_for_path (out);
  SaveResult save = { 0 };
  ShmvImage image = { 0 };
  ShmvStatus status = { 0 };

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_write_png (path, W, H, SHMV_FORMAT_RGB16, 9);
  load_and_wait (f, path);
  wait_for_generation (f, 1);
  shmv_reader_pane_save_async (f->reader, out_file, NULL, on_saved, &save);
  g_assert_true (gui_test_wait_until (save_done, &save, TIMEOUT_MS));
  g_assert_no_error (save.error);

  g_assert_true (shmv_png_load (out, NULL, &image, &status));
  g_assert_cmpint (image.format, ==, SHMV_FORMAT_RGB16);
  g_assert_cmpmem (image.pixels, image.stride * image.height, pixels, (gsize) W * 6 * H);
  shmv_image_clear (&image);
}

/* Scribbles over the current frame's pixels only. The frame the pane shows
 * is leased: a peer that writes over it directly changes what is shown
 * (a lease keeps writers that follow the protocol off it, no one else; see
 * the threat model in docs/RELIABILITY.md). */
static void
xor_current_pixels (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  const ShmvChannelHeader *header;
  guint8 *data = NULL;
  ShmvSlot slot;

  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  data = shmv_segment_data (seg);
  header = (const ShmvChannelHeader *) data;
  slot = header->slots[header->front];
  g_assert_cmpuint (slot.offset + slot.bytes, <=, shmv_segment_size (seg));
  for (gsize i = 0; i < slot.bytes; i++)
    data[slot.offset + i] ^= 0x5a;
  shmv_segment_free (seg);
}

static void
test_corrupt_frame_keeps_the_last_good_one (Fixture *f, gconstpointer data)
{
  g_autofree char *first = shmv_test_path ("good-first.png");
  g_autofree char *second = shmv_test_path ("good-second.png");
  g_autofree guint8 *first_pixels = NULL;
  g_autofree guint8 *second_pixels = NULL;
  const char *message = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  first_pixels = shmv_test_write_png (first, W, H, SHMV_FORMAT_RGB8, 20);
  second_pixels = shmv_test_write_png (second, W, H, SHMV_FORMAT_RGB8, 21);
  load_and_wait (f, first);
  wait_for_generation (f, 1);

  /* A hostile peer scribbles over the next frame before the reader copies it. */
  shmv_reader_pane_set_live (f->reader, FALSE);
  load_and_wait (f, second);
  xor_current_pixels (f->key);
  shmv_reader_pane_display_once (f->reader);

  g_assert_cmpint (shmv_reader_pane_get_state (f->reader), ==, SHMV_SOURCE_STATE_ERROR);
  message = shmv_reader_pane_get_message (f->reader);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_true (g_str_has_prefix (message, "Corrupt channel"));
  assert_shows (f, first_pixels, (gsize) W * 3, SHMV_FORMAT_RGB8);
}

static gboolean
pane_in_error (gpointer data)
{
  return shmv_reader_pane_get_state (data) == SHMV_SOURCE_STATE_ERROR;
}

static void
test_a_segment_that_is_no_channel_is_reported (void)
{
  g_autofree char *key = NULL;
  ShmvSegment *seg = NULL;
  ShmvWindow *window = NULL;
  ShmvReaderPane *reader = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  key = shmv_test_unique_key ("nochannel");
  seg = shmv_segment_new (key);
  g_assert_true (shmv_segment_create (seg, 8192, SHMV_ACCESS_READ_WRITE));
  memset (shmv_segment_data (seg), 0xab, 8192);

  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  reader = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (pane_in_error, reader, TIMEOUT_MS));
  g_test_message ("%s", shmv_reader_pane_get_message (reader));
  g_assert_true (g_str_has_prefix (shmv_reader_pane_get_message (reader), "Corrupt channel"));
  g_assert_null (shmv_reader_pane_get_texture (reader));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (window_gone, &window, TIMEOUT_MS));
  shmv_segment_free (seg);
}

/* A steady stream of frames reuses two buffers instead of allocating. */
static void
test_frame_pool_reuses_buffers (void)
{
  g_autofree char *key = shmv_test_unique_key ("pool");
  g_autoptr (ShmvFramePool) pool = shmv_frame_pool_new ();
  guint8 pixels[16 * 8 * 3] = { 0 };
  ShmvChannel *writer = shmv_channel_new (key);
  ShmvChannel *reader = shmv_channel_new (key);
  GBytes *shown = NULL;
  gconstpointer buffers[2] = { NULL, NULL };

  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_open (reader, SHMV_CHANNEL_READER, 0));

  for (int frame = 0; frame < 6; frame++)
    {
      ShmvFrameInfo info;
      GBytes *next = NULL;

      pixels[0] = (guint8) frame;
      g_assert_true (shmv_channel_publish (writer, pixels, 16, 8, 48, SHMV_FORMAT_RGB8, NULL));
      next = shmv_frame_pool_read (pool, reader, &info, NULL);
      g_assert_nonnull (next);
      g_assert_cmpuint (((const guint8 *) g_bytes_get_data (next, NULL))[0], ==, frame);
      /* From the third frame on, the buffers alternate: no new allocation. */
      if (frame >= 2)
        g_assert_true (g_bytes_get_data (next, NULL) == buffers[frame % 2]);
      buffers[frame % 2] = g_bytes_get_data (next, NULL);
      g_clear_pointer (&shown, g_bytes_unref);
      shown = next;
      g_assert_cmpuint (shmv_frame_pool_n_spare (pool), ==, frame == 0 ? 0 : 1);
    }

  g_bytes_unref (shown);
  g_assert_cmpuint (shmv_frame_pool_n_spare (pool), ==, 2);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/loopback/rgb8-shows-exact-pixels", test_rgb8_shows_exact_pixels);
  ADD ("/gui/loopback/rgba16-keeps-16-bits", test_rgba16_keeps_16_bits);
  ADD ("/gui/loopback/jpeg-through-gdk-pixbuf", test_jpeg_through_gdk_pixbuf);
  ADD ("/gui/loopback/bad-files-keep-the-previous-image", test_bad_files_keep_the_previous_image);
  ADD ("/gui/loopback/live-off-reads-on-request", test_live_off_reads_on_request);
  ADD ("/gui/loopback/cancelled-load-publishes-nothing", test_cancelled_load_publishes_nothing);
  ADD ("/gui/loopback/waiting-message-names-the-key", test_waiting_message_names_the_key);
  ADD ("/gui/loopback/save-as-is-lossless", test_save_as_is_lossless);
  ADD ("/gui/loopback/corrupt-frame-keeps-the-last-good-one",
       test_corrupt_frame_keeps_the_last_good_one);
#undef ADD
  g_test_add_func ("/gui/reader/a-segment-that-is-no-channel-is-reported",
                   test_a_segment_that_is_no_channel_is_reported);
  g_test_add_func ("/gui/frame-pool/buffers-are-reused", test_frame_pool_reuses_buffers);

  return g_test_run ();
}
