/* bench-util.c: clocks, statistics, and the reader processes of a measurement
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "bench-util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

volatile sig_atomic_t bench_interrupted;

static char self_path[PATH_MAX];

static void
on_signal (int signo)
{
  bench_interrupted = signo;
}

bool
bench_install_signal_handlers (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  /* No SA_RESTART: a signal must cut every wait short. */
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
    if (sigaction (signals[i], &action, NULL) != 0)
      return bench_fail ("sigaction: %s", strerror (errno));
  return true;
}

bool
bench_fail (const char *format, ...)
{
  va_list args;

  fputs ("shmview-bench: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  return false;
}

int64_t
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
bench_sleep_ns (int64_t ns)
{
  struct timespec ts = { ns / 1000000000, ns % 1000000000 };

  while (nanosleep (&ts, &ts) != 0 && errno == EINTR && !bench_interrupted)
    ;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_percentile (double *values, size_t n, double p)
{
  double rank, frac;
  size_t lo;

  if (n == 0)
    return 0.0;
  qsort (values, n, sizeof *values, compare_doubles);
  rank = p * (double) (n - 1);
  lo = (size_t) rank;
  frac = rank - (double) lo;
  if (lo + 1 >= n)
    return values[n - 1];
  return values[lo] + frac * (values[lo + 1] - values[lo]);
}

double
bench_median (double *values, size_t n)
{
  return bench_percentile (values, n, 0.5);
}

const char *
bench_pid_tag (void)
{
  static char tag[32];

  if (tag[0] == '\0')
    snprintf (tag, sizeof tag, "%ld", (long) getpid ());
  return tag;
}

bool
bench_init_self_path (void)
{
  ssize_t len = readlink ("/proc/self/exe", self_path, sizeof self_path - 1);

  if (len <= 0)
    return bench_fail ("cannot find this executable: %s", strerror (errno));
  self_path[len] = '\0';
  return true;
}

static uint32_t
xorshift (uint32_t *state)
{
  uint32_t x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

bool
bench_image_synthetic (ShmvImage *image, uint32_t width, uint32_t height)
{
  uint32_t state = 2463534242u;

  memset (image, 0, sizeof *image);
  image->pixels = malloc ((size_t) width * height * 4);
  if (image->pixels == NULL)
    return bench_fail ("out of memory for a %ux%u frame", width, height);
  image->width = width;
  image->height = height;
  image->stride = (size_t) width * 4;
  image->format = SHMV_FORMAT_RGBA8;
  for (uint32_t y = 0; y < height; y++)
    {
      uint8_t *row = image->pixels + (size_t) y * image->stride;

      for (uint32_t x = 0; x < width; x++)
        {
          uint32_t noise = xorshift (&state);
          uint32_t gx = (uint32_t) ((uint64_t) x * 255 / width);
          uint32_t gy = (uint32_t) ((uint64_t) y * 255 / height);

          row[4 * x + 0] = (uint8_t) (gx + (noise & 15));
          row[4 * x + 1] = (uint8_t) (gy + ((noise >> 8) & 15));
          row[4 * x + 2] = (uint8_t) ((gx + gy) / 2 + ((noise >> 16) & 15));
          row[4 * x + 3] = 255;
        }
    }
  return true;
}

void
bench_image_stamp (ShmvImage *image, uint64_t counter)
{
  size_t bytes = image->stride * image->height;

  memcpy (image->pixels, &counter, bytes < sizeof counter ? bytes : sizeof counter);
}

bool
bench_yardstick_init (BenchYardstick *y, size_t bytes, int capacity)
{
  memset (y, 0, sizeof *y);
  y->dst = malloc (bytes);
  y->samples = calloc ((size_t) capacity, sizeof *y->samples);
  if (y->dst == NULL || y->samples == NULL)
    {
      bench_yardstick_clear (y);
      return bench_fail ("out of memory for the memcpy yardstick");
    }
  memset (y->dst, 0, bytes); /* no page faults in the first sample */
  y->bytes = bytes;
  y->capacity = capacity;
  return true;
}

void
bench_yardstick_clear (BenchYardstick *y)
{
  free (y->dst);
  free (y->samples);
  memset (y, 0, sizeof *y);
}

void
bench_yardstick_reset (BenchYardstick *y)
{
  y->n = 0;
}

void
bench_yardstick_sample (BenchYardstick *y, const void *src, bool keep)
{
  int64_t t0 = bench_now_ns ();

  memcpy (y->dst, src, y->bytes);
  /* The copy is never read: keep the compiler from dropping it. */
  __asm__ volatile("" : : "r"(y->dst) : "memory");
  if (keep && y->n < y->capacity)
    y->samples[y->n++] = (double) (bench_now_ns () - t0) / BENCH_NS_PER_MS;
}

double
bench_yardstick_median (const BenchYardstick *y)
{
  double *copy = malloc ((size_t) (y->n > 0 ? y->n : 1) * sizeof *copy);
  double median;

  if (copy == NULL)
    return 0.0;
  memcpy (copy, y->samples, (size_t) y->n * sizeof *copy);
  median = bench_median (copy, (size_t) y->n);
  free (copy);
  return median;
}

static BenchCtl *
map_ctl (int fd)
{
  void *map = mmap (NULL, sizeof (BenchCtl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

  return map == MAP_FAILED ? NULL : map;
}

static bool
init_semaphores (BenchCtl *ctl)
{
  if (sem_init (&ctl->ready, 1, 0) != 0 || sem_init (&ctl->ack, 1, 0) != 0 ||
      sem_init (&ctl->go, 1, 0) != 0)
    return bench_fail ("sem_init: %s", strerror (errno));
  return true;
}

bool
bench_session_start (BenchSession *s, const char *what)
{
  int fd;

  memset (s, 0, sizeof *s);
  snprintf (s->ctl_name, sizeof s->ctl_name, "/shmv-bench-%s-%s-ctl", bench_pid_tag (), what);
  fd = shm_open (s->ctl_name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return bench_fail ("shm_open %s: %s", s->ctl_name, strerror (errno));
  s->ctl_linked = true;
  if (ftruncate (fd, sizeof (BenchCtl)) != 0)
    {
      bench_fail ("ftruncate %s: %s", s->ctl_name, strerror (errno));
      close (fd);
      bench_session_end (s);
      return false;
    }
  s->ctl = map_ctl (fd);
  if (s->ctl == NULL)
    bench_fail ("mmap %s: %s", s->ctl_name, strerror (errno));
  close (fd);
  if (s->ctl == NULL || !init_semaphores (s->ctl))
    {
      bench_session_end (s);
      return false;
    }
  return true;
}

static bool
spawn_one (BenchSession *s, int index, const char *role, const char *const *extra)
{
  char index_arg[16], parent_arg[32];
  const char *argv[32];
  size_t n = 0;
  int err;

  snprintf (index_arg, sizeof index_arg, "%d", index);
  snprintf (parent_arg, sizeof parent_arg, "%ld", (long) getpid ());
  argv[n++] = "shmview-bench";
  argv[n++] = "--reader-role";
  argv[n++] = role;
  argv[n++] = "--ctl";
  argv[n++] = s->ctl_name;
  argv[n++] = "--index";
  argv[n++] = index_arg;
  argv[n++] = "--parent";
  argv[n++] = parent_arg;
  for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
    argv[n++] = extra[i];
  argv[n] = NULL;
  /* posix_spawn, not fork: the writer's big buffers never become
   * copy-on-write, so its first writes after the spawn take no faults. */
  err = posix_spawn (&s->pids[index], self_path, NULL, NULL, (char *const *) argv, environ);
  if (err != 0)
    return bench_fail ("cannot start a reader: %s", strerror (err));
  s->n_readers = index + 1;
  return true;
}

bool
bench_session_spawn (BenchSession *s, int n, const char *role, const char *const *extra)
{
  if (n < 1 || n > BENCH_MAX_READERS)
    return bench_fail ("between 1 and %d readers, please", BENCH_MAX_READERS);
  for (int i = 0; i < n; i++)
    if (!spawn_one (s, i, role, extra))
      return false;
  for (int i = 0; i < n; i++)
    if (!bench_session_wait (s, &s->ctl->ready, BENCH_READER_TIMEOUT_MS))
      return false;
  /* Every reader has mapped the control block: its name can go now, so
   * nothing is left behind even if this process is killed. */
  if (shm_unlink (s->ctl_name) != 0)
    return bench_fail ("shm_unlink %s: %s", s->ctl_name, strerror (errno));
  s->ctl_linked = false;
  return true;
}

static bool
reader_failed (BenchSession *s, int index, int status)
{
  const char *why = s->ctl != NULL ? s->ctl->readers[index].error : "";

  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return false;
  if (bench_interrupted)
    return true; /* ^C reached the readers too: nothing to explain */
  if (why[0] != '\0')
    bench_fail ("reader %d: %s", index, why);
  else if (WIFSIGNALED (status))
    bench_fail ("reader %d was killed by signal %d", index, WTERMSIG (status));
  else
    bench_fail ("reader %d exited with status %d", index, WEXITSTATUS (status));
  return true;
}

/* Reaps readers that already left; false if one failed or left early. */
static bool
readers_alive (BenchSession *s)
{
  for (int i = 0; i < s->n_readers; i++)
    {
      int status;
      pid_t got;

      if (s->pids[i] <= 0)
        continue;
      got = waitpid (s->pids[i], &status, WNOHANG);
      if (got == 0)
        continue;
      s->pids[i] = 0;
      if (got < 0)
        return bench_fail ("waitpid: %s", strerror (errno));
      if (!reader_failed (s, i, status))
        bench_fail ("reader %d left before the end", i);
      return false;
    }
  return true;
}

bool
bench_sem_wait_ms (sem_t *sem, int timeout_ms)
{
  int64_t deadline = bench_now_ns () + (int64_t) timeout_ms * 1000000;
  struct timespec ts = { deadline / 1000000000, deadline % 1000000000 };

  return sem_clockwait (sem, CLOCK_MONOTONIC, &ts) == 0;
}

bool
bench_session_wait (BenchSession *s, sem_t *sem, int timeout_ms)
{
  int64_t deadline = bench_now_ns () + (int64_t) timeout_ms * 1000000;

  for (;;)
    {
      /* Short slices: notice a dead reader or a ^C quickly. */
      if (bench_sem_wait_ms (sem, 100))
        return true;
      if (errno != ETIMEDOUT && errno != EINTR)
        return bench_fail ("sem_clockwait: %s", strerror (errno));
      if (bench_interrupted)
        return false; /* main () says so */
      if (!readers_alive (s))
        return false;
      if (bench_now_ns () > deadline)
        return bench_fail ("a reader did not answer within %d ms", timeout_ms);
    }
}

static int
process_state (pid_t pid)
{
  char path[64], buf[512];
  const char *paren;
  ssize_t len;
  int fd;

  snprintf (path, sizeof path, "/proc/%ld/stat", (long) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  len = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (len <= 0)
    return -1;
  buf[len] = '\0';
  /* "pid (comm) S ...": comm may hold anything, so look after the last ')'. */
  paren = strrchr (buf, ')');
  return paren != NULL && paren[1] == ' ' ? paren[2] : -1;
}

bool
bench_session_wait_asleep (BenchSession *s, int index)
{
  int64_t deadline = bench_now_ns () + 2000000000;

  for (;;)
    {
      int state = process_state (s->pids[index]);

      if (state == 'S')
        return true;
      if (state < 0)
        return bench_fail ("cannot read the state of reader %d", index);
      if (bench_interrupted)
        return false; /* main () says so */
      if (bench_now_ns () > deadline)
        return bench_fail ("reader %d did not go to sleep", index);
      bench_sleep_ns (20000);
    }
}

static bool
reap_all (BenchSession *s)
{
  bool ok = true;
  int64_t deadline = bench_now_ns () + 3000000000;

  for (int i = 0; i < s->n_readers; i++)
    {
      int status = 0;
      pid_t got = 0;

      while (s->pids[i] > 0 && (got = waitpid (s->pids[i], &status, WNOHANG)) == 0 &&
             bench_now_ns () < deadline)
        bench_sleep_ns (2000000);
      if (s->pids[i] > 0 && got == 0)
        {
          /* Stuck (or we were interrupted): it is ours, stop it. */
          if (kill (s->pids[i], SIGTERM) != 0)
            bench_fail ("kill: %s", strerror (errno));
          got = waitpid (s->pids[i], &status, 0);
          status = 0; /* killed on purpose: not a failure of its own */
        }
      if (s->pids[i] > 0 && got < 0)
        ok = bench_fail ("waitpid: %s", strerror (errno));
      else if (s->pids[i] > 0 && reader_failed (s, i, status))
        ok = false;
      s->pids[i] = 0;
    }
  return ok;
}

bool
bench_session_stop_readers (BenchSession *s)
{
  if (s->ctl != NULL)
    {
      __atomic_store_n (&s->ctl->stop, 1, __ATOMIC_RELEASE);
      /* Readers sleeping on the naive path's semaphore or the raw futex
       * wake up and see the flag; channel readers are woken by the
       * channel's removal, the plain baseline's by its own semaphore. */
      for (int i = 0; i < s->n_readers; i++)
        if (sem_post (&s->ctl->go) != 0)
          bench_fail ("sem_post: %s", strerror (errno));
      __atomic_add_fetch (&s->ctl->futex_word, 1, __ATOMIC_RELEASE);
      bench_futex_wake (&s->ctl->futex_word);
    }
  if (bench_interrupted)
    for (int i = 0; i < s->n_readers; i++)
      if (s->pids[i] > 0 && kill (s->pids[i], SIGTERM) != 0)
        bench_fail ("kill: %s", strerror (errno));
  return reap_all (s);
}

bool
bench_session_end (BenchSession *s)
{
  bool ok = bench_session_stop_readers (s);

  if (s->ctl != NULL && munmap (s->ctl, sizeof (BenchCtl)) != 0)
    ok = bench_fail ("munmap: %s", strerror (errno));
  s->ctl = NULL;
  if (s->ctl_linked && shm_unlink (s->ctl_name) != 0)
    ok = bench_fail ("shm_unlink %s: %s", s->ctl_name, strerror (errno));
  s->ctl_linked = false;
  return ok;
}

BenchCtl *
bench_ctl_attach (const char *name)
{
  int fd = shm_open (name, O_RDWR | O_CLOEXEC, 0);
  BenchCtl *ctl;

  if (fd < 0)
    return NULL;
  ctl = map_ctl (fd);
  close (fd);
  return ctl;
}

void
bench_ctl_detach (BenchCtl *ctl)
{
  if (ctl != NULL)
    munmap (ctl, sizeof *ctl);
}

int
bench_reader_fail (BenchCtl *ctl, int index, const char *format, ...)
{
  char *error = ctl->readers[index].error;
  va_list args;

  va_start (args, format);
  vsnprintf (error, sizeof ctl->readers[index].error, format, args);
  va_end (args);
  return 1;
}

int64_t
bench_anon_kib (void)
{
  FILE *f = fopen ("/proc/self/status", "re");
  char line[256];
  long long kib = -1;

  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    if (sscanf (line, "RssAnon: %lld kB", &kib) == 1)
      break;
  fclose (f);
  return kib;
}

int
bench_futex_wait (uint32_t *word, uint32_t expected, int timeout_ms)
{
  struct timespec timeout = { timeout_ms / 1000, (long) (timeout_ms % 1000) * 1000000 };

  if (syscall (SYS_futex, word, FUTEX_WAIT, expected, &timeout, NULL, 0) == 0)
    return 0;
  return errno == EAGAIN ? 0 : errno;
}

int
bench_futex_wake (uint32_t *word)
{
  if (syscall (SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) < 0)
    return errno;
  return 0;
}
