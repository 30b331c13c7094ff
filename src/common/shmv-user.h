/* shmv-user.h: naming the user whose channel to read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * shmv_user_parse:
 *
 * The uid of @name, a user name or a numeric uid (shmview-ctl --owner,
 * shmviewsrc's owner); -1 if there is no such user.
 */
gint64 shmv_user_parse (const char *name);

G_END_DECLS
