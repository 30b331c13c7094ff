/* bench-channel.c: measuring libshmview's channel, writer side and readers
 *
 * The writer is this process; each reader is a process of its own that opens
 * the channel, copies the first frame once (which sizes its buffer and
 * touches every page of it) and only then reports ready. From there on the
 * reader reuses that buffer, as a viewer must, so no page fault is timed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "bench-channel.h"

#include "bench-png.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long an idle reader sleeps before each wake-up sample: frames come
 * every few milliseconds in real use, long enough for an idle core to drop
 * into its idle state, and the measurement should pay for that wake-up too. */
#define WAKE_GAP_NS 1000000
#define WAKE_SIDE   64

/* Streaming warms up for at least this long and this many frames before the
 * window opens; the window holds at least STREAM_MIN_FRAMES. */
#define STREAM_WARMUP_NS     300000000
#define STREAM_WARMUP_FRAMES 5
#define STREAM_MIN_FRAMES    30

static const char SOURCE_NAME[] = "shmview-bench";

void
bench_latency_from (double *us, int n, BenchLatency *out)
{
  out->samples = n;
  out->p99_us = bench_percentile (us, (size_t) n, 0.99);
  out->p50_us = bench_percentile (us, (size_t) n, 0.50);
  out->max_us = n > 0 ? us[n - 1] : 0.0;
}

static double
ms_between (int64_t from_ns, int64_t to_ns)
{
  return (double) (to_ns - from_ns) / BENCH_NS_PER_MS;
}

static bool
publish (ShmvChannel *ch, const ShmvImage *frame)
{
  if (shmv_channel_publish (ch, frame->pixels, frame->width, frame->height, frame->stride,
                            frame->format, SOURCE_NAME))
    return true;
  return bench_fail ("publish: %s", shmv_channel_error_string (ch));
}

static void
make_key (char *key, size_t size, const BenchParams *p, const char *what)
{
  snprintf (key, size, "%s-%s", p->key_prefix, what);
}

/* Creates the channel and publishes @frame once, so that readers find one. */
static ShmvChannel *
open_writer (const char *key, const ShmvImage *frame)
{
  ShmvChannel *ch = shmv_channel_new (key);

  if (ch == NULL)
    {
      bench_fail ("out of memory");
      return NULL;
    }
  if (!shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0))
    {
      bench_fail ("cannot open channel %s: %s", key, shmv_channel_error_string (ch));
      shmv_channel_free (ch);
      return NULL;
    }
  if (frame != NULL && !publish (ch, frame))
    {
      shmv_channel_remove (ch);
      shmv_channel_free (ch);
      return NULL;
    }
  return ch;
}

/* Removes the channel's name; readers still attached see it and wake up. */
static bool
remove_channel (ShmvChannel *ch)
{
  if (shmv_channel_remove (ch) || shmv_channel_error (ch) == SHMV_ERROR_NOT_FOUND)
    return true;
  return bench_fail ("cannot remove the channel: %s", shmv_channel_error_string (ch));
}

/* Stops the readers (removing the channel wakes them at once), then removes
 * everything. Safe at any stage of a measurement. */
static bool
finish (BenchSession *s, ShmvChannel *ch)
{
  bool ok = true;

  if (s->ctl != NULL)
    __atomic_store_n (&s->ctl->stop, 1, __ATOMIC_RELEASE);
  if (ch != NULL && shmv_channel_is_open (ch) && !remove_channel (ch))
    ok = false;
  if (!bench_session_end (s))
    ok = false;
  shmv_channel_free (ch);
  return ok;
}

static bool
start_readers (BenchSession *s, const char *what, int n, const char *role, const char *key)
{
  const char *extra[] = { "--key", key, NULL };

  return bench_session_start (s, what) && bench_session_spawn (s, n, role, extra);
}

/* After the reader's ack for frame @i: it must have copied exactly i + 1. */
static bool
check_sample (BenchSession *s, int i)
{
  uint64_t frames = __atomic_load_n (&s->ctl->readers[0].frames, __ATOMIC_ACQUIRE);

  if (frames == (uint64_t) i + 1)
    return true;
  return bench_fail ("the reader copied %llu frames, expected %d", (unsigned long long) frames,
                     i + 1);
}

bool
bench_channel_is_reader_role (const char *role)
{
  static const char *const roles[] = {
    BENCH_ROLE_SAMPLE,       BENCH_ROLE_STREAM,
    BENCH_ROLE_LEASE_SAMPLE, BENCH_ROLE_LEASE_SAMPLE_NOVERIFY,
    BENCH_ROLE_LEASE_STREAM, BENCH_ROLE_LEASE_STREAM_NOVERIFY,
  };

  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
    if (strcmp (role, roles[i]) == 0)
      return true;
  return false;
}

bool
bench_channel_handoff_begin (BenchChannelHandoff *h,
                             const BenchParams *p,
                             const ShmvImage *frame,
                             const char *role)
{
  char key[300];

  memset (h, 0, sizeof *h);
  make_key (key, sizeof key, p, strcmp (role, BENCH_ROLE_SAMPLE) == 0 ? "handoff" : role);
  return (h->ch = open_writer (key, frame)) != NULL &&
         start_readers (&h->session, "handoff", 1, role, key);
}

bool
bench_channel_handoff_frame (BenchChannelHandoff *h, const ShmvImage *frame, double sample[3])
{
  BenchSession *s = &h->session;
  int i = h->frames;
  int64_t t0, t1;
  int cpu;

  t0 = bench_now_ns ();
  if (!publish (h->ch, frame))
    return false;
  t1 = bench_now_ns ();
  cpu = sched_getcpu ();
  if (!bench_session_wait (s, &s->ctl->ack, BENCH_READER_TIMEOUT_MS) || !check_sample (s, i))
    return false;
  if (i < BENCH_MAX_SAMPLES && s->ctl->cpu[i] == cpu)
    h->same_cpu++;
  h->frames++;
  sample[0] = ms_between (t0, t1);
  sample[1] = ms_between (s->ctl->wake_ns[i], s->ctl->done_ns[i]);
  sample[2] = ms_between (t0, s->ctl->done_ns[i]);
  return true;
}

bool
bench_channel_handoff_end (BenchChannelHandoff *h)
{
  bool ok = finish (&h->session, h->ch);

  h->ch = NULL;
  return ok;
}

bool
bench_channel_lease_handoff (
    const BenchParams *p, ShmvImage *frame, bool verify, double *ms, double *memcpy_ms)
{
  double *samples = calloc ((size_t) p->runs, sizeof *samples);
  BenchChannelHandoff h;
  bool ok = samples != NULL || bench_fail ("out of memory");

  memset (&h, 0, sizeof h);
  bench_yardstick_reset (p->yardstick);
  ok = ok && bench_channel_handoff_begin (
                 &h, p, frame, verify ? BENCH_ROLE_LEASE_SAMPLE : BENCH_ROLE_LEASE_SAMPLE_NOVERIFY);
  for (int i = 0; ok && i < p->warmup + p->runs; i++)
    {
      int j = i - p->warmup;
      double sample[3];

      bench_image_stamp (frame, (uint64_t) i + 1);
      bench_yardstick_sample (p->yardstick, frame->pixels, j >= 0);
      ok = bench_channel_handoff_frame (&h, frame, sample) && !bench_interrupted;
      if (ok && j >= 0)
        samples[j] = sample[2];
    }
  if (!bench_channel_handoff_end (&h))
    ok = false;
  if (ok)
    {
      *ms = bench_median (samples, (size_t) p->runs);
      *memcpy_ms = bench_yardstick_median (p->yardstick);
    }
  free (samples);
  return ok;
}

static bool
wake_loop (int warmup, int samples, BenchSession *s, ShmvChannel *ch, ShmvImage *frame, double *us)
{
  for (int i = 0; i < warmup + samples; i++)
    {
      int64_t start, end;
      int j = i - warmup;

      /* Let the reader fall asleep, and make sure it is, in the kernel. */
      bench_sleep_ns (WAKE_GAP_NS);
      if (!bench_session_wait_asleep (s, 0))
        return false;
      bench_image_stamp (frame, (uint64_t) i + 1);
      start = bench_now_ns ();
      if (!publish (ch, frame))
        return false;
      end = bench_now_ns ();
      if (!bench_session_wait (s, &s->ctl->ack, BENCH_READER_TIMEOUT_MS) || !check_sample (s, i))
        return false;
      if (j < 0)
        continue;
      us[j] = (double) (s->ctl->wake_ns[i] - end) / 1000.0;
      us[samples + j] = (double) (s->ctl->wake_ns[i] - start) / 1000.0;
    }
  return true;
}

bool
bench_channel_wake (const BenchParams *p,
                    int samples,
                    BenchLatency *from_end,
                    BenchLatency *from_start)
{
  double *us = calloc (2 * (size_t) samples, sizeof *us);
  ShmvImage frame;
  BenchSession s;
  ShmvChannel *ch = NULL;
  char key[300];
  bool ok;

  memset (&s, 0, sizeof s);
  memset (&frame, 0, sizeof frame);
  make_key (key, sizeof key, p, "wake");
  ok = us != NULL || bench_fail ("out of memory");
  ok = ok && bench_image_synthetic (&frame, WAKE_SIDE, WAKE_SIDE);
  ok = ok && (ch = open_writer (key, &frame)) != NULL;
  ok = ok && start_readers (&s, "wake", 1, "sample", key);
  ok = ok && wake_loop (p->warmup, samples, &s, ch, &frame, us);
  if (!finish (&s, ch))
    ok = false;
  if (ok)
    {
      bench_latency_from (us, samples, from_end);
      bench_latency_from (us + samples, samples, from_start);
    }
  shmv_image_clear (&frame);
  free (us);
  return ok;
}

/* Publishes for @ns and at least @min_frames frames (a window of a few
 * large frames says little); keeps up to @n_times publish times. */
static bool
publish_for (ShmvChannel *ch,
             ShmvImage *frame,
             int64_t ns,
             uint64_t min_frames,
             uint64_t *count,
             double *times_ms,
             size_t n_times)
{
  int64_t start = bench_now_ns ();

  *count = 0;
  while (bench_now_ns () - start < ns || *count < min_frames)
    {
      int64_t t0 = bench_now_ns ();

      bench_image_stamp (frame, *count + 1);
      if (!publish (ch, frame))
        return false;
      if (*count < n_times)
        times_ms[*count] = ms_between (t0, bench_now_ns ());
      if (bench_interrupted)
        return false; /* main () says so */
      (*count)++;
    }
  return true;
}

/* Reader 0 kept the wake and done times of its frames in the window. */
static double
stream_read_ms (BenchSession *s, double *scratch, size_t n)
{
  uint64_t got = __atomic_load_n (&s->ctl->readers[0].window_frames, __ATOMIC_ACQUIRE);

  if (got < n)
    n = (size_t) got;
  for (size_t k = 0; k < n; k++)
    scratch[k] = ms_between (s->ctl->wake_ns[k], s->ctl->done_ns[k]);
  return bench_median (scratch, n);
}

/* Waits until every reader has copied generation @last (each one will: it
 * stays the current frame). */
static bool
wait_readers_caught_up (BenchSession *s, uint32_t last)
{
  int64_t deadline = bench_now_ns () + (int64_t) BENCH_READER_TIMEOUT_MS * 1000000;

  for (int i = 0; i < s->n_readers; i++)
    while (__atomic_load_n (&s->ctl->readers[i].last_generation, __ATOMIC_ACQUIRE) < last)
      {
        if (bench_interrupted)
          return false; /* main () says so */
        if (bench_now_ns () > deadline)
          return bench_fail ("reader %d did not catch up", i);
        bench_sleep_ns (1000000);
      }
  return true;
}

/* Yardstick samples while the readers sleep, with nothing else running. */
static void
stream_yardstick (const BenchParams *p, const ShmvImage *frame, int n)
{
  bench_yardstick_sample (p->yardstick, frame->pixels, false);
  for (int i = 0; i < n; i++)
    bench_yardstick_sample (p->yardstick, frame->pixels, true);
}

static bool
stream_window (const BenchParams *p,
               BenchSession *s,
               ShmvChannel *ch,
               ShmvImage *frame,
               double seconds,
               BenchStream *out)
{
  static double times[BENCH_MAX_SAMPLES];
  uint64_t warm, published;
  int64_t t0, t1;
  uint64_t copied = 0;

  bench_yardstick_reset (p->yardstick);
  stream_yardstick (p, frame, (p->runs + 1) / 2);
  if (!publish_for (ch, frame, STREAM_WARMUP_NS, STREAM_WARMUP_FRAMES, &warm, times, 0))
    return false;
  __atomic_store_n (&s->ctl->window_from, shmv_channel_generation (ch), __ATOMIC_RELEASE);
  t0 = bench_now_ns ();
  if (!publish_for (ch, frame, (int64_t) (seconds * 1e9), STREAM_MIN_FRAMES, &published, times,
                    BENCH_MAX_SAMPLES))
    return false;
  t1 = bench_now_ns ();
  __atomic_store_n (&s->ctl->window_to, shmv_channel_generation (ch), __ATOMIC_RELEASE);
  if (!wait_readers_caught_up (s, s->ctl->window_to))
    return false;
  stream_yardstick (p, frame, (p->runs + 1) / 2);
  out->memcpy_ms = bench_yardstick_median (p->yardstick);
  out->publish_ms =
      bench_median (times, published < BENCH_MAX_SAMPLES ? published : BENCH_MAX_SAMPLES);
  out->read_ms = stream_read_ms (s, times, BENCH_MAX_SAMPLES);
  out->skipped = 0;
  for (int i = 0; i < s->n_readers; i++)
    {
      uint64_t got = __atomic_load_n (&s->ctl->readers[i].window_frames, __ATOMIC_ACQUIRE);

      copied += got;
      out->skipped += published - got;
    }
  out->seconds = (double) (t1 - t0) / 1e9;
  out->published = published;
  out->publish_fps = (double) published / out->seconds;
  out->fps = (double) copied / s->n_readers / out->seconds;
  return true;
}

static double
largest_reader_anon_mib (const BenchSession *s)
{
  int64_t kib = 0;

  for (int i = 0; i < s->n_readers; i++)
    if (s->ctl->readers[i].anon_kib > kib)
      kib = s->ctl->readers[i].anon_kib;
  return (double) kib / 1024.0;
}

bool
bench_channel_stream (
    const BenchParams *p, ShmvImage *frame, int readers, double seconds, BenchStream *out)
{
  BenchSession s;
  ShmvChannel *ch = NULL;
  char key[300];
  bool ok, lease = out->lease, verify = out->verify;
  const char *role = !lease   ? BENCH_ROLE_STREAM
                     : verify ? BENCH_ROLE_LEASE_STREAM
                              : BENCH_ROLE_LEASE_STREAM_NOVERIFY;

  memset (&s, 0, sizeof s);
  memset (out, 0, sizeof *out);
  out->readers = readers;
  out->lease = lease;
  out->verify = verify;
  make_key (key, sizeof key, p, role);
  ok = (ch = open_writer (key, frame)) != NULL;
  ok = ok && start_readers (&s, "stream", readers, role, key);
  ok = ok && stream_window (p, &s, ch, frame, seconds, out);
  /* Stop the readers first: they note their memory on the way out. */
  if (s.ctl != NULL)
    __atomic_store_n (&s.ctl->stop, 1, __ATOMIC_RELEASE);
  if (ch != NULL && !remove_channel (ch))
    ok = false;
  if (!bench_session_stop_readers (&s))
    ok = false;
  if (ok)
    out->reader_anon_mib = largest_reader_anon_mib (&s);
  if (!finish (&s, ch))
    ok = false;
  return ok;
}

static bool
png_publish (ShmvChannel *ch, const char *path)
{
  if (shmv_channel_publish_png (ch, path, NULL))
    return true;
  return bench_fail ("%s", shmv_channel_error_string (ch));
}

/* The reference: libpng alone, into a buffer it keeps. */
static bool
timed_decode (const char *path, uint8_t **pixels, size_t *capacity, double *ms)
{
  int64_t t0 = bench_now_ns ();

  if (!bench_png_decode_file (path, pixels, capacity))
    return false;
  *ms = ms_between (t0, bench_now_ns ());
  return true;
}

static bool
e2e_loop (const BenchParams *p,
          BenchSession *s,
          ShmvChannel *ch,
          const char *path,
          const ShmvImage *frame,
          double *samples)
{
  uint8_t *pixels = NULL;
  size_t capacity = 0;
  bool ok = true;

  /* Frame 0 warms up: the file into the page cache, the slots placed. */
  for (int i = 0; ok && i < 1 + p->runs; i++)
    {
      int j = i - 1;
      double decode_ms;
      int64_t t0, t1;

      ok = timed_decode (path, &pixels, &capacity, &decode_ms) && !bench_interrupted;
      bench_yardstick_sample (p->yardstick, frame->pixels, j >= 0);
      t0 = bench_now_ns ();
      ok = ok && png_publish (ch, path);
      t1 = bench_now_ns ();
      ok = ok && bench_session_wait (s, &s->ctl->ack, BENCH_READER_TIMEOUT_MS) &&
           check_sample (s, i);
      if (!ok || j < 0)
        continue;
      samples[j] = ms_between (t0, s->ctl->done_ns[i]);
      samples[p->runs + j] = ms_between (t0, t1);
      samples[2 * p->runs + j] = decode_ms;
    }
  free (pixels);
  return ok;
}

bool
bench_channel_e2e (const BenchParams *p, const char *path, const ShmvImage *frame, BenchE2e *out)
{
  double *samples = calloc (3 * (size_t) p->runs, sizeof *samples);
  BenchSession s;
  ShmvChannel *ch = NULL;
  char key[300];
  bool ok;

  memset (&s, 0, sizeof s);
  bench_yardstick_reset (p->yardstick);
  make_key (key, sizeof key, p, "e2e");
  ok = samples != NULL || bench_fail ("out of memory");
  ok = ok && (ch = open_writer (key, NULL)) != NULL && png_publish (ch, path);
  ok = ok && start_readers (&s, "e2e", 1, "sample", key);
  ok = ok && e2e_loop (p, &s, ch, path, frame, samples);
  if (!finish (&s, ch))
    ok = false;
  if (ok)
    {
      out->e2e_ms = bench_median (samples, (size_t) p->runs);
      out->publish_ms = bench_median (samples + p->runs, (size_t) p->runs);
      out->decode_ms = bench_median (samples + 2 * p->runs, (size_t) p->runs);
      out->memcpy_ms = bench_yardstick_median (p->yardstick);
    }
  free (samples);
  return ok;
}

/* Reader processes */

typedef struct
{
  BenchCtl *ctl;
  int index;
  BenchReaderState *state;
  ShmvChannel *ch;
  bool lease;             /* take frames by lease, not by copy */
  ShmvAcquireFlags flags; /* of the leases */
  void *pixels;
  size_t capacity;
  ShmvFrameInfo info;
  uint32_t generation;
} ChannelReader;

/* Takes the current frame the reader's way: its own copy, or a lease held
 * until the frame is (verified and) in hand, then released. */
static bool
reader_take (ChannelReader *r)
{
  ShmvFrame *frame = NULL;

  if (!r->lease)
    return shmv_channel_read (r->ch, &r->pixels, &r->capacity, &r->info);
  if (!shmv_channel_acquire (r->ch, 0, r->flags, 0, &frame))
    return false;
  r->info = *shmv_frame_get_info (frame);
  shmv_frame_release (frame);
  return true;
}

typedef enum
{
  NEXT_FRAME,
  NEXT_STOP,
  NEXT_ERROR,
} NextResult;

static int
reader_error (ChannelReader *r, const char *what)
{
  return bench_reader_fail (r->ctl, r->index, "%s: %s", what, shmv_channel_error_string (r->ch));
}

static int
reader_open (ChannelReader *r, const char *key)
{
  r->ch = shmv_channel_new (key);
  if (r->ch == NULL)
    return bench_reader_fail (r->ctl, r->index, "out of memory");
  if (!shmv_channel_open (r->ch, SHMV_CHANNEL_READER, 5000))
    return reader_error (r, "cannot open the channel");
  /* Sizes the buffer and touches every page of it before any timing (a
   * lease maps the channel and faults its pages in). */
  if (!shmv_channel_read (r->ch, &r->pixels, &r->capacity, &r->info) || !reader_take (r))
    return reader_error (r, "first read");
  r->generation = r->info.generation;
  return 0;
}

static bool
told_to_stop (const ChannelReader *r)
{
  return __atomic_load_n (&r->ctl->stop, __ATOMIC_ACQUIRE) != 0;
}

/* Sleeps in shmv_channel_wait() until there is a new frame or we must stop. */
static NextResult
reader_wait (ChannelReader *r)
{
  for (;;)
    {
      if (told_to_stop (r))
        return NEXT_STOP;
      if (shmv_channel_wait (r->ch, r->generation, 200))
        return told_to_stop (r) || shmv_channel_is_removed (r->ch) ? NEXT_STOP : NEXT_FRAME;
      if (shmv_channel_error (r->ch) != SHMV_ERROR_TIMEOUT &&
          shmv_channel_error (r->ch) != SHMV_ERROR_CANCELLED)
        {
          reader_error (r, "wait");
          return NEXT_ERROR;
        }
    }
}

/* One copy per ack, timestamps kept for the writer: hand-off and wake-up. */
static int
run_sample (ChannelReader *r)
{
  NextResult next;

  while ((next = reader_wait (r)) == NEXT_FRAME)
    {
      int64_t woke = bench_now_ns (), done;
      uint64_t k = r->state->frames;
      int cpu = sched_getcpu ();

      if (!reader_take (r))
        return reader_error (r, "read");
      done = bench_now_ns ();
      if (k < BENCH_MAX_SAMPLES)
        {
          r->ctl->wake_ns[k] = woke;
          r->ctl->done_ns[k] = done;
          r->ctl->cpu[k] = cpu;
        }
      r->generation = r->info.generation;
      __atomic_store_n (&r->state->frames, k + 1, __ATOMIC_RELEASE);
      if (sem_post (&r->ctl->ack) != 0)
        return bench_reader_fail (r->ctl, r->index, "sem_post failed");
    }
  return next == NEXT_STOP ? 0 : 1;
}

/* Counts a frame copied between @woke and @done; reader 0 also keeps the
 * times of the window's frames for the writer. */
static void
count_stream_frame (ChannelReader *r, int64_t woke, int64_t done)
{
  uint32_t g = r->info.generation;
  uint32_t from = __atomic_load_n (&r->ctl->window_from, __ATOMIC_ACQUIRE);
  uint32_t to = __atomic_load_n (&r->ctl->window_to, __ATOMIC_ACQUIRE);
  uint64_t k = r->state->window_frames;

  if (from != 0 && g > from && (to == 0 || g <= to))
    {
      if (r->index == 0 && k < BENCH_MAX_SAMPLES)
        {
          r->ctl->wake_ns[k] = woke;
          r->ctl->done_ns[k] = done;
        }
      __atomic_store_n (&r->state->window_frames, k + 1, __ATOMIC_RELEASE);
    }
  r->state->frames++;
  __atomic_store_n (&r->state->last_generation, g, __ATOMIC_RELEASE);
}

/* Copies every frame it sees, as fast as it can. */
static int
run_stream (ChannelReader *r)
{
  NextResult next;

  while ((next = reader_wait (r)) == NEXT_FRAME)
    {
      int64_t woke = bench_now_ns ();

      if (!reader_take (r))
        {
          /* Lost the race to the writer too often: a skipped frame, not a failure. */
          if (shmv_channel_error (r->ch) == SHMV_ERROR_TIMEOUT)
            continue;
          return reader_error (r, "read");
        }
      r->generation = r->info.generation;
      count_stream_frame (r, woke, bench_now_ns ());
    }
  r->state->anon_kib = bench_anon_kib ();
  return next == NEXT_STOP ? 0 : 1;
}

int
bench_channel_reader_main (const char *role, BenchCtl *ctl, int index, const char *key)
{
  ChannelReader r;
  int status;

  memset (&r, 0, sizeof r);
  r.ctl = ctl;
  r.index = index;
  r.state = &ctl->readers[index];
  r.lease = strncmp (role, "lease-", 6) == 0;
  r.flags = strstr (role, "noverify") != NULL ? SHMV_ACQUIRE_NO_VERIFY : SHMV_ACQUIRE_DEFAULT;
  if (key == NULL)
    return bench_reader_fail (ctl, index, "no --key given");
  status = reader_open (&r, key);
  if (status == 0 && sem_post (&ctl->ready) != 0)
    status = bench_reader_fail (ctl, index, "sem_post failed");
  if (status == 0)
    status = strstr (role, BENCH_ROLE_STREAM) != NULL ? run_stream (&r) : run_sample (&r);
  shmv_channel_free (r.ch);
  free (r.pixels);
  return status;
}
