/* test-i18n-gui.c: the loopback window speaks the language LANGUAGE names
 *
 * Run once per language (see meson.build), with LANG=C.UTF-8 and LANGUAGE
 * set: the window is made in-process from the app's static library, and its
 * labels must be the translations from the build tree's .mo files, not the
 * English of the .ui templates. The expected strings are written out here,
 * not looked up with gettext, so that a .mo that does not load fails.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "shmv-i18n.h"
#include "shmv-test-util.h"
#include "shmv-window.h"

#define TIMEOUT_MS 20000

typedef struct
{
  const char *language;
  const char *load_button;     /* ui/shmv-writer-pane.ui */
  const char *display_button;  /* ui/shmv-reader-pane.ui */
  const char *live_label;      /* ui/shmv-reader-pane.ui */
  const char *loopback_format; /* src/app/shmv-window.c, the subtitle */
} Expected;

static const Expected expected_table[] = {
  { "zh_CN", "从文件加载图像(_L)…", "显示共享内存中的图像(_D)", "实时(_I)", "通过键名“%s”回环" },
  { "ja", "ファイルから画像を読み込む(_L)…", "共有メモリの画像を表示(_D)", "ライブ(_I)",
    "キー「%s」経由のループバック" },
};

static gboolean have_display;
static const Expected *expected;

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget *root, const char *label)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every label and button text, for the log when an assertion fails. */
static void
dump_texts (GtkWidget *root)
{
  if (GTK_IS_LABEL (root))
    g_test_message ("label: %s", gtk_label_get_label (GTK_LABEL (root)));
  else if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    g_test_message ("button: %s", gtk_button_get_label (GTK_BUTTON (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_texts (child);
}

static void
on_destroy (GtkWidget *widget, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
test_loopback_window_speaks (void)
{
  g_autofree char *key = NULL;
  g_autofree char *subtitle = NULL;
  ShmvWindow *window;
  GtkWidget *root;
  gboolean destroyed = FALSE;
  gint64 deadline;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  if (expected == NULL)
    {
      g_test_skip ("no expectations for this LANGUAGE");
      return;
    }

  key = shmv_test_unique_key ("i18n");
  window = shmv_window_new (NULL, SHMV_WINDOW_MODE_LOOPBACK, key);
  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy), &destroyed);
  gtk_window_present (GTK_WINDOW (window));
  root = GTK_WIDGET (window);
  dump_texts (root);

  g_assert_nonnull (find_button (root, expected->load_button));
  g_assert_nonnull (find_button (root, expected->display_button));
  g_assert_nonnull (find_label (root, expected->live_label));
  subtitle = g_strdup_printf (expected->loopback_format, key);
  g_assert_nonnull (find_label (root, subtitle));

  gtk_window_destroy (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
  while (!destroyed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (destroyed);
  /* let the panes withdraw and detach before the process exits */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int argc, char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *path = NULL;

  shmv_i18n_init ();
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  if (!have_display)
    g_test_message ("no display: GUI tests are skipped");

  for (gsize i = 0; i < G_N_ELEMENTS (expected_table); i++)
    if (g_strcmp0 (language, expected_table[i].language) == 0)
      expected = &expected_table[i];

  path = g_strdup_printf ("/i18n/gui/loopback-window-speaks-%s", language ? language : "C");
  g_test_add_func (path, test_loopback_window_speaks);
  return g_test_run ();
}
