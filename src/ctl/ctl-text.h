/* ctl-text.h: shmview-ctl's output for people (translated, aligned)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "shmv-channel-report.h"

G_BEGIN_DECLS

/** ctl_text_print_report: an aligned block of "Label:  value" lines on stdout. */
void ctl_text_print_report (const ShmvChannelReport *report);

/** ctl_text_print_table: a header and one line per ShmvChannelReport of @reports on stdout. */
void ctl_text_print_table (GPtrArray *reports);

/** ctl_text_print_frame: one watched frame as a line on stdout. */
void ctl_text_print_frame (const ShmvFrameInfo *frame, guint skipped, double latency_ms);

/** ctl_text_width: columns @s takes on a terminal (CJK characters take two). */
gsize ctl_text_width (const char *s);

G_END_DECLS
