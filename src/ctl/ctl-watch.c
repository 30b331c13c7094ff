/* ctl-watch.c: shmview-ctl watch, a line for each new frame
 *
 * The process sleeps in poll() on two descriptors: a ShmvWatch (whose thread
 * sleeps on the channel's futex, or on inotify while the channel does not
 * exist, and follows the key when the channel is removed and made again) and
 * a signalfd for SIGINT, SIGTERM and SIGHUP. No polling, and a signal ends the wait
 * at once: shmv_channel_wait() itself resumes after EINTR, so a signal
 * handler could not interrupt it. On the way out the channel is closed, so a
 * reader that was the last user still removes a channel nobody keeps.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"

#include "ctl-json.h"
#include "ctl-text.h"
#include "shmv-autocleanups.h"
#include "shmv-events.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* How many times in a row we reopen a channel that turns out removed
 * before waiting for the watch to tell us about its successor. */
#define MAX_REOPENS 4

typedef struct
{
  const CtlOptions *options;
  ShmvChannel *ch;
  gint64 deadline_us; /* monotonic; < 0: none */
  gboolean ever_open; /* for the timeout message */
  guint32 floor;      /* channel generations up to this one are accounted for */
  guint32 last_frame; /* generation of the frame last shown (or on show at start) */
  int frames_seen;
} Watch;

/* What is left of --timeout, rounded up so that we never wake 1 ms early. */
static int
remaining_ms (const Watch *w)
{
  gint64 left;

  if (w->deadline_us < 0)
    return -1;
  left = w->deadline_us - g_get_monotonic_time ();
  return left <= 0 ? 0 : (int) MIN ((left + 999) / 1000, G_MAXINT);
}

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

static CtlExit
fail (const Watch *w)
{
  return fail_with (w, shmv_gerror_new_from_channel (w->ch));
}

static void
report_frame (Watch *w, const ShmvFrameInfo *frame)
{
  double latency = shmv_frame_age_ms (frame);
  guint skipped = 0;

  /* Generations we never saw: frames published faster than we woke up. */
  if (frame->generation > w->floor + 1)
    skipped = frame->generation - w->floor - 1;

  if (w->options->json)
    ctl_json_print_frame (w->options->key, frame, skipped, latency);
  else
    ctl_text_print_frame (frame, skipped, latency);

  w->frames_seen += 1 + (int) MIN (skipped, (guint) (G_MAXINT / 2));
  w->last_frame = frame->generation;
}

/* Opens the channel if it exists now; CTL_EXIT_OK with the handle still
 * closed when it does not. Every frame of a channel that appears while we
 * watch is new to us. */
static CtlExit
try_open (Watch *w)
{
  if (!shmv_channel_open (w->ch, SHMV_CHANNEL_READER, 0))
    return shmv_channel_error (w->ch) == SHMV_ERROR_NOT_FOUND ? CTL_EXIT_OK : fail (w);
  g_debug ("watching %s (%s)", w->options->key, shmv_channel_native_key (w->ch));
  w->ever_open = TRUE;
  w->floor = 0;
  w->last_frame = 0;
  return CTL_EXIT_OK;
}

/* Something happened: (re)open the channel as needed and show a new frame. */
static CtlExit
look (Watch *w)
{
  ShmvFrameInfo frame;
  guint32 generation;
  CtlExit result;

  for (int reopens = 0; !shmv_channel_is_open (w->ch) || shmv_channel_is_removed (w->ch); reopens++)
    {
      if (reopens == MAX_REOPENS)
        return CTL_EXIT_OK;
      if (shmv_channel_is_open (w->ch))
        {
          g_debug ("channel %s was removed; following the key", w->options->key);
          shmv_channel_close (w->ch);
        }
      if ((result = try_open (w)) != CTL_EXIT_OK || !shmv_channel_is_open (w->ch))
        return result;
    }

  /* The generation also moves on withdrawals and removals, without a frame. */
  generation = shmv_channel_generation (w->ch);
  if (generation == w->floor)
    return CTL_EXIT_OK;
  if (!shmv_channel_get_info (w->ch, &frame))
    {
      if (shmv_channel_error (w->ch) != SHMV_ERROR_NO_FRAME)
        return fail (w);
      w->floor = generation;
      return CTL_EXIT_OK;
    }
  if (frame.generation != w->last_frame)
    report_frame (w, &frame);
  w->floor = MAX (generation, frame.generation);
  return CTL_EXIT_OK;
}

static gboolean
done (const Watch *w)
{
  return w->options->count >= 0 && w->frames_seen >= w->options->count;
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

/* Waits for the watch or a signal. FALSE on a signal; sets *@timeout. */
static gboolean
sleep_until_news (Watch *w, ShmvWatch *watch, int signal_fd, gboolean *timeout, GError **error)
{
  struct pollfd fds[2] = {
    { .fd = shmv_watch_fd (watch), .events = POLLIN },
    { .fd = signal_fd, .events = POLLIN },
  };
  int n;

  *timeout = FALSE;
  do
    n = poll (fds, G_N_ELEMENTS (fds), remaining_ms (w));
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int err = errno;

      g_autofree char *detail = g_strdup_printf ("poll: %s", g_strerror (err));

      g_propagate_error (error, shmv_gerror_new (SHMV_ERROR_UNKNOWN, detail));
      return FALSE;
    }
  if (fds[1].revents & POLLIN)
    {
      struct signalfd_siginfo info;

      if (read (signal_fd, &info, sizeof info) == sizeof info)
        g_debug ("stopped by signal %u", info.ssi_signo);
      return FALSE;
    }
  if (n == 0)
    {
      *timeout = TRUE;
      return FALSE;
    }
  shmv_watch_drain (watch);
  return TRUE;
}

CtlExit
ctl_cmd_watch (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = shmv_channel_new (options->key);
  g_autoptr (ShmvWatch) watch = NULL;
  g_autoptr (GError) error = NULL;
  Watch w = {
    .options = options,
    .ch = ch,
    .deadline_us = options->timeout_ms < 0
                       ? -1
                       : g_get_monotonic_time () + (gint64) options->timeout_ms * 1000,
  };
  ShmvStatus status;
  CtlExit result = CTL_EXIT_OK;
  gboolean timeout = FALSE;
  int signal_fd;

  if ((signal_fd = catch_stop_signals (&error)) < 0)
    return fail_with (&w, g_steal_pointer (&error));

  watch = shmv_watch_new (options->key, &status);
  if (watch == NULL)
    {
      g_close (signal_fd, NULL);
      return fail_with (&w, shmv_gerror_new_from_status (&status));
    }

  /* The frame on show when we start is not news; everything after is. */
  if ((result = try_open (&w)) == CTL_EXIT_OK && shmv_channel_is_open (ch))
    {
      ShmvFrameInfo frame;

      w.floor = shmv_channel_generation (ch);
      if (shmv_channel_get_info (ch, &frame))
        w.last_frame = frame.generation;
      w.floor = MAX (w.floor, w.last_frame);
    }
  /* Tests wait for this line before they publish. */
  g_debug (SHMV_EVENT_WATCH_READY, w.floor);

  while (result == CTL_EXIT_OK && !done (&w))
    {
      if (!sleep_until_news (&w, watch, signal_fd, &timeout, &error))
        {
          if (timeout)
            result = timed_out (&w);
          else if (error != NULL)
            result = fail_with (&w, g_steal_pointer (&error));
          break;
        }
      result = look (&w);
    }

  shmv_channel_close (ch);
  g_close (signal_fd, NULL);
  return result;
}
