/* test-segment.c: ShmvSegment, Qt's QSharedMemory tests and what Qt gets wrong
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-names.h"
#include "shmv-segment-private.h"
#include "shmv-test-util.h"

#include <fcntl.h>
#include <glib.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh handle on a unique key; the test frees it. */
static ShmvSegment *
new_segment (const char *what)
{
  g_autofree char *key = shmv_test_unique_key (what);

  return shmv_segment_new (key);
}

static gboolean
exists (ShmvSegment *seg)
{
  return shmv_test_shm_exists (shmv_segment_native_key (seg));
}

static void
test_new_handle_is_detached (void)
{
  ShmvSegment *seg = new_segment ("new");

  g_assert_false (shmv_segment_is_attached (seg));
  g_assert_null (shmv_segment_data (seg));
  g_assert_cmpuint (shmv_segment_size (seg), ==, 0);
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NONE);
  g_assert_cmpstr (shmv_segment_error_string (seg), ==, "");
  g_assert_false (shmv_segment_detach (seg));
  shmv_segment_free (seg);
  shmv_segment_free (NULL);
}

static void
test_create_without_key (void)
{
  ShmvSegment *seg = shmv_segment_new ("");

  g_assert_false (shmv_segment_create (seg, 1024, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_segment_lock (seg));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_LOCK);
  shmv_segment_free (seg);
}

static void
test_create_zero_size (void)
{
  ShmvSegment *seg = new_segment ("zero");

  g_assert_false (shmv_segment_create (seg, 0, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_INVALID_SIZE);
  g_assert_null (shmv_segment_data (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_create_new_reads_zeros (void)
{
  ShmvSegment *seg = new_segment ("zeros");
  const guint8 *data;

  g_assert_true (shmv_segment_create (seg, 1024, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NONE);
  g_assert_cmpuint (shmv_segment_size (seg), >=, 1024);
  data = shmv_segment_data (seg);
  for (int i = 0; i < 1024; i++)
    g_assert_cmpuint (data[i], ==, 0);
  g_assert_true (exists (seg));
  shmv_segment_free (seg);
}

static void
test_create_existing (void)
{
  ShmvSegment *a = new_segment ("existing");
  ShmvSegment *b = shmv_segment_new (shmv_segment_key (a));

  g_assert_true (shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_false (shmv_segment_create (b, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_ALREADY_EXISTS);
  g_assert_false (shmv_segment_is_attached (b));
  g_assert_null (shmv_segment_data (b));
  /* Qt's createWithSameKey: a second handle's attach and detach must not
   * destroy a segment that the first still uses. */
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_WRITE));
  shmv_segment_free (b);
  b = shmv_segment_new (shmv_segment_key (a));
  g_assert_false (shmv_segment_create (b, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_WRITE));
  shmv_segment_free (b);
  shmv_segment_free (a);
}

static void
test_create_too_large (void)
{
  ShmvSegment *seg = new_segment ("huge");

  /* 1 TiB: far more than /dev/shm holds. It must fail now, not SIGBUS later. */
  g_assert_false (shmv_segment_create (seg, (size_t) 1 << 40, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_OUT_OF_RESOURCES);
  g_assert_false (shmv_segment_is_attached (seg));
  g_assert_cmpuint (shmv_segment_size (seg), ==, 0);
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_attach_missing (void)
{
  ShmvSegment *seg = new_segment ("missing");

  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NOT_FOUND);
  g_assert_cmpstr (shmv_segment_error_string (seg), !=, "");
  g_assert_null (shmv_segment_data (seg));
  g_assert_false (shmv_segment_detach (seg));
  /* A failed attach leaves nothing that blocks create. */
  g_assert_true (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  shmv_segment_free (seg);
}

static void
test_attach_twice_and_again (void)
{
  ShmvSegment *owner = new_segment ("reattach");
  ShmvSegment *seg = shmv_segment_new (shmv_segment_key (owner));

  g_assert_true (shmv_segment_create (owner, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_detach (seg));
  g_assert_null (shmv_segment_data (seg));
  g_assert_cmpuint (shmv_segment_size (seg), ==, 0);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_nonnull (shmv_segment_data (seg));
  shmv_segment_free (seg);
  shmv_segment_free (owner);
}

static void
test_two_handles_share (void)
{
  ShmvSegment *producer = new_segment ("share");
  ShmvSegment *consumer = shmv_segment_new (shmv_segment_key (producer));
  char *out, *in;

  g_assert_true (shmv_segment_create (producer, 512, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (consumer, SHMV_ACCESS_READ_ONLY));
  out = shmv_segment_data (producer);
  in = shmv_segment_data (consumer);
  g_assert_true (out != in);
  for (int i = 0; i < 512; i++)
    {
      out[i] = 'Q';
      g_assert_cmpint (in[i], ==, 'Q');
    }
  shmv_segment_free (consumer);
  shmv_segment_free (producer);
}

#define N_INCREMENTS 2000

static int
increment_under_lock (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);
  volatile guint32 *counter;

  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE))
    return 10;
  counter = shmv_segment_data (seg);
  for (int i = 0; i < N_INCREMENTS; i++)
    {
      if (!shmv_segment_lock (seg))
        return 11;
      /* A non-atomic read-modify-write: only the lock keeps it exact. */
      guint32 v = *counter;
      if (i % 64 == 0)
        sched_yield ();
      *counter = v + 1;
      if (!shmv_segment_unlock (seg))
        return 12;
    }
  shmv_segment_free (seg);
  return 0;
}

static void
test_lock_excludes_processes (void)
{
  ShmvSegment *seg = new_segment ("counter");
  GPid pids[4];

  g_assert_true (shmv_segment_create (seg, sizeof (guint32), SHMV_ACCESS_READ_WRITE));
  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    pids[i] = shmv_test_fork (increment_under_lock, shmv_segment_key (seg), NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      int status = shmv_test_wait (pids[i]);

      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_assert_cmpuint (*(guint32 *) shmv_segment_data (seg), ==, G_N_ELEMENTS (pids) * N_INCREMENTS);
  shmv_segment_free (seg);
}

static gpointer
increment_thread (gpointer key)
{
  return GINT_TO_POINTER (increment_under_lock (key, -1));
}

static void
test_lock_excludes_threads (void)
{
  ShmvSegment *seg = new_segment ("threads");
  GThread *threads[4];

  g_assert_true (shmv_segment_create (seg, sizeof (guint32), SHMV_ACCESS_READ_WRITE));
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("incrementer", increment_thread, (gpointer) shmv_segment_key (seg));
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (threads[i])), ==, 0);
  g_assert_cmpuint (*(guint32 *) shmv_segment_data (seg), ==,
                    G_N_ELEMENTS (threads) * N_INCREMENTS);
  shmv_segment_free (seg);
}

static int
write_read_only (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);

  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY))
    return 10;
  ((volatile char *) shmv_segment_data (seg))[0] = 'x';
  return 0; /* must not get here */
}

static void
test_read_only_write_crashes (void)
{
  ShmvSegment *seg = new_segment ("readonly");
  int status;

  g_assert_true (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  status = shmv_test_wait (shmv_test_fork (write_read_only, shmv_segment_key (seg), NULL));
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGSEGV);
  g_assert_cmpint (((char *) shmv_segment_data (seg))[0], ==, 0);
  shmv_segment_free (seg);
}

static void
test_lock_twice_not_recursive (void)
{
  ShmvSegment *a = new_segment ("locktwice");
  ShmvSegment *b = shmv_segment_new (shmv_segment_key (a));

  g_assert_true (shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_lock (a));
  g_assert_true (shmv_segment_lock (a));
  g_assert_false (shmv_segment_try_lock (b, 0));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_TIMEOUT);
  g_assert_true (shmv_segment_unlock (a));
  g_assert_true (shmv_segment_try_lock (b, 0));
  g_assert_false (shmv_segment_unlock (a));
  g_assert_cmpint (shmv_segment_error (a), ==, SHMV_ERROR_LOCK);
  g_assert_true (shmv_segment_unlock (b));
  shmv_segment_free (b);
  shmv_segment_free (a);
}

static void
test_detach_releases_lock (void)
{
  ShmvSegment *a = new_segment ("detachlock");
  ShmvSegment *b = shmv_segment_new (shmv_segment_key (a));
  ShmvSegment *c = shmv_segment_new (shmv_segment_key (a));

  g_assert_true (shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_attach (c, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_lock (b));
  g_assert_true (shmv_segment_detach (b));
  g_assert_true (shmv_segment_try_lock (c, 0));
  g_assert_true (shmv_segment_unlock (c));
  g_assert_true (shmv_segment_lock (c));
  shmv_segment_free (c); /* freeing releases too */
  g_assert_true (shmv_segment_try_lock (a, 0));
  shmv_segment_free (b);
  shmv_segment_free (a);
}

/* A bool answers the question; the handle's error tells "no" from "cannot
 * tell", and the next success clears it. */
static void
test_other_users_error_on_handle (void)
{
  ShmvSegment *a = new_segment ("otherusers");
  ShmvSegment *b = shmv_segment_new (shmv_segment_key (a));

  g_assert_false (shmv_segment_has_other_users (a));
  g_assert_cmpint (shmv_segment_error (a), ==, SHMV_ERROR_NOT_FOUND);
  g_assert_cmpstr (shmv_segment_error_string (a), !=, "");
  g_assert_true (shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_false (shmv_segment_has_other_users (a));
  g_assert_cmpint (shmv_segment_error (a), ==, SHMV_ERROR_NONE);
  g_assert_cmpstr (shmv_segment_error_string (a), ==, "");
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_has_other_users (a));
  g_assert_true (shmv_segment_has_other_users (b));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_NONE);
  g_assert_true (shmv_segment_detach (b));
  g_assert_false (shmv_segment_has_other_users (b));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_NOT_FOUND);
  g_assert_false (shmv_segment_has_other_users (a));
  g_assert_cmpint (shmv_segment_error (a), ==, SHMV_ERROR_NONE);
  shmv_segment_free (b);
  shmv_segment_free (a);
}

static void
test_last_detach_removes (void)
{
  ShmvSegment *a = new_segment ("lastdetach");
  ShmvSegment *b = shmv_segment_new (shmv_segment_key (a));
  ShmvSegment *c = shmv_segment_new (shmv_segment_key (a));

  g_assert_true (shmv_segment_create (a, 1024, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_attach (b, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_has_other_users (a));
  shmv_segment_free (a);
  g_assert_true (exists (b));
  g_assert_false (shmv_segment_has_other_users (b));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_NONE);
  /* Qt's removeWhileAttached: after the last one leaves, nothing is left. */
  shmv_segment_free (b);
  g_assert_false (exists (c));
  g_assert_false (shmv_segment_attach (c, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (c), ==, SHMV_ERROR_NOT_FOUND);
  shmv_segment_free (c);
}

/* A child that attaches, says so on @fd, and waits to be killed. */
static int
attach_and_hang (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);
  bool ok = shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) ||
            shmv_segment_create (seg, 4096, SHMV_ACCESS_READ_WRITE);

  if (write (fd, ok ? "y" : "n", 1) != 1 || !ok)
    return 10;
  for (;;)
    pause ();
}

static GPid
start_hanging_user (const char *key)
{
  char answer = 0;
  int fd;
  GPid pid = shmv_test_fork (attach_and_hang, key, &fd);

  g_assert_cmpint (read (fd, &answer, 1), ==, 1);
  g_assert_cmpint (answer, ==, 'y');
  close (fd);
  return pid;
}

static void
test_crashed_users_do_not_leak (void)
{
  ShmvSegment *seg = new_segment ("crashleak");
  GPid pid;

  g_assert_true (shmv_segment_create (seg, 1024, SHMV_ACCESS_READ_WRITE));
  pid = start_hanging_user (shmv_segment_key (seg));
  shmv_test_kill (pid);
  g_assert_true (exists (seg));
  g_assert_true (shmv_segment_detach (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_stale_segment_reclaimed (void)
{
  g_autofree char *key = shmv_test_unique_key ("stale");
  ShmvSegment *seg = shmv_segment_new (key);
  GPid pid = start_hanging_user (key); /* creates it */

  shmv_test_kill (pid);
  g_assert_true (exists (seg));
  g_assert_true (shmv_segment_create (seg, 1024, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpuint (((guint8 *) shmv_segment_data (seg))[0], ==, 0);
  g_assert_true (shmv_segment_detach (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_live_segment_never_reclaimed (void)
{
  g_autofree char *key = shmv_test_unique_key ("live");
  ShmvSegment *seg = shmv_segment_new (key);
  GPid pid = start_hanging_user (key);

  g_assert_false (shmv_segment_create (seg, 1024, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_ALREADY_EXISTS);
  shmv_test_kill (pid);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_detach (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_persistent_segment (void)
{
  ShmvSegment *seg = new_segment ("persistent");

  g_assert_true (shmv_segment_create (seg, 64, SHMV_ACCESS_READ_WRITE));
  strcpy (shmv_segment_data (seg), "kept");
  g_assert_true (shmv_segment_set_persistent (seg, true));
  g_assert_true (shmv_segment_detach (seg));
  g_assert_true (exists (seg));
  g_assert_false (shmv_segment_create (seg, 64, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_ALREADY_EXISTS);
  g_assert_true (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_true (shmv_segment_is_persistent (seg));
  g_assert_cmpstr (shmv_segment_data (seg), ==, "kept");
  g_assert_false (shmv_segment_set_persistent (seg, false));
  g_assert_true (shmv_segment_remove (seg));
  shmv_segment_free (seg);
  seg = new_segment ("persistent-gone");
  g_assert_false (shmv_segment_remove (seg));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NOT_FOUND);
  shmv_segment_free (seg);
}

static int
attach_detach_many (const char *key, int fd)
{
  for (int i = 0; i < 50; i++)
    {
      ShmvSegment *seg = shmv_segment_new (key);

      if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE) &&
          !shmv_segment_create (seg, 4096, SHMV_ACCESS_READ_WRITE) &&
          !shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE))
        {
          /* Losing a race to a remover is fine; anything else is not. */
          if (shmv_segment_error (seg) != SHMV_ERROR_NOT_FOUND)
            return 10;
        }
      shmv_segment_free (seg);
    }
  return 0;
}

static void
test_concurrent_users_leave_nothing (void)
{
  g_autofree char *key = shmv_test_unique_key ("churn");
  ShmvSegment *seg = shmv_segment_new (key);
  GPid pids[6];

  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    pids[i] = shmv_test_fork (attach_detach_many, key, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      int status = shmv_test_wait (pids[i]);

      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_wide_mode_refused (void)
{
  ShmvSegment *seg = new_segment ("squatwide");
  const char *name = shmv_segment_native_key (seg);
  int fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (fchmod (fd, 0666));
  g_assert_no_errno (ftruncate (fd, 8192));
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  g_assert_false (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  close (fd);
  shm_unlink (name);
  shmv_segment_free (seg);
}

static void
test_other_users_object_refused (void)
{
  ShmvSegment *seg;
  const char *name;
  char buf[16] = "untouched";
  int fd;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to plant an object owned by another user");
      return;
    }
  seg = new_segment ("squatuser");
  name = shmv_segment_native_key (seg);
  fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (ftruncate (fd, 8192));
  g_assert_cmpint (pwrite (fd, buf, sizeof buf, 0), ==, sizeof buf);
  g_assert_no_errno (fchown (fd, 65534, 65534));
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  g_assert_false (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_PERMISSION_DENIED);
  memset (buf, 0, sizeof buf);
  g_assert_cmpint (pread (fd, buf, sizeof buf, 0), ==, sizeof buf);
  g_assert_cmpstr (buf, ==, "untouched");
  close (fd);
  shm_unlink (name);
  shmv_segment_free (seg);
}

/* The mode of /dev/shm's file for @seg, or 0 when there is none. */
static mode_t
file_mode (ShmvSegment *seg)
{
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  struct stat st;

  return stat (path, &st) == 0 ? st.st_mode & 07777 : 0;
}

/* Under a umask that takes away the owner's write access, a new segment is
 * still exactly 0600 (0640 shared with the group), so the owner's next
 * writer can attach read-write. In a child: the umask is per process. */
static int
create_under_umask (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);
  ShmvSegment *writer = shmv_segment_new (key);
  g_autofree char *shared_key = g_strconcat (key, "-group", NULL);
  ShmvSegment *shared = shmv_segment_new (shared_key);
  int result = 0;

  umask (0277);
  if (!shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE))
    result = 1;
  else if (file_mode (seg) != 0600)
    result = 2;
  else if (!shmv_segment_attach (writer, SHMV_ACCESS_READ_WRITE))
    result = 3;
  else if (!shmv_segment_set_sharing (shared, SHMV_SHARING_GROUP) ||
           !shmv_segment_create (shared, 100, SHMV_ACCESS_READ_WRITE))
    result = 4;
  else if (file_mode (shared) != 0640)
    result = 5;
  if (result != 0)
    g_printerr ("# umask 0277: failed at step %d, mode %o\n", result, (unsigned) file_mode (seg));
  shmv_segment_free (shared);
  shmv_segment_free (writer);
  shmv_segment_free (seg);
  return result;
}

static void
test_umask_does_not_decide_the_mode (void)
{
  ShmvSegment *seg = new_segment ("umask");
  g_autofree char *shared_key = g_strconcat (shmv_segment_key (seg), "-group", NULL);
  ShmvSegment *shared = shmv_segment_new (shared_key);

  shmv_test_assert_exits_ok (shmv_test_fork (create_under_umask, shmv_segment_key (seg), NULL));
  g_assert_false (exists (seg));
  g_assert_false (exists (shared));
  shmv_segment_free (shared);
  shmv_segment_free (seg);
}

/* A key of @len bytes: a unique start, then 'x' up to @len, then @last. */
static char *
long_key (const char *what, gsize len, char last)
{
  g_autofree char *start = shmv_test_unique_key (what);
  char *key = g_malloc (len + 1);

  memset (key, 'x', len);
  memcpy (key, start, strlen (start));
  key[len - 1] = last;
  key[len] = '\0';
  return key;
}

static int
attach_and_check (const char *key, int fd)
{
  ShmvSegment *seg = shmv_segment_new (key);
  int result = 0;

  if (!shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY))
    result = 1;
  else if (strcmp (shmv_segment_data (seg), "long") != 0)
    result = 2;
  shmv_segment_free (seg);
  return result;
}

/* Qt's QSharedMemory takes any key: so do we, whatever its length. */
static void
test_long_key_end_to_end (void)
{
  g_autofree char *key = long_key ("longkey", 10000, 'z');
  ShmvSegment *seg = shmv_segment_new (key);

  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NONE);
  g_assert_cmpstr (shmv_segment_key (seg), ==, key);
  g_assert_true (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  strcpy (shmv_segment_data (seg), "long");
  g_assert_true (shmv_segment_set_persistent (seg, true));
  g_assert_true (shmv_segment_detach (seg));
  shmv_test_assert_exits_ok (shmv_test_fork (attach_and_check, key, NULL));
  g_assert_true (shmv_segment_remove (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

/* An error about a long key still says what went wrong: the key is cut
 * short in the message, not the reason. */
static void
test_long_key_errors_keep_their_reason (void)
{
  g_autofree char *key = long_key ("longreason", 10000, 'z');
  ShmvSegment *seg = shmv_segment_new (key);
  const char *message;

  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_NOT_FOUND);
  message = shmv_segment_error_string (seg);
  g_test_message ("%s", message);
  g_assert_true (g_str_has_suffix (message, "no such segment"));
  g_assert_true (g_utf8_validate (message, -1, NULL));
  shmv_segment_free (seg);
}

/* Keys alike in what the prefix page holds are still two channels. */
static void
test_long_keys_differing_late (void)
{
  g_autofree char *key_a = long_key ("longlate", 4500, 'a');
  g_autofree char *key_b = g_strdup (key_a);
  ShmvSegment *a = shmv_segment_new (key_a);
  ShmvSegment *b, *a2;

  key_b[4001] = 'b';
  b = shmv_segment_new (key_b);
  a2 = shmv_segment_new (key_a);
  g_assert_true (shmv_segment_create (a, 100, SHMV_ACCESS_READ_WRITE));
  strcpy (shmv_segment_data (a), "A");
  g_assert_false (shmv_segment_attach (b, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (b), ==, SHMV_ERROR_NOT_FOUND);
  g_assert_true (shmv_segment_create (b, 100, SHMV_ACCESS_READ_WRITE));
  strcpy (shmv_segment_data (b), "B");
  g_assert_true (shmv_segment_attach (a2, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpstr (shmv_segment_data (a2), ==, "A");
  shmv_segment_free (a2);
  shmv_segment_free (b);
  shmv_segment_free (a);
}

/* A segment whose users all died. */
static ShmvSegment *
stale_segment (const char *what)
{
  ShmvSegment *seg = new_segment (what);

  shmv_test_kill (start_hanging_user (shmv_segment_key (seg)));
  return seg;
}

/* Writes @len bytes of @bytes at @offset of @seg's file. */
static void
scribble (ShmvSegment *seg, off_t offset, const void *bytes, size_t len)
{
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  int fd = open (path, O_RDWR | O_CLOEXEC);

  g_assert_no_errno (fd);
  g_assert_cmpint (pwrite (fd, bytes, len, offset), ==, (ssize_t) len);
  close (fd);
}

/* A stale segment with a few bytes of the key stored in its prefix
 * scribbled over. */
static ShmvSegment *
stale_with_scribbled_key (const char *what)
{
  ShmvSegment *seg = stale_segment (what);
  const char *key = shmv_segment_key (seg);
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  guint8 page[4096];
  guint8 *stored;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_no_errno (fd);
  g_assert_cmpint (pread (fd, page, sizeof page, 0), ==, sizeof page);
  close (fd);
  stored = memmem (page, sizeof page, key, strlen (key));
  g_assert_nonnull (stored);
  scribble (seg, stored - page + 2, "@@@", 3);
  return seg;
}

/* A segment of an older layout (keys of at most 255 bytes) is refused as
 * corrupt, saying so, and gc removes it when unused. */
static void
test_old_layout_is_corrupt (void)
{
  guint32 old_layout = 1;
  ShmvSegment *seg = stale_segment ("oldlayout");

  scribble (seg, offsetof (ShmvSegmentPrefix, layout), &old_layout, sizeof old_layout);
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_segment_error_string (seg), "layout 1"));
  g_assert_true (shmv_segment_remove_unused (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

/* A scribbled lock key, even one its name's range allows, is damage too. */
static void
test_scribbled_prefix_lock_key_is_corrupt (void)
{
  ShmvSegment *seg = stale_segment ("scribbled-lock");
  gint32 lock_key = shmv_sysv_key_for (shmv_segment_native_key (seg)) + 1;

  scribble (seg, offsetof (ShmvSegmentPrefix, lock_key), &lock_key, sizeof lock_key);
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_segment_error_string (seg), "prefix is damaged"));
  g_assert_true (shmv_segment_remove_unused (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

/* Plants, at @seg's name, an intact prefix of @other_key that claims
 * @seg's name hash: what a genuine hash collision looks like. */
static void
plant_colliding_prefix (ShmvSegment *seg, const char *other_key)
{
  g_autofree char *path = g_strdup_printf ("/dev/shm%s", shmv_segment_native_key (seg));
  g_autofree ShmvSegmentPrefix *prefix = g_malloc0 (2 * sizeof *prefix);
  int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  g_assert_no_errno (fd);
  shmv_segment_prefix_init (prefix, other_key, shmv_sysv_key_for (shmv_segment_native_key (seg)));
  prefix->name_hash = shmv_key_name_hash (shmv_segment_key (seg));
  shmv_segment_prefix_seal (prefix);
  g_assert_cmpint (write (fd, prefix, 2 * sizeof *prefix), ==, 2 * sizeof *prefix);
  close (fd);
}

/* Only a real collision is a KEY error, and gc leaves the other key's
 * segment alone. A key too long to be stored whole cannot be hashed again,
 * so its intact prefix is believed; a whole stored key that does not hash
 * to our name is a forgery (a renamed file): CORRUPT. */
static void
test_genuine_collision_is_key_error (void)
{
  g_autofree char *other = long_key ("collider", 6000, 'o');
  ShmvSegment *seg = new_segment ("collided");

  plant_colliding_prefix (seg, other);
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_segment_remove_unused (seg));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_KEY);
  g_assert_true (shmv_segment_remove (seg));
  g_assert_false (exists (seg));

  plant_colliding_prefix (seg, "a short key that does not hash to that name");
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_CORRUPT);
  g_assert_true (shmv_segment_remove_unused (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

/* Damage is CORRUPT (a broken channel), not KEY (a usage error), and what
 * no live process uses, remove_unused (gc) and remove clear. */
static void
test_scribbled_prefix_key_is_corrupt (void)
{
  ShmvSegment *seg = stale_with_scribbled_key ("scribbled");

  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_ONLY));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_CORRUPT);
  g_assert_nonnull (strstr (shmv_segment_error_string (seg), "does not match its name"));
  g_assert_true (shmv_segment_remove_unused (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);

  seg = stale_with_scribbled_key ("scribbled-rm");
  g_assert_false (shmv_segment_attach (seg, SHMV_ACCESS_READ_WRITE));
  g_assert_cmpint (shmv_segment_error (seg), ==, SHMV_ERROR_CORRUPT);
  g_assert_true (shmv_segment_remove (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);

  /* Over a scribbled, unused segment, create() makes the channel anew. */
  seg = stale_with_scribbled_key ("scribbled-create");
  g_assert_true (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_detach (seg));
  g_assert_false (exists (seg));
  shmv_segment_free (seg);
}

static void
test_set_key_detaches (void)
{
  ShmvSegment *seg = new_segment ("setkey");
  g_autofree char *other = shmv_test_unique_key ("setkey-other");

  g_assert_true (shmv_segment_create (seg, 100, SHMV_ACCESS_READ_WRITE));
  g_assert_true (shmv_segment_set_key (seg, other));
  g_assert_false (shmv_segment_is_attached (seg));
  g_assert_cmpstr (shmv_segment_key (seg), ==, other);
  shmv_segment_free (seg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/segment/new/is-detached", test_new_handle_is_detached);
  g_test_add_func ("/segment/create/without-key-gives-key-error", test_create_without_key);
  g_test_add_func ("/segment/create/zero-size-gives-invalid-size", test_create_zero_size);
  g_test_add_func ("/segment/create/new-reads-zeros", test_create_new_reads_zeros);
  g_test_add_func ("/segment/create/existing-gives-already-exists", test_create_existing);
  g_test_add_func ("/segment/create/too-large-gives-out-of-resources", test_create_too_large);
  g_test_add_func ("/segment/attach/missing-gives-not-found", test_attach_missing);
  g_test_add_func ("/segment/attach/twice-fails-again-works", test_attach_twice_and_again);
  g_test_add_func ("/segment/share/two-handles-see-writes", test_two_handles_share);
  g_test_add_func ("/segment/share/read-only-write-crashes", test_read_only_write_crashes);
  g_test_add_func ("/segment/lock/excludes-processes", test_lock_excludes_processes);
  g_test_add_func ("/segment/lock/excludes-threads", test_lock_excludes_threads);
  g_test_add_func ("/segment/lock/twice-is-not-recursive", test_lock_twice_not_recursive);
  g_test_add_func ("/segment/lock/detach-releases", test_detach_releases_lock);
  g_test_add_func ("/segment/lifetime/other-users-error-on-handle",
                   test_other_users_error_on_handle);
  g_test_add_func ("/segment/lifetime/last-detach-removes", test_last_detach_removes);
  g_test_add_func ("/segment/lifetime/crashed-users-do-not-leak", test_crashed_users_do_not_leak);
  g_test_add_func ("/segment/lifetime/stale-segment-reclaimed", test_stale_segment_reclaimed);
  g_test_add_func ("/segment/lifetime/live-segment-never-reclaimed",
                   test_live_segment_never_reclaimed);
  g_test_add_func ("/segment/lifetime/persistent-until-removed", test_persistent_segment);
  g_test_add_func ("/segment/lifetime/concurrent-users-leave-nothing",
                   test_concurrent_users_leave_nothing);
  g_test_add_func ("/segment/names/wide-mode-refused", test_wide_mode_refused);
  g_test_add_func ("/segment/names/other-users-object-refused", test_other_users_object_refused);
  g_test_add_func ("/segment/key/set-key-detaches", test_set_key_detaches);
  g_test_add_func ("/segment/key/long-key-end-to-end", test_long_key_end_to_end);
  g_test_add_func ("/segment/key/long-keys-differing-late", test_long_keys_differing_late);
  g_test_add_func ("/segment/key/long-key-errors-keep-their-reason",
                   test_long_key_errors_keep_their_reason);
  g_test_add_func ("/segment/key/scribbled-prefix-key-is-corrupt",
                   test_scribbled_prefix_key_is_corrupt);
  g_test_add_func ("/segment/key/old-layout-is-corrupt", test_old_layout_is_corrupt);
  g_test_add_func ("/segment/key/genuine-collision-is-key-error",
                   test_genuine_collision_is_key_error);
  g_test_add_func ("/segment/key/scribbled-prefix-lock-key-is-corrupt",
                   test_scribbled_prefix_lock_key_is_corrupt);
  g_test_add_func ("/segment/names/umask-does-not-decide-the-mode",
                   test_umask_does_not_decide_the_mode);
  return g_test_run ();
}
