/* gstshmviewsink.h: publishes video buffers as frames of a shmview channel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

#define GST_TYPE_SHMVIEW_SINK (gst_shmview_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstShmviewSink, gst_shmview_sink, GST, SHMVIEW_SINK, GstBaseSink)

#define GST_TYPE_SHMVIEW_SHARE (gst_shmview_share_get_type ())
GType gst_shmview_share_get_type (void);

GST_ELEMENT_REGISTER_DECLARE (shmviewsink);

G_END_DECLS
