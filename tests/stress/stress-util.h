/* stress-util.h: what every long reliability test needs
 *
 * Frames carry a pattern that names the frame (its seed) in every 64-bit
 * word, so a frame stitched from two publishes is caught even when its
 * checksum happens to verify. Children are plain fork()s that die with the
 * test (PR_SET_PDEATHSIG), and every channel a test makes is registered, so
 * that a failing assertion (SIGABRT) or meson's timeout (SIGTERM) still
 * removes its segment and its lock: nothing is left behind on any path.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <shmview/shmview.h>

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Fills @bytes (a multiple of 8) with the pattern of @seed. */
void stress_fill (void *dest, gsize bytes, guint32 seed);

/* Whether @pixels hold one whole pattern; stores its seed. */
gboolean stress_check (const void *pixels, gsize bytes, guint32 *seed);

/* An integer from the environment (@name), or @fallback. */
gint64 stress_env_int (const char *name, gint64 fallback);

/* Records a figure of this run: a TAP comment, and a line
 * "<test> <name> <value>" appended to $SHMV_STRESS_FIGURES if it is set
 * (tests/stress/run-reliability.sh collects them for docs/RELIABILITY.md). */
void stress_figure (const char *test, const char *name, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

/* Microsecond samples: percentiles and maximum. */
typedef struct
{
  GArray *values; /* gint64 */
} StressSamples;

void stress_samples_init (StressSamples *s);
void stress_samples_add (StressSamples *s, gint64 value);
gint64 stress_samples_percentile (StressSamples *s, double p);
gint64 stress_samples_max (StressSamples *s);
void stress_samples_clear (StressSamples *s);

/* Memory shared with forked children (zeroed); unmap with stress_shared_free. */
gpointer stress_shared_new (gsize size);
void stress_shared_free (gpointer mem, gsize size);

/* Forks; the child runs @func (@data) and _exit()s with its result. The
 * child dies with the parent and is killed by stress_cleanup(). */
typedef int (*StressChildFunc) (gpointer data);
pid_t stress_fork (StressChildFunc func, gpointer data);

/* Kills @pid with SIGKILL and reaps it. */
void stress_kill (pid_t pid);

/* Waits for @pid up to @timeout_ms; returns its wait status, or -1 after
 * killing it when it did not exit in time. */
int stress_wait (pid_t pid, int timeout_ms);

/* In a child: stops it (SIGSTOP) when the library reaches its @nth (1 the
 * first) SHMV_TEST_POINT named @point, so that the parent kills it exactly
 * there (shmv-test-point.h). @point must outlive the child's use of it. */
void stress_stop_at (const char *point, int nth);

/* Waits up to @timeout_ms for @pid to stop or end (a bound against hangs,
 * not a timing); returns its wait status (WIFSTOPPED when it stopped), or
 * -1 after killing it when it did neither. */
int stress_wait_stopped (pid_t pid, int timeout_ms);

/* Remembers @key's channel so that an abort or a timeout still removes it;
 * installs the signal handlers on first use. */
void stress_register_key (const char *key);

/* Removes the channel of @key (segment and lock) if it exists. */
void stress_remove_key (const char *key);

/* The System V key of the lock of @key's segment, read from its prefix
 * while it exists; -1 if it does not. */
int stress_lock_key_of (const char *key);

/* Whether the lock semaphore set of System V key @lock_key exists. */
gboolean stress_lock_exists (int lock_key);

/* Whether `ipcs -s` lists @lock_key (the same question, asked as an
 * administrator would; FALSE when ipcs is missing). */
gboolean stress_ipcs_lists (int lock_key);

/* How many System V sets exist at the keys the lock of @key's segment may
 * have, asked of the kernel and of `ipcs -s` (which must agree). */
int stress_count_lock_sets (const char *key);

/* Asserts that neither @key's segment nor its lock @lock_key is left. */
void stress_assert_nothing_left (const char *key, int lock_key);

/* Publishes a @width x @height RGBA8 frame of pattern @seed, alternately
 * copied in (shmv_channel_publish) and written in place
 * (begin/commit_frame), so both paths are exercised. @scratch is a buffer
 * of the frame's size for the copy path. Returns FALSE on failure. */
gboolean
stress_publish (ShmvChannel *ch, guint32 width, guint32 height, guint32 seed, void *scratch);

/* Whether the process runs with an effective uid of 0. */
gboolean stress_is_root (void);

/* Whether AddressSanitizer is compiled in (rlimits on address space do not
 * mix with its shadow memory). */
gboolean stress_under_asan (void);

/* Resident memory of @pid from /proc/PID/status, in KiB: @field is
 * "VmRSS", "RssAnon", "RssShmem"...; -1 if unknown. */
gint64 stress_rss_kib (pid_t pid, const char *field);

/* Fails the test, saying which protection did not hold and where to look. */
void stress_protection_failed (const char *what);

/* Kills registered children and removes registered channels. Called at
 * the end of main(), and from the fatal-signal handler. */
void stress_cleanup (void);

G_END_DECLS
