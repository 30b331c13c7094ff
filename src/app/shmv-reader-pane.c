/* shmv-reader-pane.c: shows the frames of a source, live
 *
 * The pane only presents: a ShmvFrameSource (a libshmview channel, through
 * ShmvChannelSource) says what state it is in and when a new frame is
 * available; the pane reads one when it wants to show it: at the next
 * display frame (a tick callback), so a writer publishing faster than the
 * screen costs one copy per displayed frame, not per publish, and only while
 * it is live and mapped. A read is a lock-free copy into a pooled buffer plus
 * a checksum, short enough for the main thread; nothing here waits on the
 * writer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-reader-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "shmv-app-resources.h"
#include "shmv-banner.h"
#include "shmv-channel-chooser.h"
#include "shmv-channel-source.h"
#include "shmv-events.h"
#include "shmv-frame-export.h"
#include "shmv-frame-view.h"
#include "shmv-reader-pane.h"
#include "shmv-status-text.h"
#include "shmv-widget-util.h"

#define NOTICE_TIMEOUT_S 5

struct _ShmvReaderPane
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkToggleButton *actual_size_button;
  ShmvBanner *banner;
  ShmvChannelChooser *chooser;
  GtkSwitch *live_switch;
  GtkLabel *status_label;
  ShmvFrameView *view;

  /* Owned */
  char *key;
  ShmvFrameSource *source;
  GBytes *pixels;     /* of the frame on screen */
  ShmvFrameInfo info; /* generation 0: nothing on screen */
  ShmvSourceState state;
  char *problem;   /* why following could not even start */
  gint64 since_ns; /* when the pane began following, CLOCK_REALTIME */
  GtkFileChooserNative *save_chooser;
  GCancellable *cancellable;

  guint tick_id;
  guint live : 1;
  guint frame_pending : 1; /* the source announced a frame not read yet */
  guint read_when_mapped : 1;
};

G_DEFINE_FINAL_TYPE (ShmvReaderPane, shmv_reader_pane, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
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
    status = shmv_status_text_reader_idle (self->key);
  else
    status = shmv_status_text_reader (&self->info, shmv_frame_view_get_latency_ms (self->view),
                                      self->frame_pending ? newest_generation (self) : 0);
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
      waiting = TRUE;
    }
  shmv_frame_view_show_placeholder (self->view, text, waiting);
}

static void
present (ShmvReaderPane *self)
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

static void
show_frame (ShmvReaderPane *self, const ShmvFrameInfo *info, GBytes *pixels)
{
  g_autofree char *size = shmv_status_text_size (info);
  g_autofree char *alt = g_strdup_printf (_ ("Image on key “%s”, %s pixels"), self->key, size);

  /* A frame published before we looked has no publish-to-screen time. */
  shmv_frame_view_show_frame (self->view, info, pixels, alt,
                              info->publish_time_ns >= self->since_ns);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  self->pixels = g_bytes_ref (pixels);
  self->info = *info;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.save-as", TRUE);
  g_debug (SHMV_EVENT_READER_SHOWING " “%s”: %ux%u %s, checksum OK", info->generation, self->key,
           info->width, info->height, shmv_format_name (info->format));
}

static void
forget_frame (ShmvReaderPane *self)
{
  shmv_frame_view_clear (self->view);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  memset (&self->info, 0, sizeof self->info);
  self->frame_pending = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.save-as", FALSE);
}

static void on_frame_available (ShmvReaderPane *self);

static void
set_source (ShmvReaderPane *self, ShmvFrameSource *source)
{
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      shmv_frame_source_stop (self->source);
      g_clear_object (&self->source);
    }
  if (source == NULL)
    return;
  self->source = g_object_ref (source);
  g_signal_connect_object (source, "frame-available", G_CALLBACK (on_frame_available), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (source, "notify::state", G_CALLBACK (present), self, G_CONNECT_SWAPPED);
}

/* Reads the source's newest frame and shows it; a failure shows through the
 * source's state. */
static void
read_frame (ShmvReaderPane *self)
{
  g_autoptr (GBytes) pixels = NULL;
  ShmvFrameInfo info = { 0 };

  if (self->source == NULL || !shmv_frame_source_get_newest (self->source, NULL))
    return;
  pixels = shmv_frame_source_read (self->source, &info, NULL);
  if (pixels != NULL)
    {
      self->frame_pending = FALSE;
      show_frame (self, &info, pixels);
    }
  present (self);
}

static gboolean
read_tick_cb (GtkWidget *widget, GdkFrameClock *frame_clock, gpointer user_data)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);

  self->tick_id = 0;
  if (self->live && self->frame_pending)
    read_frame (self);
  return G_SOURCE_REMOVE;
}

/* Folds every frame until the next display frame into one read; a hidden
 * pane reads nothing until it is shown again. */
static void
queue_read (ShmvReaderPane *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->read_when_mapped = TRUE;
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), read_tick_cb, NULL, NULL);
}

static void
on_frame_available (ShmvReaderPane *self)
{
  self->frame_pending = TRUE;
  if (self->live)
    queue_read (self);
  present (self);
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

/* --- Saving ------------------------------------------------------------ */

/**
 * shmv_reader_pane_save_async:
 *
 * Writes the image on screen to @file as PNG, in a worker thread. The file is
 * replaced only once complete.
 */
void
shmv_reader_pane_save_async (ShmvReaderPane *self,
                             GFile *file,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  shmv_frame_export_png_async (self, self->pixels, &self->info, file, cancellable, callback,
                               user_data);
}

gboolean
shmv_reader_pane_save_finish (ShmvReaderPane *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return shmv_frame_export_png_finish (result, error);
}

static void
on_save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ShmvReaderPane *self = SHMV_READER_PANE (source);
  g_autoptr (GFile) file = user_data;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  g_autoptr (GError) error = NULL;

  if (shmv_reader_pane_save_finish (self, result, &error))
    message = g_strdup_printf (_ ("Saved as “%s”"), name);
  else
    message = g_strdup_printf (_ ("Could not save “%s”: %s"), name, error->message);
  /* Errors stay until dismissed; confirmations go away by themselves. */
  if (error != NULL)
    shmv_banner_set_notice (self->banner, SHMV_BANNER_ERROR, "dialog-error-symbolic", message, 0);
  else
    shmv_banner_set_notice (self->banner, SHMV_BANNER_INFO, "document-save-symbolic", message,
                            NOTICE_TIMEOUT_S);
}

static void
on_save_chooser_response (ShmvReaderPane *self, int response, GtkFileChooserNative *chooser)
{
  g_autoptr (GtkFileChooserNative) owned = g_steal_pointer (&self->save_chooser);
  g_autoptr (GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    shmv_reader_pane_save_async (self, file, self->cancellable, on_save_done, g_object_ref (file));
}

static void
save_as_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);
  g_autofree char *name = NULL;

  if (self->pixels == NULL || self->save_chooser != NULL)
    return;

  name = shmv_frame_export_suggested_name (self->key, &self->info);
  self->save_chooser = shmv_frame_export_chooser_new (widget, name);
  g_signal_connect_object (self->save_chooser, "response", G_CALLBACK (on_save_chooser_response),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

/* --- Other actions and callbacks ---------------------------------------- */

static void
display_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  shmv_reader_pane_display_once (SHMV_READER_PANE (widget));
}

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
  shmv_reader_pane_set_key (self, shmv_channel_chooser_get_key (self->chooser));
}

/* --- GObject and GtkWidget ---------------------------------------------- */

static void
shmv_reader_pane_map (GtkWidget *widget)
{
  ShmvReaderPane *self = SHMV_READER_PANE (widget);

  GTK_WIDGET_CLASS (shmv_reader_pane_parent_class)->map (widget);

  if (self->read_when_mapped)
    {
      self->read_when_mapped = FALSE;
      if (self->live && self->frame_pending)
        read_frame (self);
    }
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

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_cancellable_cancel (self->cancellable);
  set_source (self, NULL);
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

  gtk_widget_class_install_action (widget_class, "reader.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "reader.display", NULL, display_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "shmv-reader-pane");
}

static void
shmv_reader_pane_init (ShmvReaderPane *self)
{
  self->live = TRUE;
  self->cancellable = g_cancellable_new ();

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

/**
 * shmv_reader_pane_set_source:
 * @source: (nullable) (transfer none): what to show frames from
 *
 * Follows @source instead of the current one: the image on screen is
 * dropped and the pane shows @source's newest frame at once, if it has one.
 */
void
shmv_reader_pane_set_source (ShmvReaderPane *self, ShmvFrameSource *source)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SHMV_IS_READER_PANE (self));
  g_return_if_fail (source == NULL || SHMV_IS_FRAME_SOURCE (source));

  set_source (self, source);
  forget_frame (self);
  g_clear_pointer (&self->problem, g_free);
  if (source == NULL)
    return;

  self->since_ns = g_get_real_time () * 1000;
  if (!shmv_frame_source_start (source, &error))
    {
      self->problem =
          g_strdup_printf (_ ("Cannot follow the key “%s”: %s"), self->key, error->message);
      present (self);
      return;
    }
  g_debug (SHMV_EVENT_READER_FOLLOWING, self->key);
  /* Whatever is there when we start is shown, live or not. */
  read_frame (self);
  present (self);
}

/**
 * shmv_reader_pane_set_key:
 *
 * Follows another channel: the image on screen is dropped and the pane waits
 * for the new key's writer.
 */
void
shmv_reader_pane_set_key (ShmvReaderPane *self, const char *key)
{
  g_autoptr (ShmvFrameSource) source = NULL;

  g_return_if_fail (SHMV_IS_READER_PANE (self));

  if (key == NULL || key[0] == '\0')
    key = SHMV_DEFAULT_KEY;
  if (g_strcmp0 (self->key, key) == 0)
    return;

  g_free (self->key);
  self->key = g_strdup (key);
  shmv_channel_chooser_set_key (self->chooser, key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);

  source = shmv_channel_source_new (key);
  shmv_reader_pane_set_source (self, source);
}

gboolean
shmv_reader_pane_get_live (ShmvReaderPane *self)
{
  g_return_val_if_fail (SHMV_IS_READER_PANE (self), FALSE);

  return self->live;
}

/**
 * shmv_reader_pane_set_live:
 *
 * Live, the pane shows each new frame as it is published; otherwise it reads
 * only when asked (shmv_reader_pane_display_once()).
 */
void
shmv_reader_pane_set_live (ShmvReaderPane *self, gboolean live)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  live = !!live;
  if (self->live == (guint) live)
    return;
  self->live = live;
  gtk_switch_set_active (self->live_switch, live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reader.display", !live);
  if (live && self->frame_pending)
    read_frame (self);
  present (self);
}

/** shmv_reader_pane_display_once: reads the channel's current image now. */
void
shmv_reader_pane_display_once (ShmvReaderPane *self)
{
  g_return_if_fail (SHMV_IS_READER_PANE (self));

  read_frame (self);
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
