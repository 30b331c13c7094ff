/* shmv-app-types.h: the app's types, declared once so headers need not include each other
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ShmvApplication ShmvApplication;
typedef struct _ShmvBanner ShmvBanner;
typedef struct _ShmvChannelChooser ShmvChannelChooser;
typedef struct _ShmvChannelSink ShmvChannelSink;
typedef struct _ShmvFrameView ShmvFrameView;
typedef struct _ShmvImageCanvas ShmvImageCanvas;
typedef struct _ShmvReaderPane ShmvReaderPane;
typedef struct _ShmvWindow ShmvWindow;
typedef struct _ShmvWriterPane ShmvWriterPane;

/**
 * ShmvWindowMode:
 * @SHMV_WINDOW_MODE_LOOPBACK: writer and reader side by side in one window
 * @SHMV_WINDOW_MODE_WRITER: a writer pane only
 * @SHMV_WINDOW_MODE_READER: a reader pane only
 */
typedef enum
{
  SHMV_WINDOW_MODE_LOOPBACK,
  SHMV_WINDOW_MODE_WRITER,
  SHMV_WINDOW_MODE_READER,
} ShmvWindowMode;

G_END_DECLS
