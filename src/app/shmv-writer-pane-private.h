/* shmv-writer-pane-private.h: what the files of the writer pane share
 *
 * The pane is one widget in three files, one job each (as gnome-text-editor
 * splits its window): shmv-writer-pane.c loads and publishes through its
 * sink and shows the outcome, shmv-writer-pane-actions.c holds the actions
 * (Load, Publish Again, Cancel), shmv-writer-pane-dnd.c takes dropped files.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-banner.h"
#include "shmv-writer-pane.h"

G_BEGIN_DECLS

struct _ShmvWriterPane
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *empty_label;
  ShmvBanner *banner;
  ShmvImageCanvas *canvas;
  GtkProgressBar *progress_bar;
  GtkRevealer *progress_revealer;
  GtkLabel *source_label;
  GtkStack *stack;
  GtkLabel *status_label;

  /* Owned */
  char *key;
  ShmvFrameSink *sink;
  GCancellable *cancellable; /* of the running load */
  GtkFileChooserNative *chooser;
  GFile *loading_file;
  GFile *last_file;   /* published last, for "Publish Again" */
  GError *error;      /* shown in the pane */
  ShmvFrameInfo info; /* of the last publish; generation 0 before */
  gsize segment_size;
  gboolean system_v; /* the segment is System V (Qt's): not in /dev/shm */
  guint progress_delay_id;
};

/* shmv-writer-pane-actions.c */
void _shmv_writer_pane_class_actions_init (GtkWidgetClass *widget_class);

/* shmv-writer-pane-dnd.c */
void _shmv_writer_pane_setup_drop_target (ShmvWriterPane *self);

G_END_DECLS
