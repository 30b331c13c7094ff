/* test-gui-viewer.c: the panes as an image viewer: zoom, pan, pixel values,
 * transparency, Fit, narrow windows, window shortcuts
 *
 * Each test opens a loopback window on a key of its own and publishes a
 * generated image through the writer pane, so both panes show a frame that
 * went through the real channel. Shortcuts are looked up in the window's
 * shortcut controllers by their keys and activated, as a key press would;
 * test-gui-processes.c presses real keys with xdotool.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <shmview/shmview.h>
#include <string.h>

#include "shmv-test-gtk.h"
#include "shmv-i18n.h"
#include "shmv-image-canvas.h"
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
  ShmvImageCanvas *writer_canvas;
  ShmvImageCanvas *reader_canvas;
} Fixture;

static void
open_window (Fixture *f, int width, int height)
{
  f->key = shmv_test_unique_key ("viewer");
  f->window = shmv_window_new (NULL, SHMV_WINDOW_MODE_LOOPBACK, f->key);
  f->writer = shmv_window_get_writer_pane (f->window);
  f->reader = shmv_window_get_reader_pane (f->window);
  f->writer_canvas = shmv_writer_pane_get_canvas (f->writer);
  f->reader_canvas = shmv_reader_pane_get_canvas (f->reader);
  /* The X server's real pointer is not ours: other tests' windows come and go
   * under it and would move it over these canvases. The tests point with
   * shmv_image_canvas_hover() alone. */
  gtk_widget_set_can_target (GTK_WIDGET (f->writer_canvas), FALSE);
  gtk_widget_set_can_target (GTK_WIDGET (f->reader_canvas), FALSE);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  if (gui_test_have_display ())
    open_window (f, -1, -1);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
close_window (Fixture *f)
{
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (gui_test_wait_until (window_gone, &f->window, TIMEOUT_MS));
  g_clear_pointer (&f->key, g_free);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (gui_test_have_display () && f->window != NULL)
    close_window (f);
  g_free (f->key);
}

/* Publishes PNG @path through the writer pane and waits until the reader
 * shows it and both canvases have their size. */
static void
publish_file (Fixture *f, const char *path)
{
  guint32 generation = shmv_writer_pane_get_generation (f->writer) + 1;

  shmv_test_panes_load (f->writer, path);
  g_assert_null (shmv_writer_pane_get_error (f->writer));
  shmv_test_panes_wait_generation (f->reader, generation);
  gui_test_spin (100);
}

static guint8 *
publish_pattern (Fixture *f, guint32 width, guint32 height, ShmvFormat format, guint32 seed)
{
  g_autofree char *name = g_strdup_printf ("viewer-%u.png", seed);
  g_autofree char *path = shmv_test_path (name);
  guint8 *pixels = shmv_test_write_png (path, width, height, format, seed);

  publish_file (f, path);
  return pixels;
}

/* Activates the window's shortcut for @keyval with Ctrl, as pressing it does. */
static void
press_ctrl (GtkWidget *window, guint keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr (GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, GDK_CONTROL_MASK);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           window,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("no shortcut for Ctrl+%s", gdk_keyval_name (keyval));
}

static double
fit_zoom_of (ShmvImageCanvas *canvas, guint32 width, guint32 height)
{
  return MIN ((double) gtk_widget_get_width (GTK_WIDGET (canvas)) / width,
              (double) gtk_widget_get_height (GTK_WIDGET (canvas)) / height);
}

static void
assert_zoom (ShmvImageCanvas *canvas, double zoom)
{
  g_assert_cmpfloat_with_epsilon (shmv_image_canvas_get_zoom (canvas), zoom, 1e-9);
}

static GtkWidget *
find_actual_size_button (GtkWidget *root)
{
  if (GTK_IS_TOGGLE_BUTTON (root) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), "zoom-original-symbolic") == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actual_size_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkToggleButton *
actual_size_button (Fixture *f)
{
  GtkWidget *button = find_actual_size_button (GTK_WIDGET (f->reader));

  g_assert_nonnull (button);
  return GTK_TOGGLE_BUTTON (button);
}

static const char *
readout (Fixture *f)
{
  return shmv_image_canvas_get_readout (f->reader_canvas);
}

/* --- Zoom ----------------------------------------------------------------- */

static void
test_zoom_by_keyboard (Fixture *f, gconstpointer data)
{
  ShmvImageCanvas *canvas = f->reader_canvas;
  GtkWidget *window = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree char *label = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();
  window = GTK_WIDGET (f->window);
  pixels = publish_pattern (f, W, H, SHMV_FORMAT_RGB8, 1);

  g_assert_true (shmv_image_canvas_get_fit (canvas));
  assert_zoom (canvas, fit_zoom_of (canvas, W, H));
  g_assert_false (gtk_toggle_button_get_active (actual_size_button (f)));

  /* Ctrl+1: 100 %, and the Show at Actual Size button says so. */
  press_ctrl (window, GDK_KEY_1);
  assert_zoom (canvas, 1.0);
  g_assert_true (gtk_toggle_button_get_active (actual_size_button (f)));
  g_assert_true (g_str_has_prefix (readout (f), "100 %"));

  /* Ctrl+plus twice doubles; Ctrl+minus halves back; the button follows. */
  press_ctrl (window, GDK_KEY_plus);
  press_ctrl (window, GDK_KEY_plus);
  assert_zoom (canvas, 2.0);
  g_assert_false (gtk_toggle_button_get_active (actual_size_button (f)));
  g_assert_true (g_str_has_prefix (readout (f), "200 %"));
  press_ctrl (window, GDK_KEY_minus);
  assert_zoom (canvas, sqrt (2.0));
  press_ctrl (window, GDK_KEY_minus);
  assert_zoom (canvas, 1.0);
  g_assert_true (gtk_toggle_button_get_active (actual_size_button (f)));

  /* Ctrl+0 fits again, whatever came before. */
  press_ctrl (window, GDK_KEY_equal);
  press_ctrl (window, GDK_KEY_0);
  g_assert_true (shmv_image_canvas_get_fit (canvas));
  assert_zoom (canvas, fit_zoom_of (canvas, W, H));
  label = g_strdup_printf ("%.0f %%", round (fit_zoom_of (canvas, W, H) * 100));
  g_assert_true (g_str_has_prefix (readout (f), label));
}

static void
test_zoom_by_scrolling_keeps_the_point_under_the_pointer (Fixture *f, gconstpointer data)
{
  ShmvImageCanvas *canvas = f->reader_canvas;
  g_autofree guint8 *pixels = NULL;
  g_autofree char *pixel = NULL;
  graphene_rect_t rect, moved;
  double x, y, ix, iy, ix2, iy2;

  GUI_TEST_REQUIRE_DISPLAY ();
  pixels = publish_pattern (f, W, H, SHMV_FORMAT_RGB8, 2);

  /* Zoomed in so far that the image overflows the view: it can move. */
  shmv_image_canvas_set_actual_size (canvas, TRUE);
  shmv_image_canvas_zoom_at (canvas, 16, 0, 0);
  x = gtk_widget_get_width (GTK_WIDGET (canvas)) / 2.0 + 37.3;
  y = gtk_widget_get_height (GTK_WIDGET (canvas)) / 2.0 + 21.7;
  shmv_image_canvas_hover (canvas, x, y);
  shmv_image_canvas_image_point (canvas, x, y, &ix, &iy);

  /* Ctrl+wheel up by one notch, as on_scroll does: the image point under
   * the pointer stays (to the rounding of the origin to whole pixels). */
  shmv_image_canvas_zoom_at (canvas, M_SQRT2, x, y);
  assert_zoom (canvas, 16 * M_SQRT2);
  shmv_image_canvas_image_point (canvas, x, y, &ix2, &iy2);
  g_assert_cmpfloat (fabs (ix2 - ix), <, 1.0 / 16);
  g_assert_cmpfloat (fabs (iy2 - iy), <, 1.0 / 16);
  pixel = g_strdup_printf ("x %u, y %u", (guint) ix, (guint) iy);
  g_assert_nonnull (strstr (readout (f), pixel));

  /* Dragging pans: the image follows the pointer. */
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &rect));
  shmv_image_canvas_pan (canvas, 30, -20);
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &moved));
  g_assert_cmpfloat (fabs (moved.origin.x - rect.origin.x - 30), <=, 1);
  g_assert_cmpfloat (fabs (moved.origin.y - rect.origin.y + 20), <=, 1);
}

static void
test_zoom_survives_new_frames_of_the_same_size (Fixture *f, gconstpointer data)
{
  ShmvImageCanvas *canvas = f->reader_canvas;
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  g_autofree guint8 *c = NULL;
  graphene_rect_t before, after;

  GUI_TEST_REQUIRE_DISPLAY ();
  a = publish_pattern (f, W, H, SHMV_FORMAT_RGB8, 3);
  shmv_image_canvas_zoom_at (canvas, 4.0, 5, 5);
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &before));

  b = publish_pattern (f, W, H, SHMV_FORMAT_RGB8, 4);
  g_assert_false (shmv_image_canvas_get_fit (canvas));
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &after));
  g_assert_true (graphene_rect_equal (&before, &after));

  /* A fitted view stays fitted. */
  shmv_image_canvas_set_fit (canvas);
  c = publish_pattern (f, W / 2, H / 2, SHMV_FORMAT_RGB8, 5);
  g_assert_true (shmv_image_canvas_get_fit (canvas));
  assert_zoom (canvas, fit_zoom_of (canvas, W / 2, H / 2));
}

/* --- Bug 1: Fit means one thing in both panes ------------------------------ */

/* Whether @got (B, G, R, A bytes) is exactly image pixel (@ix, @iy). */
static gboolean
is_pixel (const guint8 *got, const guint8 *pixels, guint32 width, guint32 height, int ix, int iy)
{
  const guint8 *want = pixels + ((gsize) iy * width + ix) * 3;

  if (ix < 0 || iy < 0 || ix >= (int) width || iy >= (int) height)
    return FALSE;
  return got[2] == want[0] && got[1] == want[1] && got[0] == want[2];
}

/* Every drawn pixel of the image is exactly the image pixel under it (or, on
 * a cell's edge where rounding may fall either way, its neighbour's): no
 * blending, no blur. */
static void
assert_sharp (ShmvImageCanvas *canvas, const guint8 *pixels, guint32 width, guint32 height)
{
  g_autoptr (GdkTexture) drawn = gui_test_render_widget (GTK_WIDGET (canvas));
  graphene_rect_t rect;
  double s = shmv_image_canvas_get_zoom (canvas);
  g_autofree guint8 *down = NULL;
  int dw = gdk_texture_get_width (drawn);
  int exact = 0;

  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &rect));
  down = g_malloc ((gsize) dw * 4 * gdk_texture_get_height (drawn));
  gdk_texture_download (drawn, down, (gsize) dw * 4);
  for (int y = ceil (rect.origin.y); y < rect.origin.y + rect.size.height; y++)
    for (int x = ceil (rect.origin.x); x < rect.origin.x + rect.size.width; x++)
      {
        int ix = (int) ((x + 0.5 - rect.origin.x) / s);
        int iy = (int) ((y + 0.5 - rect.origin.y) / s);
        const guint8 *got = down + (gsize) y * dw * 4 + (gsize) x * 4;
        gboolean near = FALSE;

        if (is_pixel (got, pixels, width, height, ix, iy))
          {
            exact++;
            continue;
          }
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            near = near || is_pixel (got, pixels, width, height, ix + dx, iy + dy);
        if (!near)
          g_error ("drawn (%d, %d) is %02x%02x%02x: no image pixel near (%d, %d)", x, y, got[2],
                   got[1], got[0], ix, iy);
      }
  /* Only cell edges may round the other way. */
  g_assert_cmpint (exact, >, 0.9 * rect.size.width * rect.size.height);
}

static void
assert_fits (ShmvImageCanvas *canvas, guint32 width, guint32 height)
{
  double zoom = fit_zoom_of (canvas, width, height);
  graphene_rect_t rect;

  g_assert_true (shmv_image_canvas_get_fit (canvas));
  assert_zoom (canvas, zoom);
  g_assert_cmpfloat (zoom, >, 4);
  /* Centred, touching the area's edges along one axis. */
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &rect));
  g_assert_true (fabs (rect.size.width - gtk_widget_get_width (GTK_WIDGET (canvas))) < 1 ||
                 fabs (rect.size.height - gtk_widget_get_height (GTK_WIDGET (canvas))) < 1);
}

static void
test_fit_enlarges_a_small_image_in_both_panes (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *pixels = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();
  pixels = publish_pattern (f, 8, 8, SHMV_FORMAT_RGB8, 6);

  assert_fits (f->writer_canvas, 8, 8);
  assert_fits (f->reader_canvas, 8, 8);
  assert_sharp (f->writer_canvas, pixels, 8, 8);
  assert_sharp (f->reader_canvas, pixels, 8, 8);

  /* Show at Actual Size: 8 × 8 screen pixels; off again: the same Fit. */
  gtk_toggle_button_set_active (actual_size_button (f), TRUE);
  assert_zoom (f->reader_canvas, 1.0);
  gtk_toggle_button_set_active (actual_size_button (f), FALSE);
  assert_fits (f->reader_canvas, 8, 8);
  gui_test_spin (50);
  assert_sharp (f->reader_canvas, pixels, 8, 8);
}

/* --- Pixel values ---------------------------------------------------------- */

/* Points the reader's canvas at the centre of image pixel (@x, @y). */
static void
hover_pixel (Fixture *f, guint32 x, guint32 y)
{
  graphene_rect_t rect;
  double s = shmv_image_canvas_get_zoom (f->reader_canvas);

  g_assert_true (shmv_image_canvas_get_image_rect (f->reader_canvas, &rect));
  shmv_image_canvas_hover (f->reader_canvas, rect.origin.x + (x + 0.5) * s,
                           rect.origin.y + (y + 0.5) * s);
}

static char *
expected_readout (const guint8 *pixels, ShmvFormat format, guint32 x, guint32 y)
{
  guint bpp = shmv_format_bytes_per_pixel (format);
  const guint8 *p = pixels + ((gsize) y * W + x) * bpp;
  guint v[4] = { 0 };

  for (guint c = 0; c < 4; c++)
    if (format == SHMV_FORMAT_RGB16 || format == SHMV_FORMAT_RGBA16)
      v[c] = c < bpp / 2 ? ((const guint16 *) p)[c] : 0;
    else
      v[c] = c < bpp ? p[c] : 0;
  if (format == SHMV_FORMAT_RGBA8 || format == SHMV_FORMAT_RGBA16)
    return g_strdup_printf ("x %u, y %u · R %u G %u B %u A %u", x, y, v[0], v[1], v[2], v[3]);
  return g_strdup_printf ("x %u, y %u · R %u G %u B %u", x, y, v[0], v[1], v[2]);
}

/* The readout line under the reader's status line shows it too. */
static void
assert_readout (Fixture *f, const char *pixel)
{
  g_assert_nonnull (strstr (readout (f), pixel));
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (f->reader), GTK_TYPE_LABEL, pixel));
}

static void
check_pixel_values (Fixture *f, ShmvFormat format)
{
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  g_autofree char *want_a = NULL;
  g_autofree char *want_b = NULL;
  g_autofree char *corner = NULL;

  a = publish_pattern (f, W, H, format, 7);
  hover_pixel (f, 13, 9);
  want_a = expected_readout (a, format, 13, 9);
  assert_readout (f, want_a);
  hover_pixel (f, W - 1, H - 1);
  corner = expected_readout (a, format, W - 1, H - 1);
  assert_readout (f, corner);

  /* A new frame arrives under a still pointer: its values show. */
  hover_pixel (f, 13, 9);
  b = publish_pattern (f, W, H, format, 8);
  want_b = expected_readout (b, format, 13, 9);
  g_assert_cmpstr (want_a, !=, want_b);
  assert_readout (f, want_b);
}

static void
test_pixel_values_8_bit (Fixture *f, gconstpointer data)
{
  GUI_TEST_REQUIRE_DISPLAY ();
  check_pixel_values (f, SHMV_FORMAT_RGB8);
}

static void
test_pixel_values_16_bit_with_alpha (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *pixels = NULL;
  guint16 sample;

  GUI_TEST_REQUIRE_DISPLAY ();
  check_pixel_values (f, SHMV_FORMAT_RGBA16);

  /* The 16 bits themselves, not an 8-bit value scaled up: a sample whose low
   * byte is not a copy of its high byte. */
  pixels = shmv_test_pattern_image (W, H, SHMV_FORMAT_RGBA16, 8, &(gsize){ 0 });
  memcpy (&sample, pixels + ((gsize) 9 * W + 13) * 8, 2);
  g_assert_cmpuint (sample >> 8, !=, sample & 0xff);
  g_assert_nonnull (strstr (readout (f), "A 65535"));
}

/* --- Transparency ---------------------------------------------------------- */

static void
publish_transparent (Fixture *f)
{
  g_autofree char *path = shmv_test_path ("viewer-transparent.png");
  g_autofree guint8 *pixels = g_malloc0 ((gsize) W * H * 4);
  ShmvStatus status = { 0 };

  /* Fully transparent pixels, every one a different colour underneath. */
  for (gsize i = 0; i < (gsize) W * H; i++)
    pixels[i * 4] = (guint8) i;
  g_assert_true (shmv_png_save (path, pixels, W, H, (gsize) W * 4, SHMV_FORMAT_RGBA8, &status));
  publish_file (f, path);
}

/* Counts the drawn pixels inside the image of each checkerboard grey. */
static void
count_checks (ShmvImageCanvas *canvas, int *light, int *dark)
{
  g_autoptr (GdkTexture) drawn = gui_test_render_widget (GTK_WIDGET (canvas));
  int dw = gdk_texture_get_width (drawn);
  g_autofree guint8 *down = g_malloc ((gsize) dw * 4 * gdk_texture_get_height (drawn));
  graphene_rect_t rect;

  *light = *dark = 0;
  gdk_texture_download (drawn, down, (gsize) dw * 4);
  g_assert_true (shmv_image_canvas_get_image_rect (canvas, &rect));
  for (int y = ceil (rect.origin.y); y < rect.origin.y + rect.size.height; y++)
    for (int x = ceil (rect.origin.x); x < rect.origin.x + rect.size.width; x++)
      {
        const guint8 *bgra = down + (gsize) y * dw * 4 + (gsize) x * 4;

        /* Opaque greys: 0.6 and 0.4 of full scale. */
        if (bgra[3] == 0xff && bgra[0] == bgra[1] && bgra[1] == bgra[2])
          {
            *light += bgra[0] == 0x99;
            *dark += bgra[0] == 0x66;
          }
      }
}

static void
test_checkerboard_behind_alpha (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *opaque = NULL;
  ShmvImageCanvas *canvases[2];
  int light, dark;

  GUI_TEST_REQUIRE_DISPLAY ();
  publish_transparent (f);
  canvases[0] = f->writer_canvas;
  canvases[1] = f->reader_canvas;
  for (guint i = 0; i < G_N_ELEMENTS (canvases); i++)
    {
      count_checks (canvases[i], &light, &dark);
      g_test_message ("pane %u: %d light and %d dark checks", i, light, dark);
      /* Half and half: the whole image is transparent. */
      g_assert_cmpint (light, >, 1000);
      g_assert_cmpint (abs (light - dark), <, light / 10);
    }

  /* An opaque image hides it. */
  opaque = publish_pattern (f, W, H, SHMV_FORMAT_RGB8, 9);
  count_checks (f->reader_canvas, &light, &dark);
  g_assert_cmpint (light + dark, <, 10);
}

/* --- The window ------------------------------------------------------------ */

static void
test_ctrl_w_closes_the_window (Fixture *f, gconstpointer data)
{
  GUI_TEST_REQUIRE_DISPLAY ();
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  press_ctrl (GTK_WIDGET (f->window), GDK_KEY_w);
  g_assert_true (gui_test_wait_until (window_gone, &f->window, TIMEOUT_MS));
}

/* glibc caches translations without regard to LANGUAGE: changing it takes
 * this counter's increment (as the gettext manual says). */
extern int _nl_msg_cat_cntr;

static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

/* The shortcut of the shortcuts window (Ctrl+?) with @title and @subtitle
 * (NULL: any), or NULL. */
static GtkShortcutsShortcut *
find_shortcut (GtkBuilder *builder, const char *title, const char *subtitle)
{
  g_autoptr (GSList) objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *its_title = NULL;
      g_autofree char *its_subtitle = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "title", &its_title, "subtitle", &its_subtitle, NULL);
      if ((title == NULL || g_strcmp0 (its_title, title) == 0) &&
          (subtitle == NULL || g_strcmp0 (its_subtitle, subtitle) == 0))
        return l->data;
    }
  return NULL;
}

static GtkShortcutType
shortcut_type (GtkShortcutsShortcut *shortcut)
{
  GtkShortcutType type = GTK_SHORTCUT_ACCELERATOR;

  g_object_get (shortcut, "shortcut-type", &type, NULL);
  return type;
}

/* The shortcuts window lists every way to zoom and pan that the panes
 * offer, mouse included, and in the user's language. */
static void
test_shortcuts_window_lists_wheel_and_drag (Fixture *f, gconstpointer data)
{
  const struct
  {
    const char *title, *subtitle;
  } mouse[] = {
    { "Zoom Around the Pointer", "Ctrl + mouse wheel" },
    { "Move a Zoomed Image", "Drag with the mouse" },
  };

  GUI_TEST_REQUIRE_DISPLAY ();
  for (guint i = 0; i < G_N_ELEMENTS (mouse); i++)
    {
      g_autoptr (GtkBuilder) builder = NULL;
      GtkShortcutsShortcut *shortcut = NULL;

      set_language ("C");
      builder = gtk_builder_new_from_resource ("/io/github/shmview/Shmview/gtk/help-overlay.ui");
      shortcut = find_shortcut (builder, mouse[i].title, mouse[i].subtitle);
      if (shortcut == NULL)
        g_error ("the shortcuts window has no “%s” (%s)", mouse[i].title, mouse[i].subtitle);
      g_assert_cmpint (shortcut_type (shortcut), ==, GTK_SHORTCUT_GESTURE);
      g_clear_object (&builder);

      /* Translated: the German window has no English title or subtitle. */
      set_language ("de");
      builder = gtk_builder_new_from_resource ("/io/github/shmview/Shmview/gtk/help-overlay.ui");
      g_assert_null (find_shortcut (builder, mouse[i].title, NULL));
      g_assert_null (find_shortcut (builder, NULL, mouse[i].subtitle));
      set_language ("C");
    }
}

static gboolean
menu_has (GMenuModel *menu, const char *label, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_label = NULL;
      g_autofree char *item_action = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has (section, label, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_label, label) && g_str_equal (item_action, action))
        return TRUE;
    }
  return FALSE;
}

/* The primary menu starts writers and readers as processes of their own. */
static void
test_menu_opens_writer_and_reader_windows (Fixture *f, gconstpointer data)
{
  GtkWidget *button = NULL;
  GMenuModel *menu = NULL;
  g_auto (GStrv) writer = NULL;
  g_auto (GStrv) reader = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();
  button = gui_test_find_widget (gtk_window_get_titlebar (GTK_WINDOW (f->window)),
                                 GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_true (menu_has (menu, "New Writer Window", "win.new-writer"));
  g_assert_true (menu_has (menu, "New Reader Window", "win.new-reader"));

  writer = shmv_window_new_window_argv (f->window, SHMV_WINDOW_MODE_WRITER);
  reader = shmv_window_new_window_argv (f->window, SHMV_WINDOW_MODE_READER);
  g_assert_cmpuint (g_strv_length (writer), ==, 4);
  g_assert_cmpstr (writer[1], ==, "--writer");
  g_assert_cmpstr (writer[3], ==, f->key);
  g_assert_cmpstr (reader[1], ==, "--reader");
  g_assert_cmpstr (reader[3], ==, f->key);
}

static void
test_waiting_page_says_how_to_start_a_writer (Fixture *f, gconstpointer data)
{
  g_autofree char *command = NULL;

  GUI_TEST_REQUIRE_DISPLAY ();
  gui_test_spin (100);
  command = g_strdup_printf ("shmview-ctl publish FILE -k %s", f->key);
  g_assert_nonnull (gui_test_find_widget (GTK_WIDGET (f->reader), GTK_TYPE_LABEL, command));
}

/* --- Narrow windows -------------------------------------------------------- */

/* Every label shows all its text: none is ellipsized, and one that can
 * neither wrap nor ellipsize gets its natural width. */
static void
assert_nothing_cut (GtkWidget *widget, const char *language)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_label (GTK_LABEL (widget))[0] != '\0')
    {
      GtkLabel *label = GTK_LABEL (widget);
      int natural = 0;

      if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        g_error ("%s: label “%s” is cut off", language, gtk_label_get_label (label));
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      natural -= gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
      if (!gtk_label_get_wrap (label) && gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE &&
          gtk_widget_get_width (widget) < natural)
        g_error ("%s: label “%s” is %d px wide, it needs %d", language, gtk_label_get_label (label),
                 gtk_widget_get_width (widget), natural);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_nothing_cut (child, language);
}

/* Fit means the same in both panes: one image, one size (issue 14, bug 1),
 * whatever the chrome around each pane's image area. */
static void
assert_same_fit_in_both_panes (Fixture *f, const char *language)
{
  double writer_zoom = shmv_image_canvas_get_zoom (f->writer_canvas);
  double reader_zoom = shmv_image_canvas_get_zoom (f->reader_canvas);

  g_assert_true (shmv_image_canvas_get_fit (f->writer_canvas));
  g_assert_true (shmv_image_canvas_get_fit (f->reader_canvas));
  g_test_message ("%s: Fit %.1f %% in the writer, %.1f %% in the reader", language,
                  100 * writer_zoom, 100 * reader_zoom);
  if (fabs (writer_zoom - reader_zoom) > 1e-9)
    g_error ("%s: Fit is %.1f %% in the writer, %.1f %% in the reader (image areas %d×%d, %d×%d)",
             language, 100 * writer_zoom, 100 * reader_zoom,
             gtk_widget_get_width (GTK_WIDGET (f->writer_canvas)),
             gtk_widget_get_height (GTK_WIDGET (f->writer_canvas)),
             gtk_widget_get_width (GTK_WIDGET (f->reader_canvas)),
             gtk_widget_get_height (GTK_WIDGET (f->reader_canvas)));
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
test_loopback_window_600_px_wide (Fixture *f, gconstpointer data)
{
  const char *languages[] = { "C", "de", "fr", "es", "ja", "zh_CN", "zh_TW" };
  graphene_point_t writer_at, reader_at;
  int minimum = 0;

  GUI_TEST_REQUIRE_DISPLAY ();
  close_window (f);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree guint8 *pixels = NULL;

      set_language (languages[i]);
      open_window (f, 600, 1000);
      g_assert_true (gui_test_wait_until (is_allocated, f->window, TIMEOUT_MS));
      /* 600 px is the window's size with its frame; the content is a bit less. */
      gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                          NULL, NULL);
      g_assert_cmpint (minimum, <=, 600);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 600);
      /* A tall image: its Fit depends on the height each pane gives it. */
      pixels = publish_pattern (f, W / 4, H * 2, SHMV_FORMAT_RGBA16, 10);
      hover_pixel (f, 1, 1);
      gui_test_spin (100);
      assert_same_fit_in_both_panes (f, languages[i]);

      /* Stacked: the reader under the writer, each as wide as the window allows. */
      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->writer), GTK_WIDGET (f->window),
                                               &GRAPHENE_POINT_INIT (0, 0), &writer_at));
      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->reader), GTK_WIDGET (f->window),
                                               &GRAPHENE_POINT_INIT (0, 0), &reader_at));
      g_assert_cmpfloat (reader_at.y, >,
                         writer_at.y + gtk_widget_get_height (GTK_WIDGET (f->writer)));
      g_assert_cmpfloat (reader_at.x, ==, writer_at.x);
      assert_nothing_cut (GTK_WIDGET (f->window), languages[i]);
      close_window (f);
    }
  set_language ("C");
}

static void
test_wide_loopback_window_is_side_by_side (Fixture *f, gconstpointer data)
{
  graphene_point_t writer_at, reader_at;

  GUI_TEST_REQUIRE_DISPLAY ();
  gui_test_spin (100);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->writer), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &writer_at));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->reader), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &reader_at));
  g_assert_cmpfloat (reader_at.y, ==, writer_at.y);
  g_assert_cmpfloat (reader_at.x, >, writer_at.x + gtk_widget_get_width (GTK_WIDGET (f->writer)));
  assert_nothing_cut (GTK_WIDGET (f->window), "C");
  g_free (publish_pattern (f, W / 4, H * 2, SHMV_FORMAT_RGBA8, 11));
  assert_same_fit_in_both_panes (f, "C");
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);
  /* The narrow-window test looks at every translation. */
  shmv_i18n_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/viewer/zoom/by-keyboard", test_zoom_by_keyboard);
  ADD ("/gui/viewer/zoom/by-scrolling-keeps-the-point-under-the-pointer",
       test_zoom_by_scrolling_keeps_the_point_under_the_pointer);
  ADD ("/gui/viewer/zoom/survives-new-frames-of-the-same-size",
       test_zoom_survives_new_frames_of_the_same_size);
  ADD ("/gui/viewer/fit/enlarges-a-small-image-in-both-panes",
       test_fit_enlarges_a_small_image_in_both_panes);
  ADD ("/gui/viewer/pixel-values/8-bit", test_pixel_values_8_bit);
  ADD ("/gui/viewer/pixel-values/16-bit-with-alpha", test_pixel_values_16_bit_with_alpha);
  ADD ("/gui/viewer/checkerboard-behind-alpha", test_checkerboard_behind_alpha);
  ADD ("/gui/viewer/window/ctrl-w-closes-it", test_ctrl_w_closes_the_window);
  ADD ("/gui/viewer/window/shortcuts-window-lists-wheel-and-drag",
       test_shortcuts_window_lists_wheel_and_drag);
  ADD ("/gui/viewer/window/menu-opens-writer-and-reader-windows",
       test_menu_opens_writer_and_reader_windows);
  ADD ("/gui/viewer/window/waiting-page-says-how-to-start-a-writer",
       test_waiting_page_says_how_to_start_a_writer);
  ADD ("/gui/viewer/window/600-px-loopback-cuts-nothing-in-any-language",
       test_loopback_window_600_px_wide);
  ADD ("/gui/viewer/window/wide-loopback-is-side-by-side",
       test_wide_loopback_window_is_side_by_side);
#undef ADD

  return g_test_run ();
}
