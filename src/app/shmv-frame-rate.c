/* shmv-frame-rate.c: how many frames a second a pane displays
 *
 * The reader pane shows a frame at most once a display refresh, so a writer
 * faster than the screen is seen at the screen's pace: this counts what was
 * shown, not what was published. The rate is the frames of a two-second
 * window over the time they span, so that one late frame moves it little.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-frame-rate.h"

#define WINDOW_US (2 * G_USEC_PER_SEC)
/* Enough for a 240 Hz display over the window. */
#define MAX_FRAMES 512

struct _ShmvFrameRate
{
  gint64 times[MAX_FRAMES]; /* a ring, oldest at first */
  guint first;
  guint count;
};

ShmvFrameRate *
shmv_frame_rate_new (void)
{
  return g_new0 (ShmvFrameRate, 1);
}

void
shmv_frame_rate_free (ShmvFrameRate *rate)
{
  g_free (rate);
}

void
shmv_frame_rate_reset (ShmvFrameRate *rate)
{
  rate->first = 0;
  rate->count = 0;
}

static gint64
nth (const ShmvFrameRate *rate, guint i)
{
  return rate->times[(rate->first + i) % MAX_FRAMES];
}

void
shmv_frame_rate_add (ShmvFrameRate *rate, gint64 now_us)
{
  while (rate->count > 0 && (now_us - nth (rate, 0) > WINDOW_US || rate->count == MAX_FRAMES))
    {
      rate->first = (rate->first + 1) % MAX_FRAMES;
      rate->count--;
    }
  rate->times[(rate->first + rate->count) % MAX_FRAMES] = now_us;
  rate->count++;
}

double
shmv_frame_rate_get (const ShmvFrameRate *rate, gint64 now_us)
{
  guint first = 0;
  gint64 span;

  if (rate->count == 0 || now_us - nth (rate, rate->count - 1) > G_USEC_PER_SEC)
    return -1;
  while (first < rate->count && now_us - nth (rate, first) > WINDOW_US)
    first++;
  if (rate->count - first < 2)
    return -1;
  span = nth (rate, rate->count - 1) - nth (rate, first);
  /* Intervals over the time they took; slower than one a second is no rate. */
  if (span <= 0 || span > (gint64) (rate->count - first - 1) * G_USEC_PER_SEC)
    return -1;
  return (double) (rate->count - first - 1) * G_USEC_PER_SEC / (double) span;
}
