/* test-frame-rate.c: the displayed frame rate of the reader's status line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-frame-rate.h"
#include "shmv-status-text.h"

#include <string.h>

#define SECOND G_USEC_PER_SEC

/* 30 frames a second for three seconds: 30 fps, from the last two. */
static void
test_steady_video (void)
{
  g_autoptr (ShmvFrameRate) rate = shmv_frame_rate_new ();
  gint64 t = 1000 * SECOND;

  for (int i = 0; i < 90; i++)
    shmv_frame_rate_add (rate, t + i * SECOND / 30);
  g_assert_cmpfloat_with_epsilon (shmv_frame_rate_get (rate, t + 3 * SECOND), 30.0, 0.01);
}

/* A still image, or frames slower than one a second: no rate. */
static void
test_slow_frames_have_no_rate (void)
{
  g_autoptr (ShmvFrameRate) rate = shmv_frame_rate_new ();
  gint64 t = 1000 * SECOND;

  g_assert_cmpfloat (shmv_frame_rate_get (rate, t), <, 0);
  shmv_frame_rate_add (rate, t);
  g_assert_cmpfloat (shmv_frame_rate_get (rate, t), <, 0);
  shmv_frame_rate_add (rate, t + 3 * SECOND / 2);
  g_assert_cmpfloat (shmv_frame_rate_get (rate, t + 3 * SECOND / 2), <, 0);
}

/* Video that stopped a second ago shows no rate any more; a reset forgets. */
static void
test_stopped_video (void)
{
  g_autoptr (ShmvFrameRate) rate = shmv_frame_rate_new ();
  gint64 t = 1000 * SECOND;

  for (int i = 0; i < 30; i++)
    shmv_frame_rate_add (rate, t + i * SECOND / 30);
  g_assert_cmpfloat (shmv_frame_rate_get (rate, t + SECOND), >, 0);
  g_assert_cmpfloat (shmv_frame_rate_get (rate, t + 3 * SECOND), <, 0);
  shmv_frame_rate_reset (rate);
  g_assert_cmpfloat (shmv_frame_rate_get (rate, t + SECOND), <, 0);
}

/* The status line says the rate only when there is one. */
static void
test_status_line (void)
{
  ShmvFrameInfo info = {
    .generation = 3, .width = 1280, .height = 720, .stride = 1280 * 4, .format = SHMV_FORMAT_RGBA8
  };
  g_autofree char *with = shmv_status_text_reader (&info, 5.0, 0, 29.97, TRUE, NULL);
  g_autofree char *without = shmv_status_text_reader (&info, 5.0, 0, -1, TRUE, NULL);

  g_assert_nonnull (strstr (with, "30.0 fps"));
  g_assert_null (strstr (without, "fps"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame-rate/steady-video", test_steady_video);
  g_test_add_func ("/frame-rate/slow-frames-have-no-rate", test_slow_frames_have_no_rate);
  g_test_add_func ("/frame-rate/stopped-video", test_stopped_video);
  g_test_add_func ("/frame-rate/status-line", test_status_line);
  return g_test_run ();
}
