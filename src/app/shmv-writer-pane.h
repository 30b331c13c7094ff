/* shmv-writer-pane.h: loads image files and publishes them on a channel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "shmv-app-types.h"
#include "shmv-frame-sink.h"

G_BEGIN_DECLS

#define SHMV_TYPE_WRITER_PANE (shmv_writer_pane_get_type ())

G_DECLARE_FINAL_TYPE (ShmvWriterPane, shmv_writer_pane, SHMV, WRITER_PANE, GtkWidget)

ShmvWriterPane *shmv_writer_pane_new (const char *key);
ShmvWriterPane *shmv_writer_pane_new_for_sink (const char *key, ShmvFrameSink *sink);
const char *shmv_writer_pane_get_key (ShmvWriterPane *self);
ShmvFrameSink *shmv_writer_pane_get_sink (ShmvWriterPane *self);
void shmv_writer_pane_load_file (ShmvWriterPane *self, GFile *file);
void shmv_writer_pane_cancel (ShmvWriterPane *self);
gboolean shmv_writer_pane_is_loading (ShmvWriterPane *self);
guint shmv_writer_pane_get_generation (ShmvWriterPane *self);
const GError *shmv_writer_pane_get_error (ShmvWriterPane *self);
const char *shmv_writer_pane_get_message (ShmvWriterPane *self);
const char *shmv_writer_pane_get_status (ShmvWriterPane *self);
ShmvImageCanvas *shmv_writer_pane_get_canvas (ShmvWriterPane *self);
GdkPaintable *shmv_writer_pane_get_preview (ShmvWriterPane *self);

G_END_DECLS
