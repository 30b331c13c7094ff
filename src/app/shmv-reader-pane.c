/* shmv-reader-pane.c: shows the frames of a source, live
 *
 * The pane only presents: a ShmvFrameSource (a libshmview channel, through
 * ShmvChannelSource) says what state it is in and when a new frame is
 * available; this file turns that state into the banner, the placeholder and
 * the status line, and shows the frames that shmv-reader-pane-frames.c reads.
 * A read is a lock-free copy into a pooled buffer plus a checksum, short
 * enough for the main thread; nothing here waits on the writer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-reader-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "shmv-app-resources.h"
#include "shmv-events.h"
#include "shmv-reader-pane-private.h"
#include "shmv-status-text.h"
#include "shmv-widget-util.h"

G_DEFINE_FINAL_TYPE (ShmvReaderPane, shmv_reader_pane, GTK_TYPE_WIDGET)

/* "kind" before "key": construct properties are set in this order, so a
 * pane made for a Qt key never starts following a channel of that name. */
enum
{
  PROP_0,
  PROP_KIND,
  PROP_KEY,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint32
newest_generation (ShmvReaderPane *self)
{
  ShmvFrameInfo newest = { 0 };

  if (self->source != NULL)
    shmv_frame_source_get_newest (self->source, &newest);
  return newest.generation;
}

static void
update_status (ShmvReaderPane *self)
{
  g_autofree char *status = NULL;

  if (self->info.generation == 0)
    /* As the page says: an image waits only while it is not shown by itself. */
    status = shmv_status_text_reader_idle (
        self->key, self->frame_pending && !self->live ? newest_generation (self) : 0);
  else
    /* Publish to screen means something only while following live. */
    status = shmv_status_text_reader (
        &self->info, self->live ? shmv_frame_view_get_latency_ms (self->view) : -1,
        self->frame_pending ? newest_generation (self) : 0,
        shmv_frame_rate_get (self->rate, g_get_monotonic_time ()),
        self->source != NULL && shmv_frame_source_is_checksummed (self->source),
        /* Not a warning: nobody is meant to write (the chooser says the same). */
        self->state == SHMV_SOURCE_STATE_KEPT ? _ ("kept without a writer") : NULL);
  gtk_label_set_label (self->status_label, status);
}

static const char *
problem (ShmvReaderPane *self)
{
  if (self->problem != NULL || self->source == NULL)
    return self->problem;
  return shmv_frame_source_get_problem (self->source);
}

/* The banner's status: the source's failure, or the writer's absence. */
static void
update_banner (ShmvReaderPane *self)
{
  if (self->state == SHMV_SOURCE_STATE_ERROR && problem (self) != NULL)
    shmv_banner_set_status (self->banner, SHMV_BANNER_ERROR, "dialog-error-symbolic",
                            problem (self));
  else if (self->state == SHMV_SOURCE_STATE_WRITER_LEFT && self->info.generation != 0)
    shmv_banner_set_status (self->banner, SHMV_BANNER_WARNING, "dialog-warning-symbolic",
                            _ ("Writer left — showing the last image"));
  else if (self->state == SHMV_SOURCE_STATE_REMOVED && self->info.generation != 0)
    shmv_banner_set_status (self->banner, SHMV_BANNER_WARNING, "dialog-warning-symbolic",
                            _ ("Channel removed — showing the last image"));
  else
    shmv_banner_set_status (self->banner, SHMV_BANNER_WARNING, NULL, NULL);
}

static void
update_placeholder (ShmvReaderPane *self)
{
  g_autofree char *text = NULL;
  gboolean waiting = FALSE;

  if (self->info.generation != 0)
    return;

  if (self->state == SHMV_SOURCE_STATE_ERROR)
    text = g_strdup_printf (_ ("Cannot show the channel “%s”"), self->key);
  else if (self->frame_pending && !self->live)
    text = g_strdup_printf (_ ("An image is ready on key “%s”: display it from shared memory"),
                            self->key);
  else
    {
      text = g_strdup_printf (_ ("Waiting for a writer on key “%s”…"), self->key);
      /* Live off, an image would not show by itself: no promise that it will. */
      waiting = self->live;
    }
  shmv_frame_view_show_placeholder (self->view, text, waiting);
}

void
_shmv_reader_pane_present (ShmvReaderPane *self)
{
  ShmvSourceState state = self->problem != NULL || self->source == NULL
                              ? SHMV_SOURCE_STATE_ERROR
                              : shmv_frame_source_get_state (self->source);
  gboolean changed = state != self->state;

  if (changed)
    g_debug ("“%s”: %s " SHMV_EVENT_READER_STATE, self->key, shmv_source_state_nick (self->state),
             shmv_source_state_nick (state));
  self->state = state;

  update_banner (self);
  update_placeholder (self);
  update_status (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_shmv_reader_pane_show_frame (ShmvReaderPane *self,
                              const ShmvFrameInfo *info,
                              GBytes *pixels,
                              gboolean as_it_arrives)
{
  g_autofree char *size = shmv_status_text_size (info);
  g_autofree char *alt = g_strdup_printf (_ ("Image on key “%s”, %s pixels"), self->key, size);

  /* A frame published before we looked has no publish-to-screen time. */
  shmv_frame_view_show_frame (self->view, info, pixels, alt,
                              as_it_arrives && info->publish_time_ns >= self->since_ns);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_bytes_ref (pixels);
  self->info = *info;
  shmv_frame_rate_add (self->rate, g_get_monotonic_time ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.save-as", TRUE);
  g_debug (SHMV_EVENT_READER_SHOWING " “%s”: %ux%u %s, checksum OK", info->generation, self->key,
           info->width, info->height, shmv_format_name (info->format));
}

void
_shmv_reader_pane_forget_frame (ShmvReaderPane *self)
{
  shmv_frame_view_clear (self->view);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  memset (&self->info, 0, sizeof self->info);
  shmv_frame_rate_reset (self->rate);
  self->frame_pending = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.save-as", FALSE);
}

static void
on_latency_measured (ShmvReaderPane *self)
{
  double latency_ms = shmv_frame_view_get_latency_ms (self->view);

  if (latency_ms < 0)
    return;
  g_debug ("generation %u on screen %.2f ms after its publish", self->info.generation, latency_ms);
  update_status (self);
}

/* --- Other actions and callbacks ---------------------------------------- */

static void
on_live_changed (ShmvReaderPane *self)
{
  shmv_reader_pane_set_live (self, gtk_switch_get_active (self->live_switch));
}

static void
on_actual_size_changed (ShmvReaderPane *self)
{
  shmv_reader_pane_set_actual_size (self, gtk_toggle_button_get_active (self->actual_size_button));
}

static void
on_chooser_key_changed (ShmvReaderPane *self)
{
  shmv_reader_pane_follow (self, shmv_channel_chooser_get_kind (self->chooser),
                           shmv_channel_chooser_get_key (self->chooser));
}

/* --- GObject and GtkWidget ---------------------------------------------- */

static void
shmv_reader_pane_map (GtkWidget *widget)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);

  GTK_WIDGET_CLASS (shmv_reader_pane_parent_class)->map (widget);

  _shmv_reader_pane_mapped (self);
}

static void
shmv_reader_pane_unroot (GtkWidget *widget)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);

  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);

  GTK_WIDGET_CLASS (shmv_reader_pane_parent_class)->unroot (widget);
}

static void
shmv_reader_pane_dispose (GObject *object)
{
  ShmvReaderPane *self = SHMV_READER_PANE (object);

  g_cancellable_cancel (self->cancellable);
  _shmv_reader_pane_stop_following (self);
  g_clear_object (&self->save_chooser);
  g_clear_pointer (&self->pixels, g_bytes_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), SHMV_TYPE_READER_PANE);
  shmv_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (shmv_reader_pane_parent_class)->dispose (object);
}

static void
shmv_reader_pane_finalize (GObject *object)
{
  ShmvReaderPane *self = SHMV_READER_PANE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->rate, shmv_frame_rate_free);

  G_OBJECT_CLASS (shmv_reader_pane_parent_class)->finalize (object);
}

static void
shmv_reader_pane_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvReaderPane *self = SHMV_READER_PANE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_reader_pane_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  ShmvReaderPane *self = SHMV_READER_PANE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      shmv_reader_pane_set_key (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      if (self->key != NULL)
        shmv_reader_pane_follow (self, g_value_get_enum (value), self->key);
      else
        self->kind = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_reader_pane_class_init (ShmvReaderPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shmv_reader_pane_dispose;
  object_class->finalize = shmv_reader_pane_finalize;
  object_class->get_property = shmv_reader_pane_get_property;
  object_class->set_property = shmv_reader_pane_set_property;

  widget_class->map = shmv_reader_pane_map;
  widget_class->unroot = shmv_reader_pane_unroot;

  properties[PROP_KIND] = g_param_spec_enum (
      "kind", NULL, NULL, SHMV_TYPE_SOURCE_KIND, SHMV_SOURCE_KIND_CHANNEL,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL,
                                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                                  G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, SHMV_TYPE_SOURCE_STATE, SHMV_SOURCE_STATE_WAITING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHMV_TYPE_BANNER);
  g_type_ensure (SHMV_TYPE_CHANNEL_CHOOSER);
  g_type_ensure (SHMV_TYPE_FRAME_VIEW);
  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-reader-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, actual_size_button);
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, banner);
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, chooser);
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, live_switch);
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvReaderPane, view);
  gtk_widget_class_bind_template_callback (widget_class, on_actual_size_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_chooser_key_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_live_changed);

  _shmv_reader_pane_class_actions_init (widget_class);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "shmv-reader-pane");
}

static void
shmv_reader_pane_init (ShmvReaderPane *self)
{
  self->live = TRUE;
  self->cancellable = g_cancellable_new ();
  self->rate = shmv_frame_rate_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->view, "notify::latency-ms", G_CALLBACK (on_latency_measured), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.save-as", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.display", FALSE);
}

ShmvReaderPane *
shmv_reader_pane_new (const char *key)
{
  return g_object_new (SHMV_TYPE_READER_PANE, "key", key, NULL);
}

const char *
shmv_reader_pane_get_key (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), NULL);

  return self->key;
}

/* The command line that starts a writer on @key of @kind, for the waiting page. */
static char *
writer_hint (ShmvSourceKind kind, const char *key)
{
  g_autofree char *quoted = NULL;
  g_autofree char *options = NULL;

  for (const char *c = key; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("._-", *c) == NULL)
      {
        quoted = g_shell_quote (key);
        break;
      }
  /* Both commands take --qt after the key as well as before it. */
  options = g_strconcat (quoted ? quoted : key, kind == SHMV_SOURCE_KIND_QT ? " --qt" : "", NULL);
  /* TRANSLATORS: shown while the reader waits; the commands are typed as they are */
  return g_strdup_printf (_ ("To publish an image here, run “shmview-ctl publish FILE -k %s” or "
                             "“shmview --writer -k %s”."),
                          options, options);
}

/**
 * shmv_reader_pane_new_for_kind:
 *
 * A pane following @key of @kind (a Qt segment rather than a channel).
 */
ShmvReaderPane *
shmv_reader_pane_new_for_kind (ShmvSourceKind kind, const char *key)
{
  return g_object_new (SHMV_TYPE_READER_PANE, "kind", kind, "key", key, NULL);
}

/**
 * shmv_reader_pane_set_key:
 *
 * Follows another key of the same kind: the image on screen is dropped and
 * the pane waits for the new key's writer.
 */
void
shmv_reader_pane_set_key (ShmvReaderPane *self, const char *key)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  shmv_reader_pane_follow (self, self->kind, key);
}

/**
 * shmv_reader_pane_follow:
 *
 * Follows @key of @kind: a libshmview channel or a Qt segment.
 */
void
shmv_reader_pane_follow (ShmvReaderPane *self, ShmvSourceKind kind, const char *key)
{
  g_autoptr (ShmvFrameSource) source = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *old_key = NULL;

  g_return_if_fail (SHMV_IS_READER_PANE (self));

  if (key == NULL || key[0] == '\0')
    key = SHMV_DEFAULT_KEY;
  if (g_strcmp0 (self->key, key) == 0 && self->kind == kind)
    return;

  /* @key may be self->key itself (a change of kind only): freed after the copy. */
  old_key = g_steal_pointer (&self->key);
  self->key = g_strdup (key);
  self->kind = kind;
  shmv_channel_chooser_set_choice (self->chooser, kind, key);
  hint = writer_hint (kind, key);
  shmv_frame_view_set_hint (self->view, hint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);

  source = shmv_source_kind_new_source (kind, key);
  shmv_reader_pane_set_source (self, source);
}

/**
 * shmv_reader_pane_set_actual_size:
 *
 * Shows the image 1:1 (scrolling when larger than the pane) instead of
 * scaled to fit.
 */
void
shmv_reader_pane_set_actual_size (ShmvReaderPane *self, gboolean actual_size)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  gtk_toggle_button_set_active (self->actual_size_button, actual_size);
  shmv_frame_view_set_actual_size (self->view, actual_size);
}

ShmvSourceState
shmv_reader_pane_get_state (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), SHMV_SOURCE_STATE_WAITING);

  return self->state;
}

/** shmv_reader_pane_get_canvas: (transfer none): the widget that draws the image. */
ShmvImageCanvas *
shmv_reader_pane_get_canvas (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), NULL);

  return shmv_frame_view_get_canvas (self->view);
}

/** shmv_reader_pane_get_texture: (transfer none): the image on screen, or NULL. */
GdkTexture *
shmv_reader_pane_get_texture (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), NULL);

  return shmv_frame_view_get_texture (self->view);
}

/** shmv_reader_pane_get_frame_info: the header of the frame on screen; FALSE if none. */
gboolean
shmv_reader_pane_get_frame_info (ShmvReaderPane *self, ShmvFrameInfo *info)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), FALSE);

  if (info != NULL)
    *info = self->info;
  return self->info.generation != 0;
}

/** shmv_reader_pane_get_message: the text of the banner, or NULL when it is hidden. */
const char *
shmv_reader_pane_get_message (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), NULL);

  return shmv_banner_get_text (self->banner);
}

const char *
shmv_reader_pane_get_status (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), NULL);

  return gtk_label_get_label (self->status_label);
}
