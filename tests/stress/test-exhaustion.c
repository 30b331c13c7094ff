/* test-exhaustion.c: out of /dev/shm, out of descriptors, out of locks
 *
 * Scenario 6 of docs/RELIABILITY.md. Each case runs in a child process:
 * - /dev/shm full: the child gets its own mount namespace with a 4 MiB
 *   tmpfs over /dev/shm (root only). A frame that does not fit must fail
 *   with SHMV_ERROR_OUT_OF_RESOURCES, the previous frame must stay readable,
 *   and nothing may die of SIGBUS;
 * - descriptors: RLIMIT_NOFILE is set so that 0, 1, 2... descriptors are
 *   free, and every call that needs one must fail with a clear error (never
 *   a misleading one, never a crash), then work again once the limit rises;
 * - System V semaphore sets: in its own IPC namespace the child lowers
 *   SEMMNI to 8 (root only); the ninth channel must fail cleanly and leave
 *   nothing behind.
 *
 * What it proves, and what breaks it: posix_fallocate() in create and grow
 * (with ftruncate alone the first touch of a missing page is a SIGBUS: the
 * child dies), the "a failed grow changes nothing" order in begin_frame
 * (the previous frame would be lost), and errno-to-code mapping everywhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include "stress-util.h"

#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP_STATUS 77

/* Runs @func in a child; skips the test on SKIP_STATUS, fails on a signal. */
static gboolean
run_child (StressChildFunc func, gpointer data)
{
  int status = stress_wait (stress_fork (func, data), 120000);

  g_assert_cmpint (status, !=, -1);
  if (WIFSIGNALED (status))
    g_error ("the child died of signal %d", WTERMSIG (status));
  if (WEXITSTATUS (status) == SKIP_STATUS)
    {
      g_test_skip ("no mount or IPC namespace here (needs root)");
      return FALSE;
    }
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return TRUE;
}

/* A private /dev/shm of @size for this process and its children. */

static void
assert_frame (ShmvChannel *reader, guint32 seed)
{
  gpointer buf = NULL;
  gsize cap = 0;
  ShmvFrameInfo info;
  guint32 got;

  g_assert_true (shmv_channel_read (reader, &buf, &cap, &info));
  g_assert_true (stress_check (buf, (gsize) info.stride * info.height, &got));
  g_assert_cmpuint (got, ==, seed);
  g_free (buf);
}

/* Writes a file until /dev/shm has no page left. */
static char *
fill_dev_shm (void)
{
  char *path = g_strdup ("/dev/shm/filler");
  static char block[4096];
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_no_errno (fd);
  while (write (fd, block, sizeof block) == sizeof block)
    ;
  close (fd);
  return path;
}

static void
check_full_create (void)
{
  ShmvChannel *ch = shmv_channel_new ("test-exhaustion-new");
  ShmvSemaphore *sem;
  g_autofree char *filler = fill_dev_shm ();

  g_assert_false (shmv_channel_open (ch, SHMV_CHANNEL_WRITER, 0));
  g_assert_cmpint (shmv_channel_error (ch), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (ch)));
  sem = shmv_semaphore_new ("test-exhaustion-sem");
  shmv_semaphore_open (sem, 1, SHMV_SEMAPHORE_CREATE);
  g_printerr ("# full /dev/shm, new semaphore: %s\n", shmv_error_name (shmv_semaphore_error (sem)));
  g_assert_true (shmv_semaphore_error (sem) == SHMV_ERROR_NONE ||
                 shmv_semaphore_error (sem) == SHMV_ERROR_OUT_OF_RESOURCES);
  shmv_semaphore_free (sem);
  shmv_channel_free (ch);
  g_assert_no_errno (unlink (filler));
}

static int
dev_shm_full_main (gpointer data)
{
  gpointer scratch = g_malloc ((gsize) 1024 * 1024 * 4);
  ShmvChannel *writer, *reader;
  void *pixels;
  gsize stride;
  guint32 generation;

  /* Its own IPC namespace too: the lock sets of these fixed keys stay in it. */
  if (!shmv_test_private_dev_shm ("4m", TRUE))
    return SKIP_STATUS;
  writer = shmv_test_open_channel ("test-exhaustion", SHMV_CHANNEL_WRITER);
  reader = shmv_test_open_channel ("test-exhaustion", SHMV_CHANNEL_READER);
  g_assert_true (stress_publish (writer, 512, 512, 2, scratch));
  generation = shmv_channel_generation (reader);

  /* 4 MiB of pixels cannot fit beside the 1 MiB frame we keep. */
  g_assert_false (stress_publish (writer, 1024, 1024, 4, scratch));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_false (
      shmv_channel_begin_frame (writer, 1024, 1024, SHMV_FORMAT_RGBA8, &pixels, &stride));
  g_assert_cmpint (shmv_channel_error (writer), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_cmpuint (shmv_channel_generation (reader), ==, generation);
  assert_frame (reader, 2);

  /* A frame that fits still goes through, and readers see it. */
  g_assert_true (stress_publish (writer, 512, 512, 6, scratch));
  assert_frame (reader, 6);
  check_full_create ();
  g_assert_true (stress_publish (writer, 512, 512, 8, scratch));
  assert_frame (reader, 8);

  shmv_channel_free (reader);
  shmv_channel_free (writer);
  g_assert_false (shmv_test_shm_exists ("shmv-"));
  g_free (scratch);
  return 0;
}

static void
test_dev_shm_full (void)
{
  run_child (dev_shm_full_main, NULL);
}

/* Makes exactly @n_free descriptors available: the limit counts descriptor
 * numbers, so the holes below the highest open one are filled first. */
static void
set_free_fds (int n_free)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  struct rlimit limit;
  const char *name;
  int highest = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    highest = MAX (highest, atoi (name));
  g_clear_pointer (&dir, g_dir_close);
  for (int fd = 0; fd <= highest; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      g_assert_cmpint (open ("/dev/null", O_RDONLY), ==, fd);
  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &limit));
  limit.rlim_cur = (rlim_t) (highest + 1 + n_free);
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &limit));
}

typedef struct
{
  const char *existing; /* a channel with a frame, made by the parent */
  const char *fresh;    /* a key nobody uses */
  const char *png;
  int n_free;
  int failures;
  int misleading; /* failures that blame something else than descriptors */
  char first_misleading[320];
} FdCase;

/* Counts a failure; a code other than the clear ones is noted as
 * misleading (the parent reports it), a crash would end the test. */
static gboolean
clear_outcome (FdCase *c, const char *what, gboolean ok, ShmvError code, const char *message)
{
  if (ok)
    return TRUE;
  g_printerr ("# %d free fds, %s: %s: %s\n", c->n_free, what, shmv_error_name (code), message);
  g_assert_cmpstr (message, !=, "");
  c->failures++;
  if (code != SHMV_ERROR_OUT_OF_RESOURCES && code != SHMV_ERROR_IO && c->misleading++ == 0)
    g_snprintf (c->first_misleading, sizeof c->first_misleading, "%d free fds, %s: %s: %s",
                c->n_free, what, shmv_error_name (code), message);
  return FALSE;
}

static void
try_channels (FdCase *c, ShmvChannel *reader, ShmvChannel *writer)
{
  ShmvChannel *fresh = shmv_channel_new (c->fresh);
  gboolean ok;

  ok = shmv_channel_open (reader, SHMV_CHANNEL_READER, 0);
  clear_outcome (c, "open a reader", ok, shmv_channel_error (reader),
                 shmv_channel_error_string (reader));
  ok = shmv_channel_open (writer, SHMV_CHANNEL_WRITER, 0);
  clear_outcome (c, "open a writer", ok, shmv_channel_error (writer),
                 shmv_channel_error_string (writer));
  ok = shmv_channel_open (fresh, SHMV_CHANNEL_WRITER, 0);
  clear_outcome (c, "create a channel", ok, shmv_channel_error (fresh),
                 shmv_channel_error_string (fresh));
  shmv_channel_free (fresh);
}

static void
try_others (FdCase *c)
{
  ShmvSemaphore *sem = shmv_semaphore_new (c->fresh);
  ShmvChannelEntry *entries = NULL;
  size_t n_entries;
  ShmvStatus status;
  ShmvImage image;
  gboolean ok;

  shmv_semaphore_open (sem, 1, SHMV_SEMAPHORE_CREATE);
  clear_outcome (c, "create a semaphore", shmv_semaphore_error (sem) == SHMV_ERROR_NONE,
                 shmv_semaphore_error (sem), shmv_semaphore_error_string (sem));
  shmv_semaphore_free (sem);
  ok = shmv_channel_list (&entries, &n_entries, &status);
  clear_outcome (c, "list channels", ok, status.code, status.message);
  free (entries);
  ok = shmv_png_load (c->png, NULL, &image, &status);
  clear_outcome (c, "load a PNG", ok, status.code, status.message);
  if (ok)
    shmv_image_clear (&image);
}

static int
few_fds_main (gpointer data)
{
  FdCase *c = data;
  ShmvChannel *reader = shmv_channel_new (c->existing);
  ShmvChannel *writer = shmv_channel_new (c->existing);
  struct rlimit saved;

  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &saved));
  set_free_fds (c->n_free);
  try_channels (c, reader, writer);
  try_others (c);
  shmv_channel_free (reader);
  shmv_channel_free (writer);
  /* With descriptors back, everything works again. */
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &saved));
  reader = shmv_test_open_channel (c->existing, SHMV_CHANNEL_READER);
  assert_frame (reader, 10);
  shmv_channel_free (reader);
  /* With no descriptor free, nothing that needs one can have worked. */
  g_assert_true (c->n_free > 0 || c->failures == 6);
  return 0;
}

static void
test_too_many_fds (void)
{
  g_autofree char *existing = shmv_test_unique_key ("fds-existing");
  g_autofree char *fresh = shmv_test_unique_key ("fds-fresh");
  g_autofree char *dir = g_dir_make_tmp ("shmv-fds-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "small.png", NULL);
  gpointer scratch = g_malloc (64 * 64 * 4);
  ShmvChannel *keeper;
  ShmvStatus status;
  FdCase *c;
  char first[320] = "";
  int lock_key, n_misleading = 0, n_leaks = 0;

  stress_register_key (existing);
  stress_register_key (fresh);
  keeper = shmv_test_open_channel (existing, SHMV_CHANNEL_WRITER);
  g_assert_true (stress_publish (keeper, 64, 64, 10, scratch));
  g_assert_true (shmv_png_save (png, scratch, 64, 64, 256, SHMV_FORMAT_RGBA8, &status));
  lock_key = stress_lock_key_of (existing);
  c = stress_shared_new (sizeof *c);
  for (int n_free = 0; n_free <= 6; n_free++)
    {
      ShmvSegment *probe = shmv_segment_new (fresh);

      *c = (FdCase){ .existing = existing, .fresh = fresh, .png = png, .n_free = n_free };
      run_child (few_fds_main, c);
      /* Whatever failed half-way must leave nothing of the fresh key behind. */
      if (shmv_test_shm_exists (shmv_segment_native_key (probe)))
        {
          n_leaks++;
          stress_remove_key (fresh);
        }
      shmv_segment_free (probe);
      stress_assert_nothing_left (fresh, -1);
      n_misleading += c->misleading;
      if (c->misleading > 0 && first[0] == '\0')
        g_strlcpy (first, c->first_misleading, sizeof first);
    }
  stress_figure ("exhaustion", "fd_limit_misleading_errors", "%d", n_misleading);
  stress_figure ("exhaustion", "fd_limit_segments_left_behind", "%d", n_leaks);
  if (n_misleading > 0 || n_leaks > 0)
    {
      g_autofree char *what = g_strdup_printf (
          "shmv-segment.c, name_is_fd() opens a second descriptor; when none is free it answers "
          "\"the name moved\": attach retries then says NOT_FOUND or create() ALREADY_EXISTS "
          "(%d misleading errors, first: %s), and detach() of the last user does not remove "
          "the segment (%d left behind). Compare stat(\"/dev/shm/NAME\") with fstat(fd) "
          "instead (no descriptor needed), or return the errno",
          n_misleading, first, n_leaks);

      stress_protection_failed (what);
    }
  stress_shared_free (c, sizeof *c);
  shmv_channel_free (keeper);
  stress_assert_nothing_left (existing, lock_key);
  g_unlink (png);
  g_rmdir (dir);
  g_free (scratch);
}

static int
count_sem_sets (void)
{
  g_autofree char *text = NULL;
  int lines = 0;

  g_assert_true (g_file_get_contents ("/proc/sysvipc/sem", &text, NULL, NULL));
  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  return lines - 1; /* the heading */
}

static int
few_locks_main (gpointer data)
{
  ShmvChannel *channels[16];
  gpointer scratch = g_malloc (64 * 64 * 4);
  FILE *limits;
  int n = 0;

  if (!shmv_test_private_dev_shm ("64m", TRUE))
    return SKIP_STATUS;
  limits = fopen ("/proc/sys/kernel/sem", "w");
  g_assert_nonnull (limits);
  /* SEMMSL SEMMNS SEMOPM SEMMNI: at most 8 sets in this IPC namespace. */
  fputs ("250 32000 32 8\n", limits);
  g_assert_cmpint (fclose (limits), ==, 0);
  for (n = 0; n < 16; n++)
    {
      g_autofree char *key = g_strdup_printf ("test-locks-%d", n);

      channels[n] = shmv_channel_new (key);
      if (!shmv_channel_open (channels[n], SHMV_CHANNEL_WRITER, 0))
        break;
    }
  g_printerr ("# channel %d: %s\n", n, shmv_channel_error_string (channels[n]));
  g_assert_cmpint (n, ==, 8);
  g_assert_cmpint (shmv_channel_error (channels[n]), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_false (shmv_test_shm_exists (shmv_channel_native_key (channels[n])));
  for (int i = 0; i < n; i++)
    g_assert_true (stress_publish (channels[i], 64, 64, (guint32) i * 2, scratch));
  for (int i = 0; i <= n; i++)
    shmv_channel_free (channels[i]);
  g_assert_false (shmv_test_shm_exists ("shmv-"));
  g_assert_cmpint (count_sem_sets (), ==, 0);
  g_free (scratch);
  return 0;
}

static void
test_too_many_lock_sets (void)
{
  run_child (few_locks_main, NULL);
}

/* A /dev/shm that holds 8 files (tmpfs nr_inodes counts the root too). */
static int
few_inodes_main (gpointer data)
{
  ShmvChannel *channels[16];
  gpointer scratch = g_malloc (64 * 64 * 4);
  int n;

  if (!shmv_test_private_dev_shm ("64m,nr_inodes=9", TRUE))
    return SKIP_STATUS;
  for (n = 0; n < 16; n++)
    {
      g_autofree char *key = g_strdup_printf ("test-inodes-%d", n);

      channels[n] = shmv_channel_new (key);
      if (!shmv_channel_open (channels[n], SHMV_CHANNEL_WRITER, 0))
        break;
    }
  g_printerr ("# channel %d: %s\n", n, shmv_channel_error_string (channels[n]));
  g_assert_cmpint (n, ==, 8);
  g_assert_cmpint (shmv_channel_error (channels[n]), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  for (int i = 0; i < n; i++)
    g_assert_true (stress_publish (channels[i], 64, 64, (guint32) i * 2, scratch));
  for (int i = 0; i <= n; i++)
    shmv_channel_free (channels[i]);
  g_assert_false (shmv_test_shm_exists ("shmv-"));
  g_free (scratch);
  return 0;
}

static void
test_too_many_segments (void)
{
  run_child (few_inodes_main, NULL);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress/exhaustion/dev-shm-full", test_dev_shm_full);
  g_test_add_func ("/stress/exhaustion/too-many-fds", test_too_many_fds);
  g_test_add_func ("/stress/exhaustion/too-many-lock-sets", test_too_many_lock_sets);
  g_test_add_func ("/stress/exhaustion/too-many-segments", test_too_many_segments);
  result = g_test_run ();
  stress_cleanup ();
  return result;
}
