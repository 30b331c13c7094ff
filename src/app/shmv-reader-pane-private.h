/* shmv-reader-pane-private.h: what the files of the reader pane share
 *
 * The pane is one widget in three files, one job each (as gnome-text-editor
 * splits its window): shmv-reader-pane.c presents, shmv-reader-pane-frames.c
 * decides when to read the source's frames, shmv-reader-pane-actions.c holds
 * the pane's actions (Save As, Display).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-banner.h"
#include "shmv-channel-chooser.h"
#include "shmv-frame-rate.h"
#include "shmv-frame-view.h"
#include "shmv-reader-pane.h"
#include "shmv-source-kind.h"

G_BEGIN_DECLS

struct _ShmvReaderPane
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkToggleButton *actual_size_button;
  ShmvBanner *banner;
  ShmvChannelChooser *chooser;
  GtkSwitch *live_switch;
  GtkLabel *status_label;
  ShmvFrameView *view;

  /* Owned */
  char *key;
  ShmvSourceKind kind; /* what the key names: a channel, a Qt segment */
  ShmvFrameSource *source;
  GBytes *pixels;     /* of the frame on screen */
  ShmvFrameInfo info; /* generation 0: nothing on screen */
  ShmvSourceState state;
  char *problem;   /* why following could not even start */
  gint64 since_ns; /* when the pane began following, CLOCK_REALTIME */
  GtkFileChooserNative *save_chooser;
  GCancellable *cancellable;
  ShmvFrameRate *rate;

  guint tick_id;
  guint live : 1;
  guint frame_pending : 1; /* the source announced a frame not read yet */
  guint read_when_mapped : 1;
};

/* shmv-reader-pane.c */
void _shmv_reader_pane_present (ShmvReaderPane *self);
void _shmv_reader_pane_show_frame (ShmvReaderPane *self,
                                   const ShmvFrameInfo *info,
                                   GBytes *pixels,
                                   gboolean as_it_arrives);
void _shmv_reader_pane_forget_frame (ShmvReaderPane *self);

/* shmv-reader-pane-frames.c */
void _shmv_reader_pane_stop_following (ShmvReaderPane *self);
void _shmv_reader_pane_mapped (ShmvReaderPane *self);

/* shmv-reader-pane-actions.c */
void _shmv_reader_pane_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
