/* shmv-window.c: a window holding a writer pane, a reader pane, or both
 *
 * In the loopback mode the writer sits left and the reader right; they share
 * nothing but the key: every image goes through the real channel in
 * /dev/shm, exactly as between two processes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-window"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-app-resources.h"
#include "shmv-image-canvas.h"
#include "shmv-panes-layout.h"
#include "shmv-qt-sink.h"
#include "shmv-reader-pane.h"
#include "shmv-text-escape.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

#define PANE_MARGIN 18

struct _ShmvWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkBox *panes_box;
  GtkLabel *subtitle_label;
  GtkLabel *title_label;

  /* Owned */
  char *key;
  ShmvWindowMode mode;
  ShmvSourceKind kind;
  GtkSizeGroup *size_group;

  /* Borrowed: children of panes_box */
  ShmvWriterPane *writer;
  ShmvReaderPane *reader;
};

G_DEFINE_FINAL_TYPE (ShmvWindow, shmv_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_KEY,
  PROP_MODE,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The writer publishes on @writer_key always; the reader may have been
 * pointed at another channel in its chooser. */
static char *
loopback_subtitle (const char *writer_key, const char *reader_key)
{
  g_autofree char *shown = NULL;

  if (g_str_equal (writer_key, reader_key))
    /* TRANSLATORS: the loopback window's subtitle: writer and reader talk through this key */
    return g_strdup_printf (_ ("Loopback through key “%s”"), writer_key);
  /* The reader's key may be a peer's, picked in the chooser. */
  shown = shmv_escape_text (reader_key);
  /* TRANSLATORS: the loopback window's subtitle when the reader was switched to another key */
  return g_strdup_printf (_ ("Writer on key “%s”, reader on key “%s”"), writer_key, shown);
}

static void
update_titles (ShmvWindow *self)
{
  const char *key = self->reader != NULL ? shmv_reader_pane_get_key (self->reader) : self->key;
  const char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *window_title = NULL;

  switch (self->mode)
    {
    case SHMV_WINDOW_MODE_WRITER:
      title = _ ("Shmview Writer");
      subtitle = g_strdup_printf (_ ("Key “%s”"), key);
      break;
    case SHMV_WINDOW_MODE_READER:
      title = _ ("Shmview Reader");
      subtitle = g_strdup_printf (_ ("Key “%s”"), key);
      break;
    case SHMV_WINDOW_MODE_LOOPBACK:
    default:
      title = _ ("Shmview");
      subtitle = loopback_subtitle (self->key, key);
      break;
    }
  if (self->kind == SHMV_SOURCE_KIND_QT)
    {
      g_free (subtitle);
      /* TRANSLATORS: the window's subtitle when it shows or writes a Qt QSharedMemory segment */
      subtitle = g_strdup_printf (_ ("Qt segment “%s”"), key);
    }

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  /* TRANSLATORS: the window title the desktop shows: "Shmview Reader — shmview" */
  window_title =
      g_strdup_printf (_ ("%s — %s"), title, g_str_equal (key, self->key) ? key : subtitle);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
add_pane (ShmvWindow *self, GtkWidget *pane)
{
  gtk_widget_set_margin_top (pane, PANE_MARGIN);
  gtk_widget_set_margin_bottom (pane, PANE_MARGIN);
  gtk_widget_set_margin_start (pane, PANE_MARGIN);
  gtk_widget_set_margin_end (pane, PANE_MARGIN);
  gtk_widget_set_hexpand (pane, TRUE);
  gtk_size_group_add_widget (self->size_group, pane);
  gtk_box_append (self->panes_box, pane);
}

static ShmvWriterPane *
new_writer_pane (ShmvWindow *self)
{
  g_autoptr (ShmvQtSink) sink = NULL;

  if (self->kind != SHMV_SOURCE_KIND_QT)
    return shmv_writer_pane_new (self->key);
  sink = shmv_qt_sink_new (self->key);
  return shmv_writer_pane_new_for_sink (self->key, SHMV_FRAME_SINK (sink));
}

static void
add_panes (ShmvWindow *self)
{
  gboolean loopback = self->mode == SHMV_WINDOW_MODE_LOOPBACK;

  /* The writer first: it creates the channel the reader then finds. */
  if (loopback || self->mode == SHMV_WINDOW_MODE_WRITER)
    {
      self->writer = new_writer_pane (self);
      add_pane (self, GTK_WIDGET (self->writer));
    }
  if (loopback)
    gtk_box_append (self->panes_box, gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  if (loopback || self->mode == SHMV_WINDOW_MODE_READER)
    {
      self->reader = shmv_reader_pane_new_for_kind (self->kind, self->key);
      add_pane (self, GTK_WIDGET (self->reader));
      g_signal_connect_object (self->reader, "notify::key", G_CALLBACK (update_titles), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load", self->writer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", self->reader != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.display", self->reader != NULL);
  gtk_window_set_default_size (GTK_WINDOW (self), loopback ? 1120 : 600, 660);
}

/* Window-wide shortcuts reach the pane wherever the focus is. */
static void
forward_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvWindow *self = SHMV_WINDOW (widget);

  if (g_str_equal (action_name, "win.load") && self->writer != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->writer), "writer.load", NULL);
  else if (g_str_equal (action_name, "win.save-as") && self->reader != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->reader), "reader.save-as", NULL);
  else if (g_str_equal (action_name, "win.display") && self->reader != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->reader), "reader.display", NULL);
}

/* The canvas the zoom keys act on: the one the user pointed at or zoomed
 * last; the reader's before anything happened. */
static ShmvImageCanvas *
active_canvas (ShmvWindow *self)
{
  ShmvImageCanvas *reader = self->reader ? shmv_reader_pane_get_canvas (self->reader) : NULL;
  ShmvImageCanvas *writer = self->writer ? shmv_writer_pane_get_canvas (self->writer) : NULL;

  if (reader == NULL || writer == NULL)
    return reader ? reader : writer;
  return shmv_image_canvas_get_last_used (writer) > shmv_image_canvas_get_last_used (reader)
             ? writer
             : reader;
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvImageCanvas *canvas = active_canvas (SHMV_WINDOW (widget));

  if (canvas == NULL)
    return;
  if (g_str_equal (action_name, "win.zoom-in"))
    shmv_image_canvas_zoom_in (canvas);
  else if (g_str_equal (action_name, "win.zoom-out"))
    shmv_image_canvas_zoom_out (canvas);
  else if (g_str_equal (action_name, "win.zoom-fit"))
    shmv_image_canvas_set_fit (canvas);
  else if (g_str_equal (action_name, "win.zoom-actual"))
    shmv_image_canvas_set_actual_size (canvas, TRUE);
}

/* The key a new window uses: a new writer serves this window's reader, a new
 * reader watches this window's writer, or else what this reader follows. */
static const char *
key_for (ShmvWindow *self, ShmvWindowMode mode)
{
  if (self->reader != NULL && (mode == SHMV_WINDOW_MODE_WRITER || self->writer == NULL))
    return shmv_reader_pane_get_key (self->reader);
  return self->key;
}

/**
 * shmv_window_new_window_argv:
 *
 * The command line of a new writer or reader process for this window's key.
 * A process, not a window in this one: the demo is about two processes.
 */
char **
shmv_window_new_window_argv (ShmvWindow *self, ShmvWindowMode mode)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **argv = NULL;

  g_return_val_if_fail (SHMV_IS_WINDOW (self), NULL);

  g_strv_builder_add (builder, program ? program : g_get_prgname ());
  g_strv_builder_add (builder, mode == SHMV_WINDOW_MODE_WRITER ? "--writer" : "--reader");
  g_strv_builder_add (builder, "--key");
  g_strv_builder_add (builder, key_for (self, mode));
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return argv;
}

static void
new_window_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvWindowMode mode = g_str_equal (action_name, "win.new-writer") ? SHMV_WINDOW_MODE_WRITER
                                                                    : SHMV_WINDOW_MODE_READER;
  g_auto (GStrv) argv = shmv_window_new_window_argv (SHMV_WINDOW (widget), mode);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  process = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  if (process == NULL)
    g_warning ("cannot start “%s”: %s", argv[0], error->message);
  else
    g_debug ("started %s %s (pid %s)", argv[1], argv[3], g_subprocess_get_identifier (process));
}

static void
shmv_window_constructed (GObject *object)
{
  ShmvWindow *self = SHMV_WINDOW (object);

  G_OBJECT_CLASS (shmv_window_parent_class)->constructed (object);

  if (self->key == NULL)
    self->key = g_strdup (SHMV_DEFAULT_KEY);
  add_panes (self);
  update_titles (self);
}

static void
shmv_window_dispose (GObject *object)
{
  ShmvWindow *self = SHMV_WINDOW (object);

  self->writer = NULL;
  self->reader = NULL;
  /* Through GtkWindow, so that it does not keep a pointer to a child the
   * template disposal unparents behind its back. */
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SHMV_TYPE_WINDOW);
  g_clear_object (&self->size_group);

  G_OBJECT_CLASS (shmv_window_parent_class)->dispose (object);
}

static void
shmv_window_finalize (GObject *object)
{
  ShmvWindow *self = SHMV_WINDOW (object);

  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (shmv_window_parent_class)->finalize (object);
}

static void
shmv_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ShmvWindow *self = SHMV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
shmv_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  ShmvWindow *self = SHMV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_int (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static const struct
{
  guint keyval;
  const char *action;
} zoom_keys[] = {
  { GDK_KEY_plus, "win.zoom-in" },         { GDK_KEY_equal, "win.zoom-in" },
  { GDK_KEY_KP_Add, "win.zoom-in" },       { GDK_KEY_minus, "win.zoom-out" },
  { GDK_KEY_KP_Subtract, "win.zoom-out" }, { GDK_KEY_0, "win.zoom-fit" },
  { GDK_KEY_KP_0, "win.zoom-fit" },        { GDK_KEY_1, "win.zoom-actual" },
  { GDK_KEY_KP_1, "win.zoom-actual" },
};

static void
shmv_window_class_init (ShmvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = shmv_window_constructed;
  object_class->dispose = shmv_window_dispose;
  object_class->finalize = shmv_window_finalize;
  object_class->get_property = shmv_window_get_property;
  object_class->set_property = shmv_window_set_property;

  properties[PROP_KEY] = g_param_spec_string (
      "key", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
      g_param_spec_int ("mode", NULL, NULL, SHMV_WINDOW_MODE_LOOPBACK, SHMV_WINDOW_MODE_READER,
                        SHMV_WINDOW_MODE_LOOPBACK,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* ShmvWindow:kind: what the key names: a libshmview channel or a Qt segment. */
  properties[PROP_KIND] =
      g_param_spec_enum ("kind", NULL, NULL, SHMV_TYPE_SOURCE_KIND, SHMV_SOURCE_KIND_CHANNEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  shmv_app_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SHMV_RESOURCE_PATH "ui/shmv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ShmvWindow, panes_box);
  gtk_widget_class_bind_template_child (widget_class, ShmvWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ShmvWindow, title_label);

  gtk_widget_class_install_action (widget_class, "win.load", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "win.display", NULL, forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.load", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-as",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.display", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "win.new-writer", NULL, new_window_action);
  gtk_widget_class_install_action (widget_class, "win.new-reader", NULL, new_window_action);

  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-actual", NULL, zoom_action);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_keys[i].keyval, GDK_CONTROL_MASK,
                                         zoom_keys[i].action, NULL);

  g_type_ensure (SHMV_TYPE_PANES_LAYOUT);
  g_type_ensure (SHMV_TYPE_READER_PANE);
  g_type_ensure (SHMV_TYPE_WRITER_PANE);
}

static void
shmv_window_init (ShmvWindow *self)
{
  self->size_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * shmv_window_new:
 * @application: (nullable): tests make windows without one
 */
ShmvWindow *
shmv_window_new (GtkApplication *application, ShmvWindowMode mode, const char *key)
{
  return g_object_new (SHMV_TYPE_WINDOW, "application", application, "mode", mode, "key", key,
                       NULL);
}

/** shmv_window_new_for_kind: a window on @key of @kind (a Qt segment rather than a channel). */
ShmvWindow *
shmv_window_new_for_kind (GtkApplication *application,
                          ShmvWindowMode mode,
                          ShmvSourceKind kind,
                          const char *key)
{
  return g_object_new (SHMV_TYPE_WINDOW, "application", application, "mode", mode, "kind", kind,
                       "key", key, NULL);
}

ShmvWindowMode
shmv_window_get_mode (ShmvWindow *self)
{
  g_return_val_if_fail (SHMV_IS_WINDOW (self), SHMV_WINDOW_MODE_LOOPBACK);

  return self->mode;
}

/** shmv_window_get_writer_pane: (nullable): NULL in a reader window */
ShmvWriterPane *
shmv_window_get_writer_pane (ShmvWindow *self)
{
  g_return_val_if_fail (SHMV_IS_WINDOW (self), NULL);

  return self->writer;
}

/** shmv_window_get_reader_pane: (nullable): NULL in a writer window */
ShmvReaderPane *
shmv_window_get_reader_pane (ShmvWindow *self)
{
  g_return_val_if_fail (SHMV_IS_WINDOW (self), NULL);

  return self->reader;
}
