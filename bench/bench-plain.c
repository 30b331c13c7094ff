/* bench-plain.c: the plain C hand-off and the raw futex wake-up
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "bench-plain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WAKE_GAP_NS 1000000

typedef BenchPlainHandoff PlainChannel;

static bool
plain_open (PlainChannel *pc, size_t bytes)
{
  int fd;

  pc->bytes = bytes;
  snprintf (pc->seg_name, sizeof pc->seg_name, "/shmv-bench-%s-plain", bench_pid_tag ());
  snprintf (pc->full_name, sizeof pc->full_name, "/shmv-bench-%s-full", bench_pid_tag ());
  snprintf (pc->empty_name, sizeof pc->empty_name, "/shmv-bench-%s-empty", bench_pid_tag ());
  fd = shm_open (pc->seg_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return bench_fail ("shm_open %s: %s", pc->seg_name, strerror (errno));
  pc->linked = true;
  if (ftruncate (fd, (off_t) bytes) != 0)
    {
      close (fd);
      return bench_fail ("ftruncate: %s", strerror (errno));
    }
  pc->map = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (pc->map == MAP_FAILED)
    {
      pc->map = NULL;
      return bench_fail ("mmap: %s", strerror (errno));
    }
  memset (pc->map, 0, bytes); /* reused, so fault every page in now */
  pc->full = sem_open (pc->full_name, O_CREAT | O_EXCL, 0600, 0);
  if (pc->full == SEM_FAILED)
    return pc->full = NULL, bench_fail ("sem_open %s: %s", pc->full_name, strerror (errno));
  pc->empty = sem_open (pc->empty_name, O_CREAT | O_EXCL, 0600, 0);
  if (pc->empty == SEM_FAILED)
    return pc->empty = NULL, bench_fail ("sem_open %s: %s", pc->empty_name, strerror (errno));
  return true;
}

/* Once the reader holds everything open, the names can go. */
static bool
plain_unlink (PlainChannel *pc)
{
  bool ok = true;

  if (!pc->linked)
    return true;
  if (shm_unlink (pc->seg_name) != 0 && errno != ENOENT)
    ok = bench_fail ("shm_unlink %s: %s", pc->seg_name, strerror (errno));
  if (pc->full != NULL && sem_unlink (pc->full_name) != 0 && errno != ENOENT)
    ok = bench_fail ("sem_unlink %s: %s", pc->full_name, strerror (errno));
  if (pc->empty != NULL && sem_unlink (pc->empty_name) != 0 && errno != ENOENT)
    ok = bench_fail ("sem_unlink %s: %s", pc->empty_name, strerror (errno));
  pc->linked = false;
  return ok;
}

static bool
plain_close (PlainChannel *pc)
{
  bool ok = plain_unlink (pc);

  if (pc->map != NULL && munmap (pc->map, pc->bytes) != 0)
    ok = bench_fail ("munmap: %s", strerror (errno));
  if (pc->full != NULL && sem_close (pc->full) != 0)
    ok = bench_fail ("sem_close: %s", strerror (errno));
  if (pc->empty != NULL && sem_close (pc->empty) != 0)
    ok = bench_fail ("sem_close: %s", strerror (errno));
  return ok;
}

static bool
plain_start_reader (BenchSession *s, PlainChannel *pc)
{
  char bytes[32];
  const char *extra[] = { "--segment",    pc->seg_name, "--full", pc->full_name, "--empty",
                          pc->empty_name, "--bytes",    bytes,    NULL };

  snprintf (bytes, sizeof bytes, "%zu", pc->bytes);
  return bench_session_start (s, "plain") && bench_session_spawn (s, 1, "plain", extra) &&
         plain_unlink (pc);
}

bool
bench_plain_handoff_begin (BenchPlainHandoff *pc, const ShmvImage *frame)
{
  memset (pc, 0, sizeof *pc);
  return plain_open (pc, frame->stride * frame->height) && plain_start_reader (&pc->session, pc);
}

bool
bench_plain_handoff_frame (BenchPlainHandoff *pc, const ShmvImage *frame, double sample[3])
{
  BenchSession *s = &pc->session;
  int i = pc->frames;
  int64_t t0, t1;

  t0 = bench_now_ns ();
  memcpy (pc->map, frame->pixels, pc->bytes);
  t1 = bench_now_ns ();
  if (sem_post (pc->full) != 0)
    return bench_fail ("sem_post: %s", strerror (errno));
  if (!bench_session_wait (s, pc->empty, BENCH_READER_TIMEOUT_MS))
    return false;
  pc->frames++;
  sample[0] = (double) (t1 - t0) / BENCH_NS_PER_MS;
  sample[1] = (double) (s->ctl->done_ns[i] - s->ctl->wake_ns[i]) / BENCH_NS_PER_MS;
  sample[2] = (double) (s->ctl->done_ns[i] - t0) / BENCH_NS_PER_MS;
  return true;
}

bool
bench_plain_handoff_end (BenchPlainHandoff *pc)
{
  bool ok = true;

  if (pc->session.ctl != NULL)
    __atomic_store_n (&pc->session.ctl->stop, 1, __ATOMIC_RELEASE);
  if (pc->full != NULL && sem_post (pc->full) != 0) /* wake the reader to see it */
    ok = bench_fail ("sem_post: %s", strerror (errno));
  if (!bench_session_end (&pc->session))
    ok = false;
  if (!plain_close (pc))
    ok = false;
  memset (pc, 0, sizeof *pc);
  return ok;
}

static bool
futex_loop (int warmup, int samples, BenchSession *s, double *us)
{
  for (int i = 0; i < warmup + samples; i++)
    {
      int64_t start;
      int err;

      bench_sleep_ns (WAKE_GAP_NS);
      if (!bench_session_wait_asleep (s, 0))
        return false;
      /* From before the wake-up call: the woken process often runs before
       * FUTEX_WAKE has returned to its caller. */
      start = bench_now_ns ();
      __atomic_add_fetch (&s->ctl->futex_word, 1, __ATOMIC_RELEASE);
      err = bench_futex_wake (&s->ctl->futex_word);
      if (err != 0)
        return bench_fail ("futex wake: %s", strerror (err));
      if (!bench_session_wait (s, &s->ctl->ack, BENCH_READER_TIMEOUT_MS))
        return false;
      if (i >= warmup)
        us[i - warmup] = (double) (s->ctl->wake_ns[i] - start) / 1000.0;
    }
  return true;
}

bool
bench_futex_wake_latency (const BenchParams *p, int samples, BenchLatency *out)
{
  double *us = calloc ((size_t) samples, sizeof *us);
  BenchSession s;
  bool ok;

  memset (&s, 0, sizeof s);
  ok = us != NULL || bench_fail ("out of memory");
  ok = ok && bench_session_start (&s, "futex") && bench_session_spawn (&s, 1, "futex", NULL);
  ok = ok && futex_loop (p->warmup, samples, &s, us);
  if (!bench_session_end (&s))
    ok = false;
  if (ok)
    bench_latency_from (us, samples, out);
  free (us);
  return ok;
}

/* Reader processes */

static const char *
find_arg (int argc, char **argv, const char *name)
{
  for (int i = 0; i + 1 < argc; i++)
    if (strcmp (argv[i], name) == 0)
      return argv[i + 1];
  return NULL;
}

static bool
stop_requested (BenchCtl *ctl)
{
  return __atomic_load_n (&ctl->stop, __ATOMIC_ACQUIRE) != 0;
}

/* Waits for @sem in slices; false when told to stop. */
static bool
reader_sem_wait (BenchCtl *ctl, sem_t *sem)
{
  while (!stop_requested (ctl))
    if (bench_sem_wait_ms (sem, 200))
      return !stop_requested (ctl);
  return false;
}

typedef struct
{
  const uint8_t *map;
  size_t bytes;
  uint8_t *buf;
  sem_t *full;
  sem_t *empty;
} PlainReader;

static int
plain_reader_open (BenchCtl *ctl, int index, int argc, char **argv, PlainReader *r)
{
  const char *seg = find_arg (argc, argv, "--segment");
  const char *full = find_arg (argc, argv, "--full");
  const char *empty = find_arg (argc, argv, "--empty");
  const char *bytes = find_arg (argc, argv, "--bytes");
  int fd;

  if (seg == NULL || full == NULL || empty == NULL || bytes == NULL)
    return bench_reader_fail (ctl, index, "missing arguments");
  r->bytes = strtoull (bytes, NULL, 10);
  fd = shm_open (seg, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return bench_reader_fail (ctl, index, "shm_open %s: %s", seg, strerror (errno));
  r->map = mmap (NULL, r->bytes, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (r->map == MAP_FAILED)
    return r->map = NULL, bench_reader_fail (ctl, index, "mmap: %s", strerror (errno));
  r->buf = malloc (r->bytes);
  if (r->buf == NULL)
    return bench_reader_fail (ctl, index, "out of memory");
  memcpy (r->buf, r->map, r->bytes); /* every page of both, before timing */
  r->full = sem_open (full, 0);
  r->empty = sem_open (empty, 0);
  if (r->full == SEM_FAILED || r->empty == SEM_FAILED)
    return bench_reader_fail (ctl, index, "sem_open: %s", strerror (errno));
  return 0;
}

static int
plain_reader_run (BenchCtl *ctl, int index, PlainReader *r)
{
  for (uint64_t k = 0; reader_sem_wait (ctl, r->full); k++)
    {
      int64_t woke = bench_now_ns ();

      memcpy (r->buf, r->map, r->bytes);
      if (k < BENCH_MAX_SAMPLES)
        {
          ctl->wake_ns[k] = woke;
          ctl->done_ns[k] = bench_now_ns ();
        }
      ctl->readers[index].frames = k + 1;
      if (sem_post (r->empty) != 0)
        return bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
    }
  return 0;
}

static int
plain_reader_main (BenchCtl *ctl, int index, int argc, char **argv)
{
  PlainReader r;
  int status;

  memset (&r, 0, sizeof r);
  status = plain_reader_open (ctl, index, argc, argv, &r);
  if (status == 0 && sem_post (&ctl->ready) != 0)
    status = bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
  if (status == 0)
    status = plain_reader_run (ctl, index, &r);
  if (r.map != NULL)
    munmap ((void *) r.map, r.bytes);
  if (r.full != NULL && r.full != SEM_FAILED)
    sem_close (r.full);
  if (r.empty != NULL && r.empty != SEM_FAILED)
    sem_close (r.empty);
  free (r.buf);
  return status;
}

static int
futex_reader_main (BenchCtl *ctl, int index)
{
  uint32_t seen = __atomic_load_n (&ctl->futex_word, __ATOMIC_ACQUIRE);

  if (sem_post (&ctl->ready) != 0)
    return bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
  for (uint64_t k = 0; !stop_requested (ctl);)
    {
      uint32_t now = __atomic_load_n (&ctl->futex_word, __ATOMIC_ACQUIRE);
      int err;

      if (now == seen)
        {
          err = bench_futex_wait (&ctl->futex_word, seen, 200);
          if (err != 0 && err != ETIMEDOUT && err != EINTR)
            return bench_reader_fail (ctl, index, "futex wait: %s", strerror (err));
          continue;
        }
      if (k < BENCH_MAX_SAMPLES)
        ctl->wake_ns[k] = bench_now_ns ();
      seen = now;
      ctl->readers[index].frames = ++k;
      if (stop_requested (ctl))
        break;
      if (sem_post (&ctl->ack) != 0)
        return bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
    }
  return 0;
}

int
bench_plain_reader_main (const char *role, BenchCtl *ctl, int index, int argc, char **argv)
{
  if (strcmp (role, "plain") == 0)
    return plain_reader_main (ctl, index, argc, argv);
  if (strcmp (role, "futex") == 0)
    return futex_reader_main (ctl, index);
  if (strcmp (role, "naive") == 0)
    return bench_naive_reader_main (ctl, index);
  return bench_reader_fail (ctl, index, "unknown role %s", role);
}
