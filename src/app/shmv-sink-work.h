/* shmv-sink-work.h: a sink's one load at a time in a worker thread, and its close that waits for it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Withdraws and lets go of the sink's shared memory, on the main thread. */
typedef void (*ShmvSinkCloseFunc) (gpointer sink);

typedef struct
{
  ShmvSinkCloseFunc close_now;
  GApplication *held_app; /* while busy */
  gboolean busy;          /* a worker has the sink's shared memory */
  gboolean close_when_idle;
  gboolean closed;
} ShmvSinkWork;

void shmv_sink_work_init (ShmvSinkWork *work, ShmvSinkCloseFunc close_now);
void shmv_sink_work_close (ShmvSinkWork *work, gpointer sink);
void shmv_sink_work_run (ShmvSinkWork *work,
                         gpointer sink,
                         GFile *file,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data,
                         gpointer source_tag,
                         const char *name,
                         GTaskThreadFunc thread_func);

G_END_DECLS
