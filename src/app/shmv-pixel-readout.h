/* shmv-pixel-readout.h: the zoom level and a pixel's raw samples, as text
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

gboolean shmv_pixel_samples (const ShmvFrameInfo *info,
                             GBytes *pixels,
                             guint32 x,
                             guint32 y,
                             guint samples[4],
                             guint *n_samples);
char *shmv_pixel_readout (const ShmvFrameInfo *info, GBytes *pixels, guint32 x, guint32 y);
char *shmv_zoom_text (double zoom);

G_END_DECLS
