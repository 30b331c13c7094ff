/* shmv-sink-progress.c: a loading thread's progress, emitted as a sink's ::progress on the main
 * thread
 *
 * Progress crosses from the worker to the main thread through this: the
 * worker stores the newest fraction and schedules at most one idle at a time,
 * so a fast decoder cannot flood the main loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-sink-progress.h"

struct _ShmvSinkProgress
{
  GObject *sink;
  GMainContext *context;
  gint permille;
  gint idle_pending;
};

static void
progress_clear (gpointer data)
{
  ShmvSinkProgress *progress = data;

  g_clear_object (&progress->sink);
  g_clear_pointer (&progress->context, g_main_context_unref);
}

/** shmv_sink_progress_new: reports for @sink (a ShmvFrameSink) in @context. */
ShmvSinkProgress *
shmv_sink_progress_new (gpointer sink, GMainContext *context)
{
  ShmvSinkProgress *progress = g_atomic_rc_box_new0 (ShmvSinkProgress);

  progress->sink = g_object_ref (sink);
  progress->context = g_main_context_ref (context);
  return progress;
}

void
shmv_sink_progress_unref (ShmvSinkProgress *progress)
{
  g_atomic_rc_box_release_full (progress, progress_clear);
}

static void
progress_unref (gpointer data)
{
  shmv_sink_progress_unref (data);
}

static gboolean
emit_progress_idle (gpointer data)
{
  ShmvSinkProgress *progress = data;

  g_atomic_int_set (&progress->idle_pending, 0);
  g_signal_emit_by_name (progress->sink, "progress",
                         g_atomic_int_get (&progress->permille) / 1000.0);
  return G_SOURCE_REMOVE;
}

/* A ShmvLoadProgressFunc: from the loading thread, @progress is the relay. */
gboolean
shmv_sink_progress_report (double fraction, gpointer user_data)
{
  ShmvSinkProgress *progress = user_data;

  g_atomic_int_set (&progress->permille, (gint) (fraction * 1000));
  if (g_atomic_int_compare_and_exchange (&progress->idle_pending, 0, 1))
    g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, emit_progress_idle,
                                g_atomic_rc_box_acquire (progress), progress_unref);
  return TRUE;
}
