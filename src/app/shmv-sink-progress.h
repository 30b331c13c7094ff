/* shmv-sink-progress.h: a loading thread's progress, emitted as a sink's ::progress on the main
 * thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ShmvSinkProgress ShmvSinkProgress;

ShmvSinkProgress *shmv_sink_progress_new (gpointer sink, GMainContext *context);
gboolean shmv_sink_progress_report (double fraction, gpointer progress);
void shmv_sink_progress_unref (ShmvSinkProgress *progress);

G_END_DECLS
