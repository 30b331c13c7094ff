/* gst-test-launch.h: what the GStreamer tests share: set-up, gst-launch-1.0
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * gst_test_setup:
 *
 * Call first in main(), after g_test_init(). Removes this test's registry
 * ($GST_REGISTRY), so that a plugin a failed scan left out is scanned again.
 * In a sanitized build ($LD_PRELOAD names the runtimes), children stop
 * checking for leaks: gst-launch-1.0 itself leaks at exit, and the plugin's
 * own leaks are checked in this process.
 */
void gst_test_setup (void);

/* gst-launch-1.0 -q with @description split as a shell would. */
GStrv gst_test_launch_argv (const char *description);

/* Starts @description in the background; its stderr on *@err_fd if not NULL. */
GPid gst_test_launch_spawn (const char *description, int *err_fd);

/* Runs @description to its end and asserts it succeeded. */
void gst_test_launch (const char *description);

G_END_DECLS
