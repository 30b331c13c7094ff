/* shmv-banner.c: a message above a pane's content: an error, a warning, a confirmation
 *
 * Both panes show their messages the same way: an icon, a wrapping text and,
 * when the user may dismiss it, a close button that activates the pane's
 * action (the "dismiss-action-name" property), so the pane decides what
 * dismissing means. It slides in and out rather than pushing the image
 * around abruptly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-app-resources.h"
#include "shmv-banner.h"
#include "shmv-widget-util.h"

struct _ShmvBanner
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkWidget *box;
  GtkImage *icon;
  GtkLabel *label;
  GtkButton *dismiss_button;
};

G_DEFINE_FINAL_TYPE (ShmvBanner, shmv_banner, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_DISMISS_ACTION_NAME,
  PROP_DISMISS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const style_classes[] = {
  [SHMV_BANNER_ERROR] = "error",
  [SHMV_BANNER_WARNING] = "warning",
  [SHMV_BANNER_INFO] = "info",
};

static void
shmv_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SHMV_TYPE_BANNER);
  shmv_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (shmv_banner_parent_class)->dispose (object);
}

static void
shmv_banner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvBanner *self = SHMV_BANNER (object);

  switch (prop_id)
    {
    case PROP_DISMISS_ACTION_NAME:
      g_value_set_string (value,
                          gtk_actionable_get_action_name (GTK_ACTIONABLE (self->dismiss_button)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_banner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  ShmvBanner *self = SHMV_BANNER (object);

  switch (prop_id)
    {
    case PROP_DISMISS_ACTION_NAME:
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->dismiss_button),
                                      g_value_get_string (value));
      break;
    case PROP_DISMISS_LABEL:
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->dismiss_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, g_value_get_string (value),
                                      -1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_banner_class_init (ShmvBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shmv_banner_dispose;
  object_class->get_property = shmv_banner_get_property;
  object_class->set_property = shmv_banner_set_property;

  /* The pane's action that the close button activates. */
  properties[PROP_DISMISS_ACTION_NAME] = g_param_spec_string (
      "dismiss-action-name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* What a screen reader calls the close button ("Dismiss the error"). */
  properties[PROP_DISMISS_LABEL] = g_param_spec_string ("dismiss-label", NULL, NULL, NULL,
                                                        G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, box);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, label);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, dismiss_button);
  gtk_widget_class_set_css_name (widget_class, "shmv-banner");
}

static void
shmv_banner_init (ShmvBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * shmv_banner_show:
 * @dismissible: whether the close button shows
 *
 * Shows @text, replacing what the banner showed.
 */
void
shmv_banner_show (ShmvBanner *self,
                  ShmvBannerStyle style,
                  const char *icon_name,
                  const char *text,
                  gboolean dismissible)
{
  g_return_if_fail (SHMV_IS_BANNER (self));
  g_return_if_fail ((guint) style < G_N_ELEMENTS (style_classes));
  g_return_if_fail (text != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    gtk_widget_remove_css_class (self->box, style_classes[i]);
  gtk_widget_add_css_class (self->box, style_classes[style]);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), dismissible);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

/** shmv_banner_hide: slides the banner away; its text stays until the next show. */
void
shmv_banner_hide (ShmvBanner *self)
{
  g_return_if_fail (SHMV_IS_BANNER (self));

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

/** shmv_banner_get_text: the text shown, or NULL when the banner is hidden. */
const char *
shmv_banner_get_text (ShmvBanner *self)
{
  g_return_val_if_fail (SHMV_IS_BANNER (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return NULL;
  return gtk_label_get_label (self->label);
}
