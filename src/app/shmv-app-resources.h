/* shmv-app-resources.h: the app's GResource (templates, shortcuts, style, icon)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The resource base path GtkApplication derives from APP_ID: it loads
 * gtk/help-overlay.ui and icons/ from here by itself. */
#define SHMV_RESOURCE_PATH "/io/github/shmview/Shmview/"

void shmv_app_resources_ensure (void);

G_END_DECLS
