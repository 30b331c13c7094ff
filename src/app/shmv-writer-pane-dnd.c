/* shmv-writer-pane-dnd.c: files dropped on the writer pane are loaded and published
 *
 * One load at a time: a drop while a load runs is refused, which tells the
 * drag source that the file was not taken.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-writer-pane"

#include "config.h"

#include "shmv-writer-pane-private.h"

static gboolean
on_drop (ShmvWriterPane *self, const GValue *value, double x, double y)
{
  g_autoptr (GSList) files = NULL;
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  else if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      files = gdk_file_list_get_files (g_value_get_boxed (value));
      file = files != NULL ? files->data : NULL;
    }
  if (file == NULL || self->cancellable != NULL)
    return FALSE;

  shmv_writer_pane_load_file (self, file);
  return TRUE;
}

void
_shmv_writer_pane_setup_drop_target (ShmvWriterPane *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (target, (GType[2]){ GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
