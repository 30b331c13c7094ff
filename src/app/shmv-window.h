/* shmv-window.h: a window holding a writer pane, a reader pane, or both
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "shmv-app-types.h"
#include "shmv-source-kind.h"

G_BEGIN_DECLS

#define SHMV_TYPE_WINDOW (shmv_window_get_type ())

G_DECLARE_FINAL_TYPE (ShmvWindow, shmv_window, SHMV, WINDOW, GtkApplicationWindow)

ShmvWindow *shmv_window_new (GtkApplication *application, ShmvWindowMode mode, const char *key);
ShmvWindow *shmv_window_new_for_kind (GtkApplication *application,
                                      ShmvWindowMode mode,
                                      ShmvSourceKind kind,
                                      const char *key);
ShmvWindowMode shmv_window_get_mode (ShmvWindow *self);
ShmvWriterPane *shmv_window_get_writer_pane (ShmvWindow *self);
ShmvReaderPane *shmv_window_get_reader_pane (ShmvWindow *self);
char **shmv_window_new_window_argv (ShmvWindow *self, ShmvWindowMode mode);

G_END_DECLS
