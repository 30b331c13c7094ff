/* shmv-application.c: the shmview application: options, windows, signals
 *
 * Every launch is its own process (G_APPLICATION_NON_UNIQUE): a second
 * `shmview --reader` must open a second reader, not hand its command line to
 * the first over D-Bus. That is the whole point of the demo.
 *
 * SIGINT and SIGTERM close the windows exactly like the close button does, so
 * a writer killed politely still withdraws its image and every handle is
 * detached before the process exits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-application"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <shmview/shmview.h>
#include <stdio.h>

#include "shmv-app-resources.h"
#include "shmv-application.h"
#include "shmv-qt-segment.h"
#include "shmv-window.h"
#include "shmv-writer-pane.h"

struct _ShmvApplication
{
  GtkApplication parent_instance;

  ShmvWindowMode mode;
  ShmvSourceKind kind;
  char *key;
  GFile *load_file;
  guint sigint_id;
  guint sigterm_id;
  gboolean no_display; /* said after the options are checked */
};

G_DEFINE_FINAL_TYPE (ShmvApplication, shmv_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "writer", 'w', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_ ("Open a writer window only (one end of a two-process demo)"), NULL },
  { "reader", 'r', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_ ("Open a reader window only (any number may run)"), NULL },
  { "key", 'k', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_ ("Use the channel KEY (default: “shmview”)"), N_ ("KEY") },
  { "load", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Load and publish FILE at start-up"), N_ ("FILE") },
  { "qt", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_ ("Use a Qt program’s QSharedMemory segment instead of a channel (default key: "
        "“QSharedMemoryExample”)"),
    NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"),
    NULL },
  { NULL },
};

static gboolean
on_quit_signal (gpointer user_data)
{
  ShmvApplication *self = user_data;

  g_debug ("signal received: closing every window");
  shmv_application_close_all (self);
  return G_SOURCE_CONTINUE;
}

/**
 * shmv_application_close_all:
 *
 * Closes every window the way the close button does. The process ends once
 * the last one is gone and any load they were running has handed its channel
 * back (see ShmvChannelSink).
 */
void
shmv_application_close_all (ShmvApplication *self)
{
  GList *windows = NULL;

  g_return_if_fail (SHMV_IS_APPLICATION (self));

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  if (windows == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }
  /* Destroying a window removes it from the list: iterate over a copy. */
  windows = g_list_copy (windows);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  shmv_application_close_all (SHMV_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { "The shmview authors", NULL };
  g_autofree char *comments = g_strdup_printf (
      _ ("Moves images between processes through POSIX shared memory.\nlibshmview %s"),
      shmv_version_string ());

  gtk_show_about_dialog (gtk_application_get_active_window (app), "program-name", _ ("Shmview"),
                         "logo-icon-name", APP_ID, "version", PACKAGE_VERSION, "comments", comments,
                         "website", "https://github.com/shmview/shmview", "license-type",
                         GTK_LICENSE_LGPL_2_1, "authors", authors, "copyright",
                         "© 2025 The shmview authors",
                         /* TRANSLATORS: your name(s), one per line */
                         "translator-credits", _ ("translator-credits"), NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
};

static void
load_style (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, SHMV_RESOURCE_PATH "style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
shmv_application_startup (GApplication *application)
{
  ShmvApplication *self = SHMV_APPLICATION (application);

  G_APPLICATION_CLASS (shmv_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]){ "<Control>q", NULL });
  load_style ();

  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
}

static void
shmv_application_shutdown (GApplication *application)
{
  ShmvApplication *self = SHMV_APPLICATION (application);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);

  G_APPLICATION_CLASS (shmv_application_parent_class)->shutdown (application);
}

static void
shmv_application_activate (GApplication *application)
{
  ShmvApplication *self = SHMV_APPLICATION (application);
  ShmvWindow *window =
      shmv_window_new_for_kind (GTK_APPLICATION (self), self->mode, self->kind, self->key);
  ShmvWriterPane *writer = shmv_window_get_writer_pane (window);

  gtk_window_present (GTK_WINDOW (window));
  if (self->load_file != NULL && writer != NULL)
    shmv_writer_pane_load_file (writer, self->load_file);
  g_clear_object (&self->load_file);
}

/* Options are checked before the display is opened, so that --help,
 * --version and mistakes work on a machine without one. */
static int
shmv_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  ShmvApplication *self = SHMV_APPLICATION (application);
  gboolean writer = g_variant_dict_contains (options, "writer");
  gboolean reader = g_variant_dict_contains (options, "reader");
  const char *key = NULL;
  const char *load = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("shmview %s (libshmview %s)\n", PACKAGE_VERSION, shmv_version_string ());
      return 0;
    }
  if (writer && reader)
    {
      g_printerr ("%s\n", _ ("--writer and --reader exclude each other; give neither for both "
                             "panes in one window"));
      return 1;
    }
  if (g_variant_dict_contains (options, "qt"))
    {
      self->kind = SHMV_SOURCE_KIND_QT;
      g_free (self->key);
      self->key = g_strdup (SHMV_QT_DEFAULT_KEY);
    }
  if (g_variant_dict_lookup (options, "key", "&s", &key))
    {
      if (key[0] == '\0')
        {
          g_printerr ("%s\n", _ ("The key must not be empty"));
          return 1;
        }
      g_free (self->key);
      self->key = g_strdup (key);
    }
  if (g_variant_dict_lookup (options, "load", "^&ay", &load))
    {
      if (reader)
        {
          g_printerr ("%s\n", _ ("--load needs a writer: it cannot be used with --reader"));
          return 1;
        }
      self->load_file = g_file_new_for_commandline_arg (load);
    }

  /* GTK would only print "cannot open display"; say what to do instead
   * (after the options, as it is no usage error). */
  if (!gtk_init_check ())
    {
      self->no_display = TRUE;
      return 1;
    }

  self->mode = writer   ? SHMV_WINDOW_MODE_WRITER
               : reader ? SHMV_WINDOW_MODE_READER
                        : SHMV_WINDOW_MODE_LOOPBACK;
  return -1;
}

/* Everything the command line's check writes to stderr is a usage error:
 * said as shmview-ctl says them, with the program's name and where to look. */
static void
print_usage_error (const char *message)
{
  g_autofree char *line = g_strdup (message);

  g_strchomp (line);
  fprintf (stderr, "shmview: %s\n", line);
  fprintf (stderr, _ ("Try “%s --help” for more information.\n"), "shmview");
}

/* GApplication says a bad option bare ("Unknown option --bogus"), with no
 * hook to word it: its printerr is taken over while it checks the options. */
static gboolean
shmv_application_local_command_line (GApplication *application, char ***arguments, int *status)
{
  ShmvApplication *self = SHMV_APPLICATION (application);
  GPrintFunc old = g_set_printerr_handler (print_usage_error);
  gboolean handled = G_APPLICATION_CLASS (shmv_application_parent_class)
                         ->local_command_line (application, arguments, status);

  g_set_printerr_handler (old);
  if (self->no_display)
    g_printerr ("%s\n", _ ("shmview needs a graphical display (DISPLAY or WAYLAND_DISPLAY is not "
                           "set or cannot be opened); shmview-ctl works without one"));
  return handled;
}

static void
shmv_application_finalize (GObject *object)
{
  ShmvApplication *self = SHMV_APPLICATION (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_object (&self->load_file);

  G_OBJECT_CLASS (shmv_application_parent_class)->finalize (object);
}

static void
shmv_application_class_init (ShmvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = shmv_application_finalize;

  app_class->startup = shmv_application_startup;
  app_class->shutdown = shmv_application_shutdown;
  app_class->activate = shmv_application_activate;
  app_class->handle_local_options = shmv_application_handle_local_options;
  app_class->local_command_line = shmv_application_local_command_line;
}

static void
shmv_application_init (ShmvApplication *self)
{
  g_autofree char *summary = NULL;

  self->key = g_strdup (SHMV_DEFAULT_KEY);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  summary = g_strdup_printf (
      "%s\n\n%s", _ ("Shows images moving between processes through shared memory."),
      _ ("With neither --writer nor --reader, one window shows a writer and a reader\n"
         "talking through the channel. Run “shmview --writer” and “shmview --reader”\n"
         "to see two processes do it."));
  g_application_set_option_context_summary (G_APPLICATION (self), summary);
}

ShmvApplication *
shmv_application_new (void)
{
  /* Registered now so that GtkApplication finds gtk/help-overlay.ui at startup. */
  shmv_app_resources_ensure ();

  return g_object_new (SHMV_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_NON_UNIQUE, "resource-base-path", "/io/github/shmview/Shmview",
                       NULL);
}
