/* shmv-widget-util.c: small helpers for the app's widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "shmv-widget-util.h"

/**
 * shmv_widget_unparent_children:
 *
 * A GtkWidget subclass owns its children; gtk_widget_dispose_template() only
 * unparents the ones bound to a struct field. Call this after it in dispose
 * so the template's other children go too.
 */
void
shmv_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/**
 * shmv_widget_file_chooser_new:
 * @filter: (transfer none): the one filter offered
 *
 * A native file chooser, modal to @parent's window. GTK does not keep native
 * choosers alive: the caller holds the reference until "response".
 */
GtkFileChooserNative *
shmv_widget_file_chooser_new (GtkWidget *parent,
                              const char *title,
                              GtkFileChooserAction action,
                              const char *accept_label,
                              GtkFileFilter *filter)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action, accept_label, _ ("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  return chooser;
}
