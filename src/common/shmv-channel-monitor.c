/* shmv-channel-monitor.c: a channel's wake-ups as a GObject signal
 *
 * libshmview's ShmvWatch sleeps on the channel's futex in its own thread and
 * makes a file descriptor readable; this object watches that descriptor from
 * the main loop and emits ::changed. Nothing here polls and nothing blocks:
 * the main loop only wakes when the descriptor does (the watch thread itself
 * also probes the writer's liveness once a second: a writer killed with
 * SIGKILL wakes no one).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-channel-monitor"

#include "config.h"

#include <glib-unix.h>
#include <shmview/shmview.h>

#include "shmv-channel-monitor.h"
#include "shmv-gerror.h"

struct _ShmvChannelMonitor
{
  GObject parent_instance;

  char *key;
  ShmvWatch *watch;
  GSource *fd_source;
};

G_DEFINE_FINAL_TYPE (ShmvChannelMonitor, shmv_channel_monitor, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
on_watch_readable (int fd, GIOCondition condition, gpointer user_data)
{
  ShmvChannelMonitor *self = user_data;

  /* Drain first: a change that lands while handlers run must wake us again. */
  shmv_watch_drain (self->watch);
  g_debug ("channel “%s” changed", self->key);
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_CONTINUE;
}

static void
shmv_channel_monitor_finalize (GObject *object)
{
  ShmvChannelMonitor *self = SHMV_CHANNEL_MONITOR (object);

  if (self->fd_source != NULL)
    g_source_destroy (self->fd_source);
  g_clear_pointer (&self->fd_source, g_source_unref);
  g_clear_pointer (&self->watch, shmv_watch_free);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (shmv_channel_monitor_parent_class)->finalize (object);
}

static void
shmv_channel_monitor_class_init (ShmvChannelMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = shmv_channel_monitor_finalize;

  /**
   * ShmvChannelMonitor::changed:
   *
   * Something happened on the channel: a new frame, a withdrawal, a removal,
   * or the channel appeared. Several changes may fold into one emission.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
shmv_channel_monitor_init (ShmvChannelMonitor *self)
{
}

/**
 * shmv_channel_monitor_new:
 *
 * Starts watching @key in the thread-default main context. The channel need
 * not exist yet: the monitor fires when it appears.
 */
ShmvChannelMonitor *
shmv_channel_monitor_new (const char *key, GError **error)
{
  g_autoptr (ShmvChannelMonitor) self = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (SHMV_TYPE_CHANNEL_MONITOR, NULL);
  self->key = g_strdup (key);
  self->watch = shmv_watch_new (key);
  if (!shmv_watch_start (self->watch))
    {
      g_propagate_error (error, shmv_gerror_new_from_watch (self->watch));
      return NULL;
    }

  /* The source holds no reference on self: finalize destroys it. */
  self->fd_source = g_unix_fd_source_new (shmv_watch_fd (self->watch), G_IO_IN);
  g_source_set_callback (self->fd_source, G_SOURCE_FUNC (on_watch_readable), self, NULL);
  g_source_set_static_name (self->fd_source, "[shmview] channel monitor");
  g_source_attach (self->fd_source, g_main_context_get_thread_default ());

  return g_steal_pointer (&self);
}
