/* gstshmviewsrc.h: a live source of the frames of a shmview channel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS

#define GST_TYPE_SHMVIEW_SRC (gst_shmview_src_get_type ())
G_DECLARE_FINAL_TYPE (GstShmviewSrc, gst_shmview_src, GST, SHMVIEW_SRC, GstPushSrc)

GST_ELEMENT_REGISTER_DECLARE (shmviewsrc);

G_END_DECLS
