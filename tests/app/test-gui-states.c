/* test-gui-states.c: what the windows say in each state, one message per state
 *
 * In-process windows on their own keys, fed by plain libshmview writers:
 * the loopback window's subtitle once the reader follows another key, and
 * the reader's empty page and status line with live following off and on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>
#include <string.h>

#include "shmv-reader-pane.h"
#include "shmv-test-gtk.h"
#include "shmv-test-util.h"
#include "shmv-window.h"

#define TIMEOUT_MS 20000
#define W          16
#define H          12

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The label showing @text, or NULL when none shows. */
static GtkWidget *
shown_label (GtkWidget *root, const char *text)
{
  GtkWidget *label = gui_test_find_widget (root, GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_get_mapped (label) ? label : NULL;
}

static void
test_loopback_subtitle_names_both_keys (void)
{
  g_autofree char *key = NULL;
  g_autofree char *other = NULL;
  g_autofree char *both = NULL;
  g_autofree char *one = NULL;
  ShmvWindow *window = NULL;
  ShmvReaderPane *reader = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  key = shmv_test_unique_key ("subtitle");
  other = shmv_test_unique_key ("subtitle-other");
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_LOOPBACK, key);
  reader = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (is_mapped, window, TIMEOUT_MS));

  one = g_strdup_printf ("Loopback through key “%s”", key);
  g_assert_nonnull (shown_label (GTK_WIDGET (window), one));

  /* The reader follows another key: the writer still publishes on ours. */
  shmv_reader_pane_set_key (reader, other);
  both = g_strdup_printf ("Writer on key “%s”, reader on key “%s”", key, other);
  g_assert_nonnull (shown_label (GTK_WIDGET (window), both));
  g_assert_null (gui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, "Loopback through"));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), other));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), key));

  shmv_reader_pane_set_key (reader, key);
  g_assert_nonnull (shown_label (GTK_WIDGET (window), one));

  gui_test_destroy_window (GTK_WINDOW (window));
}

typedef struct
{
  ShmvReaderPane *pane;
  const char *text;
  guint32 generation;
} StatusWait;

static gboolean
status_says (gpointer data)
{
  StatusWait *wait = data;
  ShmvFrameInfo info = { 0 };

  shmv_reader_pane_get_frame_info (wait->pane, &info);
  return info.generation >= wait->generation &&
         strstr (shmv_reader_pane_get_status (wait->pane), wait->text) != NULL;
}

static void
wait_status (ShmvReaderPane *pane, guint32 generation, const char *text)
{
  StatusWait wait = { pane, text, generation };

  if (!gui_test_wait_until (status_says, &wait, TIMEOUT_MS))
    g_error ("status “%s” never said “%s”", shmv_reader_pane_get_status (pane), text);
}

typedef struct
{
  GtkWidget *root;
  const char *text;
} LabelWait;

static gboolean
label_shows (gpointer data)
{
  LabelWait *wait = data;

  return shown_label (wait->root, wait->text) != NULL;
}

static void
wait_label (GtkWidget *root, const char *text)
{
  LabelWait wait = { root, text };

  g_assert_true (gui_test_wait_until (label_shows, &wait, TIMEOUT_MS));
}

#define PROMISE "The image appears here as soon as a writer publishes one."

/* Live off, the empty page says one thing per state and never promises that
 * an image will appear by itself; latency is told only while following
 * live, never for an image the user asked for. */
static void
test_live_off_one_message_per_state (void)
{
  g_autofree char *key = shmv_test_unique_key ("liveoff");
  g_autofree char *waiting = g_strdup_printf ("Waiting for a writer on key “%s”…", key);
  g_autofree char *ready = g_strdup_printf ("An image is ready on key “%s”", key);
  g_autofree guint8 *pixels = NULL;
  ShmvChannel *writer = NULL;
  ShmvWindow *window = NULL;
  ShmvReaderPane *reader = NULL;
  GtkWidget *root = NULL;
  gsize stride = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  pixels = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGB8, 31, &stride);
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_READER, key);
  root = GTK_WIDGET (window);
  reader = shmv_window_get_reader_pane (window);
  gtk_window_present (GTK_WINDOW (window));

  /* Live, waiting: the promise holds. */
  wait_label (root, waiting);
  g_assert_nonnull (shown_label (root, PROMISE));

  /* Live off, waiting: no promise. */
  shmv_reader_pane_set_live (reader, FALSE);
  g_assert_nonnull (shown_label (root, waiting));
  g_assert_null (shown_label (root, PROMISE));
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (reader), "no image yet"));

  /* A frame arrives: it is ready, and that is all the page says. */
  writer = shmv_channel_new (key);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (writer, pixels, W, H, stride, SHMV_FORMAT_RGB8, "a"));
  wait_label (root, ready);
  g_assert_null (shown_label (root, PROMISE));
  g_assert_null (shown_label (root, waiting));
  /* The status line says the same as the page, not "no image yet". */
  g_assert_null (strstr (shmv_reader_pane_get_status (reader), "no image yet"));
  g_assert_nonnull (strstr (shmv_reader_pane_get_status (reader), "generation 1 is waiting"));

  /* Displayed on request, after a wait: no publish-to-screen time. */
  gui_test_spin (200);
  shmv_reader_pane_display_once (reader);
  wait_status (reader, 1, "checksum OK");
  g_assert_null (strstr (shmv_reader_pane_get_status (reader), "ms to screen"));

  /* Live again: a frame that arrives is timed. */
  shmv_reader_pane_set_live (reader, TRUE);
  g_assert_true (shmv_channel_publish (writer, pixels, W, H, stride, SHMV_FORMAT_RGB8, "b"));
  wait_status (reader, 2, "ms to screen");

  /* Live off: the time goes with it. */
  shmv_reader_pane_set_live (reader, FALSE);
  g_assert_null (strstr (shmv_reader_pane_get_status (reader), "ms to screen"));

  shmv_channel_free (writer);
  gui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/states/loopback-subtitle-names-both-keys",
                   test_loopback_subtitle_names_both_keys);
  g_test_add_func ("/gui/states/live-off-one-message-per-state",
                   test_live_off_one_message_per_state);
  return g_test_run ();
}
