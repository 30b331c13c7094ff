/* shmv-reader-pane-actions.c: the reader pane's actions: Save As and Display
 *
 * Save As asks where in a native file chooser, then writes the frame on
 * screen when the user accepts (shmv-frame-export.c encodes it in a worker
 * thread) and tells how it went in the pane's banner.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-reader-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "shmv-frame-export.h"
#include "shmv-reader-pane-private.h"

#define NOTICE_TIMEOUT_S 5

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

static void
display_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  shmv_reader_pane_display_once (SHMV_READER_PANE (widget));
}

void
_shmv_reader_pane_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "reader.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "reader.display", NULL, display_action);
}
