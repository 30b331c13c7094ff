/* shmv-banner.h: a message above a pane's content: an error, a warning, a confirmation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "shmv-app-types.h"

G_BEGIN_DECLS

/**
 * ShmvBannerStyle:
 * @SHMV_BANNER_ERROR: something failed (red)
 * @SHMV_BANNER_WARNING: something the user should know (yellow)
 * @SHMV_BANNER_INFO: a confirmation (accent colour)
 */
typedef enum
{
  SHMV_BANNER_ERROR,
  SHMV_BANNER_WARNING,
  SHMV_BANNER_INFO,
} ShmvBannerStyle;

#define SHMV_TYPE_BANNER (shmv_banner_get_type ())

G_DECLARE_FINAL_TYPE (ShmvBanner, shmv_banner, SHMV, BANNER, GtkWidget)

void shmv_banner_set_status (ShmvBanner *self,
                             ShmvBannerStyle style,
                             const char *icon_name,
                             const char *text);
void shmv_banner_set_notice (ShmvBanner *self,
                             ShmvBannerStyle style,
                             const char *icon_name,
                             const char *text,
                             guint timeout_s);
const char *shmv_banner_get_text (ShmvBanner *self);

G_END_DECLS
