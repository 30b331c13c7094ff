/* test-soak.c: one 4K writer flat out, sixteen readers, for a minute
 *
 * Scenario 7 of docs/RELIABILITY.md. A writer process publishes 3840 x 2160
 * RGBA8 frames (33 MB) as fast as it can, every frame a different pattern;
 * sixteen reader processes sleep on the futex, read each new frame, verify
 * every 64-bit word and check that generations only go up. Resident memory
 * of every process is sampled after a warm-up and at the end.
 * SHMV_SOAK_SECONDS sets the duration (default 60), SHMV_SOAK_READERS the
 * number of readers (16).
 *
 * What it proves, and what breaks it: the seqlock and the lock fallback
 * under heavy contention (a reader that keeps losing takes the lock: remove
 * it and readers fail with "kept changing"), buffer reuse (a realloc per
 * frame shows as RSS growth and time), and the futex wake-up of every
 * waiter (INT_MAX; wake one and most readers time out).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-test-util.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WIDTH       3840
#define HEIGHT      2160
#define FRAME_BYTES ((gsize) WIDTH * HEIGHT * 4)
#define MAX_READERS 64
/* Allowed growth of a process's resident memory between the samples. */
#define RSS_SLACK_KIB 4096

typedef struct
{
  guint64 reads;
  guint64 torn;
  guint64 errors;
  guint64 not_increasing;
  guint64 wait_timeouts;
  char last_error[256];
} ReaderStats;

typedef struct
{
  volatile gint stop;
  volatile gint ready;
  guint64 published;
  guint64 publish_errors;
  ReaderStats readers[MAX_READERS];
} Shared;

typedef struct
{
  const char *key;
  Shared *shared;
  int index;
} Child;

static int
writer_main (gpointer data)
{
  Child *child = data;
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer scratch = g_malloc (FRAME_BYTES);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    return 1;
  for (guint32 seed = 1; !g_atomic_int_get (&child->shared->stop); seed++)
    if (stress_publish (ch, WIDTH, HEIGHT, seed, scratch))
      child->shared->published++;
    else
      child->shared->publish_errors++;
  shmv_channel_free (ch);
  g_free (scratch);
  return 0;
}

static void
read_next (ShmvChannel *ch, ReaderStats *stats, gpointer *buf, gsize *cap, guint32 *last)
{
  ShmvFrameInfo info;

  if (!shmv_channel_wait (ch, *last, 1000))
    {
      stats->wait_timeouts++;
      return;
    }
  if (!shmv_channel_read (ch, buf, cap, &info))
    {
      stats->errors++;
      g_strlcpy (stats->last_error, shmv_channel_error_string (ch), sizeof stats->last_error);
      return;
    }
  stats->reads++;
  if (!stress_check (*buf, (gsize) info.stride * info.height, NULL))
    stats->torn++;
  if (info.generation <= *last)
    stats->not_increasing++;
  *last = info.generation;
}

static int
reader_main (gpointer data)
{
  Child *child = data;
  ReaderStats *stats = &child->shared->readers[child->index];
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer buf = NULL;
  gsize cap = 0;
  guint32 last = 0;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 5000))
    return 1;
  g_atomic_int_inc (&child->shared->ready);
  while (!g_atomic_int_get (&child->shared->stop))
    read_next (ch, stats, &buf, &cap, &last);
  g_free (buf);
  shmv_channel_free (ch);
  return 0;
}

typedef struct
{
  gint64 anon;
  gint64 total;
} Rss;

static void
sample_rss (const pid_t *pids, int n, Rss *rss)
{
  for (int i = 0; i < n; i++)
    {
      rss[i].anon = stress_rss_kib (pids[i], "RssAnon");
      rss[i].total = stress_rss_kib (pids[i], "VmRSS");
      g_assert_cmpint (rss[i].anon, >, 0);
    }
}

/* Every process: anonymous memory (buffers) and all resident memory. */
static void
check_rss (const Rss *start, const Rss *end, int n)
{
  gint64 worst_anon = G_MININT64, worst_total = G_MININT64, sum_start = 0, sum_end = 0;

  for (int i = 0; i < n; i++)
    {
      worst_anon = MAX (worst_anon, end[i].anon - start[i].anon);
      worst_total = MAX (worst_total, end[i].total - start[i].total);
      sum_start += start[i].total;
      sum_end += end[i].total;
    }
  stress_figure ("soak", "rss_total_start_kib", "%" G_GINT64_FORMAT, sum_start);
  stress_figure ("soak", "rss_total_end_kib", "%" G_GINT64_FORMAT, sum_end);
  stress_figure ("soak", "rss_worst_anon_growth_kib", "%" G_GINT64_FORMAT, worst_anon);
  stress_figure ("soak", "rss_worst_total_growth_kib", "%" G_GINT64_FORMAT, worst_total);
  g_assert_cmpint (worst_anon, <=, RSS_SLACK_KIB);
  g_assert_cmpint (worst_total, <=, RSS_SLACK_KIB);
}

/* Until every place a frame can go has been written and read (the first
 * touch of a shared page counts in RSS), and at least until @not_before.
 * Measuring before would count that first touch as growth: a loaded
 * machine warms up later, never less. Returns when it was warm. */
static gint64
warm_up (Shared *shared, int n_readers, gint64 not_before)
{
  gint64 hang = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean warm = shared->published >= 2 * 3;

      for (int i = 0; i < n_readers && warm; i++)
        warm = shared->readers[i].reads >= 3;
      if (warm && now >= not_before)
        return now;
      if (now >= hang)
        g_error ("not warm after 300 s: the writer or a reader is stuck");
      g_usleep (50000);
    }
}

static void
report (Shared *shared, int n_readers, int seconds, guint64 published_warm)
{
  ReaderStats sum = { 0 };
  guint64 least = G_MAXUINT64;

  for (int i = 0; i < n_readers; i++)
    {
      ReaderStats *r = &shared->readers[i];

      if (r->errors > 0)
        g_test_message ("reader %d: %s", i, r->last_error);
      sum.reads += r->reads;
      sum.torn += r->torn;
      sum.errors += r->errors;
      sum.not_increasing += r->not_increasing;
      least = MIN (least, r->reads);
    }
  stress_figure ("soak", "seconds", "%d", seconds);
  stress_figure ("soak", "readers", "%d", n_readers);
  stress_figure ("soak", "frames_published", "%" G_GUINT64_FORMAT, shared->published);
  stress_figure ("soak", "publish_rate_fps", "%.1f", (double) shared->published / seconds);
  stress_figure ("soak", "frames_checked", "%" G_GUINT64_FORMAT, sum.reads);
  stress_figure ("soak", "gigabytes_verified", "%.1f", (double) sum.reads * FRAME_BYTES / 1e9);
  stress_figure ("soak", "fewest_frames_one_reader", "%" G_GUINT64_FORMAT, least);
  stress_figure ("soak", "torn_accepted", "%" G_GUINT64_FORMAT, sum.torn);
  stress_figure ("soak", "read_errors", "%" G_GUINT64_FORMAT, sum.errors);
  stress_figure ("soak", "publish_errors", "%" G_GUINT64_FORMAT, shared->publish_errors);
  stress_figure ("soak", "generation_not_increasing", "%" G_GUINT64_FORMAT, sum.not_increasing);

  g_assert_cmpuint (shared->publish_errors, ==, 0);
  g_assert_cmpuint (sum.errors, ==, 0);
  g_assert_cmpuint (sum.torn, ==, 0);
  g_assert_cmpuint (sum.not_increasing, ==, 0);
  /* Progress while measured (every reader read during the warm-up). */
  g_assert_cmpuint (shared->published, >, published_warm);
  g_assert_cmpuint (least, >, 0);
}

static void
test_soak (void)
{
  g_autofree char *key = shmv_test_unique_key ("soak");
  int seconds = (int) stress_env_int ("SHMV_SOAK_SECONDS", 60);
  int n_readers = (int) stress_env_int ("SHMV_SOAK_READERS", 16);
  int warmup = MAX (1, MIN (5, seconds / 6));
  Shared *shared = stress_shared_new (sizeof (Shared));
  Child children[MAX_READERS + 1];
  pid_t pids[MAX_READERS + 1];
  Rss start[MAX_READERS + 1], end[MAX_READERS + 1];
  ShmvChannel *keeper;
  gint64 started, warm, end_at;
  guint64 published_warm;
  int lock_key;

  g_assert_cmpint (n_readers, >, 0);
  g_assert_cmpint (n_readers, <=, MAX_READERS);
  stress_register_key (key);
  keeper =
      shmv_test_open_channel (key, SHMV_CHANNEL_WRITER); /* makes the channel, never publishes */
  lock_key = stress_lock_key_of (key);
  for (int i = 0; i < n_readers; i++)
    {
      children[i] = (Child){ key, shared, i };
      pids[i] = stress_fork (reader_main, &children[i]);
    }
  while (g_atomic_int_get (&shared->ready) < n_readers)
    g_usleep (1000);
  children[n_readers] = (Child){ key, shared, -1 };
  pids[n_readers] = stress_fork (writer_main, &children[n_readers]);

  started = g_get_monotonic_time ();
  warm = warm_up (shared, n_readers, started + (gint64) warmup * G_USEC_PER_SEC);
  sample_rss (pids, n_readers + 1, start);
  published_warm = shared->published;
  /* At least what the duration leaves after the warm-up, however late. */
  end_at = MAX (started + (gint64) seconds * G_USEC_PER_SEC,
                warm + (gint64) (seconds - warmup) * G_USEC_PER_SEC);
  g_usleep ((gulong) MAX (0, end_at - g_get_monotonic_time ()));
  sample_rss (pids, n_readers + 1, end);
  g_atomic_int_set (&shared->stop, 1);
  for (int i = 0; i <= n_readers; i++)
    {
      int status = stress_wait (pids[i], 10000);

      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  report (shared, n_readers, seconds, published_warm);
  check_rss (start, end, n_readers + 1);

  shmv_channel_free (keeper);
  stress_assert_nothing_left (key, lock_key);
  stress_shared_free (shared, sizeof (Shared));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/soak/4k-writer-16-readers", test_soak);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
