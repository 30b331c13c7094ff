/* ctl-watch.c: shmview-ctl watch, a line for each new frame
 *
 * A ShmvChannelFollower (the same one the app's reader pane uses) follows
 * the key: it sleeps until libshmview's watch thread says something
 * happened (a publish, a withdrawal, the channel appearing, or removed and
 * made again) and announces each new frame. The main loop also watches a
 * signalfd for SIGINT, SIGTERM and SIGHUP, so that a signal ends the wait at
 * once, and the --timeout. Nothing polls. On the way out the channel is
 * closed, so a reader that was the last user still removes a channel nobody
 * keeps.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"

#include "ctl-json.h"
#include "ctl-text.h"
#include "shmv-autocleanups.h"
#include "shmv-channel-follower.h"
#include "shmv-events.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

typedef struct
{
  const CtlOptions *options;
  ShmvChannelFollower *follower;
  gboolean ever_open; /* for the timeout message */
  gboolean stopped;   /* by a signal, the timeout or a failure */
  CtlExit result;
  int frames_seen;
  /* Zeroed by a source that removes itself, so that it is not removed twice. */
  guint signal_id;
  guint timeout_id;
} Watch;

static CtlExit
timed_out (const Watch *w)
{
  if (!w->ever_open)
    ctl_warn (_ ("Timed out after %d ms waiting for channel “%s” to appear"),
              w->options->timeout_ms, w->options->key);
  else
    ctl_warn (_ ("Timed out after %d ms waiting for a new frame on channel “%s”"),
              w->options->timeout_ms, w->options->key);
  return CTL_EXIT_TIMEOUT;
}

static CtlExit
fail_with (const Watch *w, GError *error)
{
  g_autofree char *doing = g_strdup_printf (_ ("Cannot watch channel “%s”"), w->options->key);

  shmv_prefix_error (&error, doing);
  return ctl_fail (error, CTL_SUBJECT_CHANNEL);
}

static void
on_new_frame (ShmvChannelFollower *follower, const ShmvFrameInfo *frame, guint skipped, Watch *w)
{
  double latency = shmv_frame_age_ms (frame);

  if (w->options->json)
    ctl_json_print_frame (w->options->key, frame, skipped, latency);
  else
    ctl_text_print_frame (frame, skipped, latency);

  w->frames_seen += 1 + (int) MIN (skipped, (guint) (G_MAXINT / 2));
}

static gboolean
done (const Watch *w)
{
  return w->stopped || (w->options->count >= 0 && w->frames_seen >= w->options->count);
}

/* After every look: remember whether a channel was ever there, and stop on
 * a channel that cannot be read. */
static void
on_state_changed (Watch *w)
{
  const GError *error = shmv_channel_follower_get_error (w->follower);

  w->ever_open = w->ever_open || shmv_channel_follower_is_open (w->follower);
  if (error != NULL && !w->stopped)
    {
      w->result = fail_with (w, g_error_copy (error));
      w->stopped = TRUE;
    }
}

static gboolean
on_stop_signal (int fd, GIOCondition condition, gpointer user_data)
{
  Watch *w = user_data;
  struct signalfd_siginfo info;

  if (read (fd, &info, sizeof info) == sizeof info)
    g_debug ("stopped by signal %u", info.ssi_signo);
  w->stopped = TRUE;
  w->signal_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *w = user_data;

  /* A channel that appeared without a frame changes no state. */
  w->ever_open = w->ever_open || shmv_channel_follower_is_open (w->follower);
  w->result = timed_out (w);
  w->stopped = TRUE;
  w->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

/* Routes SIGINT, SIGTERM and SIGHUP to a descriptor. Blocked before the watch's
 * thread starts, so that no thread of ours takes them the default way. */
static int
catch_stop_signals (GError **error)
{
  sigset_t mask;
  int fd;

  sigemptyset (&mask);
  sigaddset (&mask, SIGINT);
  sigaddset (&mask, SIGTERM);
  sigaddset (&mask, SIGHUP);
  if (sigprocmask (SIG_BLOCK, &mask, NULL) < 0 ||
      (fd = signalfd (-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
    {
      int err = errno;

      g_autofree char *detail = g_strdup_printf ("signalfd: %s", g_strerror (err));

      g_propagate_error (error, shmv_gerror_new (SHMV_ERROR_UNKNOWN, detail));
      return -1;
    }
  return fd;
}

CtlExit
ctl_cmd_watch (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannelFollower) follower = shmv_channel_follower_new (options->key);
  g_autoptr (GError) error = NULL;
  Watch w = {
    .options = options,
    .follower = follower,
    .result = CTL_EXIT_OK,
  };
  int signal_fd;

  if ((signal_fd = catch_stop_signals (&error)) < 0)
    return fail_with (&w, g_steal_pointer (&error));
  w.signal_id = g_unix_fd_add (signal_fd, G_IO_IN, on_stop_signal, &w);
  if (options->timeout_ms >= 0)
    w.timeout_id = g_timeout_add ((guint) options->timeout_ms, on_timeout, &w);

  /* The frame on show when we start is not news: only then do we listen. */
  if (!shmv_channel_follower_start (follower, &error))
    {
      w.result = fail_with (&w, g_steal_pointer (&error));
      w.stopped = TRUE;
    }
  else
    on_state_changed (&w);
  g_signal_connect (follower, "new-frame", G_CALLBACK (on_new_frame), &w);
  g_signal_connect_swapped (follower, "notify::state", G_CALLBACK (on_state_changed), &w);
  if (!w.stopped)
    /* Tests wait for this line before they publish. */
    g_debug (SHMV_EVENT_WATCH_READY, shmv_channel_follower_get_generation (follower));

  while (!done (&w))
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&w.timeout_id, g_source_remove);
  g_clear_handle_id (&w.signal_id, g_source_remove);
  shmv_channel_follower_stop (follower);
  g_close (signal_fd, NULL);
  return w.result;
}
