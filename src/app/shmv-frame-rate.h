/* shmv-frame-rate.h: how many frames a second a pane displays
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ShmvFrameRate ShmvFrameRate;

ShmvFrameRate *shmv_frame_rate_new (void);
void shmv_frame_rate_free (ShmvFrameRate *rate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShmvFrameRate, shmv_frame_rate_free)

/* Records a frame displayed at @now_us (g_get_monotonic_time ()). */
void shmv_frame_rate_add (ShmvFrameRate *rate, gint64 now_us);

/* Forgets every frame (a new channel, a cleared view). */
void shmv_frame_rate_reset (ShmvFrameRate *rate);

/**
 * shmv_frame_rate_get:
 *
 * Frames a second over the last two seconds before @now_us; -1 unless frames
 * come faster than once a second (a still image has no frame rate).
 */
double shmv_frame_rate_get (const ShmvFrameRate *rate, gint64 now_us);

G_END_DECLS
