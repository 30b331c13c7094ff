/* gstshmview-format.h: channel pixel formats as GStreamer video formats
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* The raw video caps shmviewsink accepts: exactly the layouts a channel
 * holds, so that videoconvert is asked for anything else. */
#define GST_SHMVIEW_SINK_CAPS GST_VIDEO_CAPS_MAKE ("{ RGB, RGBA, " GST_SHMVIEW_RGBA64 " }")

/* What shmviewsrc can push: the same three (a 16-bit RGB channel comes out
 * as RGBA64 with opaque alpha, since GStreamer has no 48-bit RGB). */
#define GST_SHMVIEW_SRC_CAPS GST_SHMVIEW_SINK_CAPS

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define GST_SHMVIEW_RGBA64 "RGBA64_LE"
#else
#define GST_SHMVIEW_RGBA64 "RGBA64_BE"
#endif

/**
 * gst_shmview_format_to_channel:
 *
 * The channel format with the same bytes as @format, or SHMV_FORMAT_INVALID
 * (the sink's caps never let one through).
 */
ShmvFormat gst_shmview_format_to_channel (GstVideoFormat format);

/**
 * gst_shmview_format_from_channel:
 *
 * The video format a frame of @format is pushed as: RGB16 widens to RGBA64
 * (gst_shmview_format_needs_alpha() says so). GST_VIDEO_FORMAT_UNKNOWN for an
 * invalid format.
 */
GstVideoFormat gst_shmview_format_from_channel (ShmvFormat format);

/* Whether frames of @format gain an opaque alpha channel on their way out. */
gboolean gst_shmview_format_needs_alpha (ShmvFormat format);

/**
 * gst_shmview_format_fits:
 *
 * Whether @frame's pixels, as they lie in the channel, are a buffer of the
 * caps shmviewsrc gives it: no alpha to add, and rows at GStreamer's default
 * stride (packed RGB rows whose width is not a multiple of 4 bytes are not:
 * GStreamer pads them).
 */
gboolean gst_shmview_format_fits (const ShmvFrameInfo *frame);

/**
 * gst_shmview_widen_rgb16:
 *
 * Copies @height rows of RGB16 pixels (@src_stride bytes apart) into RGBA64
 * rows @dst_stride bytes apart, alpha 0xffff.
 */
void gst_shmview_widen_rgb16 (
    const guint8 *src, gsize src_stride, guint8 *dst, gsize dst_stride, guint width, guint height);

G_END_DECLS
