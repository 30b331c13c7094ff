/* test-gui-chooser.c: the reader's list of channels
 *
 * Listing opens every channel of this user for a moment, other tests' too,
 * so this test runs alone (is_parallel: false in meson.build).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <shmview/shmview.h>

#include "gui-test-util.h"
#include "shmv-channel-chooser.h"
#include "shmv-test-util.h"

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

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/chooser/lists-a-live-channel", test_lists_a_live_channel);
  g_test_add_func ("/gui/chooser/choosing-sets-the-key", test_choosing_sets_the_key);

  return g_test_run ();
}
