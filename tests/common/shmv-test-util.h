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

/* PngSuite, shipped with the project in tests/data/pngsuite (found through
 * G_TEST_SRCDIR); aborts when it is absent. Call after g_test_init(). */
const char *shmv_test_pngsuite_dir (void);

/* Runs @argv (NULL-terminated) to completion; returns its wait status and
 * stores its standard output and error (either may be NULL). */
int shmv_test_run (const char *const *argv, char **out, char **err);

/* Starts @argv in the background with stdin/stdout as pipes; returns the pid. */
GPid shmv_test_spawn (const char *const *argv, int *stdin_fd, int *stdout_fd);

/* Forks a child that runs @body (@key, the write end of a pipe to the
 * parent) and exits with what it returns; *@read_fd (if not NULL) gets the
 * read end. For children that must be real processes: kill -9, locks. */
GPid shmv_test_fork (int (*body) (const char *key, int fd), const char *key, int *read_fd);

/* Waits for @pid to end; returns its wait status. */
int shmv_test_wait (GPid pid);

/* Asserts that @pid exits with status 0. */
void shmv_test_assert_exits_ok (GPid pid);

/* Kills @pid with SIGKILL and reaps it. */
void shmv_test_kill (GPid pid);

/* Reads one line (without the newline) from @fd, waiting at most @timeout_ms.
 * Returns NULL on timeout or EOF. */
char *shmv_test_read_line (int fd, int timeout_ms);

/* Reads lines from @fd (logging each) until one contains @needle; FALSE
 * after @timeout_ms or at EOF. */
gboolean shmv_test_wait_for_line (int fd, const char *needle, int timeout_ms);

/* Waits up to @timeout_ms for @pid to end; returns its wait status, or -1
 * if it is still running then (it is left running). */
int shmv_test_wait_timeout (GPid pid, int timeout_ms);

/* Asserts that the next line read from @fd within @timeout_ms is @expected. */
void shmv_test_expect_line (int fd, const char *expected, int timeout_ms);

/* Whether /dev/shm holds an object whose name contains @native_key
 * (without its leading slash). */
gboolean shmv_test_shm_exists (const char *native_key);
