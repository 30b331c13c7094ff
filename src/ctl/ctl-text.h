/* ctl-text.h: shmview-ctl's output for people (translated, aligned)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "shmv-channel-report.h"
#include "shmv-qt-segment.h"

G_BEGIN_DECLS

/** ctl_text_print_report: an aligned block of "Label:  value" lines on stdout. */
void ctl_text_print_report (const ShmvChannelReport *report);

/** ctl_text_print_table: a header and one line per ShmvChannelReport of @reports, then per
 * ShmvQtSegmentInfo of @qt_segments (nullable), on stdout. */
void ctl_text_print_table (GPtrArray *reports, GPtrArray *qt_segments);

/* A Qt segment read whole (info --qt): @frame has its image's size and format. */
void ctl_text_print_qt (const ShmvQtSegmentInfo *info, const ShmvFrameInfo *frame);

/** ctl_text_print_frame: one watched frame as a line on stdout. */
void ctl_text_print_frame (const ShmvFrameInfo *frame, guint skipped, double latency_ms);

/** ctl_text_width: columns @s takes on a terminal (CJK characters take two). */
gsize ctl_text_width (const char *s);

G_END_DECLS
