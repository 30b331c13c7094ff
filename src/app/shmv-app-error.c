/* shmv-app-error.c: what can go wrong when the app loads an image
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "shmv-app-error.h"

/* clang-format off */
G_DEFINE_QUARK (shmv-app-error-quark, shmv_app_error)
/* clang-format on */
