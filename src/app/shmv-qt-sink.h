/* shmv-qt-sink.h: a Qt QSharedMemory segment as a ShmvFrameSink, fed by image files loaded in a
 * worker thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "shmv-frame-sink.h"

G_BEGIN_DECLS

#define SHMV_TYPE_QT_SINK (shmv_qt_sink_get_type ())

G_DECLARE_FINAL_TYPE (ShmvQtSink, shmv_qt_sink, SHMV, QT_SINK, GObject)

ShmvQtSink *shmv_qt_sink_new (const char *key);

G_END_DECLS
