/* shmv-channel-chooser.c: a button listing this user's channels, to pick one
 *
 * Like the source lists of Syphon or NDI: the popover lists every channel of
 * this user with its image size and whether a writer stands behind it. Finding
 * out means opening each channel, so the listing runs in a worker thread each
 * time the popover opens. A key can also be typed, for a writer that has not
 * started yet. Qt's QSharedMemory segments of this user are listed after the
 * channels, marked as Qt; choosing one follows it as a Qt segment (the
 * chooser's kind), and a typed key is of the kind chosen last.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-chooser"

#include "config.h"

#include <glib/gi18n.h>
#include <shmview/shmview.h>
#include <stdlib.h>

#include "shmv-app-resources.h"
#include "shmv-widget-util.h"
#include "shmv-channel-chooser.h"
#include "shmv-channel-report.h"
#include "shmv-frame-text.h"
#include "shmv-qt-segment.h"
#include "shmv-text-escape.h"

struct _ShmvChannelChooser
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkEntry *key_entry;
  GtkLabel *key_label;
  GtkListBox *list_box;
  GtkMenuButton *menu_button;
  GtkPopover *popover;

  /* Owned */
  char *key;
  ShmvSourceKind kind;
  GCancellable *cancellable; /* of the running listing */
  guint n_channels;
  guint n_qt_segments;
};

/* What a listing found: ShmvChannelReport *, then ShmvQtSegmentInfo *. */
typedef struct
{
  GPtrArray *channels;
  GPtrArray *qt_segments;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_pointer (&listing->channels, g_ptr_array_unref);
  g_clear_pointer (&listing->qt_segments, g_ptr_array_unref);
  g_free (listing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Listing, listing_free)

G_DEFINE_FINAL_TYPE (ShmvChannelChooser, shmv_channel_chooser, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the listing found out about each channel: the description
 * shmview-ctl list gives, made without ever removing a channel (a stale one
 * is not opened: our reader would be its last user). */
static void
list_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GPtrArray) rows =
      g_ptr_array_new_with_free_func ((GDestroyNotify) shmv_channel_report_free);
  ShmvChannelEntry *entries = NULL;
  ShmvStatus status = { 0 };
  Listing *listing = NULL;
  size_t n;

  if (!shmv_channel_list (&entries, &n, &status))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", status.message);
      return;
    }
  for (size_t i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    g_ptr_array_add (rows, shmv_channel_report_new_from_entry (&entries[i]));
  free (entries);
  listing = g_new0 (Listing, 1);
  listing->channels = g_steal_pointer (&rows);
  /* Never attaches: looking at a Qt segment must not remove it. */
  listing->qt_segments = shmv_qt_segment_list ();
  g_task_return_pointer (task, listing, (GDestroyNotify) listing_free);
}

static char *
row_details (const ShmvChannelReport *row)
{
  g_autofree char *bytes = g_format_size (row->size);
  g_autofree char *image = NULL;
  const char *writer = NULL;

  if (row->corrupt)
    return g_strjoin (C_ ("status line", " · "), bytes, _ ("corrupt"), NULL);
  if (row->state == SHMV_REPORT_FAILED)
    return g_strjoin (C_ ("status line", " · "), bytes, _ ("not readable"), NULL);
  if (row->state == SHMV_REPORT_STALE)
    return g_strjoin (C_ ("status line", " · "), bytes, _ ("writer left"), NULL);

  if (shmv_channel_report_writer_present (row))
    writer = _ ("writer running");
  else if (row->persistent)
    writer = _ ("kept without a writer");
  else
    writer = _ ("writer left");

  if (!row->has_frame)
    return g_strjoin (C_ ("status line", " · "), _ ("no image yet"), bytes, writer, NULL);

  image = shmv_frame_dimensions (&row->frame);
  return g_strjoin (C_ ("status line", " · "), image, bytes, writer, NULL);
}

/* A row: @title (peer-chosen, shown escaped), @details; activating it
 * chooses @key of @kind (no @key: it cannot be followed). */
static GtkWidget *
row_new (ShmvChannelChooser *self,
         const char *title_text,
         const char *details,
         ShmvSourceKind kind,
         const char *key)
{
  /* A peer chose the key: shown, never obeyed (plain text, no markup, its
   * control characters visible). */
  g_autofree char *shown = shmv_escape_text (title_text);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (shown);
  GtkWidget *subtitle = gtk_label_new (details);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_visible (check,
                          key != NULL && g_strcmp0 (key, self->key) == 0 && kind == self->kind);
  gtk_box_append (GTK_BOX (box), check);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), key != NULL);

  gtk_label_set_use_markup (GTK_LABEL (title), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL, shown,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details, -1);
  g_object_set_data_full (G_OBJECT (list_row), "shmv-key", g_strdup (key), g_free);
  g_object_set_data (G_OBJECT (list_row), "shmv-kind", GINT_TO_POINTER (kind));
  return list_row;
}

static GtkWidget *
channel_row_new (ShmvChannelChooser *self, const ShmvChannelReport *row)
{
  g_autofree char *details = row_details (row);

  /* A corrupt channel may not tell its key. */
  return row_new (self, row->key != NULL ? row->key : row->native_key, details,
                  SHMV_SOURCE_KIND_CHANNEL, row->key);
}

/* A Qt segment: marked as Qt; its key is known when Qt's file name tells it
 * (letters only), else the key file is shown and the row cannot be chosen. */
static GtkWidget *
qt_row_new (ShmvChannelChooser *self, const ShmvQtSegmentInfo *segment)
{
  g_autofree char *bytes = g_format_size (segment->size);
  g_autofree char *file = g_path_get_basename (segment->key_file);
  g_autofree char *details =
      g_strjoin (C_ ("status line", " · "), _ ("Qt segment"), bytes,
                 segment->attach_count > 0 ? _ ("writer running") : _ ("writer left"), NULL);

  return row_new (self, segment->key != NULL ? segment->key : file, details, SHMV_SOURCE_KIND_QT,
                  segment->key);
}

static void
clear_list (ShmvChannelChooser *self)
{
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

static void
on_list_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ShmvChannelChooser) self = user_data;
  g_autoptr (Listing) listing = NULL;
  g_autoptr (GError) error = NULL;

  listing = g_task_propagate_pointer (G_TASK (result), &error);
  if (listing == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("listing channels failed: %s", error->message);
      return;
    }
  g_clear_object (&self->cancellable);

  clear_list (self);
  for (guint i = 0; i < listing->channels->len; i++)
    gtk_list_box_append (self->list_box,
                         channel_row_new (self, g_ptr_array_index (listing->channels, i)));
  for (guint i = 0; i < listing->qt_segments->len; i++)
    gtk_list_box_append (self->list_box,
                         qt_row_new (self, g_ptr_array_index (listing->qt_segments, i)));
  self->n_channels = listing->channels->len;
  self->n_qt_segments = listing->qt_segments->len;
  g_debug ("%u channels, %u Qt segments", self->n_channels, self->n_qt_segments);
}

/**
 * shmv_channel_chooser_refresh:
 *
 * Lists the channels again, in a worker thread.
 */
void
shmv_channel_chooser_refresh (ShmvChannelChooser *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SHMV_IS_CHANNEL_CHOOSER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (NULL, self->cancellable, on_list_done, g_object_ref (self));
  g_task_set_source_tag (task, shmv_channel_chooser_refresh);
  g_task_set_name (task, "[shmview] list channels");
  g_task_run_in_thread (task, list_thread);
}

static void
choose_key (ShmvChannelChooser *self, ShmvSourceKind kind, const char *key)
{
  if (key == NULL || key[0] == '\0')
    return;
  gtk_popover_popdown (self->popover);
  shmv_channel_chooser_set_choice (self, kind, key);
}

static void
on_row_activated (ShmvChannelChooser *self, GtkListBoxRow *row)
{
  choose_key (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "shmv-kind")),
              g_object_get_data (G_OBJECT (row), "shmv-key"));
}

static void
on_key_entry_activate (ShmvChannelChooser *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_entry)));

  g_strstrip (key);
  choose_key (self, self->kind, key);
  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
}

static void
on_popover_show (ShmvChannelChooser *self)
{
  shmv_channel_chooser_refresh (self);
}

static void
shmv_channel_chooser_dispose (GObject *object)
{
  ShmvChannelChooser *self = SHMV_CHANNEL_CHOOSER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), SHMV_TYPE_CHANNEL_CHOOSER);
  shmv_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (shmv_channel_chooser_parent_class)->dispose (object);
}

static void
shmv_channel_chooser_finalize (GObject *object)
{
  ShmvChannelChooser *self = SHMV_CHANNEL_CHOOSER (object);

  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (shmv_channel_chooser_parent_class)->finalize (object);
}

static void
shmv_channel_chooser_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvChannelChooser *self = SHMV_CHANNEL_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_channel_chooser_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  ShmvChannelChooser *self = SHMV_CHANNEL_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      shmv_channel_chooser_set_key (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_channel_chooser_class_init (ShmvChannelChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = shmv_channel_chooser_dispose;
  object_class->finalize = shmv_channel_chooser_finalize;
  object_class->get_property = shmv_channel_chooser_get_property;
  object_class->set_property = shmv_channel_chooser_set_property;

  /**
   * ShmvChannelChooser:key:
   *
   * The chosen channel's key; changes when the user picks another.
   */
  properties[PROP_KEY] =
      g_param_spec_string ("key", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-channel-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvChannelChooser, key_entry);
  gtk_widget_class_bind_template_child (widget_class, ShmvChannelChooser, key_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvChannelChooser, list_box);
  gtk_widget_class_bind_template_child (widget_class, ShmvChannelChooser, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ShmvChannelChooser, popover);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "shmv-channel-chooser");
}

static void
shmv_channel_chooser_init (ShmvChannelChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ShmvChannelChooser *
shmv_channel_chooser_new (void)
{
  return g_object_new (SHMV_TYPE_CHANNEL_CHOOSER, NULL);
}

const char *
shmv_channel_chooser_get_key (ShmvChannelChooser *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_CHOOSER (self), NULL);

  return self->key;
}

void
shmv_channel_chooser_set_key (ShmvChannelChooser *self, const char *key)
{
  g_return_if_fail (SHMV_IS_CHANNEL_CHOOSER (self));

  shmv_channel_chooser_set_choice (self, self->kind, key);
}

ShmvSourceKind
shmv_channel_chooser_get_kind (ShmvChannelChooser *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_CHOOSER (self), SHMV_SOURCE_KIND_CHANNEL);

  return self->kind;
}

/**
 * shmv_channel_chooser_set_choice:
 *
 * Chooses @key of @kind; ::notify::key tells of a change of either.
 */
void
shmv_channel_chooser_set_choice (ShmvChannelChooser *self, ShmvSourceKind kind, const char *key)
{
  g_autofree char *old_key = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *shown = NULL;

  g_return_if_fail (SHMV_IS_CHANNEL_CHOOSER (self));

  if (g_strcmp0 (self->key, key) == 0 && self->kind == kind)
    return;
  /* @key may be self->key itself (a change of kind only): freed after the copy. */
  old_key = g_steal_pointer (&self->key);
  self->key = g_strdup (key);
  self->kind = kind;

  shown = shmv_escape_text (key != NULL ? key : "");
  gtk_label_set_text (self->key_label, shown);
  tooltip = kind == SHMV_SOURCE_KIND_QT
                ? g_strdup_printf (_ ("Qt segment “%s”: choose another"), shown)
                : g_strdup_printf (_ ("Channel “%s”: choose another"), shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

/** shmv_channel_chooser_get_n_qt_segments: how many Qt segments the last listing found. */
guint
shmv_channel_chooser_get_n_qt_segments (ShmvChannelChooser *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_CHOOSER (self), 0);

  return self->n_qt_segments;
}

/** shmv_channel_chooser_get_n_channels: how many channels the last listing found. */
guint
shmv_channel_chooser_get_n_channels (ShmvChannelChooser *self)
{
  g_return_val_if_fail (SHMV_IS_CHANNEL_CHOOSER (self), 0);

  return self->n_channels;
}
