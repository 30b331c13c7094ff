/* gst-test-launch.c: what the GStreamer tests share: set-up, gst-launch-1.0
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gst-test-launch.h"

#include <glib/gstdio.h>
#include <string.h>

#include "shmv-test-util.h"

void
gst_test_setup (void)
{
  const char *registry = g_getenv ("GST_REGISTRY");
  const char *preload = g_getenv ("LD_PRELOAD");

  if (registry != NULL)
    g_unlink (registry);
  if (preload != NULL && strstr (preload, "asan") != NULL)
    {
      g_autofree char *options =
          g_strconcat (g_getenv ("ASAN_OPTIONS") ?: "", ":detect_leaks=0", NULL);

      g_setenv ("ASAN_OPTIONS", options, TRUE);
    }
}

GStrv
gst_test_launch_argv (const char *description)
{
  g_autofree char *line = g_strdup_printf ("'%s' -q %s", g_getenv ("SHMV_GST_LAUNCH"), description);
  g_autoptr (GError) error = NULL;
  char **argv = NULL;

  g_test_message ("pipeline: %s", description);
  g_assert_true (g_shell_parse_argv (line, NULL, &argv, &error));
  return argv;
}

GPid
gst_test_launch_spawn (const char *description, int *err_fd)
{
  g_auto (GStrv) argv = gst_test_launch_argv (description);

  return shmv_test_spawn ((const char *const *) argv, NULL, NULL, err_fd);
}

void
gst_test_launch (const char *description)
{
  g_auto (GStrv) argv = gst_test_launch_argv (description);
  g_autofree char *err = NULL;
  int status = shmv_test_run ((const char *const *) argv, NULL, NULL, &err);

  if (status != 0)
    g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
}
