/* shmv-test-process.h: running other programs and forked children from tests
 *
 * Every child started here speaks English (LC_ALL=C.UTF-8, no LANGUAGE), so
 * that tests can compare its messages, prints the debug messages of the
 * domains it is given and no others, and dies with the test (a failed
 * assertion must not leave a child holding a channel, or meson waiting).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Runs @argv (NULL-terminated) to completion with G_MESSAGES_DEBUG set to
 * @debug_domains (NULL: unset); returns its wait status. Its standard
 * output and error are always captured (inherited, they would corrupt TAP)
 * and stored in @out and @err when not NULL (what they held, NULL or owned,
 * is freed first). */
int shmv_test_run (const char *const *argv, const char *debug_domains, char **out, char **err);

/* Starts @argv in the background, as shmv_test_run() would; its standard
 * output and error are pipes when @stdout_fd and @stderr_fd are not NULL.
 * Returns the pid, to be waited for. */
GPid shmv_test_spawn (const char *const *argv,
                      const char *debug_domains,
                      int *stdout_fd,
                      int *stderr_fd);

/* Forks a child that runs @body (@key, the write end of a pipe to the
 * parent) and exits with what it returns; *@read_fd (if not NULL) gets the
 * read end. For children that must be real processes: kill -9, locks. */
GPid shmv_test_fork (int (*body) (const char *key, int fd), const char *key, int *read_fd);

/* Waits for @pid to end; returns its wait status. */
int shmv_test_wait (GPid pid);

/* Waits up to @timeout_ms for @pid to end; returns its wait status, or -1
 * if it is still running then (it is left running). */
int shmv_test_wait_timeout (GPid pid, int timeout_ms);

/* Waits up to @timeout_ms for @pid to exit; returns its exit status, or -1
 * if a signal killed it or it did not exit in time (then it is killed). */
int shmv_test_wait_exit (GPid pid, int timeout_ms);

/* Whether @pid (a child of ours) is still running. */
gboolean shmv_test_pid_alive (GPid pid);

/* The state letter of thread @tid of process @pid (@pid itself: its main
 * thread) as /proc shows it: 'S' sleeping, 'R' running, 'Z' ended, ... '?'
 * when gone. */
char shmv_test_task_state (pid_t pid, pid_t tid);

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

/* Asserts that the next line read from @fd within @timeout_ms is @expected. */
void shmv_test_expect_line (int fd, const char *expected, int timeout_ms);

G_END_DECLS
