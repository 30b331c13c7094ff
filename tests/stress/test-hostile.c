/* test-hostile.c: a peer with write access attacks a live channel
 *
 * Scenario 3 of docs/RELIABILITY.md. A legitimate writer publishes
 * patterned frames; a hostile process that opened the segment read-write
 * scribbles random and chosen bytes over the header and the pixels, and
 * shrinks and grows the file with ftruncate; reader processes read all the
 * time. Readers must report a corrupt channel or follow the new size: never
 * die (no SIGBUS, no SIGSEGV), never hang, never accept a frame whose pixels
 * are not one whole published frame. Under ASan (CI runs the suite so) any
 * out-of-bounds access is a failure too.
 *
 * What it proves, and what breaks it: readers copy the header out and
 * validate every field against the real size (shmv_channel_validate_slot),
 * copy under the SIGBUS guard, and verify the checksum. Remove the checksum
 * comparison in try_snapshot and readers accept scribbled pixels (garbage
 * count > 0); remove the SIGBUS guard and a reader dies of SIGBUS; remove
 * the bounds checks and readers fault or ASan reports the read.
 *
 * The last reader leases instead of copying (shmv_channel_acquire, verified
 * in place) and reads every leased pixel: it must not die either, however
 * the file is truncated under its lease (the library maps zero pages over a
 * truncated lease mapping). A lease is verified when it is taken, so what
 * the peer writes afterwards is counted, not refused.
 *
 * The writer is not protected: a peer that can write the segment can kill
 * it (SIGBUS on a truncated mapping). The test restarts it and counts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-channel-layout.h"
#include "shmv-segment-private.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* HANG_LIMIT and READ_LIMIT bound blocking, not speed: a read bounded as it
 * must be waits at most 4 x 250 ms for the lock, an unbounded one 10 s per
 * wait; a loaded machine stays far below both. */
#define WIDTH        512
#define HEIGHT       512
#define FRAME_BYTES  ((gsize) WIDTH * HEIGHT * 4)
#define N_READERS    4 /* the last one leases */
#define LEASER       (N_READERS - 1)
#define FILE_LIMIT   (256 << 20) /* no process here may make the file larger */
#define HANG_LIMIT   (10 * G_USEC_PER_SEC)
#define READ_LIMIT   (5 * G_USEC_PER_SEC)
#define HEADER_START SHMV_SEGMENT_DATA_OFFSET /* of the channel header, in the file */

enum
{
  OUTCOME_OK,
  OUTCOME_CORRUPT,
  OUTCOME_NO_FRAME,
  OUTCOME_TIMEOUT,
  OUTCOME_OTHER,
  N_OUTCOMES
};

static const char *const outcome_names[N_OUTCOMES] = {
  "reads_accepted", "reads_corrupt", "reads_no_frame", "reads_timeout", "reads_other_error",
};

typedef struct
{
  volatile gint64 heartbeat; /* bumped on every loop: a reader that stops is hung */
  guint64 outcomes[N_OUTCOMES];
  guint64 garbage;         /* accepted, copied in, yet not one whole frame */
  guint64 signed_garbage;  /* the same for frames written in place (see report) */
  guint64 renamed_garbage; /* the same, its name scribbled: either kind */
  guint64 lease_changed;   /* leased, verified, then not one whole frame when read */
  gint64 max_read_us;      /* the longest shmv_channel_read() or acquire */
  gint64 max_call_us;      /* the longest of the other calls */
  char other_message[256];
} ReaderStats;

typedef struct
{
  volatile gint stop;
  volatile gint readers_ready;
  guint64 scribbles;
  guint64 pixel_scribbles;
  guint64 shrinks;
  guint64 grows;
  guint64 repairs;
  guint64 writer_publish_errors;
  ReaderStats readers[N_READERS];
} Shared;

typedef struct
{
  const char *key;
  const char *native;
  Shared *shared;
  int index;
  guint32 seed;
} Child;

static void
limit_file_size (void)
{
  struct rlimit limit = { FILE_LIMIT, FILE_LIMIT };

  /* Beyond it ftruncate and fallocate fail with EFBIG instead of filling
   * /dev/shm, which scribbled offsets would otherwise make the writer do. */
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static int
writer_main (gpointer data)
{
  Child *child = data;
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer scratch = g_malloc (FRAME_BYTES);

  limit_file_size ();
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    return 1;
  for (guint32 i = child->seed;; i++)
    if (!stress_publish (ch, WIDTH, HEIGHT, i, scratch))
      {
        /* The hostile peer broke the header: carry on, as a real writer would. */
        child->shared->writer_publish_errors++;
        g_usleep (500);
      }
}

static gint64
elapsed_since (gint64 start, gint64 *max)
{
  gint64 took = g_get_monotonic_time () - start;

  *max = MAX (*max, took);
  return took;
}

static int
outcome_of_failure (ShmvChannel *ch, ReaderStats *stats)
{
  switch (shmv_channel_error (ch))
    {
    case SHMV_ERROR_CORRUPT:
      return OUTCOME_CORRUPT;
    case SHMV_ERROR_NO_FRAME:
      return OUTCOME_NO_FRAME;
    case SHMV_ERROR_TIMEOUT:
      return OUTCOME_TIMEOUT;
    default:
      g_strlcpy (stats->other_message, shmv_channel_error_string (ch), sizeof stats->other_message);
      return OUTCOME_OTHER;
    }
}

/* Leases the current frame and reads all of it where it lies. */
static void
lease_once (ShmvChannel *ch, ReaderStats *stats)
{
  gint64 start = g_get_monotonic_time ();
  ShmvFrame *frame = NULL;
  int outcome = OUTCOME_OK;

  if (shmv_channel_acquire (ch, 0, SHMV_ACQUIRE_DEFAULT, 0, &frame))
    {
      const ShmvFrameInfo *info = shmv_frame_get_info (frame);

      if (!stress_check (shmv_frame_get_pixels (frame), (gsize) info->stride * info->height, NULL))
        stats->lease_changed++;
      shmv_frame_release (frame);
    }
  else
    outcome = outcome_of_failure (ch, stats);
  elapsed_since (start, &stats->max_read_us);
  stats->outcomes[outcome]++;
}

static void
read_once (ShmvChannel *ch, ReaderStats *stats, gpointer *buf, gsize *cap)
{
  gint64 start = g_get_monotonic_time ();
  ShmvFrameInfo info;
  int outcome;

  if (shmv_channel_read (ch, buf, cap, &info))
    {
      outcome = OUTCOME_OK;
      /* Told apart by the name each path gives its frames, two names that
       * no single scribble turns into each other (a NUL at byte 6 made
       * "stress-in-place" of an in-place frame hashed with a scribble read
       * "stress", once in about ten runs). A name that is neither is
       * counted on its own, never taken for a copied frame. */
      if (stress_check (*buf, (gsize) info.stride * info.height, NULL))
        ;
      else if (strcmp (info.source_name, "stress-in-place") == 0)
        stats->signed_garbage++;
      else if (strcmp (info.source_name, "stress-copied") == 0)
        stats->garbage++;
      else
        stats->renamed_garbage++;
    }
  else
    outcome = outcome_of_failure (ch, stats);
  elapsed_since (start, &stats->max_read_us);
  stats->outcomes[outcome]++;
}

/* Everything else a reader may call on a channel under attack. */
static void
poke_once (ShmvChannel *ch, ReaderStats *stats)
{
  gint64 start = g_get_monotonic_time ();
  ShmvFrameInfo info;
  guint32 generation;

  shmv_channel_get_info (ch, &info);
  generation = shmv_channel_generation (ch);
  shmv_channel_is_withdrawn (ch);
  shmv_channel_is_removed (ch);
  shmv_channel_writer_alive (ch);
  shmv_channel_segment_size (ch);
  shmv_channel_wait (ch, generation, 2);
  elapsed_since (start, &stats->max_call_us);
}

static int
reader_main (gpointer data)
{
  Child *child = data;
  ReaderStats *stats = &child->shared->readers[child->index];
  ShmvChannel *ch = shmv_channel_new (child->key);
  gpointer buf = NULL;
  gsize cap = 0;

  if (!shmv_channel_open (ch, SHMV_CHANNEL_READER, 5000))
    return 1;
  g_atomic_int_inc (&child->shared->readers_ready);
  while (!g_atomic_int_get (&child->shared->stop))
    {
      if (child->index == LEASER)
        lease_once (ch, stats);
      else
        read_once (ch, stats, &buf, &cap);
      poke_once (ch, stats);
      stats->heartbeat++;
    }
  g_free (buf);
  shmv_channel_free (ch);
  return 0;
}

/* The hostile peer: raw system calls on the segment file, the way any
 * process with write access could. It writes with pwrite(), so that its own
 * attacks (truncation) cannot kill it. */
typedef struct
{
  int fd;
  GRand *rand;
  guint8 prefix[SHMV_SEGMENT_DATA_OFFSET];
  ShmvChannelHeader fixed; /* the header's fixed fields as the writer set them */
  off_t size;
} Hostile;

static off_t
file_size (int fd)
{
  struct stat st;

  return fstat (fd, &st) == 0 ? st.st_size : 0;
}

static void
put (Hostile *h, off_t at, const void *bytes, gsize n)
{
  if (at >= 0 && at + (off_t) n <= file_size (h->fd))
    (void) !pwrite (h->fd, bytes, n, at);
}

/* A value likely to sit on a boundary of some check. */
static guint64
nasty_value (Hostile *h)
{
  static const guint64 values[] = {
    0,
    1,
    2,
    3,
    4,
    7,
    0xFF,
    0x7FFFFFFF,
    0x80000000,
    0xFFFFFFFF,
    0xFFFFFFFE,
    G_GUINT64_CONSTANT (0xFFFFFFFFFFFFFFFF),
    G_GUINT64_CONSTANT (1) << 40,
    4096,
    8192,
  };
  guint pick = (guint) g_rand_int_range (h->rand, 0, G_N_ELEMENTS (values) + 3);
  off_t size = file_size (h->fd) - HEADER_START;

  if (pick < G_N_ELEMENTS (values))
    return values[pick];
  if (pick == G_N_ELEMENTS (values))
    return (guint64) size;
  if (pick == G_N_ELEMENTS (values) + 1)
    return (guint64) size - (guint64) g_rand_int_range (h->rand, 1, 4096);
  return ((guint64) g_rand_int (h->rand) << 32) | g_rand_int (h->rand);
}

/* Fields of a slot and of the header, by offset and width. */
static void
scribble_field (Hostile *h)
{
  static const struct
  {
    gsize offset;
    gsize size;
  } fields[] = {
    { offsetof (ShmvSlot, seq), 4 },      { offsetof (ShmvSlot, generation), 4 },
    { offsetof (ShmvSlot, format), 4 },   { offsetof (ShmvSlot, width), 4 },
    { offsetof (ShmvSlot, height), 4 },   { offsetof (ShmvSlot, stride), 4 },
    { offsetof (ShmvSlot, offset), 8 },   { offsetof (ShmvSlot, bytes), 8 },
    { offsetof (ShmvSlot, checksum), 8 },
  };
  guint64 value = nasty_value (h);
  int which = g_rand_int_range (h->rand, 0, G_N_ELEMENTS (fields) + 3);
  off_t at;
  gsize size = 4;

  if (which == G_N_ELEMENTS (fields))
    at = offsetof (ShmvChannelHeader, front);
  else if (which == G_N_ELEMENTS (fields) + 1)
    at = offsetof (ShmvChannelHeader, generation);
  else if (which == G_N_ELEMENTS (fields) + 2)
    at = offsetof (ShmvChannelHeader, state);
  else
    {
      int slot = g_rand_int_range (h->rand, 0, SHMV_CHANNEL_SLOTS);

      at = (off_t) (offsetof (ShmvChannelHeader, slots) + slot * sizeof (ShmvSlot) +
                    fields[which].offset);
      size = fields[which].size;
    }
  put (h, HEADER_START + at, &value, size);
}

static void
scribble_header (Hostile *h, Shared *shared)
{
  int n = g_rand_int_range (h->rand, 1, 7);

  for (int i = 0; i < n; i++)
    {
      guint8 byte = (guint8) g_rand_int (h->rand);

      if (g_rand_boolean (h->rand))
        scribble_field (h);
      else
        put (h, HEADER_START + g_rand_int_range (h->rand, 0, sizeof (ShmvChannelHeader)), &byte, 1);
    }
  shared->scribbles++;
}

static void
scribble_pixels (Hostile *h, Shared *shared)
{
  off_t size = file_size (h->fd);
  off_t first = HEADER_START + SHMV_CHANNEL_HEADER_SIZE;
  int n = g_rand_int_range (h->rand, 1, 33);

  for (int i = 0; i < n && size > first; i++)
    {
      guint8 byte = (guint8) g_rand_int (h->rand);

      put (h, first + (off_t) (g_rand_double (h->rand) * (double) (size - first)), &byte, 1);
    }
  shared->pixel_scribbles++;
}

/* Puts back what readers need to accept frames again: the fixed header
 * fields and the segment prefix (so that the channel stays a channel). */
static void
repair (Hostile *h, Shared *shared)
{
  if (file_size (h->fd) < h->size)
    (void) !ftruncate (h->fd, h->size);
  (void) !pwrite (h->fd, h->prefix, sizeof h->prefix, 0);
  put (h, HEADER_START, h->fixed.magic, sizeof h->fixed.magic);
  put (h, HEADER_START + offsetof (ShmvChannelHeader, layout), &h->fixed.layout, 4);
  put (h, HEADER_START + offsetof (ShmvChannelHeader, header_size), &h->fixed.header_size, 4);
  put (h, HEADER_START + offsetof (ShmvChannelHeader, n_slots), &h->fixed.n_slots, 4);
  shared->repairs++;
}

static void
resize (Hostile *h, Shared *shared)
{
  off_t size = file_size (h->fd);

  if (g_rand_int_range (h->rand, 0, 3) < 2)
    {
      (void) !ftruncate (h->fd, (off_t) (g_rand_double (h->rand) * (double) size));
      shared->shrinks++;
      g_usleep ((gulong) g_rand_int_range (h->rand, 0, 2000));
      if (g_rand_int_range (h->rand, 0, 10) < 7)
        repair (h, shared);
    }
  else
    {
      (void) !ftruncate (h->fd, size + g_rand_int_range (h->rand, 1, 8 << 20));
      shared->grows++;
    }
}

static int
hostile_main (gpointer data)
{
  Child *child = data;
  Hostile h = { .rand = g_rand_new_with_seed (child->seed) };

  limit_file_size ();
  h.fd = shm_open (child->native, O_RDWR | O_CLOEXEC, 0);
  if (h.fd < 0 || pread (h.fd, h.prefix, sizeof h.prefix, 0) != (ssize_t) sizeof h.prefix ||
      pread (h.fd, &h.fixed, sizeof h.fixed, HEADER_START) != (ssize_t) sizeof h.fixed)
    return 1;
  h.size = file_size (h.fd);
  while (!g_atomic_int_get (&child->shared->stop))
    {
      int action = g_rand_int_range (h.rand, 0, 100);

      if (action < 55)
        scribble_header (&h, child->shared);
      else if (action < 80)
        scribble_pixels (&h, child->shared);
      else if (action < 92)
        resize (&h, child->shared);
      else
        repair (&h, child->shared);
      g_usleep ((gulong) g_rand_int_range (h.rand, 0, 500));
    }
  return 0;
}

typedef struct
{
  int writer_restarts;
  int writer_sigbus;
  int writer_sigsegv;
  int writer_other;
} WriterDeaths;

/* Restarts the writer if the hostile peer killed it; counts how it died. */
static pid_t
supervise_writer (pid_t pid, Child *writer, WriterDeaths *deaths)
{
  int status;

  if (waitpid (pid, &status, WNOHANG) != pid)
    return pid;
  if (WIFSIGNALED (status) && WTERMSIG (status) == SIGBUS)
    deaths->writer_sigbus++;
  else if (WIFSIGNALED (status) && WTERMSIG (status) == SIGSEGV)
    deaths->writer_sigsegv++;
  else
    deaths->writer_other++;
  deaths->writer_restarts++;
  stress_kill (pid); /* forgets it */
  writer->seed += 1000000;
  return stress_fork (writer_main, writer);
}

/* Fails if a reader died or stopped making progress. */
static void
check_readers_alive (const pid_t *pids, Shared *shared, gint64 *beats, gint64 *last_change)
{
  gint64 now = g_get_monotonic_time ();

  for (int i = 0; i < N_READERS; i++)
    {
      int status;

      if (waitpid (pids[i], &status, WNOHANG) == pids[i])
        g_error ("reader %d died under attack: %s %d", i,
                 WIFSIGNALED (status) ? "signal" : "exit status",
                 WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
      if (shared->readers[i].heartbeat != beats[i])
        {
          beats[i] = shared->readers[i].heartbeat;
          last_change[i] = now;
        }
      else if (now - last_change[i] > HANG_LIMIT)
        g_error ("reader %d made no progress for %d s: hung", i, (int) (HANG_LIMIT / 1000000));
    }
}

static void
report (Shared *shared, WriterDeaths *deaths, int seconds)
{
  const char *t = "hostile";
  guint64 outcomes[N_OUTCOMES] = { 0 }, garbage = 0, signed_garbage = 0, renamed_garbage = 0;
  gint64 max_read = 0, max_call = 0;

  for (int i = 0; i < N_READERS; i++)
    {
      ReaderStats *r = &shared->readers[i];

      for (int o = 0; o < N_OUTCOMES; o++)
        outcomes[o] += r->outcomes[o];
      garbage += r->garbage;
      signed_garbage += r->signed_garbage;
      renamed_garbage += r->renamed_garbage;
      max_read = MAX (max_read, r->max_read_us);
      max_call = MAX (max_call, r->max_call_us);
      if (r->outcomes[OUTCOME_OTHER] > 0)
        g_test_message ("reader %d, other error: %s", i, r->other_message);
    }
  stress_figure (t, "seconds", "%d", seconds);
  stress_figure (t, "header_scribbles", "%" G_GUINT64_FORMAT, shared->scribbles);
  stress_figure (t, "pixel_scribbles", "%" G_GUINT64_FORMAT, shared->pixel_scribbles);
  stress_figure (t, "shrinks", "%" G_GUINT64_FORMAT, shared->shrinks);
  stress_figure (t, "grows", "%" G_GUINT64_FORMAT, shared->grows);
  stress_figure (t, "repairs", "%" G_GUINT64_FORMAT, shared->repairs);
  for (int o = 0; o < N_OUTCOMES; o++)
    stress_figure (t, outcome_names[o], "%" G_GUINT64_FORMAT, outcomes[o]);
  stress_figure (t, "garbage_accepted", "%" G_GUINT64_FORMAT, garbage);
  /* A frame written in place is hashed from shared memory after it is
   * written: a scribble that lands in between is hashed with it, and the
   * frame verifies. A peer that can write the segment can publish any image
   * with a valid checksum anyway; the checksum is no signature. */
  stress_figure (t, "in_place_scribbles_hashed_by_writer", "%" G_GUINT64_FORMAT, signed_garbage);
  stress_figure (t, "scribbled_frames_with_scribbled_name", "%" G_GUINT64_FORMAT, renamed_garbage);
  stress_figure (t, "lease_reads_accepted", "%" G_GUINT64_FORMAT,
                 shared->readers[LEASER].outcomes[OUTCOME_OK]);
  /* Verified when taken; the peer may write over it afterwards (or cut the
   * file, and the reader reads zeros): counted, not refused, never a crash. */
  stress_figure (t, "leased_frames_changed_after_verification", "%" G_GUINT64_FORMAT,
                 shared->readers[LEASER].lease_changed);
  stress_figure (t, "reader_crashes", "0");
  stress_figure (t, "max_read_us", "%" G_GINT64_FORMAT, max_read);
  stress_figure (t, "max_other_call_us", "%" G_GINT64_FORMAT, max_call);
  stress_figure (t, "writer_killed_by_sigbus", "%d", deaths->writer_sigbus);
  stress_figure (t, "writer_killed_by_sigsegv", "%d", deaths->writer_sigsegv);
  stress_figure (t, "writer_other_deaths", "%d", deaths->writer_other);
  stress_figure (t, "writer_publish_errors", "%" G_GUINT64_FORMAT, shared->writer_publish_errors);

  g_assert_cmpuint (garbage, ==, 0);
  g_assert_cmpint (max_read, <, READ_LIMIT);
  g_assert_cmpint (max_call, <, READ_LIMIT);
  /* Both sides of the fight happened: frames got through, attacks were seen. */
  g_assert_cmpuint (outcomes[OUTCOME_OK], >, 0);
  g_assert_cmpuint (outcomes[OUTCOME_CORRUPT], >, 0);
  g_assert_cmpuint (shared->shrinks, >, 0);
}

static void
start_children (Child *children, pid_t *readers, Shared *shared)
{
  for (int i = 0; i < N_READERS; i++)
    readers[i] = stress_fork (reader_main, &children[i]);
  while (g_atomic_int_get (&shared->readers_ready) < N_READERS)
    g_usleep (1000);
}

static void
test_hostile_peer (void)
{
  g_autofree char *key = shmv_test_unique_key ("hostile");
  int seconds = (int) stress_env_int ("SHMV_STRESS_HOSTILE_SECONDS", 20);
  Shared *shared = stress_shared_new (sizeof (Shared));
  ShmvChannel *keeper;
  Child writer, hostile, readers[N_READERS];
  pid_t writer_pid, hostile_pid, reader_pids[N_READERS];
  gint64 beats[N_READERS] = { 0 }, last_change[N_READERS], end;
  WriterDeaths deaths = { 0 };
  g_autofree char *native = NULL;
  int lock_key;

  stress_register_key (key);
  keeper = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  native = g_strdup (shmv_channel_native_key (keeper));
  lock_key = stress_lock_key_of (key);
  writer = (Child){ key, native, shared, 0, 1 };
  writer_pid = stress_fork (writer_main, &writer);
  while (shmv_channel_generation (keeper) == 0)
    g_usleep (1000);
  for (int i = 0; i < N_READERS; i++)
    readers[i] = (Child){ key, native, shared, i, 0 };
  start_children (readers, reader_pids, shared);
  hostile = (Child){ key, native, shared, 0, 777 };
  hostile_pid = stress_fork (hostile_main, &hostile);

  end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  for (int i = 0; i < N_READERS; i++)
    last_change[i] = g_get_monotonic_time ();
  while (g_get_monotonic_time () < end)
    {
      g_usleep (50000);
      writer_pid = supervise_writer (writer_pid, &writer, &deaths);
      check_readers_alive (reader_pids, shared, beats, last_change);
    }

  g_atomic_int_set (&shared->stop, 1);
  g_assert_cmpint (stress_wait (hostile_pid, 5000), ==, 0);
  stress_kill (writer_pid);
  for (int i = 0; i < N_READERS; i++)
    {
      int status = stress_wait (reader_pids[i], 10000);

      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  report (shared, &deaths, seconds);

  /* What is left may be any mess: remove it by name. */
  shmv_channel_free (keeper);
  stress_remove_key (key);
  stress_assert_nothing_left (key, lock_key);
  stress_shared_free (shared, sizeof (Shared));
}

/* Runs @func in a child against a scribbled channel; TRUE if it survived. */
static gboolean
survives (StressChildFunc func, gpointer data)
{
  int status = stress_wait (stress_fork (func, data), 10000);

  if (WIFSIGNALED (status))
    g_test_message ("the writer died of signal %d", WTERMSIG (status));
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

typedef struct
{
  ShmvChannel *writer;
  ShmvChannelHeader *header; /* through a read-write segment handle */
} Scribbled;

static int
withdraw_main (gpointer data)
{
  Scribbled *s = data;

  s->header->front = 0x7FFFFFFF;
  shmv_channel_withdraw (s->writer);
  return 0;
}

/* A writer indexes slots[header->front] in shmv_channel_withdraw() without
 * checking it (pick_slot() takes it modulo 3): a hostile `front` makes the
 * writer read far outside the header. */
static void
test_withdraw_trusts_front (void)
{
  g_autofree char *key = shmv_test_unique_key ("hostile-front");
  ShmvSegment *seg = shmv_segment_new (key);
  gpointer scratch = g_malloc (FRAME_BYTES);
  Scribbled s;

  stress_register_key (key);
  s.writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (s.writer, WIDTH, HEIGHT, 2, scratch));
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  s.header = shmv_segment_data (seg);
  if (!survives (withdraw_main, &s))
    stress_protection_failed (
        "shmv-channel.c, shmv_channel_withdraw(): slots[header->front] is read "
        "without a bounds check; a hostile front makes the writer fault");
  shmv_segment_free (seg);
  shmv_channel_free (s.writer);
  g_free (scratch);
}

static int
in_place_main (gpointer data)
{
  Scribbled *s = data;
  guint8 *pixels;
  gsize stride;
  guint32 slot;

  if (!shmv_channel_begin_frame (s->writer, 64, 64, SHMV_FORMAT_RGBA8, (void **) &pixels, &stride))
    return 1;
  memset (pixels, 7, stride * 64);
  /* The slot being filled is the one whose sequence number is odd. */
  for (slot = 0; slot < SHMV_CHANNEL_SLOTS; slot++)
    if (s->header->slots[slot].seq % 2 == 1)
      s->header->slots[slot].offset = G_GUINT64_CONSTANT (1) << 40;
  return shmv_channel_commit_frame (s->writer, "x") ? 0 : 2;
}

/* During an in-place frame the writer re-reads the slot's offset, stride
 * and height from shared memory to hash the rows (rows_done, commit): a
 * peer that changes them in between makes the writer hash memory that is
 * not its frame, or fault. */
static void
test_in_place_frame_trusts_slot (void)
{
  g_autofree char *key = shmv_test_unique_key ("hostile-inplace");
  ShmvSegment *seg = shmv_segment_new (key);
  Scribbled s;

  stress_register_key (key);
  s.writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  s.header = shmv_segment_data (seg);
  if (!survives (in_place_main, &s))
    stress_protection_failed (
        "shmv-channel.c, shmv_channel_rows_done()/commit(): the frame's offset, "
        "stride and height are re-read from the shared slot; keep them in the "
        "handle (ShmvChannel) at begin_frame");
  shmv_segment_free (seg);
  shmv_channel_free (s.writer);
}

static int
hold_lock_main (gpointer data)
{
  Scribbled *s = data;
  ShmvSegment *seg = shmv_segment_new (shmv_channel_key (s->writer));
  ShmvChannelHeader *header;

  /* Take the lock and never give it back; mark the front slot as being
   * written (odd), so that every lock-free attempt retries. */
  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) || !shmv_segment_try_lock (seg, 1000))
    return 1;
  header = shmv_segment_data (seg);
  header->slots[header->front % SHMV_CHANNEL_SLOTS].seq |= 1;
  /* Tell the parent, which kills it when done (a stopped holder holds). */
  raise (SIGSTOP);
  for (;;)
    pause ();
}

static int
timed_read_main (gpointer data)
{
  Scribbled *s = data;
  ShmvChannel *reader = shmv_test_open_channel (shmv_channel_key (s->writer), SHMV_CHANNEL_READER);
  gpointer buf = NULL;
  gsize cap = 0;

  /* Whatever the outcome (TIMEOUT is right), it must come soon. */
  if (!shmv_channel_read (reader, &buf, &cap, NULL))
    g_test_message ("the read under attack: %s", shmv_channel_error_string (reader));
  return 0;
}

/* A reader that keeps losing the race takes the lock (try_snapshot's
 * locked attempts) with the writers' 10 s timeout, four times over: a peer
 * that holds the lock and marks the front slot as being written blocks
 * every read for 40 s. A bounded read gives up within a second or two. */
static void
test_read_bounded_when_lock_is_held (void)
{
  g_autofree char *key = shmv_test_unique_key ("hostile-lockheld");
  gpointer scratch = g_malloc (FRAME_BYTES);
  Scribbled s = { 0 };
  pid_t holder;
  int status;

  stress_register_key (key);
  s.writer = shmv_test_open_channel (key, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (s.writer, WIDTH, HEIGHT, 2, scratch));
  holder = stress_fork (hold_lock_main, &s);
  /* It holds the lock once it has stopped itself: no sleep to hope for it. */
  g_assert_true (WIFSTOPPED (stress_wait_stopped (holder, 30000)));
  /* Far below the 40 s of the unbounded read, far above a bounded one's
   * second or two, even on a loaded machine. */
  status = stress_wait (stress_fork (timed_read_main, &s), 15000);
  stress_kill (holder);
  if (status == -1)
    stress_protection_failed (
        "shmv-channel.c, snapshot(): each of the 4 locked attempts waits "
        "LOCK_TIMEOUT_MS (10 s) for a lock a hostile peer may never release: a "
        "read can block 40 s. Give readers a short lock timeout (e.g. 250 ms) "
        "and one locked attempt");
  else
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  shmv_channel_free (s.writer);
  g_free (scratch);
  stress_assert_nothing_left (key, -1);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/hostile/scribble-and-truncate-under-readers", test_hostile_peer);
  g_test_add_func ("/stress/hostile/read-bounded-when-lock-held",
                   test_read_bounded_when_lock_is_held);
  g_test_add_func ("/stress/hostile/writer-withdraw-trusts-front", test_withdraw_trusts_front);
  g_test_add_func ("/stress/hostile/writer-in-place-frame-trusts-slot",
                   test_in_place_frame_trusts_slot);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
