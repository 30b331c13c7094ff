/* shmv-reader-pane.h: shows the frames of a source, live
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

#include "shmv-app-types.h"
#include "shmv-frame-source.h"
#include "shmv-source-kind.h"

G_BEGIN_DECLS

#define SHMV_TYPE_READER_PANE (shmv_reader_pane_get_type ())

G_DECLARE_FINAL_TYPE (ShmvReaderPane, shmv_reader_pane, SHMV, READER_PANE, GtkWidget)

ShmvReaderPane *shmv_reader_pane_new (const char *key);
ShmvReaderPane *shmv_reader_pane_new_for_kind (ShmvSourceKind kind, const char *key);
void shmv_reader_pane_follow (ShmvReaderPane *self, ShmvSourceKind kind, const char *key);
const char *shmv_reader_pane_get_key (ShmvReaderPane *self);
void shmv_reader_pane_set_key (ShmvReaderPane *self, const char *key);
void shmv_reader_pane_set_source (ShmvReaderPane *self, ShmvFrameSource *source);
gboolean shmv_reader_pane_get_live (ShmvReaderPane *self);
void shmv_reader_pane_set_live (ShmvReaderPane *self, gboolean live);
void shmv_reader_pane_display_once (ShmvReaderPane *self);
void shmv_reader_pane_set_actual_size (ShmvReaderPane *self, gboolean actual_size);
ShmvSourceState shmv_reader_pane_get_state (ShmvReaderPane *self);
ShmvImageCanvas *shmv_reader_pane_get_canvas (ShmvReaderPane *self);
GdkTexture *shmv_reader_pane_get_texture (ShmvReaderPane *self);
gboolean shmv_reader_pane_get_frame_info (ShmvReaderPane *self, ShmvFrameInfo *info);
const char *shmv_reader_pane_get_message (ShmvReaderPane *self);
const char *shmv_reader_pane_get_status (ShmvReaderPane *self);
void shmv_reader_pane_save_async (ShmvReaderPane *self,
                                  GFile *file,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean shmv_reader_pane_save_finish (ShmvReaderPane *self, GAsyncResult *result, GError **error);

G_END_DECLS
