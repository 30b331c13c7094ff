/* bench-util.h: clocks, statistics, and the reader processes of a measurement
 *
 * Every measurement runs its readers as separate processes (this program
 * started again with --reader-role), set up before any timing starts. Writer
 * and readers share a small control block: process-shared semaphores for
 * "ready" and "frame done", a stop flag, and the readers' timestamps.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <shmview/shmview.h>

#define BENCH_MAX_READERS 16
#define BENCH_MAX_SAMPLES 8192

#define BENCH_NS_PER_MS 1e6

/* How long a writer waits for a reader before calling it stuck. */
#define BENCH_READER_TIMEOUT_MS 20000

typedef struct
{
  uint64_t frames;          /* frames copied, all of them */
  uint64_t window_frames;   /* frames of the measured window (streaming) */
  uint32_t last_generation; /* of the last frame copied */
  uint32_t reserved;
  int64_t anon_kib; /* RssAnon when the reader left */
  char error[256];  /* why the reader gave up; "" if it did not */
} BenchReaderState;

typedef struct
{
  sem_t ready; /* each reader posts once, set up and about to wait */
  sem_t ack;   /* a reader posts after each sampled frame */
  sem_t go;    /* the naive path: a new segment is there */
  uint32_t stop;
  uint32_t futex_word; /* the raw futex reference */
  /* streaming: frames whose generation lies in (window_from, window_to]
   * are counted; window_to == 0 means "not closed yet" */
  uint32_t window_from;
  uint32_t window_to;
  /* the naive path: where the current PNG is */
  char naive_name[64];
  uint64_t naive_bytes;
  BenchReaderState readers[BENCH_MAX_READERS];
  /* per sampled frame, CLOCK_MONOTONIC in ns: reader woke, copy complete */
  int64_t wake_ns[BENCH_MAX_SAMPLES];
  int64_t done_ns[BENCH_MAX_SAMPLES];
  int32_t cpu[BENCH_MAX_SAMPLES]; /* where the reader ran once woken */
} BenchCtl;

/* The yardstick: one memcpy() of the frame into a buffer of our own. It is
 * sampled between the frames of each measurement, so that a ratio compares
 * times taken in the same seconds: this VM's memory bandwidth drifts by a
 * third from one minute to the next. */
typedef struct
{
  uint8_t *dst;
  size_t bytes;
  double *samples;
  int n;
  int capacity;
} BenchYardstick;

bool bench_yardstick_init (BenchYardstick *y, size_t bytes, int capacity);
void bench_yardstick_clear (BenchYardstick *y);
void bench_yardstick_reset (BenchYardstick *y);

/* Copies @src once; keeps the time if @keep (else it only warms up). */
void bench_yardstick_sample (BenchYardstick *y, const void *src, bool keep);

/* The median of the samples since the last reset. */
double bench_yardstick_median (const BenchYardstick *y);

/* What every measurement needs to know. */
typedef struct
{
  const char *key_prefix;    /* channel keys start with it */
  int warmup;                /* frames before timing starts */
  int runs;                  /* frames timed (medians over them) */
  BenchYardstick *yardstick; /* sampled once per timed frame */
} BenchParams;

/* A control block and the reader processes of one measurement. */
typedef struct
{
  char ctl_name[64];
  BenchCtl *ctl;
  bool ctl_linked; /* the name still exists in /dev/shm */
  pid_t pids[BENCH_MAX_READERS];
  int n_readers;
} BenchSession;

extern volatile sig_atomic_t bench_interrupted;

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that only set
 * bench_interrupted: every wait in the writer gives up soon after, and the
 * normal cleanup removes what we created. */
bool bench_install_signal_handlers (void);

/* Prints "shmview-bench: <message>" to stderr and returns false. */
bool bench_fail (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

int64_t bench_now_ns (void);
void bench_sleep_ns (int64_t ns);

/* Sorts @values and returns the value at fraction @p (0..1), interpolated. */
double bench_percentile (double *values, size_t n, double p);
double bench_median (double *values, size_t n);

/* Our process id as a short tag, for names nobody else uses. */
const char *bench_pid_tag (void);

/* The absolute path of this executable, for starting readers. */
bool bench_init_self_path (void);

/* Synthetic photo-like pixels: smooth gradients plus a few bits of noise, so
 * that PNG compresses them about as well as a photo. */
bool bench_image_synthetic (ShmvImage *image, uint32_t width, uint32_t height);

/* Writes @counter into the first bytes of @image, so that every frame differs. */
void bench_image_stamp (ShmvImage *image, uint64_t counter);

bool bench_session_start (BenchSession *s, const char *what);

/* Starts @n readers of @role (extra arguments after the common ones) and
 * waits until every one is set up. */
bool bench_session_spawn (BenchSession *s, int n, const char *role, const char *const *extra);

/* Waits for @sem, giving up on interruption, a reader's death, or timeout. */
bool bench_session_wait (BenchSession *s, sem_t *sem, int timeout_ms);

/* Waits until reader @index sleeps in the kernel (its state is 'S'). */
bool bench_session_wait_asleep (BenchSession *s, int index);

/* Tells the readers to stop and reaps them (killing the ones that do not
 * leave). Returns false if a reader failed. The control block stays mapped. */
bool bench_session_stop_readers (BenchSession *s);

/* Stops the readers if needed, then unmaps and removes the control block. */
bool bench_session_end (BenchSession *s);

/* Reader side: maps the control block named @name. */
BenchCtl *bench_ctl_attach (const char *name);
void bench_ctl_detach (BenchCtl *ctl);

/* Reader side: records why it gives up, for the writer to print. */
int bench_reader_fail (BenchCtl *ctl, int index, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Reader side: the process's anonymous memory now, in KiB (-1 if unknown). */
int64_t bench_anon_kib (void);

/* Waits on a semaphore at most @timeout_ms; false on timeout or error. */
bool bench_sem_wait_ms (sem_t *sem, int timeout_ms);

/* Raw futex calls on a word in shared memory (no FUTEX_PRIVATE_FLAG). */
int bench_futex_wait (uint32_t *word, uint32_t expected, int timeout_ms);
int bench_futex_wake (uint32_t *word);
