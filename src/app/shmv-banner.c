/* shmv-banner.c: a message above a pane's content: an error, a warning, a confirmation
 *
 * Both panes show their messages the same way: an icon, a wrapping text and,
 * for what the user may dismiss, a close button. A pane says two kinds of
 * things, and the banner keeps both:
 *
 * - a status: what the pane's state is ("Writer left", "Corrupt channel"),
 *   set and cleared by the pane as its state changes, never dismissed;
 * - a notice: what happened after something the user did ("Saved as",
 *   "Cannot load"), until dismissed or, for a confirmation, a timeout.
 *
 * One shows at a time, the most important first: an error status (nothing
 * can be done with the pane until it goes), then the notice, then any other
 * status. Dismissing emits ::dismissed. The banner slides in and out rather
 * than pushing the image around abruptly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-app-resources.h"
#include "shmv-banner.h"
#include "shmv-widget-util.h"

typedef struct
{
  ShmvBannerStyle style;
  char *icon_name;
  char *text; /* NULL: none */
} Message;

struct _ShmvBanner
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkWidget *box;
  GtkImage *icon;
  GtkLabel *label;
  GtkButton *dismiss_button;

  Message status;
  Message notice;
  guint notice_timeout_id;
};

G_DEFINE_FINAL_TYPE (ShmvBanner, shmv_banner, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_DISMISS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DISMISSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const style_classes[] = {
  [SHMV_BANNER_ERROR] = "error",
  [SHMV_BANNER_WARNING] = "warning",
  [SHMV_BANNER_INFO] = "info",
};

static void
message_set (Message *message, ShmvBannerStyle style, const char *icon_name, const char *text)
{
  message->style = style;
  g_free (message->icon_name);
  message->icon_name = g_strdup (icon_name);
  g_free (message->text);
  message->text = g_strdup (text);
}

static void
update (ShmvBanner *self)
{
  const Message *shown = NULL;

  if (self->status.text != NULL && self->status.style == SHMV_BANNER_ERROR)
    shown = &self->status;
  else if (self->notice.text != NULL)
    shown = &self->notice;
  else if (self->status.text != NULL)
    shown = &self->status;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "banner.dismiss", self->notice.text != NULL);
  if (shown == NULL)
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    gtk_widget_remove_css_class (self->box, style_classes[i]);
  gtk_widget_add_css_class (self->box, style_classes[shown->style]);
  gtk_image_set_from_icon_name (self->icon, shown->icon_name);
  gtk_label_set_label (self->label, shown->text);
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), shown == &self->notice);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

static void
clear_notice (ShmvBanner *self)
{
  g_clear_handle_id (&self->notice_timeout_id, g_source_remove);
  message_set (&self->notice, SHMV_BANNER_INFO, NULL, NULL);
  update (self);
}

static gboolean
notice_timeout_cb (gpointer user_data)
{
  ShmvBanner *self = user_data;

  self->notice_timeout_id = 0;
  clear_notice (self);
  return G_SOURCE_REMOVE;
}

static void
dismiss_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvBanner *self = SHMV_BANNER (widget);

  clear_notice (self);
  g_signal_emit (self, signals[DISMISSED], 0);
}

static void
shmv_banner_dispose (GObject *object)
{
  ShmvBanner *self = SHMV_BANNER (object);

  g_clear_handle_id (&self->notice_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), SHMV_TYPE_BANNER);
  shmv_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (shmv_banner_parent_class)->dispose (object);
}

static void
shmv_banner_finalize (GObject *object)
{
  ShmvBanner *self = SHMV_BANNER (object);

  message_set (&self->status, SHMV_BANNER_INFO, NULL, NULL);
  message_set (&self->notice, SHMV_BANNER_INFO, NULL, NULL);

  G_OBJECT_CLASS (shmv_banner_parent_class)->finalize (object);
}

static void
shmv_banner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  ShmvBanner *self = SHMV_BANNER (object);

  switch (prop_id)
    {
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
  object_class->finalize = shmv_banner_finalize;
  object_class->set_property = shmv_banner_set_property;

  /* What a screen reader calls the close button ("Dismiss the error"). */
  properties[PROP_DISMISS_LABEL] = g_param_spec_string ("dismiss-label", NULL, NULL, NULL,
                                                        G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ShmvBanner::dismissed:
   *
   * The user closed the notice.
   */
  signals[DISMISSED] = g_signal_new ("dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, box);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, label);
  gtk_widget_class_bind_template_child (widget_class, ShmvBanner, dismiss_button);
  gtk_widget_class_install_action (widget_class, "banner.dismiss", NULL, dismiss_action);
  gtk_widget_class_set_css_name (widget_class, "shmv-banner");
}

static void
shmv_banner_init (ShmvBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "banner.dismiss", FALSE);
}

/**
 * shmv_banner_set_status:
 * @text: (nullable): NULL clears the status
 *
 * Says what the pane's state is, until the pane says otherwise.
 */
void
shmv_banner_set_status (ShmvBanner *self,
                        ShmvBannerStyle style,
                        const char *icon_name,
                        const char *text)
{
  g_return_if_fail (SHMV_IS_BANNER (self));
  g_return_if_fail ((guint) style < G_N_ELEMENTS (style_classes));

  message_set (&self->status, style, icon_name, text);
  update (self);
}

/**
 * shmv_banner_set_notice:
 * @text: (nullable): NULL clears the notice
 * @timeout_s: seconds until it goes by itself; 0: until dismissed
 *
 * Tells what happened, replacing the previous notice.
 */
void
shmv_banner_set_notice (ShmvBanner *self,
                        ShmvBannerStyle style,
                        const char *icon_name,
                        const char *text,
                        guint timeout_s)
{
  g_return_if_fail (SHMV_IS_BANNER (self));
  g_return_if_fail ((guint) style < G_N_ELEMENTS (style_classes));

  g_clear_handle_id (&self->notice_timeout_id, g_source_remove);
  message_set (&self->notice, style, icon_name, text);
  if (text != NULL && timeout_s > 0)
    self->notice_timeout_id = g_timeout_add_seconds (timeout_s, notice_timeout_cb, self);
  update (self);
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
