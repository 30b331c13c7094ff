/* test-qt-app.c: the shmview app with --qt against real Qt code
 *
 * Qt's side is qt-shm-peer (Qt 6's QSharedMemory and QDataStream << QImage,
 * as Qt's Shared Memory Example). The app's side is the real shmview binary
 * where what it shows is told by its debug log (shmv-events.h), and the
 * very window it makes (shmv_window_new_for_kind()) in this process where
 * pixels are compared. Every test has its own key and the private TMPDIR.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <png.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shmv-channel-chooser.h"
#include "shmv-events.h"
#include "shmv-reader-pane.h"
#include "shmv-test-gtk.h"
#include "shmv-test-qt.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

#define TIMEOUT_MS 20000

static const char *shmview_bin = SHMVIEW_BIN;

/* --- The shmview binary -------------------------------------------------- */

typedef struct
{
  GPid pid;
  int out;
} Child;

static Child
start_shmview (const char *debug_domains, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  Child child = { 0 };

  g_ptr_array_add (argv, (gpointer) shmview_bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  child.pid = shmv_test_spawn ((const char *const *) argv->pdata, debug_domains, &child.out, NULL);
  return child;
}

/* SIGTERM closes the windows as the close button does: exit 0. */
static void
stop_cleanly (Child *child)
{
  g_assert_cmpint (kill (child->pid, SIGTERM), ==, 0);
  g_assert_cmpint (shmv_test_wait_exit (child->pid, TIMEOUT_MS), ==, 0);
  close (child->out);
  child->pid = 0;
}

/* Waits for a debug line containing @format filled in. */
G_GNUC_PRINTF (2, 3)
static gboolean
wait_for_event (int fd, const char *format, ...)
{
  g_autofree char *needle = NULL;
  va_list args;

  va_start (args, format);
  needle = g_strdup_vprintf (format, args);
  va_end (args);
  return shmv_test_wait_for_line (fd, needle, TIMEOUT_MS);
}

/* --- In-process windows ------------------------------------------------------ */

typedef struct
{
  ShmvReaderPane *pane;
  guint32 generation;
} PaneWait;

static gboolean
pane_shows (gpointer data)
{
  PaneWait *wait = data;
  ShmvFrameInfo info;

  return shmv_reader_pane_get_frame_info (wait->pane, &info) && info.generation >= wait->generation;
}

static void
wait_pane (ShmvReaderPane *pane, guint32 generation)
{
  PaneWait wait = { pane, generation };

  g_assert_true (gui_test_wait_until (pane_shows, &wait, TIMEOUT_MS));
}

static gboolean
pane_writer_left (gpointer data)
{
  return shmv_reader_pane_get_state (data) == SHMV_SOURCE_STATE_WRITER_LEFT;
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (shmv_reader_pane_save_finish (SHMV_READER_PANE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The pane's frame, exactly (16 bits kept), through its Save As. */
static void
assert_pane_pixels (ShmvReaderPane *pane, const PngTestPixels *expected, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "shown.png", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PngTestPixels got = { 0 };
  gboolean saved = FALSE;

  shmv_reader_pane_save_async (pane, file, NULL, on_saved, &saved);
  g_assert_true (gui_test_wait_until (flag_set, &saved, TIMEOUT_MS));
  png_test_reference_decode (path, &got);
  png_test_assert_pixels_equal (&got, expected, "the reader window");
  png_test_pixels_clear (&got);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_window (ShmvWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (window_gone, &window, TIMEOUT_MS));
}

/* --- Qt → shmview ---------------------------------------------------------------- */

/* Qt publishes; the reader window shows exactly its pixels, and Qt can
 * replace the image while the window runs (it never holds the segment). */
static void
check_reader_pixels (int color_type, int depth, const char *what)
{
  g_autofree char *key = qt_test_letters_key (what);
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "in.png", NULL);
  PngTestPixels expected = { 0 };
  PngTestSpec spec;
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;
  QtPublisher pub;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (src, color_type, depth, 51, &spec);
  png_test_spec_expected (&spec, &expected);
  qt_test_publish (&pub, key, src);

  window = shmv_window_new_for_kind (NULL, SHMV_WINDOW_MODE_READER, SHMV_SOURCE_KIND_QT, key);
  gtk_window_present (GTK_WINDOW (window));
  pane = shmv_window_get_reader_pane (window);
  wait_pane (pane, 1);
  g_assert_cmpint (shmv_reader_pane_get_state (pane), ==, SHMV_SOURCE_STATE_LIVE);
  assert_pane_pixels (pane, &expected, dir);

  /* Qt's writer goes: the last image stays, marked as left, as for a
   * channel. Then it publishes again, as its example does (a new segment). */
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  g_assert_true (gui_test_wait_until (pane_writer_left, pane, TIMEOUT_MS));
  qt_test_publish (&pub, key, src);
  wait_pane (pane, 2);
  assert_pane_pixels (pane, &expected, dir);

  destroy_window (window);
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (dir);
}

static void
test_reader_rgb8 (void)
{
  check_reader_pixels (PNG_COLOR_TYPE_RGB, 8, "ReadRgb");
}

static void
test_reader_rgba16 (void)
{
  check_reader_pixels (PNG_COLOR_TYPE_RGB_ALPHA, 16, "ReadRgbaSixteen");
}

static gboolean
pane_in_error (gpointer data)
{
  return shmv_reader_pane_get_state (data) == SHMV_SOURCE_STATE_ERROR;
}

static gboolean
pane_waiting (gpointer data)
{
  return shmv_reader_pane_get_state (data) == SHMV_SOURCE_STATE_WAITING;
}

/* A segment that holds no image: the reader says so (the state and the
 * banner), never crashes, and removes the orphan as Qt's reader would; with
 * the segment gone it waits again. */
static void
test_reader_corrupt (void)
{
  g_autofree char *key = qt_test_letters_key ("Corrupt");
  GRand *rand = g_rand_new_with_seed (7);
  guint8 bytes[4096];
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;
  struct shmid_ds ds;
  int id;

  GUI_TEST_REQUIRE_DISPLAY ();

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  id = qt_test_make_segment (key, bytes, sizeof bytes);

  window = shmv_window_new_for_kind (NULL, SHMV_WINDOW_MODE_READER, SHMV_SOURCE_KIND_QT, key);
  gtk_window_present (GTK_WINDOW (window));
  pane = shmv_window_get_reader_pane (window);
  g_assert_true (gui_test_wait_until (pane_in_error, pane, TIMEOUT_MS));
  g_test_message ("the reader says: %s", shmv_reader_pane_get_message (pane));
  {
    g_autofree char *said = g_strdup_printf (
        "The Qt segment “%s” holds no image shmview can read: it holds no PNG image", key);

    g_assert_nonnull (strstr (shmv_reader_pane_get_message (pane), said));
  }
  g_assert_false (shmv_reader_pane_get_frame_info (pane, NULL));
  g_assert_cmpint (shmctl (id, IPC_STAT, &ds), ==, -1);
  g_assert_true (gui_test_wait_until (pane_waiting, pane, TIMEOUT_MS));

  destroy_window (window);
  qt_test_assert_tmpdir_empty ();
}

/* `shmview --reader --qt` follows: Qt publishes a second image (another
 * process, as the example's detach and create) and the reader shows it. The
 * delay is printed, not asserted. */
static void
test_reader_follows (void)
{
  g_autofree char *key = qt_test_letters_key ("Follow");
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (dir, "one.png", NULL);
  g_autofree char *two = g_build_filename (dir, "two.png", NULL);
  const char *args[] = { "--reader", "--qt", "-k", key, NULL };
  PngTestSpec spec1, spec2;
  QtPublisher pub;
  Child reader;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (one, PNG_COLOR_TYPE_RGB, 8, 61, &spec1);
  qt_test_write_spec (two, PNG_COLOR_TYPE_RGB, 16, 62, &spec2);
  reader = start_shmview ("shmv-reader-pane", args);
  g_assert_true (wait_for_event (reader.out, SHMV_EVENT_READER_FOLLOWING, key));

  qt_test_publish (&pub, key, one);
  g_assert_true (
      wait_for_event (reader.out, SHMV_EVENT_READER_SHOWING " “%s”: 37x23 RGB8", 1, key));
  qt_test_unpublish (&pub);

  for (guint32 generation = 2; generation <= 3; generation++)
    {
      gint64 published;

      qt_test_publish (&pub, key, generation == 2 ? two : one);
      published = g_get_monotonic_time ();
      g_assert_true (
          wait_for_event (reader.out, SHMV_EVENT_READER_SHOWING " “%s”: 37x23", generation, key));
      g_test_message ("Qt's image %u shown %.0f ms after Qt published it (poll every %d ms)",
                      generation, (g_get_monotonic_time () - published) / 1000.0, 150);
      qt_test_unpublish (&pub);
    }
  qt_test_assert_tmpdir_empty ();

  stop_cleanly (&reader);
  qt_test_assert_tmpdir_empty ();
  png_test_spec_clear (&spec1);
  png_test_spec_clear (&spec2);
  shmv_test_tmpdir_remove (dir);
}

/* --- shmview → Qt ------------------------------------------------------------------ */

/* `shmview --writer --qt --load FILE`: Qt reads the pixels, twice; closing
 * the window (SIGTERM does as the close button) leaves nothing. */
static void
check_writer (int color_type, int depth, const char *what)
{
  g_autofree char *key = qt_test_letters_key (what);
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "in.png", NULL);
  g_autofree char *out1 = g_build_filename (dir, "qt-1.png", NULL);
  g_autofree char *out2 = g_build_filename (dir, "qt-2.png", NULL);
  const char *args[] = { "--writer", "--qt", "-k", key, "--load", src, NULL };
  PngTestPixels expected = { 0 };
  PngTestSpec spec;
  int shm_id, sem_id;
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (src, color_type, depth, 71, &spec);
  png_test_spec_expected (&spec, &expected);
  writer = start_shmview ("shmv-qt-sink", args);
  g_assert_true (wait_for_event (writer.out, "on Qt segment “%s”", key));

  qt_test_ids (key, &shm_id, &sem_id);
  qt_test_read_assert (key, out1, &expected, "Qt's first reader");
  qt_test_read_assert (key, out2, &expected, "Qt's second reader");
  g_assert_true (shmv_test_pid_alive (writer.pid));

  stop_cleanly (&writer);
  qt_test_assert_tmpdir_empty ();
  qt_test_assert_ids_gone (shm_id, sem_id);
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (dir);
}

static void
test_writer_rgb8 (void)
{
  check_writer (PNG_COLOR_TYPE_RGB, 8, "WriteRgb");
}

static void
test_writer_rgba16 (void)
{
  check_writer (PNG_COLOR_TYPE_RGB_ALPHA, 16, "WriteRgbaSixteen");
}

static gboolean
writer_idle (gpointer data)
{
  return !shmv_writer_pane_is_loading (data);
}

/* A writer on a key another Qt program holds shows that program's image
 * (looked at, not held: Qt's segment stays as it was) and says who holds
 * the key and what to do; its own publish then fails with the same words. */
static gboolean
writer_shows_other (gpointer data)
{
  return shmv_writer_pane_get_generation (data) > 0;
}

static void
test_writer_key_held (void)
{
  g_autofree char *key = qt_test_letters_key ("Held");
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "qt.png", NULL);
  g_autofree char *mine = g_build_filename (dir, "mine.png", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *said = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (mine);
  PngTestPixels expected = { 0 };
  PngTestSpec spec, other;
  ShmvWindow *window = NULL;
  ShmvWriterPane *pane = NULL;
  QtPublisher pub;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 91, &spec);
  qt_test_write_spec (mine, PNG_COLOR_TYPE_RGB_ALPHA, 8, 92, &other);
  png_test_spec_expected (&spec, &expected);
  qt_test_publish (&pub, key, src);
  said = g_strdup_printf ("Another program (process %d) publishes on the Qt key “%s”: close it, "
                          "or choose another key",
                          (int) pub.pid, key);

  window = shmv_window_new_for_kind (NULL, SHMV_WINDOW_MODE_WRITER, SHMV_SOURCE_KIND_QT, key);
  gtk_window_present (GTK_WINDOW (window));
  pane = shmv_window_get_writer_pane (window);
  g_assert_true (gui_test_wait_until (writer_shows_other, pane, TIMEOUT_MS));
  g_test_message ("writer: %s | %s", shmv_writer_pane_get_message (pane),
                  shmv_writer_pane_get_status (pane));
  g_assert_cmpstr (shmv_writer_pane_get_message (pane), ==, said);
  g_assert_nonnull (strstr (shmv_writer_pane_get_status (pane), "37 × 23 RGB8"));

  shmv_writer_pane_load_file (pane, file);
  g_assert_true (gui_test_wait_until (writer_idle, pane, TIMEOUT_MS));
  g_test_message ("after a publish: %s", shmv_writer_pane_get_message (pane));
  g_assert_nonnull (strstr (shmv_writer_pane_get_message (pane), said));
  g_assert_null (strstr (shmv_writer_pane_get_message (pane), qt_tmpdir));
  /* Still Qt's image, in Qt's segment: looking held and removed nothing. */
  g_assert_nonnull (strstr (shmv_writer_pane_get_status (pane), "37 × 23 RGB8"));
  qt_test_read_assert (key, out, &expected, "Qt's segment under a shmview writer");

  destroy_window (window);
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  png_test_spec_clear (&other);
  shmv_test_tmpdir_remove (dir);
}

/* A `shmview --writer --qt` killed with SIGKILL leaves its segment with
 * nobody attached (and Qt's lock free: SEM_UNDO); the next writer reclaims
 * that orphan, as a Qt reader would, and publishes. */
static void
test_writer_after_sigkill (void)
{
  g_autofree char *key = qt_test_letters_key ("WriteKill");
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *one = g_build_filename (dir, "one.png", NULL);
  g_autofree char *two = g_build_filename (dir, "two.png", NULL);
  g_autofree char *out = g_build_filename (dir, "qt.png", NULL);
  const char *args1[] = { "--writer", "--qt", "-k", key, "--load", one, NULL };
  const char *args2[] = { "--writer", "--qt", "-k", key, "--load", two, NULL };
  PngTestPixels expected = { 0 };
  PngTestSpec spec1, spec2;
  struct shmid_ds ds;
  int orphan_id, shm_id, sem_id;
  Child writer;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (one, PNG_COLOR_TYPE_RGB, 8, 73, &spec1);
  qt_test_write_spec (two, PNG_COLOR_TYPE_RGB, 8, 74, &spec2);
  png_test_spec_expected (&spec2, &expected);
  writer = start_shmview ("shmv-qt-sink", args1);
  g_assert_true (wait_for_event (writer.out, "on Qt segment “%s”", key));
  qt_test_ids (key, &orphan_id, &sem_id);
  shmv_test_kill (writer.pid);
  close (writer.out);
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, 0);
  g_assert_cmpuint (ds.shm_nattch, ==, 0);

  writer = start_shmview ("shmv-qt-sink", args2);
  g_assert_true (wait_for_event (writer.out, "on Qt segment “%s”", key));
  g_assert_cmpint (shmctl (orphan_id, IPC_STAT, &ds), ==, -1);
  qt_test_ids (key, &shm_id, &sem_id);
  qt_test_read_assert (key, out, &expected, "Qt's reader after the orphan was reclaimed");

  stop_cleanly (&writer);
  qt_test_assert_tmpdir_empty ();
  qt_test_assert_ids_gone (shm_id, sem_id);
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec1);
  png_test_spec_clear (&spec2);
  shmv_test_tmpdir_remove (dir);
}

/* `shmview --qt`: the loopback window's writer publishes on a Qt segment
 * and its reader shows it; a second load replaces the segment. */
static void
test_loopback (void)
{
  g_autofree char *key = qt_test_letters_key ("Loop");
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "in.png", NULL);
  g_autofree char *src2 = g_build_filename (dir, "in2.png", NULL);
  g_autoptr (GFile) file2 = g_file_new_for_path (src2);
  PngTestPixels expected = { 0 };
  PngTestSpec spec, spec2;
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 81, &spec);
  qt_test_write_spec (src2, PNG_COLOR_TYPE_RGB_ALPHA, 16, 82, &spec2);
  png_test_spec_expected (&spec2, &expected);
  window = shmv_window_new_for_kind (NULL, SHMV_WINDOW_MODE_LOOPBACK, SHMV_SOURCE_KIND_QT, key);
  gtk_window_present (GTK_WINDOW (window));
  pane = shmv_window_get_reader_pane (window);
  {
    g_autoptr (GFile) file = g_file_new_for_path (src);
    shmv_writer_pane_load_file (shmv_window_get_writer_pane (window), file);
  }
  wait_pane (pane, 1);
  g_assert_true (
      gui_test_wait_until (writer_idle, shmv_window_get_writer_pane (window), TIMEOUT_MS));
  shmv_writer_pane_load_file (shmv_window_get_writer_pane (window), file2);
  wait_pane (pane, 2);
  assert_pane_pixels (pane, &expected, dir);
  /* True of a Qt segment: System V memory, not /dev/shm, and no checksum
   * (Qt's format has none). */
  g_test_message ("writer: %s", shmv_writer_pane_get_status (shmv_window_get_writer_pane (window)));
  g_test_message ("reader: %s", shmv_reader_pane_get_status (pane));
  g_assert_nonnull (strstr (shmv_writer_pane_get_status (shmv_window_get_writer_pane (window)),
                            "of System V shared memory"));
  g_assert_null (
      strstr (shmv_writer_pane_get_status (shmv_window_get_writer_pane (window)), "/dev/shm"));
  g_assert_null (strstr (shmv_reader_pane_get_status (pane), "checksum"));

  destroy_window (window);
  qt_test_assert_tmpdir_empty ();
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  png_test_spec_clear (&spec2);
  shmv_test_tmpdir_remove (dir);
}

/* --- The chooser -------------------------------------------------------------------- */

static gboolean
chooser_listed_qt (gpointer data)
{
  return shmv_channel_chooser_get_n_qt_segments (data) > 0;
}

/* The reader's chooser lists Qt's segment, marked as Qt; choosing it makes a
 * channel reader follow the Qt segment. */
static void
test_chooser (void)
{
  g_autofree char *key = qt_test_letters_key ("Choose");
  g_autofree char *dir = g_dir_make_tmp ("shmv-qt-app-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (dir, "in.png", NULL);
  PngTestPixels expected = { 0 };
  PngTestSpec spec;
  ShmvWindow *window = NULL;
  ShmvReaderPane *pane = NULL;
  GtkWidget *chooser = NULL;
  GtkWidget *label = NULL;
  GtkWidget *row = NULL;
  QtPublisher pub;

  GUI_TEST_REQUIRE_DISPLAY ();

  qt_test_write_spec (src, PNG_COLOR_TYPE_RGB, 8, 91, &spec);
  png_test_spec_expected (&spec, &expected);
  qt_test_publish (&pub, key, src);

  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  gtk_window_present (GTK_WINDOW (window));
  pane = shmv_window_get_reader_pane (window);
  chooser = gui_test_find_widget (GTK_WIDGET (pane), SHMV_TYPE_CHANNEL_CHOOSER, NULL);
  g_assert_nonnull (chooser);
  shmv_channel_chooser_refresh (SHMV_CHANNEL_CHOOSER (chooser));
  g_assert_true (gui_test_wait_until (chooser_listed_qt, chooser, TIMEOUT_MS));

  {
    GtkWidget *popover = (GtkWidget *) gtk_menu_button_get_popover (
        GTK_MENU_BUTTON (gui_test_find_widget (chooser, GTK_TYPE_MENU_BUTTON, NULL)));

    label = gui_test_find_widget (popover, GTK_TYPE_LABEL, key);
    g_assert_nonnull (label);
    g_assert_nonnull (gui_test_find_widget (popover, GTK_TYPE_LABEL, "Qt segment · "));
    row = gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW);
    g_assert_nonnull (row);
    g_signal_emit_by_name (gtk_widget_get_ancestor (row, GTK_TYPE_LIST_BOX), "row-activated", row);
  }
  g_assert_cmpint (shmv_channel_chooser_get_kind (SHMV_CHANNEL_CHOOSER (chooser)), ==,
                   SHMV_SOURCE_KIND_QT);
  wait_pane (pane, 1);
  assert_pane_pixels (pane, &expected, dir);

  destroy_window (window);
  qt_test_unpublish (&pub);
  qt_test_assert_tmpdir_empty ();
  png_test_pixels_clear (&expected);
  png_test_spec_clear (&spec);
  shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
  int result;

  gui_test_init (&argc, &argv);
  qt_test_private_ipc ();
  qt_test_tmpdir_setup ();

  g_test_add_func ("/qt-app/reader-rgb8", test_reader_rgb8);
  g_test_add_func ("/qt-app/reader-rgba16", test_reader_rgba16);
  g_test_add_func ("/qt-app/reader-corrupt", test_reader_corrupt);
  g_test_add_func ("/qt-app/reader-follows", test_reader_follows);
  g_test_add_func ("/qt-app/writer-rgb8", test_writer_rgb8);
  g_test_add_func ("/qt-app/writer-rgba16", test_writer_rgba16);
  g_test_add_func ("/qt-app/writer-after-sigkill", test_writer_after_sigkill);
  g_test_add_func ("/qt-app/loopback", test_loopback);
  g_test_add_func ("/qt-app/writer-key-held", test_writer_key_held);
  g_test_add_func ("/qt-app/chooser", test_chooser);
  result = g_test_run ();
  if (!qt_test_private_ipc_is_clean ())
    result = 1;
  g_rmdir (qt_tmpdir);
  return result;
}
