/* shmv-image-loader.h: decode an image file and publish it on a channel (worker threads)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <shmview/shmview.h>

G_BEGIN_DECLS

/* Called from the loading thread with the fraction done; return FALSE to stop. */
typedef gboolean (*ShmvLoadProgressFunc) (double fraction, gpointer user_data);

gboolean shmv_image_loader_publish (ShmvChannel *channel,
                                    GFile *file,
                                    guint64 max_pixels,
                                    ShmvLoadProgressFunc progress,
                                    gpointer progress_data,
                                    GCancellable *cancellable,
                                    GError **error);

gboolean shmv_image_loader_load (GFile *file,
                                 guint64 max_pixels,
                                 ShmvLoadProgressFunc progress,
                                 gpointer progress_data,
                                 GCancellable *cancellable,
                                 ShmvImage *image,
                                 GError **error);

G_END_DECLS
