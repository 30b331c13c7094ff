/* shmv-frame-texture.h: a frame's pixels shown as a GdkTexture, without a copy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

GdkMemoryFormat shmv_frame_memory_format (ShmvFormat format);
GdkTexture *shmv_frame_texture_new (const ShmvFrameInfo *info, GBytes *pixels);

G_END_DECLS
