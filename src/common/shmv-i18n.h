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

/**
 * shmv_i18n_localedir_of:
 * @code: the address of a function of the calling module
 *
 * As shmv_i18n_localedir(), but for a module loaded into another program
 * (the GStreamer plugin inside gst-launch-1.0): the build tree looked for is
 * the one the module holding @code lives in (found with dladdr()), not the
 * executable's. The string is static.
 */
const char *shmv_i18n_localedir_of (gconstpointer code);

G_END_DECLS
