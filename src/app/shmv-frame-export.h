/* shmv-frame-export.h: saving a frame as a PNG file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

void shmv_frame_export_png_async (gpointer source_object,
                                  GBytes *pixels,
                                  const ShmvFrameInfo *info,
                                  GFile *file,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean shmv_frame_export_png_finish (GAsyncResult *result, GError **error);
char *shmv_frame_export_suggested_name (const char *key, const ShmvFrameInfo *info);
GtkFileChooserNative *shmv_frame_export_chooser_new (GtkWidget *parent, const char *suggested_name);

G_END_DECLS
