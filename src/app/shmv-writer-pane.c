/* shmv-writer-pane.c: loads image files and publishes them on a channel
 *
 * The pane publishes through a ShmvFrameSink (by default a ShmvChannelSink,
 * which owns the writer's channel handle; any sink given at construction)
 * and knows nothing else of where frames go. Loads run in the background;
 * the pane shows their progress, what was published (as the sink holds it,
 * so the preview is what readers get), and failures, which never touch the
 * image already published.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-writer-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-app-error.h"
#include "shmv-app-resources.h"
#include "shmv-channel-sink.h"
#include "shmv-events.h"
#include "shmv-gerror.h"
#include "shmv-image-canvas.h"
#include "shmv-status-text.h"
#include "shmv-widget-util.h"
#include "shmv-writer-pane-private.h"

/* Loads shorter than this show no progress bar: it would only flash. */
#define PROGRESS_DELAY_MS 150

G_DEFINE_FINAL_TYPE (ShmvWriterPane, shmv_writer_pane, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KEY,
  PROP_SINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_status (ShmvWriterPane *self)
{
  g_autofree char *status = NULL;

  if (self->info.generation == 0)
    status = shmv_status_text_writer_idle (self->key);
  else
    status = shmv_status_text_writer (self->key, &self->info, self->segment_size, self->system_v);
  gtk_label_set_label (self->status_label, status);
}

/* Shows @error (NULL hides the banner); takes ownership. */
static void
show_error (ShmvWriterPane *self, GError *error)
{
  g_clear_error (&self->error);
  self->error = error;
  shmv_banner_set_notice (self->banner, SHMV_BANNER_ERROR, "dialog-error-symbolic",
                          error != NULL ? error->message : NULL, 0);
  if (error != NULL)
    g_debug (SHMV_EVENT_WRITER_ERROR ": %s", self->key, error->message);
}

static void
on_banner_dismissed (ShmvWriterPane *self)
{
  g_clear_error (&self->error);
}

/* Tells the user that the channel had to be made anew (@notice, nullable,
 * a sentence naming the channel): readers following the old one may need to
 * look again. Not an error: the publish went through. */
static void
show_notice (ShmvWriterPane *self, const char *notice)
{
  if (notice == NULL)
    return;
  /* Information, not a warning: the image is published, as asked. */
  shmv_banner_set_notice (self->banner, SHMV_BANNER_INFO, "dialog-information-symbolic", notice, 0);
  g_debug (SHMV_EVENT_WRITER_NOTICE ": %s", self->key, notice);
}

static gboolean
reveal_progress_cb (gpointer user_data)
{
  ShmvWriterPane *self = user_data;

  self->progress_delay_id = 0;
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  return G_SOURCE_REMOVE;
}

static void
set_loading (ShmvWriterPane *self, GFile *file)
{
  gboolean loading = file != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writer.load", !loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writer.republish",
                                 !loading && self->last_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writer.cancel", loading);
  g_clear_handle_id (&self->progress_delay_id, g_source_remove);

  if (loading)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = g_strdup_printf (_ ("Loading “%s”…"), name);

      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_progress_bar_set_text (self->progress_bar, text);
      self->progress_delay_id = g_timeout_add (PROGRESS_DELAY_MS, reveal_progress_cb, self);
    }
  else
    gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

static void
on_sink_progress (ShmvWriterPane *self, double fraction)
{
  if (self->cancellable != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

/* Shows the frame the channel holds, as readers get it. */
static void
show_frame (ShmvWriterPane *self, ShmvPublished *published)
{
  self->info = published->info;
  self->segment_size = published->segment_size;
  self->system_v = published->system_v;

  if (published->pixels != NULL)
    {
      shmv_image_canvas_set_frame (self->canvas, &published->info, published->pixels);
      gtk_stack_set_visible_child_name (self->stack, "image");
    }
  gtk_label_set_label (self->source_label, published->info.source_name);
  update_status (self);
}

static void
show_published (ShmvWriterPane *self, ShmvPublished *published)
{
  show_frame (self, published);
  shmv_banner_set_status (self->banner, SHMV_BANNER_INFO, NULL, NULL);
  show_notice (self, published->notice);
  g_debug ("published generation %u on “%s”", self->info.generation, self->key);
}

static gboolean
same_frame (const ShmvFrameInfo *a, const ShmvFrameInfo *b)
{
  return a->generation == b->generation && a->publish_time_ns == b->publish_time_ns;
}

/* The pane shows the channel's state, not only its own publishes: a frame
 * another writer published (or one there before the pane opened) replaces
 * ours on screen, and the banner says whose it is. */
static void
sync_with_sink (ShmvWriterPane *self)
{
  g_autoptr (ShmvPublished) current = NULL;
  g_autofree char *text = NULL;

  /* A running load will show its own frame, then look again. */
  if (self->cancellable != NULL)
    return;
  current = shmv_frame_sink_read_current (self->sink);
  if (current != NULL && current->removed)
    {
      /* The frame on screen is gone from shared memory; publishing is not.
       * Publish Again needs an image of this pane's own; without one (the
       * image shown is another writer's), loading one is the way. */
      shmv_banner_set_status (self->banner, SHMV_BANNER_WARNING, "dialog-warning-symbolic",
                              self->last_file != NULL
                                  ? _ ("The channel was removed: publishing again makes it anew")
                                  : _ ("The channel was removed: load an image to make it again"));
      return;
    }
  if (current == NULL || current->info.generation == 0 || same_frame (&current->info, &self->info))
    return;

  show_frame (self, current);
  /* TRANSLATORS: the writer pane shows a frame it did not publish itself */
  text = current->other != NULL ? g_strdup (current->other)
                                : g_strdup_printf (_ ("Another writer published generation %u"),
                                                   current->info.generation);
  shmv_banner_set_status (self->banner, SHMV_BANNER_INFO, "emblem-shared-symbolic", text);
  g_debug (SHMV_EVENT_WRITER_OTHER, current->info.generation, self->key);
}

static void
on_publish_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ShmvWriterPane) self = user_data;
  g_autoptr (ShmvPublished) published = NULL;
  g_autoptr (GError) error = NULL;

  published = shmv_frame_sink_publish_file_finish (SHMV_FRAME_SINK (source), result, &error);
  g_clear_object (&self->cancellable);
  if (published != NULL)
    g_set_object (&self->last_file, self->loading_file);
  g_clear_object (&self->loading_file);
  set_loading (self, NULL);

  if (published != NULL)
    show_published (self, published);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, g_steal_pointer (&error));
  /* Another writer may have published while we loaded. */
  sync_with_sink (self);
}

/**
 * shmv_writer_pane_load_file:
 *
 * Loads @file in the background and publishes it. A failure is shown in the
 * pane; the image published before stays published.
 */
void
shmv_writer_pane_load_file (ShmvWriterPane *self, GFile *file)
{
  g_return_if_fail (SHMV_IS_WRITER_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->cancellable != NULL)
    {
      show_error (self, g_error_new_literal (SHMV_APP_ERROR, SHMV_APP_ERROR_BUSY,
                                             _ ("Another image is still loading")));
      return;
    }

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  self->loading_file = g_object_ref (file);
  set_loading (self, file);
  shmv_frame_sink_publish_file_async (self->sink, file, self->cancellable, on_publish_done,
                                      g_object_ref (self));
}

void
shmv_writer_pane_cancel (ShmvWriterPane *self)
{
  g_return_if_fail (SHMV_IS_WRITER_PANE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
open_sink (ShmvWriterPane *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hint = NULL;

  if (self->sink == NULL)
    self->sink = SHMV_FRAME_SINK (shmv_channel_sink_new (self->key));
  g_signal_connect_object (self->sink, "progress", G_CALLBACK (on_sink_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sink, "changed", G_CALLBACK (sync_with_sink), self,
                           G_CONNECT_SWAPPED);

  /* A failure here is not final: every load tries to open the channel again. */
  if (!shmv_frame_sink_open (self->sink, &error))
    {
      show_error (self,
                  g_error_new (error->domain, error->code, _ ("Cannot open the channel “%s”: %s"),
                               self->key, error->message));
    }
  else
    {
      g_autofree char *notice = shmv_frame_sink_take_notice (self->sink);

      show_notice (self, notice);
    }

  hint = g_strdup_printf (_ ("Load an image from a file, or drop one here, to publish it on the "
                             "key “%s”."),
                          self->key);
  gtk_label_set_label (self->empty_label, hint);
  update_status (self);
  sync_with_sink (self);
}

static void
shmv_writer_pane_constructed (GObject *object)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (object);

  G_OBJECT_CLASS (shmv_writer_pane_parent_class)->constructed (object);

  if (self->key == NULL)
    self->key = g_strdup (SHMV_DEFAULT_KEY);
  open_sink (self);
}

/* Leaving the window (closing it, quitting) stops a load at once; the
 * sink withdraws and closes when the worker hands the channel back. */
static void
shmv_writer_pane_unroot (GtkWidget *widget)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (widget);

  shmv_writer_pane_cancel (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  GTK_WIDGET_CLASS (shmv_writer_pane_parent_class)->unroot (widget);
}

static void
shmv_writer_pane_dispose (GObject *object)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (object);

  g_clear_handle_id (&self->progress_delay_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sink != NULL)
    shmv_frame_sink_close (self->sink);
  g_clear_object (&self->sink);
  g_clear_object (&self->chooser);
  g_clear_object (&self->loading_file);
  g_clear_object (&self->last_file);

  gtk_widget_dispose_template (GTK_WIDGET (self), SHMV_TYPE_WRITER_PANE);
  shmv_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (shmv_writer_pane_parent_class)->dispose (object);
}

static void
shmv_writer_pane_finalize (GObject *object)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (shmv_writer_pane_parent_class)->finalize (object);
}

static void
shmv_writer_pane_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_SINK:
      g_value_set_object (value, self->sink);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_writer_pane_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_SINK:
      self->sink = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_writer_pane_class_init (ShmvWriterPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = shmv_writer_pane_constructed;
  object_class->dispose = shmv_writer_pane_dispose;
  object_class->finalize = shmv_writer_pane_finalize;
  object_class->get_property = shmv_writer_pane_get_property;
  object_class->set_property = shmv_writer_pane_set_property;

  widget_class->unroot = shmv_writer_pane_unroot;

  properties[PROP_KEY] = g_param_spec_string (
      "key", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ShmvWriterPane:sink:
   *
   * Where the pane publishes; by default (NULL) a ShmvChannelSink on the
   * pane's key, made when the pane is.
   */
  properties[PROP_SINK] =
      g_param_spec_object ("sink", NULL, NULL, SHMV_TYPE_FRAME_SINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SHMV_TYPE_BANNER);
  g_type_ensure (SHMV_TYPE_IMAGE_CANVAS);
  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-writer-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, empty_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, banner);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, canvas);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, source_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, stack);
  gtk_widget_class_bind_template_child (widget_class, ShmvWriterPane, status_label);

  _shmv_writer_pane_class_actions_init (widget_class);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "shmv-writer-pane");
}

static void
shmv_writer_pane_init (ShmvWriterPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->banner, "dismissed", G_CALLBACK (on_banner_dismissed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writer.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writer.republish", FALSE);
  _shmv_writer_pane_setup_drop_target (self);
}

ShmvWriterPane *
shmv_writer_pane_new (const char *key)
{
  return g_object_new (SHMV_TYPE_WRITER_PANE, "key", key, NULL);
}

/**
 * shmv_writer_pane_new_for_sink:
 * @sink: (transfer none): where to publish, instead of a channel on @key
 *
 * A writer pane that publishes to @sink; @key is what the pane calls it.
 */
ShmvWriterPane *
shmv_writer_pane_new_for_sink (const char *key, ShmvFrameSink *sink)
{
  g_return_val_if_fail (SHMV_IS_FRAME_SINK (sink), NULL);

  return g_object_new (SHMV_TYPE_WRITER_PANE, "key", key, "sink", sink, NULL);
}

const char *
shmv_writer_pane_get_key (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return self->key;
}

ShmvFrameSink *
shmv_writer_pane_get_sink (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return self->sink;
}

gboolean
shmv_writer_pane_is_loading (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * shmv_writer_pane_get_generation:
 *
 * The generation of this pane's last publish, 0 before the first.
 */
guint
shmv_writer_pane_get_generation (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), 0);

  return self->info.generation;
}

/** shmv_writer_pane_get_error: (transfer none): the error shown in the pane, or NULL. */
const GError *
shmv_writer_pane_get_error (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return self->error;
}

/** shmv_writer_pane_get_message: (transfer none): the banner's text, or NULL when hidden. */
const char *
shmv_writer_pane_get_message (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return shmv_banner_get_text (self->banner);
}

/** shmv_writer_pane_get_status: (transfer none): the status line under the image. */
const char *
shmv_writer_pane_get_status (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return gtk_label_get_label (self->status_label);
}

/** shmv_writer_pane_get_canvas: (transfer none): the widget that draws the preview. */
ShmvImageCanvas *
shmv_writer_pane_get_canvas (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return self->canvas;
}

GdkPaintable *
shmv_writer_pane_get_preview (ShmvWriterPane *self)
{
  g_return_val_if_fail (SHMV_IS_WRITER_PANE (self), NULL);

  return GDK_PAINTABLE (shmv_image_canvas_get_texture (self->canvas));
}
