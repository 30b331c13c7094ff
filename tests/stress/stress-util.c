/* stress-util.c: what every long reliability test needs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-names.h"
#include "shmv-segment-private.h"
#include "shmv-syslock.h"
#include "shmv-test-point.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* An odd constant (2^64 / golden ratio): consecutive words differ in most bits. */
#define PATTERN_STEP G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)

#define MAX_KEYS     512
#define MAX_CHILDREN 256

/* Filled in before any signal can need them: the handler only reads. */
static char registered_names[MAX_KEYS][40];
static volatile sig_atomic_t n_registered;
static volatile pid_t children[MAX_CHILDREN];
static pid_t main_pid;

static void
fill_words (guint64 *words, gsize first, gsize n, guint32 seed)
{
  guint64 high = (guint64) seed << 32;
  guint64 mix = first * PATTERN_STEP;

  for (gsize i = 0; i < n; i++, mix += PATTERN_STEP)
    words[i] = high ^ mix;
}

void
stress_fill (void *dest, gsize bytes, guint32 seed)
{
  fill_words (dest, 0, bytes / 8, seed);
}

gboolean
stress_check (const void *pixels, gsize bytes, guint32 *seed)
{
  const guint64 *words = pixels;
  gsize n = bytes / 8;
  guint64 high, mix = 0;

  if (n == 0 || (words[0] & 0xFFFFFFFFu) != 0)
    return FALSE;
  high = words[0] & G_GUINT64_CONSTANT (0xFFFFFFFF00000000);
  for (gsize i = 0; i < n; i++, mix += PATTERN_STEP)
    if (words[i] != (high ^ mix))
      return FALSE;
  if (seed != NULL)
    *seed = (guint32) (high >> 32);
  return TRUE;
}

gint64
stress_env_int (const char *name, gint64 fallback)
{
  const char *value = g_getenv (name);
  char *end = NULL;
  gint64 n;

  if (value == NULL || *value == '\0')
    return fallback;
  n = g_ascii_strtoll (value, &end, 10);
  if (end == NULL || *end != '\0')
    g_error ("%s=%s is not a number", name, value);
  return n;
}

void
stress_figure (const char *test, const char *name, const char *format, ...)
{
  g_autofree char *value = NULL;
  const char *path = g_getenv ("SHMV_STRESS_FIGURES");
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("figure %s %s = %s", test, name, value);
  if (path != NULL && *path != '\0')
    {
      FILE *out = fopen (path, "a");

      if (out == NULL)
        g_error ("cannot append to %s: %s", path, g_strerror (errno));
      fprintf (out, "%s %s %s\n", test, name, value);
      fclose (out);
    }
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
stress_samples_init (StressSamples *s)
{
  s->values = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
stress_samples_add (StressSamples *s, gint64 value)
{
  g_array_append_val (s->values, value);
}

gint64
stress_samples_percentile (StressSamples *s, double p)
{
  guint index;

  if (s->values->len == 0)
    return 0;
  g_array_sort (s->values, compare_gint64);
  index = (guint) (p / 100.0 * (s->values->len - 1) + 0.5);
  return g_array_index (s->values, gint64, MIN (index, s->values->len - 1));
}

gint64
stress_samples_max (StressSamples *s)
{
  return stress_samples_percentile (s, 100.0);
}

void
stress_samples_clear (StressSamples *s)
{
  g_clear_pointer (&s->values, g_array_unref);
}

gpointer
stress_shared_new (gsize size)
{
  gpointer mem = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

  g_assert_true (mem != MAP_FAILED);
  return mem;
}

void
stress_shared_free (gpointer mem, gsize size)
{
  munmap (mem, size);
}

static void
remember_child (pid_t pid)
{
  for (int i = 0; i < MAX_CHILDREN; i++)
    if (children[i] == 0)
      {
        children[i] = pid;
        return;
      }
  g_error ("more than %d children at once", MAX_CHILDREN);
}

static void
forget_child (pid_t pid)
{
  for (int i = 0; i < MAX_CHILDREN; i++)
    if (children[i] == pid)
      children[i] = 0;
}

pid_t
stress_fork (StressChildFunc func, gpointer data)
{
  pid_t parent = getpid ();
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* A child outliving a failed test would keep its channel alive. */
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != parent)
        _exit (99);
      for (int i = 0; i < MAX_CHILDREN; i++)
        children[i] = 0;
      _exit (func (data));
    }
  remember_child (pid);
  return pid;
}

void
stress_kill (pid_t pid)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  forget_child (pid);
}

static const char *stop_point;
static int stop_countdown;

static void
stop_here (const char *point)
{
  if (strcmp (point, stop_point) == 0 && --stop_countdown == 0)
    raise (SIGSTOP);
}

void
stress_stop_at (const char *point, int nth)
{
  stop_point = point;
  stop_countdown = nth;
  shmv_test_point_hook = stop_here;
}

static int
wait_for (pid_t pid, int timeout_ms, int flags)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status;

  for (;;)
    {
      pid_t got = waitpid (pid, &status, WNOHANG | flags);

      if (got == pid && WIFSTOPPED (status))
        return status;
      if (got == pid)
        {
          forget_child (pid);
          return status;
        }
      if (got < 0 && errno != EINTR)
        g_error ("waitpid %d: %s", (int) pid, g_strerror (errno));
      if (g_get_monotonic_time () > deadline)
        {
          stress_kill (pid);
          return -1;
        }
      g_usleep (2000);
    }
}

int
stress_wait (pid_t pid, int timeout_ms)
{
  return wait_for (pid, timeout_ms, 0);
}

int
stress_wait_stopped (pid_t pid, int timeout_ms)
{
  return wait_for (pid, timeout_ms, WUNTRACED);
}

/* Async-signal-safe: pread, semget, semctl, shm_unlink, kill. */
static void
remove_native (const char *name)
{
  ShmvSegmentPrefix prefix;
  char path[64] = "/dev/shm";
  int fd;

  strncat (path, name, sizeof path - strlen (path) - 1);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      if (pread (fd, &prefix, sizeof prefix, 0) == (ssize_t) sizeof prefix &&
          memcmp (prefix.magic, SHMV_SEGMENT_MAGIC, sizeof prefix.magic) == 0)
        {
          int semid = semget (prefix.lock_key, 0, 0);

          if (semid >= 0)
            semctl (semid, 0, IPC_RMID);
        }
      close (fd);
    }
  shm_unlink (name);
}

void
stress_cleanup (void)
{
  if (main_pid != 0 && getpid () != main_pid)
    return;
  for (int i = 0; i < MAX_CHILDREN; i++)
    if (children[i] > 0)
      {
        kill (children[i], SIGKILL);
        waitpid (children[i], NULL, 0);
        children[i] = 0;
      }
  for (int i = 0; i < n_registered; i++)
    remove_native (registered_names[i]);
}

static void
on_fatal_signal (int signo)
{
  stress_cleanup ();
  signal (signo, SIG_DFL);
  raise (signo);
}

static void
install_handlers (void)
{
  static const int signals[] = { SIGABRT, SIGTERM, SIGINT, SIGSEGV, SIGBUS, SIGTRAP };
  struct sigaction action;

  if (main_pid != 0)
    return;
  main_pid = getpid ();
  memset (&action, 0, sizeof action);
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset (&action.sa_mask);
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, NULL);
}

void
stress_register_key (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);

  install_handlers ();
  g_assert_cmpint (n_registered, <, MAX_KEYS);
  g_strlcpy (registered_names[n_registered], shmv_segment_native_key (seg),
             sizeof registered_names[0]);
  n_registered++;
  shmv_segment_free (seg);
}

void
stress_remove_key (const char *key)
{
  ShmvChannel *ch = shmv_channel_new (key);

  shmv_channel_remove (ch);
  shmv_channel_free (ch);
}

int
stress_lock_key_of (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvSegmentPrefix prefix;
  char path[64];
  int fd, lock_key = -1;

  g_snprintf (path, sizeof path, "/dev/shm%s", shmv_segment_native_key (seg));
  shmv_segment_free (seg);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (pread (fd, &prefix, sizeof prefix, 0) == (ssize_t) sizeof prefix &&
      memcmp (prefix.magic, SHMV_SEGMENT_MAGIC, sizeof prefix.magic) == 0)
    lock_key = prefix.lock_key;
  close (fd);
  return lock_key;
}

gboolean
stress_lock_exists (int lock_key)
{
  return semget ((key_t) lock_key, 0, 0) >= 0;
}

gboolean
stress_ipcs_lists (int lock_key)
{
  g_autofree char *out = NULL;
  g_autofree char *needle = g_strdup_printf ("0x%08x ", (unsigned) lock_key);
  g_autofree char *ipcs = g_find_program_in_path ("ipcs");
  const char *argv[] = { ipcs, "-s", NULL };

  if (ipcs == NULL)
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL))
    return FALSE;
  return strstr (out, needle) != NULL;
}

/* Says what a leftover segment is and who holds it, before the assertion
 * fails: a failure under load must explain itself. */
static void
describe_leftover (const char *native)
{
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", native);
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  ShmvSegmentPrefix prefix = { 0 };
  struct stat st;
  const char *pid;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);

  if (fd < 0 || fstat (fd, &st) < 0)
    return;
  (void) !pread (fd, &prefix, sizeof prefix, 0);
  close (fd);
  prefix.key[sizeof prefix.key - 1] = '\0';
  g_printerr (
      "# left behind: %s, %lld bytes, mode %o, ctime %lld, magic %.8s, flags %u, key %.60s\n", path,
      (long long) st.st_size, (unsigned) st.st_mode & 07777, (long long) st.st_ctime, prefix.magic,
      prefix.flags, prefix.key);
  while (proc != NULL && (pid = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fds = g_strdup_printf ("/proc/%s/fd", pid);
      g_autoptr (GDir) dir = g_dir_open (fds, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *link = g_strdup_printf ("%s/%s", fds, name);
          g_autofree char *target = g_file_read_link (link, NULL);

          if (target != NULL && g_str_has_prefix (target, path))
            g_printerr ("# held by pid %s (fd %s)\n", pid, name);
        }
    }
}

void
stress_assert_nothing_left (const char *key, int lock_key)
{
  ShmvSegment *seg = shmv_segment_new (key);

  if (shmv_test_shm_exists (shmv_segment_native_key (seg)))
    describe_leftover (shmv_segment_native_key (seg));
  g_assert_false (shmv_test_shm_exists (shmv_segment_native_key (seg)));
  shmv_segment_free (seg);
  if (lock_key != -1)
    {
      g_assert_false (stress_lock_exists (lock_key));
      g_assert_false (stress_ipcs_lists (lock_key));
    }
}

int
stress_count_lock_sets (const char *key)
{
  ShmvSegment *seg = shmv_segment_new (key);
  key_t first = shmv_sysv_key_for (shmv_segment_native_key (seg));
  int n = 0;

  shmv_segment_free (seg);
  for (int i = 0; i < SHMV_SYSLOCK_MAX_PROBES; i++)
    {
      gboolean exists = stress_lock_exists (first + i);

      g_assert_cmpint (stress_ipcs_lists (first + i), ==, exists);
      n += exists;
    }
  return n;
}

/* Row by row, telling the channel as it goes: the path a PNG decoder takes,
 * and the one that holds the lock longest with a half-written slot. */
static gboolean
publish_in_place (ShmvChannel *ch, guint32 width, guint32 height, guint32 seed)
{
  guint8 *dest;
  gsize stride;
  gsize words_per_row;

  if (!shmv_channel_begin_frame (ch, width, height, SHMV_FORMAT_RGBA8, (void **) &dest, &stride))
    return FALSE;
  words_per_row = stride / 8;
  for (guint32 y = 0; y < height; y++)
    {
      fill_words ((guint64 *) (dest + (gsize) y * stride), (gsize) y * words_per_row, words_per_row,
                  seed);
      if ((y + 1) % 64 == 0)
        shmv_channel_rows_done (ch, y + 1);
    }
  return shmv_channel_commit_frame (ch, "stress-in-place");
}

gboolean
stress_publish (ShmvChannel *ch, guint32 width, guint32 height, guint32 seed, void *scratch)
{
  gsize stride = (gsize) width * 4;

  g_assert_cmpuint (stride % 8, ==, 0);
  if (seed % 2 == 1)
    return publish_in_place (ch, width, height, seed);
  stress_fill (scratch, stride * height, seed);
  return shmv_channel_publish (ch, scratch, width, height, stride, SHMV_FORMAT_RGBA8,
                               "stress-copied");
}

gboolean
stress_is_root (void)
{
  return geteuid () == 0;
}

gboolean
stress_under_asan (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return TRUE;
#else
  return FALSE;
#endif
#else
  return FALSE;
#endif
}

gint64
stress_rss_kib (pid_t pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, needle);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (needle), NULL, 10);
}

void
stress_protection_failed (const char *what)
{
  g_test_fail_printf ("a protection failed: %s", what);
}
