/* shmv-panes-layout.h: panes side by side, or stacked when the window is narrow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SHMV_TYPE_PANES_LAYOUT (shmv_panes_layout_get_type ())

G_DECLARE_FINAL_TYPE (ShmvPanesLayout, shmv_panes_layout, SHMV, PANES_LAYOUT, GtkLayoutManager)

GtkLayoutManager *shmv_panes_layout_new (void);
gboolean shmv_panes_layout_get_stacked (ShmvPanesLayout *self);

G_END_DECLS
