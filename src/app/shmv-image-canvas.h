/* shmv-image-canvas.h: an image that zooms, pans and reads out the pixel under the pointer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <shmview/shmview.h>

#include "shmv-app-types.h"

G_BEGIN_DECLS

#define SHMV_TYPE_IMAGE_CANVAS (shmv_image_canvas_get_type ())

G_DECLARE_FINAL_TYPE (ShmvImageCanvas, shmv_image_canvas, SHMV, IMAGE_CANVAS, GtkWidget)

void shmv_image_canvas_set_frame (ShmvImageCanvas *self, const ShmvFrameInfo *info, GBytes *pixels);
void shmv_image_canvas_clear (ShmvImageCanvas *self);
GdkTexture *shmv_image_canvas_get_texture (ShmvImageCanvas *self);

void shmv_image_canvas_zoom_in (ShmvImageCanvas *self);
void shmv_image_canvas_zoom_out (ShmvImageCanvas *self);
void shmv_image_canvas_zoom_at (ShmvImageCanvas *self, double factor, double x, double y);
void shmv_image_canvas_pan (ShmvImageCanvas *self, double dx, double dy);
void shmv_image_canvas_set_fit (ShmvImageCanvas *self);
void shmv_image_canvas_set_actual_size (ShmvImageCanvas *self, gboolean actual_size);
gboolean shmv_image_canvas_get_actual_size (ShmvImageCanvas *self);
gboolean shmv_image_canvas_get_fit (ShmvImageCanvas *self);
double shmv_image_canvas_get_zoom (ShmvImageCanvas *self);
gboolean shmv_image_canvas_get_image_rect (ShmvImageCanvas *self, graphene_rect_t *rect);
void shmv_image_canvas_image_point (
    ShmvImageCanvas *self, double x, double y, double *image_x, double *image_y);
void shmv_image_canvas_hover (ShmvImageCanvas *self, double x, double y);
const char *shmv_image_canvas_get_readout (ShmvImageCanvas *self);
gint64 shmv_image_canvas_get_last_used (ShmvImageCanvas *self);

G_END_DECLS
