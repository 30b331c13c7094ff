/* test-gui-banner.c: the one banner both panes show their messages in
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-test-gtk.h"
#include "shmv-banner.h"

static void
count (int *dismissed)
{
  (*dismissed)++;
}

static gboolean
banner_hidden (gpointer data)
{
  return shmv_banner_get_text (data) == NULL;
}

static void
test_the_most_important_message_shows (void)
{
  GtkWidget *window = NULL;
  ShmvBanner *banner = NULL;
  int dismissed = 0;

  GUI_TEST_REQUIRE_DISPLAY ();

  window = gtk_window_new ();
  banner = g_object_new (SHMV_TYPE_BANNER, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (banner));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect_swapped (banner, "dismissed", G_CALLBACK (count), &dismissed);
  g_assert_null (shmv_banner_get_text (banner));

  /* A status cannot be dismissed. */
  shmv_banner_set_status (banner, SHMV_BANNER_WARNING, "dialog-warning-symbolic", "Writer left");
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Writer left");
  gtk_widget_activate_action (GTK_WIDGET (banner), "banner.dismiss", NULL);
  g_assert_cmpint (dismissed, ==, 0);
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Writer left");

  /* A notice shows over a warning, and dismissing it brings the status back. */
  shmv_banner_set_notice (banner, SHMV_BANNER_INFO, "document-save-symbolic", "Saved", 0);
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Saved");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "banner.dismiss", NULL));
  g_assert_cmpint (dismissed, ==, 1);
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Writer left");

  /* An error status shows over a notice, which waits behind it. */
  shmv_banner_set_notice (banner, SHMV_BANNER_ERROR, "dialog-error-symbolic", "Cannot save", 0);
  shmv_banner_set_status (banner, SHMV_BANNER_ERROR, "dialog-error-symbolic", "Corrupt channel");
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Corrupt channel");
  shmv_banner_set_status (banner, SHMV_BANNER_WARNING, NULL, NULL);
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Cannot save");

  /* A confirmation goes by itself. */
  shmv_banner_set_notice (banner, SHMV_BANNER_INFO, "document-save-symbolic", "Saved", 1);
  g_assert_cmpstr (shmv_banner_get_text (banner), ==, "Saved");
  g_assert_true (gui_test_wait_until (banner_hidden, banner, 5000));
  g_assert_cmpint (dismissed, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/banner/the-most-important-message-shows",
                   test_the_most_important_message_shows);
  return g_test_run ();
}
