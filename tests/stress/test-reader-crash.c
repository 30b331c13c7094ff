/* test-reader-crash.c: readers killed in the middle of a copy
 *
 * Scenario 2 of docs/RELIABILITY.md. This process publishes Full-HD RGBA
 * frames without a pause and times every publish, while reader processes
 * copy frames and are killed with SIGKILL, then replaced: every other kill at
 * a random moment, the others exactly in the middle of a copy (a reader made
 * for it stops itself at the library's "read:copying" test point, see
 * shmv-test-point.h), so that kills mid-copy and with the lock held happen in
 * every run, however loaded the machine.
 * Most readers take no lock at all; one kind takes the segment lock around
 * its copy, as a reader does after losing the race to the writer four times
 * (try_snapshot's locked attempt), so that kills also land while a reader
 * holds the lock.
 *
 * What it proves, and what breaks it: a reader cannot block the writer.
 * Lock-free readers have nothing to leave behind; a reader that dies holding
 * the lock has it released by the kernel (SEM_UNDO). Take the lock without
 * SEM_UNDO, or make plain readers lock, and a killed reader leaves the lock
 * taken: the next publish fails after the 10 s lock timeout, and the test
 * fails on that publish (the latency figures are figures, not bounds).
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

#define WIDTH       1920
#define HEIGHT      1080
#define FRAME_BYTES ((gsize) WIDTH * HEIGHT * 4)
#define N_READERS   3
/* Only against hangs: a loaded machine may be slow, never wrong. */
#define HANG_MS 30000

typedef struct
{
  volatile gint in_copy;      /* inside shmv_channel_read() now */
  volatile gint holding_lock; /* holds the segment lock now */
  volatile gint ready;
  guint64 reads;
  guint64 torn;
  guint64 errors;
} Slot;

typedef struct
{
  Slot slots[N_READERS];
} Shared;

typedef struct
{
  const char *key;
  Slot *slot;
  gboolean locking;
  int stop_nth; /* stops itself in its nth copy (stress_stop_at), or 0 */
} Reader;

static void
read_one (ShmvChannel *ch, Slot *slot, gpointer *buf, gsize *cap)
{
  ShmvFrameInfo info;
  gboolean ok;

  g_atomic_int_set (&slot->in_copy, 1);
  ok = shmv_channel_read (ch, buf, cap, &info);
  g_atomic_int_set (&slot->in_copy, 0);
  if (!ok)
    {
      slot->errors++;
      return;
    }
  slot->reads++;
  if (!stress_check (*buf, (gsize) info.stride * info.height, NULL))
    slot->torn++;
}

/* Copies frames back to back until killed; a locking reader holds the
 * segment lock around each copy. */
static int
reader_main (gpointer data)
{
  Reader *reader = data;
  ShmvChannel *ch = shmv_channel_new (reader->key);
  ShmvSegment *seg = shmv_segment_new (reader->key);
  gpointer buf = NULL;
  gsize cap = 0;

  if (reader->stop_nth > 0)
    stress_stop_at ("read:copying", reader->stop_nth);
  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 5000) ||
      !shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY))
    return 1;
  g_atomic_int_set (&reader->slot->ready, 1);
  for (;;)
    {
      if (reader->locking)
        {
          if (!shmv_segment_try_lock (seg, 5000))
            return 2;
          g_atomic_int_set (&reader->slot->holding_lock, 1);
        }
      read_one (ch, reader->slot, &buf, &cap);
      if (reader->locking)
        {
          g_atomic_int_set (&reader->slot->holding_lock, 0);
          shmv_segment_unlock (seg);
        }
    }
}

static pid_t
spawn_reader (Reader *reader)
{
  pid_t pid;

  g_atomic_int_set (&reader->slot->ready, 0);
  g_atomic_int_set (&reader->slot->in_copy, 0);
  g_atomic_int_set (&reader->slot->holding_lock, 0);
  pid = stress_fork (reader_main, reader);
  return pid;
}

typedef struct
{
  StressSamples baseline;
  StressSamples latency;
  int kills;
  int stopped; /* of the kills, those of a reader stopped mid-copy */
  int mid_copy;
  int holding_lock;
  guint64 reads;
  guint64 torn;
  guint64 errors;
} Figures;

static void
timed_publish (ShmvChannel *writer, guint32 seed, gpointer scratch, StressSamples *samples)
{
  gint64 start = g_get_monotonic_time ();

  if (!stress_publish (writer, WIDTH, HEIGHT, seed, scratch))
    g_error ("publish failed while readers were killed: %s", shmv_channel_error_string (writer));
  stress_samples_add (samples, g_get_monotonic_time () - start);
}

/* Kills one reader (noting what it was doing) and replaces it: every
 * other time at a random moment, else the replacement made before, which
 * stops itself mid-copy (with the lock held if it is the locking reader) in
 * its first to third copy. A stopped lock holder blocks the writer: it is
 * killed before the next publish. */
static void
kill_a_reader (Reader *readers, pid_t *pids, GRand *rand, Figures *f)
{
  int victim = g_rand_int_range (rand, 0, N_READERS);
  Slot *slot = readers[victim].slot;

  if (f->kills % 2 == 0)
    {
      kill (pids[victim], SIGKILL);
      g_assert_true (WIFSIGNALED (stress_wait (pids[victim], HANG_MS)));
      readers[victim].stop_nth = 1 + f->kills / 2 % 3;
      pids[victim] = spawn_reader (&readers[victim]);
      g_assert_true (WIFSTOPPED (stress_wait_stopped (pids[victim], HANG_MS)));
      readers[victim].stop_nth = 0;
      f->stopped++;
    }
  else
    {
      /* Wait until it is reading, so that the kill may land mid-copy. */
      while (!g_atomic_int_get (&slot->ready))
        g_usleep (200);
      g_usleep ((gulong) g_rand_int_range (rand, 0, 3000));
    }
  f->mid_copy += g_atomic_int_get (&slot->in_copy);
  f->holding_lock += g_atomic_int_get (&slot->holding_lock);
  stress_kill (pids[victim]);
  f->kills++;
  f->reads += slot->reads;
  f->torn += slot->torn;
  f->errors += slot->errors;
  slot->reads = slot->torn = slot->errors = 0;
  pids[victim] = spawn_reader (&readers[victim]);
}

static void
report (Figures *f, guint32 publishes)
{
  const char *t = "reader-crash";

  stress_figure (t, "reader_kills", "%d", f->kills);
  stress_figure (t, "kills_stopped_mid_copy", "%d", f->stopped);
  stress_figure (t, "kills_mid_copy", "%d", f->mid_copy);
  stress_figure (t, "kills_holding_lock", "%d", f->holding_lock);
  stress_figure (t, "publishes", "%u", publishes);
  stress_figure (t, "frames_checked", "%" G_GUINT64_FORMAT, f->reads);
  stress_figure (t, "torn_accepted", "%" G_GUINT64_FORMAT, f->torn);
  stress_figure (t, "baseline_publish_p50_us", "%" G_GINT64_FORMAT,
                 stress_samples_percentile (&f->baseline, 50));
  stress_figure (t, "publish_p50_us", "%" G_GINT64_FORMAT,
                 stress_samples_percentile (&f->latency, 50));
  stress_figure (t, "publish_p99_us", "%" G_GINT64_FORMAT,
                 stress_samples_percentile (&f->latency, 99));
  stress_figure (t, "publish_max_us", "%" G_GINT64_FORMAT, stress_samples_max (&f->latency));

  g_assert_cmpuint (f->torn, ==, 0);
  g_assert_cmpuint (f->errors, ==, 0);
  /* Half the kills land mid-copy by construction, some with the lock held. */
  g_assert_cmpint (f->stopped, >=, f->kills / 2);
  g_assert_cmpint (f->mid_copy, >=, f->stopped);
  g_assert_cmpint (f->holding_lock, >, 0);
}

static void
test_readers_killed_mid_copy (void)
{
  g_autofree char *key = shmv_test_unique_key ("reader-crash");
  int n_kills = (int) stress_env_int ("SHMV_STRESS_READER_KILLS", 200);
  Shared *shared = stress_shared_new (sizeof (Shared));
  gpointer scratch = g_malloc (FRAME_BYTES);
  Reader readers[N_READERS];
  pid_t pids[N_READERS];
  GRand *rand = g_rand_new_with_seed (4242);
  ShmvChannel *writer;
  Figures f = { 0 };
  guint32 seed = 0;
  int lock_key;

  stress_register_key (key);
  stress_samples_init (&f.baseline);
  stress_samples_init (&f.latency);
  writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  lock_key = stress_lock_key_of (key);
  g_assert_true (stress_publish (writer, WIDTH, HEIGHT, seed++, scratch));
  for (int i = 0; i < N_READERS; i++)
    {
      readers[i] = (Reader){ key, &shared->slots[i], i == 0, 0 };
      pids[i] = spawn_reader (&readers[i]);
    }

  /* The same work with nobody killed, to compare with. */
  for (int i = 0; i < 50; i++)
    timed_publish (writer, seed++, scratch, &f.baseline);
  while (f.kills < n_kills)
    {
      timed_publish (writer, seed++, scratch, &f.latency);
      kill_a_reader (readers, pids, rand, &f);
    }
  for (int i = 0; i < N_READERS; i++)
    {
      stress_kill (pids[i]);
      f.reads += readers[i].slot->reads;
      f.torn += readers[i].slot->torn;
      f.errors += readers[i].slot->errors;
    }

  report (&f, shmv_channel_generation (writer));
  shmv_channel_free (writer);
  stress_assert_nothing_left (key, lock_key);
  stress_samples_clear (&f.baseline);
  stress_samples_clear (&f.latency);
  g_rand_free (rand);
  g_free (scratch);
  stress_shared_free (shared, sizeof (Shared));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/reader-crash/killed-mid-copy-never-block-writer",
                   test_readers_killed_mid_copy);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
