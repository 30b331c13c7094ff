/* ctl-test-util.h: running the real shmview-ctl from tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <shmview/shmview.h>

#include "ctl-test-json.h"

/* Runs shmview-ctl with the NULL-terminated arguments; returns its exit
 * status (-1 if a signal killed it) and stores its output (either may be
 * NULL; a string already there, NULL or owned, is freed first). The child runs in C.UTF-8 with LANGUAGE unset, so messages are
 * English whatever the developer's environment says. */
int ctl_run (char **out, char **err, ...) G_GNUC_NULL_TERMINATED;
int ctl_runv (const char *const *args, char **out, char **err);

/* As ctl_runv(), with every debug message of shmview-ctl enabled if @debug. */
int ctl_runv_debug (const char *const *args, gboolean debug, char **out, char **err);

/* Starts shmview-ctl in the background with G_MESSAGES_DEBUG=all;
 * its stdout and stderr are pipes. */
GPid ctl_spawn (const char *const *args, int *out_fd, int *err_fd);

/* Reads lines from @fd until one contains @needle; FALSE after @timeout_ms. */
gboolean ctl_wait_for_line (int fd, const char *needle, int timeout_ms);

/* Waits for @pid to exit; returns its exit status, or -1 if a signal killed
 * it or it did not exit in @timeout_ms (then it is killed). */
int ctl_wait_exit (GPid pid, int timeout_ms);

/* Writes a @width x @height test pattern in @format, different for each
 * @seed, to @dir/@name; returns the path. */
char *ctl_make_png (const char *dir,
                    const char *name,
                    uint32_t width,
                    uint32_t height,
                    ShmvFormat format,
                    guint seed);

/* Asserts that two PNG files decode to the same size, format and pixels. */
void ctl_assert_same_pixels (const char *expected_png, const char *actual_png);

/* A new temporary directory, and its removal with everything in it. */
char *ctl_make_tmpdir (void);
void ctl_remove_tmpdir (const char *dir);

/* Removes the channel of @key if it exists (cleanup after a test). */
void ctl_forget_key (const char *key);

/* The JSON shmview-ctl printed; fails the test if it does not parse. */
CtlJson *ctl_parse_json (const char *text);

/* Asserts that @object has member @name of @type; returns it. */
CtlJson *ctl_assert_member (const CtlJson *object, const char *name, CtlJsonType type);

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
