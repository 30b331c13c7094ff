/* shmv-application.h: the shmview application: options, windows, signals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "shmv-app-types.h"

G_BEGIN_DECLS

#define SHMV_TYPE_APPLICATION (shmv_application_get_type ())

G_DECLARE_FINAL_TYPE (ShmvApplication, shmv_application, SHMV, APPLICATION, GtkApplication)

ShmvApplication *shmv_application_new (void);
void shmv_application_close_all (ShmvApplication *self);

G_END_DECLS
