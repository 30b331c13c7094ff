/* shmv-source-kind.h: which kind of shared memory a key names, and the source that reads it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "shmv-frame-source.h"

G_BEGIN_DECLS

/**
 * ShmvSourceKind:
 * @SHMV_SOURCE_KIND_CHANNEL: a libshmview channel (ShmvChannelSource)
 * @SHMV_SOURCE_KIND_QT: a Qt QSharedMemory segment holding a QImage (ShmvQtSource)
 */
typedef enum
{
  SHMV_SOURCE_KIND_CHANNEL,
  SHMV_SOURCE_KIND_QT,
} ShmvSourceKind;

#define SHMV_TYPE_SOURCE_KIND (shmv_source_kind_get_type ())
GType shmv_source_kind_get_type (void);

ShmvFrameSource *shmv_source_kind_new_source (ShmvSourceKind kind, const char *key);

G_END_DECLS
