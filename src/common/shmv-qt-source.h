/* shmv-qt-source.h: frames from a Qt QSharedMemory segment, as a ShmvFrameSource
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-frame-source.h"

G_BEGIN_DECLS

#define SHMV_TYPE_QT_SOURCE (shmv_qt_source_get_type ())

G_DECLARE_FINAL_TYPE (ShmvQtSource, shmv_qt_source, SHMV, QT_SOURCE, GObject)

/* How often a Qt segment is looked at: Qt has no notification. */
#define SHMV_QT_SOURCE_POLL_MS 150

ShmvFrameSource *shmv_qt_source_new (const char *key);

G_END_DECLS
