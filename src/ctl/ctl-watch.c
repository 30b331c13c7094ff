/* ctl-watch.c: shmview-ctl watch, a line for each new frame
 *
 * The wait sleeps in the kernel (shmv_channel_wait(), a futex): no polling.
 * SIGINT and SIGTERM interrupt it, and the channel is closed before exiting,
 * so that a reader that was the last user still removes a channel nobody
 * else keeps.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-commands.h"

#include "ctl-json.h"
#include "ctl-text.h"
#include "shmv-autocleanups.h"
#include "shmv-frame-text.h"
#include "shmv-gerror.h"

#include <glib/gi18n.h>
#include <signal.h>

static volatile sig_atomic_t stop_signal;

static void
on_stop_signal (int signo)
{
  stop_signal = signo;
}

/* No SA_RESTART: a blocking wait must return with EINTR so we can leave. */
static void
catch_stop_signals (void)
{
  struct sigaction action = { .sa_handler = on_stop_signal };

  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
}

typedef struct
{
  const CtlOptions *options;
  ShmvChannel *ch;
  gint64 deadline_us; /* monotonic; < 0: none */
  guint32 last_generation;
  int frames_seen;
} Watch;

/* What is left of --timeout, rounded up so that we never wait 0 ms early. */
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
timed_out (const Watch *w, gboolean waiting_for_channel)
{
  if (waiting_for_channel)
    ctl_warn (_("Timed out after %d ms waiting for channel “%s” to appear"),
              w->options->timeout_ms, w->options->key);
  else
    ctl_warn (_("Timed out after %d ms waiting for a new frame on channel “%s”"),
              w->options->timeout_ms, w->options->key);
  return CTL_EXIT_TIMEOUT;
}

static CtlExit
fail (const Watch *w)
{
  GError *error = shmv_gerror_new_from_channel (w->ch);
  g_autofree char *doing = g_strdup_printf (_("Cannot watch channel “%s”"), w->options->key);

  g_prefix_error (&error, "%s: ", doing);
  return ctl_fail (error, CTL_SUBJECT_CHANNEL);
}

/* Opens the channel, waiting for it to appear within the deadline. Every
 * frame of a channel that appears while we watch is new to us. */
static CtlExit
open_when_there (Watch *w)
{
  if (!shmv_channel_open (w->ch, SHMV_CHANNEL_READER, remaining_ms (w)))
    {
      if (stop_signal != 0)
        return CTL_EXIT_OK;
      if (shmv_channel_error (w->ch) == SHMV_ERROR_TIMEOUT)
        return timed_out (w, TRUE);
      return fail (w);
    }
  g_debug ("watching %s (%s)", w->options->key, shmv_channel_native_key (w->ch));
  w->last_generation = 0;
  return CTL_EXIT_OK;
}

static void
report_frame (Watch *w, const ShmvFrameInfo *frame)
{
  guint skipped = 0;
  double latency = shmv_frame_age_ms (frame);

  /* Frames published faster than we print them are counted, not shown. */
  if (frame->generation > w->last_generation + 1)
    skipped = frame->generation - w->last_generation - 1;

  if (w->options->json)
    ctl_json_print_frame (w->options->key, frame, skipped, latency);
  else
    ctl_text_print_frame (frame, skipped, latency);

  w->frames_seen += 1 + (int) MIN (skipped, (guint) G_MAXINT / 2);
  w->last_generation = frame->generation;
}

static gboolean
done (const Watch *w)
{
  return stop_signal != 0 || (w->options->count >= 0 && w->frames_seen >= w->options->count);
}

CtlExit
ctl_cmd_watch (const CtlOptions *options, const char *arg)
{
  g_autoptr (ShmvChannel) ch = shmv_channel_new (options->key);
  Watch w = {
    .options = options,
    .ch = ch,
    .deadline_us = options->timeout_ms < 0
                       ? -1
                       : g_get_monotonic_time () + (gint64) options->timeout_ms * 1000,
  };
  CtlExit result;

  catch_stop_signals ();

  /* The frame on show when we start is not news; everything after is. */
  if (shmv_channel_open (ch, SHMV_CHANNEL_READER, 0))
    w.last_generation = shmv_channel_generation (ch);
  else if (shmv_channel_error (ch) != SHMV_ERROR_NOT_FOUND)
    return fail (&w);
  else if ((result = open_when_there (&w)) != CTL_EXIT_OK || stop_signal != 0)
    return result;

  while (!done (&w))
    {
      ShmvFrameInfo frame;

      if (shmv_channel_generation (ch) == w.last_generation && !shmv_channel_is_removed (ch)
          && !shmv_channel_wait (ch, w.last_generation, remaining_ms (&w)))
        {
          if (stop_signal != 0)
            break;
          if (shmv_channel_error (ch) == SHMV_ERROR_TIMEOUT)
            return timed_out (&w, FALSE);
          return fail (&w);
        }
      if (stop_signal != 0)
        break;

      /* Removed (and maybe made again): follow the key. */
      if (shmv_channel_is_removed (ch))
        {
          g_debug ("channel %s was removed; waiting for a new one", options->key);
          shmv_channel_close (ch);
          if ((result = open_when_there (&w)) != CTL_EXIT_OK)
            return result;
          continue;
        }

      /* A withdrawal wakes us too, without a new frame. */
      if (shmv_channel_generation (ch) == w.last_generation)
        continue;

      if (!shmv_channel_get_info (ch, &frame))
        return fail (&w);
      report_frame (&w, &frame);
    }

  if (stop_signal != 0)
    g_debug ("stopped by signal %d", (int) stop_signal);
  shmv_channel_close (ch);
  return CTL_EXIT_OK;
}
