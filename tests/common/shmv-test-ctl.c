/* shmv-test-ctl.c: running the real shmview-ctl from tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "shmv-test-ctl.h"

#include <stdarg.h>
#include <sys/wait.h>

#include "shmv-test-json.h"
#include "shmv-test-process.h"

static const char *
ctl_path (void)
{
  const char *path = g_getenv ("SHMVIEW_CTL");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SHMVIEW_CTL must name the built shmview-ctl (run the tests with meson test)");
  return path;
}

static GPtrArray *
full_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) ctl_path ());
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  return argv;
}

int
ctl_runv (const char *const *args, char **out, char **err)
{
  return ctl_runv_debug (args, FALSE, out, err);
}

int
ctl_runv_debug (const char *const *args, gboolean debug, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = full_argv (args);
  int status = shmv_test_run ((const char *const *) argv->pdata, debug ? "all" : NULL, out, err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

int
ctl_run (char **out, char **err, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return ctl_runv ((const char *const *) args->pdata, out, err);
}

GPid
ctl_spawn (const char *const *args, int *out_fd, int *err_fd)
{
  g_autoptr (GPtrArray) argv = full_argv (args);

  return shmv_test_spawn ((const char *const *) argv->pdata, "all", out_fd, err_fd);
}

gint64
ctl_info_writer_pid (const char *key, gboolean *alive)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) json = NULL;

  ctl_assert_exit (ctl_run (&out, &err, "info", "--json", "-k", key, NULL), 0, err);
  json = shmv_test_json_parse (out);
  *alive = shmv_test_json_bool (json, "writer_alive");
  return shmv_test_json_int (json, "writer_pid");
}
