/* shmv-frame-view.h: a frame on screen, zoomable, or a placeholder while there is none
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

#include "shmv-app-types.h"

G_BEGIN_DECLS

#define SHMV_TYPE_FRAME_VIEW (shmv_frame_view_get_type ())

G_DECLARE_FINAL_TYPE (ShmvFrameView, shmv_frame_view, SHMV, FRAME_VIEW, GtkWidget)

void shmv_frame_view_show_frame (ShmvFrameView *self,
                                 const ShmvFrameInfo *info,
                                 GBytes *pixels,
                                 const char *description,
                                 gboolean measure_latency);
void shmv_frame_view_show_placeholder (ShmvFrameView *self, const char *text, gboolean waiting);
void shmv_frame_view_clear (ShmvFrameView *self);
void shmv_frame_view_set_actual_size (ShmvFrameView *self, gboolean actual_size);
void shmv_frame_view_set_hint (ShmvFrameView *self, const char *hint);
ShmvImageCanvas *shmv_frame_view_get_canvas (ShmvFrameView *self);
GdkTexture *shmv_frame_view_get_texture (ShmvFrameView *self);
double shmv_frame_view_get_latency_ms (ShmvFrameView *self);

G_END_DECLS
