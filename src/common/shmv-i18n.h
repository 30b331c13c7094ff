/* shmv-i18n.h: gettext set-up for shmview's programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * shmv_i18n_init:
 *
 * Sets the locale from the environment and binds the GETTEXT_PACKAGE domain
 * (UTF-8) to the directory shmv_i18n_localedir() returns, then makes it the
 * default domain. Call first thing in main().
 */
void shmv_i18n_init (void);

/**
 * shmv_i18n_localedir:
 *
 * Where translations are looked up: $SHMVIEW_LOCALEDIR when set and not
 * empty; the po directory of the meson build tree this executable lives in
 * (found from /proc/self/exe, see shmv-i18n.c); else the installed
 * LOCALEDIR. The string is static.
 */
const char *shmv_i18n_localedir (void);

G_END_DECLS
