/* shmv-frame-texture.c: a frame's pixels shown as a GdkTexture, without a copy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-frame-texture.h"

/* 16-bit frames keep their 16 bits on screen: GDK has native-endian 16-bit formats. */
GdkMemoryFormat
shmv_frame_memory_format (ShmvFormat format)
{
  switch (format)
    {
    case SHMV_FORMAT_RGB8:
      return GDK_MEMORY_R8G8B8;
    case SHMV_FORMAT_RGBA8:
      return GDK_MEMORY_R8G8B8A8;
    case SHMV_FORMAT_RGB16:
      return GDK_MEMORY_R16G16B16;
    case SHMV_FORMAT_RGBA16:
      return GDK_MEMORY_R16G16B16A16;
    case SHMV_FORMAT_INVALID:
    default:
      g_return_val_if_reached (GDK_MEMORY_R8G8B8A8);
    }
}

/**
 * shmv_frame_texture_new:
 *
 * Wraps @pixels, which hold the frame @info describes, in a texture without
 * copying them.
 */
GdkTexture *
shmv_frame_texture_new (const ShmvFrameInfo *info, GBytes *pixels)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) >= (gsize) info->height * info->stride, NULL);

  return gdk_memory_texture_new ((int) info->width, (int) info->height,
                                 shmv_frame_memory_format (info->format), pixels, info->stride);
}
