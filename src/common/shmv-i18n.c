/* shmv-i18n.c: gettext set-up for shmview's programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-i18n"

#include "config.h"

#include "shmv-i18n.h"

#include <glib/gi18n.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* A binary that runs from the build tree must find the .mo files meson built
 * there, or `LANGUAGE=de build/src/ctl/shmview-ctl` would speak English until
 * installed. Only trust the build tree when the binary really lives in it: an
 * installed binary must never read translations from a stale build
 * directory that happens to exist. */
static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = NULL;
  char root[PATH_MAX];

  if (!g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return FALSE;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL || realpath (SHMV_BUILD_ROOT, root) == NULL)
    return FALSE;
  return g_str_has_prefix (exe, root) && exe[strlen (root)] == G_DIR_SEPARATOR;
}

const char *
shmv_i18n_localedir (void)
{
  static const char *dir;
  const char *env;

  if (dir != NULL)
    return dir;

  env = g_getenv ("SHMVIEW_LOCALEDIR");
  if (env != NULL && env[0] != '\0')
    dir = g_intern_string (env);
  else if (running_uninstalled ())
    dir = BUILD_LOCALEDIR;
  else
    dir = LOCALEDIR;

  g_debug ("translations from %s", dir);
  return dir;
}

void
shmv_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, shmv_i18n_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
