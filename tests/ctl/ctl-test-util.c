/* ctl-test-util.c: running the real shmview-ctl from tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "ctl-test-util.h"

#include "shmv-test-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *
ctl_path (void)
{
  const char *path = g_getenv ("SHMVIEW_CTL");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("SHMVIEW_CTL must name the built shmview-ctl (run the tests with meson test)");
  return path;
}

static char **
child_env (gboolean debug)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  if (debug)
    env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);
  else
    env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  return env;
}

static char **
full_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup (ctl_path ()));
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, g_strdup (*args));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static int
exit_code (int wait_status)
{
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

int
ctl_runv (const char *const *args, char **out, char **err)
{
  return ctl_runv_debug (args, FALSE, out, err);
}

int
ctl_runv_debug (const char *const *args, gboolean debug, char **out, char **err)
{
  g_auto (GStrv) argv = full_argv (args);
  g_auto (GStrv) env = child_env (debug);
  g_autoptr (GError) error = NULL;
  g_autofree char *joined = g_strjoinv (" ", argv);
  g_autofree char *child_out = NULL;
  g_autofree char *child_err = NULL;
  int status = -1;

  /* Always capture: output left to the inherited stdout would corrupt TAP. */
  g_test_message ("running %s", joined);
  if (!g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &child_out, &child_err, &status,
                     &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  /* Callers run one command after another into the same strings. */
  if (out != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&child_out);
    }
  if (err != NULL)
    {
      g_free (*err);
      *err = g_steal_pointer (&child_err);
    }
  return exit_code (status);
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
  g_auto (GStrv) argv = full_argv (args);
  g_auto (GStrv) env = child_env (TRUE);
  g_autoptr (GError) error = NULL;
  GPid pid = 0;

  if (!g_spawn_async_with_pipes (NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                 out_fd, err_fd, &error))
    g_error ("cannot start %s: %s", argv[0], error->message);
  return pid;
}

gboolean
ctl_wait_for_line (int fd, const char *needle, int timeout_ms)
{
  return shmv_test_wait_for_line (fd, needle, timeout_ms);
}

int
ctl_wait_exit (GPid pid, int timeout_ms)
{
  int status = shmv_test_wait_timeout (pid, timeout_ms);

  if (status != -1)
    return exit_code (status);
  kill (pid, SIGKILL);
  shmv_test_wait (pid);
  return -1;
}

char *
ctl_make_png (const char *dir,
              const char *name,
              uint32_t width,
              uint32_t height,
              ShmvFormat format,
              guint seed)
{
  unsigned bpp = shmv_format_bytes_per_pixel (format);
  size_t stride = (size_t) width * bpp;
  g_autofree uint8_t *pixels = g_malloc (stride * height);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  char *path = g_build_filename (dir, name, NULL);
  ShmvStatus status;

  /* Noise, so that any misplaced byte shows, with a gradient in it so that a
   * failure is easy to look at. */
  for (uint32_t y = 0; y < height; y++)
    for (size_t x = 0; x < stride; x++)
      pixels[y * stride + x] = (uint8_t) ((g_rand_int (rand) & 0x3f) + (x + y) % 192);

  if (!shmv_png_save (path, pixels, width, height, stride, format, &status))
    g_error ("cannot write %s: %s", path, status.message);
  return path;
}

void
ctl_assert_same_pixels (const char *expected_png, const char *actual_png)
{
  ShmvImage expected = { 0 }, actual = { 0 };
  ShmvStatus status;

  if (!shmv_png_load (expected_png, NULL, &expected, &status))
    g_error ("cannot load %s: %s", expected_png, status.message);
  if (!shmv_png_load (actual_png, NULL, &actual, &status))
    g_error ("cannot load %s: %s", actual_png, status.message);

  g_assert_cmpuint (actual.width, ==, expected.width);
  g_assert_cmpuint (actual.height, ==, expected.height);
  g_assert_cmpstr (shmv_format_name (actual.format), ==, shmv_format_name (expected.format));
  g_assert_cmpuint (actual.stride, ==, expected.stride);
  g_assert_cmpmem (actual.pixels, actual.stride * actual.height, expected.pixels,
                   expected.stride * expected.height);

  shmv_image_clear (&expected);
  shmv_image_clear (&actual);
}

char *
ctl_make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("shmview-ctl-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
ctl_remove_tmpdir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

void
ctl_forget_key (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (!shmv_channel_remove (ch))
    g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_NOT_FOUND);
  shmv_channel_free (ch);
}

CtlJson *
ctl_parse_json (const char *text)
{
  g_autoptr (GError) error = NULL;
  CtlJson *json = ctl_json_parse (text, &error);

  if (json == NULL)
    g_test_message ("not JSON: %s", text);
  g_assert_no_error (error);
  return json;
}

CtlJson *
ctl_assert_member (const CtlJson *object, const char *name, CtlJsonType type)
{
  CtlJson *member = ctl_json_member (object, name);

  if (member == NULL)
    g_test_message ("JSON member “%s” is missing", name);
  g_assert_nonnull (member);
  if (member->type != type)
    g_test_message ("JSON member “%s” is a %s, not a %s", name, ctl_json_type_name (member->type),
                    ctl_json_type_name (type));
  g_assert_cmpstr (ctl_json_type_name (member->type), ==, ctl_json_type_name (type));
  return member;
}
