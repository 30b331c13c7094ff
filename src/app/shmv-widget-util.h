/* shmv-widget-util.h: small helpers for the app's widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void shmv_widget_unparent_children (GtkWidget *widget);
GtkFileChooserNative *shmv_widget_file_chooser_new (GtkWidget *parent,
                                                    const char *title,
                                                    GtkFileChooserAction action,
                                                    const char *accept_label,
                                                    GtkFileFilter *filter);

G_END_DECLS
