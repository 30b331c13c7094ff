/* shmv-frame-view.c: a frame on screen, fitted or 1:1, or a placeholder while there is none
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
#include "shmv-frame-texture.h"
#include "shmv-frame-view.h"
#include "shmv-widget-util.h"

struct _ShmvFrameView
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkPicture *picture;
  GtkScrolledWindow *scroller;
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-frame-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, picture);
  gtk_widget_class_bind_template_child (widget_class, ShmvFrameView, scroller);
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
  g_autoptr (GdkTexture) texture = shmv_frame_texture_new (info, pixels);

  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_picture_set_alternative_text (self->picture, description);
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
  gtk_stack_set_visible_child_name (self->stack, "waiting");
}

/** shmv_frame_view_clear: drops the frame; show a placeholder next. */
void
shmv_frame_view_clear (ShmvFrameView *self)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  gtk_picture_set_paintable (self->picture, NULL);
  gtk_picture_set_alternative_text (self->picture, NULL);
  memset (&self->info, 0, sizeof self->info);
  self->latency_pending = FALSE;
}

/**
 * shmv_frame_view_set_actual_size:
 *
 * Shows the frame 1:1 (scrolling when larger than the view) instead of
 * scaled to fit.
 */
void
shmv_frame_view_set_actual_size (ShmvFrameView *self, gboolean actual_size)
{
  g_return_if_fail (SHMV_IS_FRAME_VIEW (self));

  /* Fitting lets the picture shrink and grow with the view; 1:1 makes it ask
   * for its full size, which the scrolled window then scrolls. */
  gtk_picture_set_can_shrink (self->picture, !actual_size);
  gtk_picture_set_content_fit (self->picture,
                               actual_size ? GTK_CONTENT_FIT_SCALE_DOWN : GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_halign (GTK_WIDGET (self->picture),
                         actual_size ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
  gtk_widget_set_valign (GTK_WIDGET (self->picture),
                         actual_size ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
}

/** shmv_frame_view_get_texture: (transfer none): the frame on screen, or NULL. */
GdkTexture *
shmv_frame_view_get_texture (ShmvFrameView *self)
{
  GdkPaintable *paintable = NULL;

  g_return_val_if_fail (SHMV_IS_FRAME_VIEW (self), NULL);

  paintable = gtk_picture_get_paintable (self->picture);
  return GDK_IS_TEXTURE (paintable) ? GDK_TEXTURE (paintable) : NULL;
}

double
shmv_frame_view_get_latency_ms (ShmvFrameView *self)
{
  g_return_val_if_fail (SHMV_IS_FRAME_VIEW (self), -1);

  return self->latency_ms;
}
