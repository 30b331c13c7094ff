/* shmv-widget-util.c: small helpers for the app's widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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
