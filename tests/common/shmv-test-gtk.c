/* shmv-test-gtk.c: what only the GUI tests need: a display, the main loop,
 * textures and widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-gtk.h"

#include <string.h>

static gboolean have_display;

void
gui_test_init (int *argc, char ***argv)
{
  /* Tests compare strings the app shows; they are written in English. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, NULL);
  have_display = gtk_init_check ();
  if (!have_display)
    g_test_message ("no display: GUI tests are skipped");
}

gboolean
gui_test_have_display (void)
{
  return have_display;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gui_test_wait_until (GuiTestCondition condition, gpointer data, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake_id = g_timeout_add (10, wake_cb, NULL);
  gboolean met = FALSE;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return met;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Lets the main loop run for a while, to show that something does NOT happen. */
void
gui_test_spin (int ms)
{
  gui_test_wait_until (never, NULL, ms);
}

static guint
sample_at (const guint8 *pixels, gsize stride, ShmvFormat format, guint32 x, guint32 y, guint c)
{
  guint bpp = shmv_format_bytes_per_pixel (format);
  const guint8 *pixel = pixels + (gsize) y * stride + (gsize) x * bpp;

  if (format == SHMV_FORMAT_RGB16 || format == SHMV_FORMAT_RGBA16)
    return ((const guint16 *) pixel)[c];
  return pixel[c];
}

void
gui_test_assert_texture (GdkTexture *texture,
                         const guint8 *pixels,
                         guint32 width,
                         guint32 height,
                         gsize stride,
                         ShmvFormat format)
{
  gboolean wide = format == SHMV_FORMAT_RGB16 || format == SHMV_FORMAT_RGBA16;
  gsize down_stride = (gsize) width * 4;
  g_autofree guint8 *down = NULL;

  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  /* Downloads are B, G, R, A bytes (CAIRO_FORMAT_ARGB32 on little endian). */
  down = g_malloc (down_stride * height);
  gdk_texture_download (texture, down, down_stride);

  for (guint32 y = 0; y < height; y++)
    for (guint32 x = 0; x < width; x++)
      for (guint c = 0; c < 3; c++)
        {
          guint want = sample_at (pixels, stride, format, x, y, c);
          guint got = down[(gsize) y * down_stride + (gsize) x * 4 + (2 - c)];

          if (wide)
            {
              double exact = want / 257.0;

              if (got + 1.0 < exact || got > exact + 1.0)
                g_error ("pixel (%u, %u) channel %u: got %u, want about %.1f", x, y, c, got, exact);
            }
          else if (got != want)
            g_error ("pixel (%u, %u) channel %u: got %u, want %u", x, y, c, got, want);
        }
}

GtkWidget *
gui_test_find_widget (GtkWidget *root, GType type, const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (label == NULL ||
       (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), label) != NULL)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gui_test_find_widget (child, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
gui_test_destroy_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  g_assert_true (gui_test_wait_until (window_gone, &window, 20000));
}

GdkTexture *
gui_test_render_widget (GtkWidget *widget)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The part (@x, @y, @width, @height) of @texture, as a texture of its own. */
GdkTexture *
gui_test_crop_texture (GdkTexture *texture, int x, int y, int width, int height)
{
  int full_width = gdk_texture_get_width (texture);
  gsize full_stride = (gsize) full_width * 4;
  g_autofree guint8 *full = g_malloc (full_stride * gdk_texture_get_height (texture));
  guint8 *part = g_malloc ((gsize) width * 4 * height);
  g_autoptr (GBytes) bytes = NULL;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x + width, <=, full_width);
  g_assert_cmpint (y + height, <=, gdk_texture_get_height (texture));
  gdk_texture_download (texture, full, full_stride);
  for (int row = 0; row < height; row++)
    memcpy (part + (gsize) row * width * 4, full + (gsize) (y + row) * full_stride + (gsize) x * 4,
            (gsize) width * 4);
  bytes = g_bytes_new_take (part, (gsize) width * 4 * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
}
