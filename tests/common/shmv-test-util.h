/* shmv-test-util.h: helpers every test uses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* A key no other test (nor another run of this one) uses: it embeds the pid,
 * a counter and @what. Free with g_free(). */
char *shmv_test_unique_key (const char *what);

/* The directory of test data shipped with the project (tests/data) and the
 * PngSuite directory beside the project, or NULL when it is absent. */
const char *shmv_test_pngsuite_dir (void);

/* Runs @argv (NULL-terminated) to completion; returns its wait status and
 * stores its standard output and error (either may be NULL). */
int shmv_test_run (const char *const *argv, char **out, char **err);

/* Starts @argv in the background with stdin/stdout as pipes; returns the pid. */
GPid shmv_test_spawn (const char *const *argv, int *stdin_fd, int *stdout_fd);

/* Reads one line (without the newline) from @fd, waiting at most @timeout_ms.
 * Returns NULL on timeout or EOF. */
char *shmv_test_read_line (int fd, int timeout_ms);

/* Whether /dev/shm holds an object whose name contains @native_key
 * (without its leading slash). */
gboolean shmv_test_shm_exists (const char *native_key);
