/* shmv-widget-util.h: small helpers for the app's widgets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void shmv_widget_unparent_children (GtkWidget *widget);

G_END_DECLS
