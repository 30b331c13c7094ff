/* shmv-frame-text.h: frames and times in words, for people and for JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/** shmv_frame_dimensions: "640 × 480 RGBA8" (translated). Free with g_free(). */
char *shmv_frame_dimensions (const ShmvFrameInfo *info);

/** shmv_frame_summary: "640 × 480 RGBA8, generation 3" (translated). Free with g_free(). */
char *shmv_frame_summary (const ShmvFrameInfo *info);

/**
 * shmv_frame_age_ms:
 *
 * Milliseconds from the frame's publish time to now (CLOCK_REALTIME on both
 * sides, so it is comparable across processes). Negative when the clock was
 * set back in between.
 */
double shmv_frame_age_ms (const ShmvFrameInfo *info);

/**
 * shmv_time_ns_to_iso8601:
 *
 * @ns nanoseconds since the epoch as UTC ISO 8601 with nanoseconds
 * ("2024-05-01T12:34:56.123456789Z"); never translated. Free with g_free().
 */
char *shmv_time_ns_to_iso8601 (int64_t ns);

/**
 * shmv_time_ns_to_local:
 *
 * @ns nanoseconds since the epoch as a local date and time with
 * milliseconds, for people. Free with g_free().
 */
char *shmv_time_ns_to_local (int64_t ns);

G_END_DECLS
