/* shmv-writer-pane-actions.c: the writer pane's actions: Load, Publish Again, Cancel
 *
 * Load asks for a file in a native file chooser; Publish Again loads the last
 * published file once more; Cancel (Escape) stops a running load.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-writer-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-widget-util.h"
#include "shmv-writer-pane-private.h"

static void
on_chooser_response (ShmvWriterPane *self, int response, GtkFileChooserNative *chooser)
{
  g_autoptr (GtkFileChooserNative) owned = g_steal_pointer (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        shmv_writer_pane_load_file (self, file);
    }
}

static GtkFileFilter *
image_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_pixbuf_formats (filter);
  return filter;
}

static void
load_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (widget);
  g_autoptr (GtkFileFilter) filter = image_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = shmv_widget_file_chooser_new (widget, _ ("Load Image"),
                                                GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Load"), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
republish_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ShmvWriterPane *self = SHMV_WRITER_PANE (widget);

  if (self->last_file != NULL)
    shmv_writer_pane_load_file (self, self->last_file);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  shmv_writer_pane_cancel (SHMV_WRITER_PANE (widget));
}

void
_shmv_writer_pane_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "writer.load", NULL, load_action);
  gtk_widget_class_install_action (widget_class, "writer.republish", NULL, republish_action);
  gtk_widget_class_install_action (widget_class, "writer.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "writer.cancel", NULL);
}
