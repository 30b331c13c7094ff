/* shmv-user.c: naming the user whose channel to read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-user.h"

#include <pwd.h>

gint64
shmv_user_parse (const char *name)
{
  struct passwd *pw = getpwnam (name);
  guint64 uid;

  if (pw != NULL)
    return pw->pw_uid;
  if (g_ascii_string_to_unsigned (name, 10, 0, G_MAXUINT32 - 1, &uid, NULL))
    return (gint64) uid;
  return -1;
}
