/* gstshmview-format.c: channel pixel formats as GStreamer video formats
 *
 * A channel holds packed RGB or RGBA, 8 or 16 bits a sample, in native byte
 * order. GStreamer names the same bytes RGB, RGBA and RGBA64_LE (on a
 * little-endian machine); it has no 48-bit RGB. The padded and swizzled
 * formats (RGBx, BGRx, BGRA) are refused in caps rather than converted here:
 * videoconvert does that better, and the channel then says honestly what it
 * holds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstshmview-format.h"

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define RGBA64_NATIVE GST_VIDEO_FORMAT_RGBA64_LE
#else
#define RGBA64_NATIVE GST_VIDEO_FORMAT_RGBA64_BE
#endif

ShmvFormat
gst_shmview_format_to_channel (GstVideoFormat format)
{
  switch (format)
    {
    case GST_VIDEO_FORMAT_RGB:
      return SHMV_FORMAT_RGB8;
    case GST_VIDEO_FORMAT_RGBA:
      return SHMV_FORMAT_RGBA8;
    case RGBA64_NATIVE:
      return SHMV_FORMAT_RGBA16;
    default:
      return SHMV_FORMAT_INVALID;
    }
}

GstVideoFormat
gst_shmview_format_from_channel (ShmvFormat format)
{
  switch (format)
    {
    case SHMV_FORMAT_RGB8:
      return GST_VIDEO_FORMAT_RGB;
    case SHMV_FORMAT_RGBA8:
      return GST_VIDEO_FORMAT_RGBA;
    case SHMV_FORMAT_RGB16:
    case SHMV_FORMAT_RGBA16:
      return RGBA64_NATIVE;
    default:
      return GST_VIDEO_FORMAT_UNKNOWN;
    }
}

gboolean
gst_shmview_format_needs_alpha (ShmvFormat format)
{
  return format == SHMV_FORMAT_RGB16;
}

gboolean
gst_shmview_format_fits (const ShmvFrameInfo *frame)
{
  GstVideoInfo info;

  if (gst_shmview_format_needs_alpha (frame->format) ||
      !gst_video_info_set_format (&info, gst_shmview_format_from_channel (frame->format),
                                  frame->width, frame->height))
    return FALSE;
  return (guint32) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) == frame->stride;
}

void
gst_shmview_widen_rgb16 (
    const guint8 *src, gsize src_stride, guint8 *dst, gsize dst_stride, guint width, guint height)
{
  for (guint y = 0; y < height; y++)
    {
      const guint16 *in = (const guint16 *) (src + y * src_stride);
      guint16 *out = (guint16 *) (dst + y * dst_stride);

      for (guint x = 0; x < width; x++)
        {
          out[4 * x] = in[3 * x];
          out[4 * x + 1] = in[3 * x + 1];
          out[4 * x + 2] = in[3 * x + 2];
          out[4 * x + 3] = 0xffff;
        }
    }
}
