/* shmv-status-text.h: the panes' status lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

char *shmv_status_text_size (const ShmvFrameInfo *info);
char *shmv_status_text_writer_idle (const char *key);
char *shmv_status_text_writer (const char *key,
                               const ShmvFrameInfo *info,
                               gsize segment_size,
                               gboolean system_v);
char *shmv_status_text_reader_idle (const char *key, guint32 waiting);
char *shmv_status_text_reader (const ShmvFrameInfo *info,
                               double latency_ms,
                               guint32 waiting,
                               double fps,
                               gboolean checksummed,
                               const char *note);

G_END_DECLS
