/* test-gui-mnemonics.c: no two visible widgets of one window share an access key
 *
 * Run once per language (see meson.build: LANGUAGE set, LANG=C.UTF-8). The
 * real windows are made in-process from the app's static library, in each
 * mode, and every shown label's mnemonic is collected per keyboard scope:
 * a window, or a popover (its own GtkNative, with its own mnemonics: the
 * primary menu), as it shows when opened. Nothing here names a widget, so a
 * button or menu item added later is checked as well.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <gtk/gtk.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shmv-i18n.h"
#include "shmv-reader-pane.h"
#include "shmv-test-gtk.h"
#include "shmv-test-util.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

#define TIMEOUT_MS 20000

static gboolean have_display;

/* One keyboard scope: keyval → the label's text. */
typedef struct
{
  GHashTable *keys;
  guint checked;
} Scope;

static void collect (GtkWidget *widget, Scope *scope);

static void
check_scope (GtkWidget *root, const char *what)
{
  Scope scope = { g_hash_table_new_full (NULL, NULL, NULL, g_free), 0 };

  /* The root itself is shown or opened; its children as they are. */
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, &scope);
  g_test_message ("%s: %u access keys", what, scope.checked);
  g_hash_table_unref (scope.keys);
}

static void
add_label (GtkLabel *label, Scope *scope)
{
  guint keyval = gtk_label_get_mnemonic_keyval (label);
  const char *text = gtk_label_get_label (label);
  const char *other = NULL;

  /* A label without an underline has no access key: VoidSymbol, or 0 for
   * the labels of menu items. */
  if (keyval == GDK_KEY_VoidSymbol || keyval == 0)
    return;
  keyval = gdk_keyval_to_lower (keyval);
  other = g_hash_table_lookup (scope->keys, GUINT_TO_POINTER (keyval));
  if (other != NULL)
    g_error ("“%s” and “%s” share the access key Alt+%s", other, text, gdk_keyval_name (keyval));
  g_test_message ("Alt+%s: “%s”", gdk_keyval_name (keyval), text);
  g_hash_table_insert (scope->keys, GUINT_TO_POINTER (keyval), g_strdup (text));
  scope->checked++;
}

/* Whether @widget shows when its native does: what mapping would check,
 * without popping a menu up (a popup under a bare X server can be dismissed
 * by another test's window at any moment). */
static gboolean
shows (GtkWidget *widget)
{
  return gtk_widget_get_visible (widget) && gtk_widget_get_child_visible (widget);
}

static void
collect (GtkWidget *widget, Scope *scope)
{
  if (!shows (widget))
    return;
  if (GTK_IS_LABEL (widget))
    add_label (GTK_LABEL (widget), scope);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* A popover (a menu) has mnemonics of its own: checked as it would
       * show when opened. */
      if (GTK_IS_NATIVE (child))
        check_scope (child, G_OBJECT_TYPE_NAME (child));
      else
        collect (child, scope);
    }
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
check_window (GtkWidget *window, const char *state)
{
  g_assert_true (gui_test_wait_until (is_mapped, window, TIMEOUT_MS));
  check_scope (window, state);
}

static gboolean
writer_idle (gpointer data)
{
  return !shmv_writer_pane_is_loading (data) && shmv_writer_pane_get_generation (data) > 0;
}

static gboolean
reader_has_frame (gpointer data)
{
  ShmvFrameInfo info;

  return shmv_reader_pane_get_frame_info (data, &info);
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

static gboolean
load_done (gpointer data)
{
  return !shmv_writer_pane_is_loading (data);
}

/* While a load runs, with its Cancel button shown. The image comes through
 * a FIFO that we hold half-written: the load waits for us, not for luck. */
static void
check_while_loading (ShmvWindow *window, ShmvWriterPane *writer, const char *dir)
{
  g_autofree char *fifo = g_build_filename (dir, "loading.bmp", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (fifo);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  g_autofree char *bmp = NULL;
  gsize len = 0;
  GtkWidget *progress = NULL;
  int fd = -1;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &bmp, &len, "bmp", NULL, NULL));
  g_assert_no_errno (mkfifo (fifo, 0600));
  /* Read-write: opening blocks neither us nor the loader. */
  fd = open (fifo, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, bmp, len / 2), ==, (gssize) (len / 2));

  shmv_writer_pane_load_file (writer, file);
  /* The pane's first revealer is its progress bar with the Cancel button. */
  progress = gui_test_find_widget (GTK_WIDGET (writer), GTK_TYPE_REVEALER, NULL);
  g_assert_true (gui_test_wait_until (revealed, progress, TIMEOUT_MS));
  check_window (GTK_WIDGET (window), "while loading");

  g_assert_cmpint (write (fd, bmp + len / 2, len - len / 2), ==, (gssize) (len - len / 2));
  close (fd);
  g_assert_true (gui_test_wait_until (load_done, writer, TIMEOUT_MS));
  g_assert_null (shmv_writer_pane_get_error (writer));
}

static void
test_mnemonics (gconstpointer data)
{
  ShmvWindowMode mode = GPOINTER_TO_INT (data);
  g_autofree char *key = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autoptr (GFile) file = NULL;
  ShmvWindow *window;
  ShmvWriterPane *writer;
  ShmvReaderPane *reader;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  key = shmv_test_unique_key ("mnemonics");
  window = shmv_window_new (NULL, mode, key);
  gtk_window_present (GTK_WINDOW (window));
  check_window (GTK_WIDGET (window), "empty");

  /* With an image: Save As, the zoom and display controls all in use,
   * live following off (the display button matters then). */
  writer = shmv_window_get_writer_pane (window);
  reader = shmv_window_get_reader_pane (window);
  if (writer != NULL)
    {
      dir = shmv_test_tmpdir_new ();
      png = shmv_test_make_png (dir, "mnemonics.png", 8, 8, SHMV_FORMAT_RGBA8, 1);
      file = g_file_new_for_path (png);
      if (reader != NULL)
        shmv_reader_pane_set_live (reader, FALSE);
      shmv_writer_pane_load_file (writer, file);
      g_assert_true (gui_test_wait_until (writer_idle, writer, TIMEOUT_MS));
      if (reader != NULL)
        {
          shmv_reader_pane_display_once (reader);
          g_assert_true (gui_test_wait_until (reader_has_frame, reader, TIMEOUT_MS));
        }
      check_window (GTK_WIDGET (window), "with an image");
      check_while_loading (window, writer, dir);
    }

  gui_test_destroy_window (GTK_WINDOW (window));
  if (dir != NULL)
    shmv_test_tmpdir_remove (dir);
}

int
main (int argc, char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");
  static const struct
  {
    const char *name;
    ShmvWindowMode mode;
  } modes[] = {
    { "loopback", SHMV_WINDOW_MODE_LOOPBACK },
    { "writer", SHMV_WINDOW_MODE_WRITER },
    { "reader", SHMV_WINDOW_MODE_READER },
  };

  /* Not gui_test_init(): that one makes every test speak English. */
  shmv_i18n_init ();
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/gui/mnemonics/%s/%s-window-keys-are-unique",
                           language != NULL && language[0] != '\0' ? language : "C", modes[i].name);

      g_test_add_data_func (path, GINT_TO_POINTER (modes[i].mode), test_mnemonics);
    }
  return g_test_run ();
}
