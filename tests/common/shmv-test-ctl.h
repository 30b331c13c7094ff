/* shmv-test-ctl.h: running the real shmview-ctl from tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs shmview-ctl ($SHMVIEW_CTL) with the NULL-terminated arguments;
 * returns its exit status (-1 if a signal killed it) and stores its output
 * (either may be NULL). As every child of shmv-test-process.h, it speaks
 * English whatever the developer's environment says. */
int ctl_run (char **out, char **err, ...) G_GNUC_NULL_TERMINATED;
int ctl_runv (const char *const *args, char **out, char **err);

/* As ctl_runv(), with every debug message of shmview-ctl enabled if @debug. */
int ctl_runv_debug (const char *const *args, gboolean debug, char **out, char **err);

/* Starts shmview-ctl in the background with G_MESSAGES_DEBUG=all;
 * its stdout and stderr are pipes. */
GPid ctl_spawn (const char *const *args, int *out_fd, int *err_fd);

/* Asserts that a command exited with @code; shows its stderr otherwise. */
#define ctl_assert_exit(status, code, err)                                                         \
  G_STMT_START                                                                                     \
  {                                                                                                \
    int ctl_status_ = (status);                                                                    \
    if (ctl_status_ != (code))                                                                     \
      g_test_message ("stderr: %s", (err) ? (err) : "(none)");                                     \
    g_assert_cmpint (ctl_status_, ==, (code));                                                     \
  }                                                                                                \
  G_STMT_END

/* `info --json -k @key`: the writer's pid, and in @alive whether it is alive. */
gint64 ctl_info_writer_pid (const char *key, gboolean *alive);

G_END_DECLS
