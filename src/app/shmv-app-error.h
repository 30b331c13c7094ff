/* shmv-app-error.h: what can go wrong when the app loads an image
 *
 * Failures of the channel itself are in SHMV_GERROR (src/common); these are
 * about the file the user picked, so the pane can say what is wrong with it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SHMV_APP_ERROR (shmv_app_error_quark ())

typedef enum
{
  SHMV_APP_ERROR_UNREADABLE,   /* the file cannot be opened or read */
  SHMV_APP_ERROR_NOT_AN_IMAGE, /* no loader knows the file's format */
  SHMV_APP_ERROR_CORRUPT,      /* the format is known but the data is damaged */
  SHMV_APP_ERROR_TOO_LARGE,    /* more pixels than the limit */
  SHMV_APP_ERROR_BUSY,         /* another load is still running */
} ShmvAppError;

GQuark shmv_app_error_quark (void);

G_END_DECLS
