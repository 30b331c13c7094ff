/* test-gui-chooser.c: the reader's list of channels
 *
 * Listing opens every channel of this user for a moment, other tests' too,
 * so this test runs alone (is_parallel: false in meson.build).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>

#include "shmv-test-gtk.h"
#include "shmv-channel-chooser.h"
#include "shmv-test-util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMEOUT_MS 20000

static gboolean
chooser_listed (gpointer data)
{
  return shmv_channel_chooser_get_n_channels (data) > 0;
}

static void
test_lists_a_live_channel (void)
{
  g_autofree char *key = NULL;
  g_autoptr (GtkWidget) chooser = NULL;
  guint8 pixels[4 * 3 * 3] = { 0 };
  ShmvChannel *writer = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  key = shmv_test_unique_key ("chooser");
  writer = shmv_channel_new (key);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));
  g_assert_true (shmv_channel_publish (writer, pixels, 4, 3, 12, SHMV_FORMAT_RGB8, "x"));

  chooser = g_object_ref_sink (GTK_WIDGET (shmv_channel_chooser_new ()));
  shmv_channel_chooser_refresh (SHMV_CHANNEL_CHOOSER (chooser));
  g_assert_true (gui_test_wait_until (chooser_listed, chooser, TIMEOUT_MS));
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, key));
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, "4 × 3 RGB8 · "));
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, " · writer running"));

  shmv_channel_free (writer);
}

static void
test_choosing_sets_the_key (void)
{
  g_autoptr (GtkWidget) chooser = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  chooser = g_object_ref_sink (GTK_WIDGET (shmv_channel_chooser_new ()));
  shmv_channel_chooser_set_key (SHMV_CHANNEL_CHOOSER (chooser), "one");
  g_assert_cmpstr (shmv_channel_chooser_get_key (SHMV_CHANNEL_CHOOSER (chooser)), ==, "one");
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, "one"));
}

/* Looking never removes: the chooser describes a stale channel without
 * becoming its last user, as shmview-ctl list does. */
static void
test_stale_channel_survives_listing (void)
{
  g_autofree char *key = NULL;
  g_autoptr (GtkWidget) chooser = NULL;
  ShmvChannel *ch = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  key = shmv_test_unique_key ("chooser-stale");
  shmv_test_make_stale_channel (key);
  ch = shmv_channel_new (key);
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (ch) + 1));

  chooser = g_object_ref_sink (GTK_WIDGET (shmv_channel_chooser_new ()));
  shmv_channel_chooser_refresh (SHMV_CHANNEL_CHOOSER (chooser));
  g_assert_true (gui_test_wait_until (chooser_listed, chooser, TIMEOUT_MS));
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, key));
  g_assert_true (shmv_test_shm_exists (shmv_channel_native_key (ch) + 1));

  g_assert_true (shmv_channel_remove_unused (ch));
  shmv_channel_free (ch);
}

/* A peer's key reaches the labels with its control characters shown, and
 * never as markup. */
static void
test_labels_escape_keys (void)
{
  g_autofree char *unique = NULL;
  g_autofree char *key = NULL;
  g_autofree char *shown = NULL;
  g_autoptr (GtkWidget) chooser = NULL;
  GtkWidget *label;
  ShmvChannel *writer = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();

  unique = shmv_test_unique_key ("chooser-esc");
  key = g_strconcat (unique, "<b>x</b>&amp;\x1b[31m\a\r\n", NULL);
  shown = g_strconcat (unique, "<b>x</b>&amp;\\x1b[31m\\x07\\x0d\\x0a", NULL);
  writer = shmv_channel_new (key);
  g_assert_true (shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0));

  chooser = g_object_ref_sink (GTK_WIDGET (shmv_channel_chooser_new ()));
  shmv_channel_chooser_refresh (SHMV_CHANNEL_CHOOSER (chooser));
  g_assert_true (gui_test_wait_until (chooser_listed, chooser, TIMEOUT_MS));
  label = gui_test_find_widget (chooser, GTK_TYPE_LABEL, unique);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, shown);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));

  shmv_channel_chooser_set_key (SHMV_CHANNEL_CHOOSER (chooser), key);
  g_assert_nonnull (gui_test_find_widget (chooser, GTK_TYPE_LABEL, shown));
  g_assert_cmpstr (shmv_channel_chooser_get_key (SHMV_CHANNEL_CHOOSER (chooser)), ==, key);

  shmv_channel_free (writer);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/chooser/lists-a-live-channel", test_lists_a_live_channel);
  g_test_add_func ("/gui/chooser/choosing-sets-the-key", test_choosing_sets_the_key);
  g_test_add_func ("/gui/chooser/stale-channel-survives-listing",
                   test_stale_channel_survives_listing);
  g_test_add_func ("/gui/chooser/labels-escape-keys", test_labels_escape_keys);

  return g_test_run ();
}
