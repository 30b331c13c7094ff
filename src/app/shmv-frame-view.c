/* shmv-frame-view.c: a frame on screen (zoomable), or a placeholder while there is none
 *
 * The view also measures how long a frame took from its publish to the
 * screen: the time is taken after the frame clock painted the new texture,
 * which is when a user can first see it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "shmv-app-resources.h"
#include "shmv-frame-text.h"
#include "shmv-frame-view.h"
#include "shmv-image-canvas.h"
#include "shmv-widget-util.h"

struct _ShmvFrameView
{
  GtkWidget parent_instance;

  /* Template widgets */
  ShmvImageCanvas *canvas;
  GtkLabel *hint_label;
  GtkSpinner *spinner;
  GtkStack *stack;
  GtkLabel *waiting_label;
  GtkWidget *detail_label;

  ShmvFrameInfo info;
  double latency_ms; /* < 0: not known */

  /* Borrowed while realized */
  GdkFrameClock *frame_clock;
  gulong after_paint_id;

  guint latency_pending : 1;
};

G_DEFINE_FINAL_TYPE (ShmvFrameView, shmv_frame_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LATENCY_MS,
  PROP_CANVAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_after_paint (ShmvFrameView *self, GdkFrameClock *frame_clock)
{
  if (!self->latency_pending)
    return;
  self->latency_pending = FALSE;
  self->latency_ms = MAX (0.0, shmv_frame_age_ms (&self->info));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

static void
shmv_frame_view_realize (GtkWidget *widget)
{
  ShmvFrameView *self = SHMV_FRAME_VIEW (widget);

  GTK_WIDGET_CLASS (shmv_frame_view_parent_class)->realize (widget);

  self->frame_clock = gtk_widget_get_frame_clock (widget);
  self->after_paint_id = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                   G_CALLBACK (on_after_paint), self);
}

static void
shmv_frame_view_unrealize (GtkWidget *widget)
{
  ShmvFrameView *self = SHMV_FRAME_VIEW (widget);

  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;

  GTK_WIDGET_CLASS (shmv_frame_view_parent_class)->unrealize (widget);
}

static void
shmv_frame_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SHMV_TYPE_FRAME_VIEW);
  shmv_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (shmv_frame_view_parent_class)->dispose (object);
}

static void
shmv_frame_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvFrameView *self = SHMV_FRAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      g_value_set_double (value, self->latency_ms);
      break;
    case PROP_CANVAS:
      g_value_set_object (value, self->canvas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_frame_view_class_init (ShmvFrameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shmv_frame_view_dispose;
  object_class->get_property = shmv_frame_view_get_property;
  widget_class->realize = shmv_frame_view_realize;
  widget_class->unrealize = shmv_frame_view_unrealize;

  /* Publish to screen of the frame shown, once painted; -1 while not known. */
  properties[PROP_LATENCY_MS] =
      g_param_spec_double ("latency-ms", NULL, NULL, -1, G_MAXDOUBLE, -1,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* For the panes' bindings to its zoom and readout. */
  properties[PROP_CANVAS] = g_param_spec_object ("canvas", NULL, NULL, SHMV_TYPE_IMAGE_CANVAS,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHMV_TYPE_IMAGE_CANVAS);
  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-frame-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, canvas);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, hint_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, spinner);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, stack);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, detail_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, waiting_label);
  gtk_widget_class_set_css_name (widget_class, "shmv-frame-view");
}

static void
shmv_frame_view_init (ShmvFrameView *self)
{
  self->latency_ms = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * shmv_frame_view_show_frame:
 * @pixels: the frame @info describes, shown without a copy
 * @description: what a screen reader says about the image
 * @measure_latency: whether to measure the publish-to-screen time (not for
 *   a frame published before anyone looked)
 */
void
shmv_frame_view_show_frame (ShmvFrameView *self,
                            const ShmvFrameInfo *info,
                            GBytes *pixels,
                            const char *description,
                            gboolean measure_latency)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  shmv_image_canvas_set_frame (self->canvas, info, pixels);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  gtk_stack_set_visible_child_name (self->stack, "image");
  gtk_spinner_stop (self->spinner);
  self->info = *info;
  self->latency_ms = -1;
  self->latency_pending = measure_latency;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

/**
 * shmv_frame_view_show_placeholder:
 *
 * @text instead of a frame; while @waiting (for a frame that will show by
 * itself), a spinner and the promise that it will.
 */
void
shmv_frame_view_show_placeholder (ShmvFrameView *self, const char *text, gboolean waiting)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  gtk_label_set_label (self->waiting_label, text);
  gtk_spinner_set_spinning (self->spinner, waiting);
  /* One message per state: the promise only holds while waiting. */
  gtk_widget_set_visible (self->detail_label, waiting);
  /* How to get a writer helps only while there is none. */
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label),
                          waiting && gtk_label_get_label (self->hint_label)[0] != '\0');
  gtk_stack_set_visible_child_name (self->stack, "waiting");
}

/** shmv_frame_view_clear: drops the frame; show a placeholder next. */
void
shmv_frame_view_clear (ShmvFrameView *self)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  shmv_image_canvas_clear (self->canvas);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL);
  memset (&self->info, 0, sizeof self->info);
  self->latency_pending = FALSE;
}

/** shmv_frame_view_set_hint: what the waiting page says about starting a writer. */
void
shmv_frame_view_set_hint (ShmvFrameView *self, const char *hint)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  gtk_label_set_label (self->hint_label, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label),
                          hint != NULL && gtk_spinner_get_spinning (self->spinner));
}

/**
 * shmv_frame_view_set_actual_size:
 *
 * Shows the frame at 100 % instead of scaled to fit (see
 * shmv_image_canvas_set_actual_size()).
 */
void
shmv_frame_view_set_actual_size (ShmvFrameView *self, gboolean actual_size)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  shmv_image_canvas_set_actual_size (self->canvas, actual_size);
}

/** shmv_frame_view_get_canvas: (transfer none): the widget that draws the frame. */
ShmvImageCanvas *
shmv_frame_view_get_canvas (ShmvFrameView *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_VIEW (self), NULL);

  return self->canvas;
}

/** shmv_frame_view_get_texture: (transfer none): the frame on screen, or NULL. */
GdkTexture *
shmv_frame_view_get_texture (ShmvFrameView *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_VIEW (self), NULL);

  return shmv_image_canvas_get_texture (self->canvas);
}

double
shmv_frame_view_get_latency_ms (ShmvFrameView *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_VIEW (self), -1);

  return self->latency_ms;
}
