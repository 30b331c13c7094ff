/* shmv-i18n.c: gettext set-up for shmview's programs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmv-i18n"
#define _GNU_SOURCE  /* dladdr() */

#include "config.h"

#include "shmv-i18n.h"

#include <dlfcn.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* A binary that runs from the build tree must find the .mo files meson built
 * there, or `LANGUAGE=de build/src/ctl/shmview-ctl` would speak English until
 * installed. The build tree is found from where the code is, not from a path
 * compiled in: installed binaries carry no build path, and an installed
 * binary never reads translations from a stale build directory that happens
 * to exist. The build root is the nearest directory above @file (the
 * executable, or the GStreamer plugin inside someone else's executable) that
 * holds meson-private/ (meson's own, in every build root); the translations
 * are its po/. */
static char *
build_tree_localedir (const char *file)
{
  g_autofree char *dir = NULL;

  if (file == NULL || !g_path_is_absolute (file))
    return NULL;
  dir = g_path_get_dirname (file);
  for (;;)
    {
      g_autofree char *marker = g_build_filename (dir, "meson-private", NULL);
      g_autofree char *parent = NULL;

      if (g_file_test (marker, G_FILE_TEST_IS_DIR))
        {
          char *po = g_build_filename (dir, "po", NULL);

          if (g_file_test (po, G_FILE_TEST_IS_DIR))
            return po;
          g_free (po);
          return NULL;
        }
      parent = g_path_get_dirname (dir);
      if (strcmp (parent, dir) == 0)
        return NULL;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
}

/* $SHMVIEW_LOCALEDIR, else the build tree @file is in, else LOCALEDIR. */
static const char *
localedir_for_file (const char *file)
{
  const char *env = g_getenv ("SHMVIEW_LOCALEDIR");
  g_autofree char *built = NULL;
  const char *dir;

  if (env != NULL && env[0] != '\0')
    dir = g_intern_string (env);
  else if ((built = build_tree_localedir (file)) != NULL)
    dir = g_intern_string (built);
  else
    dir = LOCALEDIR;

  /* Tests look for this line. */
  g_debug ("translations from %s", dir);
  return dir;
}

const char *
shmv_i18n_localedir (void)
{
  static const char *dir;

  if (dir == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

      dir = localedir_for_file (exe);
    }
  return dir;
}

const char *
shmv_i18n_localedir_of (gconstpointer code)
{
  Dl_info info = { 0 };
  g_autofree char *file = NULL;

  /* dli_fname is the name the module was opened by, maybe relative or
   * through a symbolic link: the build tree is where the file really is. */
  if (dladdr (code, &info) != 0 && info.dli_fname != NULL)
    file = realpath (info.dli_fname, NULL);
  return localedir_for_file (file);
}

void
shmv_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, shmv_i18n_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
