/* shmv-image-canvas.c: an image that zooms, pans and reads out the pixel under the pointer
 *
 * Fit scales the image to the whole area, enlarging small images too, so a
 * writer pane and a reader pane show one image at one size. Any other zoom is
 * kept with the image point at the centre of the view, so a resize or a new
 * frame (live video) does not move what the user looks at.
 *
 * Above 100 % pixels are drawn as sharp squares: GTK 4.8 has no filter
 * choice for texture nodes (gtk_snapshot_append_scaled_texture is 4.10), so
 * the visible part is painted through cairo with CAIRO_FILTER_NEAREST from a
 * copy of the texture, made once per frame and only while zoomed in. At or
 * below 100 % the texture node scales smoothly.
 *
 * The readout names the pixel under the pointer with its raw samples, read
 * from the frame's bytes (shmv-pixel-readout.c), never from the 8-bit texture.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-image-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "shmv-events.h"
#include "shmv-frame-texture.h"
#include "shmv-image-canvas.h"
#include "shmv-pixel-readout.h"

#define ZOOM_STEP     1.4142135623730951 /* two steps double the size */
#define ZOOM_MIN      (1.0 / 64)
#define ZOOM_MAX      256.0
#define SCROLL_PIXELS 40.0
#define CHECK_SIZE    8.0 /* screen pixels, as Eye of GNOME */

struct _ShmvImageCanvas
{
  GtkWidget parent_instance;

  ShmvFrameInfo info; /* generation 0 with a texture: a writer preview */
  GBytes *pixels;
  GdkTexture *texture;
  cairo_surface_t *nearest; /* the texture for sharp zoomed-in pixels, made on demand */

  double zoom;   /* while not fitting */
  double cx, cy; /* the image point at the centre of the view, while not fitting */
  gboolean fit;

  gboolean pointer_inside;
  double pointer_x, pointer_y;
  double drag_cx, drag_cy;
  double pinch_zoom;
  char *readout;
  gint64 last_used;
  guint size_changed_id;
};

G_DEFINE_FINAL_TYPE (ShmvImageCanvas, shmv_image_canvas, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ZOOM,
  PROP_FIT,
  PROP_ACTUAL_SIZE,
  PROP_READOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
fit_zoom (ShmvImageCanvas *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  int iw = self->texture ? gdk_texture_get_width (self->texture) : 0;
  int ih = self->texture ? gdk_texture_get_height (self->texture) : 0;

  if (w <= 0 || h <= 0 || iw <= 0 || ih <= 0)
    return 1.0;
  return MIN ((double) w / iw, (double) h / ih);
}

double
shmv_image_canvas_get_zoom (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), 1.0);

  return self->fit ? fit_zoom (self) : self->zoom;
}

/* Keeps the view on the image: centred along an axis where it is smaller than
 * the view, else never showing past its edge. */
static void
clamp_centre (ShmvImageCanvas *self)
{
  double s = shmv_image_canvas_get_zoom (self);
  double half_w = gtk_widget_get_width (GTK_WIDGET (self)) / (2 * s);
  double half_h = gtk_widget_get_height (GTK_WIDGET (self)) / (2 * s);
  double iw = self->texture ? gdk_texture_get_width (self->texture) : 0;
  double ih = self->texture ? gdk_texture_get_height (self->texture) : 0;

  self->cx = iw <= 2 * half_w ? iw / 2 : CLAMP (self->cx, half_w, iw - half_w);
  self->cy = ih <= 2 * half_h ? ih / 2 : CLAMP (self->cy, half_h, ih - half_h);
}

/* The image's rectangle in widget coordinates. */
static void
image_rect (ShmvImageCanvas *self, graphene_rect_t *rect)
{
  double s = shmv_image_canvas_get_zoom (self);
  double iw = gdk_texture_get_width (self->texture);
  double ih = gdk_texture_get_height (self->texture);
  double cx = self->fit ? iw / 2 : self->cx;
  double cy = self->fit ? ih / 2 : self->cy;
  double ox = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - cx * s;
  double oy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - cy * s;

  /* Whole screen pixels: 100 % is exactly the image, and zoomed-in pixels
   * do not shimmer while panning. */
  if (s >= 1)
    {
      ox = round (ox);
      oy = round (oy);
    }
  graphene_rect_init (rect, ox, oy, iw * s, ih * s);
}

/** shmv_image_canvas_get_image_rect: where the image is drawn, in widget coordinates; FALSE without
 * one. */
gboolean
shmv_image_canvas_get_image_rect (ShmvImageCanvas *self, graphene_rect_t *rect)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), FALSE);

  if (self->texture == NULL)
    return FALSE;
  image_rect (self, rect);
  return TRUE;
}

/**
 * shmv_image_canvas_image_point:
 *
 * The image coordinates (in image pixels, fractional) under the widget
 * point (@x, @y).
 */
void
shmv_image_canvas_image_point (
    ShmvImageCanvas *self, double x, double y, double *image_x, double *image_y)
{
  graphene_rect_t rect;
  double s;

  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  if (self->texture == NULL)
    {
      *image_x = *image_y = -1;
      return;
    }
  s = shmv_image_canvas_get_zoom (self);
  image_rect (self, &rect);
  *image_x = (x - rect.origin.x) / s;
  *image_y = (y - rect.origin.y) / s;
}

static void
update_readout (ShmvImageCanvas *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *pixel = NULL;
  char *readout = NULL;

  if (self->texture != NULL)
    {
      zoom = shmv_zoom_text (shmv_image_canvas_get_zoom (self));
      if (self->pointer_inside && self->pixels != NULL)
        {
          double ix, iy;

          shmv_image_canvas_image_point (self, self->pointer_x, self->pointer_y, &ix, &iy);
          if (ix >= 0 && iy >= 0)
            pixel = shmv_pixel_readout (&self->info, self->pixels, (guint32) ix, (guint32) iy);
        }
      /* TRANSLATORS: the zoom level, then the pixel under the pointer */
      readout = pixel ? g_strdup_printf (C_ ("readout", "%s · %s"), zoom, pixel)
                      : g_steal_pointer (&zoom);
    }

  if (g_strcmp0 (readout, self->readout) == 0)
    {
      g_free (readout);
      return;
    }
  g_free (self->readout);
  self->readout = readout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

/* A hand where dragging moves the image. */
static void
update_cursor (ShmvImageCanvas *self)
{
  graphene_rect_t rect;
  gboolean movable = !self->fit && shmv_image_canvas_get_image_rect (self, &rect) &&
                     (rect.size.width > gtk_widget_get_width (GTK_WIDGET (self)) ||
                      rect.size.height > gtk_widget_get_height (GTK_WIDGET (self)));

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), movable ? "grab" : NULL);
}

/* After any change of zoom, pan or frame. */
static void
changed (ShmvImageCanvas *self, gboolean zoom_changed)
{
  if (!self->fit)
    clamp_centre (self);
  update_readout (self);
  update_cursor (self);
  if (zoom_changed)
    {
      if (self->fit)
        g_debug (SHMV_EVENT_ZOOM_FIT);
      else
        g_debug (SHMV_EVENT_ZOOM, (int) round (self->zoom * 100));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTUAL_SIZE]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Leaves fitting for a zoom of our own, starting from what is on screen. */
static void
unfit (ShmvImageCanvas *self)
{
  if (!self->fit || self->texture == NULL)
    return;
  self->zoom = fit_zoom (self);
  self->cx = gdk_texture_get_width (self->texture) / 2.0;
  self->cy = gdk_texture_get_height (self->texture) / 2.0;
  self->fit = FALSE;
}

/**
 * shmv_image_canvas_zoom_at:
 *
 * Multiplies the zoom by @factor, keeping the image point under the widget
 * point (@x, @y) where it is.
 */
void
shmv_image_canvas_zoom_at (ShmvImageCanvas *self, double factor, double x, double y)
{
  double ix, iy;

  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  if (self->texture == NULL || factor <= 0)
    return;
  self->last_used = g_get_monotonic_time ();
  shmv_image_canvas_image_point (self, x, y, &ix, &iy);
  unfit (self);
  self->zoom = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);
  /* Steps of √2 there and back land on 100 % up to rounding: make it exact,
   * so that "Show at Actual Size" knows it. */
  if (fabs (self->zoom - 1.0) < 1e-9)
    self->zoom = 1.0;
  self->cx = ix - (x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / self->zoom;
  self->cy = iy - (y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / self->zoom;
  changed (self, TRUE);
}

/**
 * shmv_image_canvas_pan:
 *
 * Moves the image by (@dx, @dy) screen pixels, as far as its edges allow.
 */
void
shmv_image_canvas_pan (ShmvImageCanvas *self, double dx, double dy)
{
  double s;

  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  if (self->fit)
    return;
  s = shmv_image_canvas_get_zoom (self);
  self->cx -= dx / s;
  self->cy -= dy / s;
  changed (self, FALSE);
}

/* Keys zoom around the pointer while it is over the image, else the centre. */
static void
zoom_by_key (ShmvImageCanvas *self, double factor)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (self->pointer_inside)
    {
      x = self->pointer_x;
      y = self->pointer_y;
    }
  shmv_image_canvas_zoom_at (self, factor, x, y);
}

void
shmv_image_canvas_zoom_in (ShmvImageCanvas *self)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  zoom_by_key (self, ZOOM_STEP);
}

void
shmv_image_canvas_zoom_out (ShmvImageCanvas *self)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  zoom_by_key (self, 1 / ZOOM_STEP);
}

/** shmv_image_canvas_set_fit: scales the image to the whole area, small images too. */
void
shmv_image_canvas_set_fit (ShmvImageCanvas *self)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  self->last_used = g_get_monotonic_time ();
  if (self->fit)
    return;
  self->fit = TRUE;
  changed (self, TRUE);
}

gboolean
shmv_image_canvas_get_fit (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), FALSE);

  return self->fit;
}

/**
 * shmv_image_canvas_set_actual_size:
 *
 * TRUE shows the image at 100 %, around the pointer while it is over the
 * image. FALSE goes back to fitting, but only from 100 %: a toggle button
 * bound to this property goes off when the user zooms elsewhere, and that
 * must not undo the user's zoom.
 */
void
shmv_image_canvas_set_actual_size (ShmvImageCanvas *self, gboolean actual_size)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  if (actual_size == shmv_image_canvas_get_actual_size (self))
    return;
  if (actual_size)
    zoom_by_key (self, 1.0 / shmv_image_canvas_get_zoom (self));
  else
    shmv_image_canvas_set_fit (self);
  /* Without an image there is no zoom to change: the toggle follows. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTUAL_SIZE]);
}

gboolean
shmv_image_canvas_get_actual_size (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), FALSE);

  return !self->fit && self->zoom == 1.0;
}

const char *
shmv_image_canvas_get_readout (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), NULL);

  return self->readout;
}

/** shmv_image_canvas_get_last_used: when the user last pointed at or zoomed this canvas. */
gint64
shmv_image_canvas_get_last_used (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), 0);

  return self->last_used;
}

/**
 * shmv_image_canvas_hover:
 *
 * The pointer is at the widget point (@x, @y): the readout names the pixel
 * there. Motion events call it; tests may too.
 */
void
shmv_image_canvas_hover (ShmvImageCanvas *self, double x, double y)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  self->pointer_inside = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  self->last_used = g_get_monotonic_time ();
  update_readout (self);
}

/**
 * shmv_image_canvas_set_frame:
 * @info: the frame's header; its generation may be 0 (a preview)
 * @pixels: the frame's bytes, shown without a copy
 *
 * The zoom and the pan stay as they are: live video keeps the user's view.
 */
void
shmv_image_canvas_set_frame (ShmvImageCanvas *self, const ShmvFrameInfo *info, GBytes *pixels)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  g_clear_object (&self->texture);
  g_clear_pointer (&self->nearest, cairo_surface_destroy);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->texture = shmv_frame_texture_new (info, pixels);
  self->pixels = g_bytes_ref (pixels);
  self->info = *info;
  changed (self, self->fit);
}

void
shmv_image_canvas_clear (ShmvImageCanvas *self)
{
  g_return_if_fail (SHMV_IS_IMAGE_CANVAS (self));

  g_clear_object (&self->texture);
  g_clear_pointer (&self->nearest, cairo_surface_destroy);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  memset (&self->info, 0, sizeof self->info);
  changed (self, FALSE);
}

/** shmv_image_canvas_get_texture: (transfer none): the image on screen, or NULL. */
GdkTexture *
shmv_image_canvas_get_texture (ShmvImageCanvas *self)
{
  g_return_val_if_fail (SHMV_IS_IMAGE_CANVAS (self), NULL);

  return self->texture;
}

/* --- Drawing ------------------------------------------------------------- */

static void
append_checkerboard (GtkSnapshot *snapshot, const graphene_rect_t *area)
{
  const GdkRGBA light = { 0.6, 0.6, 0.6, 1 };
  const GdkRGBA dark = { 0.4, 0.4, 0.4, 1 };
  const double c = CHECK_SIZE;

  gtk_snapshot_push_repeat (snapshot, area, &GRAPHENE_RECT_INIT (0, 0, 2 * c, 2 * c));
  gtk_snapshot_append_color (snapshot, &light, &GRAPHENE_RECT_INIT (0, 0, c, c));
  gtk_snapshot_append_color (snapshot, &dark, &GRAPHENE_RECT_INIT (c, 0, c, c));
  gtk_snapshot_append_color (snapshot, &dark, &GRAPHENE_RECT_INIT (0, c, c, c));
  gtk_snapshot_append_color (snapshot, &light, &GRAPHENE_RECT_INIT (c, c, c, c));
  gtk_snapshot_pop (snapshot);
}

static cairo_surface_t *
nearest_surface (ShmvImageCanvas *self)
{
  int w = gdk_texture_get_width (self->texture);
  int h = gdk_texture_get_height (self->texture);

  if (self->nearest != NULL)
    return self->nearest;
  self->nearest = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (self->nearest) != CAIRO_STATUS_SUCCESS)
    {
      g_clear_pointer (&self->nearest, cairo_surface_destroy);
      return NULL;
    }
  gdk_texture_download (self->texture, cairo_image_surface_get_data (self->nearest),
                        cairo_image_surface_get_stride (self->nearest));
  cairo_surface_mark_dirty (self->nearest);
  return self->nearest;
}

/* Sharp pixels: only the visible part is painted, so the cost follows the
 * view, not the zoom. */
static gboolean
append_nearest (ShmvImageCanvas *self,
                GtkSnapshot *snapshot,
                const graphene_rect_t *image,
                const graphene_rect_t *visible)
{
  cairo_surface_t *surface = nearest_surface (self);
  double s = shmv_image_canvas_get_zoom (self);
  cairo_t *cr = NULL;

  if (surface == NULL)
    return FALSE;
  cr = gtk_snapshot_append_cairo (snapshot, visible);
  cairo_translate (cr, image->origin.x, image->origin.y);
  cairo_scale (cr, s, s);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, 0, 0, gdk_texture_get_width (self->texture),
                   gdk_texture_get_height (self->texture));
  cairo_fill (cr);
  cairo_destroy (cr);
  return TRUE;
}

static void
shmv_image_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (widget);
  graphene_rect_t view, image, visible;

  if (self->texture == NULL)
    return;
  graphene_rect_init (&view, 0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  image_rect (self, &image);
  if (!graphene_rect_intersection (&image, &view, &visible))
    return;

  gtk_snapshot_push_clip (snapshot, &visible);
  if (self->info.format == SHMV_FORMAT_RGBA8 || self->info.format == SHMV_FORMAT_RGBA16)
    append_checkerboard (snapshot, &visible);
  if (shmv_image_canvas_get_zoom (self) <= 1 || !append_nearest (self, snapshot, &image, &visible))
    gtk_snapshot_append_texture (snapshot, self->texture, &image);
  gtk_snapshot_pop (snapshot);
}

static gboolean
size_changed_cb (gpointer data)
{
  ShmvImageCanvas *self = data;

  self->size_changed_id = 0;
  update_readout (self);
  update_cursor (self);
  /* While fitting, a new size is a new zoom level. */
  if (self->fit && self->texture != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  return G_SOURCE_REMOVE;
}

static void
shmv_image_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (widget);

  if (!self->fit)
    clamp_centre (self);
  /* The readout's text changes the status line's size: not during a layout. */
  if (self->size_changed_id == 0)
    self->size_changed_id = g_idle_add (size_changed_cb, self);
}

/* --- Input --------------------------------------------------------------- */

static void
on_motion (ShmvImageCanvas *self, double x, double y)
{
  shmv_image_canvas_hover (self, x, y);
}

static void
on_leave (ShmvImageCanvas *self)
{
  self->pointer_inside = FALSE;
  update_readout (self);
}

static gboolean
on_scroll (ShmvImageCanvas *self, double dx, double dy, GtkEventControllerScroll *controller)
{
  GdkModifierType state =
      gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->texture == NULL)
    return FALSE;
  if (state & GDK_CONTROL_MASK)
    {
      shmv_image_canvas_zoom_at (self, pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (self->fit)
    return FALSE;
  /* Shift turns the wheel sideways, as in every scrolled view. */
  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  shmv_image_canvas_pan (self, -dx * SCROLL_PIXELS, -dy * SCROLL_PIXELS);
  return TRUE;
}

static void
on_drag_begin (ShmvImageCanvas *self)
{
  self->drag_cx = self->cx;
  self->drag_cy = self->cy;
  self->last_used = g_get_monotonic_time ();
}

static void
on_drag_update (ShmvImageCanvas *self, double dx, double dy)
{
  /* A fitted image is all in view: nothing to pan. */
  if (self->fit)
    return;
  self->cx = self->drag_cx;
  self->cy = self->drag_cy;
  shmv_image_canvas_pan (self, dx, dy);
}

static void
on_pinch_begin (ShmvImageCanvas *self)
{
  self->pinch_zoom = shmv_image_canvas_get_zoom (self);
}

static void
on_pinch_changed (ShmvImageCanvas *self, double scale, GtkGesture *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    return;
  shmv_image_canvas_zoom_at (self, self->pinch_zoom * scale / shmv_image_canvas_get_zoom (self), x,
                             y);
}

static void
add_controllers (ShmvImageCanvas *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll =
      gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();

  g_signal_connect_swapped (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (on_leave), self);
  /* Swapped: the controller comes last, where on_scroll wants it. */
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (on_scroll), self);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect_swapped (pinch, "scale-changed", G_CALLBACK (on_pinch_changed), self);

  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
}

/* --- GObject ------------------------------------------------------------- */

static void
shmv_image_canvas_dispose (GObject *object)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (object);

  g_clear_handle_id (&self->size_changed_id, g_source_remove);

  G_OBJECT_CLASS (shmv_image_canvas_parent_class)->dispose (object);
}

static void
shmv_image_canvas_finalize (GObject *object)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (object);

  g_clear_object (&self->texture);
  g_clear_pointer (&self->nearest, cairo_surface_destroy);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_pointer (&self->readout, g_free);

  G_OBJECT_CLASS (shmv_image_canvas_parent_class)->finalize (object);
}

static void
shmv_image_canvas_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, shmv_image_canvas_get_zoom (self));
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    case PROP_ACTUAL_SIZE:
      g_value_set_boolean (value, shmv_image_canvas_get_actual_size (self));
      break;
    case PROP_READOUT:
      g_value_set_string (value, self->readout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_image_canvas_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  ShmvImageCanvas *self = SHMV_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_ACTUAL_SIZE:
      shmv_image_canvas_set_actual_size (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_image_canvas_class_init (ShmvImageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shmv_image_canvas_dispose;
  object_class->finalize = shmv_image_canvas_finalize;
  object_class->get_property = shmv_image_canvas_get_property;
  object_class->set_property = shmv_image_canvas_set_property;
  widget_class->snapshot = shmv_image_canvas_snapshot;
  widget_class->size_allocate = shmv_image_canvas_size_allocate;

  properties[PROP_ZOOM] =
      g_param_spec_double ("zoom", NULL, NULL, 0, G_MAXDOUBLE, 1,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIT] = g_param_spec_boolean (
      "fit", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTUAL_SIZE] =
      g_param_spec_boolean ("actual-size", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The zoom level and the pixel under the pointer, for the status line; NULL without an image. */
  properties[PROP_READOUT] =
      g_param_spec_string ("readout", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "shmv-image-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
shmv_image_canvas_init (ShmvImageCanvas *self)
{
  self->fit = TRUE;
  self->zoom = 1.0;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  add_controllers (self);
}
