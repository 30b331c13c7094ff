/* test-crash-storm.c: writers killed with SIGKILL, hundreds of times in a row
 *
 * Scenario 1 of docs/RELIABILITY.md. A writer process publishes without a
 * pause while reader processes read and verify every frame (the library's
 * checksum, then the pattern of every 64-bit word); the test kills the
 * writer, measures how soon the lock is free again and how soon a
 * restarted writer's frame is on the same key, and starts over. Kills land at
 * random moments, and, so that every window is covered in every run however
 * loaded the machine, also exactly at the library's test points
 * (shmv-test-point.h): the child stops itself there and the parent kills it.
 *
 * What it proves, and what breaks it:
 * - no torn or corrupt frame is ever accepted: `front` moves only after a
 *   slot is complete, readers re-check the slot's sequence number, and the
 *   checksum catches the rest (remove the seq re-check in try_snapshot and
 *   readers see CORRUPT frames or torn pixels);
 * - the lock of a dead holder is free at once (SEM_UNDO): with a lock
 *   without undo, the next locker waits for ever and the bound against hangs fails;
 * - nothing is left behind (OFD-lock user counting): the last detach
 *   removes segment and lock even though every writer died without closing.
 *
 * The leasing storm turns it around: a writer publishes without a pause while
 * readers that lease frames (and keep up to LEASES_KEPT of them) are killed,
 * at random or stopped exactly between their lease and its verification. No
 * leased frame is ever torn or fails verification, the writer never fails a
 * publish, and at the end no slot stays leased: the kernel dropped every dead
 * reader's locks (make the writer skip its claim in pick_slot and torn
 * frames show up; count leases in memory instead of OFD locks and slots stay
 * pinned).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-channel-layout.h"
#include "shmv-names.h"
#include "shmv-ofd.h"
#include "shmv-segment-private.h"
#include "shmv-test-point.h"
#include "shmv-test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WIDTH       1024
#define HEIGHT      512
#define FRAME_BYTES ((gsize) WIDTH * HEIGHT * 4)
#define N_READERS   2
/* Only against hangs: a loaded machine may be slow, never wrong. */
#define HANG_MS 30000

typedef struct
{
  guint64 reads;       /* frames accepted and verified */
  guint64 distinct;    /* different generations among them */
  guint64 torn;        /* accepted, but the pattern is broken */
  guint64 corrupt;     /* refused with SHMV_ERROR_CORRUPT */
  guint64 errors;      /* refused for any other reason */
  guint64 regressions; /* a generation older than the one before */
  gint last_error;
  char last_message[256];
} ReaderStats;

typedef struct
{
  volatile gint stop;
  volatile gint readers_ready;
  volatile gint open_failures;
  volatile gint stage; /* of the short-lived writer, see Stage */
  ReaderStats readers[N_READERS];
} Shared;

typedef struct
{
  const char *key;
  Shared *shared;
  int index;
  guint32 first_seed;
  const char *stop_point; /* where to stop itself (stress_stop_at), or NULL */
  int stop_nth;
} Child;

static void
stop_if_asked (const Child *child)
{
  if (child->stop_point != NULL)
    stress_stop_at (child->stop_point, child->stop_nth);
}

static void
record_error (ReaderStats *stats, ShmvChannel *ch)
{
  if (shmv_channel_error (ch) == SHMV_ERROR_CORRUPT)
    stats->corrupt++;
  else
    stats->errors++;
  stats->last_error = shmv_channel_error (ch);
  g_strlcpy (stats->last_message, shmv_channel_error_string (ch), sizeof stats->last_message);
}

static void
check_frame (ReaderStats *stats, const void *pixels, const ShmvFrameInfo *info, guint32 *last)
{
  stats->reads++;
  if (!stress_check (pixels, (gsize) info->stride * info->height, NULL))
    stats->torn++;
  if (info->generation < *last)
    stats->regressions++;
  if (info->generation != *last)
    stats->distinct++;
  *last = info->generation;
}

/* Reads every frame it can until told to stop; sleeps on the futex when
 * there is nothing new (the writer is dead or between frames). */
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
  g_atomic_int_inc (&child->shared->readers_ready);
  while (!g_atomic_int_get (&child->shared->stop))
    {
      ShmvFrameInfo info;

      if (shmv_channel_read (ch, &buf, &cap, &info))
        check_frame (stats, buf, &info, &last);
      else if (shmv_channel_error (ch) != SHMV_ERROR_NO_FRAME)
        record_error (stats, ch);
      shmv_channel_wait (ch, last, 20);
    }
  g_free (buf);
  shmv_channel_free (ch);
  return 0;
}

/* Publishes for ever (until killed). */
static int
writer_main (gpointer data)
{
  Child *child = data;
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer scratch = g_malloc (FRAME_BYTES);

  stop_if_asked (child);
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    {
      g_atomic_int_inc (&child->shared->open_failures);
      return 1;
    }
  for (guint32 i = 0;; i++)
    if (!stress_publish (ch, WIDTH, HEIGHT, child->first_seed + i, scratch))
      return 2;
}

static void
start_readers (Child *readers, pid_t *pids)
{
  for (int i = 0; i < N_READERS; i++)
    pids[i] = stress_fork (reader_main, &readers[i]);
  while (g_atomic_int_get (&readers[0].shared->readers_ready) < N_READERS)
    g_usleep (1000);
}

static void
stop_readers (Shared *shared, const pid_t *pids)
{
  g_atomic_int_set (&shared->stop, 1);
  for (int i = 0; i < N_READERS; i++)
    {
      int status = stress_wait (pids[i], 10000);

      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
}

/* Waits until the channel's generation moves past @before; the time it
 * took, or -1 after HANG_MS. */
static gint64
wait_for_frame (ShmvChannel *watch, guint32 before, gint64 since)
{
  while (shmv_channel_generation (watch) == before)
    {
      gint64 left_ms = HANG_MS - (g_get_monotonic_time () - since) / 1000;

      if (left_ms <= 0)
        return -1;
      shmv_channel_wait (watch, before, (int) left_ms);
    }
  return g_get_monotonic_time () - since;
}

typedef struct
{
  StressSamples lock_us;
  StressSamples takeover_us;
  gint64 last_kill; /* monotonic time of the previous kill, 0 before the first */
  int kills;
  int kills_in_lock; /* stopped inside the lock before the kill */
  int died_holding_lock;
} StormFigures;

/* Where the storm's writer stops itself in every other round: inside the
 * lock, with a frame half made (pixels written, not yet announced). */
#define STORM_STOP_POINT "publish:filled"

/* One round: a writer starts (resuming the key after the previous kill),
 * publishes, and is killed: in odd rounds after a random while, in even
 * rounds stopped inside the lock in its second to fourth publish, so that
 * kills of a lock holder happen in every run. The lock must then be free,
 * and the next round's writer must have a frame out (figures: how soon). */
static void
storm_round (
    Child *writer, ShmvChannel *watch, ShmvSegment *probe, GRand *rand, StormFigures *f, int round)
{
  guint32 before = shmv_channel_generation (watch);
  gint64 since = f->last_kill != 0 ? f->last_kill : g_get_monotonic_time ();
  gboolean in_lock = round % 2 == 0;
  gint64 killed_at, took;
  pid_t pid;
  int status;

  writer->first_seed += 1000000;
  writer->stop_point = in_lock ? STORM_STOP_POINT : NULL;
  writer->stop_nth = 2 + round / 2 % 3;
  pid = stress_fork (writer_main, writer);
  took = wait_for_frame (watch, before, since);
  g_assert_cmpint (took, >=, 0);
  if (f->last_kill != 0)
    stress_samples_add (&f->takeover_us, took);
  if (in_lock)
    {
      g_assert_true (WIFSTOPPED (stress_wait_stopped (pid, HANG_MS)));
      f->kills_in_lock++;
    }
  else
    g_usleep ((gulong) g_rand_int_range (rand, 0, 20000));

  killed_at = g_get_monotonic_time ();
  kill (pid, SIGKILL);
  /* The kernel undoes a dead holder's lock as it exits: time it. */
  g_assert_true (shmv_segment_try_lock (probe, HANG_MS));
  stress_samples_add (&f->lock_us, g_get_monotonic_time () - killed_at);
  f->died_holding_lock += shmv_segment_lock_owner_died (probe);
  g_assert_true (!in_lock || shmv_segment_lock_owner_died (probe));
  g_assert_true (shmv_segment_unlock (probe));
  status = stress_wait (pid, 5000);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  f->kills++;
  f->last_kill = killed_at;
}

static void
report_storm (StormFigures *f, Shared *shared, guint32 generation)
{
  ReaderStats sum = { 0 };
  const char *t = "crash-storm";

  for (int i = 0; i < N_READERS; i++)
    {
      ReaderStats *r = &shared->readers[i];

      if (r->errors + r->corrupt > 0)
        g_test_message ("reader %d: last error %d: %s", i, r->last_error, r->last_message);
      sum.reads += r->reads;
      sum.distinct += r->distinct;
      sum.torn += r->torn;
      sum.corrupt += r->corrupt;
      sum.errors += r->errors;
      sum.regressions += r->regressions;
    }
  stress_figure (t, "kills", "%d", f->kills);
  stress_figure (t, "kills_stopped_in_lock", "%d", f->kills_in_lock);
  stress_figure (t, "kills_while_holding_lock", "%d", f->died_holding_lock);
  stress_figure (t, "frames_published", "%u", generation);
  stress_figure (t, "frames_checked", "%" G_GUINT64_FORMAT, sum.reads);
  stress_figure (t, "torn_accepted", "%" G_GUINT64_FORMAT, sum.torn);
  stress_figure (t, "corrupt_refused", "%" G_GUINT64_FORMAT, sum.corrupt);
  stress_figure (t, "other_errors", "%" G_GUINT64_FORMAT, sum.errors);
  stress_figure (t, "generation_regressions", "%" G_GUINT64_FORMAT, sum.regressions);
  stress_figure (t, "lock_recovery_p50_us", "%" G_GINT64_FORMAT,
                 stress_samples_percentile (&f->lock_us, 50));
  stress_figure (t, "lock_recovery_max_us", "%" G_GINT64_FORMAT, stress_samples_max (&f->lock_us));
  stress_figure (t, "takeover_p50_us", "%" G_GINT64_FORMAT,
                 stress_samples_percentile (&f->takeover_us, 50));
  stress_figure (t, "takeover_max_us", "%" G_GINT64_FORMAT, stress_samples_max (&f->takeover_us));

  g_assert_cmpuint (sum.torn, ==, 0);
  g_assert_cmpuint (sum.corrupt, ==, 0);
  g_assert_cmpuint (sum.errors, ==, 0);
  g_assert_cmpuint (sum.regressions, ==, 0);
  g_assert_cmpuint (sum.distinct, >=, (guint64) f->kills);
  /* Kills must land mid-publish, or the test proves little: half of them
   * do by construction, whatever the machine's load. */
  g_assert_cmpint (f->kills_in_lock, >=, f->kills / 2);
  g_assert_cmpint (f->died_holding_lock, >=, f->kills_in_lock);
}

static void
test_writer_killed_storm (void)
{
  g_autofree char *key = shmv_test_unique_key ("crash-storm");
  int n_kills = (int) stress_env_int ("SHMV_STRESS_KILLS", 300);
  Shared *shared = stress_shared_new (sizeof (Shared));
  Child readers[N_READERS], writer = { key, shared, 0, 1, NULL, 0 };
  pid_t reader_pids[N_READERS];
  ShmvChannel *keeper, *watch;
  ShmvSegment *probe = shmv_segment_new (key);
  GRand *rand = g_rand_new_with_seed (20261122);
  StormFigures f = { 0 };
  guint32 generation;
  int lock_key;

  stress_register_key (key);
  stress_samples_init (&f.lock_us);
  stress_samples_init (&f.takeover_us);
  /* The keeper only makes the channel; it never publishes. */
  keeper = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  watch = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_segment_attach (probe, SHMV_ACCESS_READ_WRITE));
  lock_key = stress_lock_key_of (key);
  g_assert_cmpint (lock_key, !=, -1);
  shmv_channel_free (keeper);
  for (int i = 0; i < N_READERS; i++)
    readers[i] = (Child){ key, shared, i, 0, NULL, 0 };
  start_readers (readers, reader_pids);

  for (int i = 0; i < n_kills; i++)
    storm_round (&writer, watch, probe, rand, &f, i);

  stop_readers (shared, reader_pids);
  generation = shmv_channel_generation (watch);
  g_assert_cmpint (shared->open_failures, ==, 0);
  report_storm (&f, shared, generation);

  /* Every writer died without closing; the last user still removes it all. */
  shmv_segment_free (probe);
  shmv_channel_free (watch);
  stress_assert_nothing_left (key, lock_key);
  stress_samples_clear (&f.lock_us);
  stress_samples_clear (&f.takeover_us);
  g_rand_free (rand);
  stress_shared_free (shared, sizeof (Shared));
}

/* Where a short-lived writer was when it was killed. */
typedef enum
{
  STAGE_STARTED,
  STAGE_OPENING,
  STAGE_PUBLISHING,
  STAGE_CLOSING,
  STAGE_CLOSED,
  N_STAGES
} Stage;

static const char *const stage_names[N_STAGES] = {
  "killed_before_open", "killed_in_open", "killed_in_publish", "killed_in_close", "exited",
};

/* A writer that opens, publishes a few frames (three when it is to stop at a
 * test point) and closes, unless it is killed first: kills then land in
 * create, in the prefix and header set-up, in publish and in detach, with no
 * other user to keep the channel. */
static int
short_writer_main (gpointer data)
{
  Child *child = data;
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer scratch = g_malloc (FRAME_BYTES);
  guint32 frames = child->stop_point != NULL ? 3 : child->first_seed % 4;

  stop_if_asked (child);
  g_atomic_int_set (&child->shared->stage, STAGE_OPENING);
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    {
      g_atomic_int_inc (&child->shared->open_failures);
      return 1;
    }
  g_atomic_int_set (&child->shared->stage, STAGE_PUBLISHING);
  for (guint32 i = 0; i < frames; i++)
    if (!stress_publish (ch, WIDTH, HEIGHT, child->first_seed + i, scratch))
      return 2;
  g_atomic_int_set (&child->shared->stage, STAGE_CLOSING);
  shmv_channel_free (ch);
  g_atomic_int_set (&child->shared->stage, STAGE_CLOSED);
  g_free (scratch);
  return 0;
}

/* A creator killed between its O_EXCL create and the end of its set-up
 * leaves a file without a complete prefix under the name. */
static gboolean
left_incomplete (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  ShmvSegmentPrefix prefix;
  gboolean incomplete = FALSE;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  shmv_segment_free (seg);
  if (fd < 0)
    return FALSE;
  incomplete = pread (fd, &prefix, sizeof prefix, 0) != (ssize_t) sizeof prefix ||
               memcmp (prefix.magic, SHMV_SEGMENT_MAGIC, sizeof prefix.magic) != 0;
  close (fd);
  return incomplete;
}

static const char incomplete_slow[] =
    "shmv-segment.c: an incomplete file under the segment's name (no prefix, nobody holding "
    "it) must not be waited for: segments are created complete, under a temporary name, and "
    "linked into place, so such a file is a wreck and is reclaimed at once";

static int lock_waits;

static void
count_lock_waits (const char *point)
{
  if (strcmp (point, "ofd:waiting") == 0)
    lock_waits++;
}

/* Opening @key as @role must not wait for a lock: nobody alive holds one
 * (how long it took is a figure, not a bound); returns the handle. */
static ShmvChannel *
open_without_waiting (const char *key, ShmvChannelRole role, gboolean incomplete, gint64 *took)
{
  gint64 start = g_get_monotonic_time ();
  ShmvChannel *ch = shmv_channel_new (key);
  gboolean ok;

  lock_waits = 0;
  shmv_test_point_hook = count_lock_waits;
  ok = shmv_channel_open (ch, role, 0);
  shmv_test_point_hook = NULL;
  *took = g_get_monotonic_time () - start;
  g_test_message ("open as %s took %" G_GINT64_FORMAT " us, %d lock waits%s",
                  role == SHMV_CHANNEL_WRITER ? "writer" : "reader", *took, lock_waits,
                  incomplete ? " (an incomplete segment was there)" : "");
  if (lock_waits > 0 && incomplete)
    {
      stress_protection_failed (incomplete_slow);
      return ch;
    }
  g_assert_cmpint (lock_waits, ==, 0);
  g_assert_true (ok || role == SHMV_CHANNEL_READER);
  return ch;
}

/* After the storm, a writer opens at once, and a reader verifies its frame. */
static void
check_key_recovers (const char *key)
{
  gboolean incomplete = left_incomplete (key);
  ShmvChannel *writer, *reader;
  gpointer scratch = g_malloc (FRAME_BYTES), buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;
  guint32 seed;
  gint64 took;

  writer = open_without_waiting (key, SHMV_CHANNEL_WRITER, incomplete, &took);
  stress_figure ("kill-during-open", "reopen_after_storm_us", "%" G_GINT64_FORMAT, took);
  g_assert_true (shmv_channel_is_open (writer));
  g_assert_true (stress_publish (writer, WIDTH, HEIGHT, 42, scratch));
  reader = shmv_test_open_channel (key, SHMV_CHANNEL_READER);
  g_assert_true (shmv_channel_read (reader, &buf, &cap, &info));
  g_assert_true (stress_check (buf, FRAME_BYTES, &seed));
  g_assert_cmpuint (seed, ==, 42);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
  g_free (buf);
  g_free (scratch);
}

static int
create_and_die_main (gpointer data)
{
  /* What a writer killed right after shm_open(O_CREAT | O_EXCL) leaves. */
  return shm_open (data, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600) < 0;
}

static void
test_creator_killed_before_lock (void)
{
  g_autofree char *key = shmv_test_unique_key ("crash-create");
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *native = g_strdup (shmv_segment_native_key (seg));
  ShmvChannel *reader, *writer;
  gint64 took;

  stress_register_key (key);
  g_assert_cmpint (stress_wait (stress_fork (create_and_die_main, native), 5000), ==, 0);
  g_assert_true (left_incomplete (key));
  /* A reader: nothing to read, and it must say so soon. */
  reader = open_without_waiting (key, SHMV_CHANNEL_READER, TRUE, &took);
  stress_figure ("kill-during-open", "reader_open_after_dead_creator_us", "%" G_GINT64_FORMAT,
                 took);
  g_assert_false (shmv_channel_is_open (reader));
  g_assert_cmpint (shmv_channel_error (reader), ==, SHMV_ERROR_NOT_FOUND);
  /* A writer reclaims the name and goes on. */
  writer = open_without_waiting (key, SHMV_CHANNEL_WRITER, TRUE, &took);
  stress_figure ("kill-during-open", "writer_open_after_dead_creator_us", "%" G_GINT64_FORMAT,
                 took);
  g_assert_true (shmv_channel_is_open (writer));
  shmv_channel_free (writer);
  shmv_channel_free (reader);
  shmv_segment_free (seg);
  stress_assert_nothing_left (key, -1);
}

/* The windows of open, publish and close where a kill must leave nothing a
 * later writer cannot recover from (shmv-test-point.h), and what must be
 * under the name for a writer to pass through each. */
typedef enum
{
  NEEDS_ANYTHING,
  NEEDS_NOTHING, /* a writer creates only when the name is free */
  NEEDS_WRECK,   /* and attaches only when a segment is there */
} Needs;

static const struct
{
  const char *point;
  Needs needs;
} kill_points[] = {
  { "create:nameless", NEEDS_NOTHING },      { "create:lock-made", NEEDS_NOTHING },
  { "create:complete", NEEDS_NOTHING },      { "create:named", NEEDS_NOTHING },
  { "attach:opened", NEEDS_WRECK },          { "attach:registered", NEEDS_WRECK },
  { "publish:locked", NEEDS_ANYTHING },      { "publish:filled", NEEDS_ANYTHING },
  { "publish:announced", NEEDS_ANYTHING },   { "detach:unregistered", NEEDS_ANYTHING },
  { "remove:lock-removed", NEEDS_ANYTHING },
};
#define N_KILL_POINTS G_N_ELEMENTS (kill_points)

static gboolean
name_taken (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));

  shmv_segment_free (seg);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Runs a short writer, stopped at its @nth pass through @point and killed
 * there (@point NULL: runs it to its end); FALSE when it never got there. */
static gboolean
run_short_writer (Child *writer, const char *point, int nth)
{
  pid_t pid;
  int status;

  writer->stop_point = point;
  writer->stop_nth = nth;
  pid = stress_fork (short_writer_main, writer);
  status = stress_wait_stopped (pid, HANG_MS);
  if (status != -1 && WIFSTOPPED (status))
    {
      stress_kill (pid);
      return TRUE;
    }
  g_assert_true (status != -1 && WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return point == NULL;
}

/* Leaves under the name what a writer needs to pass through @needs: a
 * closing writer removes a wreck, one killed after a frame leaves one. */
static void
prepare (Child *writer, Needs needs)
{
  gboolean taken = name_taken (writer->key);

  if (needs == NEEDS_NOTHING && taken)
    g_assert_true (run_short_writer (writer, NULL, 0));
  else if (needs == NEEDS_WRECK && !taken)
    g_assert_true (run_short_writer (writer, "publish:announced", 1));
  g_assert_true (needs == NEEDS_ANYTHING || name_taken (writer->key) == (needs == NEEDS_WRECK));
}

/* A kill at every test point in turn: each is covered in every run. */
static void
kill_at_point (Child *writer, int round, int *kills_at)
{
  guint p = (guint) round % N_KILL_POINTS;
  /* In the first, second or third publish. */
  int nth = g_str_has_prefix (kill_points[p].point, "publish:") ? 1 + round % 3 : 1;

  prepare (writer, kill_points[p].needs);
  if (!run_short_writer (writer, kill_points[p].point, nth))
    g_error ("the writer never passed through %s", kill_points[p].point);
  kills_at[p]++;
}

/* A kill after a random while, wherever it lands (figures only). */
static void
kill_at_random (Child *writer, GRand *rand, int *stages)
{
  pid_t pid;
  int status;

  writer->stop_point = NULL;
  g_atomic_int_set (&writer->shared->stage, STAGE_STARTED);
  pid = stress_fork (short_writer_main, writer);
  g_usleep ((gulong) g_rand_int_range (rand, 0, g_rand_boolean (rand) ? 800 : 5000));
  kill (pid, SIGKILL);
  status = stress_wait (pid, HANG_MS);
  g_assert_true (WIFSIGNALED (status) || WEXITSTATUS (status) == 0);
  stages[g_atomic_int_get (&writer->shared->stage)]++;
}

static void
test_writer_killed_during_open_and_close (void)
{
  g_autofree char *key = shmv_test_unique_key ("crash-open");
  /* Half at test points (at least one full turn of them), half at random. */
  int n_kills = MAX ((int) stress_env_int ("SHMV_STRESS_KILLS", 300), 2 * (int) N_KILL_POINTS);
  Shared *shared = stress_shared_new (sizeof (Shared));
  Child writer = { key, shared, 0, 0, NULL, 0 };
  GRand *rand = g_rand_new_with_seed (1122);
  ShmvSegment *seg = shmv_segment_new (key);
  int stages[N_STAGES] = { 0 }, kills_at[N_KILL_POINTS] = { 0 }, lock_key;
  key_t first_lock_key = shmv_sysv_key_for (shmv_segment_native_key (seg));

  stress_register_key (key);
  for (int i = 0; i < n_kills; i++)
    {
      writer.first_seed = (guint32) i * 16 + 1;
      if (i % 2 == 0)
        kill_at_point (&writer, i / 2, kills_at);
      else
        kill_at_random (&writer, rand, stages);
    }
  stress_figure ("kill-during-open", "rounds", "%d", n_kills);
  for (int s = 0; s < N_STAGES; s++)
    stress_figure ("kill-during-open", stage_names[s], "%d", stages[s]);
  for (guint p = 0; p < N_KILL_POINTS; p++)
    {
      g_autofree char *name = g_strconcat ("killed_at_", kill_points[p].point, NULL);

      g_strdelimit (name, ":-", '_');
      stress_figure ("kill-during-open", name, "%d", kills_at[p]);
      g_assert_cmpint (kills_at[p], >, 0);
    }
  g_assert_cmpint (shared->open_failures, ==, 0);

  check_key_recovers (key);
  lock_key = stress_lock_key_of (key);
  stress_assert_nothing_left (key, lock_key);
  /* A creator killed before it wrote the prefix leaves no lock either. */
  g_assert_false (stress_lock_exists (first_lock_key));
  shmv_segment_free (seg);
  g_rand_free (rand);
  stress_shared_free (shared, sizeof (Shared));
}

/* Leasing storm: readers alive at a time, and frames each keeps leased. */
#define LEASERS     2
#define LEASES_KEPT 3

typedef struct
{
  volatile gint stop;
  volatile gint writer_failures;
  char writer_message[256];
  volatile gint leasers_ready;
  ReaderStats leasers[LEASERS];
} LeaseShared;

typedef struct
{
  const char *key;
  LeaseShared *shared;
  int index;
  guint32 seed;
  gboolean stop_leased; /* stop itself between a lease and its verification */
} Leaser;

/* Publishes until told to stop, counting failures: a slot pinned by a dead
 * reader would make them "every slot is leased by readers". */
static int
lease_writer_main (gpointer data)
{
  Leaser *w = data;
  ShmvChannel *ch = shmv_channel_new (w->key);
  gpointer scratch = g_malloc (FRAME_BYTES);

  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    return 1;
  for (guint32 i = 0; !g_atomic_int_get (&w->shared->stop); i++)
    if (!stress_publish (ch, WIDTH, HEIGHT, w->seed + i, scratch) &&
        g_atomic_int_add (&w->shared->writer_failures, 1) == 0)
      g_strlcpy (w->shared->writer_message, shmv_channel_error_string (ch),
                 sizeof w->shared->writer_message);
  shmv_channel_free (ch);
  g_free (scratch);
  return 0;
}

/* Leases every new frame it can, verifies it in place and checks its
 * pattern, keeping the last LEASES_KEPT frames leased, until killed. */
static int
leaser_main (gpointer data)
{
  Leaser *l = data;
  ReaderStats *stats = &l->shared->leasers[l->index];
  ShmvChannel *ch = shmv_channel_new (l->key);
  ShmvFrame *kept[LEASES_KEPT] = { NULL };
  guint32 last = 0;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 5000))
    return 1;
  if (l->stop_leased)
    stress_stop_at ("acquire:leased", 2 + (int) (l->seed % 4));
  g_atomic_int_inc (&l->shared->leasers_ready);
  for (guint64 n = 0;; n++)
    {
      ShmvFrame *frame = NULL;

      if (shmv_channel_acquire (ch, last, SHMV_ACQUIRE_DEFAULT, 1000, &frame))
        {
          ShmvFrame *old = kept[n % LEASES_KEPT];

          check_frame (stats, shmv_frame_get_pixels (frame), shmv_frame_get_info (frame), &last);
          /* Still whole after several publishes: the writer kept off it. */
          if (old != NULL && !stress_check (shmv_frame_get_pixels (old),
                                            (gsize) shmv_frame_get_info (old)->stride *
                                                shmv_frame_get_info (old)->height,
                                            NULL))
            stats->torn++;
          shmv_frame_release (old);
          kept[n % LEASES_KEPT] = frame;
        }
      else if (shmv_channel_error (ch) != SHMV_ERROR_TIMEOUT)
        record_error (stats, ch);
    }
}

/* Whether any process holds a lease on any slot of the channel @seg. */
static gboolean
any_slot_leased (ShmvSegment *seg)
{
  for (int i = 0; i < SHMV_CHANNEL_MAX_SLOTS; i++)
    if (shmv_ofd_is_held (shmv_segment_fd (seg), SHMV_OFD_LEASE_BYTES + i, F_WRLCK))
      return TRUE;
  return FALSE;
}

static void
test_leasing_readers_killed_storm (void)
{
  g_autofree char *key = shmv_test_unique_key ("lease-storm");
  int n_kills = (int) stress_env_int ("SHMV_STRESS_LEASE_KILLS", 120);
  LeaseShared *shared = stress_shared_new (sizeof (LeaseShared));
  Leaser writer = { key, shared, 0, 1, FALSE };
  ShmvSegment *probe = shmv_segment_new (key);
  ShmvChannel *keeper = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  GRand *rand = g_rand_new_with_seed (20261204);
  pid_t writer_pid, leasers[LEASERS];
  gboolean stops[LEASERS];
  ReaderStats sum = { 0 };
  int kills_leased = 0, lock_key, status;

  stress_register_key (key);
  g_assert_true (shmv_segment_attach (probe, SHMV_ACCESS_READ_WRITE));
  lock_key = stress_lock_key_of (key);
  writer_pid = stress_fork (lease_writer_main, &writer);
  /* Every other leaser of each index stops itself between a lease and its
   * verification, and is killed there; the others die at random. */
  for (int i = 0; i < LEASERS; i++)
    {
      Leaser l = { key, shared, i, (guint32) i, i == 0 };

      stops[i] = l.stop_leased;
      leasers[i] = stress_fork (leaser_main, &l);
    }
  for (int round = 0; round < n_kills; round++)
    {
      int i = round % LEASERS;
      Leaser l = { key, shared, i, (guint32) round + LEASERS, !stops[i] };

      if (stops[i])
        {
          g_assert_true (WIFSTOPPED (stress_wait_stopped (leasers[i], HANG_MS)));
          kills_leased++;
        }
      else
        g_usleep ((gulong) g_rand_int_range (rand, 0, 20000));
      kill (leasers[i], SIGKILL);
      status = stress_wait (leasers[i], 5000);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      stops[i] = l.stop_leased;
      leasers[i] = stress_fork (leaser_main, &l);
    }
  for (int i = 0; i < LEASERS; i++)
    {
      kill (leasers[i], SIGKILL);
      stress_wait (leasers[i], 5000);
    }
  g_atomic_int_set (&shared->stop, 1);
  g_assert_cmpint (WEXITSTATUS (stress_wait (writer_pid, HANG_MS)), ==, 0);

  for (int i = 0; i < LEASERS; i++)
    {
      ReaderStats *r = &shared->leasers[i];

      if (r->errors + r->corrupt > 0)
        g_test_message ("leaser %d: last error %d: %s", i, r->last_error, r->last_message);
      sum.reads += r->reads;
      sum.torn += r->torn;
      sum.corrupt += r->corrupt;
      sum.errors += r->errors;
    }
  if (shared->writer_failures > 0)
    g_test_message ("writer: %s", shared->writer_message);
  stress_figure ("lease-storm", "kills", "%d", n_kills);
  stress_figure ("lease-storm", "kills_between_lease_and_verify", "%d", kills_leased);
  stress_figure ("lease-storm", "frames_leased_and_checked", "%" G_GUINT64_FORMAT, sum.reads);
  stress_figure ("lease-storm", "torn_accepted", "%" G_GUINT64_FORMAT, sum.torn);
  stress_figure ("lease-storm", "publish_failures", "%d", shared->writer_failures);
  g_assert_cmpuint (sum.torn, ==, 0);
  g_assert_cmpuint (sum.corrupt, ==, 0);
  g_assert_cmpuint (sum.errors, ==, 0);
  g_assert_cmpint (shared->writer_failures, ==, 0);
  g_assert_cmpint (kills_leased, >=, n_kills / 2);
  g_assert_cmpuint (sum.reads, >, 0);
  /* Every reader is dead: no slot stays pinned, and the channel says so. */
  g_assert_false (any_slot_leased (probe));

  shmv_segment_free (probe);
  shmv_channel_free (keeper);
  stress_assert_nothing_left (key, lock_key);
  g_rand_free (rand);
  stress_shared_free (shared, sizeof (LeaseShared));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/crash-storm/writer-killed-while-publishing", test_writer_killed_storm);
  g_test_add_func ("/stress/crash-storm/writer-killed-during-open-and-close",
                   test_writer_killed_during_open_and_close);
  g_test_add_func ("/stress/crash-storm/creator-killed-before-its-lock",
                   test_creator_killed_before_lock);
  g_test_add_func ("/stress/crash-storm/leasing-readers-killed", test_leasing_readers_killed_storm);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
