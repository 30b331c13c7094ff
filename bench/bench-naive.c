/* bench-naive.c: the path Qt's Shared Memory Example takes, per frame
 *
 * Writer: encode the image as PNG (QDataStream << QImage does that), create a
 * new segment of the encoded size, copy the bytes in. Reader: attach, decode
 * the PNG into a new image, detach. Every frame gets fresh memory on both
 * sides, as in the example, so it pays first-touch page faults as well as
 * zlib. The example has no notification (a button is clicked); a semaphore
 * stands in for the click.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "bench-plain.h"

#include "bench-png.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  char name[64];
  bool linked;
} NaiveSegment;

static bool
naive_create (NaiveSegment *seg, int serial, const BenchBytes *png)
{
  void *map;
  int fd;

  snprintf (seg->name, sizeof seg->name, "/shmv-bench-%s-naive-%d", bench_pid_tag (), serial);
  fd = shm_open (seg->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return bench_fail ("shm_open %s: %s", seg->name, strerror (errno));
  seg->linked = true;
  if (ftruncate (fd, (off_t) png->size) != 0)
    {
      close (fd);
      return bench_fail ("ftruncate: %s", strerror (errno));
    }
  map = mmap (NULL, png->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return bench_fail ("mmap: %s", strerror (errno));
  memcpy (map, png->data, png->size);
  if (munmap (map, png->size) != 0)
    return bench_fail ("munmap: %s", strerror (errno));
  return true;
}

static bool
naive_remove (NaiveSegment *seg)
{
  if (!seg->linked)
    return true;
  seg->linked = false;
  if (shm_unlink (seg->name) == 0)
    return true;
  return bench_fail ("shm_unlink %s: %s", seg->name, strerror (errno));
}

/* One frame: encode, new segment, tell the reader, wait for its pixels. */
static bool
naive_frame (BenchSession *s,
             ShmvImage *frame,
             int i,
             BenchBytes *png,
             double *encode_ms,
             double *handoff_ms)
{
  NaiveSegment seg = { "", false };
  int64_t t0 = bench_now_ns (), t1;
  bool ok;

  ok = bench_png_encode (frame, png);
  t1 = bench_now_ns ();
  ok = ok && !bench_interrupted && naive_create (&seg, i, png);
  if (ok)
    {
      snprintf (s->ctl->naive_name, sizeof s->ctl->naive_name, "%s", seg.name);
      s->ctl->naive_bytes = png->size;
      ok = sem_post (&s->ctl->go) == 0 || bench_fail ("sem_post: %s", strerror (errno));
    }
  ok = ok && bench_session_wait (s, &s->ctl->ack, BENCH_READER_TIMEOUT_MS);
  if (!naive_remove (&seg))
    ok = false;
  *encode_ms = (double) (t1 - t0) / BENCH_NS_PER_MS;
  if (ok)
    *handoff_ms = (double) (s->ctl->done_ns[i] - t0) / BENCH_NS_PER_MS;
  return ok;
}

bool
bench_naive_handoff (const BenchParams *p, ShmvImage *frame, BenchNaive *out)
{
  double *samples = calloc (2 * (size_t) p->runs, sizeof *samples);
  BenchBytes png = { NULL, 0, 0 };
  BenchSession s;
  bool ok;

  memset (&s, 0, sizeof s);
  ok = samples != NULL || bench_fail ("out of memory");
  ok = ok && bench_session_start (&s, "naive") && bench_session_spawn (&s, 1, "naive", NULL);
  /* No warm-up: fresh memory every frame is what this path does. */
  for (int i = 0; ok && i < p->runs; i++)
    {
      bench_image_stamp (frame, (uint64_t) i + 1);
      ok = naive_frame (&s, frame, i, &png, samples + i, samples + p->runs + i);
    }
  if (!bench_session_end (&s))
    ok = false;
  if (ok)
    {
      out->runs = p->runs;
      out->png_bytes = png.size;
      out->encode_ms = bench_median (samples, (size_t) p->runs);
      out->handoff_ms = bench_median (samples + p->runs, (size_t) p->runs);
    }
  bench_bytes_clear (&png);
  free (samples);
  return ok;
}

/* Reader */

static int
naive_read_one (BenchCtl *ctl, int index, uint64_t k)
{
  ShmvImage image;
  struct stat st;
  void *map;
  bool ok;
  int fd = shm_open (ctl->naive_name, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return bench_reader_fail (ctl, index, "shm_open %s: %s", ctl->naive_name, strerror (errno));
  if (fstat (fd, &st) != 0 || (uint64_t) st.st_size != ctl->naive_bytes)
    {
      close (fd);
      return bench_reader_fail (ctl, index, "%s: unexpected size", ctl->naive_name);
    }
  map = mmap (NULL, (size_t) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return bench_reader_fail (ctl, index, "mmap: %s", strerror (errno));
  ok = bench_png_decode_memory (map, (size_t) st.st_size, &image);
  if (k < BENCH_MAX_SAMPLES)
    ctl->done_ns[k] = bench_now_ns ();
  munmap (map, (size_t) st.st_size);
  shmv_image_clear (&image);
  return ok ? 0 : bench_reader_fail (ctl, index, "cannot decode the PNG");
}

int
bench_naive_reader_main (BenchCtl *ctl, int index)
{
  if (sem_post (&ctl->ready) != 0)
    return bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
  for (uint64_t k = 0;; k++)
    {
      int status;

      while (!bench_sem_wait_ms (&ctl->go, 200))
        if (__atomic_load_n (&ctl->stop, __ATOMIC_ACQUIRE))
          return 0;
      if (__atomic_load_n (&ctl->stop, __ATOMIC_ACQUIRE))
        return 0;
      status = naive_read_one (ctl, index, k);
      if (status != 0)
        return status;
      ctl->readers[index].frames = k + 1;
      if (sem_post (&ctl->ack) != 0)
        return bench_reader_fail (ctl, index, "sem_post: %s", strerror (errno));
    }
}
