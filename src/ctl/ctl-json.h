/* ctl-json.h: shmview-ctl's JSON output (keys and values never translated)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "shmv-channel-report.h"
#include "shmv-json.h"
#include "shmv-qt-segment.h"

G_BEGIN_DECLS

/**
 * ctl_json_add_report:
 *
 * One channel as an object: key, native_key, size, width, height, format,
 * stride, generation, writer_pid, writer_alive, checksum, publish_time_ns,
 * publish_time, source, persistent, withdrawn, in_use, stale, and error and
 * error_message when it could not be read. Fields without a value (no frame
 * yet, a stale or unreadable channel) are null.
 */
void ctl_json_add_report (ShmvJson *json, const ShmvChannelReport *report);

/* A Qt segment as an object with "kind": "qt"; @frame (nullable: a listing
 * does not attach) gives its image's width, height, format and stride. */
void ctl_json_add_qt (ShmvJson *json, const ShmvQtSegmentInfo *info, const ShmvFrameInfo *frame);

/** ctl_json_print_frame: one watched frame as a line of JSON on stdout. */
void ctl_json_print_frame (const char *key,
                           const ShmvFrameInfo *frame,
                           guint skipped,
                           double latency_ms);

G_END_DECLS
