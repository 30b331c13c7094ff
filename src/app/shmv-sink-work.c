/* shmv-sink-work.c: a sink's one load at a time in a worker thread, and its close that waits for it
 *
 * What a sink publishes to (a channel handle, a Qt segment) is not
 * thread-safe, so ownership of it moves: while a load runs only the worker
 * thread touches it; otherwise only the main thread does. The busy flag is
 * that hand-over.
 *
 * Closing must never lose the withdrawal, even when the window goes away in
 * the middle of a load (Ctrl+Q, SIGTERM): close then only asks, and the sink
 * is closed on the main thread as soon as the worker gives it back.
 * Meanwhile the application is held, so the process does not exit with the
 * shared memory still attached.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-sink-work.h"

#include <glib/gi18n.h>

#include "shmv-app-error.h"

void
shmv_sink_work_init (ShmvSinkWork *work, ShmvSinkCloseFunc close_now)
{
  *work = (ShmvSinkWork){ .close_now = close_now };
}

/* Closes the sink now or, while a load runs, as soon as it ends (cancel it
 * to make that soon); once. */
void
shmv_sink_work_close (ShmvSinkWork *work, gpointer sink)
{
  if (work->busy)
    work->close_when_idle = TRUE;
  else if (!work->closed)
    {
      work->closed = TRUE;
      work->close_now (sink);
    }
}

typedef struct
{
  ShmvSinkWork *work;
  gpointer sink;
} Completion;

static void
on_task_completed (GTask *task, GParamSpec *pspec, Completion *completion)
{
  ShmvSinkWork *work = completion->work;
  g_autoptr (GApplication) app = g_steal_pointer (&work->held_app);

  work->busy = FALSE;
  if (work->close_when_idle)
    shmv_sink_work_close (work, completion->sink);
  if (app != NULL)
    g_application_release (app);
}

/**
 * shmv_sink_work_run:
 * @thread_func: runs in a worker with @sink as source object and @file as task data
 *
 * Hands the sink to a worker for one load of @file. One load at a time: a
 * second one, or one after close, fails with SHMV_APP_ERROR_BUSY.
 */
void
shmv_sink_work_run (ShmvSinkWork *work,
                    gpointer sink,
                    GFile *file,
                    GCancellable *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer user_data,
                    gpointer source_tag,
                    const char *name,
                    GTaskThreadFunc thread_func)
{
  g_autoptr (GTask) task = NULL;
  Completion *completion = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (sink, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  /* What happened wins over what was asked: a load cancelled after its
   * frame went out still reports the publish, so the pane shows the truth. */
  g_task_set_check_cancellable (task, FALSE);

  if (work->busy || work->closed)
    {
      g_task_return_new_error (task, SHMV_APP_ERROR, SHMV_APP_ERROR_BUSY, "%s",
                               _ ("Another image is still loading"));
      return;
    }

  work->busy = TRUE;
  work->held_app = g_application_get_default ();
  if (work->held_app != NULL)
    g_application_hold (g_object_ref (work->held_app));
  /* The task holds the sink until it completes. */
  completion = g_new (Completion, 1);
  *completion = (Completion){ work, sink };
  g_signal_connect_data (task, "notify::completed", G_CALLBACK (on_task_completed), completion,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, thread_func);
}
